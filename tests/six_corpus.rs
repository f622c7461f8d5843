//! `--target six` on real projects (issue 21), from the corpus of ../shared/corpus/get.sh (never
//! committed): Django 1.3.7 and python-dateutil 1.4.1 converted with `py2to3 fix --target six`
//! must compile, every file, under CPython 2.7 and python3, and a second run must change nothing;
//! dateutil's own 476 tests must pass under both interpreters (six 1.16.0 on PYTHONPATH, fetched
//! by `pip download` into `target/six-cache`); then `--target py3` on the six-converted dateutil
//! must leave no `six` import and its tests must pass under python3. Skipped when the corpus,
//! python3 or Python 2.7 is missing, except under CI=true.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::py2to3;

/// The corpus folder holding `name`, or None (skip) when it is not there outside CI.
fn corpus(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?
        .join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !support::in_ci(),
        "{name} is required under CI=true: run ../shared/corpus/get.sh"
    );
    eprintln!("{} not found: skipping", dir.display());
    None
}

/// A folder holding six.py 1.16.0, downloaded once with pip.
fn six_path() -> PathBuf {
    let cache = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/six-cache");
    let six = cache.join("six.py");
    let ready = std::fs::read_to_string(&six).is_ok_and(|t| t.contains("__version__ = \"1.16.0\""));
    if !ready {
        std::fs::create_dir_all(&cache).unwrap();
        let status = Command::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--no-deps"])
            .args(["--disable-pip-version-check", "six==1.16.0", "-d"])
            .arg(&cache)
            .status()
            .expect("pip download six");
        assert!(status.success(), "pip download six==1.16.0 failed");
        let script = "import sys, zipfile; open(sys.argv[2], 'wb').write(zipfile.ZipFile(sys.argv[1]).read('six.py'))";
        let status = Command::new("python3")
            .args(["-c", script])
            .arg(cache.join("six-1.16.0-py2.py3-none-any.whl"))
            .arg(&six)
            .status()
            .unwrap();
        assert!(status.success());
    }
    cache
}

/// Copies `source` to `dest`.
fn copy(source: &Path, dest: &Path) {
    let status = Command::new("cp")
        .arg("-r")
        .arg(source)
        .arg(dest)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Runs `py2to3 fix ARGS` in `dir`: no file may fail; returns the summary line.
fn fix(dir: &Path, args: &[&str]) -> String {
    let out = py2to3()
        .current_dir(dir)
        .args(["fix", "--isolated", "--no-cache"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "py2to3 fix failed:\n{stderr}"
    );
    assert!(stderr.contains(" 0 failed"), "some files failed:\n{stderr}");
    // The run's summary line (what is left for a person follows it).
    stderr
        .lines()
        .find(|l| l.starts_with("py2to3: ") && l.contains(" files seen, "))
        .unwrap_or("")
        .to_string()
}

/// The files `python`'s compile() rejects under `dir`.
fn compile_failures(python: &Path, dir: &Path) -> String {
    let script = r#"
import os, sys
for root, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith('.py'):
            p = os.path.join(root, f)
            try:
                compile(open(p, 'rb').read(), p, 'exec')
            except Exception as e:
                print('%s: %s: %s' % (p, type(e).__name__, e))
"#;
    let out = Command::new(python)
        .args(["-c", script])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs dateutil's test.py in `tree` with `python`: the last line of unittest's report.
fn dateutil_tests(python: &Path, tree: &Path, six: &Path) -> String {
    let out = Command::new(python)
        .current_dir(tree)
        .env(
            "PYTHONPATH",
            format!("{}:{}", six.display(), tree.display()),
        )
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg("test.py")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        report.contains("Ran 476 tests"),
        "not all tests ran:\n{report}"
    );
    report.trim_end().lines().last().unwrap_or("").to_string()
}

#[test]
fn django_and_dateutil_run_on_python2_and_python3_after_target_six() {
    let (Some(django), Some(dateutil)) = (
        corpus("Django-1.3.7/django"),
        corpus("python-dateutil-1.4.1"),
    ) else {
        return;
    };
    let Some(python2) = support::python2() else {
        return;
    };
    if !support::python3_available() {
        return;
    }
    let python3 = PathBuf::from("python3");
    let six = six_path();
    let work = tempfile::tempdir().unwrap();

    // Django: compiles under both, and a second run changes nothing.
    let tree = work.path().join("django");
    copy(&django, &tree);
    fix(work.path(), &["--target", "six", "django"]);
    for python in [&python2, &python3] {
        let failures = compile_failures(python, &tree);
        assert!(
            failures.is_empty(),
            "{} rejects:\n{failures}",
            python.display()
        );
    }
    let again = fix(work.path(), &["--target", "six", "--check", "django"]);
    assert!(
        again.contains(" 0 would change"),
        "not a fixed point: {again}"
    );

    // dateutil: the same, and its tests pass under both.
    let tree = work.path().join("python-dateutil-1.4.1");
    copy(&dateutil, &tree);
    fix(&tree, &["--target", "six", "."]);
    for python in [&python2, &python3] {
        let failures = compile_failures(python, &tree);
        assert!(
            failures.is_empty(),
            "{} rejects:\n{failures}",
            python.display()
        );
        assert_eq!(
            dateutil_tests(python, &tree, &six),
            "OK",
            "under {}",
            python.display()
        );
    }
    let again = fix(&tree, &["--target", "six", "--check", "."]);
    assert!(
        again.contains(" 0 would change"),
        "not a fixed point: {again}"
    );

    // Then plain Python 3: no six left, the tests still pass.
    fix(&tree, &["--target", "py3", "."]);
    let grep = Command::new("grep")
        .args(["-rlE", "--include=*.py", "^\\s*(import six|from six)", "."])
        .current_dir(&tree)
        .output()
        .unwrap();
    let left = String::from_utf8_lossy(&grep.stdout);
    assert!(left.trim().is_empty(), "six still imported by:\n{left}");
    assert_eq!(dateutil_tests(&python3, &tree, &six), "OK");
}
