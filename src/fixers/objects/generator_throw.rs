use rustpython_ast::{Constant, Expr, Ranged};

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{has_starred_argument, is_none, operand_text, ATOM};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 forms of `generator.throw`: `g.throw(E, V)` -> `g.throw(E(V))`,
    /// `g.throw(E, (a, b))` -> `g.throw(E(a, b))`, `g.throw(E, V, tb)` ->
    /// `g.throw(E(V).with_traceback(tb))`.
    ///
    /// ## Why
    /// The value and traceback arguments are deprecated since Python 3.12; the exception
    /// instance carries them.
    ///
    /// ## Example
    /// ```python
    /// gen.throw(ValueError, "bad input")
    /// ```
    /// becomes
    /// ```python
    /// gen.throw(ValueError("bad input"))
    /// ```
    ///
    /// ## Limits
    /// A string exception (`g.throw("oops", V)`) is reported, not fixed. `g.throw(E, None)`
    /// becomes `g.throw(E())`. Skipped when the module defines its own `throw`.
    pub GENERATOR_THROW = FixerSpec {
        code: "PY305",
        name: "generator-throw",
        summary: "g.throw(E, V) -> g.throw(E(V))",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    if attr.attr.as_str() != "throw"
        || !call.keywords.is_empty()
        || has_starred_argument(call)
        || checker.semantic().defines_function("throw")
    {
        return;
    }
    let (exc, value, traceback) = match call.args.as_slice() {
        [exc, value] => (exc, value, None),
        // `--target six`: Python 2 has no `with_traceback`, and the three-argument form works
        // on both (deprecated since 3.12 only).
        [_, _, _] if checker.six() => return,
        [exc, value, tb] => (exc, value, Some(tb)),
        _ => return,
    };
    let text = checker.text;
    if matches!(exc, Expr::Constant(c) if matches!(c.value, Constant::Str(_))) {
        checker.report(
            &GENERATOR_THROW,
            expr,
            "Python 3 does not support string exceptions",
            None,
        );
        return;
    }
    let arguments = if is_none(value) {
        String::new()
    } else if let Expr::Tuple(tuple) = value {
        let source = checker.source(tuple);
        match source.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            Some(inner) => inner.to_string(),
            None => return,
        }
    } else {
        checker.source(value).to_string()
    };
    let mut new = format!("{}({arguments})", operand_text(text, exc, ATOM));
    if let Some(tb) = traceback {
        new.push_str(&format!(".with_traceback({})", checker.source(tb)));
    }
    let start = exc.range().start().to_usize();
    let end = traceback.unwrap_or(value).range().end().to_usize();
    let fix = Fix::safe(vec![Edit::replace(start, end, new)]);
    checker.report(
        &GENERATOR_THROW,
        expr,
        "`throw(type, value)` is deprecated: pass an exception instance",
        Some(fix),
    );
}
