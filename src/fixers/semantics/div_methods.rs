use rustpython_ast::Stmt;

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::semantics::util::{
    class_defines, indentation_at, methods, newline_of, next_line_start,
};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// In a class defining `__div__`, `__idiv__` or `__rdiv__`, adds the Python 3 name as an
    /// alias right after the method: `__truediv__ = __div__`, `__itruediv__ = __idiv__`,
    /// `__rtruediv__ = __rdiv__` (unless the class already defines it).
    ///
    /// ## Why
    /// Python 3's `/` calls `__truediv__`; `__div__` is never called, so `a / b` raises
    /// `TypeError` for such objects.
    ///
    /// ## Example
    /// ```python
    /// class Money(object):
    ///     def __div__(self, other):
    ///         return Money(self.cents / other)
    /// ```
    /// becomes
    /// ```python
    /// class Money(object):
    ///     def __div__(self, other):
    ///         return Money(self.cents / other)
    ///     __truediv__ = __div__
    /// ```
    ///
    /// ## Limits
    /// Only `def`s directly in the class body are seen. The alias keeps Python 2's meaning of
    /// the method body; whether `/` inside it should become `//` is `old-division`'s question.
    /// A module with `from __future__ import division` is left alone: its `/` never called
    /// `__div__` in Python 2 either.
    pub DIV_METHODS = FixerSpec {
        code: "PY404",
        name: "div-methods",
        summary: "__div__ -> __truediv__ (alias)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

/// Python 2 division method names and their Python 3 names.
const RENAMES: &[(&str, &str)] = &[
    ("__div__", "__truediv__"),
    ("__idiv__", "__itruediv__"),
    ("__rdiv__", "__rtruediv__"),
];

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ClassDef(class) = stmt else { return };
    // Under `from __future__ import division`, Python 2's `/` already called `__truediv__`
    // and never `__div__`: an alias would make `/` work where it failed.
    if checker.semantic().has_future("division") {
        return;
    }
    let text = checker.text;
    let newline = newline_of(text);
    for method in methods(class) {
        let Some((old, new)) = RENAMES.iter().find(|(old, _)| *old == method.name.as_str()) else {
            continue;
        };
        if class_defines(class, new) {
            continue;
        }
        let indent = indentation_at(text, method.range.start().to_usize());
        let at = next_line_start(text, method.range.end().to_usize());
        let mut alias = format!("{indent}{new} = {old}{newline}");
        if at == text.len() && !text.ends_with('\n') {
            alias.insert_str(0, newline);
        }
        checker.report(
            &DIV_METHODS,
            method,
            format!("Python 3's `/` calls `{new}`, never `{old}`"),
            Some(Fix::safe(vec![Edit::insert(at, alias)])),
        );
    }
}
