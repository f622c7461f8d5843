//! The per-file results cache in `.py2to3_cache/`, so a re-run on an unchanged tree skips
//! tokenizing and parsing.
//!
//! An entry is addressed by a [`CacheKey`]: a hash of the file's bytes, the tool's version (and
//! build: a rebuilt binary does not trust the previous one's entries) and a fingerprint of the
//! settings that shape the result (enabled rules, target, fixer options, and the mode: `check`
//! or `fix`). The path is not part of the key: two files with the same bytes
//! and settings share an entry, and [`Cache::get`] puts the asking path into the findings.
//! To find a file's key without reading the file, the cache also keeps each path's
//! [`FileStamp`] (size, inode, times) with the hash of the bytes read under it.
//!
//! All entries of one cache folder live in one file, `<folder>/<version>/results.bin`, read
//! once per run on first use (one file instead of one per checked file: on Django, 833 fewer
//! opens and reads in a cached run) and written back by [`flush_all`] at the end of a run that
//! added entries: to a temporary file, then renamed into place, so a reader never sees half a
//! file; of two runs writing at once, the last one's file wins. Entries no run has used for a
//! while are dropped when the file grows well past what the last run used. A file that cannot
//! be read or parsed counts as empty. Deleting the folder is always safe.
//!
//! The pack also keeps the listings of the folders the last runs walked, by folder stamp
//! (see [`folders`]), so that a cached run does not list every folder again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::engine::finding::Finding;

mod folders;

pub use folders::FolderListings;
use folders::{FolderStamp, StoredListing};

/// Name of the cache folder, created next to the config file (or in the working directory).
pub const CACHE_DIR: &str = ".py2to3_cache";

/// Identifies one cache entry: hash of (tool version, settings fingerprint, file bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey(u128);

/// The 128-bit hash of a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(u128);

impl ContentHash {
    /// The hash of `content`.
    pub fn of(content: &[u8]) -> Self {
        ContentHash(xxhash_rust::xxh3::xxh3_128(content))
    }
}

impl CacheKey {
    /// The key of a file with bytes `content` checked with settings whose fingerprint is
    /// `settings_fingerprint` (see `config::Settings::fingerprint`).
    pub fn new(content: &[u8], settings_fingerprint: u64) -> Self {
        Self::for_content(ContentHash::of(content), settings_fingerprint)
    }

    /// [`CacheKey::new`] from the hash of the bytes.
    pub fn for_content(content: ContentHash, settings_fingerprint: u64) -> Self {
        let mut hasher = Xxh3::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(&[0]);
        hasher.update(&build_id().to_le_bytes());
        hasher.update(&settings_fingerprint.to_le_bytes());
        hasher.update(&content.0.to_le_bytes());
        CacheKey(hasher.digest128())
    }

    /// The key as 32 hex digits.
    pub fn to_hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Identifies the running build beyond its version: the size and modification time of the
/// executable, read once. A rebuilt binary (rules changed, version not bumped) then never reads
/// the entries of the previous build; 0 when the executable cannot be inspected.
fn build_id() -> u64 {
    static ID: LazyLock<u64> = LazyLock::new(|| {
        let Some(meta) = std::env::current_exe()
            .ok()
            .and_then(|exe| fs::metadata(exe).ok())
        else {
            return 0;
        };
        let mut hasher = Xxh3::new();
        hasher.update(&meta.len().to_le_bytes());
        if let Ok(since) = meta
            .modified()
            .map(|m| m.duration_since(std::time::UNIX_EPOCH).unwrap_or_default())
        {
            hasher.update(&since.as_nanos().to_le_bytes());
        }
        hasher.digest()
    });
    *ID
}

/// What a file's metadata said when its bytes were hashed: size, inode, and modification and
/// status-change times. The cache keeps, per path, the last stamp and the hash of the bytes
/// read under it, so that a re-run on an unchanged tree finds each file's entry with one
/// `stat` instead of opening and reading it (on Django: 3,600 fewer system calls). This is
/// git's index check, with its answer to "racy" files: a stamp is only kept for a file whose
/// last change is more than [`SETTLE_SECONDS`] older than the run, and it includes the status
/// change time, which any later write moves to the time of that write (a user cannot set it
/// back, unlike the modification time); a later write therefore always changes the stamp,
/// even within one tick of a coarse file system clock. Unix only: elsewhere every file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    size: u64,
    ino: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

/// How long a file must have been left alone before its stamp is trusted in later runs.
pub const SETTLE_SECONDS: i128 = 2;

impl FileStamp {
    /// The stamp of a file with metadata `meta`; `None` where stamps are not supported.
    pub fn of(meta: &fs::Metadata) -> Option<FileStamp> {
        let (mtime_ns, ctime_ns) = change_times_ns(meta)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileStamp {
                size: meta.size(),
                ino: meta.ino(),
                mtime_ns,
                ctime_ns,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = (mtime_ns, ctime_ns);
            None
        }
    }

