use rustpython_ast::{ExceptHandler, Expr, ExprContext};

use super::util::{enclosing_scope, in_python2_branch};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports indexing or slicing of an exception bound by `except ... as e:` (`e[0]`,
    /// `e[1:]`) inside that handler.
    ///
    /// ## Why
    /// Python 2 exceptions were sequences of their `args`; Python 3 exceptions are not, and
    /// `e[0]` raises `TypeError` inside the error handling, hiding the original error. Whether
    /// `e.args[0]`, `e.errno` or `e.filename` was meant depends on the exception class.
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     os.remove(path)
    /// except OSError as e:
    ///     if e[0] != errno.ENOENT:
    ///         raise
    /// ```
    /// Use instead: `e.args[0]`, or better `e.errno`.
    pub INDEXING_EXCEPTION = FixerSpec {
        code: "PY809",
        name: "indexing-exception",
        summary: "exceptions are not sequences in Python 3: e[0] -> e.args[0] (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::SUBSCRIPT, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Subscript(sub) = expr else { return };
    let Expr::Name(name) = sub.value.as_ref() else {
        return;
    };
    if !matches!(sub.ctx, ExprContext::Load) {
        return;
    }
    let id = name.id.as_str();
    // The nearest enclosing handler (within the same function) must bind this name, and the
    // name must not be rebound elsewhere in the module.
    let bound_by_handler = checker
        .ancestors()
        .take_while(|n| {
            !matches!(
                n,
                NodeRef::Stmt(
                    rustpython_ast::Stmt::FunctionDef(_)
                        | rustpython_ast::Stmt::AsyncFunctionDef(_)
                        | rustpython_ast::Stmt::ClassDef(_)
                ) | NodeRef::Expr(Expr::Lambda(_))
            )
        })
        .any(|n| {
            matches!(n, NodeRef::ExceptHandler(ExceptHandler::ExceptHandler(h))
                if h.name.as_ref().is_some_and(|b| b.as_str() == id))
        });
    if !bound_by_handler || in_python2_branch(checker, expr) {
        return;
    }
    // `e = ...` elsewhere in the scope may make `e` a sequence: leave it alone.
    if bound_otherwise(checker, id) {
        return;
    }
    let message = format!("exceptions are not sequences in Python 3: use `{id}.args[...]`");
    checker.report(&INDEXING_EXCEPTION, expr, message, None);
}

/// Whether `id` is a parameter of, or bound by anything but an `except` handler in, the scope
/// of the node being visited.
fn bound_otherwise(checker: &Checker, id: &str) -> bool {
    let Some((body, params)) = enclosing_scope(checker) else {
        return true;
    };
    params.contains(&id)
        || checker
            .names_in_scope(body)
            .iter()
            .any(|s| s.name == id && s.store && !s.handler)
}
