use rustpython_ast::Expr;

use super::util::{mentions_removed_attribute, removed_attribute};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports functions of `os` that Python 3 removed: `os.popen2`, `os.popen3`, `os.popen4`
    /// (the `popen2` family) and `os.tmpnam` / `os.tempnam`. The table is
    /// `fixers/lint/removed_attributes.tsv`.
    ///
    /// ## Why
    /// Each raises `AttributeError` in Python 3. The `popen2` family returned file pairs and
    /// triples whose order differed between `os.popen2` and `popen2.popen2`; `subprocess.Popen`
    /// replaces them, but which pipes the code used must be read at each call.
    ///
    /// ## Example
    /// ```python
    /// child_in, child_out = os.popen2(cmd)
    /// ```
    /// Use instead:
    /// ```python
    /// p = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    /// child_in, child_out = p.stdin, p.stdout
    /// ```
    pub REMOVED_OS_ATTRIBUTE = FixerSpec {
        code: "PY818",
        name: "removed-os-attribute",
        summary: "os.popen2/3/4, os.tmpnam, os.tempnam do not exist in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_removed_attribute(s, "os")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if let Some((name, advice)) = removed_attribute(checker, expr, "os") {
        let message = format!("`os.{name}` does not exist in Python 3: {advice}");
        checker.report(&REMOVED_OS_ATTRIBUTE, expr, message, None);
    }
}
