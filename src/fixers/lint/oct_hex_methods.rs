use rustpython_ast::Stmt;

use super::util::method_named;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports methods named `__oct__` or `__hex__` (pylint's `oct-method` and `hex-method`).
    ///
    /// ## Why
    /// Python 3's `oct()` and `hex()` call `__index__` and never these methods: a class that
    /// formatted itself through them gets a `TypeError`, or a different text from `__index__`.
    ///
    /// ## Example
    /// ```python
    /// class Flags(object):
    ///     def __hex__(self):
    ///         return hex(self.bits)
    /// ```
    /// Use instead: define `__index__` returning the integer (if the object is an integer), or
    /// a named method.
    pub OCT_HEX_METHODS = FixerSpec {
        code: "PY807",
        name: "oct-hex-methods",
        summary: "__oct__/__hex__ are never called in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    if let Some(name) = method_named(checker, stmt, &["__oct__", "__hex__"]) {
        let message =
            format!("`{name}` is never called in Python 3: `oct()`/`hex()` use `__index__`");
        checker.report(&OCT_HEX_METHODS, stmt, message, None);
    }
}
