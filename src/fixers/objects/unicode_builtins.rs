use rustpython_ast::Expr;

use super::util::is_builtin_read;
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::util::in_isinstance_tuple;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the builtins `unicode` to `str` and `unichr` to `chr`.
    ///
    /// ## Why
    /// Python 3's `str` is the old `unicode`, and `chr` returns any code point.
    ///
    /// ## Example
    /// ```python
    /// text = unicode(value)
    /// sign = unichr(0x2713)
    /// ```
    /// becomes
    /// ```python
    /// text = str(value)
    /// sign = chr(0x2713)
    /// ```
    ///
    /// ## Limits
    /// Skipped when the old or the new name is bound in the module (a shim such as
    /// `unicode = str`, or a `try: unicode except NameError:` block that assigns it).
    pub UNICODE_BUILTINS = FixerSpec {
        code: "PY302",
        name: "unicode-builtins",
        summary: "unicode -> str, unichr -> chr",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("unicode") || s.mentions("unichr")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Name(name) = expr else { return };
    let (old, new) = match name.id.as_str() {
        "unicode" => ("unicode", "str"),
        "unichr" => ("unichr", "chr"),
        _ => return,
    };
    if !is_builtin_read(checker, expr, old) || !checker.semantic().is_builtin(new) {
        return;
    }
    let r = name.range;
    let fix = Fix::safe(vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        new,
    )])
    .cascading(in_isinstance_tuple(checker));
    let message = format!("`{old}` is `{new}` in Python 3");
    checker.report(&UNICODE_BUILTINS, expr, message, Some(fix));
}
