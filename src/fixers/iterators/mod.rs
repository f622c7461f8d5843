//! AST fixers for the iterator family: dict methods, map/filter/zip, xrange/range, next,
//! itertools, has_key.
//!
//! Python 3 returns views and iterators where Python 2 returned lists. The fixers that wrap a
//! value in `list()` do so only where the value is not merely iterated (see
//! [`crate::fixers::util::is_consumed_as_iterable`]); the fixers that turn a Python 2 lazy
//! method into its Python 3 name make sure the result is never wrapped afterwards, so that a
//! second run changes nothing.

use super::FixerSpec;

pub mod dict_iter_methods;
pub mod dict_views_as_lists;
pub mod filter_builtin;
pub mod has_key;
pub mod itertools_functions;
pub mod itertools_imports;
pub mod map_builtin;
pub mod mutation;
pub mod next_method_call;
pub mod next_method_def;
pub mod range_list;
pub mod xrange;
pub mod zip_builtin;

/// The iterator fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &dict_iter_methods::DICT_ITER_METHODS,
    &dict_views_as_lists::DICT_VIEWS_AS_LISTS,
    &map_builtin::MAP_BUILTIN,
    &filter_builtin::FILTER_BUILTIN,
    &zip_builtin::ZIP_BUILTIN,
    &xrange::XRANGE,
    &range_list::RANGE_LIST,
    // The method first: it reads the `x.next` calls (which keep a `next = __next__` alias)
    // before next-method-call rewrites them, as in a full run, where both read the original.
    &next_method_def::NEXT_METHOD_DEF,
    &next_method_call::NEXT_METHOD_CALL,
    &itertools_functions::ITERTOOLS_FUNCTIONS,
    &itertools_imports::ITERTOOLS_IMPORTS,
    &has_key::HAS_KEY,
];

/// The groups every fixer of this family belongs to.
const GROUPS: &[&str] = &["2to3", "iterators"];
