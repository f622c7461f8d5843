//! The engine: edits and diagnostics, the fixer spec, the checker that walks a tree calling the
//! fixers' hooks, and the per-file fix pipeline. It does no I/O and never names a fixer: the
//! catalogue is handed to it ([`pipeline::Settings`]).

pub mod apply;
pub mod checker;
pub mod compile_check;
pub mod diagnostic;
pub mod finding;
pub mod folders;
pub mod importer;
pub mod noqa;
pub mod pipeline;
pub mod segments;
pub mod spec;
pub mod verify;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix};
