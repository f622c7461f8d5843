use rustpython_ast::{Expr, Ranged};

use super::util::indentation_at;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Adds `sort_keys=True` to `json.dumps(x)` and `json.dump(x, f)` calls that do not
    /// choose. Opt-in (`--select json-sort-keys`).
    ///
    /// ## Why
    /// Python 2 dicts iterated in hash order, which for a given build was stable, and tests or
    /// caches often compared the JSON text. Python 3.7+ dicts keep insertion order, so the
    /// same data can serialize differently than before; sorted keys give one text for equal
    /// data on both sides of a migration.
    ///
    /// ## Example
    /// ```python
    /// text = json.dumps(data, indent=2)
    /// ```
    /// becomes
    /// ```python
    /// text = json.dumps(data, indent=2, sort_keys=True)
    /// ```
    ///
    /// ## Limits
    /// `json` imported as a module (`import json [as j]`) or its `dumps`/`dump` imported by
    /// name (`from json import dumps [as d]`); other JSON libraries and calls with `**kwargs`
    /// (which may hold `sort_keys`) are skipped.
    pub JSON_SORT_KEYS = FixerSpec {
        code: "PY405",
        name: "json-sort-keys",
        summary: "json.dumps(x) -> json.dumps(x, sort_keys=True) (opt-in)",
        groups: &["semantics"],
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let semantic = checker.semantic();
    let is_json_dump = match call.func.as_ref() {
        // json.dumps(...), json.dump(...), under any alias of the module
        Expr::Attribute(attr) => {
            matches!(attr.attr.as_str(), "dumps" | "dump")
                && matches!(attr.value.as_ref(), Expr::Name(m) if semantic.is_module_alias("json", m.id.as_str()))
        }
        // from json import dumps [as name], bound nowhere else
        Expr::Name(name) => {
            semantic
                .imported_from("json", name.id.as_str())
                .is_some_and(|i| matches!(i.name, "dumps" | "dump"))
                && semantic.bindings(name.id.as_str()) == 1
        }
        _ => false,
    };
    if !is_json_dump {
        return;
    }
    if call.args.is_empty()
        || call
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() == "sort_keys"))
    {
        return;
    }
    // After the last argument, in source order.
    let last_end = call
        .args
        .iter()
        .map(|a| a.range().end())
        .chain(call.keywords.iter().map(|k| k.range().end()))
        .max();
    let Some(end) = last_end else { return };
    let end = end.to_usize();
    let text = checker.text;
    let closing = call.range().end().to_usize().saturating_sub(1);
    let between = text.get(end..closing).unwrap_or("");
    // A call laid out one argument a line with a trailing comma gets its own line too.
    let edit = match (
        between.trim_start().strip_prefix(','),
        Some(indentation_at(text, end)),
    ) {
        (Some(rest), Some(indent)) if rest.contains('\n') && !rest.contains('#') => {
            let comma = end + between.find(',').unwrap_or(0) + 1;
            let nl = super::util::newline_of(text);
            Edit::insert(comma, format!("{nl}{indent}sort_keys=True,"))
        }
        _ => Edit::insert(end, ", sort_keys=True"),
    };
    let fix = Fix::safe(vec![edit]);
    checker.report(
        &JSON_SORT_KEYS,
        expr,
        "dict order differs from Python 2: sort the keys for a stable text",
        Some(fix),
    );
}
