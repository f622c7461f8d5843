//! File-system side of `py2to3 pickle audit`: expands paths (folders recursively), reads files
//! or stdin, and audits them in parallel. The only I/O of the pickle module besides the CLI.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::container::{find_blobs, ContainerOptions};
use super::verdict::BlobAudit;

/// The verdict on one blob of one input, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct PathAudit {
    /// File path (or `-` for stdin), plus the blob's location inside it, if not the whole file.
    pub path: String,
    /// The verdict.
    #[serde(flatten)]
    pub audit: BlobAudit,
}

/// Expands `paths` into the list of files to audit: files as given, folders walked
/// recursively (hidden files included, nothing ignored), sorted for stable output.
/// `-` stands for stdin. A path that does not exist is an error.
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
    Ok(out)
}

/// Reads a file, or all of stdin for `-`.
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut data = Vec::new();
        std::io::stdin().lock().read_to_end(&mut data)?;
        Ok(data)
    } else {
        std::fs::read(path)
    }
}

/// Audits one input: every blob found in it (see [`find_blobs`]).
pub fn audit_path(path: &Path, options: ContainerOptions) -> Vec<PathAudit> {
    let name = path.display().to_string();
    match read_input(path) {
        Ok(data) => find_blobs(&data, options)
            .into_iter()
            .map(|b| PathAudit {
                path: format!("{}{}", name, b.location),
                audit: b.audit,
            })
            .collect(),
        Err(e) => vec![PathAudit {
            path: name,
            audit: BlobAudit {
                error: Some(format!("cannot read: {}", e)),
                ..Default::default()
            },
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
