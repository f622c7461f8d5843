//! PY005 backticks: `` `x` `` -> `repr(x)`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::statements::Code;
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites Python 2 backtick quotes `` `expr` `` as `repr(expr)` (`` `a, b` `` becomes
    /// `repr((a, b))`).
    ///
    /// ## Why
    /// Backticks are a syntax error in Python 3.
    ///
    /// ## Example
    /// ```python
    /// msg = "value: " + `value`
    /// ```
    /// becomes
    /// ```python
    /// msg = "value: " + repr(value)
    /// ```
    pub BACKTICKS = FixerSpec {
        code: "PY005",
        name: "backticks",
        summary: "`x` -> repr(x)",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    // Most files have no backtick at all, not even in a string: no need to look at tokens.
    if memchr::memchr(b'`', cx.text.as_bytes()).is_none() {
        return;
    }
    let code = &cx.code;
    // Open backticks: (significant index, bracket depth).
    let mut open: Vec<(usize, u32)> = Vec::new();
    for k in 0..code.sig.len() {
        if code.kind(k) == Some(TokenKind::Newline) {
            open.clear();
            continue;
        }
        if !code.is_op(k, "`") {
            continue;
        }
        let closes = match open.last() {
            Some(&(_, d)) => d == code.depth[k] && k > 0 && ends_operand(code, k - 1),
            None => false,
        };
        if !closes {
            open.push((k, code.depth[k]));
            continue;
        }
        let Some((o, _)) = open.pop() else { continue };
        let inner = o + 1..k;
        let tuple = code.split_commas(&inner).len() > 1;
        let (pre, post) = if tuple {
            ("repr((", "))")
        } else {
            ("repr(", ")")
        };
        out.push(finding(
            &BACKTICKS,
            "backticks: use repr()",
            code.start(o)..code.end(k),
            Some(vec![
                Edit::replace(code.start(o), code.end(o), pre),
                Edit::replace(code.start(k), code.end(k), post),
            ]),
        ));
    }
}

/// Significant token `k` can end an operand (so a backtick after it closes a quote).
fn ends_operand(code: &Code, k: usize) -> bool {
    match code.kind(k) {
        Some(TokenKind::Name) => !crate::tokens::statements::is_keyword(code.s(k)),
        Some(TokenKind::Number | TokenKind::String) => true,
        Some(TokenKind::Op) => matches!(code.s(k), ")" | "]" | "}" | "`"),
        _ => false,
    }
}
