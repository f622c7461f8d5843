use rustpython_ast::Stmt;

use super::util::{module_attribute, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::Edit;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_exitfunc`: `sys.exitfunc = f` becomes `atexit.register(f)`, and
    /// `import atexit` is added.
    ///
    /// ## Why
    /// Python 3 no longer calls `sys.exitfunc`: the handler would silently never run.
    ///
    /// ## Example
    /// ```python
    /// sys.exitfunc = cleanup
    /// ```
    /// becomes
    /// ```python
    /// import atexit
    /// atexit.register(cleanup)
    /// ```
    pub EXITFUNC = FixerSpec {
        code: "PY206",
        name: "exitfunc",
        summary: "sys.exitfunc = f -> atexit.register(f) (2to3 fix_exitfunc)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::Assign(assign) = stmt else { return };
    let [target] = assign.targets.as_slice() else {
        return;
    };
    if module_attribute(checker, target, "sys") != Some("exitfunc") {
        return;
    }
    let fix = module_name_is_free(checker, "atexit")
        .then(|| checker.importer().module_edits("atexit"))
        .flatten()
        .map(|mut edits| {
            let value = checker.source(assign.value.as_ref());
            edits.push(Edit::replace_node(
                stmt,
                format!("atexit.register({value})"),
            ));
            Fix::safe(edits)
        });
    let message = "Python 3 does not call `sys.exitfunc`: use `atexit.register`";
    checker.report(&EXITFUNC, stmt, message, fix);
}
