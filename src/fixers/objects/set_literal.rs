use rustpython_ast::{Expr, Ranged};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Writes `set([1, 2])` and `set((1, 2))` as the set display `{1, 2}`, and
    /// `set([x for x in y])` as the set comprehension `{x for x in y}` (2to3's optional
    /// `fix_set_literal`; off by default here too, in the group `2to3-optional`).
    ///
    /// ## Why
    /// Set displays exist since Python 2.7 and 3.0: shorter, and no list built and thrown
    /// away. Only a style change, hence opt-in. An empty list is left alone (`{}` is a dict),
    /// as is `set` rebound in the module.
    ///
    /// ## Example
    /// ```python
    /// vowels = set(['a', 'e', 'i'])
    /// ```
    /// becomes
    /// ```python
    /// vowels = {'a', 'e', 'i'}
    /// ```
    pub SET_LITERAL = FixerSpec {
        code: "PY327",
        name: "set-literal",
        summary: "set([1, 2]) -> {1, 2} (2to3 fix_set_literal, opt-in)",
        groups: &["2to3-optional", "objects"],
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let is_set = matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "set");
    if !is_set || !call.keywords.is_empty() || !checker.is_builtin("set") {
        return;
    }
    let [arg] = call.args.as_slice() else { return };
    let (open, close) = match arg {
        Expr::List(l) if !l.elts.is_empty() => ('[', ']'),
        Expr::Tuple(t) if !t.elts.is_empty() => ('(', ')'),
        Expr::ListComp(_) => ('[', ']'),
        _ => return,
    };
    let source = checker.source(arg);
    let (Some(inner), true) = (
        source
            .strip_prefix(open)
            .and_then(|s| s.strip_suffix(close)),
        !source.contains('#'),
    ) else {
        return;
    };
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, format!("{{{inner}}}"))]);
    checker.report(
        &SET_LITERAL,
        expr,
        "a set display says this directly",
        Some(fix),
    );
}
