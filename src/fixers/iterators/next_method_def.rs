use rustpython_ast::{Expr, Stmt};

use crate::engine::checker::nodes::flatten;
use crate::fixers::semantics::util::{indentation_at, newline_of, next_line_start};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames a method `def next(self):` to `def __next__(self):`. Calls `it.next()` become
    /// `next(it)` (next-method-call); where the module also reads the attribute otherwise
    /// (`getter = r.next`), the class keeps `next = __next__` as an alias after the method.
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
    let text = checker.text;
    // Python 2 (`--target six`) still calls `next`.
    let keep_alias = checker.six() || checker.memo(reads_next_attribute).0;
    let fix = name_offset(text, def.range.start().to_usize()).map(|start| {
        let mut edits = vec![Edit::replace(start, start + "next".len(), "__next__")];
        if keep_alias {
            // `r.next` is read (not only called): keep the name as an alias of the method.
            let nl = newline_of(text);
            let indent = indentation_at(text, def.range.start().to_usize());
            let at = next_line_start(text, def.range.end().to_usize());
            let mut alias = format!("{indent}next = __next__{nl}");
            if at == text.len() && !text.ends_with('\n') {
                alias.insert_str(0, nl);
            }
            edits.push(Edit::insert(at, alias));
        }
        Fix::safe(edits)
    });
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

/// Whether the module reads an attribute `next` other than to call it with no arguments
/// (`getter = r.next`, `map(r.next, ...)`): calls become `next(r)`, other reads need the name.
struct NextReads(bool);

fn reads_next_attribute(checker: &Checker) -> NextReads {
    let entries = flatten(checker.module(), |_, _| {});
    NextReads(entries.iter().any(|e| {
        let NodeRef::Expr(expr @ Expr::Attribute(a)) = e.node else {
            return false;
        };
        if a.attr.as_str() != "next" {
            return false;
        }
        let parent = usize::try_from(e.parent).ok().and_then(|p| entries.get(p));
        !matches!(parent.map(|p| p.node), Some(NodeRef::Expr(Expr::Call(c)))
            if std::ptr::eq(c.func.as_ref(), expr) && c.args.is_empty() && c.keywords.is_empty())
    }))
}
