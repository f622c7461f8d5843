use rustpython_ast::Expr;

use super::util::in_python2_branch;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports uses of the builtin `coerce`.
    ///
    /// ## Why
    /// Python 3 has no `coerce` and no `__coerce__` protocol: mixed-type arithmetic goes through
    /// the reflected operators (`__radd__` ...). The right rewrite depends on what the code
    /// wanted the common type for, so no fixer can do it.
    ///
    /// ## Example
    /// ```python
    /// a, b = coerce(x, y)
    /// ```
    /// Use instead: convert explicitly (`float(x), float(y)`), or rely on the reflected
    /// operators.
    pub COERCE_BUILTIN = FixerSpec {
        code: "PY801",
        name: "coerce-builtin",
        summary: "coerce() does not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("coerce")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if checker.reads_builtin(expr, "coerce") && !in_python2_branch(checker, expr) {
        checker.report(
            &COERCE_BUILTIN,
            expr,
            "`coerce` does not exist in Python 3",
            None,
        );
    }
}
