//! PY015 str-unicode-escapes: `'caf\u00e9'` in a Python 2 `str` literal -> `'caf\\u00e9'`.

use super::finding;
use super::print_statement::shows_python2;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Doubles the backslash of `\u`, `\U` and `\N` in Python 2 `str` literals (no `u`, `b`
    /// or `r` prefix), where Python 2 kept them as a backslash and a letter:
    /// `'C:\users'` and `'caf\u00e9'` become `'C:\\users'` and `'caf\\u00e9'`. A `\u` not
    /// followed by four hex digits (and `\U` without eight, `\N` without `{name}`) is doubled
    /// in any file: Python 3 rejects it. A well-formed escape is doubled only in a file that
    /// shows Python 2 grammar (a `print` statement, backticks, `<>`, `10L`, `0777`) and does
    /// not import `unicode_literals`: in Python 3 code it is meant as an escape.
    ///
    /// ## Why
    /// Python 2 decoded `\uXXXX` only in unicode literals; in a `str` literal it was six
    /// characters. Python 3's `str` literals decode it: `'caf\u00e9'` silently becomes
    /// `'café'` (a different length, a different value), and `'C:\users'` is a syntax error
    /// ("truncated \uXXXX escape"), so the whole file would be refused.
    ///
    /// ## Example
    /// ```python
    /// print 'C:\users\%s' % name, len('\u00e9')
    /// ```
    /// becomes (with `print-statement`)
    /// ```python
    /// print('C:\\users\%s' % name, len('\\u00e9'))
    /// ```
    ///
    /// ## Limits
    /// A file written for both versions without any Python 2 grammar keeps its well-formed
    /// escapes (read as Python 3).
    pub STR_UNICODE_ESCAPES = FixerSpec {
        code: "PY015",
        name: "str-unicode-escapes",
        summary: "'\\u00e9' in a Python 2 str literal -> '\\\\u00e9'",
        groups: &["grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    // Computed only when some str literal has a candidate escape.
    let mut python2: Option<bool> = None;
    for t in cx.tokens {
        if t.kind != TokenKind::String {
            continue;
        }
        let text = t.text(cx.text);
        let prefix_len = text.find(['\'', '"']).unwrap_or(text.len());
        let prefix = &text[..prefix_len];
        if prefix.contains(['u', 'U', 'b', 'B', 'r', 'R', 'f', 'F']) || !text.contains('\\') {
            continue;
        }
        let body = &text[prefix_len..];
        let quote_len = if body.starts_with("'''") || body.starts_with("\"\"\"") {
            3
        } else {
            1
        };
        let Some(inner) = body.get(quote_len..body.len().saturating_sub(quote_len)) else {
            continue;
        };
        let inner_start = t.start() + prefix_len + quote_len;
        let mut edits = Vec::new();
        for (at, well_formed) in escapes(inner) {
            let double = !well_formed
                || *python2.get_or_insert_with(|| {
                    cx.first_round
                        && shows_python2(&cx.code)
                        && !crate::tokens::statements::has_future_import(
                            &cx.code,
                            "unicode_literals",
                        )
                });
            if double {
                edits.push(Edit::insert(inner_start + at, "\\"));
            }
        }
        if edits.is_empty() {
            continue;
        }
        out.push(finding(
            &STR_UNICODE_ESCAPES,
            "`\\u`, `\\U` and `\\N` were plain characters in a Python 2 str literal: Python 3 decodes them",
            t.start()..t.end(),
            Some(edits),
        ));
    }
}

/// The offsets (in `inner`, a literal's text between its quotes) of the backslashes that start
/// a `\u`, `\U` or `\N` escape, each with whether the escape is well formed for Python 3.
fn escapes(inner: &str) -> Vec<(usize, bool)> {
    let bytes = inner.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(&next) = bytes.get(i + 1) else {
            break;
        };
        let rest = inner.get(i + 2..).unwrap_or("");
        let well_formed = match next {
            b'u' => Some(hex_digits(rest, 4)),
            b'U' => Some(
                hex_digits(rest, 8)
                    && u32::from_str_radix(&rest[..8], 16).is_ok_and(|c| c <= 0x10FFFF),
            ),
            b'N' => Some(
                rest.starts_with('{')
                    && rest.find('}').is_some_and(|end| {
                        end > 1 && !rest[..end].contains(['\n', '\\', '\'', '"'])
                    }),
            ),
            _ => None,
        };
        if let Some(well_formed) = well_formed {
            found.push((i, well_formed));
        }
        // Skip the escaped character (`\\` is one backslash).
        i += 2;
    }
    found
}

/// Whether `s` starts with `n` hex digits.
fn hex_digits(s: &str, n: usize) -> bool {
    s.len() >= n && s.as_bytes()[..n].iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::escapes;

    #[test]
    fn finds_escapes() {
        assert_eq!(escapes(r"caf\u00e9"), vec![(3, true)]);
        assert_eq!(escapes(r"C:\users"), vec![(2, false)]);
        assert_eq!(escapes(r"\\u00e9"), vec![]);
        assert_eq!(
            escapes(r"\\\u00e9 \U0001F600 \UFFFFFFFF"),
            vec![(2, true), (9, true), (20, false)]
        );
        assert_eq!(
            escapes(r"\N{DASH} \N \N{}"),
            vec![(0, true), (9, false), (12, false)]
        );
        assert_eq!(escapes(r"\n\t\x41"), vec![]);
    }
}
