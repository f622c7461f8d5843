//! AST fixers whose meaning changed between Python 2 and 3: ordering and comparison (`__cmp__`,
//! `cmp=`, `cmp()`), truth and division methods, json ordering, numbers (`sys.maxint`, division).

use super::FixerSpec;

pub mod binary_read_comparison;
pub mod cmp_builtin;
pub mod cmp_method;
pub mod util;

/// The semantics fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &cmp_method::CMP_METHOD,
    &cmp_builtin::CMP_BUILTIN,
    &binary_read_comparison::BINARY_READ_COMPARISON,
];
