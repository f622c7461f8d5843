use rustpython_ast::Stmt;

use super::util::{in_python2_branch, is_string_expression};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports `raise "message"` (a string, an f-string, or `"..." % args`).
    ///
    /// ## Why
    /// String exceptions were removed before Python 3 (2.6 already warned): `raise "x"` raises
    /// `TypeError: exceptions must derive from BaseException`, and any `except "x":` meant to
    /// catch it never matches. Which exception class to raise is a design decision.
    ///
    /// ## Example
    /// ```python
    /// raise "invalid configuration: %s" % name
    /// ```
    /// Use instead:
    /// ```python
    /// raise ValueError("invalid configuration: %s" % name)
    /// ```
    pub RAISING_STRING = FixerSpec {
        code: "PY810",
        name: "raising-string",
        summary: "raise \"message\" is a TypeError in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::Raise(raise) = stmt else { return };
    let Some(exc) = &raise.exc else { return };
    if is_string_expression(exc) && !in_python2_branch(checker, stmt) {
        let message = "string exceptions do not exist in Python 3: raise an exception instance";
        checker.report(&RAISING_STRING, stmt, message, None);
    }
}
