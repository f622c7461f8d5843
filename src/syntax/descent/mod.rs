//! A hand-written recursive-descent parser for the common subset of Python 3.
//!
//! It reads the rustpython tokens that [`crate::syntax::parse`] converts from ours and builds
//! exactly the tree rustpython-parser 0.4's LALR parser would (same nodes, ranges, contexts and
//! constants): each function mirrors one rule of rustpython's `python.lalrpop` and its action,
//! with `@L`/`@R` read as the start of the rule's first token and the end of its last one.
//! It is one pass without backtracking, and takes names, numbers and string bodies out of the
//! tokens instead of cloning them (so the caller converts again before any fallback).
//!
//! Whatever it does not mirror (f-strings, `match`, type parameters and aliases, parenthesized
//! `with` items, `except*`, `\N{...}` escapes, very deep nesting) and whatever looks invalid
//! (bad targets, parameter orders, argument orders, a lone starred value, ...) makes it answer
//! `None`, and the caller runs rustpython's parser, which decides and reports errors. It may be
//! stricter than rustpython (answering `None` where rustpython accepts) but never laxer.

mod expr;
mod stmt;
mod strings;

use rustpython_parser::ast;
use rustpython_parser::lexer::LexResult;
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::Tok;

/// Nesting budget of the recursion (expression levels and blocks); beyond it the parser gives
/// up, so that deep input never exhausts a normal thread stack.
const MAX_DEPTH: u32 = 100;

/// What [`Parser::peek`] shows past the last token.
static END: Tok = Tok::EndOfFile;

/// Parses a whole module from rustpython tokens (as its lexer makes them, without the start
/// marker): the statements, or `None` where this parser is not sure to build rustpython's tree.
/// Names and string bodies are taken out of `toks`, which are not fit for another parse after.
pub(crate) fn parse_suite(text: &str, toks: &mut [LexResult]) -> Option<Vec<ast::Stmt>> {
    if toks.iter().any(Result::is_err) {
        return None;
    }
    let mut parser = Parser {
        text,
        toks,
        pos: 0,
        depth: 0,
    };
    parser.program()
}

/// The token cursor shared by the statement and expression rules.
pub(super) struct Parser<'t> {
    /// The source the token ranges point into (f-strings are parsed from it).
    text: &'t str,
    toks: &'t mut [LexResult],
    pos: usize,
    depth: u32,
}

impl Parser<'_> {
    /// The current token ([`Tok::EndOfFile`] past the end).
    #[inline]
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    /// The token `n` places ahead.
    #[inline]
    fn peek_at(&self, n: usize) -> &Tok {
        match self.toks.get(self.pos + n) {
            Some(Ok((tok, _))) => tok,
            _ => &END,
        }
    }

    /// Whether the current token is the same kind as `kind` (its payload is not compared).
    #[inline]
    fn at(&self, kind: &Tok) -> bool {
        std::mem::discriminant(self.peek()) == std::mem::discriminant(kind)
    }

    /// Moves past the current token.
    #[inline]
    fn bump(&mut self) {
        self.pos += 1;
    }

    /// Moves past the current token if it is of `kind`, else gives up.
    #[inline]
    fn expect(&mut self, kind: &Tok) -> Option<()> {
        if self.at(kind) {
            self.bump();
            Some(())
        } else {
            None
        }
    }

    /// `@L`: where the current token starts.
    #[inline]
    fn start(&self) -> TextSize {
        match self.toks.get(self.pos) {
            Some(Ok((_, range))) => range.start(),
            _ => self.prev_end(),
        }
    }

    /// `@R`: where the last consumed token ends.
    #[inline]
    fn prev_end(&self) -> TextSize {
        match self.pos.checked_sub(1).and_then(|i| self.toks.get(i)) {
            Some(Ok((_, range))) => range.end(),
            _ => TextSize::default(),
        }
    }

    /// The range from `start` to the end of the last consumed token.
    #[inline]
    fn range(&self, start: TextSize) -> TextRange {
        TextRange::new(start, self.prev_end().max(start))
    }

    /// The current token, mutably (to take its payload).
    #[inline]
    fn tok_mut(&mut self) -> Option<&mut Tok> {
        match self.toks.get_mut(self.pos) {
            Some(Ok((tok, _))) => Some(tok),
            _ => None,
        }
    }

    /// `name`: takes the current name token's text.
    #[inline]
    fn take_name_string(&mut self) -> Option<String> {
        let Some(Tok::Name { name }) = self.tok_mut() else {
            return None;
        };
        let name = std::mem::take(name);
        self.bump();
        Some(name)
    }

    /// `Identifier`: the current name token as an identifier.
    #[inline]
    fn identifier(&mut self) -> Option<ast::Identifier> {
        self.take_name_string().map(ast::Identifier::new)
    }

    /// Enters one more level of nesting, or gives up past [`MAX_DEPTH`].
    #[inline]
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Leaves a level entered with [`Parser::enter`].
    #[inline]
    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Whether the current token can start an element of an expression list (`Test` or
    /// `StarExpr`): what tells a trailing comma from a separating one.
    fn starts_expr(&self) -> bool {
        matches!(
            self.peek(),
            Tok::Name { .. }
                | Tok::Int { .. }
                | Tok::Float { .. }
                | Tok::Complex { .. }
                | Tok::String { .. }
                | Tok::Lpar
                | Tok::Lsqb
                | Tok::Lbrace
                | Tok::Minus
                | Tok::Plus
                | Tok::Tilde
                | Tok::Not
                | Tok::Lambda
                | Tok::Await
                | Tok::Star
                | Tok::True
                | Tok::False
                | Tok::None
                | Tok::Ellipsis
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustpython_parser::{lexer::lex, Mode};

    /// Our tree for `text` (fed by rustpython's own lexer), if we answer.
    fn ours(text: &str) -> Option<Vec<ast::Stmt>> {
        let mut toks: Vec<LexResult> = lex(text, Mode::Module).collect();
        parse_suite(text, &mut toks)
    }

    #[test]
    fn gives_up_on_lexical_errors_and_deep_nesting() {
        assert!(ours("x = 'abc\n").is_none());
        let deep = format!("x = {}1{}\n", "(".repeat(150), ")".repeat(150));
        assert!(ours(&deep).is_none());
        let deep = format!("x = {}1\n", "-".repeat(300));
        assert!(ours(&deep).is_none());
        assert!(ours("x = (1)\n").is_some());
    }
}
