//! `py2to3 check` end to end, through the built binary: the acceptance run on CPython's Python 2
//! grammar test file (findings, exit status, SARIF validated against the 2.1.0 schema),
//! `--shard K/N` (the union of the N JSON outputs is one unsharded run), `--statistics`,
//! `--exit-zero`, per-file ignores, `# noqa`, skip-file, configuration errors and the cache.

mod support;

#[path = "support/sarif.rs"]
mod sarif_schema;
#[path = "support/stdlib.rs"]
mod stdlib;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use py2to3::report::Finding;
use serde_json::Value;
use support::py2to3;

/// `lib2to3/tests/data/py2_test_grammar.py` of the installed Python 3.11, if any.
fn py2_grammar_file() -> Option<PathBuf> {
    let stdlib = stdlib::stdlib_dir();
    let file = stdlib.join("lib2to3/tests/data/py2_test_grammar.py");
    if file.is_file() {
        return Some(file);
    }
    assert!(
        !support::in_ci(),
        "{} is required under CI=true",
        file.display()
    );
    eprintln!("{} not found: skipping", file.display());
    None
}

/// Runs `py2to3 ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    py2to3()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run py2to3")
}

/// Writes `text` to `root/rel`, making its folders.
fn write_file(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The findings of a `--output-format json` run.
fn json_findings(out: &Output) -> Vec<Finding> {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON findings ({e}): {}", stdout(out)))
}

/// (line, column) of the findings with `code` whose message contains `word`.
fn positions(findings: &[Finding], code: &str, word: &str) -> Vec<(usize, usize)> {
    findings
        .iter()
        .filter(|f| f.code == code && f.message.contains(word))
        .map(|f| (f.line, f.column))
        .collect()
}

/// Every print statement, exec statement, `except X, e`, backtick, `<>` and old octal literal
/// of the grammar file, at the line and column where it starts (checked by hand against the
/// file and against lib2to3's own parse of it).
#[test]
fn py2_grammar_file_reports_every_python2_construct() {
    let Some(file) = py2_grammar_file() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = file.to_string_lossy();
    let out = run_in(
        dir.path(),
        &["check", "--no-cache", "--output-format", "json", &path],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings = json_findings(&out);
    assert!(findings.iter().all(|f| f.path == path));
    let prints = [
        348, 349, 350, 351, 352, 355, 356, 357, 358, 359, 366, 367, 368, 369, 370,
    ]
    .map(|l| (l, 9))
    .into_iter()
    .chain([(384, 13), (390, 13), (947, 13)])
    .collect::<Vec<_>>();
    assert_eq!(positions(&findings, "PY001", "print"), prints);
    assert_eq!(
        positions(&findings, "PY002", "exec"),
        [(522, 9), (525, 9), (531, 13), (538, 9), (546, 9)]
    );
    assert_eq!(
        positions(&findings, "PY003", "except"),
        [(560, 9), (637, 9), (643, 9)]
    );
    assert_eq!(
        positions(&findings, "PY005", "backtick"),
        [(772, 13), (773, 13), (774, 26)]
    );
    assert_eq!(
        positions(&findings, "PY006", "<>"),
        [(477, 39), (680, 14), (689, 37)]
    );
    assert_eq!(
        positions(&findings, "PY007", "octal"),
        [
            (31, 27),
            (32, 39),
            (37, 47),
            (39, 26),
            (47, 56),
            (48, 26),
            (64, 13),
            (65, 13)
        ]
    );
    // Long literals without an octal prefix (0777L is reported once, as octal).
    assert_eq!(
        positions(&findings, "PY007", "long"),
        [
            (60, 13),
            (61, 13),
            (62, 13),
            (63, 13),
            (66, 13),
            (67, 13),
            (302, 47)
        ]
    );
    assert_eq!(positions(&findings, "PY004", "raise"), [(494, 14)]);
}

#[test]
fn py2_grammar_file_sarif_validates_against_the_schema() {
    let Some(file) = py2_grammar_file() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = file.to_string_lossy();
    let json = json_findings(&run_in(
        dir.path(),
        &["check", "--no-cache", "--output-format", "json", &path],
    ));
    let out = run_in(
        dir.path(),
        &["check", "--no-cache", "--output-format", "sarif", &path],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif_schema::errors(&log), Vec::<String>::new());
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), json.len());
    assert!(json.len() > 50, "{} findings", json.len());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
}

