use rustpython_ast::{Expr, ExprContext};

use super::util::module_attribute;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Edit;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_sys_exc`: `sys.exc_type`, `sys.exc_value` and `sys.exc_traceback` become
    /// `sys.exc_info()[0]`, `[1]` and `[2]`.
    ///
    /// ## Why
    /// The three attributes were removed in Python 3 (they were not thread safe).
    ///
    /// ## Example
    /// ```python
    /// print(sys.exc_value)
    /// ```
    /// becomes
    /// ```python
    /// print(sys.exc_info()[1])
    /// ```
    pub SYS_EXC = FixerSpec {
        code: "PY205",
        name: "sys-exc",
        summary: "sys.exc_type/exc_value/exc_traceback -> sys.exc_info()[i] (2to3 fix_sys_exc)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| ["exc_type", "exc_value", "exc_traceback"].iter().any(|a| s.mentions_attribute(a))) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    if !matches!(attr.ctx, ExprContext::Load) {
        return;
    }
    let index = match module_attribute(checker, expr, "sys") {
        Some("exc_type") => 0,
        Some("exc_value") => 1,
        Some("exc_traceback") => 2,
        _ => return,
    };
    let fix = Fix::safe(vec![Edit::replace_node(
        expr,
        format!("sys.exc_info()[{index}]"),
    )]);
    let message = format!(
        "`sys.{}` is `sys.exc_info()[{index}]` in Python 3",
        attr.attr
    );
    checker.report(&SYS_EXC, expr, message, Some(fix));
}
