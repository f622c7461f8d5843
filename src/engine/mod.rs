//! The engine: edits and diagnostics, the per-file fix pipeline and the parallel driver.

pub mod apply;
pub mod cache;
pub mod checker;
pub mod diagnostic;
pub mod noqa;
pub mod shard;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix};