/// Copies every `*.py` of the project's fixtures (142 files in 84 folders) into `dest`.
fn copy_fixture_tree(dest: &Path) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut copied = 0;
    for entry in fs::read_dir(&root).unwrap().flatten() {
        let Ok(files) = fs::read_dir(entry.path()) else {
            continue;
        };
        for file in files.flatten() {
            let p = file.path();
            if p.extension().is_some_and(|e| e == "py") {
                let target = dest.join(entry.file_name()).join(file.file_name());
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::copy(&p, &target).unwrap();
                copied += 1;
            }
        }
    }
    copied
}

#[test]
fn union_of_shard_outputs_equals_one_unsharded_run() {
    let tree = tempfile::tempdir().unwrap();
    let files = copy_fixture_tree(tree.path());
    assert!(files > 50, "{files} fixture files");
    let args = [
        "check",
        "--no-cache",
        "--isolated",
        "--output-format",
        "json",
    ];
    let whole_out = run_in(tree.path(), &args);
    let whole = json_findings(&whole_out);
    let files_with_findings: std::collections::BTreeSet<&str> =
        whole.iter().map(|f| f.path.as_str()).collect();
    assert!(
        files_with_findings.len() > 30,
        "{} files with findings",
        files_with_findings.len()
    );
    for n in [1, 2, 3, 5] {
        let mut union: Vec<Finding> = Vec::new();
        let mut nonempty = 0;
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let mut sharded = args.to_vec();
            sharded.extend(["--shard", &shard]);
            let part = json_findings(&run_in(tree.path(), &sharded));
            nonempty += usize::from(!part.is_empty());
            union.extend(part);
        }
        assert_eq!(nonempty, n, "N={n}: every shard has work");
        py2to3::report::sort_findings(&mut union);
        assert_eq!(union.len(), whole.len(), "N={n}: a finding twice or lost");
        assert_eq!(union, whole, "N={n}");
    }
    let bad = run_in(tree.path(), &["check", "--shard", "3/2"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

/// A small project: `pkg/a.py` with suppressed and unsuppressed findings, `pkg/b.py`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    fs::create_dir_all(&pkg).unwrap();
    fs::write(
        pkg.join("a.py"),
        "print 'a'\nprint 'b'  # noqa: PY001\nx = `1`  # noqa\ny = `2`  # noqa: PY001\n",
    )
    .unwrap();
    fs::write(pkg.join("b.py"), "print 'c'\nif a <> b: pass\n").unwrap();
    fs::write(pkg.join("skipped.py"), "# py2to3: skip-file\nprint 'd'\n").unwrap();
    fs::write(
        pkg.join("clean.py"),
        // Clean Python 3: the default rules stay quiet.
        "print('e')\nfor k, v in d.items():\n    pass\nfor i in range(3):\n    print(i, end='')\n\
         keys = sorted(d.keys())\nwith open('f') as f:\n    data = f.read()\n\
         r = repr(1) if 1 != 2 else 0o17\n",
    )
    .unwrap();
    dir
}

#[test]
fn text_output_noqa_and_skip_file() {
    let dir = project();
    let out = run_in(dir.path(), &["check", "--no-cache", "pkg"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "pkg/a.py:1:1: PY001 `print` statement: use the print() function\n\
         pkg/a.py:4:5: PY005 backticks: use repr()\n\
         pkg/b.py:1:1: PY001 `print` statement: use the print() function\n\
         pkg/b.py:2:6: PY006 `<>`: use `!=`\n\
         Found 4 findings (4 fixable with `py2to3 fix`).\n"
    );
}

#[test]
fn statistics_and_exit_zero() {
    let dir = project();
    let out = run_in(dir.path(), &["check", "--no-cache", "--statistics", "pkg"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "2\tPY001\t[*] print-statement\n1\tPY005\t[*] backticks\n1\tPY006\t[*] ne-operator\n\
         [*] fixable with `py2to3 fix`\n"
    );
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-cache",
            "--statistics",
            "--output-format",
            "json",
            "pkg",
        ],
    );
    let counts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts[0]["code"], "PY001");
    assert_eq!(counts[0]["count"], 2);
    let out = run_in(dir.path(), &["check", "--no-cache", "--exit-zero", "pkg"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Found 4 findings"));
    let clean = run_in(dir.path(), &["check", "--no-cache", "pkg/clean.py"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "All checks passed!\n");
}

#[test]
fn per_file_ignores_from_config_and_command_line() {
    let dir = project();
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.py2to3]\nper-file-ignores = { \"pkg/b.py\" = [\"PY001\"] }\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--no-cache", "--output-format", "json", "pkg"],
    );
    let found: Vec<(String, String)> = json_findings(&out)
        .into_iter()
        .map(|f| (f.path, f.code))
        .collect();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        found,
        pairs(&[
            ("pkg/a.py", "PY001"),
            ("pkg/a.py", "PY005"),
            ("pkg/b.py", "PY006")
        ])
    );
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-cache",
            "--output-format",
            "json",
            "--per-file-ignores",
            "pkg/a.py:PY001,backticks",
            "pkg",
        ],
    );
    let found: Vec<(String, String)> = json_findings(&out)
        .into_iter()
        .map(|f| (f.path, f.code))
        .collect();
    assert_eq!(found, pairs(&[("pkg/b.py", "PY006")]));
}

