use std::collections::HashMap;
use std::sync::LazyLock;

use rustpython_ast::{ExceptHandler, Expr, Stmt};

use super::util::{in_python2_branch, last_name};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports imports of Python 2 standard library modules that Python 3 removed without a
    /// renamed successor (`md5`, `sha`, `sets`, `new`, `popen2`, `mimetools`, `rfc822`,
    /// `compiler` ...; the list is `fixers/lint/removed_modules.tsv`). pylint's
    /// `bad-python3-import` for the modules no fixer renames.
    ///
    /// ## Why
    /// The import fails with `ModuleNotFoundError` in Python 3, and the replacement has a
    /// different API (`hashlib.md5` for `md5.new`, `email` for `rfc822`), so the code using it
    /// must be rewritten by hand.
    ///
    /// ## Example
    /// ```python
    /// import md5
    /// digest = md5.new(data).hexdigest()
    /// ```
    /// Use instead:
    /// ```python
    /// import hashlib
    /// digest = hashlib.md5(data).hexdigest()
    /// ```
    ///
    /// ## Limits
    /// Quiet on imports guarded by `try: ... except ImportError:` and in Python 2 only
    /// branches (compatibility code).
    pub REMOVED_MODULE_IMPORT = FixerSpec {
        code: "PY814",
        name: "removed-module-import",
        summary: "import of a module Python 3 removed (md5, sets, new, rfc822 ...) (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

/// Module name -> what to use instead, from `fixers/lint/removed_modules.tsv`.
static REMOVED: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../../../fixers/lint/removed_modules.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            l.split_once('\t').expect(
                "fixers/lint/removed_modules.tsv: MODULE<TAB>ADVICE rows (a unit test reads them)",
            )
        })
        .collect()
});

fn check(stmt: &Stmt, checker: &mut Checker) {
    let modules: Vec<&str> = match stmt {
        Stmt::Import(i) => i.names.iter().map(|a| a.name.as_str()).collect(),
        Stmt::ImportFrom(i) if i.level.map_or(0, |l| l.to_u32()) == 0 => {
            i.module.iter().map(|m| m.as_str()).collect()
        }
        _ => return,
    };
    for module in modules {
        let top = module.split('.').next().unwrap_or(module);
        let Some(instead) = REMOVED.get(module).or_else(|| REMOVED.get(top)) else {
            continue;
        };
        if guarded_import(checker) || in_python2_branch(checker, stmt) {
            return;
        }
        let message = format!("Python 3 has no module `{module}`: use {instead}");
        checker.report(&REMOVED_MODULE_IMPORT, stmt, message, None);
    }
}

/// Whether the statement being visited sits in the body of a `try` that catches `ImportError`
/// (or its subclass `ModuleNotFoundError`, `Exception`, or everything).
fn guarded_import(checker: &Checker) -> bool {
    checker.ancestors().any(|n| {
        let NodeRef::Stmt(Stmt::Try(t)) = n else {
            return false;
        };
        t.handlers.iter().any(|h| {
            let ExceptHandler::ExceptHandler(h) = h;
            match h.type_.as_deref() {
                None => true,
                Some(Expr::Tuple(t)) => t.elts.iter().any(catches_import_error),
                Some(e) => catches_import_error(e),
            }
        })
    })
}

fn catches_import_error(expr: &Expr) -> bool {
    matches!(
        last_name(expr),
        Some("ImportError" | "ModuleNotFoundError" | "Exception" | "BaseException")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_removed_modules_table_parses() {
        assert!(super::REMOVED.len() > 10);
    }
}
