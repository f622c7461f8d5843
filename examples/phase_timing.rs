//! Profiling aid: where does `py2to3 fix` spend its time? Runs the phases of the pipeline one by
//! one over every `.py` file under the given folders, on one thread, and prints the total time of
//! each phase next to the whole pipeline.
//!
//!     cargo run --release --example phase_timing -- ~/.cache/py2-corpus/Django-1.3.7/django

use std::time::{Duration, Instant};

use py2to3::engine::apply::apply_fixes;
use py2to3::engine::checker::check_module;
use py2to3::engine::pipeline::{fix_text, Settings};
use py2to3::engine::Applicability;
use py2to3::fixers::{registry, TokenContext};

/// The allocator `py2to3` itself uses (see src/main.rs).
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
    let mut t = [Duration::ZERO; 6];
    let mut rounds = 0usize;
    let (mut rename_only_rounds, mut rename_only_bytes) = (0usize, 0usize);
    let (mut fixed_rounds, mut fixed_bytes) = (0usize, 0usize);
    let is_ident = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c == '_' || c.is_alphanumeric())
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    for text in &texts {
        let mut current = text.clone();
        // Token phase, repeated until nothing applies (as the pipeline does today).
        loop {
            let s = Instant::now();
            let tokens = py2to3::tokens::tokenize(&current);
            t[0] += s.elapsed();
            let s = Instant::now();
            let cx = TokenContext::new(&current, &tokens);
            let mut diags = Vec::new();
            py2to3::engine::spec::run_token_fixers(&cx, &enabled, &mut diags);
            let applied = apply_fixes(&current, &diags, Applicability::Safe);
            t[1] += s.elapsed();
            if applied.fixes == 0 {
                break;
            }
            current = applied.text;
        }
        loop {
            rounds += 1;
            let s = Instant::now();
            let parsed =
                rustpython_parser::parse(&current, rustpython_parser::Mode::Module, "<file>");
            t[2] += s.elapsed();
            let Ok(rustpython_parser::ast::Mod::Module(m)) = parsed else {
                break;
            };
            let s = Instant::now();
            let diags = check_module(&current, &m.body, &enabled);
            t[3] += s.elapsed();
            let s = Instant::now();
            let applied = apply_fixes(&current, &diags, Applicability::Safe);
            t[4] += s.elapsed();
            if applied.fixes > 0 {
                let renames_only = applied.skipped == 0
                    && applied
                        .edits
                        .iter()
                        .all(|e| is_ident(&current[e.start..e.end]) && is_ident(&e.content));
                if renames_only {
                    rename_only_rounds += 1;
                    rename_only_bytes += current.len();
                }
                fixed_rounds += 1;
                fixed_bytes += current.len();
            }
            if applied.fixes == 0 || rounds > 1000 {
                break;
            }
            current = applied.text;
        }
        let s = Instant::now();
        let _ = fix_text(text, &settings);
        t[5] += s.elapsed();
    }
    let names = [
        "tokenize",
        "token fixers+apply",
        "parse",
        "AST checker",
        "apply AST fixes",
        "fix_text (whole)",
    ];
    println!("{} files, {rounds} AST rounds", texts.len());
    println!(
        "AST rounds with fixes: {fixed_rounds} ({fixed_bytes} bytes); of them renames only: {rename_only_rounds} ({rename_only_bytes} bytes); all files {} bytes",
        texts.iter().map(|t| t.len()).sum::<usize>()
    );
    for (name, d) in names.iter().zip(t) {
        println!("{name:>20}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
}
