use rustpython_ast::{Expr, Ranged, Stmt};

use crate::declare_fixer;
use crate::engine::checker::nodes::{flatten, NodeRef as Node};
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites `raise StopIteration` (or `raise StopIteration()`) in a generator function as
    /// `return`.
    ///
    /// ## Why
    /// Python 2 ended a generator that raised `StopIteration`. Since Python 3.7 (PEP 479) the
    /// exception becomes a `RuntimeError: generator raised StopIteration` instead.
    ///
    /// ## Example
    /// ```python
    /// def first_words(lines):
    ///     for line in lines:
    ///         if not line:
    ///             raise StopIteration
    ///         yield line.split()[0]
    /// ```
    /// becomes
    /// ```python
    /// def first_words(lines):
    ///     for line in lines:
    ///         if not line:
    ///             return
    ///         yield line.split()[0]
    /// ```
    ///
    /// ## Limits
    /// Left alone inside a `try` block of the generator that has handlers (one may catch the
    /// exception there), and with arguments other than none (`raise StopIteration(x)` is reported).
    pub GENERATOR_STOP = FixerSpec {
        code: "PY418",
        name: "generator-stop-iteration",
        summary: "raise StopIteration in a generator -> return (PEP 479)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::Raise(raise) = stmt else { return };
    if raise.cause.is_some() || !checker.is_builtin("StopIteration") {
        return;
    }
    let plain = match raise.exc.as_deref() {
        Some(Expr::Name(n)) => n.id.as_str() == "StopIteration",
        Some(Expr::Call(c)) => {
            matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "StopIteration")
                && c.args.is_empty()
                && c.keywords.is_empty()
        }
        _ => false,
    };
    if !plain {
        return;
    }
    // The enclosing function, with no `try` that has handlers in between.
    let mut child: &Stmt = stmt;
    let mut function = None;
    for node in checker.ancestors() {
        match node {
            NodeRef::Stmt(Stmt::FunctionDef(f)) => {
                function = Some(f.body.as_slice());
                break;
            }
            NodeRef::Stmt(Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)) => return,
            NodeRef::Stmt(s @ Stmt::Try(t)) => {
                if !t.handlers.is_empty() && t.body.iter().any(|b| std::ptr::eq(b, child)) {
                    return;
                }
                child = s;
            }
            NodeRef::Stmt(Stmt::TryStar(_)) => return,
            NodeRef::Stmt(s) => child = s,
            NodeRef::Expr(Expr::Lambda(_)) => return,
            _ => {}
        }
    }
    let Some(body) = function else { return };
    if !is_generator(body) {
        return;
    }
    let r = stmt.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, "return")]);
    checker.report(
        &GENERATOR_STOP,
        stmt,
        "`raise StopIteration` in a generator is a RuntimeError in Python 3.7+: use `return`",
        Some(fix),
    );
}

/// Whether a function with this body is a generator: a `yield` outside nested functions,
/// lambdas and classes.
fn is_generator(body: &[Stmt]) -> bool {
    let entries = flatten(body, |_, _| {});
    entries.iter().enumerate().any(|(i, e)| {
        if !matches!(e.node, Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_))) {
            return false;
        }
        let mut at = i;
        loop {
            let Some(parent) = entries.get(at).and_then(|e| usize::try_from(e.parent).ok()) else {
                return true;
            };
            let Some(p) = entries.get(parent) else {
                return true;
            };
            if matches!(
                p.node,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
                    | Node::Expr(Expr::Lambda(_))
            ) {
                return false;
            }
            at = parent;
        }
    })
}
