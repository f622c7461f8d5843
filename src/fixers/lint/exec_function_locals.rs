use rustpython_ast::{Expr, Stmt};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::util::called_name;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports `exec` inside a function when it is given no namespace (`exec "y = 2"` or
    /// `exec(code)` with one argument).
    ///
    /// ## Why
    /// Python 2 compiled a function containing a bare `exec` without fast locals, so the executed
    /// code could create or rebind the function's local variables. Python 3's `exec()` works on a
    /// snapshot of `locals()`: `exec("y = 2"); return y` raises `NameError`, and
    /// `x = 1; exec("x = 2"); return x` returns 1.
    ///
    /// ## Example
    /// ```python
    /// def compute():
    ///     exec "y = 21 * 2"
    ///     return y
    /// ```
    /// Use instead:
    /// ```python
    /// def compute():
    ///     namespace = {}
    ///     exec("y = 21 * 2", globals(), namespace)
    ///     return namespace["y"]
    /// ```
    ///
    /// ## Limits
    /// Report only: which names the code binds is only known when it runs.
    pub EXEC_FUNCTION_LOCALS = FixerSpec {
        code: "PY821",
        name: "exec-function-locals",
        summary: "exec without a namespace inside a function cannot change its locals in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| s.mentions("exec")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if called_name(call) != Some("exec")
        || !checker.is_builtin("exec")
        || call.args.len() != 1
        || !call.keywords.is_empty()
    {
        return;
    }
    let in_function = checker.ancestors().any(|n| {
        matches!(
            n,
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))
        )
    });
    if in_function {
        checker.report(
            &EXEC_FUNCTION_LOCALS,
            expr,
            "`exec` cannot create or change the function's local variables in Python 3: give it a namespace dict and read the names from it",
            None,
        );
    }
}
