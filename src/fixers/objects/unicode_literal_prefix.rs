use rustpython_ast::{Constant, Expr};

use super::util::constant_pieces;
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Removes the `u` prefix of string literals: `u'text'` -> `'text'`. In the other
    /// (non-raw) string literals of a module without `from __future__ import
    /// unicode_literals` that still has `u'...'` literals, it doubles the backslash of `\u` and
    /// `\U`, as 2to3 does (only then are they byte strings: a module without any `u` prefix may
    /// be Python 3 already, or this fixer's own output).
    ///
    /// ## Why
    /// Every Python 3 string is text, so the prefix says nothing any more. In a Python 2
    /// byte string `'\u00e9'` is six characters, a backslash and `u00e9`: Python 3 would read
    /// the escape as `é`, so the backslash must be escaped to keep the text.
    ///
    /// ## Example
    /// ```python
    /// name = u'caf\xe9'
    /// pattern = '\u'
    /// ```
    /// becomes
    /// ```python
    /// name = 'caf\xe9'
    /// pattern = '\\u'
    /// ```
    ///
    /// ## Limits
    /// f-strings are not touched (a `u` prefix cannot be combined with `f`). Does nothing
    /// under `--target six`: Python 3.3+ reads `u'...'` too, and Python 2 needs it for text.
    pub UNICODE_LITERAL_PREFIX = FixerSpec {
        code: "PY303",
        name: "unicode-literal-prefix",
        summary: "u'...' -> '...' (and '\\u' -> '\\\\u' in byte strings)",
        groups: PARITY,
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CONSTANT, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if checker.six() {
        // `u'...'` is text on both versions; without it Python 2 would read bytes.
        return;
    }
    let Expr::Constant(constant) = expr else {
        return;
    };
    if !matches!(constant.value, Constant::Str(_)) {
        return;
    }
    let text = checker.text;
    let Some(pieces) = constant_pieces(text, expr) else {
        return;
    };
    // Plain literals are Python 2 byte strings only while the module still marks its text
    // literals with `u`: once the prefixes are gone (a later round, a second run, Python 3 code)
    // a plain `'\u00e9'` is text and must not be escaped again.
    let byte_strings =
        !checker.semantic().has_future("unicode_literals") && checker.semantic().has_u_literals();
    let mut prefix_edits = Vec::new();
    let mut escape_edits = Vec::new();
    for piece in &pieces {
        let prefix = piece.prefix(text);
        if prefix.contains('u') {
            // `u'...'` (the grammar family already turned `ur''` into `r''`).
            if let Some(offset) = prefix.find('u') {
                let at = piece.start + offset;
                prefix_edits.push(Edit::delete(at, at + 1));
            }
        } else if prefix.is_empty() && byte_strings {
            escape_edits.extend(unicode_escape_edits(
                text,
                piece.quote + piece.quote_len,
                piece.body(text),
            ));
        }
    }
    if !prefix_edits.is_empty() {
        let fix = Fix::safe(prefix_edits);
        checker.report(
            &UNICODE_LITERAL_PREFIX,
            expr,
            "the `u` prefix is redundant in Python 3",
            Some(fix),
        );
    }
    if !escape_edits.is_empty() {
        let fix = Fix::safe(escape_edits);
        checker.report(
            &UNICODE_LITERAL_PREFIX,
            expr,
            "`\\u` in a Python 2 byte string is a backslash and a `u`: escape the backslash",
            Some(fix),
        );
    }
}

/// Edits that double the backslash of each `\u` / `\U` in `body` (starting at `offset`).
fn unicode_escape_edits(_text: &str, offset: usize, body: &str) -> Vec<Edit> {
    let bytes = body.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'\\') {
            if matches!(bytes.get(i + 1), Some(b'u' | b'U')) {
                edits.push(Edit::insert(offset + i, "\\"));
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    edits
}
