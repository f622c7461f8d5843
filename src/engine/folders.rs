//! What sits next to a file, as far as imports go: the [`Folder`] facts the relative-import
//! rule and the module renames read (is the folder a package, which modules and sub-folders
//! does it hold). The engine does no I/O: the run layer lists folders (the walk already did)
//! and hands them in through the [`Folders`] trait ([`super::pipeline::Settings::folders`]).

use std::ffi::OsStr;
use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashSet;

/// Where the facts of each folder come from: the run layer's listings.
pub trait Folders: Send + Sync {
    /// What `dir` holds (an empty folder when it cannot be listed).
    fn folder(&self, dir: &Path) -> Arc<Folder>;
}

/// Extensions 2to3 accepts for a sibling module file.
const MODULE_EXTENSIONS: &[&str] = &["py", "pyc", "pyd", "so", "sl"];

/// What a folder holds, as far as imports go: read once per folder and run, however many
/// imports of however many files ask (a stat per import and extension was most of the
/// system time of `fix` on a large tree).
#[derive(Debug, Default)]
pub struct Folder {
    /// It holds `__init__.py`.
    pub package: bool,
    /// Stems of its files with a module extension (`MODULE_EXTENSIONS`).
    pub modules: FxHashSet<String>,
    /// Names of its sub-folders (packages when they hold `__init__.py`).
    pub folders: FxHashSet<String>,
    /// A hash of all of the above for cache keys: adding or removing a sibling module changes it.
    pub fingerprint: u64,
}

impl Folder {
    /// Adds the entry `name` of the folder (a folder, or a link to one, when `is_dir`).
    pub fn add(&mut self, name: &OsStr, is_dir: bool) {
        let Some(name) = name.to_str() else { return };
        if is_dir {
            self.folders.insert(name.to_string());
        } else if name == "__init__.py" {
            self.package = true;
            self.modules.insert("__init__".to_string());
        } else if let Some((stem, ext)) = name.rsplit_once('.') {
            if MODULE_EXTENSIONS.contains(&ext) {
                self.modules.insert(stem.to_string());
            }
        }
    }

    /// The hash of what the folder holds (see [`Folder::fingerprint`]).
    pub fn compute_fingerprint(&self) -> u64 {
        let mut names: Vec<&str> = self
            .modules
            .iter()
            .map(|m| m.as_str())
            .chain(self.folders.iter().map(|f| f.as_str()))
            .collect();
        names.sort_unstable();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&[u8::from(self.package)]);
        for name in names {
            hasher.update(name.as_bytes());
            hasher.update(b"/");
        }
        hasher.digest()
    }
}

impl Folder {
    /// Whether a module or package named `first` sits in this folder: a module file, or a
    /// sub-folder that is a package (asked of `folders` for `dir/first`).
    pub fn has_module(&self, folders: &dyn Folders, dir: &Path, first: &str) -> bool {
        !first.is_empty()
            && (self.modules.contains(first)
                || (self.folders.contains(first) && folders.folder(&dir.join(first)).package))
    }
}

/// Whether a file of this name can be a module to an import (see [`MODULE_EXTENSIONS`]).
pub fn is_module_file_name(name: &OsStr) -> bool {
    name.to_str()
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(_, ext)| MODULE_EXTENSIONS.contains(&ext))
}
