//! AST fixers for objects, classes, text and bytes: basestring, unicode, metaclass, method and
//! function attributes, idioms, `u''`, StringIO, bytes literals, codecs, string module.
//!
//! The 2to3 parity fixers follow lib2to3's semantics (see each fixer's "Limits" for where
//! they are more careful); the others go beyond 2to3 on the text/bytes split.

use super::FixerSpec;

pub mod ascii_bytes_as_text;
pub mod base64_bytes_argument;
pub mod base64_encodestring;
pub mod basestring;
pub mod bytes_arguments;
pub mod codec_methods;
pub mod contextlib_nested;
pub mod function_attributes;
pub mod generator_throw;
pub mod idioms;
pub mod isinstance_duplicates;
pub mod long_builtin;
pub mod metaclass;
pub mod method_attributes;
pub mod nonzero_method;
pub mod os_path_walk;
pub mod set_literal;
pub mod standard_error;
pub mod stdlib_bytes;
pub mod str_meets_bytes;
pub mod string_module;
pub mod stringio_bytes;
pub mod unicode_builtins;
pub mod unicode_literal_prefix;
pub mod unicode_method;
pub mod unittest_aliases;
pub mod util;
pub mod xreadlines;

/// The object and text fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &basestring::BASESTRING,
    &unicode_builtins::UNICODE_BUILTINS,
    &unicode_literal_prefix::UNICODE_LITERAL_PREFIX,
    &long_builtin::LONG_BUILTIN,
    // After the renames that make duplicates (`(int, long)` -> `(int, int)`), so that running
    // the fixers one at a time in this order (`fix --select X`) ends where one full run does.
    &isinstance_duplicates::ISINSTANCE_DUPLICATES,
    &bytes_arguments::BYTES_ARGUMENTS,
    &set_literal::SET_LITERAL,
    &idioms::IDIOMS,
    &generator_throw::GENERATOR_THROW,
    &metaclass::METACLASS,
    &nonzero_method::NONZERO_METHOD,
    &unicode_method::UNICODE_METHOD,
    &contextlib_nested::CONTEXTLIB_NESTED,
    &os_path_walk::OS_PATH_WALK,
    &function_attributes::FUNCTION_ATTRIBUTES,
    &method_attributes::METHOD_ATTRIBUTES,
    &standard_error::STANDARD_ERROR,
    &xreadlines::XREADLINES,
    &unittest_aliases::UNITTEST_ALIASES,
    &base64_encodestring::BASE64_ENCODESTRING,
    &string_module::STRING_MODULE,
    &codec_methods::CODEC_METHODS,
    &stringio_bytes::STRINGIO_BYTES,
    &base64_bytes_argument::BASE64_BYTES_ARGUMENT,
    &str_meets_bytes::STR_MEETS_BYTES,
    &ascii_bytes_as_text::ASCII_BYTES_AS_TEXT,
];

/// The groups of the 2to3 parity fixers of this family.
const PARITY: &[&str] = &["2to3", "objects"];

/// The groups of the fixers of this family that go beyond 2to3.
const BEYOND: &[&str] = &["objects"];
