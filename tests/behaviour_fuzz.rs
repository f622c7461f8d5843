//! Differential fuzzing (issue 19, behaviour parity): `scripts/behaviour/fuzz.py` generates Python 2
//! programs from templates, runs them under Python 2.7, converts them with this build of `py2to3 fix`,
//! runs them under python3 and compares what they print, how they fail and their exit status. It also
//! checks that a second `fix` changes nothing and that python3 compiles every converted file.
//!
//! The seed is fixed, so the programs are always the same ones; the time budget only says how many of
//! them run: 60 s under CI=true, 15 s otherwise, or `PY2TO3_FUZZ_SECONDS`; the same programs
//! converted with `--target six` get half that. Skips without Python 2.7 or
//! python3 outside CI (fails under CI=true, where `.ci/run` installs them).

mod support;

use std::path::Path;
use std::process::Command;

/// The seed of the fixed program sequence.
const SEED: &str = "19";

/// The time budget in seconds: `PY2TO3_FUZZ_SECONDS`, else 60 under CI and 15 elsewhere.
fn budget_seconds() -> String {
    match std::env::var("PY2TO3_FUZZ_SECONDS") {
        Ok(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ if support::in_ci() => "60".to_string(),
        _ => "15".to_string(),
    }
}

#[test]
fn converted_programs_behave_like_python2() {
    fuzz(&[], &budget_seconds(), "py2to3-fuzz");
}

/// The same programs converted with `--target six` (six 1.16.0 on python3's PYTHONPATH, fetched
/// once into `target/six-cache`): python3 must print what Python 2 printed. Half the budget.
#[test]
fn six_converted_programs_behave_like_python2() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let half = budget_seconds().parse::<f64>().map_or(10.0, |s| s / 2.0);
    let cache = root.join("target/six-cache");
    fuzz(
        &["--six-cache".as_ref(), cache.as_os_str()],
        &half.to_string(),
        "py2to3-fuzz-six",
    );
}

/// Runs `scripts/behaviour/fuzz.py` with the fixed seed and `extra` options for `seconds`;
/// mismatching programs are saved under the temporary folder `save`-PID.
fn fuzz(extra: &[&std::ffi::OsStr], seconds: &str, save: &str) {
    let Some(python2) = support::python2() else {
        return;
    };
    if !support::python3_available() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let save = std::env::temp_dir().join(format!("{save}-{}", std::process::id()));
    let out = Command::new("python3")
        .arg(root.join("scripts/behaviour/fuzz.py"))
        .args(["--bin", env!("CARGO_BIN_EXE_py2to3")])
        .arg("--python2")
        .arg(&python2)
        .args(["--seed", SEED, "--seconds", seconds])
        .args(["--shrink-seconds", "20", "--print-limit", "5"])
        .args(extra)
        .arg("--save")
        .arg(&save)
        .output()
        .expect("run scripts/behaviour/fuzz.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("fuzz: seed"))
        .unwrap_or("");
    eprintln!("{summary}");
    assert!(
        out.status.success(),
        "converted programs behave differently from Python 2 (programs saved in {}):\n{stdout}\n{stderr}",
        save.display()
    );
    // A run that compared nothing proves nothing.
    assert!(
        summary.contains(" compared: ") && !summary.contains(" 0 compared: "),
        "the fuzzer compared no program: {summary:?}\n{stderr}"
    );
}