    /// Whether the file last changed more than [`SETTLE_SECONDS`] before this run started.
    fn settled(&self) -> bool {
        settled(self.mtime_ns, self.ctime_ns)
    }
}

/// The modification and status-change times of `meta`, in nanoseconds since the epoch; `None`
/// where the platform has no status-change time.
fn change_times_ns(meta: &fs::Metadata) -> Option<(i128, i128)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ns = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
        Some((
            ns(meta.mtime(), meta.mtime_nsec()),
            ns(meta.ctime(), meta.ctime_nsec()),
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Whether something last modified at `mtime_ns` and changed at `ctime_ns` was left alone for
/// more than [`SETTLE_SECONDS`] before this run started.
fn settled(mtime_ns: i128, ctime_ns: i128) -> bool {
    mtime_ns.max(ctime_ns) + SETTLE_SECONDS * 1_000_000_000 < run_start_ns()
}

/// When this run started (first asked), in nanoseconds since the epoch.
fn run_start_ns() -> i128 {
    static START: LazyLock<i128> = LazyLock::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128)
    });
    *START
}

/// A path's stamp and the hash of the bytes read under it, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct StampedHash {
    stamp: FileStamp,
    /// The [`ContentHash`].
    content: u128,
}

/// What the cache keeps for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFile {
    /// The findings after `# noqa` filtering (empty when the file is clean).
    pub findings: Vec<Finding>,
    /// For `fix`: the file needs no edit with these settings.
    pub unchanged: bool,
}

/// The cache file of one cache folder: its entries by key, as read at first use, and what
/// this run used and added.
#[derive(Default)]
struct Pack {
    /// The entries read from the file.
    stored: HashMap<u128, CachedFile>,
    /// The stamps read from the file, by path as the run that stored them gave it.
    stamps: HashMap<String, StampedHash>,
    /// The folder listings read from the file, by folder path (its bytes) as walked.
    folders: rustc_hash::FxHashMap<Box<[u8]>, StoredListing>,
    /// This run's state: entries added, and the keys of stored entries it used.
    run: Mutex<RunState>,
}

#[derive(Default)]
struct RunState {
    added: HashMap<u128, CachedFile>,
    used: HashSet<u128>,
    /// Stamps of this run: new or changed ones, and the paths of stored ones that matched.
    stamps_added: HashMap<String, StampedHash>,
    stamps_used: HashSet<String>,
    /// Folder listings read by this run (new folders or changed ones).
    folders_added: HashMap<Box<[u8]>, (FolderStamp, Vec<u8>)>,
}

/// The cache file as stored (in postcard's compact binary form: a Django-sized pack reads in a
/// fifth of the time JSON took): the build that wrote it, entries by key, stamps by path.
/// Keys include the build, so the entries of another build can never be hit: such a file
/// counts as empty, and the next flush replaces it.
#[derive(Serialize, Deserialize, Default)]
struct StoredPack {
    build: u64,
    entries: Vec<(u128, CachedFile)>,
    stamps: Vec<(String, StampedHash)>,
    /// Folder path (bytes), stamp, encoded listing (see `folders`).
    folders: Vec<(Vec<u8>, FolderStamp, Vec<u8>)>,
}

