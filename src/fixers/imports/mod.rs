//! AST fixers for module and name renames: imports, urllib, renames, relative imports and the
//! builtins that moved (reduce, reload, intern, raw_input, input, execfile, apply ...).
//!
//! The module tables are data (`fixers/imports/*.toml`, regenerated from lib2to3's own tables by
//! `fixers/imports/generate.py`). Fixers that need an import (`import sys` for `sys.intern`) add
//! it after the module docstring and `from __future__` imports ([`util::add_import_line`]).

use super::FixerSpec;

pub mod apply;
pub mod buffer;
pub mod execfile;
pub mod exitfunc;
pub mod future;
pub mod getcwdu;
pub mod input;
pub mod intern;
pub mod module_renames;
pub mod modules;
pub mod modules2;
pub mod operator_functions;
pub mod raw_input;
pub mod reduce;
pub mod relative_import;
pub mod reload;
pub mod renames;
pub mod sys_exc;
pub mod two_version;
pub mod types;
pub mod urllib;
pub mod util;

/// The import and rename fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &modules::MODULE_RENAMES,
    &operator_functions::OPERATOR_FUNCTIONS,
    &modules2::MODULE_RENAMES2,
    &urllib::URLLIB,
    &renames::RENAMES,
    &sys_exc::SYS_EXC,
    &exitfunc::EXITFUNC,
    &getcwdu::GETCWDU,
    &intern::INTERN,
    &reload::RELOAD,
    &reduce::REDUCE,
    &raw_input::RAW_INPUT,
    &input::INPUT,
    &execfile::EXECFILE,
    &apply::APPLY,
    &types::TYPES,
    &future::FUTURE,
    &buffer::BUFFER,
    &relative_import::RELATIVE_IMPORT,
];

/// The groups every 2to3-parity fixer of this family belongs to.
const GROUPS: &[&str] = &["2to3", "imports"];
