//! Property tests: tokenizing any text round-trips exactly, and the whole fix/check pipeline never
//! panics (a panic caught by the pipeline's guard shows up as an "internal error" and fails here);
//! the token (grammar) fixers, run directly, neither panic on any prefix of any fixture nor loop.
//!
//! `PROPTEST_CASES=200000 cargo test --release --test robustness` runs it for minutes.

use proptest::prelude::*;
use py2to3::config::select;
use py2to3::engine::apply::apply_fixes;
use py2to3::engine::pipeline::{check_text, fix_text, Settings};
use py2to3::engine::spec::{run_token_fixers, FixerKind, FixerSpec, TokenContext};
use py2to3::engine::Applicability;
use py2to3::fixers::registry;
use py2to3::tokens::tokenize;

/// Python-ish fragments, so random texts reach deep into the fixers rather than failing early.
const FRAGMENTS: &[&str] = &[
    "print ",
    "print",
    ">>",
    "exec ",
    " in ",
    "except ",
    ", e",
    "raise ",
    "E, V",
    ", T",
    "`",
    "<>",
    "0777",
    "10L",
    "ur'\\u1'",
    "lambda (a, b): a",
    "def f(a, (b, c)):",
    "\n",
    "\r\n",
    "\t",
    "    ",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ";",
    "x",
    "d.iteritems()",
    "d.keys()",
    "map(f, x)",
    "xrange(3)",
    "it.next()",
    "d.has_key(k)",
    "'''",
    "\"",
    "'",
    "#",
    "\\\n",
    "True=True",
    "import ",
    "from __future__ import print_function\n",
    "if x:",
    "else:",
    "class A:",
    "return ",
    "yield ",
    "async",
    "é",
    "\u{0}",
    "\x0c",
    "=",
    "+",
    "-",
    "*",
    "**",
    ".",
    "@",
    "->",
];

fn python_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..60).prop_map(|parts| parts.concat())
}

fn settings() -> Settings {
    Settings::new(registry::all(), select::from_flags(&["ALL"], &[]).unwrap())
}

fn assert_no_internal_error<T>(
    result: &Result<T, py2to3::engine::pipeline::PipelineError>,
    text: &str,
) {
    if let Err(e) = result {
        assert!(
            !e.message.contains("internal error"),
            "{} on {text:?}",
            e.message
        );
        assert!(
            !e.message.contains("did not converge"),
            "{} on {text:?}",
            e.message
        );
    }
}

proptest! {
    #[test]
    fn tokens_round_trip_any_text(text in any::<String>()) {
        let joined: String = tokenize(&text).iter().map(|t| t.text(&text)).collect();
        prop_assert_eq!(joined, text);
    }

    #[test]
    fn tokens_round_trip_python_like(text in python_like()) {
        let tokens = tokenize(&text);
        let joined: String = tokens.iter().map(|t| t.text(&text)).collect();
        prop_assert_eq!(joined, text.clone());
        prop_assert!(tokens.iter().all(|t| t.start < t.end));
    }

    #[test]
    fn pipeline_never_panics(text in python_like()) {
        let settings = settings();
        let fixed = fix_text(&text, &settings);
        assert_no_internal_error(&fixed, &text);
        if let Ok(out) = fixed {
            // A fixed result is a fixed point.
            let again = fix_text(&out.text, &settings);
            prop_assert!(again.as_ref().is_ok_and(|a| a.text == out.text), "not idempotent on {:?}: {:?} -> {:?}", text, out.text, again);
        }
        assert_no_internal_error(&check_text(&text, &settings), &text);
    }
}

/// The token fixers (the grammar family): they run on any text, parsed or not.
fn token_fixers() -> Vec<&'static FixerSpec> {
    registry::all()
        .iter()
        .copied()
        .filter(|s| matches!(s.kind, FixerKind::Tokens(_)))
        .collect()
}

/// One round of `fixers` over `text`, outside the pipeline (no parse, no panic guard): the new
/// text and how many fixes applied.
fn token_round(text: &str, fixers: &[&'static FixerSpec]) -> (String, usize) {
    let tokens = tokenize(text);
    let cx = TokenContext::new(text, &tokens);
    let mut diagnostics = Vec::new();
    run_token_fixers(&cx, fixers, &mut diagnostics);
    let applied = apply_fixes(text, &diagnostics, Applicability::Safe);
    (applied.text, applied.fixes)
}

/// Runs `fixers` to a fixed point; panics if they do not converge in 10 rounds.
fn token_fixed_point(text: &str, fixers: &[&'static FixerSpec]) -> String {
    let mut current = text.to_string();
    for _ in 0..10 {
        let (next, fixes) = token_round(&current, fixers);
        if fixes == 0 || next == current {
            return current;
        }
        current = next;
    }
    panic!("token fixes did not converge in 10 rounds on {text:?}");
}

/// No token fixer panics on any prefix of any fixture case (unterminated strings, open
/// brackets, headers without bodies ...), nor on a few hostile snippets, and the output of a fix
/// round can be fixed again.
#[test]
fn token_fixers_never_panic_on_truncated_or_odd_input() {
    let fixers = token_fixers();
    let mut inputs: Vec<String> = [
        "print >>",
        "print >>f,",
        "raise ,",
        "raise E,,",
        "except , :",
        "except E, :\n",
        "def f((a, b)",
        "def f((a, b)):",
        "lambda (a, b)",
        "lambda (a, (b)): b",
        "def f(True=True",
        "def f(True=True):",
        "async = 1; x.async = 2",
        ")))]]]: print x",
        "`a` `b` ``",
        "\t\n \tif x:\n\t\ty\n        z\n",
        "b'\u{e9}\\",
        "ur'\\",
        "exec in",
        "print\u{c}x",
        "\u{feff}print x",
    ]
    .map(String::from)
    .to_vec();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for folder in std::fs::read_dir(root).expect("fixtures/").flatten() {
        for case in std::fs::read_dir(folder.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = case.path();
            if path.extension().is_some_and(|x| x == "py") {
                inputs.push(std::fs::read_to_string(path).expect("UTF-8"));
            }
        }
    }
    for input in &inputs {
        for cut in (0..=input.len()).filter(|&i| input.is_char_boundary(i)) {
            let (fixed, _) = token_round(&input[..cut], &fixers);
            token_round(&fixed, &fixers);
        }
    }
}

/// Random soups of Python 2 fragments: no panic, and the token fixers converge.
#[test]
fn token_fixers_converge_on_random_fragments() {
    const FRAGMENTS: &[&str] = &[
        "print",
        " ",
        ">>",
        "f",
        ",",
        "x",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        ";",
        "\n",
        "\t",
        "    ",
        "`",
        "<>",
        "0777",
        "10L",
        "ur'\\u00e9'",
        "b'\u{e9}'",
        "exec",
        "in",
        "except",
        "raise",
        "E",
        "lambda",
        "def",
        "g",
        "True",
        "=",
        "async",
        "if",
        "else",
        "try",
        "for",
        "\\\n",
        "# c\n",
        "'s'",
        "\"\"\"d\"\"\"",
        "None",
        ".",
        "1",
        "\r\n",
        "except E, (a, b):\n",
        "def f((a, b)):\n",
        "lambda (a, b): a",
        "[x for x in 1, 2]",
        "raise E, V, T",
        "print >>f, x,",
        "def h(x, True=True):",
        "    pass\n",
        "class A:",
    ];
    let fixers = token_fixers();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..5000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
            .collect();
        token_fixed_point(&text, &fixers);
    }
}
