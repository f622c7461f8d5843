//! The scanner behind [`tokenize`]: one pass over the bytes, no backtracking beyond a token.

use super::{Token, TokenKind};

/// Tokenizes `text` losslessly. Never fails: what is not Python becomes [`TokenKind::Error`].
///
/// Texts longer than `u32::MAX` bytes are not supported; the caller rejects them first.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 4 + 1);
    tokens.extend(stream(text));
    tokens
}

/// The tokens of `text` one at a time, as [`tokenize`] gives them, without holding them all:
/// for a scan of a big file that keeps nothing but a few facts.
pub fn stream(text: &str) -> Stream<'_> {
    Stream {
        scanner: Scanner {
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            line_has_code: false,
        },
    }
}

/// The iterator [`stream`] returns.
pub struct Stream<'a> {
    scanner: Scanner<'a>,
}

impl Iterator for Stream<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let scanner = &mut self.scanner;
        if scanner.pos >= scanner.bytes.len() {
            return None;
        }
        let start = scanner.pos;
        let kind = scanner.next_kind();
        debug_assert!(scanner.pos > start);
        Some(Token {
            kind,
            start: start as u32,
            end: scanner.pos as u32,
        })
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Bracket nesting depth (never below zero).
    depth: u32,
    /// The current logical line has a significant token.
    line_has_code: bool,
}