/// [`StoredPack`] borrowed, for writing.
#[derive(Serialize)]
struct StoredPackRef<'a> {
    build: u64,
    entries: Vec<(u128, &'a CachedFile)>,
    stamps: Vec<(&'a str, &'a StampedHash)>,
    folders: Vec<(&'a [u8], &'a FolderStamp, &'a [u8])>,
}

/// The packs of the cache folders this process opened, by folder.
static PACKS: LazyLock<Mutex<HashMap<PathBuf, Arc<Pack>>>> = LazyLock::new(Mutex::default);

/// Largest cache file read (a Django-sized tree needs a few hundred kilobytes).
const MAX_PACK_BYTES: u64 = 1 << 30;

/// A results cache, or a disabled one (`--no-cache`) that never finds nor stores anything.
#[derive(Debug, Clone)]
pub struct Cache {
    /// `<root>/.py2to3_cache`, or `None` when disabled.
    dir: Option<PathBuf>,
}

impl Cache {
    /// The cache in `root/.py2to3_cache` (created by the first flush that has entries).
    pub fn open(root: &Path) -> Self {
        Cache {
            dir: Some(root.join(CACHE_DIR)),
        }
    }

    /// A cache that is off.
    pub fn disabled() -> Self {
        Cache { dir: None }
    }

    /// Whether this cache stores anything.
    pub fn is_enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// The cache folder, when enabled.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Starts reading this cache's file on another thread, so that it is ready (or on its way)
    /// when the first file is looked up, instead of on the first lookup's critical path.
    pub fn prefetch(&self) {
        let cache = self.clone();
        let _ = std::thread::Builder::new()
            .name("cache-prefetch".into())
            .spawn(move || cache.pack());
    }

    /// The pack of this cache's folder, read on first use.
    fn pack(&self) -> Option<Arc<Pack>> {
        let dir = self.dir.as_ref()?;
        let mut packs = PACKS.lock().ok()?;
        // Every file asks: a lookup, not a path copy, once the pack is there.
        if let Some(pack) = packs.get(dir) {
            return Some(Arc::clone(pack));
        }
        let pack = Arc::new(read_pack(&pack_path(dir)));
        packs.insert(dir.clone(), Arc::clone(&pack));
        Some(pack)
    }

    /// The cached result of `key`, with every finding's path set to `path`; `None` when there is
    /// none.
    pub fn get(&self, key: CacheKey, path: &str) -> Option<CachedFile> {
        let pack = self.pack()?;
        let mut cached = match pack.stored.get(&key.0) {
            Some(found) => {
                if let Ok(mut run) = pack.run.lock() {
                    run.used.insert(key.0);
                }
                found.clone()
            }
            None => pack.run.lock().ok()?.added.get(&key.0)?.clone(),
        };
        for f in &mut cached.findings {
            f.path = path.to_string();
        }
        Some(cached)
    }

    /// The hash of the bytes of the file at `path` (as this run names it), if an earlier run
    /// read it under the same `stamp`: the file is then known unchanged without reading it.
    pub fn content_by_stamp(&self, path: &str, stamp: &FileStamp) -> Option<ContentHash> {
        let pack = self.pack()?;
        let stored = pack.stamps.get(path)?;
        if stored.stamp != *stamp {
            return None;
        }
        if let Ok(mut run) = pack.run.lock() {
            run.stamps_used.insert(path.to_string());
        }
        Some(ContentHash(stored.content))
    }

    /// Remembers that the file at `path` had bytes hashing to `content` under `stamp`, for
    /// later runs; nothing when the file changed too recently for its stamp to be trusted (see
    /// [`FileStamp`]).
    pub fn put_stamp(&self, path: &str, stamp: FileStamp, content: ContentHash) {
        if !stamp.settled() {
            return;
        }
        let Some(pack) = self.pack() else { return };
        let entry = StampedHash {
            stamp,
            content: content.0,
        };
        if pack.stamps.get(path) == Some(&entry) {
            return;
        }
        if let Ok(mut run) = pack.run.lock() {
            run.stamps_added.insert(path.to_string(), entry);
        };
    }

    /// Stores the result of `key` for this run; [`Cache::flush`] writes it. Does nothing when the
    /// cache is disabled.
    pub fn put(&self, key: CacheKey, file: &CachedFile) -> io::Result<()> {
        let Some(pack) = self.pack() else {
            return Ok(());
        };
        let mut file = file.clone();
        // The path is the asker's (see `get`): not stored.
        for f in &mut file.findings {
            f.path.clear();
        }
        let mut run = pack
            .run
            .lock()
            .map_err(|_| io::Error::other("cache lock poisoned"))?;
        run.added.insert(key.0, file);
        Ok(())
    }

    /// Writes this cache's file if this run added entries (see [`flush_all`]).
    pub fn flush(&self) -> io::Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let pack = PACKS.lock().ok().and_then(|p| p.get(dir).cloned());
        match pack {
            Some(pack) => flush_pack(dir, &pack),
            None => Ok(()),
        }
    }

    /// Removes the whole cache folder (a missing one is fine), and forgets what this run read
    /// of it.
    pub fn clear(&self) -> io::Result<()> {
        match &self.dir {
            Some(dir) => {
                if let Ok(mut packs) = PACKS.lock() {
                    packs.remove(dir);
                }
                match fs::remove_dir_all(dir) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            }
            None => Ok(()),
        }
    }
}

