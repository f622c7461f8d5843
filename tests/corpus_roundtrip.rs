//! The round trip on real Python 2 projects (downloaded by scripts/corpus/get.sh, never
//! committed): on a copy of each, `py2to3 fix` must report exactly what it did (the files it
//! changed, the files it left with a reason), python3's `compile()` must accept every file it
//! wrote, and a second run (`fix --check`) must find nothing to change.
//! Skipped when the corpus or python3 is missing, except under CI=true.

mod support;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::py2to3;

/// The projects, and the files `fix` must leave untouched with the reason it gives (a path
/// relative to the project, then the reason as `fix` prints it after `path:`).
const PROJECTS: &[(&str, &[(&str, &str)])] = &[
    ("Django-1.3.7", &[]),
    ("python-dateutil-1.4.1", &[]),
    ("Fabric-1.14.0", &[]),
    (
        "mechanize-0.2.5",
        // `True = 1` (Python 2.2 compatibility): CPython 3 rejects it.
        &[(
            "test/test_form.py",
            "30:5: Python 3 would not compile the result: cannot assign to True (left unfixed: \
             PY011 assignment to `True`: a keyword in Python 3)",
        )],
    ),
    ("web.py-0.37", &[]),
    ("django-tagging-0.3", &[]),
    ("django-debug-toolbar-0.8.5", &[]),
];

/// The corpus folder, or None (skip) when it is not there outside CI.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    let missing: Vec<&str> = PROJECTS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !dir.join(name).is_dir())
        .collect();
    if missing.is_empty() {
        return Some(dir);
    }
    assert!(
        !support::in_ci(),
        "the corpus is required under CI=true (missing {missing:?}): run scripts/corpus/get.sh"
    );
    eprintln!(
        "corpus projects {missing:?} not found in {}: skipping",
        dir.display()
    );
    None
}

/// Every file under `root`, relative to it.
fn files(root: &Path) -> BTreeSet<PathBuf> {
    ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect()
}

/// The files `python3 -c compile(...)` rejects among `paths`, one line each (one process).
fn python3_compile_failures(paths: &[PathBuf]) -> Vec<String> {
    let script = r#"
import sys, warnings
warnings.simplefilter("ignore")
for path in sys.stdin.read().splitlines():
    try:
        with open(path, "rb") as f:
            compile(f.read(), path, "exec")
    except (SyntaxError, ValueError) as e:
        print(f"{path}:{getattr(e, 'lineno', '?')}: {type(e).__name__}: {getattr(e, 'msg', e)}")
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python3 failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// `N files seen, M changed, ...`: the counts of `fix`'s summary line, by name.
fn summary(stderr: &str) -> Vec<(String, usize)> {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("py2to3: ") && l.contains(" files seen"))
        .unwrap_or_else(|| panic!("no summary in:\n{stderr}"));
    let body = line.trim_start_matches("py2to3: ");
    let body = body.rsplit_once(" in ").map_or(body, |(b, _)| b);
    body.split(", ")
        .filter_map(|part| {
            let (n, what) = part.split_once(' ')?;
            Some((what.to_string(), n.parse().ok()?))
        })
        .collect()
}

fn count(summary: &[(String, usize)], what: &str) -> usize {
    summary
        .iter()
        .find(|(w, _)| w == what)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("no `{what}` in {summary:?}"))
}

#[test]
fn fix_reports_what_it_did_compiles_and_is_a_fixed_point() {
    let Some(corpus) = corpus() else { return };
    if !support::python3_available() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut problems: Vec<String> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    for (project, expected_failures) in PROJECTS {
        let original = corpus.join(project);
        let tree = work.path().join(project);
        let copied = Command::new("cp")
            .arg("-r")
            .arg(&original)
            .arg(&tree)
            .status()
            .unwrap();
        assert!(copied.success());

        let fix = py2to3()
            .current_dir(&tree)
            .args(["fix", "--no-cache", "."])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&fix.stderr);
        let counts = summary(&stderr);

        // The files that changed, and the failures `fix` reported.
        let mut changed = Vec::new();
        for file in files(&original) {
            let before = std::fs::read(original.join(&file)).unwrap();
            let after = std::fs::read(tree.join(&file)).unwrap_or_default();
            if before != after {
                changed.push(file);
            }
        }
        let reported: BTreeSet<String> = stderr
            .lines()
            .filter(|l| l.starts_with("./"))
            .map(|l| l.trim_start_matches("./").to_string())
            .collect();
        let expected: BTreeSet<String> = expected_failures
            .iter()
            .map(|(path, reason)| format!("{path}:{reason}"))
            .collect();
        if reported != expected {
            problems.push(format!(
                "{project}: fix reported\n  {}\ninstead of\n  {}",
                reported.iter().cloned().collect::<Vec<_>>().join("\n  "),
                expected.iter().cloned().collect::<Vec<_>>().join("\n  ")
            ));
        }
        if count(&counts, "changed") != changed.len() {
            problems.push(format!(
                "{project}: fix says {} changed, {} files differ",
                count(&counts, "changed"),
                changed.len()
            ));
        }
        if count(&counts, "failed") != expected_failures.len() {
            problems.push(format!(
                "{project}: fix says {} failed, expected {}",
                count(&counts, "failed"),
                expected_failures.len()
            ));
        }
        for (path, _) in *expected_failures {
            if changed.iter().any(|c| c == Path::new(path)) {
                problems.push(format!("{project}: {path} failed but was written"));
            }
        }
        let want_code = if changed.is_empty() && expected_failures.is_empty() {
            0
        } else {
            1
        };
        if fix.status.code() != Some(want_code) {
            problems.push(format!(
                "{project}: fix exited with {:?}, expected {want_code}",
                fix.status.code()
            ));
        }
        written.extend(changed.iter().map(|f| tree.join(f)));

        // A second run finds nothing to change.
        let again = py2to3()
            .current_dir(&tree)
            .args(["fix", "--no-cache", "--check", "."])
            .output()
            .unwrap();
        let again_stderr = String::from_utf8_lossy(&again.stderr);
        let again_stdout = String::from_utf8_lossy(&again.stdout);
        if count(&summary(&again_stderr), "would change") != 0 {
            problems.push(format!(
                "{project}: a second run would change files:\n{again_stdout}"
            ));
        }
    }
    assert!(written.len() > 600, "only {} files written", written.len());
    for failure in python3_compile_failures(&written) {
        let shown = failure.replace(&format!("{}/", work.path().display()), "");
        problems.push(format!("python3 does not compile {shown}"));
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
