//! `--target six`: code that runs on Python 2.7 and 3 at once, and the way back to plain Python 3.
//!
//! Under [`Target::Six`](crate::engine::spec::Target::Six) the other families' fixers write two-version
//! forms themselves (`six.iteritems(d)`, `from six.moves import queue as Queue`,
//! `six.reraise(...)`), through the helpers here: [`six_attr`] adds `import six` once per file.
//! This family adds what no single fixer owns: the `from __future__` imports Python 2 needs for
//! the converted code to mean what it means on Python 3 ([`future_imports`]).
//!
//! Under the default `py3` target, [`names`], [`imports`] and [`branches`] turn six-converted code into plain
//! Python 3: `six.iteritems(d)` -> `d.items()`, `six.moves` imports -> Python 3 modules,
//! `if six.PY2:` branches dropped, `import six` removed once unused.

use rustpython_ast::{Expr, Stmt};

use super::FixerSpec;
use crate::engine::checker::Checker;
use crate::engine::Edit;

pub mod branches;
pub mod future_imports;
pub mod imports;
pub mod moves;
pub mod names;
pub mod unicode_literals;

/// Groups of the fixers that write six forms.
pub const GROUPS: &[&str] = &["six"];

/// The six family, in the order it runs.
pub static FIXERS: &[&FixerSpec] = &[
    &future_imports::SIX_FUTURE_IMPORTS,
    &unicode_literals::SIX_UNICODE_LITERALS,
    &branches::SIX_BRANCHES,
    &names::SIX_NAMES,
    &imports::SIX_IMPORTS,
];

/// `six.<attr>` (e.g. `six.text_type`), with the edit adding `import six` to `edits` when the
/// file does not import it yet; `None` when the name `six` is bound to something else there.
pub fn six_attr(checker: &Checker, attr: &str, edits: &mut Vec<Edit>) -> Option<String> {
    checker
        .importer()
        .push_module("six", edits)
        .then(|| format!("six.{attr}"))
}

/// Whether `expr` is `six.<attr>` with `six` the module bound by `import six`.
pub fn is_six_attr(checker: &Checker, expr: &Expr, attr: &str) -> bool {
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == attr
        && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "six")
        && checker.semantic().is_module_alias("six", "six"))
}

/// The attribute path of `expr` below `six` (`moves.urllib.parse` for
/// `six.moves.urllib.parse`), when `expr` is a dotted name starting at the module `six`.
pub fn six_path(checker: &Checker, expr: &Expr) -> Option<String> {
    let mut parts = Vec::new();
    let mut node = expr;
    loop {
        match node {
            Expr::Attribute(a) => {
                parts.push(a.attr.as_str());
                node = a.value.as_ref();
            }
            Expr::Name(n) if n.id.as_str() == "six" => break,
            _ => return None,
        }
    }
    if parts.is_empty() || !checker.semantic().is_module_alias("six", "six") {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// Whether `stmt` is the module's first statement (module-wide fixes hang there).
pub fn is_first_statement(checker: &Checker, stmt: &Stmt) -> bool {
    checker
        .first_statement()
        .is_some_and(|first| std::ptr::eq(first, stmt))
}

/// The edits replacing `node` with `six.<attr>` (`six.text_type`, `six.moves.range`), with
/// `import six` added when the file lacks it; `None` when `six` is bound to something else.
pub fn six_replacement(
    checker: &Checker,
    node: &impl rustpython_ast::Ranged,
    attr: &str,
) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    let name = six_attr(checker, attr, &mut edits)?;
    let r = node.range();
    edits.push(Edit::replace_range(r, name));
    Some(edits)
}

/// The edit adding the line `line` (e.g. `__nonzero__ = __bool__`) after the statement spanning
/// `start..end`, at the statement's indentation: the Python 2 name of a renamed method.
pub fn line_after(text: &str, start: usize, end: usize, line: &str) -> Edit {
    use crate::fixers::semantics::util::{indentation_at, newline_of, next_line_start};
    let nl = newline_of(text);
    let indent = indentation_at(text, start);
    let at = next_line_start(text, end);
    let mut content = format!("{indent}{line}{nl}");
    if at == text.len() && !text.ends_with('\n') {
        content.insert_str(0, nl);
    }
    Edit::insert(at, content)
}
