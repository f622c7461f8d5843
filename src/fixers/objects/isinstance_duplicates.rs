use rustpython_ast::{Expr, Ranged};

use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Removes repeated names from the type tuple of `isinstance(x, (...))`, and the tuple
    /// itself when one name is left.
    ///
    /// ## Why
    /// Other fixers rename `unicode` and `basestring` to `str` and `long` to `int`:
    /// `isinstance(x, (str, unicode))` becomes `isinstance(x, (str, str))`.
    ///
    /// ## Example
    /// ```python
    /// isinstance(x, (int, int))
    /// isinstance(x, (str, str, bytes))
    /// ```
    /// becomes
    /// ```python
    /// isinstance(x, int)
    /// isinstance(x, (str, bytes))
    /// ```
    ///
    /// ## Limits
    /// Only plain names are compared. A tuple with comments inside is left alone.
    pub ISINSTANCE_DUPLICATES = FixerSpec {
        code: "PY304",
        name: "isinstance-duplicates",
        summary: "isinstance(x, (str, str)) -> isinstance(x, str)",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let is_isinstance = matches!(call.func.as_ref(), Expr::Name(n)
        if n.id.as_str() == "isinstance" || n.id.as_str() == "issubclass");
    if !is_isinstance || !call.keywords.is_empty() {
        return;
    }
    let Some(name) = (match call.func.as_ref() {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }) else {
        return;
    };
    if !checker.is_builtin(name) {
        return;
    }
    let [_, Expr::Tuple(tuple)] = call.args.as_slice() else {
        return;
    };
    let source = checker.source(tuple);
    if !source.starts_with('(') || source.contains('#') {
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut kept: Vec<&Expr> = Vec::new();
    for element in &tuple.elts {
        if let Expr::Name(n) = element {
            if seen.contains(&n.id.as_str()) {
                continue;
            }
            seen.push(n.id.as_str());
        }
        kept.push(element);
    }
    if kept.len() == tuple.elts.len() || kept.iter().any(|e| matches!(e, Expr::Starred(_))) {
        return;
    }
    let parts: Vec<&str> = kept.iter().map(|e| checker.source(*e)).collect();
    let new = match parts.as_slice() {
        [one] => (*one).to_string(),
        _ => format!("({})", parts.join(", ")),
    };
    let r = tuple.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, new)]);
    checker.report(
        &ISINSTANCE_DUPLICATES,
        tuple,
        format!("repeated type in the tuple of `{name}()`"),
        Some(fix),
    );
}
