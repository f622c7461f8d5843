//! AST fixers for the iterator family: dict methods, map/filter/zip, xrange, next, itertools, has_key.

use super::FixerSpec;

/// The iterator fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[];
