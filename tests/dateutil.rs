//! End to end on python-dateutil 1.4.1 (downloaded by scripts/corpus/get.sh, never committed):
//! `py2to3 fix dateutil test.py` on a copy, then `python3 test.py` there must run all 476 tests
//! and pass them all; and the tests that pass under Python 2.7 on the original must be exactly
//! those that pass under python3 after the fix, by name. Skipped when the corpus, python3 or a
//! Python 2.7 is missing, except under CI=true.

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
        "{PROJECT} is required under CI=true: run scripts/corpus/get.sh"
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

/// Runs the project's test.py in `tree` with `python` and lists the tests by outcome:
/// `PASS Class.test`, `FAIL Class.test`, `ERROR Class.test`, sorted. The same script for
/// Python 2.7 and 3.
fn test_outcomes(python: &Path, tree: &Path) -> Vec<String> {
    let script = r#"
import sys, unittest
sys.path.insert(0, ".")
if sys.version_info[0] == 2:
    import imp
    module = imp.load_source("dateutil_tests", "test.py")
else:
    import importlib.util
    spec = importlib.util.spec_from_file_location("dateutil_tests", "test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["dateutil_tests"] = module
    spec.loader.exec_module(module)

class Result(unittest.TestResult):
    def __init__(self):
        unittest.TestResult.__init__(self)
        self.passed = []

    def addSuccess(self, test):
        self.passed.append(test)

def name(test):
    return "%s.%s" % (type(test).__name__, getattr(test, "_testMethodName", test))

result = Result()
unittest.defaultTestLoader.loadTestsFromModule(module).run(result)
lines = ["PASS " + name(t) for t in result.passed]
lines += ["FAIL " + name(t) for t, _ in result.failures]
lines += ["ERROR " + name(t) for t, _ in result.errors]
for line in sorted(lines):
    print(line)
"#;
    let out = Command::new(python)
        .current_dir(tree)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("TZ", "UTC")
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} could not run the tests: {}",
        python.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_same_tests_pass_under_python2_before_and_python3_after() {
    let Some(source) = project() else { return };
    if !support::python3_available() {
        return;
    }
    let Some(python2) = support::python2() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let before = work.path().join("before");
    let after = work.path().join("after");
    for tree in [&before, &after] {
        let copied = Command::new("cp")
            .arg("-r")
            .arg(&source)
            .arg(tree)
            .status()
            .unwrap();
        assert!(copied.success());
    }
    let fix = py2to3()
        .current_dir(&after)
        .args(["fix", "--no-cache", "dateutil", "test.py"])
        .output()
        .unwrap();
    let fix_stderr = String::from_utf8_lossy(&fix.stderr);
    assert!(
        fix_stderr.contains(" 0 failed"),
        "some files failed:\n{fix_stderr}"
    );
    let python2_outcomes = test_outcomes(&python2, &before);
    let python3_outcomes = test_outcomes(Path::new("python3"), &after);
    let passing = |outcomes: &[String]| outcomes.iter().filter(|l| l.starts_with("PASS ")).count();
    assert_eq!(passing(&python2_outcomes), 476, "{python2_outcomes:#?}");
    let only2: Vec<&String> = python2_outcomes
        .iter()
        .filter(|l| !python3_outcomes.contains(l))
        .collect();
    let only3: Vec<&String> = python3_outcomes
        .iter()
        .filter(|l| !python2_outcomes.contains(l))
        .collect();
    assert!(
        only2.is_empty() && only3.is_empty(),
        "outcomes differ:\nPython 2.7 only: {only2:#?}\npython3 only: {only3:#?}"
    );
}
