use rustpython_ast::Expr;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::util::{rename_builtin, BuiltinRename};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames `xrange` to `range`.
    ///
    /// ## Why
    /// Python 3 has no `xrange`; its `range` is the lazy sequence `xrange` was.
    ///
    /// ## Example
    /// ```python
    /// for i in xrange(10):
    ///     pass
    /// ```
    /// becomes
    /// ```python
    /// for i in range(10):
    ///     pass
    /// ```
    ///
    /// ## Limits
    /// Skipped when `xrange` is bound where it is read (say, a compatibility shim
    /// `xrange = range`). Where `range` is rebound, the builtin is reached as
    /// `builtins.range`.
    pub XRANGE = FixerSpec {
        code: "PY106",
        name: "xrange",
        summary: "xrange -> range",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("xrange")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    // Where `range` is rebound (`range = lambda *a: [7]` in a function), `builtins.range`.
    let rename = BuiltinRename {
        spec: &XRANGE,
        old: "xrange",
        new: "range",
        six: Some("moves.range"),
    };
    rename_builtin(checker, expr, &rename);
}
