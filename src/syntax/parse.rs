//! Parsing Python 3 with rustpython-parser, fed by our own tokenizer.
//!
//! rustpython-parser's lexer is about a third of its parse time, and the pipeline has already
//! tokenized the file with the lossless tokenizer ([`crate::tokens`]), several times faster. So
//! [`parse_module`] turns our tokens into rustpython's [`Tok`]s (keywords, numbers, string
//! bodies, indentation, the newline and end-of-file tokens, with the same byte ranges as its
//! lexer gives) and hands them first to our recursive-descent parser ([`super::descent`], several
//! times faster), which builds the very tree rustpython's would or gives up, and only then to
//! rustpython's LALR parser.
//!
//! Whenever the conversion meets anything it does not handle exactly as rustpython's lexer
//! would (a tab in indentation, a soft keyword at the start of a line, a non-ASCII name, an odd
//! number or string prefix, an error token), and whenever the fed parse fails, the text is parsed
//! again by rustpython's own lexer and parser: errors and their positions are always rustpython's,
//! and the fast path can only ever answer where it is exact. `tests/corpus.rs` compares the trees
//! of both paths on every file of the corpus and of the Python 3 standard library.

use rustpython_parser::ast::bigint::BigInt;
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::{ast, lexer::LexResult, Mode, StringKind, Tok};

use super::descent;
use crate::tokens::{self, Token, TokenKind};

/// Deeper bracket nesting than CPython accepts (its tokenizer's MAXLEVEL) takes the slow path,
/// where the pipeline reports it before any deep recursion.
const MAX_BRACKET_DEPTH: usize = 200;
/// Deeper indentation than CPython accepts (MAXINDENT) takes the slow path too.
const MAX_INDENT_DEPTH: usize = 100;

/// Why a text does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub message: String,
    /// Byte offset of the error, when known.
    pub offset: Option<usize>,
}

/// Parses `text` as a Python 3 module: through our tokens when they convert exactly, else (and
/// on any error) through rustpython's own lexer.
pub fn parse_module(text: &str) -> Result<Vec<ast::Stmt>, ParseFailure> {
    parse_module_with(text, &tokens::tokenize(text))
}

/// [`parse_module`] with the tokens of `text` already made.
pub fn parse_module_with(text: &str, tokens: &[Token]) -> Result<Vec<ast::Stmt>, ParseFailure> {
    match parse_tokens_of(text, tokens) {
        Some(suite) => Ok(suite),
        None => parse_with_rustpython_lexer(text),
    }
}

/// The fast path alone: `None` when the conversion gives up or the parse fails.
pub fn parse_through_tokens(text: &str) -> Option<Vec<ast::Stmt>> {
    parse_tokens_of(text, &tokens::tokenize(text))
}

/// Our recursive-descent parser alone on the converted tokens of `text`: `None` when the
/// conversion or the parser gives up.
pub fn parse_descent(text: &str) -> Option<Vec<ast::Stmt>> {
    let mut toks = convert(text, &tokens::tokenize(text))?;
    descent::parse_suite(text, &mut toks)
}

fn parse_tokens_of(text: &str, tokens: &[Token]) -> Option<Vec<ast::Stmt>> {
    let mut toks = convert(text, tokens)?;
    if let Some(suite) = descent::parse_suite(text, &mut toks) {
        return Some(suite);
    }
    // The descent parser took names and strings out of the tokens: convert again.
    drop(toks);
    let toks = convert(text, tokens)?;
    match rustpython_parser::parse_tokens(toks, Mode::Module, "<file>") {
        Ok(ast::Mod::Module(module)) => Some(module.body),
        _ => None,
    }
}

/// Parses `text` with rustpython-parser alone (its lexer and parser).
pub fn parse_with_rustpython_lexer(text: &str) -> Result<Vec<ast::Stmt>, ParseFailure> {
    match rustpython_parser::parse(text, Mode::Module, "<file>") {
        Ok(ast::Mod::Module(module)) => Ok(module.body),
        Ok(_) => Err(ParseFailure {
            message: "not a module".into(),
            offset: None,
        }),
        Err(e) => Err(ParseFailure {
            message: format!("does not parse as Python 3: {}", e.error),
            offset: Some(u32::from(e.offset) as usize),
        }),
    }
}

