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
