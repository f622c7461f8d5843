//! Folder listings kept between runs, so that a cached run `stat`s each folder instead of
//! opening, listing and closing it (on Django's 2,208 folders: about 8,800 fewer system calls,
//! most of what a cached run had left to do).
//!
//! A folder's modification time changes whenever an entry is created, removed or renamed in it
//! (writing a file inside does not matter: the listing holds names and kinds only), so a
//! listing read under a stamp (device, inode, modification and status-change times) is still
//! the folder's listing while the folder's stamp is the same. Git's untracked cache relies on
//! the same rule. As with file stamps (see [`super::FileStamp`]), a listing is only kept for a
//! folder whose last change is more than [`super::SETTLE_SECONDS`] older than the run, so a change in
//! the same clock tick as the read cannot hide, and the status-change time, which no user can
//! set back, catches a modification time put back by hand. Unix only.
//!
//! A listing is stored as one byte string: for each entry its kind (`0` file, `1` folder, `2`
//! other) then its name then a NUL byte, which no file name holds.

use std::fs::Metadata;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{change_times_ns, settled, Cache, Pack, RunState};
use crate::run::walk::{Kind, Listing, ListingStore};

/// What a folder's metadata said when it was listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FolderStamp {
    dev: u64,
    ino: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl FolderStamp {
    /// The stamp of a folder with metadata `meta`; `None` where stamps are not supported.
    fn of(meta: &Metadata) -> Option<FolderStamp> {
        let (mtime_ns, ctime_ns) = change_times_ns(meta)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FolderStamp {
                dev: meta.dev(),
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

    /// Whether the folder last changed more than [`super::SETTLE_SECONDS`] before this run started.
    fn settled(&self) -> bool {
        settled(self.mtime_ns, self.ctime_ns)
    }
}

/// A listing as read from the cache file, and whether this run used it.
pub(super) struct StoredListing {
    stamp: FolderStamp,
    entries: Vec<u8>,
    used: AtomicBool,
}

impl StoredListing {
    pub(super) fn new(stamp: FolderStamp, entries: Vec<u8>) -> Self {
        StoredListing {
            stamp,
            entries,
            used: AtomicBool::new(false),
        }
    }
}

/// The folder listings of one cache, as the walk's [`ListingStore`].
pub struct FolderListings {
    pack: Arc<Pack>,
}

impl Cache {
    /// The folder listings of this cache, for the walk; `None` when the cache is disabled or
    /// the platform has no folder stamps.
    pub fn folder_listings(&self) -> Option<FolderListings> {
        if !cfg!(unix) {
            return None;
        }
        Some(FolderListings { pack: self.pack()? })
    }
}

impl ListingStore for FolderListings {
    fn get(&self, dir: &Path, meta: &Metadata) -> Option<Listing> {
        let stamp = FolderStamp::of(meta)?;
        let stored = self.pack.folders.get(dir.as_os_str().as_encoded_bytes())?;
        if stored.stamp != stamp {
            return None;
        }
        let listing = decode(&stored.entries)?;
        stored.used.store(true, Ordering::Relaxed);
        Some(listing)
    }

    fn put(&self, dir: &Path, meta: &Metadata, listing: &Listing) {
        let Some(stamp) = FolderStamp::of(meta).filter(FolderStamp::settled) else {
            return;
        };
        let Some(entries) = encode(listing) else {
            return;
        };
        if let Ok(mut run) = self.pack.run.lock() {
            let dir = dir.as_os_str().as_encoded_bytes().into();
            run.folders_added.insert(dir, (stamp, entries));
        }
    }
}

/// The listings to write: the ones read (less the unused ones when they far outnumber the used
/// ones, as for entries) and this run's.
pub(super) fn to_write<'a>(
    pack: &'a Pack,
    run: &'a RunState,
) -> Vec<(&'a [u8], &'a FolderStamp, &'a [u8])> {
    let used = pack
        .folders
        .values()
        .filter(|l| l.used.load(Ordering::Relaxed))
        .count();
    let keep_all = pack.folders.len() <= 2 * (used + run.folders_added.len()) + 4096;
    let mut out: Vec<(&[u8], &FolderStamp, &[u8])> = pack
        .folders
        .iter()
        .filter(|(dir, l)| {
            !run.folders_added.contains_key(*dir) && (keep_all || l.used.load(Ordering::Relaxed))
        })
        .map(|(dir, l)| (&dir[..], &l.stamp, &l.entries[..]))
        .collect();
    out.extend(
        run.folders_added
            .iter()
            .map(|(dir, (stamp, entries))| (&dir[..], stamp, &entries[..])),
    );
    out
}

/// `listing` as one byte string; `None` if a name holds a NUL byte.
fn encode(listing: &Listing) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for (name, kind) in listing.entries() {
        let name = name.as_encoded_bytes();
        if name.contains(&0) {
            return None;
        }
        out.push(match kind {
            Kind::File => 0,
            Kind::Folder => 1,
            Kind::Other => 2,
        });
        out.extend_from_slice(name);
        out.push(0);
    }
    Some(out)
}

