use rustpython_ast::Stmt;

use super::{is_first_statement, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::Fix;
use crate::fixers::FixerKind;
use crate::tokens::{self, TokenKind};

declare_fixer! {
    /// ## What it does
    /// Under `--target six` only: adds the `from __future__` imports Python 2 needs for the
    /// converted code to mean what it means on Python 3, in one line after the docstring (and
    /// the `__future__` imports already there): `print_function` when the module calls
    /// `print`, `division` when it divides with `/`, `absolute_import` when it imports. When the
    /// module has `from __future__` imports already, the features are appended to the last one.
    ///
    /// ## Why
    /// Without them Python 2 reads `print("a", "b")` as printing a tuple, `7 / 2` as `3`, and
    /// `import json` as a sibling `json.py` first.
    ///
    /// ## Example
    /// ```python
    /// import os
    /// print("a", os.sep)
    /// ```
    /// becomes, with `--target six`
    /// ```python
    /// from __future__ import absolute_import, print_function
    /// import os
    /// print("a", os.sep)
    /// ```
    ///
    /// ## Limits
    /// `unicode_literals` is never added: it changes the type of every literal of the file.
    /// Under the `py3` target this fixer does nothing (`future-imports` removes the lines).
    pub SIX_FUTURE_IMPORTS = FixerSpec {
        code: "PY501",
        name: "six-future-imports",
        summary: "--target six: from __future__ import print_function, division, absolute_import where needed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    if !checker.six() || !is_first_statement(checker, stmt) {
        return;
    }
    let semantic = checker.semantic();
    if semantic.name_use("six").loads > 0 && !semantic.is_bound("six") {
        // A token fixer wrote `six.reraise(...)`: the file needs the module.
        let fix = checker
            .importer()
            .line("import six")
            .map(|e| Fix::safe(vec![e]));
        checker.report(
            &SIX_FUTURE_IMPORTS,
            stmt,
            "`six` is used but not imported",
            fix,
        );
    }
    let missing = needed_features(checker);
    if missing.is_empty() {
        return;
    }
    let line = format!("from __future__ import {}", missing.join(", "));
    let fix = checker
        .importer()
        .future_features(&missing)
        .map(|e| Fix::safe(vec![e]));
    let message = format!("Python 2 needs `{line}` to run this code as Python 3 does");
    checker.report(&SIX_FUTURE_IMPORTS, stmt, message, fix);
}

/// The features the module uses and does not import yet, in a fixed order.
fn needed_features(checker: &Checker) -> Vec<&'static str> {
    let semantic = checker.semantic();
    let text = checker.text;
    let (mut print, mut division) = (false, false);
    let tokens = tokens::tokenize(text);
    let mut previous_dot = false;
    for t in &tokens {
        if t.is_trivia() {
            continue;
        }
        let s = t.text(text);
        match t.kind {
            TokenKind::Name if s == "print" && !previous_dot => print = true,
            TokenKind::Op if s == "/" || s == "/=" => division = true,
            _ => {}
        }
        previous_dot = t.kind == TokenKind::Op && s == ".";
    }
    let imports = semantic
        .imports()
        .iter()
        .any(|i| i.level == 0 && i.from != Some("__future__") && i.name != "__future__");
    let mut missing = Vec::new();
    for (feature, used) in [
        ("absolute_import", imports),
        ("division", division),
        ("print_function", print),
    ] {
        if used && !semantic.has_future(feature) {
            missing.push(feature);
        }
    }
    missing
}
