use rustpython_ast::{Expr, Ranged};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
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
    /// Only `json` imported as `import json`; calls with `**kwargs` are skipped.
    pub JSON_SORT_KEYS = FixerSpec {
        code: "PY405",
        name: "json-sort-keys",
        summary: "json.dumps(x) -> json.dumps(x, sort_keys=True) (opt-in)",
        groups: &["semantics"],
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    let Expr::Name(module) = attr.value.as_ref() else {
        return;
    };
    if !matches!(attr.attr.as_str(), "dumps" | "dump")
        || !checker
            .semantic()
            .is_module_alias("json", module.id.as_str())
    {
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
    let fix = Fix::safe(vec![Edit::insert(end.to_usize(), ", sort_keys=True")]);
    checker.report(
        &JSON_SORT_KEYS,
        expr,
        "dict order differs from Python 2: sort the keys for a stable text",
        Some(fix),
    );
}
