//! Token fixers for Python 2 only grammar: after them, the Python 3 parser can read the file.

use super::FixerSpec;

/// The grammar fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[];
