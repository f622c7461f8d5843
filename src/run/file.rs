//! One file through the pipeline: read, decode, fix or check, encode, write.

use std::path::{Path, PathBuf};

use super::driver::{has_python_shebang, Candidate};
use crate::engine::pipeline::{check_text_at, fix_text_at, PipelineError, Settings};
use crate::engine::Diagnostic;
use crate::source::{
    read_regular, replace_file, DecodeError, LineIndex, Refusal, SourceFile, WritePolicy,
};

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
/// asking for the size again (`std::fs::read` does), and whole even if it grew since. Never
/// blocks: a FIFO or a device is an error (see [`read_regular`]).
pub fn read_file(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    read_regular(path, Some(size)).map(|(bytes, _)| bytes)
}

/// A file as read: its bytes, its metadata when it was read, and its text.
struct Loaded {
    bytes: Vec<u8>,
    meta: std::fs::Metadata,
    source: SourceFile,
}

/// Reads and decodes a candidate, or says why not.
fn load(candidate: &Candidate) -> Result<Loaded, FileStatus> {
    let size = candidate.meta.as_ref().map(|m| m.len());
    let (bytes, meta) = read_regular(&candidate.path, size)
        .map_err(|e| FileStatus::Failed(format!(" cannot read: {e}")))?;
    if !candidate.explicit && candidate.path.extension().is_none() && !has_python_shebang(&bytes) {
        return Err(FileStatus::NotPython);
    }
    let source = SourceFile::decode(&bytes).map_err(|e| match e {
        DecodeError::Binary => FileStatus::Skipped(e.to_string()),
        other => FileStatus::Failed(other.to_string()),
    })?;
    Ok(Loaded {
        bytes,
        meta,
        source,
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

/// Fixes one file; writes it back (same encoding and BOM, safely: see [`replace_file`]) when
/// `write` gives a policy. A file that was not written is `Failed`, with the reason.
pub fn fix_file(
    candidate: &Candidate,
    settings: &Settings,
    write: Option<WritePolicy>,
) -> FileResult {
    let mut unfixed = Vec::new();
    let status = match load(candidate) {
        Err(status) => status,
        Ok(Loaded {
            bytes: read,
            meta,
            source,
        }) => match fix_text_at(&source.text, settings, Some(&candidate.path)) {
            Err(e) => FileStatus::Failed(describe(&source.text, &e)),
            Ok(outcome) if outcome.text == source.text => {
                unfixed = outcome.unfixed.iter().map(|d| (d.code, d.name)).collect();
                FileStatus::Unchanged
            }
            Ok(outcome) => match source.encode(&outcome.text) {
                Err(e) => FileStatus::Failed(format!(" cannot encode the result: {e}")),
                Ok(bytes) => {
                    let written = match write {
                        Some(policy) => replace_file(&candidate.path, &read, &meta, &bytes, policy),
                        None => Ok(()),
                    };
                    match written {
                        // Its message says what could not be done ("cannot write: ...").
                        Err(Refusal::Failed(e)) => FileStatus::Failed(format!(" {e}")),
                        Err(Refusal::Refused(e)) => {
                            FileStatus::Failed(format!(" not written: {e}"))
                        }
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
        Ok(Loaded { source, .. }) => {
            match check_text_at(&source.text, settings, Some(&candidate.path)) {
                Err(e) => FileStatus::Failed(describe(&source.text, &e)),
                Ok(diagnostics) => FileStatus::Checked {
                    text: source.text,
                    diagnostics,
                },
            }
        }
    };
    FileResult {
        path: candidate.path.clone(),
        status,
        unfixed: Vec::new(),
    }
}
