use rustpython_ast::Stmt;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports `from module import *` inside a function or class body (pylint's
    /// `import-star-module-level`).
    ///
    /// ## Why
    /// Python 3 rejects it with `SyntaxError: import * only allowed at module level`, but its
    /// grammar accepts it, so the parser this tool uses does too. The names it brings in are
    /// unknown to the tool, so it cannot write the explicit import list.
    ///
    /// ## Example
    /// ```python
    /// def plot():
    ///     from pylab import *
    /// ```
    /// Use instead: `from pylab import figure, show` (the names used), or `import pylab`.
    pub IMPORT_STAR_IN_FUNCTION = FixerSpec {
        code: "PY808",
        name: "import-star-in-function",
        summary: "from x import * inside a function is a SyntaxError in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ImportFrom(import) = stmt else {
        return;
    };
    if !import.names.iter().any(|a| a.name.as_str() == "*") {
        return;
    }
    let in_function = checker.ancestors().any(|n| {
        matches!(
            n,
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
        )
    });
    if in_function {
        let message = "`import *` is only allowed at module level in Python 3 (SyntaxError)";
        checker.report(&IMPORT_STAR_IN_FUNCTION, stmt, message, None);
    }
}
