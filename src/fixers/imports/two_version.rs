//! The two-version import `--target six` writes where `six.moves` has no name for a module or
//! member: one import tried, the other on `ImportError`, both binding the same names.
//!
//! ```python
//! try:
//!     import anydbm
//! except ImportError:
//!     import dbm as anydbm
//! ```
//!
//! The Python 2 import comes first when the Python 3 module also exists on Python 2 (`dbm`,
//! `subprocess`, `collections`: tried first, it would bind the wrong module there); the Python 3
//! one comes first when Python 2 lacks the name (`from base64 import encodebytes as
//! encodestring`), so that Python 3 never reaches a deprecated alias. The writers are
//! `module-renames`, `module-renames2` and `base64-encodestring`; each leaves a branch of such a
//! block alone ([`is_branch`]), so the block is a fixed point, and under the `py3` target
//! `six-imports` keeps the Python 3 branch alone ([`pair`]).

use rustpython_ast::{ExceptHandler, Expr, Ranged, Stmt, StmtTry};

use crate::engine::checker::{Checker, NodeRef};
use crate::fixers::six::moves;

/// Which branch of a two-version import is the one Python 3 runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The `try:` branch (`from base64 import encodebytes as encodestring`).
    First,
    /// The `except ImportError:` branch (`import dbm as anydbm`).
    Second,
}

/// `name as bound`, or `name` when they are the same.
fn aliased(name: &str, bound: &str) -> String {
    if name == bound {
        name.to_string()
    } else {
        format!("{name} as {bound}")
    }
}

/// The Python 3 import binding `bound` to the module that replaced the Python 2 module `module`
/// (`import dbm as anydbm`), when `module` has a two-version fallback.
pub fn module_fallback(module: &str, bound: &str) -> Option<String> {
    let new = moves::fallback_module(module)?;
    Some(format!("import {new} as {bound}"))
}

/// The Python 3 import binding each `(member, bound name)` of the Python 2 module `module`
/// (`from collections import UserDict as IterableUserDict`), when the Python 3 module offers
/// every one of them. `None` for `*` or a member without a fallback.
pub fn from_fallback<'n>(
    module: &str,
    names: impl IntoIterator<Item = (&'n str, &'n str)>,
) -> Option<String> {
    let mut new_module = None;
    let mut parts = Vec::new();
    for (name, bound) in names {
        let (new, member) = moves::fallback_member(module, name)?;
        if new_module.is_some_and(|m| m != new) {
            return None;
        }
        new_module = Some(new);
        parts.push(aliased(member, bound));
    }
    Some(format!("from {} import {}", new_module?, parts.join(", ")))
}

/// The Python 2 names of the `base64` functions Python 3 renamed.
fn base64_python2_name(python3: &str) -> Option<&'static str> {
    match python3 {
        "encodebytes" => Some("encodestring"),
        "decodebytes" => Some("decodestring"),
        _ => None,
    }
}

/// `from base64 import X as Y, ...` for the `(Python 3 name, bound name)` pairs, and the same
/// import with the Python 2 names: the two branches of the two-version import of `base64`'s
/// renamed functions (`encodebytes` / `encodestring`).
pub fn base64_pair<'n>(
    names: impl IntoIterator<Item = (&'n str, &'n str)>,
) -> Option<(String, String)> {
    let mut first = Vec::new();
    let mut second = Vec::new();
    for (python3, bound) in names {
        first.push(aliased(python3, bound));
        second.push(aliased(base64_python2_name(python3)?, bound));
    }
    if first.is_empty() {
        return None;
    }
    Some((
        format!("from base64 import {}", first.join(", ")),
        format!("from base64 import {}", second.join(", ")),
    ))
}

/// The `(name, bound name)` pairs of an import's aliases.
fn names(aliases: &[rustpython_ast::Alias]) -> impl Iterator<Item = (&str, &str)> {
    aliases.iter().map(|a| {
        let name = a.name.as_str();
        (name, a.asname.as_ref().map_or(name, |n| n.as_str()))
    })
}

