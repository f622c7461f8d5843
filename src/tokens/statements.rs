//! The significant tokens of a file grouped into simple statements, for the grammar fixers.
//!
//! A statement starts at the first token of a logical line, after a `;` outside brackets, and after
//! the `:` that ends a compound statement header when the body follows on the same line
//! (`if x: print y`). Headers (`if x:`, `except E, e:`, `def f(a):`) are statements of their own,
//! marked [`Statement::header`]. Lambda colons never end a header.

use std::collections::HashSet;
use std::ops::Range;

use crate::tokens::{Token, TokenKind};

/// Keywords that open a compound statement header.
const COMPOUND: &[&str] = &[
    "if", "elif", "else", "while", "for", "try", "except", "finally", "with", "def", "class",
];

/// One statement: a range of indexes into [`Code::sig`].
#[derive(Debug, Clone)]
pub struct Statement {
    /// The statement's significant tokens, without its terminator (`;`, `:` or the newline).
    pub range: Range<usize>,
    /// It is a compound statement header (`if x:`); its colon is `terminator`.
    pub header: bool,
    /// The index in [`Code::sig`] of the `;`, header `:` or newline that ends it, if any.
    pub terminator: Option<usize>,
    /// It is the first statement of its logical line.
    pub line_start: bool,
}

/// A tokenized file seen through its significant tokens.
pub struct Code<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Token indexes of the significant (non-trivia) tokens, newlines included.
    pub sig: Vec<usize>,
    /// Bracket depth of each significant token: brackets sit at the depth outside them.
    pub depth: Vec<u32>,
    /// The statements in file order.
    pub statements: Vec<Statement>,
}

