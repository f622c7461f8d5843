use rustpython_ast::Expr;

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::in_isinstance_tuple;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Replaces the builtin `basestring` with `str`.
    ///
    /// ## Why
    /// Python 3 has no `basestring`: all text is `str`.
    ///
    /// ## Example
    /// ```python
    /// if isinstance(x, basestring):
    ///     pass
    /// ```
    /// becomes
    /// ```python
    /// if isinstance(x, str):
    ///     pass
    /// ```
    ///
    /// ## Limits
    /// Skipped when `basestring` or `str` is bound in the module (a compatibility shim such
    /// as `basestring = str`). `isinstance(x, (basestring, str))` becomes
    /// `isinstance(x, (str, str))`, which `isinstance-duplicates` then cleans up.
    pub BASESTRING = FixerSpec {
        code: "PY301",
        name: "basestring",
        summary: "basestring -> str",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("basestring")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if !checker.reads_builtin(expr, "basestring") || !checker.is_builtin("str") {
        return;
    }
    let Expr::Name(name) = expr else { return };
    if checker.six() {
        let fix = crate::fixers::six::six_replacement(checker, expr, "string_types").map(Fix::safe);
        let message = "`basestring` does not exist in Python 3: `six.string_types` runs on both";
        checker.report(&BASESTRING, expr, message, fix);
        return;
    }
    let r = name.range;
    let fix =
        Fix::safe(vec![Edit::replace_range(r, "str")]).cascading(in_isinstance_tuple(checker));
    checker.report(
        &BASESTRING,
        expr,
        "`basestring` is `str` in Python 3",
        Some(fix),
    );
}
