//! Report-only rules (group `lint-only`): Python 2 constructs no fixer can safely rewrite.
//!
//! Each rule reports and never edits (`fix: None`). The rules stay quiet in code that only runs
//! on Python 2 (`if six.PY2:`, `if sys.version_info[0] == 2:` ...) and on names rebound in the
//! module. `PYLINT_PY3K.md` maps every check of pylint's former `--py3k` mode to the fixer or
//! rule of this project that covers it. PY8xx are code rules, PY9xx data rules (pickles and
//! JSON shared between Python 2 and Python 3 processes).

use super::FixerSpec;

pub mod buffer_builtin;
pub mod coerce_builtin;
pub mod coerce_method;
pub mod comprehension_escape;
pub mod exception_escape;
pub mod exception_message;
pub mod exec_function_locals;
pub mod import_star_in_function;
pub mod indexing_exception;
pub mod json_dumps_unsorted_key;
pub mod no_absolute_import;
pub mod oct_hex_methods;
pub mod pickle_protocol_above_2;
pub mod raising_string;
pub mod removed_module_attribute;
pub mod removed_module_import;
pub mod removed_os_attribute;
pub mod removed_sys_attribute;
pub mod removed_types_attribute;
pub mod round_builtin;
pub mod slice_methods;
pub mod translate_delete;
pub mod util;

/// The lint-only rules, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &coerce_builtin::COERCE_BUILTIN,
    &buffer_builtin::BUFFER_BUILTIN,
    &round_builtin::ROUND_BUILTIN,
    &coerce_method::COERCE_METHOD,
    &slice_methods::SLICE_METHODS,
    &oct_hex_methods::OCT_HEX_METHODS,
    &import_star_in_function::IMPORT_STAR_IN_FUNCTION,
    &indexing_exception::INDEXING_EXCEPTION,
    &raising_string::RAISING_STRING,
    &no_absolute_import::NO_ABSOLUTE_IMPORT,
    &exception_escape::EXCEPTION_ESCAPE,
    &comprehension_escape::COMPREHENSION_ESCAPE,
    &removed_module_import::REMOVED_MODULE_IMPORT,
    &removed_sys_attribute::REMOVED_SYS_ATTRIBUTE,
    &removed_types_attribute::REMOVED_TYPES_ATTRIBUTE,
    &pickle_protocol_above_2::PICKLE_PROTOCOL_ABOVE_2,
    &json_dumps_unsorted_key::JSON_DUMPS_UNSORTED_KEY,
    &exception_message::EXCEPTION_MESSAGE,
    &removed_os_attribute::REMOVED_OS_ATTRIBUTE,
    &translate_delete::TRANSLATE_DELETE,
    &removed_module_attribute::REMOVED_MODULE_ATTRIBUTE,
    &exec_function_locals::EXEC_FUNCTION_LOCALS,
];

/// The groups every code rule of this family belongs to.
const GROUPS: &[&str] = &[];

/// The groups of the data rules (pickles and JSON shared with Python 2).
const DATA_GROUPS: &[&str] = &["data"];