impl<'a> Code<'a> {
    /// Groups `tokens` (the lossless tokens of `text`) into statements.
    pub fn new(text: &'a str, tokens: &'a [Token]) -> Code<'a> {
        let sig = crate::tokens::significant(tokens);
        let mut depth = Vec::with_capacity(sig.len());
        let mut level: u32 = 0;
        let bytes = text.as_bytes();
        for &i in &sig {
            let t = &tokens[i];
            // Brackets are one-byte operators.
            let bracket = if t.kind == TokenKind::Op && t.end == t.start + 1 {
                bytes[t.start()]
            } else {
                0
            };
            match bracket {
                b')' | b']' | b'}' => {
                    level = level.saturating_sub(1);
                    depth.push(level);
                }
                b'(' | b'[' | b'{' => {
                    depth.push(level);
                    level = level.saturating_add(1);
                }
                _ => depth.push(level),
            }
        }
        let mut code = Code {
            text,
            tokens,
            sig,
            depth,
            statements: Vec::new(),
        };
        code.statements = code.split_statements();
        code
    }

    /// The text of significant token `k`.
    #[inline]
    pub fn s(&self, k: usize) -> &'a str {
        match self.sig.get(k) {
            Some(&i) => self.tokens[i].text(self.text),
            None => "",
        }
    }

    /// The token of significant index `k`.
    #[inline]
    pub fn tok(&self, k: usize) -> Token {
        self.tokens[self.sig[k]]
    }

    /// Kind of significant token `k`.
    #[inline]
    pub fn kind(&self, k: usize) -> Option<TokenKind> {
        self.sig.get(k).map(|&i| self.tokens[i].kind)
    }

    /// Start byte of significant token `k`.
    #[inline]
    pub fn start(&self, k: usize) -> usize {
        self.tok(k).start()
    }

    /// End byte of significant token `k`.
    #[inline]
    pub fn end(&self, k: usize) -> usize {
        self.tok(k).end()
    }

    /// Significant token `k` is the operator `op`.
    #[inline]
    pub fn is_op(&self, k: usize, op: &str) -> bool {
        self.sig.get(k).is_some_and(|&i| {
            let t = &self.tokens[i];
            t.kind == TokenKind::Op && t.bytes(self.text) == op.as_bytes()
        })
    }

    /// Significant token `k` is the name `name`.
    #[inline]
    pub fn is_name(&self, k: usize, name: &str) -> bool {
        self.sig.get(k).is_some_and(|&i| {
            let t = &self.tokens[i];
            t.kind == TokenKind::Name && t.bytes(self.text) == name.as_bytes()
        })
    }

    /// Byte range covered by the significant tokens `range` (empty range: empty at 0).
    pub fn span(&self, range: &Range<usize>) -> Range<usize> {
        if range.is_empty() {
            return 0..0;
        }
        self.start(range.start)..self.end(range.end - 1)
    }

    /// Source text of the significant tokens `range`, with the trivia between them.
    pub fn slice(&self, range: &Range<usize>) -> &'a str {
        let span = self.span(range);
        &self.text[span]
    }

    /// Splits `range` at its commas that sit at depth `base` (the depth of its outermost tokens).
    /// A trailing comma gives a last empty part.
    pub fn split_commas(&self, range: &Range<usize>) -> Vec<Range<usize>> {
        let mut parts = Vec::new();
        if range.is_empty() {
            return parts;
        }
        let base = self.depth[range.start];
        let mut from = range.start;
        for k in range.clone() {
            if self.depth[k] == base && self.is_op(k, ",") {
                parts.push(from..k);
                from = k + 1;
            }
        }
        parts.push(from..range.end);
        parts
    }

    /// Every bracket of `range` is closed inside it, by the matching kind, and nothing closes a
    /// bracket opened before it. Fixers leave unbalanced code (which cannot parse) alone.
    pub fn balanced(&self, range: &Range<usize>) -> bool {
        let mut stack: Vec<u8> = Vec::new();
        let bytes = self.text.as_bytes();
        for &i in &self.sig[range.clone()] {
            let t = &self.tokens[i];
            // Brackets are one-byte operators.
            if t.kind != TokenKind::Op || t.end != t.start + 1 {
                continue;
            }
            match bytes[t.start()] {
                b'(' => stack.push(b')'),
                b'[' => stack.push(b']'),
                b'{' => stack.push(b'}'),
                close @ (b')' | b']' | b'}') if stack.pop() != Some(close) => return false,
                _ => {}
            }
        }
        stack.is_empty()
    }

    /// `range` is exactly one bracket group opened by `open` (`(`, `[` or `{`).
    pub fn is_group(&self, range: &Range<usize>, open: &str) -> bool {
        if range.len() < 2 || !self.is_op(range.start, open) {
            return false;
        }
        let base = self.depth[range.start];
        let close = match open {
            "(" => ")",
            "[" => "]",
            _ => "}",
        };
        let last = range.end - 1;
        // The first closing bracket back at the base depth must be the last token.
        (range.start + 1..range.end)
            .find(|&k| self.depth[k] == base)
            .is_some_and(|k| k == last && self.is_op(k, close))
    }

    /// Returns the indentation text of the line holding significant token `k`.
    pub fn line_indent(&self, k: usize) -> &'a str {
        let start = self.start(k);
        let line_start = self.text[..start]
            .rfind(['\n', '\r'])
            .map(|i| i + 1)
            .unwrap_or(0);
        let prefix = &self.text[line_start..start];
        let n = prefix
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
            .count();
        &prefix[..n]
    }

    /// Every name in the file, to pick fresh names that clash with none.
    pub fn names(&self) -> HashSet<&'a str> {
        self.tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Name)
            .map(|t| t.text(self.text))
            .collect()
    }

    fn split_statements(&self) -> Vec<Statement> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut line_start = true;
        let mut lambdas = 0u32;
        let n = self.sig.len();
        let mut k = 0;
        while k < n {
            let t = &self.tokens[self.sig[k]];
            let kind = Some(t.kind);
            let at_base = self.depth[k] == 0;
            let op = |b: u8| t.kind == TokenKind::Op && t.is_byte(self.text, b);
            if kind == Some(TokenKind::Newline) || (at_base && op(b';')) {
                if k > start {
                    out.push(Statement {
                        range: start..k,
                        header: false,
                        terminator: Some(k),
                        line_start,
                    });
                }
                line_start = kind == Some(TokenKind::Newline);
                start = k + 1;
                lambdas = 0;
            } else if at_base && t.kind == TokenKind::Name && t.bytes(self.text) == b"lambda" {
                lambdas += 1;
            } else if at_base && op(b':') {
                if lambdas > 0 {
                    lambdas -= 1;
                } else if self.opens_compound(start) {
                    out.push(Statement {
                        range: start..k,
                        header: true,
                        terminator: Some(k),
                        line_start,
                    });
                    line_start = false;
                    start = k + 1;
                }
            }
            k += 1;
        }
        if start < n {
            out.push(Statement {
                range: start..n,
                header: false,
                terminator: None,
                line_start,
            });
        }
        out
    }

    /// The statement starting at significant token `k` is a compound statement header.
    fn opens_compound(&self, k: usize) -> bool {
        if self.kind(k) != Some(TokenKind::Name) {
            return false;
        }
        let word = self.s(k);
        if COMPOUND.contains(&word) {
            return true;
        }
        word == "async" && matches!(self.s(k + 1), "def" | "for" | "with")
    }

    /// The index in `statements` of the statement after the header `h` that starts its body.
    pub fn body_of(&self, h: usize) -> Option<usize> {
        let next = h + 1;
        self.statements.get(next).map(|_| next)
    }
}

