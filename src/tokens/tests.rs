use super::*;

fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
    let tokens = tokenize(text);
    let joined: std::string::String = tokens.iter().map(|t| t.text(text)).collect();
    assert_eq!(joined, text, "tokens must concatenate back to the input");
    tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Whitespace)
        .map(|t| (t.kind, t.text(text)))
        .collect()
}

use TokenKind::*;

#[test]
fn python2_tokens() {
    assert_eq!(
        kinds("print >>f, `x` <> 0777L, ur'a\\'b'\n"),
        vec![
            (Name, "print"),
            (Op, ">>"),
            (Name, "f"),
            (Op, ","),
            (Op, "`"),
            (Name, "x"),
            (Op, "`"),
            (Op, "<>"),
            (Number, "0777L"),
            (Op, ","),
            (String, "ur'a\\'b'"),
            (Newline, "\n"),
        ]
    );
}

#[test]
fn python3_tokens() {
    assert_eq!(
        kinds("def f(a) -> int: return f'{a!r}' @ x[...]\n"),
        vec![
            (Name, "def"),
            (Name, "f"),
            (Op, "("),
            (Name, "a"),
            (Op, ")"),
            (Op, "->"),
            (Name, "int"),
            (Op, ":"),
            (Name, "return"),
            (String, "f'{a!r}'"),
            (Op, "@"),
            (Name, "x"),
            (Op, "["),
            (Op, "..."),
            (Op, "]"),
            (Newline, "\n"),
        ]
    );
}

#[test]
fn newlines_inside_brackets_and_comments_are_nl() {
    assert_eq!(
        kinds("x = (1,\r\n  2)  # c\r\n\n# only\ny"),
        vec![
            (Name, "x"),
            (Op, "="),
            (Op, "("),
            (Number, "1"),
            (Op, ","),
            (Nl, "\r\n"),
            (Number, "2"),
            (Op, ")"),
            (Comment, "# c"),
            (Newline, "\r\n"),
            (Nl, "\n"),
            (Comment, "# only"),
            (Nl, "\n"),
            (Name, "y"),
        ]
    );
}

#[test]
fn strings_triple_and_unterminated() {
    assert_eq!(
        kinds("'''a\n'b''' x"),
        vec![(String, "'''a\n'b'''"), (Name, "x")]
    );
    assert_eq!(
        kinds("'abc\nx"),
        vec![(Error, "'abc"), (Newline, "\n"), (Name, "x")]
    );
    assert_eq!(
        kinds("\"\"\"never closed"),
        vec![(Error, "\"\"\"never closed")]
    );
    assert_eq!(
        kinds("rb'\\d' Br\"x\" bu'x'"),
        vec![
            (String, "rb'\\d'"),
            (String, "Br\"x\""),
            (Name, "bu"),
            (String, "'x'")
        ]
    );
}

#[test]
fn continuation_numbers_and_junk() {
    assert_eq!(
        kinds("a = 1.5e-3j + \\\n 0xFFL $ 1_000"),
        vec![
            (Name, "a"),
            (Op, "="),
            (Number, "1.5e-3j"),
            (Op, "+"),
            (Continuation, "\\\n"),
            (Number, "0xFFL"),
            (Error, "$"),
            (Number, "1_000"),
        ]
    );
    assert_eq!(
        kinds("é = .5"),
        vec![(Name, "é"), (Op, "="), (Number, ".5")]
    );
    assert_eq!(kinds("\\"), vec![(Error, "\\")]);
}
