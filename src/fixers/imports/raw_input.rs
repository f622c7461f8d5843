use rustpython_ast::Expr;

#[allow(unused_imports)]
use super::util::{builtin_call, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Edit;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_raw_input`: renames the builtin `raw_input` to `input`.
    ///
    /// ## Why
    /// Python 3's `input` is Python 2's `raw_input`; `raw_input` is gone.
    ///
    /// ## Example
    /// ```python
    /// name = raw_input("name? ")
    /// ```
    /// becomes
    /// ```python
    /// name = input("name? ")
    /// ```
    pub RAW_INPUT = FixerSpec {
        code: "PY211",
        name: "raw-input",
        summary: "raw_input -> input (2to3 fix_raw_input)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("raw_input")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Name(name) = expr else { return };
    if name.id.as_str() != "raw_input"
        || !matches!(name.ctx, rustpython_ast::ExprContext::Load)
        || !checker.is_builtin("raw_input")
        || !checker.is_builtin("input")
    {
        return;
    }
    if checker.six() {
        let fix = crate::fixers::six::six_replacement(checker, expr, "moves.input").map(Fix::safe);
        let message = "`raw_input` is `input` in Python 3: `six.moves.input` runs on both";
        checker.report(&RAW_INPUT, expr, message, fix);
        return;
    }
    let fix = Fix::safe(vec![Edit::replace_node(expr, "input")]);
    checker.report(
        &RAW_INPUT,
        expr,
        "`raw_input` is `input` in Python 3",
        Some(fix),
    );
}
