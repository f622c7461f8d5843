//! File-system side of `py2to3 pickle audit`: expands paths (folders recursively, each file
//! once), opens files or stdin, and audits them in parallel. The only I/O of the pickle module
//! besides the CLI.
//!
//! Memory: a regular file over 1 MiB is memory-mapped, never read into a buffer, so a 1 GB
//! file costs the pages the opcode walk touches (a file of zeros: one page); smaller files
//! are read whole. Stdin, pipes and other
//! special files are read up to `--max-blob-size`; past it the input gets a `BLOB-TOO-LARGE`
//! finding.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::container::{find_blobs, too_large_audit, ContainerOptions};
use super::verdict::BlobAudit;

/// The verdict on one blob of one input, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct PathAudit {
    /// File path (or `-` for stdin), plus the blob's location inside it, if not the whole file.
    pub path: String,
    /// The verdict.
    #[serde(flatten)]
    pub audit: BlobAudit,
    /// True when the input could not be read at all (an I/O error, exit status 2).
    #[serde(skip)]
    pub read_failed: bool,
}

/// Expands `paths` into the list of files to audit: files as given, folders walked
/// recursively (hidden files included, nothing ignored), sorted for stable output.
/// `-` stands for stdin. A path that does not exist is an error. A file reached twice (named
/// twice, through a symlink, or inside two given folders) is listed once, by its first name.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(path.clone());
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), e))?;
        if !meta.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .build()
        {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => found.push(e.into_path()),
                Ok(_) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        found.sort();
        out.extend(found);
    }
    let mut seen = HashSet::new();
    out.retain(|p| {
        let identity = if p.as_os_str() == "-" {
            p.clone()
        } else {
            std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())
        };
        seen.insert(identity)
    });
    Ok(out)
}

/// The bytes of one input: a read-only mapping of a regular file, or what was read from a
/// pipe or stdin.
pub enum Input {
    /// A memory-mapped regular file.
    Mapped(memmap2::Mmap),
    /// Bytes read from stdin, a pipe or a special file (or an empty file).
    Read(Vec<u8>),
}

impl std::ops::Deref for Input {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(map) => map,
            Input::Read(data) => data,
        }
    }
}

/// Why an input gave no bytes.
#[derive(Debug)]
pub enum InputError {
    /// Stdin or a pipe holds more than the limit.
    TooLarge(usize),
    /// The file cannot be opened or read.
    Io(std::io::Error),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::TooLarge(limit) => write!(
                f,
                "input size over the limit: more than {} bytes read from a pipe (--max-blob-size)",
                limit
            ),
            InputError::Io(e) => write!(f, "{}", e),
        }
    }
}

/// Reads at most `max` bytes of `reader`; more is [`InputError::TooLarge`].
fn read_bounded(reader: impl Read, max: usize) -> Result<Vec<u8>, InputError> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut data = Vec::new();
    reader
        .take(limit)
        .read_to_end(&mut data)
        .map_err(InputError::Io)?;
    if data.len() > max {
        return Err(InputError::TooLarge(max));
    }
    Ok(data)
}

/// Regular files up to this size are read into memory; larger ones are mapped.
const READ_BELOW: u64 = 1 << 20;

/// Opens a file (mapped when over 1 MiB, else read) or stdin for `-` (read, at most `max`
/// bytes).
pub fn open_input(path: &Path, max: usize) -> Result<Input, InputError> {
    if path.as_os_str() == "-" {
        return read_bounded(std::io::stdin().lock(), max).map(Input::Read);
    }
    let file = std::fs::File::open(path).map_err(InputError::Io)?;
    let meta = file.metadata().map_err(InputError::Io)?;
    if meta.is_dir() {
        return Err(InputError::Io(std::io::Error::other("is a directory")));
    }
    if !meta.is_file() || meta.len() == 0 {
        // Pipes and devices cannot be mapped; /proc files say they are empty.
        return read_bounded(file, max).map(Input::Read);
    }
    if meta.len() <= READ_BELOW {
        // Small files: one read costs less than a mapping and its page faults.
        return read_bounded(file, max.max(READ_BELOW as usize)).map(Input::Read);
    }
    // SAFETY: the mapping is read-only and private to this process. Another process
    // truncating the file while it is audited would make reads past the new end fault
    // (SIGBUS); the auditor reads files at rest (backups, cache folders), where that does
    // not happen, and never writes through the mapping.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(InputError::Io)?;
    Ok(Input::Mapped(map))
}

/// Audits one input: every blob found in it (see [`find_blobs`]).
pub fn audit_path(path: &Path, options: ContainerOptions) -> Vec<PathAudit> {
    let name = path.display().to_string();
    match open_input(path, options.max_blob_size) {
        Ok(data) => find_blobs(&data, options)
            .into_iter()
            .map(|b| PathAudit {
                path: format!("{}{}", name, b.location),
                audit: b.audit,
                read_failed: false,
            })
            .collect(),
        Err(e @ InputError::TooLarge(_)) => vec![PathAudit {
            path: name,
            audit: too_large_audit(e.to_string()),
            read_failed: false,
        }],
        Err(InputError::Io(e)) => vec![PathAudit {
            path: name,
            audit: BlobAudit {
                error: Some(format!("cannot read: {}", e)),
                ..Default::default()
            },
            read_failed: true,
        }],
    }
}

/// Audits many inputs in parallel (rayon), results in input order.
pub fn audit_paths(paths: &[PathBuf], options: ContainerOptions) -> Vec<PathAudit> {
    paths
        .par_iter()
        .map(|p| audit_path(p, options))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.pkl");
        std::fs::write(&file, b"N.").unwrap();
        let dotted = dir.path().join(".").join("a.pkl");
        let got = expand_paths(&[file.clone(), dotted, dir.path().to_path_buf()]).unwrap();
        assert_eq!(got, vec![file]);
    }

    #[test]
    fn pipes_are_bounded() {
        assert!(matches!(
            read_bounded(&b"0123456789"[..], 4),
            Err(InputError::TooLarge(4))
        ));
        assert_eq!(read_bounded(&b"0123"[..], 4).unwrap(), b"0123");
    }
}
