use rustpython_ast::{Expr, ExprContext};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
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
    let Expr::Name(name) = expr else { return };
    if name.id.as_str() != "xrange" || !matches!(name.ctx, ExprContext::Load) {
        return;
    }
    if !checker.is_builtin("xrange") {
        return;
    }
    if checker.six() {
        let fix = crate::fixers::six::six_replacement(checker, expr, "moves.range").map(Fix::safe);
        let message = "`xrange` is `range` in Python 3: `six.moves.range` runs on both";
        checker.report(&XRANGE, expr, message, fix);
        return;
    }
    // Where `range` is rebound (`range = lambda *a: [7]` in a function), `builtins.range`.
    let Some((range, mut edits)) = crate::fixers::util::builtin_reference(checker, "range") else {
        return;
    };
    let r = name.range;
    edits.push(Edit::replace_range(r, range));
    let fix = Fix::safe(edits);
    checker.report(&XRANGE, expr, "`xrange` is `range` in Python 3", Some(fix));
}
