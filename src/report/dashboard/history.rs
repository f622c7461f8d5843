//! Progress over time: the same check run on the files of each of the last commits, read from
//! git.
//!
//! git runs as a subprocess: `git log` lists the commits, and `git archive COMMIT -- PATHS`
//! piped into `tar -x` writes each commit's files to a temporary folder, where the caller's
//! check runs. The repository itself (its index, work tree and worktree list) is not touched.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::Totals;

/// The counts of one commit (or of the working tree, the last point).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPoint {
    /// Abbreviated commit id, or `working tree`.
    pub label: String,
    /// Commit date (ISO 8601), empty for the working tree.
    pub date: String,
    /// First line of the commit message.
    pub subject: String,
    /// The counts, or why the commit's files could not be checked.
    pub totals: Result<Totals, String>,
}

/// A commit to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub short: String,
    pub date: String,
    pub subject: String,
}

/// Where the given paths are in their git repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoPaths {
    /// The repository's top folder.
    pub top: PathBuf,
    /// Each path relative to `top` (`.` for the top itself).
    pub relative: Vec<PathBuf>,
}

fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir).stdin(Stdio::null());
    command
}

fn output_of(mut command: Command) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Finds the repository holding `paths` (all must be in the same one).
pub fn locate(paths: &[PathBuf]) -> Result<RepoPaths, String> {
    let mut top: Option<PathBuf> = None;
    let mut relative = Vec::new();
    for path in paths {
        let full = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = if full.is_dir() {
            full.clone()
        } else {
            full.parent()
                .map_or_else(|| full.clone(), Path::to_path_buf)
        };
        let mut command = git(&dir);
        command.args(["rev-parse", "--show-toplevel"]);
        let here = PathBuf::from(
            output_of(command)
                .map_err(|e| format!("{} is not in a git repository: {e}", path.display()))?
                .trim_end_matches(['\n', '\r']),
        );
        let here = here.canonicalize().unwrap_or(here);
        if top.as_ref().is_some_and(|t| *t != here) {
            return Err("--history needs every path in the same git repository".to_string());
        }
        let rel = full.strip_prefix(&here).map_or_else(
            |_| PathBuf::from("."),
            |r| {
                if r.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    r.to_path_buf()
                }
            },
        );
        relative.push(rel);
        top = Some(here);
    }
    let top = top.ok_or_else(|| "--history needs a path".to_string())?;
    Ok(RepoPaths { top, relative })
}

/// The last `count` commits of `HEAD`, newest first.
pub fn last_commits(top: &Path, count: usize) -> Result<Vec<Commit>, String> {
    let mut command = git(top);
    command
        .args(["log", "--no-color", "--format=%H%x00%h%x00%cI%x00%s"])
        .arg(format!("--max-count={count}"))
        .arg("HEAD")
        .arg("--");
    let text = output_of(command)?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, '\0');
            Some(Commit {
                id: parts.next()?.to_string(),
                short: parts.next()?.to_string(),
                date: parts.next()?.to_string(),
                subject: parts.next().unwrap_or("").to_string(),
            })
        })
        .collect())
}

/// The configuration files at the top of the repository in `commit` (`py2to3.toml`,
/// `pyproject.toml`), so that a commit's files are checked with the configuration they had.
fn top_config_files(top: &Path, commit: &str) -> Vec<String> {
    let mut command = git(top);
    command.args([
        "ls-tree",
        "--name-only",
        commit,
        "--",
        "py2to3.toml",
        "pyproject.toml",
    ]);
    output_of(command)
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Writes the files of `relative` (paths inside the repository) as they were at `commit` under
/// `into` (same relative paths), with the configuration files at the top of the repository. A
/// path the commit does not have is an error.
pub fn extract(top: &Path, commit: &str, relative: &[PathBuf], into: &Path) -> Result<(), String> {
    let whole = relative.iter().any(|r| r == Path::new("."));
    let config = if whole {
        Vec::new()
    } else {
        top_config_files(top, commit)
    };
    let mut archive = git(top);
    archive
        .args(["archive", "--format=tar", commit, "--"])
        .args(relative)
        .args(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut archive = archive
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let stdout = archive
        .stdout
        .take()
        .ok_or_else(|| "git archive gave no output".to_string())?;
    let untar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(into)
        .stdin(Stdio::from(stdout))
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive
        .wait_with_output()
        .map_err(|e| format!("git archive: {e}"))?;
    if !archived.status.success() {
        return Err(String::from_utf8_lossy(&archived.stderr).trim().to_string());
    }
    if !untar.status.success() {
        return Err(format!(
            "tar: {}",
            String::from_utf8_lossy(&untar.stderr).trim()
        ));
    }
    Ok(())
}

/// Checks each of the last `count` commits: their files under `paths` are written to a
/// temporary folder and handed to `check` (the paths to check, under that folder), which
/// returns their counts. Oldest first.
pub fn collect(
    paths: &[PathBuf],
    count: usize,
    check: &dyn Fn(&[PathBuf]) -> Result<Totals, String>,
) -> Result<Vec<HistoryPoint>, String> {
    let repo = locate(paths)?;
    let commits = last_commits(&repo.top, count)?;
    let mut points = Vec::with_capacity(commits.len());
    for commit in commits.iter().rev() {
        let totals = tempfile::tempdir()
            .map_err(|e| format!("cannot make a temporary folder: {e}"))
            .and_then(|dir| {
                extract(&repo.top, &commit.id, &repo.relative, dir.path())?;
                let inside: Vec<PathBuf> =
                    repo.relative.iter().map(|r| dir.path().join(r)).collect();
                check(&inside)
            });
        points.push(HistoryPoint {
            label: commit.short.clone(),
            date: commit.date.clone(),
            subject: commit.subject.clone(),
            totals,
        });
    }
    Ok(points)
}
