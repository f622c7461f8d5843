use rustpython_ast::Expr;

use super::util::{in_python2_branch, is_builtin_name};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports uses of the builtin `long`.
    ///
    /// ## Why
    /// Python 3 merged `long` into `int`. Renaming `long` to `int` is right for conversions,
    /// but not for type checks: `isinstance(x, (int, long))` becomes a duplicate, and code that
    /// tells `int` from `long` apart (serialisers, `type(x) is long`) loses a distinction it
    /// relied on. The rule reports each use for review.
    ///
    /// ## Example
    /// ```python
    /// if isinstance(n, long):
    ///     n = long(n)
    /// ```
    /// Use instead: `int`, and check what the distinction was for.
    pub LONG_BUILTIN = FixerSpec {
        code: "PY803",
        name: "long-builtin",
        summary: "long does not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if is_builtin_name(checker, expr, "long") && !in_python2_branch(checker, expr) {
        checker.report(
            &LONG_BUILTIN,
            expr,
            "`long` does not exist in Python 3: use `int`",
            None,
        );
    }
}
