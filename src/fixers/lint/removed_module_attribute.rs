use rustpython_ast::Expr;

use super::util::{mentions_removed_attribute, removed_attribute};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

/// The modules whose removed attributes this rule reports (`sys`, `os` and `types` have rules
/// of their own).
const MODULES: &[&str] = &["HTMLParser", "html.parser"];

declare_fixer! {
    /// ## What it does
    /// Reports attributes that Python 3 removed from standard modules other than `sys`, `os`
    /// and `types` (which have their own rules), and that no fixer rewrites:
    /// `HTMLParser.HTMLParseError` (also under its Python 3 name `html.parser`).
    /// (`contextlib.nested` and `os.path.walk` are fixers' of their own.)
    ///
    /// ## Why
    /// Reading the attribute raises `AttributeError` in Python 3, often only when an exception
    /// is being handled (`except HTMLParser.HTMLParseError:`), far from the cause.
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     parser.feed(page)
    /// except HTMLParser.HTMLParseError:
    ///     pass
    /// ```
    /// Python 3.5 and later never raise `HTMLParseError`: catch what the caller can raise.
    ///
    /// ## Limits
    /// Report only. The table is `fixers/lint/removed_attributes.tsv`.
    pub REMOVED_MODULE_ATTRIBUTE = FixerSpec {
        code: "PY820",
        name: "removed-module-attribute",
        summary: "HTMLParser.HTMLParseError and other removed module attributes (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| MODULES.iter().any(|m| mentions_removed_attribute(s, m))) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    for module in MODULES {
        if let Some((name, advice)) = removed_attribute(checker, expr, module) {
            let message = format!("`{module}.{name}` does not exist in Python 3: {advice}");
            checker.report(&REMOVED_MODULE_ATTRIBUTE, expr, message, None);
            return;
        }
    }
}
