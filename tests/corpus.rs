//! End to end on real Python 2 projects (downloaded by scripts/corpus/get.sh, never committed):
//! Django 1.3.7 must come out as Python 3 that python3 parses, and a second run must change nothing.
//! Skipped when the corpus is missing, except under CI=true.

#[path = "support/stdlib.rs"]
mod stdlib;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::py2to3;

/// The corpus folder, or None (skip) when it is not there outside CI.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    if dir.join("Django-1.3.7").is_dir() {
        return Some(dir);
    }
    assert!(
        !support::in_ci(),
        "the corpus is required under CI=true: run scripts/corpus/get.sh"
    );
    eprintln!("corpus not found at {}: skipping", dir.display());
    None
}

fn copy_tree(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-r")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn py_files(root: &Path) -> Vec<PathBuf> {
    ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect()
}

#[test]
fn django_fixes_to_python3_that_parses_and_is_a_fixed_point() {
    let Some(corpus) = corpus() else { return };
    if !support::python3_available() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("Django-1.3.7");
    copy_tree(&corpus.join("Django-1.3.7"), &tree);
    let out = py2to3().arg("fix").arg(&tree).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(" 0 failed"), "some files failed:\n{stderr}");
    let files = py_files(&tree);
    assert!(files.len() >= 1600, "only {} files", files.len());
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut failures = Vec::new();
    for chunk in refs.chunks(400) {
        failures.extend(support::python3_parse_failures(chunk));
    }
    assert!(
        failures.is_empty(),
        "python3 cannot parse {} files:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let again = py2to3()
        .args(["fix", "--check"])
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(0),
        "second run would change files:\n{}{}",
        String::from_utf8_lossy(&again.stdout),
        String::from_utf8_lossy(&again.stderr)
    );
}

#[test]
fn django_check_json_has_the_documented_keys() {
    let Some(corpus) = corpus() else { return };
    let tree = corpus.join("Django-1.3.7/django");
    let out = py2to3()
        .args(["check", "--output-format", "json"])
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    assert!(findings.len() > 500, "only {} findings", findings.len());
    for key in [
        "code",
        "name",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "fixable",
    ] {
        assert!(
            findings.iter().all(|f| f.get(key).is_some()),
            "a finding lacks {key}"
        );
    }
}

/// The pipeline ends a file after one AST round when the edited statements re-parse on their own
/// (src/engine/verify.rs) instead of re-parsing and re-checking the whole file. On every file of
/// the corpus, both ways must give the same text: a difference is a fixer that creates work for
/// another, which must be listed in the pipeline's ENABLERS.
#[test]
fn corpus_fixes_the_same_with_and_without_the_one_round_shortcut() {
    use py2to3::engine::pipeline::{fix_text_at, Settings};
    use py2to3::fixers::registry;
    use rayon::prelude::*;

    let Some(corpus) = corpus() else { return };
    let mut files = py_files(&corpus.join("Django-1.3.7"));
    files.extend(py_files(&corpus.join("python-dateutil-1.4.1")));
    files.extend(py_files(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
    ));
    let enabled = py2to3::config::select::from_flags(&[], &[]).unwrap();
    let shortcut = Settings::new(registry::all(), enabled.clone()).with_folders(
        std::sync::Arc::new(py2to3::run::folders::Listings::default()),
    );
    let mut full = Settings::new(registry::all(), enabled).with_folders(std::sync::Arc::new(
        py2to3::run::folders::Listings::default(),
    ));
    full.full_rounds = true;
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .unwrap();
    let differ: Vec<String> = pool.install(|| {
        files
            .par_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(path).ok()?;
                let source = py2to3::source::SourceFile::decode(&bytes).ok()?;
                let a = fix_text_at(&source.text, &shortcut, Some(path)).map(|o| o.text);
                let b = fix_text_at(&source.text, &full, Some(path)).map(|o| o.text);
                (a != b).then(|| path.display().to_string())
            })
            .collect()
    });
    assert!(files.len() > 1700, "only {} files", files.len());
    assert!(differ.is_empty(), "different results: {differ:#?}");
}

/// `syntax::parse` feeds rustpython's parser with our tokens instead of its lexer. Wherever that
/// path answers, its tree (node ranges included) must equal the one rustpython's own lexer gives:
/// checked on every file of Python 3's standard library and on the fixtures' outputs.
#[test]
fn parse_through_our_tokens_gives_rustpython_lexer_trees() {
    use py2to3::syntax::parse::{parse_through_tokens, parse_with_rustpython_lexer};
    use rayon::prelude::*;

    if !support::python3_available() {
        return;
    }
    let stdlib = stdlib::stdlib_dir();
    let mut files = py_files(&stdlib);
    files.extend(support::fixture_outputs());
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .unwrap();
    // (fast path taken, the file when the trees differ, the file when only ours parses it)
    type Answer = (bool, Option<String>, Option<PathBuf>);
    let (fast, differ, only_ours): (usize, Vec<String>, Vec<PathBuf>) = pool.install(|| {
        let results: Vec<Answer> = files
            .par_iter()
            .map(|path| {
                let Some(text) = std::fs::read(path)
                    .ok()
                    .and_then(|b| py2to3::source::SourceFile::decode(&b).ok())
                    .map(|s| s.text)
                else {
                    return (false, None, None);
                };
                let Some(ours) = parse_through_tokens(&text) else {
                    return (false, None, None);
                };
                match parse_with_rustpython_lexer(&text) {
                    Ok(theirs) => {
                        let same = format!("{theirs:?}") == format!("{ours:?}");
                        (true, (!same).then(|| path.display().to_string()), None)
                    }
                    // rustpython's lexer rejects a tab after spaces in any line's leading white
                    // space; CPython only in indentation it cannot compare (TabError).
                    Err(_) => (true, None, Some(path.clone())),
                }
            })
            .collect();
        let fast = results.iter().filter(|(f, _, _)| *f).count();
        let (mut differ, mut only_ours) = (Vec::new(), Vec::new());
        for (_, d, o) in results {
            differ.extend(d);
            only_ours.extend(o);
        }
        (fast, differ, only_ours)
    });
    assert!(differ.is_empty(), "trees differ: {differ:#?}");
    let refs: Vec<&Path> = only_ours.iter().map(PathBuf::as_path).collect();
    let rejected = support::python3_parse_failures(&refs);
    assert!(
        rejected.is_empty(),
        "parsed by us, rejected by python3: {rejected:#?}"
    );
    // The fast path must actually be taken for most files.
    assert!(
        fast * 10 >= files.len() * 8,
        "fast path on {fast} of {} files",
        files.len()
    );
}
