use rustpython_ast::{Expr, Ranged};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::lint::util::in_python2_branch;
use crate::fixers::util::in_isinstance_tuple;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the builtin `long` to `int` (2to3's `fix_long`).
    ///
    /// ## Why
    /// Python 3 merged `long` into `int`: `long(x)` is `int(x)`. In a type check
    /// `isinstance(x, (int, long))` the rename leaves a duplicate that `isinstance-duplicates`
    /// removes in the next round. Code that told `int` from `long` apart (serialisers,
    /// `type(x) is long`) lost that distinction with Python 3 itself: review those uses.
    /// Uses in a Python 2 only branch (`if six.PY2:`) are left alone.
    ///
    /// ## Example
    /// ```python
    /// if isinstance(n, (int, long)):
    ///     n = long(n)
    /// ```
    /// becomes
    /// ```python
    /// if isinstance(n, int):
    ///     n = int(n)
    /// ```
    pub LONG_BUILTIN = FixerSpec {
        code: "PY803",
        name: "long-builtin",
        summary: "long -> int (2to3 fix_long)",
        groups: &["2to3"],
        default_on: true,
        fixable: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("long")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if checker.reads_builtin(expr, "long") && !in_python2_branch(checker, expr) {
        if checker.six() {
            // `isinstance(x, long)` must still accept Python 2 longs; elsewhere (`long(x)`),
            // `int` gives a long on Python 2 when the value needs one.
            let isinstance = in_isinstance_tuple(checker) || in_isinstance_class(checker, expr);
            let fix = if isinstance {
                crate::fixers::six::six_replacement(checker, expr, "integer_types")
                    .map(|edits| Fix::safe(edits).cascading(true))
            } else {
                let r = expr.range();
                Some(Fix::safe(vec![Edit::replace_range(r, "int")]))
            };
            let message =
                "`long` does not exist in Python 3: `int` (`six.integer_types` in a type test)";
            checker.report(&LONG_BUILTIN, expr, message, fix);
            return;
        }
        let r = expr.range();
        let fix =
            Fix::safe(vec![Edit::replace_range(r, "int")]).cascading(in_isinstance_tuple(checker));
        checker.report(
            &LONG_BUILTIN,
            expr,
            "`long` does not exist in Python 3: it is `int`",
            Some(fix),
        );
    }
}

/// Whether `expr` is the class argument of `isinstance(x, expr)` or `issubclass(c, expr)`.
fn in_isinstance_class(checker: &Checker, expr: &Expr) -> bool {
    matches!(checker.parent(), Some(crate::engine::checker::NodeRef::Expr(Expr::Call(call)))
        if matches!(call.func.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "isinstance" | "issubclass"))
            && call.args.get(1).is_some_and(|a| std::ptr::eq(a, expr)))
}
