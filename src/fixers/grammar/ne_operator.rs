//! PY006 ne-operator: `a <> b` -> `a != b`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 inequality operator `<>` as `!=`.
    ///
    /// ## Why
    /// `<>` is a syntax error in Python 3.
    ///
    /// ## Example
    /// ```python
    /// if a <> b: pass
    /// ```
    /// becomes
    /// ```python
    /// if a != b: pass
    /// ```
    pub NE_OPERATOR = FixerSpec {
        code: "PY006",
        name: "ne-operator",
        summary: "<> -> !=",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    // Most files have no `<>` anywhere: no need to look at tokens.
    if memchr::memmem::find(cx.text.as_bytes(), b"<>").is_none() {
        return;
    }
    for t in cx.tokens {
        if t.kind == TokenKind::Op && t.text(cx.text) == "<>" {
            out.push(finding(
                &NE_OPERATOR,
                "`<>`: use `!=`",
                t.start()..t.end(),
                Some(vec![Edit::replace(t.start(), t.end(), "!=")]),
            ));
        }
    }
}