/// `<dir>/<version>/results.bin`.
fn pack_path(dir: &Path) -> PathBuf {
    dir.join(env!("CARGO_PKG_VERSION")).join("results.bin")
}

/// The entries of the cache file at `path`; none when it is missing, too large or unreadable.
fn read_pack(path: &Path) -> Pack {
    type Read = (
        HashMap<u128, CachedFile>,
        HashMap<String, StampedHash>,
        rustc_hash::FxHashMap<Box<[u8]>, StoredListing>,
    );
    let read = || -> Option<Read> {
        let file = fs::File::open(path).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_PACK_BYTES + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 > MAX_PACK_BYTES {
            return None;
        }
        // The build comes first: a pack of another build is not decoded at all.
        let (build, _) = postcard::take_from_bytes::<u64>(&bytes).ok()?;
        if build != build_id() {
            return None;
        }
        let stored: StoredPack = postcard::from_bytes(&bytes).ok()?;
        Some((
            stored.entries.into_iter().collect(),
            stored.stamps.into_iter().collect(),
            stored
                .folders
                .into_iter()
                .map(|(dir, stamp, entries)| (dir.into(), StoredListing::new(stamp, entries)))
                .collect(),
        ))
    };
    let (stored, stamps, folders) = read().unwrap_or_default();
    Pack {
        stored,
        stamps,
        folders,
        run: Mutex::default(),
    }
}

/// Writes the cache file of every cache folder this run added entries to (see
/// [`Cache::flush`]). Call once, at the end of a run.
pub fn flush_all() -> io::Result<()> {
    let packs: Vec<(PathBuf, Arc<Pack>)> = match PACKS.lock() {
        Ok(packs) => packs
            .iter()
            .map(|(d, p)| (d.clone(), Arc::clone(p)))
            .collect(),
        Err(_) => return Ok(()),
    };
    let mut result = Ok(());
    for (dir, pack) in packs {
        if let Err(e) = flush_pack(&dir, &pack) {
            result = Err(e);
        }
    }
    result
}

/// Writes `pack` when this run added entries: the entries read (less the stale ones when
/// there are many more of them than this run used) plus the new ones.
fn flush_pack(dir: &Path, pack: &Pack) -> io::Result<()> {
    let Ok(run) = pack.run.lock() else {
        return Ok(());
    };
    if run.added.is_empty() && run.stamps_added.is_empty() && run.folders_added.is_empty() {
        return Ok(());
    }
    let live = run.used.len() + run.added.len();
    let keep_all = pack.stored.len() <= 2 * live + 4096;
    let mut entries: HashMap<u128, &CachedFile> = pack
        .stored
        .iter()
        .filter(|(k, _)| keep_all || run.used.contains(k))
        .map(|(&k, v)| (k, v))
        .collect();
    entries.extend(run.added.iter().map(|(&k, v)| (k, v)));
    let live_stamps = run.stamps_used.len() + run.stamps_added.len();
    let keep_all_stamps = pack.stamps.len() <= 2 * live_stamps + 4096;
    let mut stamps: HashMap<&str, &StampedHash> = pack
        .stamps
        .iter()
        .filter(|(path, _)| keep_all_stamps || run.stamps_used.contains(*path))
        .map(|(path, v)| (path.as_str(), v))
        .collect();
    stamps.extend(run.stamps_added.iter().map(|(path, v)| (path.as_str(), v)));
    let folders = folders::to_write(pack, &run);
    write_pack(dir, &entries, &stamps, folders)
}

