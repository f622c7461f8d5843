//! One file through the pipeline: read, decode, fix or check, encode, write.

use std::path::{Path, PathBuf};

use super::driver::{has_python_shebang, Candidate};
use super::pipeline::{check_text_at, fix_text_at, PipelineError, Settings};
use super::Diagnostic;
use crate::source::{write_atomic, DecodeError, LineIndex, SourceFile};

/// What happened to one file.
#[derive(Debug)]
pub enum FileStatus {
    /// Not a Python file after all (extensionless without a python shebang): not counted.
    NotPython,
    /// Skipped with a reason (binary file).
    Skipped(String),
    /// Could not be processed: left untouched.
    Failed(String),
    /// Nothing to change.
    Unchanged,
    /// Changed (written unless the run only shows diffs or checks).
    Changed { original: String, fixed: String },
    /// Report mode: the findings (possibly none).
    Checked {
        text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// The result for one file.
#[derive(Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub status: FileStatus,
    /// `fix`: what is left for a person, the findings without an automatic fix (rule code and
    /// name), from the first round.
    pub unfixed: Vec<(&'static str, &'static str)>,
}

/// The bytes of the file at `path`, whose size a `stat` just gave as `size`: read without
/// asking for the size again (`std::fs::read` does), and whole even if it grew since.
pub fn read_file(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    // The size only sizes the first read: a file that grew is read to its end all the same.
    let mut bytes = vec![0; usize::try_from(size).unwrap_or(0).min(64 << 20) + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Reads and decodes a candidate, or says why not.
fn load(candidate: &Candidate) -> Result<SourceFile, FileStatus> {
    let bytes = match &candidate.meta {
        Some(meta) => read_file(&candidate.path, meta.len()),
        None => std::fs::read(&candidate.path),
    }
    .map_err(|e| FileStatus::Failed(format!("cannot read: {e}")))?;
    if !candidate.explicit && candidate.path.extension().is_none() && !has_python_shebang(&bytes) {
        return Err(FileStatus::NotPython);
    }
    SourceFile::decode(&bytes).map_err(|e| match e {
        DecodeError::Binary => FileStatus::Skipped(e.to_string()),
        other => FileStatus::Failed(other.to_string()),
    })
}

/// Describes a pipeline error with its position in `text` (`LINE:COL: message`).
pub fn describe(text: &str, e: &PipelineError) -> String {
    match e.offset {
        Some(offset) => {
            let (line, col) = LineIndex::new(text).line_col(text, offset);
            format!("{line}:{col}: {}", e.message)
        }
        None => e.message.clone(),
    }
}

/// Fixes one file; writes it back (atomically, same encoding, BOM and mode) when `write` is set.
pub fn fix_file(candidate: &Candidate, settings: &Settings, write: bool) -> FileResult {
    let mut unfixed = Vec::new();
    let status = match load(candidate) {
        Err(status) => status,
        Ok(source) => match fix_text_at(&source.text, settings, Some(&candidate.path)) {
            Err(e) => FileStatus::Failed(describe(&source.text, &e)),
            Ok(outcome) if outcome.text == source.text => {
                unfixed = outcome.unfixed.iter().map(|d| (d.code, d.name)).collect();
                FileStatus::Unchanged
            }
            Ok(outcome) => match source.encode(&outcome.text) {
                Err(e) => FileStatus::Failed(format!("cannot encode the result: {e}")),
                Ok(bytes) => {
                    let written = if write {
                        write_atomic(&candidate.path, &bytes)
                    } else {
                        Ok(())
                    };
                    match written {
                        Err(e) => FileStatus::Failed(format!("cannot write: {e}")),
                        Ok(()) => {
                            unfixed = outcome.unfixed.iter().map(|d| (d.code, d.name)).collect();
                            FileStatus::Changed {
                                original: source.text,
                                fixed: outcome.text,
                            }
                        }
                    }
                }
            },
        },
    };
    FileResult {
        path: candidate.path.clone(),
        status,
        unfixed,
    }
}

/// Checks one file already read: every finding, at positions of the file as it is.
pub fn check_file_text(candidate: &Candidate, bytes: &[u8], settings: &Settings) -> FileStatus {
    if !candidate.explicit && candidate.path.extension().is_none() && !has_python_shebang(bytes) {
        return FileStatus::NotPython;
    }
    let source = match SourceFile::decode(bytes) {
        Ok(s) => s,
        Err(DecodeError::Binary) => return FileStatus::Skipped(DecodeError::Binary.to_string()),
        Err(other) => return FileStatus::Failed(other.to_string()),
    };
    match check_text_at(&source.text, settings, Some(&candidate.path)) {
        Err(e) => FileStatus::Failed(describe(&source.text, &e)),
        Ok(diagnostics) => FileStatus::Checked {
            text: source.text,
            diagnostics,
        },
    }
}

/// Checks one file: every finding, at positions of the file as it is.
pub fn check_file(candidate: &Candidate, settings: &Settings) -> FileResult {
    let status = match load(candidate) {
        Err(status) => status,
        Ok(source) => match check_text_at(&source.text, settings, Some(&candidate.path)) {
            Err(e) => FileStatus::Failed(describe(&source.text, &e)),
            Ok(diagnostics) => FileStatus::Checked {
                text: source.text,
                diagnostics,
            },
        },
    };
    FileResult {
        path: candidate.path.clone(),
        status,
        unfixed: Vec::new(),
    }
}
