use rustpython_ast::Expr;

use super::util::{mentions_removed_attribute, removed_attribute};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports the attributes of `types` that Python 3 removed and that have no builtin
    /// equivalent: `types.InstanceType`, `types.UnboundMethodType`, `types.DictProxyType`,
    /// `types.FileType` (pylint's `deprecated-types-field`; the ones with a builtin
    /// equivalent, `types.StringType` -> `bytes` ..., are the imports family's `types` fixer).
    ///
    /// ## Why
    /// Each raises `AttributeError` in Python 3, and the checks built on them (old-style
    /// instances, unbound methods) no longer make sense: the code needs a new test.
    ///
    /// ## Example
    /// ```python
    /// if type(obj) is types.InstanceType:
    ///     cls = obj.__class__
    /// ```
    /// Use instead: `cls = type(obj)`.
    pub REMOVED_TYPES_ATTRIBUTE = FixerSpec {
        code: "PY816",
        name: "removed-types-attribute",
        summary: "types.InstanceType, UnboundMethodType, DictProxyType, FileType do not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_removed_attribute(s, "types")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if let Some((name, advice)) = removed_attribute(checker, expr, "types") {
        let message = format!("`types.{name}` does not exist in Python 3: {advice}");
        checker.report(&REMOVED_TYPES_ATTRIBUTE, expr, message, None);
    }
}
