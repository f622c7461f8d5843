//! The fixer catalogue and its registry.
//!
//! A fixer is a small thing: a code, a kebab-case name, a doc comment (what it does, why, example),
//! the groups it belongs to, and a function from (tokens or AST node, context) to [`Diagnostic`]s
//! with optional edits. It never touches files, threads or output formats.
//!
//! Two kinds exist:
//! - **token fixers** run on the lossless token stream, before any parse: they remove Python 2 only
//!   grammar (print statement, backticks, `<>` ...) so that the Python 3 parser can read the file;
//! - **AST fixers** run on rustpython-parser's tree, walked once by [`crate::engine::checker`], which
//!   calls the hooks of every enabled fixer for each statement and expression.
//!
//! Each fixer file declares its spec with [`declare_fixer!`], whose doc comment is both the rustdoc
//! of the constant and the text `py2to3 explain` / `--list-fixers` print.

use crate::engine::Diagnostic;

pub mod grammar;
pub mod imports;
pub mod iterators;
pub mod lint;
pub mod objects;
pub mod registry;
pub mod semantics;
pub mod six;
pub mod util;

pub use registry::{FixerKind, FixerSpec, TokenContext};

/// Declares a fixer's [`FixerSpec`] constant; the doc comment becomes its `doc` text as well.
/// `fixable` may be left out (it is then `true`); every other field must be given.
///
/// ```ignore
/// declare_fixer! {
///     /// ## What it does
///     /// Rewrites `a <> b` as `a != b`.
///     pub NOT_EQUAL = FixerSpec { code: "PY006", name: "ne-operator", ... doc: "" }
/// }
/// ```
#[macro_export]
macro_rules! declare_fixer {
    ($(#[doc = $doc:expr])* $vis:vis $name:ident = FixerSpec { $($field:ident : $value:expr),* $(,)? }) => {
        $(#[doc = $doc])*
        #[allow(clippy::needless_update)]
        $vis const $name: $crate::fixers::FixerSpec = $crate::fixers::FixerSpec {
            doc: concat!($($doc, "\n"),*),
            $($field: $value,)*
            ..$crate::fixers::registry::SPEC_DEFAULTS
        };
    };
}

/// Runs the enabled token fixers over one tokenized text.
pub fn run_token_fixers(
    cx: &TokenContext,
    enabled: &[&'static FixerSpec],
    out: &mut Vec<Diagnostic>,
) {
    for spec in enabled {
        if let FixerKind::Tokens(f) = spec.kind {
            f(cx, out);
        }
    }
}
