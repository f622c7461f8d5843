//! Profiling aid for `py2to3 check`: times the phases of the check pipeline on one thread over
//! every `.py` file under the given folders, each phase as the pipeline runs it (our tokens fed
//! to the parser), next to the whole `check_text`.
//!
//!     cargo run --release --example check_phases -- ~/.cache/py2-corpus/Django-1.3.7/django

use std::time::{Duration, Instant};

use py2to3::engine::apply::apply_fixes;
use py2to3::engine::checker::check_module;
use py2to3::engine::pipeline::{check_text, Settings};
use py2to3::engine::Applicability;
use py2to3::fixers::{registry, TokenContext};
use py2to3::syntax::parse::{parse_module, parse_module_with};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .flat_map(|root| ignore::WalkBuilder::new(root).build())
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let enabled = py2to3::config::select::from_flags(&[], &[]).expect("default selection");
    let settings = Settings::new(registry::all(), enabled.clone());
    let mut t = [Duration::ZERO; 7];
    let (mut grammar_changed, mut parse_failed) = (0, 0);
    for text in &texts {
        let s = Instant::now();
        let tokens = py2to3::tokens::tokenize(text);
        t[0] += s.elapsed();
        let s = Instant::now();
        let cx = TokenContext::new(text, &tokens);
        t[1] += s.elapsed();
        let s = Instant::now();
        let mut diags = Vec::new();
        py2to3::engine::spec::run_token_fixers(&cx, &enabled, &mut diags);
        drop(cx);
        t[2] += s.elapsed();
        let applied = apply_fixes(text, &diags, Applicability::DisplayOnly);
        let s = Instant::now();
        let parsed = if applied.fixes > 0 {
            grammar_changed += 1;
            parse_module(&applied.text)
        } else {
            parse_module_with(text, &tokens)
        };
        t[3] += s.elapsed();
        let current = if applied.fixes > 0 {
            &applied.text
        } else {
            text
        };
        match parsed {
            Ok(suite) => {
                let s = Instant::now();
                let d = check_module(current, &suite, &enabled);
                t[4] += s.elapsed();
                let s = Instant::now();
                drop(suite);
                drop(d);
                t[5] += s.elapsed();
            }
            Err(_) => parse_failed += 1,
        }
        let s = Instant::now();
        let _ = check_text(text, &settings);
        t[6] += s.elapsed();
    }
    let names = [
        "tokenize",
        "statement view",
        "token fixers",
        "parse (+retokenize)",
        "AST checker",
        "drop AST",
        "check_text (whole)",
    ];
    println!(
        "{} files; grammar fixes changed {grammar_changed}; parse failed {parse_failed}",
        texts.len()
    );
    for (name, d) in names.iter().zip(t) {
        println!("{name:>20}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
}
