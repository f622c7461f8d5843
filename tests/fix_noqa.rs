//! `py2to3 fix` leaves alone what `# noqa` suppresses (issue 4: a suppressed finding is neither
//! reported nor rewritten) and skips a `# py2to3: skip-file` file.
//!
//! (A suppressed *grammar* fix, e.g. `print 'x'  # noqa: PY001`, leaves code the Python 3
//! parser cannot read: the AST fixers then cannot run on that file; this test uses an AST rule.)

mod support;

use std::fs;

use support::py2to3;

#[test]
fn noqa_lines_and_skip_file_are_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    fs::create_dir_all(&pkg).unwrap();
    fs::write(
        pkg.join("a.py"),
        "a = d.has_key(1)\nb = d.has_key(2)  # noqa: PY112\nc = d.has_key(3)  # noqa\n\
         e = d.has_key(4)  # noqa: PY001\n",
    )
    .unwrap();
    let skipped = "# py2to3: skip-file\nf = d.has_key(5)\n";
    fs::write(pkg.join("skipped.py"), skipped).unwrap();
    let out = py2to3()
        .current_dir(dir.path())
        .args(["fix", "--no-cache", "--isolated", "pkg"])
        .output()
        .expect("run py2to3");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(pkg.join("a.py")).unwrap(),
        "a = 1 in d\nb = d.has_key(2)  # noqa: PY112\nc = d.has_key(3)  # noqa\n\
         e = 4 in d  # noqa: PY001\n"
    );
    assert_eq!(fs::read_to_string(pkg.join("skipped.py")).unwrap(), skipped);
}
