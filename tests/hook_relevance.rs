//! `AstHooks::expr_relevant` lets the checker skip an expression hook for a whole module when
//! the module cannot trigger it (it never mentions `long`, no attribute is called `xreadlines`...).
//! Skipping must never lose a finding: on every fixture and on the corpus (made Python 3 by the
//! grammar fixers first, so the AST rules see all of it), every rule, default or not, must
//! report exactly the same with the predicates as without them.

use std::path::{Path, PathBuf};

use py2to3::engine::checker::check_module;
use py2to3::engine::pipeline::{fix_text, Settings};
use py2to3::fixers::registry;
use py2to3::fixers::{FixerKind, FixerSpec};
use py2to3::source::SourceFile;
use py2to3::syntax::parse::parse_module;
use rayon::prelude::*;

fn python_files(root: &Path) -> Vec<PathBuf> {
    ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".py") || name.ends_with(".py.expected")
        })
        .collect()
}

/// Every rule with its relevance predicate removed (always called).
fn without_predicates() -> Vec<&'static FixerSpec> {
    registry::all()
        .iter()
        .map(|spec| {
            let mut spec = **spec;
            if let FixerKind::Ast(hooks) = &mut spec.kind {
                hooks.expr_relevant = None;
            }
            &*Box::leak(Box::new(spec))
        })
        .collect()
}

#[test]
fn skipping_irrelevant_hooks_loses_no_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = python_files(&root.join("fixtures"));
    let corpus = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")));
    if let Some(corpus) = corpus.filter(|c| c.is_dir()) {
        files.extend(python_files(&corpus));
    }
    let all: Vec<&'static FixerSpec> = registry::all().to_vec();
    let plain = without_predicates();
    assert!(
        all.iter()
            .any(|s| matches!(s.kind, FixerKind::Ast(h) if h.expr_relevant.is_some())),
        "no rule has a relevance predicate: this test tests nothing"
    );
    let grammar = Settings::new(
        registry::all(),
        all.iter()
            .copied()
            .filter(|s| matches!(s.kind, FixerKind::Tokens(_)))
            .collect(),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .unwrap();
    let (checked, differ): (usize, Vec<String>) = pool.install(|| {
        let results: Vec<Option<Option<String>>> = files
            .par_iter()
            .map(|path| {
                let text = std::fs::read(path)
                    .ok()
                    .and_then(|b| SourceFile::decode(&b).ok())?
                    .text;
                let text = fix_text(&text, &grammar).map_or(text, |o| o.text);
                let suite = parse_module(&text).ok()?;
                let key =
                    |d: &py2to3::engine::Diagnostic| (d.code, d.start, d.end, d.message.clone());
                let with: Vec<_> = check_module(&text, &suite, &all).iter().map(key).collect();
                let without: Vec<_> = check_module(&text, &suite, &plain)
                    .iter()
                    .map(key)
                    .collect();
                Some((with != without).then(|| {
                    let missing: Vec<_> = without.iter().filter(|d| !with.contains(d)).collect();
                    format!("{}: {missing:?}", path.display())
                }))
            })
            .collect();
        (
            results.iter().flatten().count(),
            results.into_iter().flatten().flatten().collect(),
        )
    });
    assert!(differ.is_empty(), "findings lost: {differ:#?}");
    assert!(checked > 100, "only {checked} files checked");
}
