use rustpython_ast::Expr;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::util::{rename_builtin, BuiltinRename};
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
    let rename = BuiltinRename {
        spec: &RAW_INPUT,
        old: "raw_input",
        new: "input",
        six: Some("moves.input"),
    };
    rename_builtin(checker, expr, &rename);
}
