//! Shipping like ruff: the wheel maturin builds puts a working `py2to3` on PATH in a fresh
//! virtual environment, and the pre-commit hooks of `pre-commit-mirror/` install that wheel
//! (never compiling Rust) and catch a staged Python 2 file.
//!
//! Needs maturin, pre-commit and git (pip installs the first two; `.ci/run` does); skipped when
//! one is missing, except under CI=true. The wheel is built once (a release build) into
//! `target/wheels`, and every pip call here is offline: it finds the wheel and the build tools
//! it needs on disk.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Whether `program --version` runs; under CI a missing tool fails the test.
fn have(program: &str) -> bool {
    let ok = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !support::in_ci(),
            "{program} is required under CI=true (pip install {program})"
        );
        eprintln!("{program} not found: skipping");
    }
    ok
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The crate's version, as `py2to3 --version` prints it and the wheel is named.
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Builds the wheel once per test run: the folder that holds it.
fn wheel_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = root.join("target").join("wheels");
        let _ = std::fs::remove_dir_all(&out);
        run(Command::new("maturin")
            .args(["build", "--release", "--out"])
            .arg(&out)
            .current_dir(root));
        out
    })
}

/// The one wheel file of the build.
fn wheel() -> PathBuf {
    let wheels: Vec<PathBuf> = std::fs::read_dir(wheel_dir())
        .expect("the wheel folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "one wheel expected: {wheels:?}");
    let name = wheels[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!("py2to3-{}-py3-none-", version())),
        "a binary wheel for any Python 3: {name}"
    );
    wheels[0].clone()
}

/// Folders pip may read instead of the index: the wheel, and the build tools virtualenv
/// carries (setuptools, for the hook package's own build).
fn find_links() -> String {
    let mut links = vec![wheel_dir().to_path_buf()];
    let embed = Command::new("python3")
        .args([
            "-c",
            "import os, virtualenv; print(os.path.join(os.path.dirname(virtualenv.__file__), 'seed', 'wheels', 'embed'))",
        ])
        .output();
    if let Ok(o) = embed {
        if o.status.success() {
            links.push(PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        }
    }
    links
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

const PYTHON2_FILE: &str = "import urllib2\nprint 'fetching', urllib2.urlopen.__name__\n";

#[test]
fn the_wheel_installs_in_a_fresh_venv_and_runs() {
    if !have("maturin") || !support::python3_available() {
        return;
    }
    let wheel = wheel();
    let tmp = tempfile::tempdir().unwrap();
    let venv = tmp.path().join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "--no-index", "--disable-pip-version-check"])
        .arg(&wheel));
    let exe = venv.join("bin/py2to3");
    assert!(exe.is_file(), "the wheel puts py2to3 in the venv's bin");

    let out = run(Command::new(&exe).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("py2to3 {}", version())
    );

    let project = tmp.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("old.py"), PYTHON2_FILE).unwrap();
    let out = Command::new(&exe)
        .args(["check", "--output-format", "json", "old.py"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings give exit 1");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = findings
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"PY001"), "the print statement: {codes:?}");
    assert!(codes.contains(&"PY203"), "the urllib2 import: {codes:?}");
}

/// A git repository in `dir` with everything in it committed; its commit id.
fn commit_all(dir: &Path) -> String {
    let git = |args: &[&str]| {
        run(Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(dir))
    };
    if !dir.join(".git").exists() {
        git(&["init", "-q"]);
    }
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "snapshot"]);
    let out = git(&["rev-parse", "HEAD"]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn the_pre_commit_hooks_install_the_wheel_and_catch_python2() {
    if !have("maturin") || !have("pre-commit") || !have("git") {
        return;
    }
    let mirror_src = Path::new(env!("CARGO_MANIFEST_DIR")).join("pre-commit-mirror");
    let mirror_pyproject = std::fs::read_to_string(mirror_src.join("pyproject.toml")).unwrap();
    assert!(
        mirror_pyproject.contains(&format!("version = \"{}\"", version()))
            && mirror_pyproject.contains(&format!("\"py2to3=={}\"", version())),
        "the hook package's version and pin follow the crate's version"
    );
    let _ = wheel();
    let tmp = tempfile::tempdir().unwrap();

    // The hook repository, as it would be published.
    let hooks = tmp.path().join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    for name in [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"] {
        std::fs::copy(mirror_src.join(name), hooks.join(name)).unwrap();
    }
    let rev = commit_all(&hooks);

    // A project with a Python 2 file staged.
    let project = tmp.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: py2to3-check\n      - id: py2to3-fix\n        stages: [manual]\n",
        hooks.display()
    );
    std::fs::write(project.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(project.join("old.py"), PYTHON2_FILE).unwrap();
    commit_all(&project);

    let pre_commit = |args: &[&str]| {
        Command::new("pre-commit")
            .args(args)
            .current_dir(&project)
            .env("PRE_COMMIT_HOME", tmp.path().join("cache"))
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", find_links())
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .output()
            .unwrap()
    };
    let check = pre_commit(&["run", "py2to3-check", "--all-files"]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(
        check.status.code(),
        Some(1),
        "the check hook fails on Python 2:\n{stdout}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(stdout.contains("old.py:2:1: PY001"), "{stdout}");

    // The installed environment holds the wheel's binary, not a build from source.
    let cache = tmp.path().join("cache");
    let installed = walk_for(&cache, "py2to3");
    assert!(
        installed.iter().any(|p| p.ends_with("bin/py2to3")),
        "py2to3 installed from the wheel in pre-commit's environment: {installed:?}"
    );

    let fix = pre_commit(&["run", "py2to3-fix", "--hook-stage", "manual", "--all-files"]);
    assert_eq!(
        fix.status.code(),
        Some(1),
        "files changed: the hook fails once"
    );
    assert_eq!(
        std::fs::read_to_string(project.join("old.py")).unwrap(),
        "import urllib.request\nprint('fetching', urllib.request.urlopen.__name__)\n"
    );
    let again = pre_commit(&["run", "py2to3-check", "--all-files"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "clean after the fix: {}",
        String::from_utf8_lossy(&again.stdout)
    );
}

/// Every path under `root` whose file name is `name`.
fn walk_for(root: &Path, name: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if entry.file_name() == name {
                found.push(path);
            }
        }
    }
    found
}
