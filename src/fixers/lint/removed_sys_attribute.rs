use rustpython_ast::Expr;

use super::util::{mentions_removed_attribute, removed_attribute};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports attributes of `sys` that Python 3 removed: `sys.exc_clear`, `sys.exc_type`,
    /// `sys.exc_value`, `sys.exc_traceback`, `sys.subversion`, `sys.py3kwarning`,
    /// `sys.setdefaultencoding`, `sys.getcheckinterval`/`setcheckinterval` (pylint's
    /// `deprecated-sys-function`; `sys.maxint` is the imports family's). The table is
    /// `fixers/lint/removed_attributes.tsv`.
    ///
    /// ## Why
    /// Each raises `AttributeError` in Python 3, and most have no one-to-one replacement
    /// (`sys.exc_clear()` has no equivalent at all; `sys.setdefaultencoding` hacks hide
    /// bytes/text bugs that must be fixed where they are).
    ///
    /// ## Example
    /// ```python
    /// except ValueError:
    ///     sys.exc_clear()
    /// ```
    /// Use instead: nothing; Python 3 clears the exception when the handler ends.
    pub REMOVED_SYS_ATTRIBUTE = FixerSpec {
        code: "PY815",
        name: "removed-sys-attribute",
        summary: "sys.exc_clear, sys.exc_type, sys.setdefaultencoding ... do not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_removed_attribute(s, "sys")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if let Some((name, advice)) = removed_attribute(checker, expr, "sys") {
        let message = format!("`sys.{name}` does not exist in Python 3: {advice}");
        checker.report(&REMOVED_SYS_ATTRIBUTE, expr, message, None);
    }
}
