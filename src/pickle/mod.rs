//! Static pickle auditor: reads pickle opcodes and simulates the unpickler on an abstract stack,
//! without ever executing a pickle. Takes `&[u8]`; no I/O here except in [`cli`] and [`files`].

pub mod cli;
pub mod container;
pub mod files;
pub mod names;
pub mod opcodes;
pub mod reader;
pub mod render;
pub mod simulate;
pub mod strings;
pub mod verdict;

pub use verdict::{audit, BlobAudit, Finding, Py3Loadable};
