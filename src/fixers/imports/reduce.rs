use rustpython_ast::Expr;

#[allow(unused_imports)]
use super::util::{builtin_call, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_reduce`: adds `from functools import reduce` where the builtin `reduce` is used.
    ///
    /// ## Why
    /// Python 3 moved `reduce` to `functools`.
    ///
    /// ## Example
    /// ```python
    /// total = reduce(add, xs)
    /// ```
    /// becomes
    /// ```python
    /// from functools import reduce
    /// total = reduce(add, xs)
    /// ```
    pub REDUCE = FixerSpec {
        code: "PY210",
        name: "reduce",
        summary: "reduce -> functools.reduce (2to3 fix_reduce)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("reduce")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Name(name) = expr else { return };
    if name.id.as_str() != "reduce"
        || !matches!(name.ctx, rustpython_ast::ExprContext::Load)
        || !checker.is_builtin("reduce")
    {
        return;
    }
    let fix = checker
        .importer()
        .line("from functools import reduce")
        .map(|e| Fix::safe(vec![e]));
    checker.report(
        &REDUCE,
        expr,
        "`reduce` is `functools.reduce` in Python 3",
        fix,
    );
}
