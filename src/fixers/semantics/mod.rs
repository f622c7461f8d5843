//! AST fixers whose meaning changed between Python 2 and 3: ordering and comparison (`__cmp__`,
//! `cmp=`, `cmp()`), truth and division methods, json ordering, numbers (`sys.maxint`, division).

use super::FixerSpec;

pub mod binary_read_comparison;
pub mod cmp_argument;
pub mod cmp_builtin;
pub mod cmp_method;
pub mod div_methods;
pub mod eq_without_hash;
pub mod file_builtin;
pub mod generator_stop;
pub mod json_sort_keys;
pub mod old_division;
pub mod util;

/// The semantics fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &cmp_method::CMP_METHOD,
    &cmp_argument::CMP_ARGUMENT,
    &cmp_builtin::CMP_BUILTIN,
    &div_methods::DIV_METHODS,
    &eq_without_hash::EQ_WITHOUT_HASH,
    &file_builtin::FILE_BUILTIN,
    &json_sort_keys::JSON_SORT_KEYS,
    &binary_read_comparison::BINARY_READ_COMPARISON,
    &old_division::OLD_DIVISION,
    &generator_stop::GENERATOR_STOP,
];
