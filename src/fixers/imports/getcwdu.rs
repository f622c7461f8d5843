use rustpython_ast::Expr;

use super::util::{attribute_name_edit, module_attribute};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_getcwdu`: `os.getcwdu` becomes `os.getcwd`.
    ///
    /// ## Why
    /// Python 3's `os.getcwd` returns text; `os.getcwdu` is gone.
    ///
    /// ## Example
    /// ```python
    /// here = os.getcwdu()
    /// ```
    /// becomes
    /// ```python
    /// here = os.getcwd()
    /// ```
    pub GETCWDU = FixerSpec {
        code: "PY207",
        name: "getcwdu",
        summary: "os.getcwdu -> os.getcwd (2to3 fix_getcwdu)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| s.mentions_attribute("getcwdu")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    if module_attribute(checker, expr, "os") != Some("getcwdu") {
        return;
    }
    if checker.six() {
        let fix = crate::fixers::six::six_replacement(checker, expr, "moves.getcwd").map(Fix::safe);
        let message = "`os.getcwdu` is `os.getcwd` in Python 3: `six.moves.getcwd` runs on both";
        checker.report(&GETCWDU, expr, message, fix);
        return;
    }
    let fix = attribute_name_edit(checker.text, attr, "getcwd").map(|e| Fix::safe(vec![e]));
    checker.report(
        &GETCWDU,
        expr,
        "`os.getcwdu` is `os.getcwd` in Python 3",
        fix,
    );
}