/// rustpython's tokens for `text`, or `None` where the conversion would not be exact.
fn convert(text: &str, tokens: &[Token]) -> Option<Vec<LexResult>> {
    // Never more than one per token, plus the indentation and end-of-file tokens: growing
    // this vector of large items would copy it whole.
    let mut out: Vec<LexResult> = Vec::with_capacity(tokens.len() + 16);
    let mut indents: Vec<Width> = Vec::new();
    let mut line_start = true;
    let mut depth = 0usize;
    let mut continuation = false;
    // Where a `match`, `case` or `type` starts a logical line.
    let mut soft: Vec<usize> = Vec::new();
    let at = |offset: usize| TextSize::new(offset as u32);
    for t in tokens {
        let (start, end) = (t.start(), t.end());
        let s = t.text(text);
        match t.kind {
            // Indentation is measured below from the line's text; elsewhere (blank lines,
            // inside brackets, after a continuation) white space means nothing, whatever its
            // mix of spaces, tabs and form feeds (rustpython's lexer rejects a tab after spaces
            // at the start of any line: CPython does not).
            TokenKind::Whitespace => continue,
            TokenKind::Continuation => {
                continuation = true;
                continue;
            }
            // Outside brackets, a line continuation must lead to more code on the next line:
            // anything else (a comment, a blank line, the end of the file) is for rustpython's
            // lexer to judge. Inside brackets, comments and blank lines are trivia anyway
            // (`f(a % \` then a comment line: Django's admin/options.py).
            TokenKind::Comment | TokenKind::Nl if continuation && depth == 0 => return None,
            TokenKind::Comment | TokenKind::Nl => continue,
            TokenKind::Error => return None,
            TokenKind::Newline if continuation => return None,
            TokenKind::Newline => {
                if depth > 0 || line_start {
                    return None;
                }
                out.push(Ok((Tok::Newline, TextRange::new(at(start), at(end)))));
                line_start = true;
                continue;
            }
            _ => {}
        }
        continuation = false;
        let statement_start = line_start;
        if line_start {
            line_start = false;
            let line_begin = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let width = indentation(&text[line_begin..start]);
            let current = indents.last().copied().unwrap_or_default();
            if width.col > current.col {
                // CPython's TabError: deeper with tabs as 8 columns, not with tabs as 1.
                if width.alt <= current.alt {
                    return None;
                }
                indents.push(width);
                if indents.len() > MAX_INDENT_DEPTH {
                    return None;
                }
                out.push(Ok((Tok::Indent, TextRange::new(at(line_begin), at(start)))));
            } else {
                while indents.last().is_some_and(|w| w.col > width.col) {
                    indents.pop();
                    out.push(Ok((Tok::Dedent, TextRange::empty(at(start)))));
                }
                // A dedent to no outer level, or a TabError: rustpython's lexer reports it.
                if indents.last().copied().unwrap_or_default() != width {
                    return None;
                }
            }
        }
        let tok = match t.kind {
            // A soft keyword starting a statement is a keyword for now: `soft_keywords` decides.
            TokenKind::Name if statement_start && matches!(s, "match" | "case" | "type") => {
                soft.push(out.len());
                match s {
                    "match" => Tok::Match,
                    "case" => Tok::Case,
                    _ => Tok::Type,
                }
            }
            TokenKind::Name => name(s)?,
            TokenKind::Number => number(s)?,
            TokenKind::String => string(s)?,
            TokenKind::Op => {
                let tok = operator(s)?;
                match tok {
                    Tok::Lpar | Tok::Lsqb | Tok::Lbrace => {
                        depth += 1;
                        // CPython's limit: the pipeline reports deeper nesting itself.
                        if depth > MAX_BRACKET_DEPTH {
                            return None;
                        }
                    }
                    Tok::Rpar | Tok::Rsqb | Tok::Rbrace => depth = depth.checked_sub(1)?,
                    _ => {}
                }
                tok
            }
            _ => return None,
        };
        out.push(Ok((tok, TextRange::new(at(start), at(end)))));
    }
    if depth > 0 || continuation {
        return None;
    }
    let eof = at(text.len());
    if !line_start {
        out.push(Ok((Tok::Newline, TextRange::empty(eof))));
    }
    for _ in indents.drain(..) {
        out.push(Ok((Tok::Dedent, TextRange::empty(eof))));
    }
    soft_keywords(&mut out, &soft);
    // rustpython's lexer ends its iterator at end of file without yielding `EndOfFile`.
    Some(out)
}

/// The width of an indentation as CPython's tokenizer measures it: `col` with tabs to the next
/// multiple of 8, `alt` with tabs as one column; a form feed starts again from 0. Two lines are
/// at the same level when both agree, and CPython rejects (TabError) indentation on which the
/// two measures disagree about deeper or shallower.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Width {
    col: usize,
    alt: usize,
}

