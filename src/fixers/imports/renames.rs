use rustpython_ast::{Expr, ExprContext, Stmt};

use super::util::{attribute_name_edit, module_attribute};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_renames`: `sys.maxint` becomes `sys.maxsize`, in attribute uses and in
    /// `from sys import maxint` (whose bare uses are renamed too).
    ///
    /// ## Why
    /// Python 3 ints have no maximum: `sys.maxint` is gone, `sys.maxsize` is the closest value.
    ///
    /// ## Example
    /// ```python
    /// limit = sys.maxint
    /// ```
    /// becomes
    /// ```python
    /// limit = sys.maxsize
    /// ```
    pub RENAMES = FixerSpec {
        code: "PY204",
        name: "renames",
        summary: "sys.maxint -> sys.maxsize (2to3 fix_renames)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_stmt), expr: Some(check_expr), expr_kinds: expr_kinds::ATTRIBUTE | expr_kinds::NAME, expr_relevant: None }),
    }
}

const MESSAGE: &str = "`sys.maxint` is `sys.maxsize` in Python 3";

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ImportFrom(import) = stmt else {
        return;
    };
    let is_sys = import.module.as_ref().is_some_and(|m| m.as_str() == "sys")
        && import.level.map_or(0, |l| l.to_u32()) == 0;
    if !is_sys {
        return;
    }
    for alias in &import.names {
        if alias.name.as_str() != "maxint" {
            continue;
        }
        let start = alias.range.start().to_usize();
        let edit = Edit::replace(start, start + "maxint".len(), "maxsize");
        let fixable = alias.asname.is_some() || checker.semantic().bindings("maxint") == 1;
        let fix = fixable.then(|| Fix::safe(vec![edit]));
        checker.report(&RENAMES, stmt, MESSAGE, fix);
    }
}

fn check_expr(expr: &Expr, checker: &mut Checker) {
    match expr {
        Expr::Attribute(attr) => {
            if module_attribute(checker, expr, "sys") != Some("maxint") {
                return;
            }
            let fix =
                attribute_name_edit(checker.text, attr, "maxsize").map(|e| Fix::safe(vec![e]));
            checker.report(&RENAMES, expr, MESSAGE, fix);
        }
        Expr::Name(name)
            if name.id.as_str() == "maxint" && matches!(name.ctx, ExprContext::Load) =>
        {
            let semantic = checker.semantic();
            let from_sys = semantic
                .imported_from("sys", "maxint")
                .is_some_and(|i| i.asname.is_none());
            if from_sys && semantic.bindings("maxint") == 1 {
                let fix = Fix::safe(vec![Edit::replace_node(expr, "maxsize")]);
                checker.report(&RENAMES, expr, MESSAGE, Some(fix));
            }
        }
        _ => {}
    }
}
