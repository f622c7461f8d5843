use rustpython_ast::{Expr, ExprContext, Ranged};

use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites calls of the Python 2 builtin `file(...)` as `open(...)`.
    ///
    /// ## Why
    /// Python 3 has no `file` builtin: the call raises `NameError`.
    ///
    /// ## Example
    /// ```python
    /// data = file(path, "rb").read()
    /// ```
    /// becomes
    /// ```python
    /// data = open(path, "rb").read()
    /// ```
    ///
    /// ## Limits
    /// Only calls are rewritten (`isinstance(x, file)` is left alone), and only when neither
    /// `file` nor `open` is bound anywhere in the module.
    pub FILE_BUILTIN = FixerSpec {
        code: "PY409",
        name: "file-builtin",
        summary: "file(...) -> open(...)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("file")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Name(name) = expr else { return };
    if name.id.as_str() != "file" || !matches!(name.ctx, ExprContext::Load) {
        return;
    }
    let is_called = matches!(checker.parent(),
        Some(NodeRef::Expr(Expr::Call(c))) if std::ptr::eq(c.func.as_ref(), expr));
    let semantic = checker.semantic();
    if !is_called || !semantic.is_builtin("file") || !semantic.is_builtin("open") {
        return;
    }
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        "open",
    )]);
    checker.report(
        &FILE_BUILTIN,
        expr,
        "`file()` is gone in Python 3: use `open()`",
        Some(fix),
    );
}
