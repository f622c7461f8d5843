//! AST fixers for objects, classes, text and bytes: basestring, unicode, metaclass, method and
//! function attributes, idioms, `u''`, StringIO, bytes literals, codecs, string module.

use super::FixerSpec;

/// The object and text fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[];
