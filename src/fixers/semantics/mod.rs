//! AST fixers whose meaning changed between Python 2 and 3: ordering and comparison (`__cmp__`,
//! `cmp=`, `cmp()`), truth and division methods, json ordering, numbers (`sys.maxint`, division).

use super::FixerSpec;

/// The semantics fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[];
