use rustpython_ast::Expr;

use super::util::in_python2_branch;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports calls of the builtin `round`.
    ///
    /// ## Why
    /// Python 3's `round` rounds halves to even (`round(2.5) == 2`, Python 2 gave `3.0`) and,
    /// with one argument, returns an `int` instead of a `float`. Both change results silently.
    ///
    /// Off by default: `round` is common and correct in Python 3 code; select it by name
    /// (`--select round-builtin`) while migrating numeric code.
    ///
    /// ## Example
    /// ```python
    /// cents = round(amount * 100)
    /// ```
    /// Use instead: `decimal.Decimal(...).quantize(..., rounding=ROUND_HALF_UP)` where halves
    /// matter, and check the callers expect an `int`.
    pub ROUND_BUILTIN = FixerSpec {
        code: "PY804",
        name: "round-builtin",
        summary: "round() rounds half to even and returns int in Python 3 (report only)",
        groups: GROUPS,
        default_on: false,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("round")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if !checker.reads_builtin(expr, "round") || in_python2_branch(checker, expr) {
        return;
    }
    let called = matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c))) if std::ptr::eq(c.func.as_ref(), expr));
    if called {
        let message =
            "`round` rounds halves to even and returns an `int` with one argument in Python 3";
        checker.report(&ROUND_BUILTIN, expr, message, None);
    }
}
