use rustpython_ast::Expr;

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Replaces the builtin `StandardError` with `Exception`.
    ///
    /// ## Why
    /// Python 3 removed `StandardError`; `Exception` is the base of the same exceptions.
    ///
    /// ## Example
    /// ```python
    /// class ParseError(StandardError):
    ///     pass
    /// ```
    /// becomes
    /// ```python
    /// class ParseError(Exception):
    ///     pass
    /// ```
    ///
    /// ## Limits
    /// Skipped when `StandardError` or `Exception` is bound in the module.
    pub STANDARD_ERROR = FixerSpec {
        code: "PY310",
        name: "standard-error",
        summary: "StandardError -> Exception",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("StandardError")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if !checker.reads_builtin(expr, "StandardError") || !checker.is_builtin("Exception") {
        return;
    }
    let Expr::Name(name) = expr else { return };
    let r = name.range;
    let fix = Fix::safe(vec![Edit::replace_range(r, "Exception")]);
    checker.report(
        &STANDARD_ERROR,
        expr,
        "`StandardError` is gone in Python 3: use `Exception`",
        Some(fix),
    );
}