/// Operators, longest first within each length.
/// Length of the operator at the start of `rest` (Python 2 and 3 operators, the longest that
/// matches: `**=` before `**` before `*`), or 0 when it starts with none.
fn operator_len(rest: &[u8]) -> usize {
    let at = |i: usize| rest.get(i).copied().unwrap_or(0);
    match (at(0), at(1), at(2)) {
        (b'*', b'*', b'=') | (b'/', b'/', b'=') | (b'>', b'>', b'=') | (b'<', b'<', b'=') => 3,
        (b'.', b'.', b'.') => 3,
        (b'*', b'*', _) | (b'/', b'/', _) | (b'>', b'>', _) | (b'<', b'<', _) => 2,
        (b'<' | b'>' | b'=' | b'!', b'=', _) | (b'<', b'>', _) | (b'-', b'>', _) => 2,
        (b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'@' | b':', b'=', _) => 2,
        (
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b':' | b';' | b'.' | b'+' | b'-'
            | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>' | b'=' | b'@' | b'`',
            _,
            _,
        ) => 1,
        _ => 0,
    }
}

impl Scanner<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn next_kind(&mut self) -> TokenKind {
        let c = self.peek(0);
        match c {
            b' ' | b'\t' | b'\x0c' => {
                while matches!(self.peek(0), b' ' | b'\t' | b'\x0c') {
                    self.pos += 1;
                }
                TokenKind::Whitespace
            }
            b'\n' | b'\r' => {
                self.pos += if c == b'\r' && self.peek(1) == b'\n' {
                    2
                } else {
                    1
                };
                if self.depth == 0 && self.line_has_code {
                    self.line_has_code = false;
                    TokenKind::Newline
                } else {
                    TokenKind::Nl
                }
            }
            b'#' => {
                self.pos = memchr::memchr2(b'\n', b'\r', &self.bytes[self.pos..])
                    .map_or(self.bytes.len(), |i| self.pos + i);
                TokenKind::Comment
            }
            b'\\' => {
                self.pos += 1;
                match self.peek(0) {
                    b'\n' => self.pos += 1,
                    b'\r' => self.pos += if self.peek(1) == b'\n' { 2 } else { 1 },
                    _ => return TokenKind::Error,
                }
                TokenKind::Continuation
            }
            b'"' | b'\'' => self.code(|s| s.string(0)),
            b'0'..=b'9' => self.code(Scanner::number),
            b'.' if self.peek(1).is_ascii_digit() => self.code(Scanner::number),
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                self.code(Scanner::name_or_string)
            }
            _ => self.code(Scanner::operator),
        }
    }

    /// Scans a significant token and marks the line as having code.
    fn code(&mut self, scan: impl FnOnce(&mut Self) -> TokenKind) -> TokenKind {
        self.line_has_code = true;
        scan(self)
    }

    /// A name, or a string with a prefix (`u'...'`, `rb"..."`).
    fn name_or_string(&mut self) -> TokenKind {
        let start = self.pos;
        let len = self.bytes[start..]
            .iter()
            .position(|&c| !IDENTIFIER_BYTE[c as usize])
            .unwrap_or(self.bytes.len() - start);
        self.pos += len;
        let word = &self.bytes[start..self.pos];
        if matches!(self.peek(0), b'"' | b'\'') && is_string_prefix(word) {
            let prefix_len = word.len();
            self.pos = start;
            return self.string(prefix_len);
        }
        TokenKind::Name
    }

    /// Scans a string literal whose prefix has `prefix_len` bytes, from `self.pos`.
    fn string(&mut self, prefix_len: usize) -> TokenKind {
        self.pos += prefix_len;
        let quote = self.peek(0);
        let triple = self.peek(1) == quote && self.peek(2) == quote;
        self.pos += if triple { 3 } else { 1 };
        loop {
            let c = self.peek(0);
            if self.pos >= self.bytes.len() {
                return TokenKind::Error;
            }
            match c {
                b'\\' => {
                    self.pos += 1;
                    if self.pos < self.bytes.len() {
                        self.pos += if self.peek(0) == b'\r' && self.peek(1) == b'\n' {
                            2
                        } else {
                            1
                        };
                    }
                }
                b'\n' | b'\r' if !triple => return TokenKind::Error,
                _ if c == quote => {
                    if !triple {
                        self.pos += 1;
                        return TokenKind::String;
                    }
                    if self.peek(1) == quote && self.peek(2) == quote {
                        self.pos += 3;
                        return TokenKind::String;
                    }
                    self.pos += 1;
                }
                // Inside a triple-quoted string (docstrings: long), only a backslash or the
                // quote can matter.
                _ if triple => {
                    self.pos = memchr::memchr2(b'\\', quote, &self.bytes[self.pos..])
                        .map_or(self.bytes.len(), |i| self.pos + i);
                }
                _ => self.pos += 1,
            }
        }
    }

    fn number(&mut self) -> TokenKind {
        let c = self.peek(0);
        if c == b'0' && matches!(self.peek(1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
            self.pos += 2;
            while self.peek(0).is_ascii_hexdigit() || self.peek(0) == b'_' {
                self.pos += 1;
            }
        } else {
            self.digits();
            if self.peek(0) == b'.' {
                self.pos += 1;
                self.digits();
            }
            if matches!(self.peek(0), b'e' | b'E')
                && (self.peek(1).is_ascii_digit()
                    || (matches!(self.peek(1), b'+' | b'-') && self.peek(2).is_ascii_digit()))
            {
                self.pos += 2;
                self.digits();
            }
        }
        if matches!(self.peek(0), b'j' | b'J' | b'l' | b'L') {
            self.pos += 1;
        }
        TokenKind::Number
    }

    fn digits(&mut self) {
        while self.peek(0).is_ascii_digit() || self.peek(0) == b'_' {
            self.pos += 1;
        }
    }

    fn operator(&mut self) -> TokenKind {
        let len = operator_len(&self.bytes[self.pos..]);
        if len > 0 {
            let c = self.peek(0);
            self.pos += len;
            if len == 1 {
                match c {
                    b'(' | b'[' | b'{' => self.depth += 1,
                    b')' | b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
            }
            return TokenKind::Op;
        }
        // Not Python: one whole character (UTF-8 sequences stay intact).
        self.pos += 1;
        while self.pos < self.bytes.len() && (self.bytes[self.pos] & 0xC0) == 0x80 {
            self.pos += 1;
        }
        TokenKind::Error
    }
}

/// String prefixes of Python 2 and 3, any case: r u b f br rb ur fr rf.
fn is_string_prefix(word: &[u8]) -> bool {
    match word.len() {
        1 => matches!(word[0].to_ascii_lowercase(), b'r' | b'u' | b'b' | b'f'),
        2 => {
            let a = word[0].to_ascii_lowercase();
            let b = word[1].to_ascii_lowercase();
            matches!(
                (a, b),
                (b'b', b'r') | (b'r', b'b') | (b'u', b'r') | (b'f', b'r') | (b'r', b'f')
            )
        }
        _ => false,
    }
}

/// The bytes a name may hold: ASCII letters, digits, `_`, and every byte of a non-ASCII
/// character (the parser judges those).
static IDENTIFIER_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b == b'_' || b.is_ascii_alphanumeric() || b >= 0x80;
        c += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    /// `operator_len` finds exactly the operators of the tables it replaced, longest first.
    #[test]
    fn operator_lengths_follow_the_operator_tables() {
        const OPS3: [&[u8]; 5] = [b"**=", b"//=", b">>=", b"<<=", b"..."];
        const OPS2: [&[u8]; 20] = [
            b"**", b"//", b">>", b"<<", b"<=", b">=", b"==", b"!=", b"<>", b"->", b"+=", b"-=",
            b"*=", b"/=", b"%=", b"&=", b"|=", b"^=", b"@=", b":=",
        ];
        const OPS1: &[u8] = b"()[]{},:;.+-*/%&|^~<>=@`";
        let alphabet: Vec<u8> = (0x20u8..0x7f).collect();
        for &a in &alphabet {
            for &b in &alphabet {
                for c in [b'=', b'.', b'x', b'>'] {
                    let rest = [a, b, c];
                    let expected = if OPS3.iter().any(|op| rest.starts_with(op)) {
                        3
                    } else if OPS2.iter().any(|op| rest.starts_with(op)) {
                        2
                    } else if OPS1.contains(&a) {
                        1
                    } else {
                        0
                    };
                    assert_eq!(super::operator_len(&rest), expected, "{rest:?}");
                }
            }
        }
        assert_eq!(super::operator_len(b""), 0);
        assert_eq!(super::operator_len(b"*"), 1);
        assert_eq!(super::operator_len(b"*="), 2);
    }
}
