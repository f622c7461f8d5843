use rustpython_ast::{Expr, ExprContext, Ranged};

use super::util::renamed;
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::util::{attribute_name_start, has_starred_argument, operand_text, ATOM};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 only parts of the `string` module: `string.letters`,
    /// `string.lowercase`, `string.uppercase` -> `string.ascii_letters` ...,
    /// `string.maketrans` -> `str.maketrans`, `string.join(words, sep)` -> `sep.join(words)`,
    /// and `string.split(s, ...)`, `strip`, `lower`, `upper`, `replace` ... -> `s.split(...)`
    /// (the tables are in `fixers/objects/renames.toml`).
    ///
    /// ## Why
    /// Python 3's `string` module keeps only the constants and classes; the functions were
    /// `str` methods all along.
    ///
    /// ## Example
    /// ```python
    /// line = string.join(string.split(text), " ")
    /// ```
    /// becomes
    /// ```python
    /// line = " ".join(text.split())
    /// ```
    ///
    /// ## Limits
    /// Only plain positional calls are rewritten; `string` must be the module, bound nowhere
    /// else. `string.letters` was locale-dependent in Python 2; `ascii_letters` is not.
    pub STRING_MODULE = FixerSpec {
        code: "PY324",
        name: "string-module",
        summary: "string.letters/maketrans/join/split(...) -> Python 3 forms",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| s.imports_module("string")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    let is_string = matches!(attr.value.as_ref(), Expr::Name(m)
        if checker.semantic().is_module_alias("string", m.id.as_str()));
    if !is_string || !matches!(attr.ctx, ExprContext::Load) {
        return;
    }
    let name = attr.attr.as_str();
    let text = checker.text;
    if let Some(new) = renamed("string_constants", name) {
        let fix = attribute_name_start(attr)
            .map(|start| Fix::safe(vec![Edit::replace(start, attr.range.end().to_usize(), new)]));
        let message = format!("`string.{name}` is `string.{new}` in Python 3");
        checker.report(&STRING_MODULE, expr, message, fix);
        return;
    }
    if name == "maketrans" {
        if !checker.semantic().is_builtin("str") {
            return;
        }
        let r = attr.range;
        let fix = Fix::safe(vec![Edit::replace(
            r.start().to_usize(),
            r.end().to_usize(),
            "str.maketrans",
        )]);
        checker.report(
            &STRING_MODULE,
            expr,
            "`string.maketrans` is `str.maketrans`",
            Some(fix),
        );
        return;
    }
    let is_join = name == "join" || name == "joinfields";
    if !is_join && renamed("string_functions", name).is_none() {
        return;
    }
    let Some(NodeRef::Expr(Expr::Call(call))) = checker.parent() else {
        return;
    };
    if !std::ptr::eq(call.func.as_ref(), expr)
        || !call.keywords.is_empty()
        || has_starred_argument(call)
    {
        return;
    }
    let new = if is_join {
        match call.args.as_slice() {
            [words] => format!("\" \".join({})", checker.source(words)),
            [words, sep] => format!(
                "{}.join({})",
                operand_text(text, sep, ATOM),
                checker.source(words)
            ),
            _ => return,
        }
    } else {
        let Some((first, rest)) = call.args.split_first() else {
            return;
        };
        let rest_text = match (rest.first(), rest.last()) {
            (Some(a), Some(b)) => text
                .get(a.range().start().to_usize()..b.range().end().to_usize())
                .unwrap_or(""),
            _ => "",
        };
        if !rest.is_empty() && rest_text.is_empty() {
            return;
        }
        format!("{}.{name}({rest_text})", operand_text(text, first, ATOM))
    };
    let r = call.range;
    let fix = Fix::safe(vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        new,
    )]);
    let message = format!("`string.{name}()` is gone in Python 3: use the `str` method");
    checker.report(&STRING_MODULE, call, message, Some(fix));
}
