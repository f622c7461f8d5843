//! `--target six` (issue 21): every program of `tests/behaviour/cases/` and every runnable fixture,
//! converted by `py2to3 fix --target six`, must print the same stdout, the same last line of
//! stderr and exit with the same status under CPython 2.7 and under python3 (six 1.16.0 on
//! PYTHONPATH, fetched once by `pip download` into `target/six-cache`) as the original does under
//! 2.7; the converted copies must compile under both and be fixed points. `--round-trip`: the
//! six-converted copies, converted again with `--target py3`, must still behave under python3.
//! `tests/behaviour/known_failures_six.txt` lists the cases allowed to fail, with reasons. Skipped
//! without Python 2 or python3, except under CI=true.

mod support;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn six_converted_programs_behave_alike_on_python2_and_python3() {
    let Some(python2) = support::python2() else {
        return;
    };
    if !support::python3_available() {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let behaviour = root.join("tests/behaviour");
    let out = Command::new("python3")
        .arg(root.join("scripts/behaviour/run.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_py2to3"))
        .arg("--python2")
        .arg(&python2)
        .args(["--target", "six", "--round-trip"])
        .arg("--six-cache")
        .arg(root.join("target/six-cache"))
        .arg("--fixtures")
        .arg(root.join("fixtures"))
        .arg("--declined")
        .arg(behaviour.join("declined"))
        .arg("--known-failures")
        .arg(behaviour.join("known_failures_six.txt"))
        .arg(behaviour.join("cases"))
        .output()
        .expect("run scripts/behaviour/run.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "behaviour under --target six failed (exit {:?}); see the report above\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}
