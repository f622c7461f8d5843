use rustpython_ast::Stmt;

use super::util::method_named;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports methods named `__coerce__`.
    ///
    /// ## Why
    /// Python 3 never calls `__coerce__`: mixed-type arithmetic uses the reflected operators
    /// (`__radd__`, `__rmul__` ...). A class that relied on coercion loses its arithmetic with
    /// other types without any error at class creation.
    ///
    /// ## Example
    /// ```python
    /// class Money(object):
    ///     def __coerce__(self, other):
    ///         return self, Money(other)
    /// ```
    /// Use instead: implement `__add__`/`__radd__` (and friends) accepting the other types.
    pub COERCE_METHOD = FixerSpec {
        code: "PY805",
        name: "coerce-method",
        summary: "__coerce__ is never called in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    if method_named(checker, stmt, &["__coerce__"]).is_some() {
        let message = "`__coerce__` is never called in Python 3: implement the reflected operators";
        checker.report(&COERCE_METHOD, stmt, message, None);
    }
}
