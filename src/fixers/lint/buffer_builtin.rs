use rustpython_ast::Expr;

use super::util::in_python2_branch;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports uses of the builtin `buffer`.
    ///
    /// ## Why
    /// Python 3 has no `buffer`. `memoryview` is the closest replacement, but it slices
    /// without copying, compares and hashes differently and has no `buffer(obj, offset, size)`
    /// signature, so the rewrite needs a human (2to3's `buffer` fixer is optional for that reason).
    ///
    /// ## Example
    /// ```python
    /// view = buffer(data, 4, 16)
    /// ```
    /// Use instead:
    /// ```python
    /// view = memoryview(data)[4:20]
    /// ```
    pub BUFFER_BUILTIN = FixerSpec {
        code: "PY802",
        name: "buffer-builtin",
        summary: "buffer() does not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("buffer")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if checker.reads_builtin(expr, "buffer") && !in_python2_branch(checker, expr) {
        let message = "`buffer` does not exist in Python 3: use `memoryview` (different slicing)";
        checker.report(&BUFFER_BUILTIN, expr, message, None);
    }
}
