//! Issue 20: one fixer at a time, and reports that never hide a file. One test per defect:
//! partial selections on Python 2 files (`fix` and `check`), unparseable files in every output
//! format, `fix` reading the configuration as `check` does, `fix --diff` that `git apply`
//! accepts, exit codes per command, and what was built with them (stdin, colours, `rules` as
//! JSON, fixes and docs in JSON findings, the summary of what is left for a person).

mod support;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;

fn run_in(dir: &Path, args: &[&str]) -> Output {
    support::py2to3()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("run py2to3")
}

fn run_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = support::py2to3()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run py2to3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A Python 2 file with several constructs, as web.py's are.
const PY2: &str = "import sys\n\ndef f(d):\n    for k, v in d.iteritems():\n        print >>sys.stderr, k\n    try:\n        pass\n    except ValueError, e:\n        pass\n    return 0777\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("pkg")).unwrap();
    fs::write(dir.path().join("pkg/a.py"), PY2).unwrap();
    dir
}

#[test]
fn fix_select_one_fixer_applies_only_it_on_a_python2_file() {
    let dir = project();
    let out = run_in(
        dir.path(),
        &["fix", "--isolated", "--select", "PY101", "pkg"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("pkg/a.py")).unwrap(),
        PY2.replace("d.iteritems()", "d.items()")
    );
    // A grammar fixer alone: the file stays Python 2 (the print_function import keeps
    // `print(k, file=sys.stderr)` readable by Python 2).
    let out = run_in(
        dir.path(),
        &["fix", "--isolated", "--select", "except-comma", "pkg"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = fs::read_to_string(dir.path().join("pkg/a.py")).unwrap();
    assert!(text.contains("except ValueError as e:") && text.contains("print >>sys.stderr"));
    let out = run_in(
        dir.path(),
        &["fix", "--isolated", "--select", "PY001", "pkg"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = fs::read_to_string(dir.path().join("pkg/a.py")).unwrap();
    assert!(
        text.starts_with("from __future__ import print_function\nimport sys\n"),
        "{text}"
    );
    assert!(text.contains("print(k, file=sys.stderr)") && text.contains("0777"));
    // Nothing left for these fixers: a second run changes nothing.
    let again = run_in(
        dir.path(),
        &["fix", "--isolated", "--select", "PY001,PY003,PY101", "pkg"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    if let Some(python2) = support::python2() {
        let compiled = std::process::Command::new(python2)
            .args([
                "-c",
                "import sys; compile(open(sys.argv[1]).read(), 'a', 'exec')",
            ])
            .arg(dir.path().join("pkg/a.py"))
            .output()
            .unwrap();
        assert!(compiled.status.success(), "{}", stderr(&compiled));
    }
}

#[test]
fn check_select_reports_print_statements_of_a_python2_file() {
    let dir = project();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "print-statement",
            "pkg/a.py",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "pkg/a.py:5:9: PY001 `print` statement: use the print() function\n\
         Found 1 finding (1 fixable with `py2to3 fix`).\n"
    );
    // Ignoring PY001 in the configuration keeps the other findings.
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.py2to3]\nignore = [\"PY001\"]\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--no-cache", "--output-format", "json", "pkg"],
    );
    let codes: Vec<String> = serde_json::from_slice::<Vec<Value>>(&out.stdout)
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, ["PY101", "PY003", "PY007"]);
}

#[test]
fn all_checks_passed_never_follows_an_error() {
    let dir = project();
    let out = run_in(dir.path(), &["check", "--no-cache", "missing.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("missing.py: no such file or folder"));
    fs::write(dir.path().join("pkg/clean.py"), "x = 1\n").unwrap();
    fs::write(dir.path().join("py2to3.toml"), "bogus = 1\n").unwrap();
    let out = run_in(dir.path(), &["check", "--no-cache", "pkg/clean.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
}

#[test]
fn an_unparseable_file_is_a_finding_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.py"), "def f(:\n    pass\n").unwrap();
    let expect = |format: &str, needle: &str| {
        let out = run_in(
            dir.path(),
            &["check", "--no-cache", "--output-format", format, "bad.py"],
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = stdout(&out);
        assert!(text.contains(needle), "{format}: {text}");
        assert!(text.contains("PY000"), "{format}: {text}");
    };
    expect("text", "bad.py:1:7: PY000 does not parse as Python 3");
    expect("json", "\"syntax-error\"");
    expect("sarif", "\"ruleId\": \"PY000\"");
    expect("github", "::error file=bad.py,line=1,col=7");
    expect("junit", "bad.py");
    let explain = run_in(dir.path(), &["explain", "PY000"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(stdout(&explain).starts_with("# syntax-error (PY000)"));
    // --exit-zero, as in ruff, also covers it.
    let out = run_in(
        dir.path(),
        &["check", "--no-cache", "--exit-zero", "bad.py"],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn fix_reads_the_configuration_as_check_does() {
    let dir = project();
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.py2to3]\nselect = [\"PY101\", \"PY007\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["fix", "pkg"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(dir.path().join("pkg/a.py")).unwrap(),
        PY2.replace("d.iteritems()", "d.items()")
            .replace("0777", "0o777")
    );
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.py2to3]\nbogus = 1\n",
    )
    .unwrap();
    let before = fs::read_to_string(dir.path().join("pkg/a.py")).unwrap();
    for command in ["fix", "check"] {
        let out = run_in(dir.path(), &[command, "--no-cache", "pkg"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(stderr(&out).contains("unknown field `bogus`"), "{command}");
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("pkg/a.py")).unwrap(),
        before
    );
}

#[test]
fn fix_diff_of_the_current_folder_applies_with_git() {
    let git = |dir: &Path, args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .output()
    };
    let dir = project();
    if git(dir.path(), &["init", "-q", "."]).is_err() {
        assert!(!support::in_ci(), "git is required under CI=true");
        return;
    }
    let out = run_in(dir.path(), &["fix", "--isolated", "--diff", "."]);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(
        diff.starts_with("--- a/pkg/a.py\n+++ b/pkg/a.py\n"),
        "{diff}"
    );
    fs::write(dir.path().join("fix.patch"), &diff).unwrap();
    let applied = git(dir.path(), &["apply", "--check", "fix.patch"]).unwrap();
    assert!(applied.status.success(), "{}", stderr(&applied));
}

#[test]
fn exit_codes_of_fix() {
    let dir = project();
    fs::write(dir.path().join("clean.py"), "x = 1\n").unwrap();
    fs::write(dir.path().join("bad.py"), "def f(:\n").unwrap();
    let code = |args: &[&str]| run_in(dir.path(), args).status.code();
    assert_eq!(code(&["fix", "--isolated", "clean.py"]), Some(0));
    assert_eq!(code(&["fix", "--isolated", "--check", "pkg"]), Some(1));
    assert_eq!(code(&["fix", "--isolated", "--diff", "pkg"]), Some(1));
    assert_eq!(code(&["fix", "--isolated", "bad.py"]), Some(1));
    assert_eq!(code(&["fix", "--isolated", "missing.py"]), Some(2));
    assert_eq!(
        code(&["fix", "--isolated", "--select", "PY999", "pkg"]),
        Some(2)
    );
    assert_eq!(code(&["fix", "--isolated", "pkg"]), Some(1));
    assert_eq!(code(&["fix", "--isolated", "pkg"]), Some(0));
}

#[test]
fn exit_codes_of_check() {
    let dir = project();
    fs::write(dir.path().join("clean.py"), "x = 1\n").unwrap();
    let code = |args: &[&str]| run_in(dir.path(), args).status.code();
    assert_eq!(
        code(&["check", "--isolated", "--no-cache", "clean.py"]),
        Some(0)
    );
    assert_eq!(code(&["check", "--isolated", "--no-cache", "pkg"]), Some(1));
    assert_eq!(
        code(&["check", "--isolated", "--no-cache", "missing.py"]),
        Some(2)
    );
    assert_eq!(
        code(&[
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "nope",
            "pkg"
        ]),
        Some(2)
    );
    assert_eq!(
        code(&[
            "check",
            "--isolated",
            "--no-cache",
            "clean.py",
            "missing.py"
        ]),
        Some(2)
    );
}

#[test]
fn fix_leaves_a_summary_for_a_person() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.py"),
        "try:\n    pass\nexcept Exception, e:\n    print e.message\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["fix", "--isolated", "a.py"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "Left for a person: 1 finding without an automatic fix (`py2to3 check` shows where, `py2to3 explain CODE` why):\n  1  PY817  exception-message-attribute\n"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn statistics_explain_their_marks() {
    let dir = project();
    let out = run_in(
        dir.path(),
        &["check", "--isolated", "--no-cache", "--statistics", "pkg"],
    );
    assert_eq!(
        stdout(&out),
        "1\tPY001\t[*] print-statement\n1\tPY003\t[*] except-comma\n1\tPY007\t[*] number-literals\n1\tPY101\t[*] dict-iter-methods\n\
         [*] fixable with `py2to3 fix`\n"
    );
}

#[test]
fn stdin_with_a_file_name() {
    let dir = project();
    let out = run_stdin(
        dir.path(),
        &["check", "--isolated", "-", "--stdin-filename", "pkg/s.py"],
        "print 'x'\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("pkg/s.py:1:1: PY001 "),
        "{}",
        stdout(&out)
    );
    let out = run_stdin(
        dir.path(),
        &["fix", "--isolated", "-", "--stdin-filename", "pkg/s.py"],
        "print 'x'\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "print('x')\n");
    let out = run_stdin(dir.path(), &["fix", "--isolated", "-"], "x = 1\n");
    assert_eq!(
        (out.status.code(), stdout(&out).as_str()),
        (Some(0), "x = 1\n")
    );
    // The file is not written.
    assert!(!dir.path().join("pkg/s.py").exists());
    let out = run_in(dir.path(), &["check", "-", "pkg"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn color_always_never_and_no_color() {
    let dir = project();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--no-cache",
            "--color",
            "always",
            "pkg",
        ],
    );
    assert!(stdout(&out).contains("\x1b[1;31mPY001\x1b[0m"));
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--no-cache",
            "--color",
            "never",
            "pkg",
        ],
    );
    assert!(!stdout(&out).contains('\x1b'));
    // auto: not a terminal here, so no colour; NO_COLOR does not override `always`.
    let out = support::py2to3()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--isolated",
            "--no-cache",
            "--color",
            "always",
            "pkg",
        ])
        .output()
        .unwrap();
    assert!(stdout(&out).contains('\x1b'));
    let out = run_in(dir.path(), &["check", "--isolated", "--no-cache", "pkg"]);
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn rules_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["rules", "--output-format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules[0]["code"], "PY000");
    let print = rules.iter().find(|r| r["code"] == "PY001").unwrap();
    assert_eq!(print["name"], "print-statement");
    assert_eq!(print["fixable"], true);
    assert_eq!(print["default_on"], true);
    assert!(print["doc"].as_str().unwrap().contains("## What it does"));
}

#[test]
fn json_findings_carry_their_fix_and_doc() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.py"), "x = d.has_key(k)\ny = 10 <> 3\n").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--no-cache",
            "--output-format",
            "json",
            "a.py",
        ],
    );
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let has_key = findings.iter().find(|f| f["code"] == "PY112").unwrap();
    assert_eq!(has_key["fix"]["applicability"], "safe");
    // The edits apply to the file as it is (after the grammar fix of line 2).
    let edits = has_key["fix"]["edits"].as_array().unwrap();
    assert!(!edits.is_empty());
    assert!(edits.iter().all(|e| e["line"] == 1));
    assert!(has_key["doc"].as_str().unwrap().contains("## What it does"));
    let ne = findings.iter().find(|f| f["code"] == "PY006").unwrap();
    assert_eq!(
        ne["fix"]["edits"],
        serde_json::json!([{"content": "!=", "line": 2, "column": 8, "end_line": 2, "end_column": 10}])
    );
}
