//! Issue 3's parity measure: on Django 1.3.7's `django/` package, `py2to3 fix --select 2to3` and
//! 2to3 give the same AST for at least 95% of the files either changes, once the documented
//! differences (no useless `list()`, only the `urllib.*` submodules used) are normalised; see
//! `scripts/parity/django_ast_parity.py`, which this test runs. Skipped without the corpus or
//! python3, except under CI=true.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn django_ast_parity_with_2to3_is_at_least_95_percent() {
    let corpus = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")));
    let Some(django) = corpus
        .map(|c| c.join("Django-1.3.7").join("django"))
        .filter(|d| d.is_dir())
    else {
        assert!(!support::in_ci(), "the corpus is required under CI=true");
        eprintln!("corpus not found: skipping");
        return;
    };
    if !support::python3_available() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/parity/django_ast_parity.py");
    let out = Command::new("python3")
        .arg(&script)
        .args([
            "--json",
            "--binary",
            env!("CARGO_BIN_EXE_py2to3"),
            "--source",
        ])
        .arg(&django)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rate = summary["rate"].as_f64().unwrap();
    assert!(
        summary["changed"].as_u64().unwrap() > 300,
        "too few changed files: {summary}"
    );
    assert!(rate >= 0.95, "AST parity {rate:.3} < 0.95: {summary}");
}
