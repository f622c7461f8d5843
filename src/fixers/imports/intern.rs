use rustpython_ast::Expr;

#[allow(unused_imports)]
use super::util::{builtin_call, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Edit;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_intern`: `intern(x)` becomes `sys.intern(x)`, and `import sys` is added.
    ///
    /// ## Why
    /// Python 3 moved the builtin `intern` to `sys`.
    ///
    /// ## Example
    /// ```python
    /// key = intern(name)
    /// ```
    /// becomes
    /// ```python
    /// key = sys.intern(name)
    /// ```
    pub INTERN = FixerSpec {
        code: "PY208",
        name: "intern",
        summary: "intern(x) -> sys.intern(x) (2to3 fix_intern)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

/// Shared by `intern` and `reload`: `name(x)` -> `module.name(x)` plus `import module`.
pub fn moved_builtin(
    expr: &Expr,
    checker: &mut Checker,
    name: &str,
    module: &str,
    spec: &crate::fixers::FixerSpec,
) {
    let Some(call) = builtin_call(checker, expr, name, 1, 1) else {
        return;
    };
    if checker.six() {
        let attr = if name == "reload" {
            "moves.reload_module"
        } else {
            "moves.intern"
        };
        let fix =
            crate::fixers::six::six_replacement(checker, call.func.as_ref(), attr).map(Fix::safe);
        let message =
            format!("`{name}` is `{module}.{name}` in Python 3: `six.{attr}` runs on both");
        checker.report(spec, expr, message, fix);
        return;
    }
    let fix = module_name_is_free(checker, module)
        .then(|| checker.importer().module_edits(module))
        .flatten()
        .map(|mut edits| {
            edits.push(Edit::replace_node(
                call.func.as_ref(),
                format!("{module}.{name}"),
            ));
            Fix::safe(edits)
        });
    let message = format!("`{name}` is `{module}.{name}` in Python 3");
    checker.report(spec, expr, message, fix);
}

fn check(expr: &Expr, checker: &mut Checker) {
    moved_builtin(expr, checker, "intern", "sys", &INTERN);
}
