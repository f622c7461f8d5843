use rustpython_ast::{Expr, Ranged, UnaryOp};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{operand_text, COMPARISON};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Turns `d.has_key(k)` into `k in d`, and `not d.has_key(k)` into `k not in d`, adding
    /// parentheses where the surrounding expression needs them.
    ///
    /// ## Why
    /// Python 3 dictionaries have no `has_key` method.
    ///
    /// ## Example
    /// ```python
    /// if d.has_key(k) and not cache.has_key(k):
    ///     pass
    /// ```
    /// becomes
    /// ```python
    /// if k in d and k not in cache:
    ///     pass
    /// ```
    ///
    /// ## Limits
    /// Skipped when the module defines its own `has_key` function or method (the receiver may
    /// be one of its objects), and for calls with other than one plain argument.
    pub HAS_KEY = FixerSpec {
        code: "PY112",
        name: "has-key",
        summary: "d.has_key(k) -> k in d",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    if attr.attr.as_str() != "has_key" || checker.semantic().defines_function("has_key") {
        return;
    }
    let [key] = call.args.as_slice() else { return };
    if !call.keywords.is_empty() || matches!(key, Expr::Starred(_)) {
        return;
    }
    let text = checker.text;
    let key_text = operand_text(text, key, COMPARISON + 1);
    let container = operand_text(text, &attr.value, COMPARISON + 1);
    // `not d.has_key(k)` becomes `k not in d`, replacing the `not` too.
    let negation = match checker.parent() {
        Some(NodeRef::Expr(parent @ Expr::UnaryOp(u))) if matches!(u.op, UnaryOp::Not) => {
            Some(parent)
        }
        _ => None,
    };
    let (replaced, operator) = match negation {
        Some(parent) => (parent.range(), "not in"),
        None => (expr.range(), "in"),
    };
    let mut replacement = format!("{key_text} {operator} {container}");
    let context = if negation.is_some() {
        checker.ancestors().nth(1)
    } else {
        checker.parent()
    };
    if needs_parentheses(context, replacement.contains('\n')) {
        replacement = format!("({replacement})");
    }
    let fix = Fix::safe(vec![Edit::replace_range(replaced, replacement)]);
    let message = format!("`.has_key()` is gone in Python 3: use `{operator}`");
    checker.report(&HAS_KEY, expr, message, Some(fix));
}

/// Whether a comparison placed as a child of `parent` must be parenthesized.
fn needs_parentheses(parent: Option<NodeRef>, multiline: bool) -> bool {
    match parent {
        // A statement's expression: only a line break would need brackets.
        None | Some(NodeRef::Stmt(_)) => multiline,
        Some(NodeRef::Expr(e)) => match e {
            Expr::BoolOp(_)
            | Expr::IfExp(_)
            | Expr::Lambda(_)
            | Expr::NamedExpr(_)
            | Expr::Call(_)
            | Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Set(_)
            | Expr::Dict(_)
            | Expr::ListComp(_)
            | Expr::SetComp(_)
            | Expr::DictComp(_)
            | Expr::GeneratorExp(_)
            | Expr::FormattedValue(_)
            | Expr::Yield(_) => false,
            Expr::UnaryOp(u) => !matches!(u.op, UnaryOp::Not),
            Expr::Subscript(_) => true,
            _ => true,
        },
        Some(
            NodeRef::Keyword(_)
            | NodeRef::Comprehension(_)
            | NodeRef::WithItem(_)
            | NodeRef::Arguments(_)
            | NodeRef::MatchCase(_),
        ) => false,
        Some(NodeRef::ExceptHandler(_) | NodeRef::Pattern(_)) => true,
    }
}
