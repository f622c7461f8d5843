use rustpython_ast::{Expr, ExprAttribute};

use super::util::{mentions_renamed_attribute, rename_attribute};
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::receiver_text;
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
    ///
    /// Under `--target six`, the three whose Python 3 name Python 2.7 lacks become six's
    /// helpers: `self.assertItemsEqual(a, b)` -> `six.assertCountEqual(self, a, b)`, and
    /// `six.assertRegex`, `six.assertRaisesRegex` (a use that is not a call is reported).
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
    if checker.six() {
        if let Expr::Attribute(attr) = expr {
            if let Some(helper) = six_helper(attr.attr.as_str()) {
                if !checker.semantic().defines_function(attr.attr.as_str()) {
                    six_call(expr, attr, helper, checker);
                }
                return;
            }
        }
    }
    rename_attribute(checker, &UNITTEST_ALIASES, expr, "unittest_aliases");
}

/// The six helper standing for a Python 2.7 method whose Python 3 name 2.7 lacks.
fn six_helper(old: &str) -> Option<&'static str> {
    match old {
        "assertItemsEqual" => Some("assertCountEqual"),
        "assertRegexpMatches" => Some("assertRegex"),
        "assertRaisesRegexp" => Some("assertRaisesRegex"),
        _ => None,
    }
}

/// `--target six`: `self.assertItemsEqual(a, b)` -> `six.assertCountEqual(self, a, b)` (Python
/// 2.7 has no `assertCountEqual`); reported without a fix when not called.
fn six_call(expr: &Expr, attr: &ExprAttribute, helper: &str, checker: &mut Checker) {
    let text = checker.text;
    let call = match checker.parent() {
        Some(NodeRef::Expr(Expr::Call(call))) if std::ptr::eq(call.func.as_ref(), expr) => {
            Some(call)
        }
        _ => None,
    };
    let mut edits = Vec::new();
    let new = call.and_then(|call| {
        let receiver = receiver_text(text, attr)?;
        let arguments = text
            .get(attr.range.end().to_usize()..call.range.end().to_usize())?
            .trim_start()
            .strip_prefix('(')?
            .strip_suffix(')')?;
        let helper = crate::fixers::six::six_attr(checker, helper, &mut edits)?;
        let layout = arguments.len() - arguments.trim_start().len();
        Some(if arguments.trim().is_empty() {
            format!("{helper}({receiver})")
        } else if arguments[..layout].contains('\n') {
            // The arguments start on the next line: so does the first of them still.
            format!("{helper}({receiver},{arguments})")
        } else {
            format!("{helper}({receiver}, {})", arguments.trim_start())
        })
    });
    let fix = call.zip(new).map(|(call, new)| {
        let r = call.range;
        edits.push(Edit::replace(r.start().to_usize(), r.end().to_usize(), new));
        Fix::safe(edits)
    });
    let old = attr.attr.as_str();
    let message = format!(
        "`.{old}` is `.{helper}` in Python 3, which Python 2.7 lacks: `six.{helper}(self, ...)` runs on both"
    );
    checker.report(&UNITTEST_ALIASES, expr, message, fix);
}
