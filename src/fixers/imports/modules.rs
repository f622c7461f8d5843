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
    /// 2to3's `fix_imports`: renames the standard library modules that Python 3 renamed
    /// (`cPickle` -> `pickle`, `ConfigParser` -> `configparser`, `urlparse` -> `urllib.parse`,
    /// `Tkinter` -> `tkinter` ...) in `import X`, `import X as Y` and `from X import a`, and
    /// renames the uses of a module bound by `import X` (`Queue.Queue()` -> `queue.Queue()`).
    /// The table is `fixers/imports/modules.toml`, generated from lib2to3's.
    ///
    /// ## Why
    /// The old names do not exist in Python 3: the import fails.
    ///
    /// ## Example
    /// ```python
    /// import urlparse
    /// from cStringIO import StringIO
    /// urlparse.urljoin(base, path)
    /// ```
    /// becomes
    /// ```python
    /// import urllib.parse
    /// from io import StringIO
    /// urllib.parse.urljoin(base, path)
    /// ```
    ///
    /// ## Limits
    /// Beyond 2to3 (`fixers/imports/modules_extra.toml`): `UserDict` -> `collections`, with
    /// `UserDict.IterableUserDict` -> `collections.UserDict` and `from UserDict import
    /// IterableUserDict` -> `from collections import UserDict as IterableUserDict`.
    /// Left out of 2to3's table: `dummy_thread` (its Python 3 name `_dummy_thread` is gone
    /// since Python 3.9; `removed-module-import` reports it).
    ///
    /// `import X` is only reported when `X`, or the name the new import binds, is bound by
    /// anything else in the file (`queue = Queue.Queue()` would shadow the module). A file that
    /// reads `x.DictMixin` keeps its `UserDict` imports, reported: `collections.abc.MutableMapping`
    /// asks for other methods. `dbm` is not
    /// renamed to `dbm.ndbm`: `dbm` is also a Python 3 module, and the rename would not be
    /// idempotent.
    ///
    /// Under `--target six` the imports go through `six.moves` and keep the names they bound
    /// (`import Queue` -> `from six.moves import queue as Queue`, the uses unchanged). A module
    /// or member `six.moves` lacks is imported in two versions, the Python 2 import first (the
    /// Python 3 module may also exist on Python 2), where the Python 3 module offers every
    /// member the file reads through it (`commands.getoutput`, not `commands.mkarg`):
    /// ```python
    /// import commands
    /// from UserDict import IterableUserDict
    /// ```
    /// becomes
    /// ```python
    /// try:
    ///     import commands
    /// except ImportError:
    ///     import subprocess as commands
    /// try:
    ///     from UserDict import IterableUserDict
    /// except ImportError:
    ///     from collections import UserDict as IterableUserDict
    /// ```
    /// `UserDict.IterableUserDict` read through `import UserDict` becomes `IterableUserDict`,
    /// imported so in place of `import UserDict` (when nothing else binds that name). The
    /// statement must have its lines to itself. Such a block is left as it is (a fixed point);
    /// under the `py3` target `six-imports` keeps its Python 3 branch (`import subprocess as
    /// commands`). The fallbacks are `FALLBACKS` in `src/fixers/six/moves.rs`:
    /// `commands.getstatusoutput` gives the exit code on Python 3, the wait status on Python 2.
    pub MODULE_RENAMES = FixerSpec {
        code: "PY201",
        name: "module-renames",
        summary: "Python 2 standard modules renamed in Python 3 (2to3 fix_imports)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_stmt), expr: Some(check_expr), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| TABLE.modules.keys().any(|m| s.mentions(m))) }),
    }
}

/// lib2to3's table, without the names that are also Python 3 modules (`dbm`), with the
/// changes of `fixers/imports/modules_extra.toml` (`UserDict` added, `dummy_thread` dropped).
pub static TABLE: LazyLock<ModuleTable> = LazyLock::new(|| {
    let mut table = ModuleTable::parse(include_str!("../../../fixers/imports/modules.toml"));
    let extra = ModuleTable::parse(include_str!("../../../fixers/imports/modules_extra.toml"));
    let python3_tops: Vec<String> = table
        .modules
        .values()
        .map(|v| v.split('.').next().unwrap_or(v).to_string())
        .collect();
    table
        .modules
        .retain(|k, _| !python3_tops.contains(k) && !extra.dropped.contains_key(k));
    table.modules.extend(extra.modules);
    table.members = extra.members;
    table.removed = extra.removed;
    table
});

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    check_import(stmt, checker, &TABLE, &MODULE_RENAMES);
}

fn check_expr(expr: &Expr, checker: &mut Checker) {
    check_use(expr, checker, &TABLE, &MODULE_RENAMES);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_leaves_out_dbm() {
        assert_eq!(TABLE.get("cPickle"), Some("pickle"));
        assert_eq!(TABLE.get("urlparse"), Some("urllib.parse"));
        assert_eq!(TABLE.get("dbm"), None);
        assert_eq!(TABLE.get("gdbm"), Some("dbm.gnu"));
        assert_eq!(TABLE.get("UserDict"), Some("collections"));
        assert_eq!(TABLE.get("dummy_thread"), None);
        assert_eq!(
            TABLE.member("UserDict", "IterableUserDict"),
            Some("UserDict")
        );
        assert!(TABLE.removed_member("UserDict", "DictMixin").is_some());
        assert_eq!(TABLE.modules.len(), 47);
    }
}
