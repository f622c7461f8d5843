//! The parallel driver: finds the Python files under the given paths and runs a per-file job on a
//! rayon pool whose threads have big stacks, with a progress bar on a terminal.

use std::cmp::Reverse;
use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::walk;

/// Stack size of the worker threads: deep but valid Python must never overflow a parser or a walk.
const WORKER_STACK: usize = 256 << 20;

/// A file to process.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    /// Named on the command line (processed whatever its extension).
    pub explicit: bool,
    /// Its metadata when the walk read it (the job reads it itself otherwise).
    pub meta: Option<std::fs::Metadata>,
}

impl Candidate {
    /// A file named on the command line.
    pub fn explicit(path: PathBuf) -> Self {
        Candidate {
            path,
            explicit: true,
            meta: None,
        }
    }

    /// The file's metadata: the walk's, or read now.
    pub fn metadata(&self) -> std::io::Result<std::fs::Metadata> {
        match &self.meta {
            Some(meta) => Ok(meta.clone()),
            None => std::fs::metadata(&self.path),
        }
    }
}

/// Files found and walk errors (path, message).
pub type Discovered = (Vec<Candidate>, Vec<(PathBuf, String)>);

/// Walks `paths` (files and folders) with `visitor` (see [`walk`]: ignore files, hidden names,
/// and the visitor's exclusions), keeping the `.py` files and the extensionless ones (the job
/// checks those for a python shebang). A file named on the command line is kept unless
/// `excluded_file` says otherwise. Missing paths are returned as errors. Folders whose listing
/// `store` keeps are not read again.
pub fn discover<V: walk::Visitor>(
    paths: &[PathBuf],
    visitor: &V,
    excluded_file: impl Fn(&Path) -> bool,
    store: Option<&dyn walk::ListingStore>,
) -> Discovered {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Ok(meta) if meta.is_file() => {
                if !excluded_file(root) {
                    files.push(Candidate::explicit(root.clone()));
                }
            }
            Ok(meta) if meta.is_dir() => {
                let found = walk::walk_with(root, visitor, store);
                files.extend(found.files.into_iter().map(|f| Candidate {
                    path: f.path,
                    explicit: false,
                    meta: f.meta,
                }));
                errors.extend(found.errors);
            }
            Ok(meta) => errors.push((
                root.clone(),
                format!(
                    "not a regular file or folder ({}): skipped",
                    crate::source::kind_name(&meta)
                ),
            )),
            Err(e) => errors.push((root.clone(), unreachable_reason(root, &e))),
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort();
    files.dedup_by(|a, b| a.path == b.path);
    dedup_same_file(&mut files);
    (files, errors)
}

/// Why a path named on the command line cannot be reached.
fn unreachable_reason(path: &Path, e: &std::io::Error) -> String {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        format!("cannot follow the symbolic link: {e}")
    } else if e.kind() == std::io::ErrorKind::NotFound {
        "no such file or folder".to_string()
    } else {
        format!("cannot read: {e}")
    }
}

/// Keeps one path per file: a file reached by two paths (a symbolic link named on the command
/// line and its target, two links, hard links) is processed once, under its first path in
/// order, so that two workers never rewrite it at the same time.
#[cfg(unix)]
fn dedup_same_file(files: &mut Vec<Candidate>) {
    use std::os::unix::fs::MetadataExt;
    let mut seen = rustc_hash::FxHashSet::default();
    files.retain(|c| {
        let id = match &c.meta {
            Some(meta) => Some((meta.dev(), meta.ino())),
            None => std::fs::metadata(&c.path).ok().map(|m| (m.dev(), m.ino())),
        };
        // A file whose metadata cannot be read stays: its job reports why.
        id.is_none_or(|id| seen.insert(id))
    });
}

#[cfg(not(unix))]
fn dedup_same_file(_files: &mut Vec<Candidate>) {}

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

/// The most worker threads a run starts, whatever `--jobs` asks: the work is mostly CPU-bound,
/// and each thread reserves a large stack ([`WORKER_STACK`]); thousands of them only slowed the
/// start down (`-j 5000` seemed to hang).
const MAX_WORKERS: usize = 256;

/// How many worker threads to start for `files` files when `--jobs` says `jobs` (0 = one per
/// core): never more than the files, nor than [`MAX_WORKERS`], and at least one.
pub fn worker_count(jobs: usize, files: usize) -> usize {
    let wanted = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    wanted.min(files).clamp(1, MAX_WORKERS)
}

/// Runs `job` on every file in parallel (`jobs` threads, 0 = one per core, capped by
/// [`worker_count`]) and returns the results in the order of `files`.
///
/// Files are handed out one at a time, largest first (by the walk's metadata): a large file
/// taken last would keep one core busy while the others wait. On Django, the biggest file
/// takes about 5% of a core's share of the run.
pub fn run_parallel<T: Send>(
    files: &[Candidate],
    jobs: usize,
    job: impl Fn(&Candidate) -> T + Sync,
) -> Result<Vec<T>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(worker_count(jobs, files.len()))
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let bar = progress_bar(files.len());
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| Reverse(files[i].meta.as_ref().map_or(0, |m| m.len())));
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(files.len()));
    pool.scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            scope.spawn(|_| {
                let mut mine = Vec::new();
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    mine.push((i, job(&files[i])));
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                }
                if let Ok(mut done) = done.lock() {
                    done.append(&mut mine);
                }
            });
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut done = done
        .into_inner()
        .map_err(|_| "a worker thread failed".to_string())?;
    if done.len() != files.len() {
        return Err("a worker thread failed".to_string());
    }
    done.sort_unstable_by_key(|&(i, _)| i);
    Ok(done.into_iter().map(|(_, result)| result).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_are_capped_by_the_files_and_a_maximum() {
        assert_eq!(worker_count(5000, 8), 8);
        assert_eq!(worker_count(5000, 100_000), MAX_WORKERS);
        assert_eq!(worker_count(3, 100), 3);
        assert_eq!(worker_count(4, 0), 1);
        assert!(worker_count(0, 100) >= 1);
    }

    #[test]
    fn results_come_back_in_the_order_of_the_files_whatever_the_schedule() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<Candidate> = (0..40)
            .map(|i| {
                let path = dir.path().join(format!("f{i:02}.py"));
                // Sizes out of step with the order, so that the largest-first schedule differs.
                std::fs::write(&path, "x".repeat((i * 7919) % 97)).unwrap();
                Candidate {
                    meta: std::fs::metadata(&path).ok(),
                    path,
                    explicit: false,
                }
            })
            .collect();
        for jobs in [1, 2, 3] {
            let results = run_parallel(&files, jobs, |c| c.path.clone()).unwrap();
            let expected: Vec<PathBuf> = files.iter().map(|c| c.path.clone()).collect();
            assert_eq!(results, expected);
        }
    }
}
