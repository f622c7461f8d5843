//! Property tests: tokenizing any text round-trips exactly, and the whole fix/check pipeline never
//! panics (a panic caught by the pipeline's guard shows up as an "internal error" and fails here).
//!
//! `PROPTEST_CASES=200000 cargo test --release --test robustness` runs it for minutes.

use proptest::prelude::*;
use py2to3::config::select;
use py2to3::engine::pipeline::{check_text, fix_text, Settings};
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
