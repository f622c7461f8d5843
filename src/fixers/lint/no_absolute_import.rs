use rustpython_ast::Stmt;

use super::util::in_python2_branch;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports absolute-looking imports (`import utils`, `from models import User`) in a module
    /// without `from __future__ import absolute_import`.
    ///
    /// ## Why
    /// Python 2 first looked such names up next to the importing file (implicit relative
    /// import); Python 3 only looks on `sys.path`. `import utils` inside a package silently
    /// imports another `utils` (or fails). The tool does not know the package layout, so it
    /// reports the imports instead of rewriting them (2to3's `import` fixer needs the files).
    ///
    /// Off by default: every import of a Python 3 module matches. Select it
    /// (`--select no-absolute-import`) on Python 2 packages before migrating them.
    ///
    /// ## Example
    /// ```python
    /// import utils
    /// ```
    /// Use instead: `from . import utils` when `utils.py` is a sibling, and add
    /// `from __future__ import absolute_import` to check the result on Python 2.
    pub NO_ABSOLUTE_IMPORT = FixerSpec {
        code: "PY811",
        name: "no-absolute-import",
        summary: "import without `from __future__ import absolute_import` (report only, off by default)",
        groups: GROUPS,
        default_on: false,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let absolute = match stmt {
        Stmt::Import(_) => true,
        Stmt::ImportFrom(i) => {
            i.level.map_or(0, |l| l.to_u32()) == 0
                && i.module
                    .as_ref()
                    .is_some_and(|m| m.as_str() != "__future__")
        }
        _ => false,
    };
    if !absolute
        || checker.semantic().has_future("absolute_import")
        || in_python2_branch(checker, stmt)
    {
        return;
    }
    let message = "Python 2 may resolve this import relative to the package: \
                   add `from __future__ import absolute_import` or use `from . import`";
    checker.report(&NO_ABSOLUTE_IMPORT, stmt, message, None);
}
