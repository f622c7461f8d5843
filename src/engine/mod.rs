//! The engine: edits and diagnostics, the per-file fix pipeline and the parallel driver.

pub mod apply;
pub mod cache;
pub mod checker;
pub mod compile_check;
mod descent;
pub mod diagnostic;
pub mod driver;
pub mod file;
pub mod noqa;
pub mod parse;
pub mod pipeline;
pub mod segments;
pub mod shard;
pub mod verify;
pub mod walk;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix};
