//! Gradual adoption on a real project: `check --add-noqa` silences every current finding by
//! adding comments only, after which `check` passes and `fix` still converts the same files;
//! a baseline written today lets `check --baseline` report only the Python 2 code added later.
//!
//! Runs on a copy of Django 1.3.7 (scripts/corpus/get.sh); skipped when the corpus is missing,
//! except under CI=true.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use support::py2to3;

fn django() -> Option<PathBuf> {
    let root = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    let django = root.join("Django-1.3.7/django");
    if django.is_dir() {
        return Some(django);
    }
    assert!(
        !support::in_ci(),
        "Django 1.3.7 is required under CI=true: run scripts/corpus/get.sh"
    );
    eprintln!("Django 1.3.7 not found in {}: skipping", root.display());
    None
}

/// A copy of `src` at `dest` (regular files and folders).
fn copy_tree(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dest.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Every file under `root`, relative, with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry.path().strip_prefix(root).unwrap().to_path_buf();
                out.push((rel, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The files `fix --diff` would change, from its `+++ b/...` headers.
fn files_fix_changes(dir: &Path) -> BTreeSet<String> {
    let out = py2to3()
        .args(["fix", "--no-cache", "--isolated", "--diff", "."])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("+++ "))
        .map(|l| {
            l.trim_start_matches("b/")
                .trim_start_matches("./")
                .to_string()
        })
        .collect()
}

/// `text` without the directives `--add-noqa` writes.
fn without_backlog(text: &str) -> String {
    let mut out = String::new();
    for piece in text.split_inclusive('\n') {
        match piece.find("  # noqa: ") {
            Some(at) if piece.contains("(backlog)") => {
                let end = piece.find("(backlog)").unwrap() + "(backlog)".len();
                out.push_str(&piece[..at]);
                out.push_str(&piece[end..]);
            }
            _ => out.push_str(piece),
        }
    }
    out
}

#[test]
fn add_noqa_silences_check_adds_only_comments_and_fix_still_converts() {
    let Some(django) = django() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("django");
    copy_tree(&django, &tree);
    let before = snapshot(&tree);
    let changed_before = files_fix_changes(&tree);
    assert!(changed_before.len() > 300, "{}", changed_before.len());

    let out = py2to3()
        .args(["check", "--no-cache", "--isolated", "--add-noqa", "."])
        .current_dir(&tree)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("py2to3: added `# noqa` for "), "{stderr}");

    let check = py2to3()
        .args(["check", "--no-cache", "--isolated", "."])
        .current_dir(&tree)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "check is clean after --add-noqa:\n{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Only comments were added: without them, every file has its original bytes.
    let after = snapshot(&tree);
    assert_eq!(before.len(), after.len());
    let mut annotated = 0;
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        if old == new {
            continue;
        }
        annotated += 1;
        let new = String::from_utf8(new.clone()).expect("Django's sources are UTF-8");
        assert_eq!(
            without_backlog(&new).as_bytes(),
            old.as_slice(),
            "{} changed beyond the added comments",
            path.display()
        );
    }
    assert!(annotated > 300, "{annotated} files annotated");

    // `fix` converts the code the backlog comments wait for.
    assert_eq!(files_fix_changes(&tree), changed_before);
}

#[test]
fn a_baseline_reports_only_new_python2_code() {
    let Some(django) = django() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("django");
    copy_tree(&django, &tree);
    let baseline = tmp.path().join("py2to3-baseline.json");
    let out = py2to3()
        .args(["check", "--no-cache", "--isolated", "--write-baseline"])
        .arg(&baseline)
        .arg(".")
        .current_dir(&tree)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Three new print statements, two of them above known findings of the same file.
    let message = tree.join("core/mail/message.py");
    let mut lines: Vec<String> = std::fs::read_to_string(&message)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.insert(5, "print 'new two'".into());
    lines.insert(1, "print 'new one'".into());
    std::fs::write(&message, lines.join("\n") + "\n").unwrap();
    let text = tree.join("utils/text.py");
    let mut content = std::fs::read_to_string(&text).unwrap();
    content.push_str("print 'new three'\n");
    std::fs::write(&text, &content).unwrap();

    let out = py2to3()
        .args([
            "check",
            "--no-cache",
            "--isolated",
            "--output-format",
            "json",
            "--baseline",
        ])
        .arg(&baseline)
        .arg(".")
        .current_dir(&tree)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, u64)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let last = content.lines().count() as u64;
    let expected = [
        ("./core/mail/message.py", 2),
        ("./core/mail/message.py", 7),
        ("./utils/text.py", last),
    ];
    assert_eq!(
        got,
        expected
            .iter()
            .map(|(p, l)| (p.to_string(), "PY001".to_string(), *l))
            .collect::<Vec<_>>()
    );
}

#[test]
fn add_noqa_keeps_crlf_and_the_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("legacy.py");
    let original = b"# -*- coding: latin-1 -*-\r\nname = 'caf\xe9'\r\nprint name\r\n";
    std::fs::write(&file, original).unwrap();
    let out = py2to3()
        .args([
            "check",
            "--no-cache",
            "--isolated",
            "--add-noqa",
            "legacy.py",
        ])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"# -*- coding: latin-1 -*-\r\nname = 'caf\xe9'\r\nprint name  # noqa: PY001 (backlog)\r\n"
    );
}
