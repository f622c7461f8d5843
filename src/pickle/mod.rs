//! Static pickle auditor: reads pickle opcodes and simulates the unpickler on an abstract stack,
//! without ever executing a pickle. Takes `&[u8]`; no I/O here except in [`cli`].

pub mod cli;
pub mod verdict;

pub use verdict::{audit, BlobAudit, Finding, Py3Loadable};
