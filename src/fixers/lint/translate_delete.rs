use rustpython_ast::{Constant, Expr};

use super::util::in_python2_branch;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports `s.translate(None, chars)`: Python 2's way of deleting characters from a `str`.
    ///
    /// ## Why
    /// Python 3's `str.translate` takes one argument, a mapping: `s.translate(None, 'abc')`
    /// raises `TypeError`. The two-argument form still works on `bytes`, so whether it breaks
    /// depends on what `s` is at run time: a report, not a fix (pylint's
    /// `deprecated-str-translate-call`).
    ///
    /// ## Example
    /// ```python
    /// digits = phone.translate(None, '-() ')
    /// ```
    /// Use instead (text):
    /// ```python
    /// digits = phone.translate({ord(c): None for c in '-() '})
    /// ```
    pub TRANSLATE_DELETE = FixerSpec {
        code: "PY819",
        name: "str-translate-delete",
        summary: "s.translate(None, chars) is a TypeError on Python 3 str (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    let none_first =
        matches!(call.args.first(), Some(Expr::Constant(c)) if matches!(c.value, Constant::None));
    if attr.attr.as_str() != "translate" || call.args.len() != 2 || !none_first {
        return;
    }
    // A bytes literal receiver keeps working in Python 3.
    if matches!(attr.value.as_ref(), Expr::Constant(c) if matches!(c.value, Constant::Bytes(_))) {
        return;
    }
    if in_python2_branch(checker, expr) {
        return;
    }
    let message = "`str.translate(None, chars)` is a TypeError in Python 3 (bytes still accept it): use `s.translate({ord(c): None for c in chars})` for text";
    checker.report(&TRANSLATE_DELETE, expr, message, None);
}
