use rustpython_ast::Expr;

use super::util::{mentions_renamed_attribute, rename_attribute};
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the Python 2 function attributes: `f.func_name` -> `f.__name__`, and likewise
    /// `func_doc`, `func_defaults`, `func_globals`, `func_closure`, `func_dict`, `func_code`.
    ///
    /// ## Why
    /// Python 3 only has the dunder names.
    ///
    /// ## Example
    /// ```python
    /// log(handler.func_name)
    /// ```
    /// becomes
    /// ```python
    /// log(handler.__name__)
    /// ```
    ///
    /// ## Limits
    /// Like 2to3, any `x.func_name` is renamed, whatever `x` is; skipped when the module
    /// defines a function or method of that name.
    pub FUNCTION_ATTRIBUTES = FixerSpec {
        code: "PY308",
        name: "function-attributes",
        summary: "f.func_name/func_doc/... -> f.__name__/__doc__/...",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_renamed_attribute(s, "function_attributes")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    rename_attribute(checker, &FUNCTION_ATTRIBUTES, expr, "function_attributes");
}
