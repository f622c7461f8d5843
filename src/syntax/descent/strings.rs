//! String literals: implicitly concatenated string tokens to one constant, with the decoding
//! of rustpython's `string.rs` (escape sequences, raw strings, bytes); groups with f-strings go
//! to rustpython's own parser. A mix of bytes and text, `\N{...}` escapes and invalid escapes
//! give up.

use rustpython_parser::ast::{self, Constant, Expr, Ranged};
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::{Parse, Tok};

use super::Parser;

impl Parser<'_> {
    /// `(@L string @R)+` through `parse_strings`: one `Constant` ranging over all the tokens,
    /// with kind `"u"` when the first one has a `u` prefix.
    pub(super) fn strings(&mut self) -> Option<Expr> {
        let start = self.start();
        let first = self.pos;
        let (mut count, mut bytes, mut unicode) = (0usize, 0usize, false);
        let mut fstring = false;
        while let Tok::String { kind, .. } = self.peek() {
            fstring |= kind.is_any_fstring();
            if count == 0 {
                unicode = kind.is_unicode();
            }
            bytes += usize::from(kind.is_any_bytes());
            count += 1;
            self.bump();
        }
        let range = self.range(start);
        if fstring {
            return self.fstrings(range);
        }
        let Some(value) = self.decode_group(first, bytes, count) else {
            // `\N{...}` and anything odd: rustpython decides.
            return self.fstrings(range);
        };
        Some(Expr::Constant(ast::ExprConstant {
            value,
            kind: unicode.then(|| "u".to_string()),
            range,
        }))
    }
}

impl Parser<'_> {
    /// The constant of the string tokens from `first` to the cursor (`bytes` of the `count`
    /// are bytes), their bodies taken out of the tokens; `None` where this decoding is not sure.
    fn decode_group(&mut self, first: usize, bytes: usize, count: usize) -> Option<Constant> {
        let toks = self.toks.get_mut(first..self.pos)?;
        let parts = toks.iter_mut().filter_map(|t| match t {
            Ok((
                Tok::String {
                    value,
                    kind,
                    triple_quoted: _,
                },
                _,
            )) => Some((value, kind.is_raw())),
            _ => None,
        });
        Some(if bytes == 0 {
            let mut content = String::new();
            for (value, raw) in parts {
                if raw || !value.contains('\\') {
                    if content.is_empty() {
                        content = std::mem::take(value);
                    } else {
                        content.push_str(value);
                    }
                } else {
                    decode(value, false, &mut content)?;
                }
            }
            Constant::Str(content)
        } else if bytes == count {
            let mut content = String::new();
            for (value, raw) in parts {
                if !value.is_ascii() {
                    return None;
                }
                if raw {
                    content.push_str(value);
                } else {
                    decode(value, true, &mut content)?;
                }
            }
            Constant::Bytes(content.chars().map(|c| c as u8).collect())
        } else {
            return None;
        })
    }

    /// Strings with an f-string among them (or an escape not decoded here): rustpython's own parser on their source text,
    /// parenthesized as `string.rs` does for the expressions inside f-strings (so the ranges are
    /// the file's, and line breaks between the parts stay inside brackets).
    fn fstrings(&self, range: TextRange) -> Option<Expr> {
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        let piece = self.text.get(start..end)?;
        let parsed = if start > 0 {
            let source = format!("({piece})");
            Expr::parse_starts_at(&source, "<fstring>", range.start() - TextSize::from(1))
        } else {
            Expr::parse_starts_at(piece, "<fstring>", range.start())
        };
        let expr = parsed.ok()?;
        (matches!(expr, Expr::JoinedStr(_) | Expr::Constant(_)) && expr.range() == range)
            .then_some(expr)
    }
}

/// `StringParser::parse_string` / `parse_bytes` on a non-raw body: appends the decoded text
/// (for bytes, one char per byte) to `out`.
fn decode(body: &str, bytes: bool, out: &mut String) -> Option<()> {
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let c = chars.next()?;
        let decoded = match c {
            '\\' => '\\',
            '\'' => '\'',
            '"' => '"',
            'a' => '\x07',
            'b' => '\x08',
            'f' => '\x0c',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\x0b',
            '0'..='7' => {
                let mut value = c.to_digit(8)?;
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            chars.next();
                        }
                        None => break,
                    }
                }
                char::from_u32(value)?
            }
            'x' => hex(&mut chars, 2)?,
            'u' if !bytes => hex(&mut chars, 4)?,
            'U' if !bytes => hex(&mut chars, 8)?,
            'N' if !bytes => return None,
            '\n' => continue,
            c => {
                if bytes && !c.is_ascii() {
                    return None;
                }
                out.push('\\');
                out.push(c);
                continue;
            }
        };
        out.push(decoded);
    }
    Some(())
}

/// `parse_unicode_literal`: exactly `digits` hex digits; surrogates become U+FFFD.
fn hex(chars: &mut impl Iterator<Item = char>, digits: u32) -> Option<char> {
    let mut value: u32 = 0;
    for _ in 0..digits {
        value = (value << 4) | chars.next()?.to_digit(16)?;
    }
    match value {
        0xD800..=0xDFFF => Some(char::REPLACEMENT_CHARACTER),
        _ => char::from_u32(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(body: &str, bytes: bool) -> Option<String> {
        let mut out = String::new();
        decode(body, bytes, &mut out).map(|()| out)
    }

    #[test]
    fn escapes_decode_as_in_rustpython() {
        assert_eq!(
            decoded(r"a\nb\tc\\d\'\x41\101\0", false).unwrap(),
            "a\nb\tc\\d'AA\0"
        );
        assert_eq!(decoded("a\\\nb", false).unwrap(), "ab");
        assert_eq!(
            decoded(r"\d\u00e9\U0001F600\ud800", false).unwrap(),
            "\\dé😀\u{fffd}"
        );
        assert_eq!(decoded(r"\u00e9", true).unwrap(), "\\u00e9");
        assert_eq!(decoded(r"\777", true).unwrap(), "\u{1ff}");
        assert!(decoded(r"\x4", false).is_none());
        assert!(decoded(r"\N{DASH}", false).is_none());
        assert!(decoded("\\", false).is_none());
    }
}
