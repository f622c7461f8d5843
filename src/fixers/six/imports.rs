//! PY552 six-imports: under the `py3` target, `six.moves` imports become Python 3 imports, and
//! `import six` and the Python 2 `__future__` lines go once nothing reads `six`.

use rustpython_ast::{Ranged, Stmt};

use super::{moves, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::imports::two_version;
use crate::fixers::imports::util::{from_module_range, statement_indent};
use crate::fixers::semantics::util::newline_of;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Under the `py3` target: `from six.moves import configparser` -> `import configparser`,
    /// `from six.moves import cStringIO as StringIO` -> `from io import StringIO`,
    /// `from six.moves import range` -> nothing (the builtin), `from six.moves.urllib.parse
    /// import quote` -> `from urllib.parse import quote`; the `try: import collections.abc as
    /// collections_abc` / `except ImportError: import collections as collections_abc` block
    /// `--target six` writes -> `import collections.abc as collections_abc`, and its other
    /// two-version imports to their Python 3 branch (`try: import anydbm` / `except
    /// ImportError: import dbm as anydbm` -> `import dbm as anydbm`); `import six` is
    /// removed once the
    /// module no longer reads `six`, and with it the `from __future__` imports of
    /// `print_function`, `absolute_import` and `unicode_literals` (Python 3 behaves so always).
    ///
    /// ## Why
    /// The last step of a two-version migration: the code no longer needs `six`.
    ///
    /// ## Example
    /// ```python
    /// from __future__ import absolute_import
    /// import six
    /// from six.moves import queue as Queue
    /// ```
    /// becomes
    /// ```python
    /// import queue as Queue
    /// ```
    ///
    /// ## Limits
    /// `from __future__ import division` stays while `old-division` runs (it reads the line);
    /// select this fixer alone, or `future-imports`, to drop it. The `__future__` lines go only
    /// from modules that imported `six`. Does nothing under `--target six`.
    pub SIX_IMPORTS = FixerSpec {
        code: "PY552",
        name: "six-imports",
        summary: "six.moves imports -> Python 3 imports; unused import six and __future__ lines removed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    if checker.six() {
        return;
    }
    match stmt {
        Stmt::Import(import) => {
            let six = import
                .names
                .iter()
                .any(|a| a.name.as_str() == "six" && a.asname.is_none());
            if !six || checker.semantic().name_use("six").loads > 0 {
                return;
            }
            if import.names.len() == 1 {
                let fix = Fix::safe(vec![checker.remove_statement(stmt)]);
                checker.report(&SIX_IMPORTS, stmt, "`six` is no longer used", Some(fix));
            }
        }
        Stmt::ImportFrom(import) if import.level.map_or(0, |l| l.to_u32()) == 0 => {
            let Some(module) = import.module.as_ref().map(|m| m.as_str()) else {
                return;
            };
            if module == "__future__" {
                future(stmt, import, checker);
            } else if module == "six.moves" {
                from_six_moves(stmt, import, checker);
            } else if let Some(sub) = module.strip_prefix("six.moves.") {
                let new = if sub == "urllib" {
                    Some("urllib")
                } else {
                    moves::python3_module(sub)
                };
                let fix = new
                    .and_then(|new| from_module_range(checker.text, stmt, module).map(|r| (new, r)))
                    .map(|(new, (start, end))| Fix::safe(vec![Edit::replace(start, end, new)]));
                let message = format!("`{module}` is a `six` module");
                checker.report(&SIX_IMPORTS, stmt, message, fix);
            }
        }
        Stmt::Try(try_stmt) => {
            collections_abc(stmt, try_stmt, checker);
            two_version_import(stmt, try_stmt, checker);
        }
        _ => {}
    }
}

/// The import `--target six` writes for `collections.abc` (see `operator-functions`):
/// ```python
/// try:
///     import collections.abc as collections_abc
/// except ImportError:  # Python 2
///     import collections as collections_abc
/// ```
/// -> `import collections.abc as collections_abc`.
fn collections_abc(stmt: &Stmt, try_stmt: &rustpython_ast::StmtTry, checker: &mut Checker) {
    let import_as = |body: &[Stmt], module: &str| -> Option<String> {
        let [Stmt::Import(import)] = body else {
            return None;
        };
        let [alias] = import.names.as_slice() else {
            return None;
        };
        (alias.name.as_str() == module)
            .then(|| alias.asname.as_ref().map(|a| a.to_string()))
            .flatten()
    };
    let [rustpython_ast::ExceptHandler::ExceptHandler(handler)] = try_stmt.handlers.as_slice()
    else {
        return;
    };
    let catches_import_error = matches!(handler.type_.as_deref(),
        Some(rustpython_ast::Expr::Name(n)) if n.id.as_str() == "ImportError");
    if !catches_import_error
        || handler.name.is_some()
        || !try_stmt.orelse.is_empty()
        || !try_stmt.finalbody.is_empty()
    {
        return;
    }
    let (Some(bound), Some(fallback)) = (
        import_as(&try_stmt.body, "collections.abc"),
        import_as(&handler.body, "collections"),
    ) else {
        return;
    };
    if bound != fallback {
        return;
    }
    let r = stmt.range();
    let fix = Fix::safe(vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        format!("import collections.abc as {bound}"),
    )]);
    let message = "Python 3 always has `collections.abc`: the Python 2 fallback can go";
    checker.report(&SIX_IMPORTS, stmt, message, Some(fix));
}

