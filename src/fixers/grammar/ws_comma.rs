//! PY014 ws-comma: `a ,b` -> `a, b` (2to3's optional `fix_ws_comma`).

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Removes the space before a comma and leaves exactly one space after it, in code (not in
    /// strings or comments): `f(a ,b)` -> `f(a, b)`. A comma at the end of a line, before a
    /// closing bracket (`(1,)`) or before a comment keeps what follows it. 2to3's optional
    /// `fix_ws_comma`, off by default here too and in the group `2to3-optional`, not `2to3`
    /// (2to3's also spaces dict colons; this one does commas only).
    ///
    /// ## Why
    /// Style only (PEP 8); useful to make a converted tree read like its 2to3 twin.
    ///
    /// ## Example
    /// ```python
    /// point = (x ,y)
    /// ```
    /// becomes
    /// ```python
    /// point = (x, y)
    /// ```
    pub WS_COMMA = FixerSpec {
        code: "PY014",
        name: "ws-comma",
        summary: "a ,b -> a, b (2to3 fix_ws_comma, opt-in)",
        groups: &["2to3-optional", "grammar"],
        default_on: false,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let tokens = cx.tokens;
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Op || t.text(cx.text) != "," {
            continue;
        }
        let mut edits = Vec::new();
        // Space before the comma, unless the comma starts its line (a continuation line).
        if let (Some(before), Some(i1)) = (i.checked_sub(1).map(|j| tokens[j]), i.checked_sub(2)) {
            let line_start = matches!(
                tokens[i1].kind,
                TokenKind::Newline | TokenKind::Nl | TokenKind::Continuation
            ) || (tokens[i1].kind == TokenKind::Op
                && matches!(tokens[i1].text(cx.text), "," | "(" | "[" | "{"));
            if before.kind == TokenKind::Whitespace && !line_start {
                edits.push(Edit::delete(before.start(), before.end()));
            }
        }
        let next = tokens.get(i + 1);
        let after = tokens.get(i + 2);
        let keeps = |k: Option<&crate::tokens::Token>| {
            k.is_none_or(|t| {
                matches!(
                    t.kind,
                    TokenKind::Newline
                        | TokenKind::Nl
                        | TokenKind::Comment
                        | TokenKind::Continuation
                ) || (t.kind == TokenKind::Op && matches!(t.text(cx.text), ")" | "]" | "}" | ","))
            })
        };
        let space_after = next.is_some_and(|n| n.kind == TokenKind::Whitespace);
        if space_after {
            let wide = next.is_some_and(|n| n.text(cx.text) != " ");
            if wide && !keeps(after) {
                if let Some(n) = next {
                    edits.push(Edit::replace(n.start(), n.end(), " "));
                }
            }
        } else if !keeps(next) {
            edits.push(Edit::insert(t.end(), " "));
        }
        if !edits.is_empty() {
            out.push(finding(
                &WS_COMMA,
                "one space after a comma, none before",
                t.start()..t.end(),
                Some(edits),
            ));
        }
    }
}
