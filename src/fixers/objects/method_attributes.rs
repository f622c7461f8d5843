use rustpython_ast::Expr;

use super::util::{mentions_renamed_attribute, rename_attribute};
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the bound-method attributes: `m.im_func` -> `m.__func__`,
    /// `m.im_self` -> `m.__self__`, `m.im_class` -> `m.__self__.__class__`.
    ///
    /// ## Why
    /// Python 3 has only the dunder names, and no unbound methods (so no `im_class`).
    ///
    /// ## Example
    /// ```python
    /// target = callback.im_self
    /// ```
    /// becomes
    /// ```python
    /// target = callback.__self__
    /// ```
    ///
    /// ## Limits
    /// Like 2to3, any `x.im_func` is renamed, whatever `x` is. An assignment to `x.im_class`
    /// is left alone (reported only).
    pub METHOD_ATTRIBUTES = FixerSpec {
        code: "PY309",
        name: "method-attributes",
        summary: "m.im_func/im_self/im_class -> m.__func__/__self__/__self__.__class__",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_renamed_attribute(s, "method_attributes")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    rename_attribute(checker, &METHOD_ATTRIBUTES, expr, "method_attributes");
}
