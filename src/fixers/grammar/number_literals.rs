//! PY007 number-literals: `0777` -> `0o777`, `10L` -> `10`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites Python 2 number literals: old octal `0777` becomes `0o777` and the long suffix is
    /// dropped (`10L` -> `10`, `0xFFL` -> `0xFF`, `0777L` -> `0o777`).
    ///
    /// ## Why
    /// Both forms are syntax errors in Python 3, whose `int` has no size limit.
    ///
    /// ## Example
    /// ```python
    /// os.chmod(path, 0755)
    /// big = 10L
    /// ```
    /// becomes
    /// ```python
    /// os.chmod(path, 0o755)
    /// big = 10
    /// ```
    pub NUMBER_LITERALS = FixerSpec {
        code: "PY007",
        name: "number-literals",
        summary: "0777 -> 0o777, 10L -> 10",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    for t in cx.tokens {
        if t.kind != TokenKind::Number {
            continue;
        }
        let text = t.text(cx.text);
        if let Some(new) = python3_literal(text) {
            let message = if new.len() < text.len() {
                "long literal suffix `L`: Python 3 ints are unbounded"
            } else {
                "old octal literal: use the `0o` prefix"
            };
            out.push(finding(
                &NUMBER_LITERALS,
                message,
                t.start()..t.end(),
                Some(vec![Edit::replace(t.start(), t.end(), new)]),
            ));
        }
    }
}

/// The Python 3 spelling of a Python 2 integer literal, when it differs.
pub fn python3_literal(text: &str) -> Option<String> {
    let digits = text.strip_suffix(['l', 'L']).unwrap_or(text);
    let octal = digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.bytes().any(|b| b != b'0');
    let new = if octal {
        format!("0o{}", &digits[1..])
    } else {
        digits.to_string()
    };
    (new != text).then_some(new)
}

#[cfg(test)]
mod tests {
    use super::python3_literal;

    #[test]
    fn literals() {
        assert_eq!(python3_literal("0777").as_deref(), Some("0o777"));
        assert_eq!(python3_literal("0777L").as_deref(), Some("0o777"));
        assert_eq!(python3_literal("10l").as_deref(), Some("10"));
        assert_eq!(python3_literal("0xFFL").as_deref(), Some("0xFF"));
        assert_eq!(python3_literal("0L").as_deref(), Some("0"));
        for same in ["0", "00", "0o777", "1.5", "07.5", "1e5", "10j", "0x1F"] {
            assert_eq!(python3_literal(same), None, "{same}");
        }
    }
}
