//! `py2to3 report`: the HTML migration dashboard.
//!
//! Fast tests run the binary on small trees (a fixture tree written here, a git repository
//! with three commits, audit JSON) and read the page's `data-*` attributes. The browser test
//! makes the page for Django 1.3.7, opens it from disk in Debian's chromium through
//! playwright-core (`tests/browser/dashboard.mjs`), and checks its numbers against
//! `py2to3 check --output-format json` on the same tree; the screenshot goes to
//! `target/dashboard/dashboard.png`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{in_ci, py2to3};

/// Writes `files` (path, text) under `root`.
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Runs `py2to3 report ARGS` in `dir` and returns the page.
fn report(dir: &Path, args: &[&str]) -> String {
    let out = py2to3()
        .arg("report")
        .args(args)
        .args(["-o", "out"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join("out/index.html")).unwrap()
}

/// The section whose opening tag starts with `start`, up to its end.
fn section<'a>(page: &'a str, start: &str) -> &'a str {
    let at = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &page[at..];
    &rest[..rest.find("</section>").unwrap()]
}

/// The opening tag of the first element whose tag starts with `start`.
fn tag<'a>(page: &'a str, start: &str) -> &'a str {
    let at = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    &page[at..at + page[at..].find('>').unwrap() + 1]
}

/// Every `data-NAME="VALUE"` of one tag.
fn attributes(tag: &str) -> BTreeMap<String, String> {
    tag.split(" data-")
        .skip(1)
        .filter_map(|part| {
            let (name, rest) = part.split_once("=\"")?;
            Some((name.to_string(), rest.split('"').next()?.to_string()))
        })
        .collect()
}

/// `data-NAME` of every tag starting with `start`, keyed by its `data-KEY`.
fn column(page: &str, start: &str, key: &str, name: &str) -> BTreeMap<String, String> {
    page.match_indices(start)
        .map(|(at, _)| {
            let attrs = attributes(tag(&page[at..], start));
            (attrs[key].clone(), attrs[name].clone())
        })
        .collect()
}

const TINY_TREE: &[(&str, &str)] = &[
    ("pkg/__init__.py", ""),
    ("pkg/old.py", "print 'hi'\nx = 0777  # noqa: PY007\n"),
    (
        "pkg/sub/manual.py",
        "import md5\n\ndef f(d):\n    return d.has_key(1)\n",
    ),
    ("pkg/sub/ok.py", "def f():\n    return 1\n"),
    ("pkg/broken.py", "def (:\n"),
    ("pkg/data.bin", "\u{0}\u{1}"),
];

#[test]
fn totals_of_a_tiny_tree() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), TINY_TREE);
    let page = report(dir.path(), &["pkg"]);
    // 5 Python files (0 + 2 + 4 + 2 + 1 lines); __init__, manual and ok compile as Python 3;
    // manual has findings; broken does not parse; old.py's PY007 is suppressed.
    assert_eq!(
        tag(&page, "<main "),
        "<main id=\"dashboard\" data-total-files=\"5\" data-total-lines=\"9\" \
         data-python3-files=\"3\" data-migrated-files=\"2\" data-files-with-findings=\"2\" \
         data-failed-files=\"1\" data-total-findings=\"3\" data-fixable-findings=\"2\" \
         data-manual-findings=\"1\" data-rules=\"3\">"
    );
    let rules = column(&page, "<tr class=\"rule\"", "code", "count");
    let rules: Vec<(&str, &str)> = rules
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(rules, [("PY001", "1"), ("PY112", "1"), ("PY814", "1")]);
    let folders = column(&page, "<details class=\"folder\"", "path", "findings");
    let folders: Vec<(&str, &str)> = folders
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(folders, [("pkg", "3"), ("pkg/sub", "2")]);
    let failed = column(&page, "<tr class=\"failed-file\"", "path", "path");
    assert_eq!(failed.keys().collect::<Vec<_>>(), ["pkg/broken.py"]);
    assert!(page.contains("<td>1:5: does not parse as Python 3: invalid syntax."));
    // The page is whole: nothing to fetch, its style and script inline.
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("<link") && !page.contains(" src="));
    assert!(page.contains("<style>") && page.contains("<script>"));
}

