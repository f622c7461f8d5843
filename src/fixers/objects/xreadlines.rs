use rustpython_ast::{Expr, ExprContext};

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{attribute_name_start, has_no_arguments, receiver_text};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Replaces `f.xreadlines()` with `f` and a bare `f.xreadlines` with `f.__iter__`.
    ///
    /// ## Why
    /// Python 3 files have no `xreadlines`: the file object itself iterates over its lines.
    ///
    /// ## Example
    /// ```python
    /// for line in f.xreadlines():
    ///     pass
    /// ```
    /// becomes
    /// ```python
    /// for line in f:
    ///     pass
    /// ```
    ///
    /// ## Limits
    /// Like 2to3, any `x.xreadlines()` is rewritten, whatever `x` is; skipped when the module
    /// defines a function or method named `xreadlines`, and for calls with arguments.
    pub XREADLINES = FixerSpec {
        code: "PY311",
        name: "xreadlines",
        summary: "f.xreadlines() -> f",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| s.mentions_attribute("xreadlines")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    if attr.attr.as_str() != "xreadlines"
        || !matches!(attr.ctx, ExprContext::Load)
        || checker.semantic().defines_function("xreadlines")
    {
        return;
    }
    let text = checker.text;
    match checker.parent() {
        Some(NodeRef::Expr(Expr::Call(call))) if std::ptr::eq(call.func.as_ref(), expr) => {
            if !has_no_arguments(call) {
                return;
            }
            let fix = receiver_text(text, attr)
                .map(|receiver| Fix::safe(vec![Edit::replace_range(call.range, receiver)]));
            checker.report(
                &XREADLINES,
                call,
                "`xreadlines()` is gone: iterate over the file itself",
                fix,
            );
        }
        _ => {
            let fix = attribute_name_start(attr).map(|start| {
                Fix::safe(vec![Edit::replace(
                    start,
                    attr.range.end().to_usize(),
                    "__iter__",
                )])
            });
            checker.report(
                &XREADLINES,
                expr,
                "`xreadlines` is gone: use `__iter__`",
                fix,
            );
        }
    }
}
