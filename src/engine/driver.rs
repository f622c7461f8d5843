//! The parallel driver: finds the Python files under the given paths and runs a per-file job on a
//! rayon pool whose threads have big stacks, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

/// Stack size of the worker threads: deep but valid Python must never overflow a parser or a walk.
const WORKER_STACK: usize = 256 << 20;

/// A file to process.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line (processed whatever its extension).
    pub explicit: bool,
}

/// Builds the `--exclude` matcher.
pub fn exclude_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| format!("invalid --exclude pattern {p:?}: {e}"))?;
        builder.add(glob);
        // `build` also excludes what is under a folder named build.
        if !p.contains('/') {
            if let Ok(g) = Glob::new(&format!("**/{p}")) {
                builder.add(g);
            }
        }
    }
    builder.build().map_err(|e| e.to_string())
}

/// Files found and walk errors (path, message).
type Discovered = (Vec<Candidate>, Vec<(PathBuf, String)>);

/// Walks `paths` (files and folders), respecting `.gitignore` and `exclude`. Folders yield `.py`
/// files and extensionless files (the job checks those for a python shebang). Missing paths are
/// returned as errors.
pub fn discover(
    paths: &[PathBuf],
    exclude: impl Fn(&Path) -> bool + Clone + Send + Sync + 'static,
) -> (Vec<Candidate>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            if !exclude(root) {
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
        // Folders are read on all cores: on a large tree the walk is most of a cached run.
        let exclude_dirs = exclude.clone();
        let found: Mutex<Discovered> = Mutex::default();
        ignore::WalkBuilder::new(root)
            .require_git(false)
            // Only folders and candidate files are worth an exclusion test: asking it for the
            // other files (a locale folder's `.po` files...) would look for a configuration in
            // folders that hold no Python at all.
            .filter_entry(move |e| {
                e.depth() == 0
                    || !(e.file_type().is_some_and(|t| t.is_dir()) || is_candidate_name(e.path()))
                    || !exclude_dirs(e.path())
            })
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    let item = match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                            let path = e.into_path();
                            let wanted = is_candidate_name(&path);
                            wanted.then_some(Ok(Candidate {
                                path,
                                explicit: false,
                            }))
                        }
                        Ok(_) => None,
                        Err(e) => Some(Err((root.clone(), e.to_string()))),
                    };
                    if let Some(item) = item {
                        if let Ok(mut found) = found.lock() {
                            match item {
                                Ok(c) => found.0.push(c),
                                Err(e) => found.1.push(e),
                            }
                        }
                    }
                    ignore::WalkState::Continue
                })
            });
        let (mut f, mut e) = found.into_inner().unwrap_or_default();
        files.append(&mut f);
        errors.append(&mut e);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort();
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}

/// Whether a file found in a folder may be Python by its name: `.py`, or no extension (a script,
/// kept if it has a python shebang).
fn is_candidate_name(path: &Path) -> bool {
    path.extension().is_none_or(|ext| ext == "py")
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