fn indentation(indent: &str) -> Width {
    let mut w = Width::default();
    for b in indent.bytes() {
        match b {
            b'\t' => {
                w.col = (w.col / 8 + 1) * 8;
                w.alt += 1;
            }
            b'\x0c' => w = Width::default(),
            _ => {
                w.col += 1;
                w.alt += 1;
            }
        }
    }
    w
}

/// Turns the soft keywords at `positions` (each starting a logical line) back into names unless
/// the line reads as a `match`/`case` block header or a `type` alias, with the rules of
/// rustpython's own soft-keyword pass, so that both paths give the same tokens:
/// - `match`/`case` stay keywords when the line has a colon outside brackets that is neither
///   right after the keyword (`match: int = 1`) nor a lambda's;
/// - `type` stays a keyword when a name follows and then an `=` outside square brackets, with
///   nothing but brackets in between (`type Alias[T] = list[T]`).
fn soft_keywords(out: &mut [LexResult], positions: &[usize]) {
    for &i in positions {
        let rest = || {
            out[i + 1..]
                .iter()
                .filter_map(|r| r.as_ref().ok().map(|(tok, _)| tok))
        };
        let keyword = match out[i].as_ref().map(|(tok, _)| tok) {
            Ok(Tok::Match | Tok::Case) => {
                let (mut nesting, mut first, mut colon, mut lambda) = (0i32, true, false, false);
                for tok in rest() {
                    match tok {
                        Tok::Newline => break,
                        Tok::Lambda if nesting == 0 => lambda = true,
                        Tok::Colon if nesting == 0 => {
                            if lambda {
                                lambda = false;
                            } else if !first {
                                colon = true;
                            }
                        }
                        Tok::Lpar | Tok::Lsqb | Tok::Lbrace => nesting += 1,
                        Tok::Rpar | Tok::Rsqb | Tok::Rbrace => nesting -= 1,
                        _ => {}
                    }
                    first = false;
                }
                colon
            }
            Ok(Tok::Type) => {
                let mut toks = rest();
                let named = matches!(
                    toks.next(),
                    Some(Tok::Name { .. } | Tok::Type | Tok::Match | Tok::Case)
                );
                let mut nesting = 0i32;
                let mut alias = false;
                for tok in toks.take_while(|_| named) {
                    match tok {
                        Tok::Equal if nesting == 0 => {
                            alias = true;
                            break;
                        }
                        Tok::Lsqb => nesting += 1,
                        Tok::Rsqb => nesting -= 1,
                        _ if nesting > 0 => {}
                        _ => break,
                    }
                }
                alias
            }
            _ => true,
        };
        if !keyword {
            if let Ok((tok, _)) = &mut out[i] {
                let name = match tok {
                    Tok::Match => "match",
                    Tok::Case => "case",
                    _ => "type",
                };
                *tok = Tok::Name { name: name.into() };
            }
        }
    }
}

fn name(s: &str) -> Option<Tok> {
    if !s.is_ascii() {
        return None;
    }
    Some(match s {
        "False" => Tok::False,
        "None" => Tok::None,
        "True" => Tok::True,
        "and" => Tok::And,
        "as" => Tok::As,
        "assert" => Tok::Assert,
        "async" => Tok::Async,
        "await" => Tok::Await,
        "break" => Tok::Break,
        "class" => Tok::Class,
        "continue" => Tok::Continue,
        "def" => Tok::Def,
        "del" => Tok::Del,
        "elif" => Tok::Elif,
        "else" => Tok::Else,
        "except" => Tok::Except,
        "finally" => Tok::Finally,
        "for" => Tok::For,
        "from" => Tok::From,
        "global" => Tok::Global,
        "if" => Tok::If,
        "import" => Tok::Import,
        "in" => Tok::In,
        "is" => Tok::Is,
        "lambda" => Tok::Lambda,
        "nonlocal" => Tok::Nonlocal,
        "not" => Tok::Not,
        "or" => Tok::Or,
        "pass" => Tok::Pass,
        "raise" => Tok::Raise,
        "return" => Tok::Return,
        "try" => Tok::Try,
        "while" => Tok::While,
        "with" => Tok::With,
        "yield" => Tok::Yield,
        _ => Tok::Name {
            name: s.to_string(),
        },
    })
}

