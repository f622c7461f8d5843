use rustpython_ast::Expr;

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Applicability;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's optional `fix_buffer`: renames the builtin `buffer` to `memoryview`. Off by
    /// default, and unsafe: the two objects do not have the same interface.
    ///
    /// ## Why
    /// Python 3 has no `buffer`; `memoryview` is its nearest replacement.
    ///
    /// ## Example
    /// ```python
    /// view = buffer(data)
    /// ```
    /// becomes
    /// ```python
    /// view = memoryview(data)
    /// ```
    pub BUFFER = FixerSpec {
        code: "PY218",
        name: "buffer",
        summary: "buffer -> memoryview (2to3 fix_buffer, optional, unsafe)",
        groups: &["2to3", "imports"],
        applicability: Applicability::Unsafe,
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if !checker.reads_builtin(expr, "buffer") {
        return;
    }
    let fix = crate::fixers::util::to_builtin(checker, expr, "memoryview").map(Fix::new);
    checker.report(
        &BUFFER,
        expr,
        "`buffer` is gone in Python 3: `memoryview` is the nearest",
        fix,
    );
}
