//! Debugging aid for `syntax::parse`: for each file given, compares the tree from our tokens with
//! the one from rustpython's lexer and prints where their debug dumps first differ.
//!
//!     cargo run --example parse_compare -- FILE...

use py2to3::syntax::parse::{parse_through_tokens, parse_with_rustpython_lexer};

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(ours) = parse_through_tokens(&text) else {
            println!("{path}: fast path gives up");
            continue;
        };
        let ours = format!("{ours:?}");
        let theirs = format!("{:?}", parse_with_rustpython_lexer(&text));
        let theirs = theirs
            .strip_prefix("Ok(")
            .and_then(|t| t.strip_suffix(')'))
            .unwrap_or(&theirs);
        match ours.bytes().zip(theirs.bytes()).position(|(a, b)| a != b) {
            None if ours.len() == theirs.len() => println!("{path}: same"),
            at => {
                let at = at.unwrap_or(ours.len().min(theirs.len()));
                let from = at.saturating_sub(200);
                println!(
                    "{path}: differ at {at}\n ours: {}\n theirs: {}",
                    &ours[from..(at + 200).min(ours.len())],
                    &theirs[from..(at + 200).min(theirs.len())]
                );
            }
        }
    }
}
