//! The verdict on one pickle blob (the contract the memcache auditor relies on).

use serde::Serialize;

/// Whether CPython 3's `pickle.loads(blob, encoding=...)` succeeds, per encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Py3Loadable {
    pub ascii: bool,
    pub latin1: bool,
    pub bytes: bool,
}

/// One problem or remark about a blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub message: String,
}

/// Everything the auditor says about one blob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlobAudit {
    /// Highest protocol seen (PROTO opcode, or inferred from opcodes for 0/1).
    pub protocol: Option<u8>,
    pub py2_loadable: bool,
    pub py3_loadable: Py3Loadable,
    pub dangerous: bool,
    /// "module.name" of every GLOBAL / STACK_GLOBAL / INST.
    pub globals: Vec<String>,
    pub findings: Vec<Finding>,
    /// Why the blob could not be read at all.
    pub error: Option<String>,
}

/// Audits one pickle blob. Never executes it.
pub fn audit(data: &[u8]) -> BlobAudit {
    let _ = data;
    BlobAudit {
        error: Some("pickle auditor not built yet".into()),
        ..Default::default()
    }
}
