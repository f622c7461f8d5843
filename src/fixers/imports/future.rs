use rustpython_ast::Stmt;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::Fix;
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
    /// select this fixer alone to remove it as the last step of a migration. The same holds for
    /// `print_function` in a module that uses `print` other than by calling it, while
    /// `print-statement` runs.
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
    // Code for Python 2 and 3 (`--target six`) needs these lines (six-future-imports adds them).
    if checker.six() {
        return;
    }
    let Stmt::ImportFrom(import) = stmt else {
        return;
    };
    if import.module.as_ref().map(|m| m.as_str()) != Some("__future__") {
        return;
    }
    let imports = |feature: &str| import.names.iter().any(|a| a.name.as_str() == feature);
    // Without the import, a later run would read Python 2 semantics into what it enabled:
    // `7 / 2` as floor division, a bare `print` (the function object) as a print statement.
    let kept = if imports("division")
        && checker.is_enabled(crate::fixers::semantics::old_division::OLD_DIVISION.code)
    {
        Some(("division", "old-division"))
    } else if imports("print_function")
        && checker.is_enabled(crate::fixers::grammar::print_statement::PRINT_STATEMENT.code)
        && print_not_called(checker)
    {
        Some(("print_function", "print-statement"))
    } else {
        None
    };
    if let Some((feature, rule)) = kept {
        let message =
            format!("`from __future__ import {feature}` kept: {rule}, also running, reads it");
        checker.report(&FUTURE, stmt, message, None);
        return;
    }
    let fix = Fix::safe(vec![checker.remove_statement(stmt)]);
    checker.report(
        &FUTURE,
        stmt,
        "`__future__` imports do nothing in Python 3",
        Some(fix),
    );
}

/// Whether the module uses the name `print` other than by calling it (`print`, `f = print`):
/// without `print_function`, the print-statement fixer would take those for statements.
fn print_not_called(checker: &Checker) -> bool {
    let entries = crate::engine::checker::nodes::flatten(checker.module(), |_, _| {});
    entries.iter().any(|e| {
        let crate::engine::checker::NodeRef::Expr(expr @ rustpython_ast::Expr::Name(n)) = e.node
        else {
            return false;
        };
        let parent = usize::try_from(e.parent).ok().and_then(|p| entries.get(p));
        n.id.as_str() == "print"
            && !matches!(parent.map(|p| p.node),
                Some(crate::engine::checker::NodeRef::Expr(rustpython_ast::Expr::Call(c)))
                    if std::ptr::eq(c.func.as_ref(), expr))
    })
}
