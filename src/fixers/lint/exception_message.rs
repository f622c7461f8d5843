use rustpython_ast::{ExceptHandler, Expr, ExprContext};

use super::util::in_python2_branch;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports `e.message` where `e` is the exception caught by an enclosing
    /// `except ... as e:` (or `except ..., e:`) handler.
    ///
    /// ## Why
    /// `BaseException.message` was deprecated in Python 2.6 and is gone in Python 3: reading it
    /// raises `AttributeError`, often inside error handling where nothing catches it. The
    /// replacement depends on the exception: `str(e)` for the text, `e.args[0]` for the first
    /// argument, or the class's own attribute when it defines `message` itself (then ignore
    /// the finding with `# noqa: PY817`).
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     connect()
    /// except IOError as e:
    ///     log(e.message)
    /// ```
    /// Use instead: `log(str(e))`.
    pub EXCEPTION_MESSAGE = FixerSpec {
        code: "PY817",
        name: "exception-message-attribute",
        summary: "e.message does not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks {
            stmt: None,
            expr: Some(check),
            expr_kinds: expr_kinds::ATTRIBUTE,
            expr_relevant: None,
        }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    if attr.attr.as_str() != "message" || !matches!(attr.ctx, ExprContext::Load) {
        return;
    }
    let Expr::Name(name) = attr.value.as_ref() else {
        return;
    };
    let caught = checker.ancestors().any(|n| {
        matches!(n, NodeRef::ExceptHandler(ExceptHandler::ExceptHandler(h))
            if h.name.as_ref().is_some_and(|bound| bound.as_str() == name.id.as_str()))
    });
    if !caught || in_python2_branch(checker, expr) {
        return;
    }
    let message = format!(
        "`{0}.message` does not exist in Python 3: use `str({0})` or `{0}.args[0]`",
        name.id
    );
    checker.report(&EXCEPTION_MESSAGE, expr, message, None);
}
