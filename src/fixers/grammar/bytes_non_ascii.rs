//! PY012 bytes-non-ascii: `b'é'` -> `b'\xc3\xa9'`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::source::{coding_cookie, SourceEncoding, SourceFile};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites the non-ASCII characters of a bytes literal as `\xNN` escapes of the bytes the
    /// file holds for them (its encoding: the PEP 263 cookie, UTF-8 without one). Raw bytes
    /// literals (`br'...'`), and files whose encoding is unknown, are reported without a fix.
    ///
    /// ## Why
    /// Python 2 put the file's bytes in the literal; Python 3 rejects a bytes literal with a
    /// non-ASCII character (`SyntaxError: bytes can only contain ASCII literal characters`).
    ///
    /// ## Example
    /// ```python
    /// SEP = b'§'
    /// ```
    /// becomes
    /// ```python
    /// SEP = b'\xc2\xa7'
    /// ```
    pub BYTES_NON_ASCII = FixerSpec {
        code: "PY012",
        name: "bytes-non-ascii",
        summary: "non-ASCII characters in bytes literals -> \\x escapes",
        groups: &["grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

const MESSAGE: &str = "non-ASCII character in a bytes literal (a syntax error in Python 3)";

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    if cx.text.is_ascii() {
        return;
    }
    let encoding = match coding_cookie(cx.text.as_bytes()) {
        Some(name) => SourceEncoding::from_cookie(&name),
        None => Some(SourceEncoding::Utf8),
    };
    let file = encoding.map(|encoding| SourceFile {
        text: String::new(),
        encoding,
        bom: false,
    });
    for t in cx.tokens {
        if t.kind != TokenKind::String {
            continue;
        }
        let text = t.text(cx.text);
        let prefix_len = text.find(['\'', '"']).unwrap_or(0);
        let prefix = text[..prefix_len].to_ascii_lowercase();
        if !prefix.contains('b') || text.is_ascii() {
            continue;
        }
        let span = t.start()..t.end();
        let fixed = match &file {
            Some(file) if !prefix.contains('r') => escape(text, file),
            _ => None,
        };
        let edits = fixed.map(|new| vec![Edit::replace(span.start, span.end, new)]);
        out.push(finding(&BYTES_NON_ASCII, MESSAGE, span, edits));
    }
}

/// The literal with each non-ASCII character replaced by the `\x` escapes of its bytes in
/// `file`'s encoding; `None` when a character cannot be encoded.
fn escape(literal: &str, file: &SourceFile) -> Option<String> {
    let mut out = String::with_capacity(literal.len() + 16);
    let mut backslashes = 0usize;
    for c in literal.chars() {
        if c.is_ascii() {
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            out.push(c);
            continue;
        }
        // After an odd run of backslashes the last one was literal: keep it so.
        if backslashes % 2 == 1 {
            out.push('\\');
        }
        backslashes = 0;
        let bytes = file.encode(c.encode_utf8(&mut [0; 4])).ok()?;
        for b in bytes {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(encoding: SourceEncoding) -> SourceFile {
        SourceFile {
            text: String::new(),
            encoding,
            bom: false,
        }
    }

    #[test]
    fn escapes() {
        let utf8 = file(SourceEncoding::Utf8);
        assert_eq!(escape("b'é'", &utf8).as_deref(), Some(r"b'\xc3\xa9'"));
        assert_eq!(escape(r"b'\é'", &utf8).as_deref(), Some(r"b'\\\xc3\xa9'"));
        let latin1 = file(SourceEncoding::Latin1);
        assert_eq!(escape("B\"é\"", &latin1).as_deref(), Some(r#"B"\xe9""#));
        assert_eq!(escape("b'€'", &latin1), None);
    }
}