#[test]
fn unknown_config_key_is_a_usage_error_naming_the_key_once() {
    let dir = project();
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.py2to3]\nslect = [\"PY001\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--no-cache", "pkg"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.matches("unknown field `slect`").count(), 1, "{err}");
    assert!(err.contains("pyproject.toml"), "{err}");
}

#[test]
fn cache_rerun_gives_the_same_findings_and_follows_edits() {
    let dir = project();
    let args = ["check", "--output-format", "json", "pkg"];
    let first = run_in(dir.path(), &args);
    let cache = dir.path().join(".py2to3_cache");
    assert!(cache.join("CACHEDIR.TAG").is_file());
    // One file holds every entry.
    let pack = cache.join(env!("CARGO_PKG_VERSION")).join("results.bin");
    assert!(pack.is_file());
    let second = run_in(dir.path(), &args);
    assert_eq!(stdout(&second), stdout(&first));
    assert_eq!(second.status.code(), Some(1));
    // An edited file is checked again.
    fs::write(dir.path().join("pkg/b.py"), "print('c')\n").unwrap();
    let third = json_findings(&run_in(dir.path(), &args));
    assert!(third.iter().all(|f| f.path == "pkg/a.py"), "{third:?}");
    // --no-cache neither reads nor writes it.
    fs::remove_dir_all(&cache).unwrap();
    let uncached = run_in(dir.path(), &["check", "--no-cache", "pkg"]);
    assert_eq!(uncached.status.code(), Some(1));
    assert!(!cache.exists());
}

#[test]
fn folders_above_the_tree_do_not_exclude_it_and_empty_runs_warn() {
    let outside = tempfile::tempdir().unwrap();
    let proj = outside.path().join("build").join("proj");
    fs::create_dir_all(&proj).unwrap();
    fs::write(proj.join("a.py"), "print 'x'\n").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = run_in(
        elsewhere.path(),
        &["check", "--no-cache", &proj.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("a.py:1:1: PY001"), "{}", stdout(&out));
    let empty = run_in(elsewhere.path(), &["check", "--no-cache", "."]);
    assert_eq!(empty.status.code(), Some(0));
    assert!(
        stderr(&empty).contains("no Python files found"),
        "{}",
        stderr(&empty)
    );
}

#[test]
fn cache_trusts_a_stamp_only_until_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.py");
    fs::write(&file, "print 'x'\n").unwrap();
    let old_mtime = fs::metadata(&file).unwrap().modified().unwrap();
    // Stamps are only kept for files left alone for a while (see cache::FileStamp).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let args = ["check", "--output-format", "json", "a.py"];
    let codes =
        |out: &Output| -> Vec<String> { json_findings(out).into_iter().map(|f| f.code).collect() };
    assert_eq!(codes(&run_in(dir.path(), &args)), ["PY001"]);
    let pack = dir
        .path()
        .join(".py2to3_cache")
        .join(env!("CARGO_PKG_VERSION"))
        .join("results.bin");
    let bytes = fs::read(&pack).unwrap();
    assert!(bytes.windows(4).any(|w| w == b"a.py"), "no stamp for a.py");
    assert_eq!(codes(&run_in(dir.path(), &args)), ["PY001"]);
    // The same size, and the old modification time put back: the status change time still
    // tells the edit, within the same second as the previous run.
    fs::write(&file, "x = `1`  \n").unwrap();
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(old_mtime)
        .unwrap();
    assert_eq!(codes(&run_in(dir.path(), &args)), ["PY005"]);
}

