use rustpython_ast::{Expr, Stmt, StmtClassDef};

use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the method `__unicode__` of a class to `__str__` when the class has no
    /// `__str__` of its own.
    ///
    /// ## Why
    /// Python 2's `unicode(obj)` called `__unicode__`; it becomes `str(obj)`, which Python 3
    /// answers with `__str__` only: the text would silently be the default
    /// `<Name object at 0x...>`.
    ///
    /// ## Example
    /// ```python
    /// class Name(object):
    ///     def __unicode__(self):
    ///         return u"Name(%s)" % self.first
    /// ```
    /// becomes
    /// ```python
    /// class Name(object):
    ///     def __str__(self):
    ///         return u"Name(%s)" % self.first
    /// ```
    ///
    /// ## Limits
    /// `str(obj)` and `"%s" % obj` gave Python 2's default `__str__` (the repr) and now give
    /// the text. A class body with `__str__ = __unicode__` is left alone: it works as is. Reported without a fix: a class that also defines or assigns `__str__` (in
    /// Python 2 it returned bytes, often `unicode(self).encode("utf-8")`, which would now
    /// recurse: keep the text one by hand), a class deriving from a class of the module that
    /// defines `__str__`, and any file that reads `x.__unicode__` (an explicit call would
    /// lose its method).
    pub UNICODE_METHOD = FixerSpec {
        code: "PY331",
        name: "unicode-method",
        summary: "def __unicode__ -> def __str__ in classes without __str__",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if def.name.as_str() != "__unicode__" {
        return;
    }
    let Some(NodeRef::Stmt(Stmt::ClassDef(class))) = checker.parent() else {
        return;
    };
    // `__str__ = __unicode__` in the body: the text method is `__str__` already.
    let aliased = class.body.iter().any(|s| {
        matches!(s, Stmt::Assign(a)
        if matches!(a.targets.as_slice(), [Expr::Name(t)] if t.id.as_str() == "__str__")
            && matches!(a.value.as_ref(), Expr::Name(v) if v.id.as_str() == "__unicode__"))
    });
    if aliased {
        return;
    }
    let blocked = if defines(class, "__str__") {
        Some("the class defines `__str__` too: Python 3 calls only `__str__`; keep the one that returns text")
    } else if base_defines_str(checker, class) {
        Some("a base class of this module defines `__str__`: Python 3 calls only `__str__`")
    } else if checker.semantic().mentions_attribute("__unicode__") {
        Some("the file reads `.__unicode__`, which the rename would take away")
    } else {
        None
    };
    let text = checker.text;
    // The name follows the last decorator, after `def`.
    let from = def
        .decorator_list
        .last()
        .map_or(def.range.start().to_usize(), |d| {
            rustpython_ast::Ranged::range(d).end().to_usize()
        });
    let fix = text
        .get(from..def.range.end().to_usize())
        .and_then(|s| s.find("__unicode__"))
        .filter(|_| blocked.is_none())
        .map(|at| {
            let start = from + at;
            Fix::safe(vec![Edit::replace(
                start,
                start + "__unicode__".len(),
                "__str__",
            )])
        });
    let message = match blocked {
        Some(why) => format!("Python 3 never calls `__unicode__` (not fixed: {why})"),
        None => "Python 3 never calls `__unicode__`: `str(obj)` calls `__str__`".to_string(),
    };
    checker.report(&UNICODE_METHOD, stmt, message, fix);
}

/// Whether the class body defines or assigns `name`.
fn defines(class: &StmtClassDef, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    class.body.iter().any(|s| match s {
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::AsyncFunctionDef(f) => f.name.as_str() == name,
        Stmt::Assign(a) => a.targets.iter().any(|t| match t {
            Expr::Tuple(t) => t.elts.iter().any(is_name),
            t => is_name(t),
        }),
        Stmt::AnnAssign(a) => is_name(&a.target),
        // A conditional definition, an import ... in the body: assume it might.
        Stmt::If(_) | Stmt::Try(_) | Stmt::Import(_) | Stmt::ImportFrom(_) => true,
        _ => false,
    })
}

/// Whether a base of `class` (by name) is a module-level class of the file that defines
/// `__str__`, itself or through its own bases of the module.
fn base_defines_str(checker: &Checker, class: &StmtClassDef) -> bool {
    let mut pending: Vec<&Expr> = class.bases.iter().collect();
    let mut seen = 0;
    while let Some(base) = pending.pop() {
        seen += 1;
        if seen > 100 {
            return true;
        }
        let Expr::Name(name) = base else { continue };
        let found = checker.module().iter().find_map(|s| match s {
            Stmt::ClassDef(c) if c.name == name.id => Some(c),
            _ => None,
        });
        if let Some(found) = found {
            if defines(found, "__str__") {
                return true;
            }
            pending.extend(found.bases.iter());
        }
    }
    false
}
