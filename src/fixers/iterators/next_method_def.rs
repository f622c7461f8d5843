use rustpython_ast::Stmt;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::{Edit, Fix};
use crate::fixers::registry::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames a method `def next(self):` to `def __next__(self):`.
    ///
    /// ## Why
    /// Python 3's iterator protocol calls `__next__`; a class with only `next` is no longer an
    /// iterator.
    ///
    /// ## Example
    /// ```python
    /// class Counter(object):
    ///     def next(self):
    ///         return 1
    /// ```
    /// becomes
    /// ```python
    /// class Counter(object):
    ///     def __next__(self):
    ///         return 1
    /// ```
    ///
    /// ## Limits
    /// Only methods taking just `self` directly in a class body; skipped when the class
    /// already defines `__next__` (Python 2 and 3 compatible code).
    pub NEXT_METHOD_DEF = FixerSpec {
        code: "PY109",
        name: "next-method-def",
        summary: "def next(self) -> def __next__(self) in classes",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if def.name.as_str() != "next" {
        return;
    }
    let a = &def.args;
    let only_self = a.posonlyargs.is_empty()
        && a.args.len() == 1
        && a.args.iter().all(|p| p.default.is_none())
        && a.vararg.is_none()
        && a.kwonlyargs.is_empty()
        && a.kwarg.is_none();
    let Some(NodeRef::Stmt(Stmt::ClassDef(class))) = checker.parent() else {
        return;
    };
    if !only_self {
        return;
    }
    let has_dunder = class.body.iter().any(|s| match s {
        Stmt::FunctionDef(f) => f.name.as_str() == "__next__",
        Stmt::Assign(a) => a
            .targets
            .iter()
            .any(|t| matches!(t, rustpython_ast::Expr::Name(n) if n.id.as_str() == "__next__")),
        _ => false,
    });
    if has_dunder {
        return;
    }
    let fix = name_offset(checker.text, def.range.start().to_usize())
        .map(|start| Fix::safe(vec![Edit::replace(start, start + "next".len(), "__next__")]));
    let message = "Python 3 iterators define `__next__`, not `next`";
    checker.report(&NEXT_METHOD_DEF, stmt, message, fix);
}

/// Offset of `next` in `def next(`, `def_start` being the offset of `def`.
fn name_offset(text: &str, def_start: usize) -> Option<usize> {
    let rest = text.get(def_start..)?.strip_prefix("def")?;
    let trimmed = rest.trim_start_matches([' ', '\t', '\\', '\n', '\r']);
    if !trimmed.starts_with("next") {
        return None;
    }
    let skipped = rest.len().checked_sub(trimmed.len())?;
    def_start.checked_add(3)?.checked_add(skipped)
}
