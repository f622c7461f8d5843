//! The run's folder listings for the relative-import facts ([`crate::engine::folders`]): each
//! folder listed once per run, however many imports of however many files ask (a stat per
//! import and extension was most of the system time of `fix` on a large tree). The walk hands
//! in the listings it made ([`Listings::remember`]); other folders are read on first use.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::engine::folders::{Folder, Folders};

/// The folders listed so far in this run, by the folder's bytes (hashing a path by its
/// components is slow, and every import asks).
#[derive(Default)]
pub struct Listings {
    folders: Mutex<FxHashMap<OsString, Arc<Folder>>>,
}

impl Listings {
    /// Takes the folder walk's listing of `dir`, so that it is not listed a second time (in a
    /// cached run, not at all): each entry's name and whether it is a folder (`None`: neither a
    /// file nor a folder, e.g. a link). The listing must keep every folder, link and file whose
    /// name [`crate::engine::folders::is_module_file_name`] accepts. Only folders holding a
    /// `.py` file are taken: no import is ever resolved from the others.
    pub fn remember(&self, dir: &Path, entries: &[(&OsStr, Option<bool>)]) {
        let holds_python = entries
            .iter()
            .any(|(name, kind)| *kind == Some(false) && name.as_encoded_bytes().ends_with(b".py"));
        if !holds_python {
            return;
        }
        let mut folder = Folder::default();
        for &(name, kind) in entries {
            // A link counts as a folder when it leads to one.
            let is_dir = kind.unwrap_or_else(|| dir.join(name).is_dir());
            folder.add(name, is_dir);
        }
        self.store(dir, folder);
    }

    /// Stores the listing of `dir` (unless another thread did first) and returns the stored one.
    fn store(&self, dir: &Path, mut folder: Folder) -> Arc<Folder> {
        folder.fingerprint = folder.compute_fingerprint();
        let folder = Arc::new(folder);
        match self.folders.lock() {
            Ok(mut folders) => Arc::clone(
                folders
                    .entry(dir.as_os_str().to_os_string())
                    .or_insert(folder),
            ),
            Err(_) => folder,
        }
    }
}

impl Folders for Listings {
    fn folder(&self, dir: &Path) -> Arc<Folder> {
        if let Some(found) = self
            .folders
            .lock()
            .ok()
            .and_then(|f| f.get(dir.as_os_str()).cloned())
        {
            return found;
        }
        let mut folder = Folder::default();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let is_dir = entry
                .file_type()
                .is_ok_and(|t| t.is_dir() || t.is_symlink())
                && entry.path().is_dir();
            folder.add(&entry.file_name(), is_dir);
        }
        self.store(dir, folder)
    }
}
