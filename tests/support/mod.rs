//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Whether tests must not skip (CI sets CI=true).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether python3 runs here; panics under CI when it does not.
pub fn python3_available() -> bool {
    let ok = Command::new("python3")
        .arg("-c")
        .arg("pass")
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(!in_ci(), "python3 is required under CI=true");
        eprintln!("python3 not found: skipping the python3 oracle");
    }
    ok
}

/// Runs `ast.parse` on each file with python3; returns the files that fail, with the error.
pub fn python3_parse_failures(files: &[&Path]) -> Vec<String> {
    let script = r#"
import ast, sys
for path in sys.argv[1:]:
    try:
        ast.parse(open(path, 'rb').read(), path)
    except SyntaxError as e:
        print(f"{path}:{e.lineno}:{e.offset}: {e.msg}")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The py2to3 binary built for the tests.
pub fn py2to3() -> Command {
    Command::new(env!("CARGO_BIN_EXE_py2to3"))
}

/// A Python 2.7 interpreter to run the original programs under: `$PY2TO3_PYTHON2` if set, else
/// pyenv's CPython 2.7.18, else `python2.7`/`python2` on PATH, else Debian's `jython` (Jython 2.7).
/// `None` (skip) when there is none; panics under CI, where `.ci/run` makes sure there is one.
pub fn python2() -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let works = |p: &Path| {
        Command::new(p)
            .args(["-c", "import sys; assert sys.version_info[:2] == (2, 7)"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("PY2TO3_PYTHON2") {
        candidates.push(PathBuf::from(p));
    }
    if let Ok(out) = Command::new("pyenv").args(["prefix", "2.7.18"]).output() {
        if out.status.success() {
            let prefix = String::from_utf8_lossy(&out.stdout).trim().to_string();
            candidates.push(Path::new(&prefix).join("bin/python"));
        }
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(Path::new(&home).join(".pyenv/versions/2.7.18/bin/python"));
    }
    candidates.extend(["python2.7", "python2", "jython"].map(PathBuf::from));
    let found = candidates.into_iter().find(|p| works(p));
    if found.is_none() {
        assert!(
            !in_ci(),
            "a Python 2.7 is required under CI=true (pyenv 2.7.18 or Debian's jython)"
        );
        eprintln!("no Python 2.7 found: skipping the Python 2 oracle");
    }
    found
}

/// The fixtures' Python 3 outputs, sorted: each case's `fixtures/<selector>/<case>.py.expected`,
/// or the case itself when `fix` leaves it unchanged (it then has no `.expected`).
/// tests/fixtures.rs checks that python3 parses them all.
pub fn fixture_outputs() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for folder in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(folder.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let case = file.path();
            if case.extension().is_some_and(|e| e == "py") {
                let expected = std::path::PathBuf::from(format!("{}.expected", case.display()));
                out.push(if expected.exists() { expected } else { case });
            }
        }
    }
    out.sort();
    out
}
