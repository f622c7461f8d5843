//! PY008 unicode-raw-strings: `ur'...'` -> `r'...'` (or a plain literal with the same value).

use super::finding;
use crate::engine::spec::Target;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites Python 2 raw unicode literals `ur'...'`. Python 2 still decoded `\uXXXX` and
    /// `\UXXXXXXXX` escapes in them: a literal without such an escape becomes `r'...'`; one with
    /// them becomes a plain literal with the same value (its other backslashes doubled).
    ///
    /// ## Why
    /// The `ur` prefix is a syntax error in Python 3.
    ///
    /// ## Example
    /// ```python
    /// pattern = ur'^\d+$'
    /// dash = ur'\u2014\s'
    /// ```
    /// becomes
    /// ```python
    /// pattern = r'^\d+$'
    /// dash = '\u2014\\s'
    /// ```
    ///
    /// Under `--target six`, always a `u` literal, its backslashes doubled but for the `\u`
    /// escapes: `ur'^\d+$'` -> `u'^\\d+$'` (a plain `r''` literal is bytes in Python 2).
    pub UNICODE_RAW_STRINGS = FixerSpec {
        code: "PY008",
        name: "unicode-raw-strings",
        summary: "ur'...' -> r'...'",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    for t in cx.tokens {
        if t.kind != TokenKind::String {
            continue;
        }
        let text = t.text(cx.text);
        let Some(prefix) = text.get(..2) else {
            continue;
        };
        if !prefix.eq_ignore_ascii_case("ur") {
            continue;
        }
        out.push(finding(
            &UNICODE_RAW_STRINGS,
            "`ur''` literal: Python 3 has no raw unicode prefix",
            t.start()..t.end(),
            Some(vec![Edit::replace(
                t.start(),
                t.end(),
                if cx.target == Target::Six {
                    two_version_literal(text)
                } else {
                    python3_literal(text)
                },
            )]),
        ));
    }
}

/// The Python 3 literal with the value of the Python 2 `ur` literal `text` (prefix included).
/// Any other text is returned unchanged.
pub fn python3_literal(text: &str) -> String {
    let (Some(prefix), Some(body)) = (text.get(..2), text.get(2..)) else {
        return text.to_string();
    };
    if !prefix.eq_ignore_ascii_case("ur") {
        return text.to_string();
    }
    let raw_prefix = &prefix[1..]; // `r` or `R`, kept as written
    let (quote_len, has_escape) = scan(body);
    if !has_escape {
        return format!("{raw_prefix}{body}");
    }
    match unraw_body(body, quote_len) {
        Some(body) => body,
        None => format!("{raw_prefix}{body}"),
    }
}

/// `--target six`: the literal with the value of the Python 2 `ur` literal `text` on both
/// versions, a `u` literal whose backslashes are doubled but for `\u` and `\U` escapes
/// (`ur'\d'` -> `u'\\d'`; Python 2 would give bytes for a plain `r'\d'`). Any other text, or
/// a literal that cannot be rebuilt, is returned unchanged.
pub fn two_version_literal(text: &str) -> String {
    let (Some(prefix), Some(body)) = (text.get(..2), text.get(2..)) else {
        return text.to_string();
    };
    if !prefix.eq_ignore_ascii_case("ur") {
        return text.to_string();
    }
    let (quote_len, _) = scan(body);
    match unraw_body(body, quote_len) {
        Some(rebuilt) => format!("{}{rebuilt}", &prefix[..1]),
        None => text.to_string(),
    }
}

/// The body (quotes included) of a non-raw literal with the value of the raw `body`, in which
/// `\u` and `\U` are escapes (as in Python 2's `ur''`): every other backslash is doubled.
fn unraw_body(body: &str, quote_len: usize) -> Option<String> {
    let inner = body
        .get(quote_len..body.len().saturating_sub(quote_len))
        .filter(|_| body.len() >= 2 * quote_len)?;
    let quotes = &body[..quote_len];
    let mut out = String::with_capacity(body.len() + 8);
    out.push_str(quotes);
    let bytes = inner.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&inner[run_start..i]);
        let run = bytes[i..].iter().take_while(|&&b| b == b'\\').count();
        let next = bytes.get(i + run).copied();
        let escape = run % 2 == 1 && matches!(next, Some(b'u' | b'U'));
        let literal = if escape { run - 1 } else { run };
        for _ in 0..literal * 2 {
            out.push('\\');
        }
        // `\u` stays an escape; a quote after a literal backslash must stay inside the string.
        if escape || (run % 2 == 1 && matches!(next, Some(b'\'' | b'"'))) {
            out.push('\\');
        }
        i += run;
        run_start = i;
    }
    out.push_str(&inner[run_start..]);
    out.push_str(quotes);
    Some(out)
}

/// Length of the body's quotes (1 or 3) and whether it has a `\u` / `\U` escape.
fn scan(body: &str) -> (usize, bool) {
    let quote_len = if body.starts_with("'''") || body.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let bytes = body.as_bytes();
    let mut run = 0;
    let mut escape = false;
    for &b in bytes {
        if b == b'\\' {
            run += 1;
            continue;
        }
        if run % 2 == 1 && (b == b'u' || b == b'U') {
            escape = true;
        }
        run = 0;
    }
    (quote_len, escape)
}

#[cfg(test)]
mod tests {
    use super::python3_literal;

    #[test]
    fn literals() {
        assert_eq!(python3_literal("u"), "u");
        assert_eq!(python3_literal("é'x'"), "é'x'");
        assert_eq!(python3_literal(r"ur'^\d+$'"), r"r'^\d+$'");
        assert_eq!(python3_literal(r"UR'\u2014\s'"), r"'\u2014\\s'");
        assert_eq!(python3_literal(r"ur'\\u'"), r"r'\\u'");
        assert_eq!(python3_literal(r"ur'\\\u00e9'"), r"'\\\\\u00e9'");
        assert_eq!(python3_literal(r#"ur"\u00e9\"""#), r#""\u00e9\\\"""#);
    }

    #[test]
    fn two_version_literals() {
        use super::two_version_literal;
        assert_eq!(two_version_literal(r"ur'^\d+$'"), r"u'^\\d+$'");
        assert_eq!(two_version_literal(r"UR'\u2014\s'"), r"U'\u2014\\s'");
        assert_eq!(two_version_literal(r"ur'\\u'"), r"u'\\\\u'");
        assert_eq!(two_version_literal(r"ur''"), r"u''");
        assert_eq!(two_version_literal("r'x'"), "r'x'");
    }
}