fn number(s: &str) -> Option<Tok> {
    let bytes = s.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'0' && bytes[1].is_ascii_alphabetic() {
        let radix = match bytes[1] {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            b'b' | b'B' => 2,
            _ => return None,
        };
        let digits: String = s[2..].chars().filter(|&c| c != '_').collect();
        if digits.is_empty() || s.ends_with('_') || s[2..].contains("__") {
            return None;
        }
        let value = u128::from_str_radix(&digits, radix).ok()?;
        return Some(Tok::Int {
            value: BigInt::from(value),
        });
    }
    if s.ends_with('_') || s.contains("__") || s.contains("_.") || s.contains("._") {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(imag) = clean.strip_suffix(['j', 'J']) {
        let imag: f64 = imag.parse().ok()?;
        return Some(Tok::Complex { real: 0.0, imag });
    }
    if clean.contains(['.', 'e', 'E']) {
        if !clean
            .bytes()
            .all(|b| b.is_ascii_digit() || b".eE+-".contains(&b))
        {
            return None;
        }
        let value: f64 = clean.parse().ok()?;
        return Some(Tok::Float { value });
    }
    if !clean.bytes().all(|b| b.is_ascii_digit()) || clean.is_empty() {
        return None;
    }
    // `007` is an error in Python 3 (rustpython's lexer reports it); `000` is zero.
    if clean.len() > 1 && clean.starts_with('0') && clean.bytes().any(|b| b != b'0') {
        return None;
    }
    let value = match clean.parse::<u64>() {
        Ok(v) => BigInt::from(v),
        Err(_) => clean.parse::<BigInt>().ok()?,
    };
    Some(Tok::Int { value })
}

fn string(s: &str) -> Option<Tok> {
    let quote_at = s.find(['\'', '"'])?;
    let (prefix, rest) = s.split_at(quote_at);
    let kind = match prefix.to_ascii_lowercase().as_str() {
        "" => StringKind::String,
        "u" => StringKind::Unicode,
        "r" => StringKind::RawString,
        "b" => StringKind::Bytes,
        "f" => StringKind::FString,
        "rb" | "br" => StringKind::RawBytes,
        "rf" | "fr" => StringKind::RawFString,
        _ => return None,
    };
    let quote = &rest[..1];
    let triple = quote.repeat(3);
    let (triple_quoted, body) = if rest.len() >= 6 && rest.starts_with(&triple) {
        (true, rest.strip_prefix(&triple)?.strip_suffix(&triple)?)
    } else {
        (false, rest.strip_prefix(quote)?.strip_suffix(quote)?)
    };
    if rest.len() < 2 {
        return None;
    }
    // rustpython's lexer reads `\r\n` and `\r` as `\n`.
    let value = if body.contains('\r') {
        body.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        body.to_string()
    };
    Some(Tok::String {
        value,
        kind,
        triple_quoted,
    })
}

fn operator(s: &str) -> Option<Tok> {
    Some(match s {
        "(" => Tok::Lpar,
        ")" => Tok::Rpar,
        "[" => Tok::Lsqb,
        "]" => Tok::Rsqb,
        "{" => Tok::Lbrace,
        "}" => Tok::Rbrace,
        ":" => Tok::Colon,
        "," => Tok::Comma,
        ";" => Tok::Semi,
        "+" => Tok::Plus,
        "-" => Tok::Minus,
        "*" => Tok::Star,
        "/" => Tok::Slash,
        "|" => Tok::Vbar,
        "&" => Tok::Amper,
        "<" => Tok::Less,
        ">" => Tok::Greater,
        "=" => Tok::Equal,
        "." => Tok::Dot,
        "%" => Tok::Percent,
        "==" => Tok::EqEqual,
        "!=" => Tok::NotEqual,
        "<=" => Tok::LessEqual,
        ">=" => Tok::GreaterEqual,
        "~" => Tok::Tilde,
        "^" => Tok::CircumFlex,
        "<<" => Tok::LeftShift,
        ">>" => Tok::RightShift,
        "**" => Tok::DoubleStar,
        "**=" => Tok::DoubleStarEqual,
        "+=" => Tok::PlusEqual,
        "-=" => Tok::MinusEqual,
        "*=" => Tok::StarEqual,
        "/=" => Tok::SlashEqual,
        "%=" => Tok::PercentEqual,
        "&=" => Tok::AmperEqual,
        "|=" => Tok::VbarEqual,
        "^=" => Tok::CircumflexEqual,
        "<<=" => Tok::LeftShiftEqual,
        ">>=" => Tok::RightShiftEqual,
        "//" => Tok::DoubleSlash,
        "//=" => Tok::DoubleSlashEqual,
        ":=" => Tok::ColonEqual,
        "@" => Tok::At,
        "@=" => Tok::AtEqual,
        "->" => Tok::Rarrow,
        "..." => Tok::Ellipsis,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both paths give the same tree (ranges included) for `text`.
    fn same(text: &str) {
        let ours = convert(text, &tokens::tokenize(text))
            .map(|toks| rustpython_parser::parse_tokens(toks, Mode::Module, "<file>"));
        let theirs = rustpython_parser::parse(text, Mode::Module, "<file>");
        match ours {
            Some(Ok(tree)) => assert_eq!(
                format!("{tree:?}"),
                format!("{:?}", theirs.unwrap_or_else(|e| panic!("{text:?}: {e}")))
            ),
            Some(Err(_)) | None => panic!("the fast path gave up on {text:?}"),
        }
    }

    #[test]
    fn trees_match_rustpython_lexer() {
        same("x = 1\n");
        same("x = 1");
        same(
            "def f(a, *b, c=0x1F, **d) -> None:\n    return a + 1_000 + 0o17 + 0b1 + 1.5e3 + 2j\n",
        );
        same("class A(B):\n    '''doc\r\n    string'''\n\n    def g(self):\n        if x:\n            pass\n        elif y: z = [1,\n  2]\n        return\n# end\n");
        same("s = b'a' rb\"b\"\nt = u'c' f'{x!r:>{w}}' r'\\d' '''t''' \"\"\"\"\"\"\n");
        same("async def f():\n    await g()\n    async for x in y: pass\n");
        same("x = (yield)\nlambda: ...\na @= b\nif (n := 10) > 5: pass\n");
        same("x = 123456789012345678901234567890\ny = 0.0001\nz = 1e-5\nw = 00\n");
        same("try:\n  pass\nexcept (A, B) as e:\n  raise X from e\nfinally:\n  del a[1:2, ::3]\n");
        same("x = 1 + \\\n    2\n\n\n   \n");
        same("f(a % \\\n    # c\n    (b))\nx = [1, \\\n\n 2]\n");
        // Soft keywords: names, block headers, aliases, and names starting a statement.
        same("match x:\n    case [1, 2] if y: pass\n    case {'a': b}: pass\n    case _: pass\n");
        same("match = re.match(p, s)\nmatch.group(1)\ncase = 1; match = 2\nmatch: int = 3\n");
        same("match(x, y)\nmatch[a:b]\nmatch = lambda: 1\ncase, type = 1, 2\ntype(x)\n");
        same("type X = int\ntype Y[T] = list[T]\ntype = 3\ntype.x = 1\ntype type = int\n");
        same("if x:\n    match = 1\n    match y:\n        case 2:\n            type = 4\n");
        // Tabs and form feeds in indentation, blank lines of any white space.
        same("if x:\n\tpass\nelif y:\n\tif z:\n\t\tpass\n\telse:\n\t    a = 1\n");
        same("if x:\n    a\n\x0c    b\n\x0cc\n");
    }

    /// What rustpython's lexer rejects and CPython accepts takes the fast path.
    #[test]
    fn white_space_cpython_accepts_parses() {
        for text in [
            "x = (1,\n  \t2)\n",
            "x = 1\n \t",
            "def f():\n    return 1\n \t",
            "if x:\n\ty = 1\n \t",
            "if x:\n\ty = 1\n \t\n\tz = 2\n",
            "if x:\n  \ty = 1\n  \tz = 2\n",
            "x = 1\n \t\n\t \t\n",
        ] {
            assert!(parse_module(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn doubtful_input_takes_the_rustpython_path() {
        let gives_up = |text: &str| convert(text, &tokens::tokenize(text)).is_none();
        // Indentation CPython rejects (TabError, a dedent to no outer level).
        assert!(gives_up("if x:\n        a\n\tb\n"));
        assert!(gives_up("if x:\n  \ta\n\tb\n"));
        assert!(gives_up("if x:\n    a\n  b\n"));
        assert!(gives_up("x = 'a' \\\n"));
        assert!(gives_up("x = 1 + \\\n# c\n2\n"));
        assert!(gives_up("x = 0777\n"));
        assert!(gives_up("x = ur'a'\n"));
        assert!(gives_up("x = `y`\n"));
        assert!(gives_up("café = 1\n"));
        // Errors are rustpython's own.
        assert!(parse_module("x = (\n").is_err());
        assert!(parse_module("  x = 1\n").is_err());
        assert!(parse_module("match x:\n    case 1: pass\n").is_ok());
    }
}
