use rustpython_ast::Stmt;

use super::util::method_named;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports methods named `__getslice__`, `__setslice__` or `__delslice__` (pylint's
    /// `getslice-method`, `setslice-method` and `delslice-method`).
    ///
    /// ## Why
    /// Python 3 never calls them: `obj[i:j]` calls `__getitem__` with a `slice` object. A class
    /// that only handles integers in `__getitem__` breaks on slicing, and the negative-index
    /// adjustment Python 2 did before calling `__getslice__` is gone.
    ///
    /// ## Example
    /// ```python
    /// class Rows(object):
    ///     def __getslice__(self, i, j):
    ///         return self.rows[i:j]
    /// ```
    /// Use instead:
    /// ```python
    /// class Rows(object):
    ///     def __getitem__(self, key):
    ///         if isinstance(key, slice):
    ///             return self.rows[key]
    ///         ...
    /// ```
    pub SLICE_METHODS = FixerSpec {
        code: "PY806",
        name: "slice-methods",
        summary: "__getslice__/__setslice__/__delslice__ are never called in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let names = ["__getslice__", "__setslice__", "__delslice__"];
    if let Some(name) = method_named(checker, stmt, &names) {
        let item = name.replace("slice", "item");
        let message =
            format!("`{name}` is never called in Python 3: handle `slice` objects in `{item}`");
        checker.report(&SLICE_METHODS, stmt, message, None);
    }
}
