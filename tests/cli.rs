//! End-to-end behaviour of the binary: round trips, encodings, no writes in --diff/--check, bad input.

mod support;

use std::fs;
use std::path::Path;

use support::py2to3;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn clean_python3_files_come_out_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, &[u8])> = vec![
        (
            "plain.py",
            b"import os\n\n\ndef f(x):\n    return {k: v for k, v in x.items()}  # keep\n",
        ),
        ("crlf.py", b"x = 1\r\ny = [1,\r\n     2]\r\n"),
        ("nonl.py", b"print('no final newline')"),
        ("bom.py", b"\xEF\xBB\xBFs = '\xC3\xA9'\n"),
        ("latin1.py", b"# -*- coding: latin-1 -*-\ns = '\xE9'\n"),
        ("tabs.py", b"if True:\n\tx = 1\n\tif x:\n\t\ty = 2\n"),
    ];
    for (name, bytes) in &files {
        write(dir.path(), name, bytes);
    }
    let out = py2to3().arg("fix").arg(dir.path()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, bytes) in &files {
        assert_eq!(
            &fs::read(dir.path().join(name)).unwrap(),
            bytes,
            "{name} changed"
        );
    }
}

#[test]
fn fixes_keep_encoding_bom_and_newlines() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = write(
        dir.path(),
        "latin1.py",
        b"# -*- coding: latin-1 -*-\r\nprint '\xE9'\r\n",
    );
    let bom = write(dir.path(), "bom.py", b"\xEF\xBB\xBFprint u'\xC3\xA9'");
    let out = py2to3().arg("fix").arg(dir.path()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read(&latin1).unwrap(),
        b"# -*- coding: latin-1 -*-\r\nprint('\xE9')\r\n"
    );
    assert!(fs::read(&bom).unwrap().starts_with(b"\xEF\xBB\xBFprint("));
    assert!(!fs::read(&bom).unwrap().ends_with(b"\n"));
}

#[test]
fn diff_and_check_never_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "old.py", b"print 'hello'\n");
    let diff = py2to3()
        .args(["fix", "--diff"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&diff.stdout);
    assert!(
        stdout.contains("-print 'hello'") && stdout.contains("+print('hello')"),
        "{stdout}"
    );
    let check = py2to3()
        .args(["fix", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(fs::read(&path).unwrap(), b"print 'hello'\n");
    // After a real fix, --check passes.
    assert_eq!(
        py2to3().arg("fix").arg(&path).status().unwrap().code(),
        Some(1)
    );
    assert_eq!(
        py2to3()
            .args(["fix", "--check"])
            .arg(&path)
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "broken.py", b"def f(:\n    pass\n");
    write(dir.path(), "binary.py", b"\x7fELF\x00\x00\x01");
    write(dir.path(), "undecodable.py", b"s = '\xff\xfe'\n");
    write(
        dir.path(),
        "deep_brackets.py",
        "(".repeat(100_000).as_bytes(),
    );
    write(
        dir.path(),
        "deep_unary.py",
        format!("x = {}1\n", "-".repeat(100_000)).as_bytes(),
    );
    let mut deep_indent = String::new();
    for level in 0..150 {
        deep_indent.push_str(&format!("{}if x:\n", " ".repeat(level)));
    }
    deep_indent.push_str(&format!("{}pass\n", " ".repeat(150)));
    write(dir.path(), "deep_indent.py", deep_indent.as_bytes());
    let good = write(dir.path(), "good.py", b"print 'ok'\n");
    let out = py2to3().arg("fix").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("broken.py:1:7: does not parse as Python 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("binary.py: skipped: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("undecodable.py:cannot decode as utf-8 at byte 5"),
        "{stderr}"
    );
    assert!(
        stderr.contains("deep_brackets.py:1:201: brackets nested deeper than 200"),
        "{stderr}"
    );
    assert!(stderr.contains("deep_indent.py:101:"), "{stderr}");
    assert!(stderr.contains("files seen"), "{stderr}");
    assert_eq!(fs::read(&good).unwrap(), b"print('ok')\n");
}

#[test]
fn ten_megabyte_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::with_capacity(10 << 20);
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&format!("def f{i}(a, b):\n    return a <> b\n\n"));
        i += 1;
    }
    let path = write(dir.path(), "big.py", text.as_bytes());
    let out = py2to3()
        .args(["fix", "--check"])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1 would change"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        py2to3()
            .args(["fix", "--select", "no-such-fixer", "."])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        py2to3().args(["fix", "--bogus"]).status().unwrap().code(),
        Some(2)
    );
}