#[test]
fn the_same_findings_as_check() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), TINY_TREE);
    let out = py2to3()
        .args(["check", "--no-cache", "--output-format", "json", "pkg"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    // `check` reports a file it cannot parse as a PY000 finding; the page lists such files
    // apart ("files that do not parse") and counts the findings of the files it could read.
    let (unparsed, findings): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|f| f["code"] == "PY000");
    let page = report(dir.path(), &["pkg"]);
    let main = attributes(tag(&page, "<main "));
    assert_eq!(main["total-findings"], findings.len().to_string());
    let failed = column(&page, "<tr class=\"failed-file\"", "path", "path");
    assert_eq!(failed.len(), unparsed.len());
    let fixable = findings.iter().filter(|f| f["fixable"] == true).count();
    assert_eq!(main["fixable-findings"], fixable.to_string());
}

#[test]
fn audit_data_sections() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("a.py", "x = 1\n")]);
    let pickles = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pickle/py2");
    let audit = py2to3()
        .args(["pickle", "audit", "--output-format", "json"])
        .arg(&pickles)
        .output()
        .unwrap();
    // Exit 1: the corpus holds pickles Python 3 cannot load; the JSON is complete either way.
    assert!(matches!(audit.status.code(), Some(0 | 1)));
    std::fs::write(dir.path().join("pickles.json"), &audit.stdout).unwrap();
    let records: Vec<serde_json::Value> = audit
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let both = records
        .iter()
        .filter(|r| {
            r["error"].is_null() && r["py2_loadable"] == true && r["py3_loadable"]["ascii"] == true
        })
        .count();
    let dangerous = records.iter().filter(|r| r["dangerous"] == true).count();
    // The shape of `memcache audit --output-format json` (its summary object).
    std::fs::write(
        dir.path().join("memcache.json"),
        r#"{"partial": false, "items_scanned": 5, "pickled": 4, "py2_loadable": 4,
            "loads_on_both": 2, "needs_latin1": 1, "py2_only": 1, "not_pickled": 1,
            "dangerous": 0, "by_prefix": {"session": {"items_scanned": 5, "loads_on_both": 2}},
            "samples": {"py2_only": ["session:9"]}, "flags_seen": {"1": 4},
            "client_detected": "python-memcached", "errors": [], "notes": [],
            "servers": [{"server": "127.0.0.1:11211", "items_scanned": 5, "loads_on_both": 2}]}"#,
    )
    .unwrap();
    let page = report(
        dir.path(),
        &["a.py", "--data", "pickles.json", "--data", "memcache.json"],
    );
    let pickle = attributes(tag(&page, "<section id=\"data-0\""));
    assert_eq!(pickle["blobs"], records.len().to_string());
    assert_eq!(pickle["dangerous"], dangerous.to_string());
    let verdicts = column(
        section(&page, "<section id=\"data-0\""),
        "<tr data-verdict",
        "verdict",
        "count",
    );
    assert_eq!(verdicts["loads_on_both"], both.to_string());
    let sum: usize = verdicts.values().map(|v| v.parse::<usize>().unwrap()).sum();
    assert_eq!(sum, records.len());
    let memcache = attributes(tag(&page, "<section id=\"data-1\""));
    assert_eq!(memcache["items"], "5");
    let memcache_section = section(&page, "<section id=\"data-1\"");
    let verdicts = column(memcache_section, "<tr data-verdict", "verdict", "count");
    assert_eq!(verdicts["needs_latin1"], "1");
    assert_eq!(verdicts["py2_only"], "1");
    assert!(memcache_section.contains("<code>session:9</code>"));
    // Anything else is refused.
    std::fs::write(dir.path().join("bad.json"), "[1, 2]").unwrap();
    let out = py2to3()
        .args(["report", "a.py", "--data", "bad.json", "-o", "bad"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither `pickle audit"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn history_over_the_last_commits() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(!in_ci(), "git is required under CI=true");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    write_tree(repo, &[("README", "not python\n")]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "start, before src/ exists"]);
    write_tree(repo, &[("src/a.py", "print 1\nprint 2\nprint 3\n")]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "three prints"]);
    write_tree(repo, &[("src/a.py", "print(1)\nprint 2\nprint 3\n")]);
    git(repo, &["commit", "-q", "-am", "one fixed"]);
    write_tree(repo, &[("src/b.py", "x = 1\n")]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "a clean file"]);
    // Uncommitted: the working tree is the last point.
    write_tree(repo, &[("src/a.py", "print(1)\nprint(2)\nprint 3\n")]);
    let page = report(repo, &["src", "--history", "10"]);
    let history = attributes(tag(&page, "<section id=\"history\""));
    assert_eq!(history["points"], "5");
    let rows: Vec<(String, Option<String>, Option<String>)> = page
        .match_indices("<tr class=\"point")
        .map(|(at, _)| {
            let attrs = attributes(tag(&page[at..], "<tr class=\"point"));
            (
                attrs["commit"].clone(),
                attrs.get("findings").cloned(),
                attrs.get("migrated").cloned(),
            )
        })
        .collect();
    let counts: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|(_, f, m)| (f.as_deref(), m.as_deref()))
        .collect();
    // Oldest first: src/ missing, 3 prints, 2, 2 with a migrated file, then the working tree.
    assert_eq!(
        counts,
        [
            (None, None),
            (Some("3"), Some("0")),
            (Some("2"), Some("0")),
            (Some("2"), Some("1")),
            (Some("1"), Some("1")),
        ]
    );
    assert_eq!(rows[4].0, "working tree");
    assert!(page.contains("<svg class=\"chart\""));
    // The repository is left as it was: no worktree, same status.
    let out = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(repo)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        " M src/a.py\n?? out/\n"
    );
}

/// Django 1.3.7's `django/` folder from the corpus, if it is there (panics under CI).
fn django() -> Option<PathBuf> {
    let corpus = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    let root = corpus.join("Django-1.3.7");
    if root.join("django").is_dir() {
        Some(root)
    } else {
        assert!(
            !in_ci(),
            "Django 1.3.7 is required under CI=true: {}",
            root.display()
        );
        eprintln!("{} missing: skipping", root.display());
        None
    }
}

/// node, chromium and playwright-core (`npm install` in tests/browser), or `None` (panics
/// under CI).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium =
        PathBuf::from(std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()));
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = if !node_ok {
        Some("node")
    } else if !chromium.is_file() {
        Some("chromium")
    } else if !scripts.join("node_modules/playwright-core").is_dir() {
        Some("playwright-core (npm install in tests/browser)")
    } else {
        None
    };
    match missing {
        Some(what) => {
            assert!(!in_ci(), "{what} is required under CI=true");
            eprintln!("{what} missing: skipping the browser test");
            None
        }
        None => Some((chromium, scripts.join("dashboard.mjs"))),
    }
}

#[test]
fn django_page_in_chromium() {
    let Some(django) = django() else { return };
    let Some((chromium, script)) = browser() else {
        return;
    };
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/dashboard");
    std::fs::create_dir_all(&target).unwrap();
    let out = py2to3()
        .args(["report", "django", "-o"])
        .arg(&target)
        .current_dir(&django)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // What the page must say: check's own findings on the same tree.
    let out = py2to3()
        .args([
            "check",
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "json",
            "django",
        ])
        .current_dir(&django)
        .output()
        .unwrap();
    assert!(out.status.success());
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = std::collections::BTreeSet::new();
    for f in &findings {
        *rules
            .entry(f["code"].as_str().unwrap().to_string())
            .or_default() += 1;
        let path = f["path"].as_str().unwrap();
        files.insert(path.to_string());
        let parts: Vec<&str> = path.split('/').collect();
        for end in 1..parts.len() {
            *folders.entry(parts[..end].join("/")).or_default() += 1;
        }
    }
    let expected = serde_json::json!({
        "total_findings": findings.len(),
        "fixable_findings": findings.iter().filter(|f| f["fixable"] == true).count(),
        "files_with_findings": files.len(),
        "rules": rules,
        "folders": folders,
        "open_folder": "django/contrib",
    });
    let expected_path = target.join("expected.json");
    std::fs::write(&expected_path, expected.to_string()).unwrap();
    let screenshot = target.join("dashboard.png");
    let _ = std::fs::remove_file(&screenshot);
    let out = Command::new("node")
        .arg(&script)
        .arg(target.join("index.html"))
        .arg(&expected_path)
        .arg(&screenshot)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the page disagrees with check:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("compared: {}", String::from_utf8_lossy(&out.stdout));
    assert!(
        screenshot.is_file(),
        "no screenshot at {}",
        screenshot.display()
    );
    assert!(
        findings.len() > 1000,
        "Django has {} findings",
        findings.len()
    );
}
