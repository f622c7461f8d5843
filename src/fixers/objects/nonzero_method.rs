use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use crate::engine::checker::nodes::flatten;

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the method `__nonzero__` of a class to `__bool__`.
    ///
    /// ## Why
    /// Python 3 calls `__bool__` for truth tests and ignores `__nonzero__`: the objects would
    /// silently become always true.
    ///
    /// ## Example
    /// ```python
    /// class Empty:
    ///     def __nonzero__(self):
    ///         return False
    /// ```
    /// becomes
    /// ```python
    /// class Empty:
    ///     def __bool__(self):
    ///         return False
    /// ```
    ///
    /// ## Limits
    /// Skipped when the class already defines `__bool__`. Explicit calls
    /// `x.__nonzero__()` are left alone (as 2to3 does).
    pub NONZERO_METHOD = FixerSpec {
        code: "PY307",
        name: "nonzero-method",
        summary: "def __nonzero__ -> def __bool__ in classes",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::FunctionDef(def) = stmt else { return };
    if def.name.as_str() != "__nonzero__" {
        return;
    }
    let Some(NodeRef::Stmt(Stmt::ClassDef(class))) = checker.parent() else {
        return;
    };
    // A class that defines or assigns `__bool__` (`__bool__ = __nonzero__`) already works on both.
    let has_bool = class.body.iter().any(|s| {
        matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == "__bool__")
            || matches!(s, Stmt::AsyncFunctionDef(f) if f.name.as_str() == "__bool__")
            || matches!(s, Stmt::Assign(a) if a.targets.iter().any(|t|
                matches!(t, Expr::Name(n) if n.id.as_str() == "__bool__")))
    });
    if has_bool {
        return;
    }
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
        .and_then(|s| s.find("__nonzero__"))
        .map(|at| {
            let start = from + at;
            let mut edits = vec![Edit::replace(
                start,
                start + "__nonzero__".len(),
                "__bool__",
            )];
            edits.extend(class_body_uses(&class.body, def));
            if checker.six() {
                // Python 2 still asks for `__nonzero__`.
                edits.push(crate::fixers::six::line_after(
                    text,
                    def.range.start().to_usize(),
                    def.range.end().to_usize(),
                    "__nonzero__ = __bool__",
                ));
            }
            Fix::safe(edits)
        });
    checker.report(
        &NONZERO_METHOD,
        stmt,
        "Python 3 calls `__bool__`, not `__nonzero__`",
        fix,
    );
}

/// Renames of the reads of `__nonzero__` in the class body's own statements after the method
/// (`is_true = __nonzero__`): there the name is the method, renamed too. Reads inside methods
/// are global lookups and stay.
fn class_body_uses(body: &[Stmt], def: &rustpython_ast::StmtFunctionDef) -> Vec<Edit> {
    let mut edits = Vec::new();
    let after = body
        .iter()
        .skip_while(|s| !matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, def)))
        .skip(1)
        .filter(|s| {
            !matches!(
                s,
                Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
            )
        });
    for stmt in after {
        for entry in flatten(std::slice::from_ref(stmt), |_, _| {}) {
            if let NodeRef::Expr(Expr::Name(n)) = entry.node {
                if n.id.as_str() == "__nonzero__" && matches!(n.ctx, ExprContext::Load) {
                    let r = n.range();
                    edits.push(Edit::replace_range(r, "__bool__"));
                }
            }
        }
    }
    edits
}
