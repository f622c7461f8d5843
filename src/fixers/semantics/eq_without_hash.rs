use rustpython_ast::Stmt;

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::fixers::semantics::util::class_defines;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports a class that defines `__eq__` or `__cmp__` but not `__hash__` and has bases
    /// (a Python 2 new-style class). Report only.
    ///
    /// ## Why
    /// Python 2 new-style classes kept their inherited `__hash__` when they defined `__eq__`;
    /// Python 3 sets `__hash__` to `None`, so their instances can no longer be dict keys or
    /// set members (`TypeError: unhashable type`). Whether equal objects should hash alike
    /// (a real `__hash__`) or the old identity hash is fine (`__hash__ = Base.__hash__`) is a
    /// design choice.
    ///
    /// ## Example
    /// ```python
    /// class Point(object):
    ///     def __eq__(self, other):
    ///         return (self.x, self.y) == (other.x, other.y)
    /// ```
    /// is reported; add `def __hash__(self): return hash((self.x, self.y))`.
    ///
    /// ## Limits
    /// Classes without bases (Python 2 classic classes, unhashable there too) are not
    /// reported.
    pub EQ_WITHOUT_HASH = FixerSpec {
        code: "PY406",
        name: "eq-without-hash",
        summary: "class with __eq__/__cmp__ but no __hash__ (report)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ClassDef(class) = stmt else { return };
    if class.bases.is_empty() || class_defines(class, "__hash__") {
        return;
    }
    let defines = ["__eq__", "__cmp__"]
        .into_iter()
        .find(|name| class_defines(class, name));
    let Some(method) = defines else { return };
    let message = format!(
        "`{}` defines `{method}` without `__hash__`: unhashable in Python 3",
        class.name.as_str()
    );
    checker.report(&EQ_WITHOUT_HASH, stmt, message, None);
}