/// `word` is a Python keyword (2 or 3) that cannot be an expression's name.
pub fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "and"
            | "as"
            | "assert"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "exec"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "not"
            | "or"
            | "pass"
            | "print"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// Picks a name from `base` that is not in `taken` (`base`, `base_2`, `base_3` ...), and takes it.
pub fn fresh_name(base: &str, taken: &mut HashSet<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2u32;
    while taken.contains(&name) || is_keyword(&name) {
        name = format!("{base}_{n}");
        n = n.saturating_add(1);
    }
    taken.insert(name.clone());
    name
}

/// Whether the file has `from __future__ import <feature>` in any of its forms (parenthesised,
/// with `as`, among several names, on several lines).
pub fn has_future_import(code: &Code, feature: &str) -> bool {
    code.statements.iter().any(|st| {
        let r = &st.range;
        if !(code.is_name(r.start, "from")
            && code.is_name(r.start + 1, "__future__")
            && code.is_name(r.start + 2, "import"))
        {
            return false;
        }
        // Each imported name is the first name of a comma-separated part (after `as`: an alias).
        let names = (r.start + 3)..r.end;
        let mut expect_name = true;
        names.clone().any(|k| {
            let s = code.s(k);
            if code.is_op(k, ",") || code.is_op(k, "(") {
                expect_name = true;
                false
            } else if expect_name && code.kind(k) == Some(TokenKind::Name) {
                expect_name = false;
                s == feature
            } else {
                false
            }
        })
    })
}

/// Whether the file shows it is Python 2 source, so that `print(a, b)` is a statement printing
/// a tuple: a `print` statement that is not one parenthesised group, a backtick, `<>`, or a
/// `10L` / `0777` number literal.
pub fn shows_python2(code: &Code) -> bool {
    let statement = code.statements.iter().any(|st| {
        let r = &st.range;
        if st.header || !code.is_name(r.start, "print") || !code.balanced(r) {
            return false;
        }
        let args = r.start + 1..r.end;
        if args.is_empty() {
            return false;
        }
        starts_print_args(code, args.start) && !code.is_group(&args, "(")
    });
    let shows = statement
        || (0..code.sig.len()).any(|k| match code.kind(k) {
            Some(TokenKind::Op) => matches!(code.s(k), "`" | "<>"),
            Some(TokenKind::Number) => {
                let n = code.s(k);
                n.ends_with(['l', 'L'])
                    || (n.len() > 1
                        && n.starts_with('0')
                        && n.bytes().all(|b| b.is_ascii_digit())
                        && n.bytes().any(|b| b != b'0'))
            }
            _ => false,
        });
    shows
}

/// Significant token `k`, right after `print`, can start the statement's arguments.
pub fn starts_print_args(code: &Code, k: usize) -> bool {
    match code.kind(k) {
        Some(TokenKind::Name | TokenKind::Number | TokenKind::String) => true,
        Some(TokenKind::Op) => matches!(code.s(k), ">>" | "(" | "[" | "{" | "-" | "+" | "~" | "`"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmts(text: &str) -> Vec<(String, bool)> {
        let tokens = crate::tokens::tokenize(text);
        let code = Code::new(text, &tokens);
        code.statements
            .iter()
            .map(|s| (code.slice(&s.range).to_string(), s.header))
            .collect()
    }

    #[test]
    fn splits_simple_and_compound() {
        assert_eq!(
            stmts("if x: print y; z = 1\nelse:\n  f = lambda a: a\n"),
            vec![
                ("if x".to_string(), true),
                ("print y".to_string(), false),
                ("z = 1".to_string(), false),
                ("else".to_string(), true),
                ("f = lambda a: a".to_string(), false),
            ]
        );
    }

    #[test]
    fn brackets_and_comments() {
        assert_eq!(
            stmts("d = {1: 2,  # c\n  3: x[1:2]}\n# only\n\nclass A: pass\n"),
            vec![
                ("d = {1: 2,  # c\n  3: x[1:2]}".to_string(), false),
                ("class A".to_string(), true),
                ("pass".to_string(), false),
            ]
        );
    }

    #[test]
    fn commas_and_groups() {
        let text = "f(a, b), (c, d), e\n";
        let tokens = crate::tokens::tokenize(text);
        let code = Code::new(text, &tokens);
        let range = code.statements[0].range.clone();
        let parts: Vec<&str> = code
            .split_commas(&range)
            .iter()
            .map(|r| code.slice(r))
            .collect();
        assert_eq!(parts, vec!["f(a, b)", "(c, d)", "e"]);
        let parts = code.split_commas(&range);
        assert!(code.is_group(&parts[1], "("));
        assert!(!code.is_group(&parts[0], "("));
        assert!(!code.is_group(&range, "("));
    }
}
