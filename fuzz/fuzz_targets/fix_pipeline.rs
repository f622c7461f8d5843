//! Fuzz the codemod engine: the tokenizer round-trips any text exactly; the fix pipeline and the
//! check pipeline never panic (a caught panic surfaces as an "internal error", which fails here);
//! whatever `fix` returns parses as Python 3 and the fast parse agrees with rustpython's lexer.
//!
//!     mkdir -p fuzz/corpus/fix_pipeline
//!     cargo +nightly fuzz run fix_pipeline fuzz/corpus/fix_pipeline fixtures/*/ examples/legacy_app -- -max_total_time=300
//!
//! (the fixtures and the example app are the seeds; new inputs go to the ignored corpus folder)
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use py2to3::engine::parse::{parse_module, parse_through_tokens, parse_with_rustpython_lexer};
use py2to3::engine::pipeline::{check_text, fix_text, Settings};
use py2to3::fixers::registry;

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| {
    Settings::new(registry::resolve_selection(&["ALL".to_string()], &[]).expect("ALL selects"))
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tokens = py2to3::tokens::tokenize(text);
    let joined: String = tokens.iter().map(|t| t.text(text)).collect();
    assert_eq!(joined, text, "tokens must concatenate back to the input");

    if let Some(ours) = parse_through_tokens(text) {
        let theirs = parse_with_rustpython_lexer(text).expect("the fast parse accepted it");
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
    }

    match fix_text(text, &SETTINGS) {
        Ok(outcome) => {
            assert!(
                parse_module(&outcome.text).is_ok(),
                "fix returned text that does not parse"
            );
        }
        Err(e) => assert!(!e.message.contains("internal error"), "{}", e.message),
    }
    if let Err(e) = check_text(text, &SETTINGS) {
        assert!(!e.message.contains("internal error"), "{}", e.message);
    }
});
