//! Behaviour parity (issue 19): every program in `tests/behaviour/cases/` and every runnable
//! fixture, converted by `py2to3 fix`, must print the same stdout, the same last line of stderr and
//! exit with the same status under python3 as the original does under Python 2.7; the converted
//! copies must be fixed points and compile under python3; the programs of
//! `tests/behaviour/declined/` must be left byte-identical and reported. The harness is
//! `scripts/behaviour/run.py`; `tests/behaviour/known_failures.txt` lists the cases allowed to fail
//! (a listed case that passes fails the test). Skipped without Python 2 or python3, except under
//! CI=true.
//!
//! Also: every fixer that can edit code is named by a `# covers:` line of at least one case. The
//! report-only rules (`fixable: false`, the `lint-only` group: coerce-builtin, buffer-builtin,
//! round-builtin, ...) are exempt; several are named anyway by cases that show what they report.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use py2to3::fixers::registry;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn converted_programs_behave_like_the_python2_originals() {
    let Some(python2) = support::python2() else {
        return;
    };
    if !support::python3_available() {
        return;
    }
    let root = root();
    let behaviour = root.join("tests/behaviour");
    let out = Command::new("python3")
        .arg(root.join("scripts/behaviour/run.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_py2to3"))
        .arg("--python2")
        .arg(&python2)
        .arg("--fixtures")
        .arg(root.join("fixtures"))
        .arg("--declined")
        .arg(behaviour.join("declined"))
        .arg("--known-failures")
        .arg(behaviour.join("known_failures.txt"))
        .arg(behaviour.join("cases"))
        .output()
        .expect("run scripts/behaviour/run.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "behaviour parity failed (exit {:?}); see the report above\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Names on the `# covers:` lines of every case file (a folder case's `main.py` and its other files).
fn covered_names(folder: &Path, names: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            covered_names(&path, names);
        } else if path.extension().is_some_and(|e| e == "py") {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            for line in text.lines().take(30) {
                let line = line.trim_start();
                if let Some(rest) = line.strip_prefix('#') {
                    if let Some(list) = rest.trim_start().strip_prefix("covers:") {
                        names.extend(list.split(',').map(|n| n.trim().to_string()));
                    }
                }
            }
        }
    }
}

#[test]
fn every_fixer_that_edits_code_is_covered_by_a_behaviour_case() {
    let mut names = BTreeSet::new();
    covered_names(&root().join("tests/behaviour/cases"), &mut names);
    covered_names(&root().join("tests/behaviour/declined"), &mut names);
    let missing: Vec<&str> = registry::all()
        .iter()
        .filter(|spec| spec.fixable)
        .map(|spec| spec.name)
        .filter(|name| !names.contains(*name))
        .collect();
    assert!(
        missing.is_empty(),
        "fixers no behaviour case covers (add a case with `# covers: NAME`): {missing:?}"
    );
}
