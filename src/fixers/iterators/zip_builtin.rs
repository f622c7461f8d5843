use rustpython_ast::Expr;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::util::{called_name, is_consumed_as_iterable, wrap_in_builtin, Consumers};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Wraps `zip(...)` in `list()` where a list may be needed. Calls whose result is only
    /// iterated (`for`, comprehensions, `dict()`, `list()`, `sorted()`, `set()` ...) are left
    /// alone.
    ///
    /// ## Why
    /// Python 3's `zip()` returns a lazy iterator: it cannot be indexed, has no `len()`, and
    /// is exhausted after one pass.
    ///
    /// ## Example
    /// ```python
    /// pairs = zip(keys, values)
    /// table = dict(zip(keys, values))
    /// ```
    /// becomes
    /// ```python
    /// pairs = list(zip(keys, values))
    /// table = dict(zip(keys, values))
    /// ```
    ///
    /// ## Limits
    /// Skipped when `zip` or `list` is bound anywhere in the module, and for calls with
    /// keyword arguments (`strict=` is Python 3 only).
    pub ZIP_BUILTIN = FixerSpec {
        code: "PY105",
        name: "zip-builtin",
        summary: "zip(...) -> list(zip(...)) where a list is needed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if called_name(call) != Some("zip") || !call.keywords.is_empty() {
        return;
    }
    if !checker.is_builtin("zip") {
        return;
    }
    if is_consumed_as_iterable(checker, expr, Consumers::default()) {
        return;
    }
    let message = "`zip()` returns an iterator in Python 3: wrap it in `list()`";
    checker.report(
        &ZIP_BUILTIN,
        expr,
        message,
        wrap_in_builtin(checker, expr, "list").map(Fix::safe),
    );
}
