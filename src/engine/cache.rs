//! The per-file results cache in `.py2to3_cache/`, so a re-run on an unchanged tree skips
//! tokenizing and parsing.
//!
//! An entry is addressed by a [`CacheKey`]: a hash of the file's bytes, the tool's version (and
//! build: a rebuilt binary does not trust the previous one's entries) and a fingerprint of the
//! settings that shape the result (enabled rules, target, fixer options, and the mode: `check`
//! or `fix`). The path is not part of the key: two files with the same bytes
//! and settings share an entry, and [`Cache::get`] puts the asking path into the findings.
//!
//! Entries are written to a temporary file and renamed into place, so parallel writers never
//! leave a half-written entry; an entry that cannot be read or parsed is treated as missing.
//! Deleting the folder is always safe.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::report::Finding;

/// Name of the cache folder, created next to the config file (or in the working directory).
pub const CACHE_DIR: &str = ".py2to3_cache";

/// Entries larger than this are ignored (a real one is a few kilobytes).
const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// Identifies one cache entry: hash of (tool version, settings fingerprint, file bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey(u128);

impl CacheKey {
    /// The key of a file with bytes `content` checked with settings whose fingerprint is
    /// `settings_fingerprint` (see `config::Settings::fingerprint`).
    pub fn new(content: &[u8], settings_fingerprint: u64) -> Self {
        let mut hasher = Xxh3::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(&[0]);
        hasher.update(&build_id().to_le_bytes());
        hasher.update(&settings_fingerprint.to_le_bytes());
        hasher.update(content);
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

/// What the cache keeps for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFile {
    /// The findings after `# noqa` filtering (empty when the file is clean).
    pub findings: Vec<Finding>,
    /// For `fix`: the file needs no edit with these settings.
    pub unchanged: bool,
}

/// The entry as stored: the key is repeated inside to catch a misplaced or foreign file.
#[derive(Serialize, Deserialize)]
struct StoredEntry {
    key: String,
    #[serde(flatten)]
    file: CachedFile,
}

/// A results cache, or a disabled one (`--no-cache`) that never finds nor stores anything.
#[derive(Debug, Clone)]
pub struct Cache {
    /// `<root>/.py2to3_cache`, or `None` when disabled.
    dir: Option<PathBuf>,
}

impl Cache {
    /// The cache in `root/.py2to3_cache` (created on the first store).
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

    /// Where the entry of `key` lives: `<dir>/<version>/<first two hex digits>/<hex>.json`.
    fn entry_path(&self, key: CacheKey) -> Option<PathBuf> {
        let hex = key.to_hex();
        let fan = hex.get(..2)?;
        Some(
            self.dir
                .as_ref()?
                .join(env!("CARGO_PKG_VERSION"))
                .join(fan)
                .join(format!("{hex}.json")),
        )
    }

    /// The cached result of `key`, with every finding's path set to `path`; `None` when there is
    /// none or it cannot be read.
    pub fn get(&self, key: CacheKey, path: &str) -> Option<CachedFile> {
        let file = fs::File::open(self.entry_path(key)?).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() as u64 > MAX_ENTRY_BYTES {
            return None;
        }
        let stored: StoredEntry = serde_json::from_slice(&bytes).ok()?;
        if stored.key != key.to_hex() {
            return None;
        }
        let mut cached = stored.file;
        for f in &mut cached.findings {
            f.path = path.to_string();
        }
        Some(cached)
    }

    /// Stores the result of `key`, atomically (temporary file, then rename). Does nothing when
    /// the cache is disabled.
    pub fn put(&self, key: CacheKey, file: &CachedFile) -> io::Result<()> {
        let (Some(dir), Some(target)) = (self.dir.as_ref(), self.entry_path(key)) else {
            return Ok(());
        };
        let parent = target
            .parent()
            .ok_or_else(|| io::Error::other("cache entry has no folder"))?;
        fs::create_dir_all(parent)?;
        mark_cache_dir(dir);
        let stored = StoredEntry {
            key: key.to_hex(),
            file: file.clone(),
        };
        // One write: the file is unbuffered, and serde_json writes token by token.
        let bytes = serde_json::to_vec(&stored)?;
        let mut temp = tempfile::NamedTempFile::new_in(parent)?;
        temp.write_all(&bytes)?;
        temp.persist(&target).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes the whole cache folder (a missing one is fine).
    pub fn clear(&self) -> io::Result<()> {
        match &self.dir {
            Some(dir) => match fs::remove_dir_all(dir) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            None => Ok(()),
        }
    }
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
        assert!(dir.join(".gitignore").exists());
        assert!(dir.join("CACHEDIR.TAG").exists());
        cache.clear().unwrap();
        assert!(!dir.exists());
        assert_eq!(cache.get(key, "a.py"), None);
    }

    #[test]
    fn corrupt_or_foreign_entries_are_ignored() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::open(root.path());
        let key = CacheKey::new(b"x", 0);
        let other = CacheKey::new(b"y", 0);
        cache
            .put(
                other,
                &CachedFile {
                    findings: vec![],
                    unchanged: true,
                },
            )
            .unwrap();
        let path = cache.entry_path(key).unwrap();
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        for garbage in [
            &b"{not json"[..],
            b"",
            b"[1,2]",
            b"{\"key\":\"00\",\"findings\":[],\"unchanged\":true}",
        ] {
            fs::write(&path, garbage).unwrap();
            assert_eq!(cache.get(key, "x.py"), None);
        }
        // A valid entry copied under another key's name is not trusted.
        fs::copy(cache.entry_path(other).unwrap(), &path).unwrap();
        assert_eq!(cache.get(key, "x.py"), None);
        assert!(cache.get(other, "y.py").unwrap().unchanged);
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
