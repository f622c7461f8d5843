use rustpython_ast::{Expr, Ranged};

use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::util::{called_name, operand_text, COMPARISON};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 builtin `cmp(a, b)` as `(a > b) - (a < b)`.
    ///
    /// ## Why
    /// Python 3 has no `cmp` builtin: the call raises `NameError`.
    ///
    /// ## Example
    /// ```python
    /// return cmp(self.dt, other.dt)
    /// ```
    /// becomes
    /// ```python
    /// return (self.dt > other.dt) - (self.dt < other.dt)
    /// ```
    ///
    /// ## Limits
    /// Skipped when `cmp` is bound anywhere in the module. Each operand is evaluated twice by
    /// the rewrite, so an operand that is not a plain name, attribute, constant or subscript of
    /// those (a call, say) gets a report without a fix.
    pub CMP_BUILTIN = FixerSpec {
        code: "PY403",
        name: "cmp-builtin",
        summary: "cmp(a, b) -> (a > b) - (a < b)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if called_name(call) != Some("cmp") || !checker.semantic().is_builtin("cmp") {
        return;
    }
    let [a, b] = call.args.as_slice() else { return };
    if !call.keywords.is_empty() {
        return;
    }
    if !is_pure(a) || !is_pure(b) {
        checker.report(
            &CMP_BUILTIN,
            expr,
            "`cmp()` is gone in Python 3: use `(a > b) - (a < b)` (operands evaluated twice)",
            None,
        );
        return;
    }
    let text = checker.text;
    let a = operand_text(text, a, COMPARISON + 1);
    let b = operand_text(text, b, COMPARISON + 1);
    let mut replacement = format!("({a} > {b}) - ({a} < {b})");
    let bare = match checker.parent() {
        None | Some(NodeRef::Stmt(_) | NodeRef::Keyword(_)) => true,
        Some(NodeRef::Expr(Expr::Call(c))) => c.args.iter().any(|x| std::ptr::eq(x, expr)),
        Some(NodeRef::Expr(Expr::List(_) | Expr::Tuple(_) | Expr::Set(_))) => true,
        _ => false,
    };
    if !bare {
        replacement = format!("({replacement})");
    }
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        replacement,
    )]);
    checker.report(&CMP_BUILTIN, expr, "`cmp()` is gone in Python 3", Some(fix));
}

/// Whether evaluating `expr` twice is harmless: names, constants, attributes and subscripts
/// of those (a property or `__getitem__` with side effects is not modelled).
fn is_pure(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) | Expr::Constant(_) => true,
        Expr::Attribute(a) => is_pure(&a.value),
        Expr::Subscript(s) => is_pure(&s.value) && is_pure(&s.slice),
        Expr::UnaryOp(u) => is_pure(&u.operand),
        Expr::Tuple(t) => t.elts.iter().all(is_pure),
        _ => false,
    }
}