/// A cached run takes the folder listings of the last run for folders whose stamp has not
/// changed (see cache::folders): files and folders added, removed or renamed since are seen,
/// and so are new config and ignore files; each cached run reports what an uncached one does.
#[test]
fn cached_folder_listings_follow_added_and_removed_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_file(root, rel, text);
    write("a.py", "print 'a'\n");
    write("pkg/__init__.py", "");
    write("pkg/b.py", "import helpers\n");
    write("pkg/deep/c.py", "print 'c'\n");
    write("pkg/deep/data.txt", "not python\n");
    // Listings are only kept for folders left alone for a while.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let paths_of = |args: &[&str]| -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = json_findings(&run_in(root, args))
            .into_iter()
            .map(|f| (f.path, f.code))
            .collect();
        found.sort();
        found
    };
    let cached = ["check", "--output-format", "json", "--exit-zero", "."];
    let uncached = [
        "check",
        "--no-cache",
        "--output-format",
        "json",
        "--exit-zero",
        ".",
    ];
    let same = |step: &str| {
        let expected = paths_of(&uncached);
        assert_eq!(paths_of(&cached), expected, "after {step}");
        expected
    };
    let first = same("the first run");
    assert_eq!(first.len(), 2, "{first:?}");
    let pack = root
        .join(".py2to3_cache")
        .join(env!("CARGO_PKG_VERSION"))
        .join("results.bin");
    let bytes = fs::read(&pack).unwrap();
    assert!(
        bytes.windows(8).any(|w| w == b"pkg/deep"),
        "no listing kept for pkg/deep"
    );
    same("a run on listings");
    write("pkg/deep/d.py", "print 'd'\n");
    write("pkg/new/e.py", "print 'e'\n");
    let added = same("adding files and a folder");
    assert!(added.iter().any(|(p, _)| p.ends_with("d.py")), "{added:?}");
    assert!(added.iter().any(|(p, _)| p.ends_with("e.py")), "{added:?}");
    fs::remove_file(root.join("pkg/deep/c.py")).unwrap();
    fs::rename(root.join("pkg/new"), root.join("pkg/renamed")).unwrap();
    let moved = same("removing and renaming");
    assert!(!moved.iter().any(|(p, _)| p.ends_with("c.py")), "{moved:?}");
    // A sibling module makes `import helpers` relative; config and ignore files count too.
    write("pkg/helpers.py", "");
    write("pkg/renamed/py2to3.toml", "exclude = [\"e.py\"]\n");
    write(".gitignore", "a.py\n");
    let last = same("adding a module, a config and an ignore file");
    assert!(last.iter().any(|(_, code)| code == "PY219"), "{last:?}");
    assert!(!last.iter().any(|(p, _)| p.ends_with("e.py")), "{last:?}");
    assert!(!last.iter().any(|(p, _)| p == "a.py"), "{last:?}");
}

#[test]
fn the_walk_follows_nested_configs_gitignore_and_hidden_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_file(root, rel, text);
    write("pyproject.toml", "[tool.py2to3]\nexclude = [\"gen\"]\n");
    write(".gitignore", "/out/\n*_ignored.py\n");
    write("a.py", "print 'a'\n");
    write("gen/b.py", "print 'b'\n");
    write("out/c.py", "print 'c'\n");
    write("pkg/c_ignored.py", "print 'c'\n");
    write(".venv/lib/d.py", "print 'd'\n");
    // A folder with its own configuration: its excludes apply below it, the root's do not.
    write("sub/py2to3.toml", "exclude = [\"skip_me.py\"]\n");
    write("sub/skip_me.py", "print 'e'\n");
    write("sub/gen/f.py", "print 'f'\n");
    // A folder without one shares the root's, however deep.
    write("deep/er/gen/g.py", "print 'g'\n");
    write("deep/er/h.py", "print 'h'\n");
    let out = run_in(
        root,
        &["check", "--no-cache", "--output-format", "json", "."],
    );
    let mut paths: Vec<String> = json_findings(&out).into_iter().map(|f| f.path).collect();
    paths.dedup();
    assert_eq!(
        paths,
        ["./a.py", "./deep/er/h.py", "./sub/gen/f.py"],
        "{}",
        stderr(&out)
    );
}
