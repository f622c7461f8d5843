use rustpython_ast::{Expr, ExprContext};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{attribute_name_start, has_no_arguments, receiver_text};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Turns `it.next()` into `next(it)`, or into `it.__next__()` when the module binds a
    /// name `next` of its own. A bound method `it.next` that is not called is reported.
    ///
    /// ## Why
    /// Python 3 iterators have `__next__`, not `next`; the builtin `next()` calls it.
    ///
    /// ## Example
    /// ```python
    /// line = reader.next()
    /// ```
    /// becomes
    /// ```python
    /// line = next(reader)
    /// ```
    ///
    /// ## Limits
    /// The object is assumed to be an iterator (or a class whose `def next(self)` the
    /// `next-method-def` fixer renames). `it.next` without a call is only reported: it may be
    /// a plain attribute (a linked list's `node.next`); it becomes `it.__next__` only when
    /// `it` is certainly an iterator: `iter(x).next`, `enumerate(x).next`,
    /// `reversed(x).next`, `(gen expr).next`.
    pub NEXT_METHOD_CALL = FixerSpec {
        code: "PY108",
        name: "next-method-call",
        summary: "it.next() -> next(it)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL | expr_kinds::ATTRIBUTE, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    match expr {
        Expr::Call(call) => {
            let Expr::Attribute(attr) = call.func.as_ref() else {
                return;
            };
            if attr.attr.as_str() != "next" || !has_no_arguments(call) {
                return;
            }
            let text = checker.text;
            let r = call.range;
            let fix = if checker.six() && !checker.is_builtin("next") {
                // `six.next` is the builtin on both versions (Python 2 has no `__next__`).
                receiver_text(text, attr).and_then(|receiver| {
                    let mut edits = Vec::new();
                    let function = crate::fixers::six::six_attr(checker, "next", &mut edits)?;
                    edits.push(Edit::replace_range(r, format!("{function}({receiver})")));
                    Some(Fix::safe(edits))
                })
            } else if checker.is_builtin("next") {
                receiver_text(text, attr).map(|receiver| {
                    let replacement = format!("next({receiver})");
                    Fix::safe(vec![Edit::replace_range(r, replacement)])
                })
            } else {
                attribute_name_start(attr).map(|start| {
                    Fix::safe(vec![Edit::replace(
                        start,
                        attr.range.end().to_usize(),
                        "__next__",
                    )])
                })
            };
            let message = "`.next()` is gone in Python 3: use `next(it)`";
            checker.report(&NEXT_METHOD_CALL, expr, message, fix);
        }
        Expr::Attribute(attr) => {
            if attr.attr.as_str() != "next" || !matches!(attr.ctx, ExprContext::Load) {
                return;
            }
            let called = matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c)))
                if std::ptr::eq(c.func.as_ref(), expr));
            if called || checker.semantic().name_use("next").attribute_stores > 0 {
                return;
            }
            let message =
                "iterators have no `.next` method in Python 3: if this is one, use `.__next__`";
            // `iter(x).next`: certainly an iterator's bound method.
            if checker.six() {
                // Python 2 has no `__next__`: `functools.partial(next, it)` calls on both.
                let mut edits = Vec::new();
                let fix = (is_iterator(checker, &attr.value) && checker.is_builtin("next"))
                    .then(|| receiver_text(text_of(checker), attr))
                    .flatten()
                    .filter(|_| checker.importer().push_module("functools", &mut edits))
                    .map(|receiver| {
                        edits.push(Edit::replace_range(
                            attr.range,
                            format!("functools.partial(next, {receiver})"),
                        ));
                        Fix::safe(edits)
                    });
                checker.report(&NEXT_METHOD_CALL, expr, message, fix);
                return;
            }
            let fix = is_iterator(checker, &attr.value)
                .then(|| attribute_name_start(attr))
                .flatten()
                .map(|start| {
                    Fix::safe(vec![Edit::replace(
                        start,
                        attr.range.end().to_usize(),
                        "__next__",
                    )])
                });
            checker.report(&NEXT_METHOD_CALL, expr, message, fix);
        }
        _ => {}
    }
}

/// Whether `expr` is certainly an iterator: a call of the builtin `iter`, `enumerate` or
/// `reversed`, or a generator expression.
fn is_iterator(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::GeneratorExp(_) => true,
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Name(n)
            if matches!(n.id.as_str(), "iter" | "enumerate" | "reversed")
                && checker.is_builtin(n.id.as_str())),
        _ => false,
    }
}

fn text_of<'a>(checker: &Checker<'a>) -> &'a str {
    checker.text
}
