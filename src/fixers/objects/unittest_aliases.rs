use rustpython_ast::Expr;

use super::util::{mentions_renamed_attribute, rename_attribute};
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the deprecated `unittest.TestCase` aliases: `assertEquals` -> `assertEqual`,
    /// `assert_` -> `assertTrue`, `failUnlessRaises` -> `assertRaises`,
    /// `assertRegexpMatches` -> `assertRegex`, `assertItemsEqual` -> `assertCountEqual`
    /// (which 2to3 leaves) ... (the table is
    /// `fixers/objects/renames.toml`, section `unittest_aliases`).
    ///
    /// ## Why
    /// The aliases were deprecated in Python 3.2 and removed in Python 3.12; Python 2.7's
    /// `assertItemsEqual` has no Python 3 alias at all.
    ///
    /// ## Example
    /// ```python
    /// self.assertEquals(a, b)
    /// self.failUnless(ok)
    /// ```
    /// becomes
    /// ```python
    /// self.assertEqual(a, b)
    /// self.assertTrue(ok)
    /// ```
    ///
    /// ## Limits
    /// Like 2to3, any `x.assertEquals` is renamed, whatever `x` is; skipped when the module
    /// defines a method of the old name.
    pub UNITTEST_ALIASES = FixerSpec {
        code: "PY313",
        name: "unittest-aliases",
        summary: "assertEquals/failUnless/... -> assertEqual/assertTrue/...",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_renamed_attribute(s, "unittest_aliases")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    rename_attribute(checker, &UNITTEST_ALIASES, expr, "unittest_aliases");
}
