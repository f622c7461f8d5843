//! Lossless tokenizer for Python 2 and Python 3 source.
//!
//! Every byte of the input belongs to exactly one token (white space, comments, line
//! continuations and bytes that are not Python are tokens too), so the tokens concatenate back to
//! the input. It accepts both grammars: print/exec statements are plain names, backticks and `<>`
//! are operators, `0777` and `10L` are numbers, `ur''` is a string; f-strings, `@`, `->`, `:=` and
//! `...` are there for Python 3.
//!
//! A newline is [`TokenKind::Newline`] when it ends a logical line (outside brackets, after
//! something that is not a comment) and [`TokenKind::Nl`] otherwise, as in Python's `tokenize`.

mod scan;
pub mod statements;

pub use scan::{stream, tokenize, Stream};

/// One token: a kind and a byte range into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    /// The token's text.
    #[inline]
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start as usize..self.end as usize]
    }

    /// The token's bytes (no character boundary checks: for comparing with ASCII text).
    #[inline]
    pub fn bytes<'a>(&self, source: &'a str) -> &'a [u8] {
        &source.as_bytes()[self.start as usize..self.end as usize]
    }

    /// The token is the one byte `b` (an operator like `(` or `:`).
    #[inline]
    pub fn is_byte(&self, source: &str, b: u8) -> bool {
        self.end == self.start + 1 && source.as_bytes()[self.start as usize] == b
    }

    /// Start offset as `usize`.
    #[inline]
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// End offset as `usize`.
    #[inline]
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// Not significant for the grammar: white space, comments, non-logical newlines, continuations.
    #[inline]
    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Nl | TokenKind::Continuation
        )
    }
}

/// Token kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Identifier or keyword (`print`, `exec`, `lambda` ... are names too).
    Name,
    /// Any numeric literal, including Python 2 `0777`, `10L` and imaginary numbers.
    Number,
    /// A complete string literal with its prefix (`ur'...'`, `b"..."`, `f'''...'''`).
    String,
    /// An operator or delimiter, including `<>` and the backtick.
    Op,
    /// `# ...` up to (not including) the newline.
    Comment,
    /// The newline that ends a logical line.
    Newline,
    /// Any other newline (blank line, comment line, inside brackets).
    Nl,
    /// Spaces, tabs and form feeds.
    Whitespace,
    /// A backslash followed by a newline.
    Continuation,
    /// Bytes that are no token: an unterminated string, a stray `$` or `?`, a lone backslash.
    Error,
}

/// Indexes of the significant (non-trivia) tokens, for fixers that read the grammar.
pub fn significant(tokens: &[Token]) -> Vec<usize> {
    let mut sig = Vec::with_capacity(tokens.len());
    sig.extend(
        tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_trivia())
            .map(|(i, _)| i),
    );
    sig
}

#[cfg(test)]
mod tests;