fn write_pack(
    dir: &Path,
    entries: &HashMap<u128, &CachedFile>,
    stamps: &HashMap<&str, &StampedHash>,
    folders: Vec<(&[u8], &FolderStamp, &[u8])>,
) -> io::Result<()> {
    let target = pack_path(dir);
    let parent = target
        .parent()
        .ok_or_else(|| io::Error::other("cache file has no folder"))?;
    fs::create_dir_all(parent)?;
    mark_cache_dir(dir);
    let bytes = postcard::to_allocvec(&StoredPackRef {
        build: build_id(),
        entries: entries.iter().map(|(&k, &v)| (k, v)).collect(),
        stamps: stamps.iter().map(|(&p, &v)| (p, v)).collect(),
        folders,
    })
    .map_err(io::Error::other)?;
    // Atomic, and a crash leaves no temporary behind (see `source::write_atomic`).
    crate::source::write_atomic(&target, &bytes)
}

/// Writes `.gitignore` (`*`) and `CACHEDIR.TAG` into the cache folder once, so neither git nor
/// backup tools pick it up. Failures are ignored: the cache works without them.
fn mark_cache_dir(dir: &Path) {
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        let _ = fs::write(&gitignore, "# Created by py2to3.\n*\n");
        let _ = fs::write(
            dir.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# Created by py2to3.\n",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(path: &str) -> Finding {
        Finding {
            code: "PY001".into(),
            name: "print-statement".into(),
            message: "m".into(),
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 6,
            fixable: true,
            fix: None,
        }
    }

    #[test]
    fn key_depends_on_content_and_settings() {
        let a = CacheKey::new(b"print 'x'\n", 1);
        assert_eq!(a, CacheKey::new(b"print 'x'\n", 1));
        assert_ne!(a, CacheKey::new(b"print 'y'\n", 1));
        assert_ne!(a, CacheKey::new(b"print 'x'\n", 2));
        assert_eq!(a.to_hex().len(), 32);
    }

    #[test]
    fn stores_and_finds_entries_with_the_asking_path() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::open(root.path());
        let key = CacheKey::new(b"print 'x'\n", 7);
        assert_eq!(cache.get(key, "a.py"), None);
        let entry = CachedFile {
            findings: vec![finding("a.py")],
            unchanged: false,
        };
        cache.put(key, &entry).unwrap();
        assert_eq!(cache.get(key, "a.py"), Some(entry.clone()));
        let copy = cache.get(key, "b/copy.py").unwrap();
        assert_eq!(copy.findings[0].path, "b/copy.py");
        // Overwriting is fine.
        cache.put(key, &entry).unwrap();
        let dir = root.path().join(CACHE_DIR);
        assert!(!dir.exists(), "nothing is written before the flush");
        cache.flush().unwrap();
        assert!(pack_path(&dir).is_file());
        // A later run (here: the pack forgotten, then read again from the file) finds it.
        PACKS.lock().unwrap().remove(&dir);
        assert_eq!(cache.get(key, "c.py").unwrap().findings[0].path, "c.py");
        assert!(dir.join(".gitignore").exists());
        assert!(dir.join("CACHEDIR.TAG").exists());
        cache.clear().unwrap();
        assert!(!dir.exists());
        assert_eq!(cache.get(key, "a.py"), None);
    }

    #[test]
    fn unreadable_cache_files_count_as_empty() {
        let key = CacheKey::new(b"x", 0);
        let entry = CachedFile {
            findings: vec![finding("x.py")],
            unchanged: false,
        };
        let pack = |build: u64| {
            postcard::to_allocvec(&StoredPack {
                build,
                entries: vec![(key.0, entry.clone())],
                stamps: vec![],
                folders: vec![],
            })
            .unwrap()
        };
        // A good file of another build (whose keys this build never asks for anyway).
        let foreign = pack(build_id().wrapping_add(1));
        let ours = pack(build_id());
        let mut huge_length = postcard::to_allocvec(&build_id()).unwrap();
        huge_length.extend([0xff, 0xff, 0xff, 0xff, 0x0f]);
        let mut truncated = ours.clone();
        truncated.truncate(ours.len() - 3);
        let own = tempfile::tempdir().unwrap();
        let own_path = pack_path(&own.path().join(CACHE_DIR));
        fs::create_dir_all(own_path.parent().unwrap()).unwrap();
        fs::write(&own_path, &ours).unwrap();
        assert_eq!(
            Cache::open(own.path()).get(key, "x.py"),
            Some(entry.clone())
        );
        for garbage in [
            &foreign[..],
            &b"{not json"[..],
            b"",
            b"\xff\xff\xff",
            &huge_length,
            &truncated,
        ] {
            let root = tempfile::tempdir().unwrap();
            let cache = Cache::open(root.path());
            let path = pack_path(&root.path().join(CACHE_DIR));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, garbage).unwrap();
            assert_eq!(cache.get(key, "x.py"), None);
            // The next flush replaces the broken file with a good one.
            let entry = CachedFile {
                findings: vec![],
                unchanged: true,
            };
            cache.put(key, &entry).unwrap();
            cache.flush().unwrap();
            PACKS.lock().unwrap().remove(&root.path().join(CACHE_DIR));
            assert_eq!(cache.get(key, "x.py"), Some(entry));
        }
    }

    #[test]
    fn stale_entries_are_dropped_when_they_outnumber_the_live_ones() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CACHE_DIR);
        let cache = Cache::open(root.path());
        let entry = CachedFile {
            findings: vec![],
            unchanged: true,
        };
        let key = |i: u32| CacheKey::new(&i.to_le_bytes(), 0);
        let run = |used: &[u32], added: &[u32]| {
            PACKS.lock().unwrap().remove(&dir);
            for &i in used {
                assert!(cache.get(key(i), "a.py").is_some(), "entry {i}");
            }
            for &i in added {
                cache.put(key(i), &entry).unwrap();
            }
            cache.flush().unwrap();
            read_pack(&pack_path(&dir)).stored.len()
        };
        let first: Vec<u32> = (0..3000).collect();
        assert_eq!(run(&[], &first), 3000);
        // A run on part of the tree keeps the rest: within the margin, nothing is dropped.
        assert_eq!(run(&[0], &[3000]), 3001);
        let more: Vec<u32> = (3001..6000).collect();
        assert_eq!(run(&[1], &more), 6000);
        // Far more stale entries than used ones: only the used and new ones stay.
        assert_eq!(run(&[2, 3], &[6000]), 3);
        assert_eq!(
            run(&[2, 3, 6000], &[]),
            3,
            "a run that adds nothing writes nothing"
        );
    }

    #[test]
    fn stamps_are_kept_for_settled_files_only() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CACHE_DIR);
        let cache = Cache::open(root.path());
        let old = FileStamp {
            size: 3,
            ino: 7,
            mtime_ns: 1_000_000_000,
            ctime_ns: 1_000_000_000,
        };
        let now = run_start_ns();
        let fresh = FileStamp {
            mtime_ns: now,
            ctime_ns: now,
            ..old
        };
        let hash = ContentHash::of(b"abc");
        cache.put_stamp("a.py", old, hash);
        cache.put_stamp("b.py", fresh, hash);
        cache.flush().unwrap();
        PACKS.lock().unwrap().remove(&dir);
        assert_eq!(cache.content_by_stamp("a.py", &old), Some(hash));
        assert_eq!(cache.content_by_stamp("b.py", &fresh), None);
        for changed in [
            FileStamp { size: 4, ..old },
            FileStamp { ino: 8, ..old },
            FileStamp {
                mtime_ns: old.mtime_ns + 1,
                ..old
            },
            FileStamp {
                ctime_ns: old.ctime_ns + 1,
                ..old
            },
        ] {
            assert_eq!(cache.content_by_stamp("a.py", &changed), None);
        }
        assert_eq!(cache.content_by_stamp("other.py", &old), None);
    }

    #[test]
    fn disabled_cache_stores_nothing() {
        let cache = Cache::disabled();
        let key = CacheKey::new(b"x", 0);
        cache
            .put(
                key,
                &CachedFile {
                    findings: vec![],
                    unchanged: true,
                },
            )
            .unwrap();
        assert_eq!(cache.get(key, "x.py"), None);
        assert!(!cache.is_enabled());
    }

    #[test]
    fn parallel_writers_leave_a_valid_entry() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::open(root.path());
        let key = CacheKey::new(b"same", 0);
        let entry = CachedFile {
            findings: (0..200).map(|_| finding("a.py")).collect(),
            unchanged: false,
        };
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        cache.put(key, &entry).unwrap();
                        if let Some(found) = cache.get(key, "a.py") {
                            assert_eq!(found, entry);
                        }
                    }
                });
            }
        });
        assert_eq!(cache.get(key, "a.py"), Some(entry));
    }
}
