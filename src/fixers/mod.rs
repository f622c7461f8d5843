//! The fixer catalogue and its registry.
//!
//! A fixer is a small thing: a code, a kebab-case name, a doc comment (what it does, why, example),
//! the groups it belongs to, and a function from (tokens or AST node, context) to [`Diagnostic`]s
//! with optional edits. It never touches files, threads or output formats.
//!
//! Two kinds exist:
//! - **token fixers** run on the lossless token stream, before any parse: they remove Python 2 only
//!   grammar (print statement, backticks, `<>` ...) so that the Python 3 parser can read the file;
//! - **AST fixers** run on rustpython-parser's tree, walked once by [`crate::engine::checker`], which
//!   calls the hooks of every enabled fixer for each statement and expression.
//!
//! Each fixer file declares its spec with [`declare_fixer!`](crate::declare_fixer), whose doc comment is both the rustdoc
//! of the constant and the text `py2to3 explain` / `--list-fixers` print.

pub mod grammar;
pub mod imports;
pub mod iterators;
pub mod lint;
pub mod objects;
pub mod registry;
pub mod semantics;
pub mod six;
pub mod util;

pub use crate::engine::spec::{FixerKind, FixerSpec, TokenContext};
