//! The parallel driver: finds the Python files under the given paths and runs a per-file job on a
//! rayon pool whose threads have big stacks, with a progress bar on a terminal.

use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::walk;

/// Stack size of the worker threads: deep but valid Python must never overflow a parser or a walk.
const WORKER_STACK: usize = 256 << 20;

/// A file to process.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line (processed whatever its extension).
    pub explicit: bool,
}

/// Files found and walk errors (path, message).
pub type Discovered = (Vec<Candidate>, Vec<(PathBuf, String)>);

/// Walks `paths` (files and folders) with `visitor` (see [`walk`]: ignore files, hidden names,
/// and the visitor's exclusions), keeping the `.py` files and the extensionless ones (the job
/// checks those for a python shebang). A file named on the command line is kept unless
/// `excluded_file` says otherwise. Missing paths are returned as errors.
pub fn discover<V: walk::Visitor>(
    paths: &[PathBuf],
    visitor: &V,
    excluded_file: impl Fn(&Path) -> bool,
) -> Discovered {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            if !excluded_file(root) {
                files.push(Candidate {
                    path: root.clone(),
                    explicit: true,
                });
            }
            continue;
        }
        if !root.exists() {
            errors.push((root.clone(), "no such file or folder".to_string()));
            continue;
        }
        let found = walk::walk(root, visitor);
        files.extend(found.files.into_iter().map(|path| Candidate {
            path,
            explicit: false,
        }));
        errors.extend(found.errors);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort();
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}

/// Whether a file found in a folder may be Python by its name: `.py`, or no extension (a script,
/// kept if it has a python shebang).
pub fn is_candidate_name(name: &OsStr) -> bool {
    Path::new(name).extension().is_none_or(|ext| ext == "py")
}

/// Whether an extensionless file found in a folder is a Python script (`#!...python...`).
pub fn has_python_shebang(bytes: &[u8]) -> bool {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or(b"");
    first.starts_with(b"#!") && first.windows(6).any(|w| w == b"python")
}

/// Runs `job` on every file in parallel (`jobs` threads, 0 = one per core) and returns the
/// results in the order of `files`.
pub fn run_parallel<T: Send>(
    files: &[Candidate],
    jobs: usize,
    job: impl Fn(&Candidate) -> T + Sync,
) -> Result<Vec<T>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let bar = progress_bar(files.len());
    let results = pool.install(|| {
        files
            .par_iter()
            .map(|c| {
                let r = job(c);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                r
            })
            .collect()
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(results)
}

/// A progress bar on stderr, only on a terminal and for runs long enough to want one.
fn progress_bar(len: usize) -> Option<indicatif::ProgressBar> {
    if len < 500 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}
