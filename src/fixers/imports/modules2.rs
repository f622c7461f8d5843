use std::sync::LazyLock;

use rustpython_ast::{Expr, Stmt};

use super::module_renames::{check_import, check_use, ModuleTable};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_imports2`: renames `anydbm` and `whichdb` to `dbm`, in imports and in the
    /// uses of a module bound by `import anydbm`. The table is `fixers/imports/modules2.toml`,
    /// generated from lib2to3's.
    ///
    /// ## Why
    /// Python 3 merged them into the `dbm` package.
    ///
    /// ## Example
    /// ```python
    /// import anydbm
    /// db = anydbm.open(path, "c")
    /// ```
    /// becomes
    /// ```python
    /// import dbm
    /// db = dbm.open(path, "c")
    /// ```
    ///
    /// ## Limits
    /// As `module-renames`: skipped when the names are rebound in the file.
    ///
    /// Under `--target six` (`six.moves` has neither module) the import is written in two
    /// versions, where the file reads only `anydbm.open`, `anydbm.error` and
    /// `whichdb.whichdb`:
    /// ```python
    /// try:
    ///     import anydbm
    /// except ImportError:
    ///     import dbm as anydbm
    /// ```
    /// (`from whichdb import whichdb` -> `try: from whichdb import whichdb` / `except
    /// ImportError: from dbm import whichdb`); see `module-renames`.
    pub MODULE_RENAMES2 = FixerSpec {
        code: "PY202",
        name: "module-renames2",
        summary: "anydbm/whichdb -> dbm (2to3 fix_imports2)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_stmt), expr: Some(check_expr), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| TABLE.modules.keys().any(|m| s.mentions(m))) }),
    }
}

/// lib2to3's `fix_imports2` table.
pub static TABLE: LazyLock<ModuleTable> =
    LazyLock::new(|| ModuleTable::parse(include_str!("../../../fixers/imports/modules2.toml")));

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    check_import(stmt, checker, &TABLE, &MODULE_RENAMES2);
}

fn check_expr(expr: &Expr, checker: &mut Checker) {
    check_use(expr, checker, &TABLE, &MODULE_RENAMES2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses() {
        assert_eq!(TABLE.get("anydbm"), Some("dbm"));
        assert_eq!(TABLE.get("whichdb"), Some("dbm"));
        assert_eq!(TABLE.modules.len(), 2);
    }
}
