//! AST fixers for module and name renames: imports, urllib, renames, relative imports and the
//! builtins that moved (reduce, reload, intern, raw_input, input, execfile, apply ...).

use super::FixerSpec;

/// The import and rename fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[];