/// An import statement rebuilt from its tree, in the spelling [`counterpart`] gives:
/// `import a as b`, `from m import x as y, z`.
fn render(stmt: &Stmt) -> Option<String> {
    let join = |aliases: &[rustpython_ast::Alias]| {
        names(aliases)
            .map(|(name, bound)| aliased(name, bound))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match stmt {
        Stmt::Import(import) => Some(format!("import {}", join(&import.names))),
        Stmt::ImportFrom(import) if import.level.map_or(0, |l| l.to_u32()) == 0 => {
            let module = import.module.as_ref()?;
            Some(format!("from {module} import {}", join(&import.names)))
        }
        _ => None,
    }
}

/// The other branch of the two-version import whose first branch is `first`, and which branch
/// Python 3 keeps: `import anydbm` -> `import dbm as anydbm`; `from base64 import encodebytes
/// as encodestring` -> `from base64 import encodestring`.
fn counterpart(first: &Stmt) -> Option<(String, Keep)> {
    match first {
        Stmt::Import(import) => {
            let [alias] = import.names.as_slice() else {
                return None;
            };
            let module = alias.name.as_str();
            let bound = alias.asname.as_ref().map_or(module, |a| a.as_str());
            Some((module_fallback(module, bound)?, Keep::Second))
        }
        Stmt::ImportFrom(import) if import.level.map_or(0, |l| l.to_u32()) == 0 => {
            let module = import.module.as_ref()?.as_str();
            if module == "base64" {
                let (_, second) = base64_pair(names(&import.names))?;
                return Some((second, Keep::First));
            }
            Some((from_fallback(module, names(&import.names))?, Keep::Second))
        }
        _ => None,
    }
}

/// The two imports of `try: A` / `except ImportError: B` (nothing else in the block: no `as`,
/// no `else:` or `finally:`) when B is what a two-version import pairs with A, and the branch
/// Python 3 keeps.
pub fn pair(try_stmt: &StmtTry) -> Option<(&Stmt, &Stmt, Keep)> {
    let [ExceptHandler::ExceptHandler(handler)] = try_stmt.handlers.as_slice() else {
        return None;
    };
    let catches_import_error = matches!(handler.type_.as_deref(),
        Some(Expr::Name(n)) if n.id.as_str() == "ImportError");
    if !catches_import_error
        || handler.name.is_some()
        || !try_stmt.orelse.is_empty()
        || !try_stmt.finalbody.is_empty()
    {
        return None;
    }
    let ([first], [second]) = (try_stmt.body.as_slice(), handler.body.as_slice()) else {
        return None;
    };
    let (expected, keep) = counterpart(first)?;
    (render(second)? == expected).then_some((first, second, keep))
}

/// Whether `stmt`, the statement being visited, is a branch of a two-version import ([`pair`]):
/// the block already runs on both versions.
pub fn is_branch(checker: &Checker, stmt: &Stmt) -> bool {
    let mut ancestors = checker.ancestors();
    let try_stmt = match ancestors.next() {
        Some(NodeRef::Stmt(Stmt::Try(t))) => t,
        Some(NodeRef::ExceptHandler(_)) => match ancestors.next() {
            Some(NodeRef::Stmt(Stmt::Try(t))) => t,
            _ => return false,
        },
        _ => return false,
    };
    pair(try_stmt)
        .is_some_and(|(first, second, _)| std::ptr::eq(first, stmt) || std::ptr::eq(second, stmt))
}

/// The indentation of `stmt` when the statement has its lines to itself: only blanks before it
/// on its first line, at most a comment after it on its last (`import a; b` would put `b` in
/// the `except` branch).
pub fn own_line_indent<'t>(text: &'t str, stmt: &Stmt) -> Option<&'t str> {
    let indent = super::util::statement_indent(text, stmt)?;
    let end = stmt.range().end().to_usize();
    let rest = text.get(end..)?;
    let line = rest
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default()
        .trim_start();
    (line.is_empty() || line.starts_with('#')).then_some(indent)
}

/// The comments inside a statement's text (`from base64 import (a,  # why` ...), for the
/// writers that rebuild the statement.
pub fn comments(source: &str) -> Vec<&str> {
    crate::tokens::tokenize(source)
        .iter()
        .filter(|t| t.kind == crate::tokens::TokenKind::Comment)
        .filter_map(|t| source.get(t.start()..t.end()))
        .collect()
}

/// The block: `first` tried, `second` on `ImportError`, at `indent`, with the file's newline
/// `nl` (the first line takes the place of the statement, after its indentation).
pub fn block(indent: &str, nl: &str, first: &str, second: &str) -> String {
    let inner = if indent.contains('\t') { "\t" } else { "    " };
    format!(
        "try:{nl}{indent}{inner}{first}{nl}{indent}except ImportError:{nl}{indent}{inner}{second}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks() {
        assert_eq!(
            module_fallback("anydbm", "anydbm").as_deref(),
            Some("import dbm as anydbm")
        );
        assert_eq!(module_fallback("cPickle", "cPickle"), None);
        assert_eq!(
            from_fallback(
                "UserDict",
                [
                    ("IterableUserDict", "IterableUserDict"),
                    ("UserDict", "Base")
                ]
            )
            .as_deref(),
            Some("from collections import UserDict as IterableUserDict, UserDict as Base")
        );
        assert_eq!(
            from_fallback("UserDict", [("DictMixin", "DictMixin")]),
            None
        );
        assert_eq!(from_fallback("commands", [("mkarg", "mkarg")]), None);
        assert_eq!(
            base64_pair([("encodebytes", "encodestring")]),
            Some((
                "from base64 import encodebytes as encodestring".to_string(),
                "from base64 import encodestring".to_string()
            ))
        );
    }

    #[test]
    fn pairs_are_recognised() {
        let keep = |src: &str| {
            let body = crate::syntax::parse::parse_module(src).expect("parses");
            match body.first() {
                Some(Stmt::Try(t)) => pair(t).map(|(_, _, keep)| keep),
                _ => None,
            }
        };
        assert_eq!(
            keep("try:\n    import anydbm\nexcept ImportError:\n    import dbm as anydbm\n"),
            Some(Keep::Second)
        );
        assert_eq!(
            keep("try:\n    from base64 import encodebytes as enc\nexcept ImportError:\n    from base64 import encodestring as enc\n"),
            Some(Keep::First)
        );
        // Another fallback, or another handler: not this module's form.
        assert_eq!(
            keep("try:\n    import anydbm\nexcept ImportError:\n    import dumbdbm as anydbm\n"),
            None
        );
        assert_eq!(
            keep("try:\n    import anydbm\nexcept (ImportError, OSError):\n    import dbm as anydbm\n"),
            None
        );
        assert_eq!(
            keep("try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"),
            None
        );
    }
}
