//! End to end on python-dateutil 1.4.1 (downloaded by ../shared/corpus/get.sh, never committed):
//! `py2to3 fix dateutil test.py` on a copy, then `python3 test.py` there must run all 476 tests
//! and pass them all. Skipped when the corpus or python3 is missing, except under CI=true.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::py2to3;

const PROJECT: &str = "python-dateutil-1.4.1";

/// The project folder in the corpus, or None (skip) when it is not there outside CI.
fn project() -> Option<PathBuf> {
    let dir = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?
        .join(PROJECT);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !support::in_ci(),
        "{PROJECT} is required under CI=true: run ../shared/corpus/get.sh"
    );
    eprintln!("{} not found: skipping", dir.display());
    None
}

#[test]
fn dateutil_test_suite_passes_after_the_fix() {
    let Some(source) = project() else { return };
    if !support::python3_available() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join(PROJECT);
    let copied = Command::new("cp")
        .arg("-r")
        .arg(&source)
        .arg(&tree)
        .status()
        .unwrap();
    assert!(copied.success());

    let fix = py2to3()
        .current_dir(&tree)
        .args(["fix", "dateutil", "test.py"])
        .output()
        .unwrap();
    let fix_stderr = String::from_utf8_lossy(&fix.stderr);
    assert!(
        matches!(fix.status.code(), Some(0 | 1)),
        "py2to3 fix failed:\n{fix_stderr}"
    );
    assert!(
        fix_stderr.contains(" 0 failed"),
        "some files failed:\n{fix_stderr}"
    );

    let run = Command::new("python3")
        .current_dir(&tree)
        .env("PYTHONPATH", &tree)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg("test.py")
        .output()
        .unwrap();
    // unittest reports on stderr.
    let report = String::from_utf8_lossy(&run.stderr);
    let last_lines: Vec<&str> = report.lines().rev().take(60).collect();
    let tail = last_lines.into_iter().rev().collect::<Vec<_>>().join("\n");
    assert!(
        report.contains("Ran 476 tests"),
        "not all tests ran:\n{tail}"
    );
    assert!(
        run.status.success() && report.trim_end().ends_with("OK"),
        "the test suite failed:\n{tail}"
    );
}
