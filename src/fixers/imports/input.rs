use rustpython_ast::Expr;

use super::util::builtin_call;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Applicability;
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_input`: `input(...)` becomes `eval(input(...))`, which is what Python 2's
    /// `input` did. Off by default and unsafe: on code already migrated (or after
    /// `raw-input` turned `raw_input()` into `input()`) it would wrap a correct call. When
    /// `raw-input` runs in the same pass, it only reports.
    ///
    /// ## Why
    /// Python 2's `input` evaluated what the user typed; Python 3's returns the text.
    ///
    /// ## Example
    /// ```python
    /// n = input("n? ")
    /// ```
    /// becomes
    /// ```python
    /// n = eval(input("n? "))
    /// ```
    pub INPUT = FixerSpec {
        code: "PY212",
        name: "input",
        summary: "input(...) -> eval(input(...)) (2to3 fix_input, unsafe)",
        groups: &["2to3", "imports"],
        applicability: Applicability::Unsafe,
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if builtin_call(checker, expr, "input", 0, 1).is_none() {
        return;
    }
    let in_eval = matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(outer)))
        if matches!(outer.func.as_ref(), Expr::Name(n) if n.id.as_str() == "eval"));
    if in_eval || !checker.is_builtin("eval") {
        return;
    }
    if checker.six() {
        // `eval(six.moves.input(...))`: Python 2's `input` read and evaluated the line.
        let Expr::Call(call) = expr else { return };
        let fix = crate::fixers::six::six_replacement(checker, call.func.as_ref(), "moves.input")
            .map(|mut edits| {
                let r = rustpython_ast::Ranged::range(expr);
                edits.push(Edit::insert(r.start().to_usize(), "eval("));
                edits.push(Edit::insert(r.end().to_usize(), ")"));
                Fix::new(edits)
            });
        let message = "Python 2's `input` evaluated the text: `eval(six.moves.input(...))` on both";
        checker.report(&INPUT, expr, message, fix);
        return;
    }
    let fix = (!checker.is_enabled(super::raw_input::RAW_INPUT.code)).then(|| {
        let r = rustpython_ast::Ranged::range(expr);
        Fix::new(vec![
            Edit::insert(r.start().to_usize(), "eval("),
            Edit::insert(r.end().to_usize(), ")"),
        ])
    });
    let message = "Python 2's `input` evaluated the text: `eval(input(...))` in Python 3";
    checker.report(&INPUT, expr, message, fix);
}
