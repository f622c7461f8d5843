use rustpython_ast::Stmt;

use super::util::remove_statement;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::Fix;
use crate::fixers::registry::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's optional `fix_future`: removes `from __future__ import ...` lines. Off by
    /// default: select `future-imports` to run it.
    ///
    /// ## Why
    /// Every Python 2 `__future__` feature is always on in Python 3; the imports are noise
    /// once Python 2 support is dropped.
    ///
    /// ## Example
    /// ```python
    /// from __future__ import print_function
    /// print("hi")
    /// ```
    /// becomes
    /// ```python
    /// print("hi")
    /// ```
    ///
    /// ## Limits
    /// Like 2to3, `from __future__ import annotations` (which still changes behaviour in
    /// Python 3) is removed too; this fixer is for Python 2 code only. A statement importing
    /// `division` stays while `old-division` (on by default) runs too, since that rule reads it:
    /// select this fixer alone to remove it as the last step of a migration.
    pub FUTURE = FixerSpec {
        code: "PY215",
        name: "future-imports",
        summary: "remove from __future__ imports (2to3 fix_future, optional)",
        groups: GROUPS,
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ImportFrom(import) = stmt else {
        return;
    };
    if import.module.as_ref().map(|m| m.as_str()) != Some("__future__") {
        return;
    }
    let division = import.names.iter().any(|a| a.name.as_str() == "division");
    if division && checker.is_enabled(crate::fixers::semantics::old_division::OLD_DIVISION.code) {
        // Without it, a later round or run of old-division would take `7 / 2` for Python 2's
        // floor division.
        checker.report(
            &FUTURE,
            stmt,
            "`from __future__ import division` kept: old-division, also running, reads it",
            None,
        );
        return;
    }
    let fix = Fix::safe(vec![remove_statement(checker, stmt)]);
    checker.report(
        &FUTURE,
        stmt,
        "`__future__` imports do nothing in Python 3",
        Some(fix),
    );
}
