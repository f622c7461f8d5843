use rustpython_ast::Expr;

#[allow(unused_imports)]
use super::util::{builtin_call, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_reload`: `reload(m)` becomes `importlib.reload(m)`, and `import importlib` is added.
    ///
    /// ## Why
    /// Python 3 has no builtin `reload`.
    ///
    /// ## Example
    /// ```python
    /// reload(settings)
    /// ```
    /// becomes
    /// ```python
    /// importlib.reload(settings)
    /// ```
    pub RELOAD = FixerSpec {
        code: "PY209",
        name: "reload",
        summary: "reload(m) -> importlib.reload(m) (2to3 fix_reload)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    super::intern::moved_builtin(expr, checker, "reload", "importlib", &RELOAD);
}