/// The listing encoded in `bytes`; `None` if they are not a listing.
fn decode(bytes: &[u8]) -> Option<Listing> {
    #[cfg(unix)]
    {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt;
        let mut entries = Vec::new();
        let mut rest = bytes;
        while let Some((&kind, tail)) = rest.split_first() {
            let kind = match kind {
                0 => Kind::File,
                1 => Kind::Folder,
                2 => Kind::Other,
                _ => return None,
            };
            let end = memchr::memchr(0, tail)?;
            if end == 0 {
                return None;
            }
            entries.push((OsString::from_vec(tail[..end].to_vec()), kind));
            rest = &tail[end + 1..];
        }
        Some(Listing::from_entries(entries))
    }
    #[cfg(not(unix))]
    {
        let _ = bytes;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::cache::{pack_path, CACHE_DIR, PACKS};
    use std::ffi::OsString;

    fn listing(names: &[(&str, Kind)]) -> Listing {
        Listing::from_entries(names.iter().map(|&(n, k)| (OsString::from(n), k)).collect())
    }

    #[test]
    fn listings_round_trip_through_their_encoding() {
        let l = listing(&[
            ("a.py", Kind::File),
            ("sub", Kind::Folder),
            (".git", Kind::Other),
            ("é.py", Kind::File),
        ]);
        assert_eq!(decode(&encode(&l).unwrap()), Some(l));
        assert_eq!(decode(&[]), Some(listing(&[])));
        for bad in [&b"\x03a\0"[..], b"\x00a", b"\x00\0", b"\x01"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_listing_is_found_under_its_stamp_only() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("pkg");
        std::fs::create_dir(&folder).unwrap();
        let meta = std::fs::metadata(&folder).unwrap();
        let cache = Cache::open(root.path());
        let l = listing(&[("a.py", Kind::File)]);
        let store = cache.folder_listings().unwrap();
        // The folder was just made: not settled, so not kept.
        store.put(&folder, &meta, &l);
        cache.flush().unwrap();
        assert!(!pack_path(&root.path().join(CACHE_DIR)).exists());
        // An old stamp is kept, and found again by a later run under the same stamp only.
        let old = FolderStamp {
            dev: 1,
            ino: 2,
            mtime_ns: 1_000_000_000,
            ctime_ns: 1_000_000_000,
        };
        {
            let mut run = store.pack.run.lock().unwrap();
            run.folders_added
                .insert(b"pkg".to_vec().into(), (old, encode(&l).unwrap()));
        }
        cache.flush().unwrap();
        PACKS.lock().unwrap().remove(&root.path().join(CACHE_DIR));
        let store = cache.folder_listings().unwrap();
        let stored = store.pack.folders.get(&b"pkg"[..]).unwrap();
        assert_eq!(stored.stamp, old);
        assert_eq!(decode(&stored.entries), Some(l));
        // The real folder's stamp is another one: not found.
        assert_eq!(store.get(Path::new("pkg"), &meta), None);
        assert!(Cache::disabled().folder_listings().is_none());
    }
}