/// The two-version import `--target six` writes where `six.moves` has no name
/// ([`two_version`]): the branch Python 3 runs stays, alone. `try: import anydbm` / `except
/// ImportError: import dbm as anydbm` -> `import dbm as anydbm`. The block's other comments
/// follow it on its line.
fn two_version_import(stmt: &Stmt, try_stmt: &rustpython_ast::StmtTry, checker: &mut Checker) {
    let Some((first, second, keep)) = two_version::pair(try_stmt) else {
        return;
    };
    let kept = match keep {
        two_version::Keep::First => first,
        two_version::Keep::Second => second,
    };
    let (r, k) = (stmt.range(), kept.range());
    let text = checker.text;
    let (Some(before), Some(after)) = (
        text.get(r.start().to_usize()..k.start().to_usize()),
        text.get(k.end().to_usize()..r.end().to_usize()),
    ) else {
        return;
    };
    // The block's comments follow the import.
    let comments: String = [before, after]
        .iter()
        .flat_map(|t| two_version::comments(t))
        .map(|c| format!("  {c}"))
        .collect();
    let fix = Fix::safe(vec![Edit::replace_range(
        r,
        format!("{}{comments}", checker.source(kept)),
    )]);
    let message = "a two-version import: Python 3 runs one branch of it";
    checker.report(&SIX_IMPORTS, stmt, message, Some(fix));
}

/// `from six.moves import a, b as c` -> the Python 3 imports of the same names.
fn from_six_moves(stmt: &Stmt, import: &rustpython_ast::StmtImportFrom, checker: &mut Checker) {
    let mut lines = Vec::new();
    for alias in &import.names {
        let name = alias.name.as_str();
        let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
        let line = if let Some((module, py3)) = moves::python3_member(name) {
            match (module, py3 == bound) {
                ("builtins", true) => continue,
                (_, true) => format!("from {module} import {py3}"),
                (_, false) => format!("from {module} import {py3} as {bound}"),
            }
        } else if let Some(module) = moves::python3_module(name) {
            if module == bound {
                format!("import {module}")
            } else {
                format!("import {module} as {bound}")
            }
        } else {
            let message = format!("`six.moves.{name}` has no Python 3 name known to py2to3");
            checker.report(&SIX_IMPORTS, stmt, message, None);
            return;
        };
        lines.push(line);
    }
    let edit = if lines.is_empty() {
        checker.remove_statement(stmt)
    } else {
        let text = checker.text;
        let Some(indent) = statement_indent(text, stmt) else {
            return;
        };
        let r = stmt.range();
        let joined = lines.join(&format!("{}{indent}", newline_of(text)));
        Edit::replace_range(r, joined)
    };
    let fix = Fix::safe(vec![edit]).cascading(true);
    checker.report(
        &SIX_IMPORTS,
        stmt,
        "`six.moves` in Python 3 code",
        Some(fix),
    );
}

/// The `__future__` features that mean nothing in Python 3 and that `--target six` adds.
const DROPPED: &[&str] = &["print_function", "absolute_import", "unicode_literals"];

/// `from __future__ import ...` in a module that imports `six`: the features Python 3 always
/// has go; `division` stays while old-division runs.
fn future(stmt: &Stmt, import: &rustpython_ast::StmtImportFrom, checker: &mut Checker) {
    if !checker.semantic().imports().iter().any(|i| {
        i.level == 0
            && (i.name == "six" && i.from.is_none()
                || i.from.is_some_and(|m| m.starts_with("six.moves")))
    }) {
        return;
    }
    let keep_division =
        checker.is_enabled(crate::fixers::semantics::old_division::OLD_DIVISION.code);
    let kept: Vec<&str> = import
        .names
        .iter()
        .map(|a| a.name.as_str())
        .filter(|n| !DROPPED.contains(n) && (*n != "division" || keep_division))
        .collect();
    if kept.len() == import.names.len() {
        return;
    }
    let edit = if kept.is_empty() {
        checker.remove_statement(stmt)
    } else {
        let r = stmt.range();
        Edit::replace_range(r, format!("from __future__ import {}", kept.join(", ")))
    };
    let message = "Python 3 always has these `__future__` features";
    checker.report(&SIX_IMPORTS, stmt, message, Some(Fix::safe(vec![edit])));
}
