use rustpython_ast::{Constant, Expr, Operator, Ranged, Stmt};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::objects::util::{assigned_values, only_assigned_value, Target};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports `a / b` where both operands are known to be integers: integer
    /// literals, `len(...)`, `int(...)`, `sum()` of integers (`sum(map(int, xs))`), names the
    /// module binds once to such a value, or such operands combined with `+ - * // %`, and
    /// writes `//`. A module with `from __future__ import division` already divides the
    /// Python 3 way and is left alone.
    ///
    /// ## Why
    /// In Python 2, `/` between integers floors: `7 / 2 == 3`. In Python 3 it is true division:
    /// `3.5`. Indexes, page counts and sizes computed that way become floats, and a float index
    /// raises `TypeError`. With both operands certainly integers, `//` is what Python 2 computed,
    /// so the fix is safe on Python 2 code. (On code already written for Python 3,
    /// `len(a) / len(b)` may mean true division: ignore the rule for such files.)
    /// `x /= 3` becomes `x //= 3` when every other binding of `x` is such an integer.
    /// Operands whose type is unknown (`a / b` with parameters) are not reported:
    /// most are floats, and reporting them all would drown the real ones.
    ///
    /// ## Example
    /// ```python
    /// middle = len(items) / 2
    /// ```
    /// becomes
    /// ```python
    /// middle = len(items) // 2
    /// ```
    pub OLD_DIVISION = FixerSpec {
        code: "PY417",
        name: "old-division",
        summary: "int / int floors in Python 2, not in Python 3: // where both are certainly ints",
        groups: &["semantics"],
        default_on: true,
        fixable: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_statement), expr: Some(check), expr_kinds: expr_kinds::OTHER, expr_relevant: None }),
    }
}

fn check_statement(stmt: &Stmt, checker: &mut Checker) {
    // `x /= 3` where every other binding of `x` is an integer.
    let Stmt::AugAssign(aug) = stmt else { return };
    if !matches!(aug.op, Operator::Div) || checker.semantic().has_future("division") {
        return;
    }
    let Expr::Name(target) = aug.target.as_ref() else {
        return;
    };
    let suite = checker.module();
    let values = assigned_values(suite, Target::Name(target.id.as_str()));
    let bindings = checker.semantic().bindings(target.id.as_str());
    let others_int = !values.is_empty()
        && u32::try_from(values.len() + 1).ok() == Some(bindings)
        && values.iter().all(|v| is_int(v, checker, 1));
    if !others_int || !is_int(&aug.value, checker, 0) {
        return;
    }
    let (l, r) = (
        aug.target.range().end().to_usize(),
        aug.value.range().start().to_usize(),
    );
    let Some(slash) = checker.text.get(l..r).and_then(|gap| gap.find("/=")) else {
        return;
    };
    let at = l + slash;
    let fix = Fix::safe(vec![Edit::replace(at, at + 2, "//=")]);
    let message = "`/=` between integers floors in Python 2 and is true division in Python 3: `//=` keeps the floor";
    checker.report(&OLD_DIVISION, stmt, message, Some(fix));
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::BinOp(op) = expr else { return };
    if !matches!(op.op, Operator::Div) || checker.semantic().has_future("division") {
        return;
    }
    if !(is_int(&op.left, checker, 0) && is_int(&op.right, checker, 0)) {
        return;
    }
    let (l, r) = (
        op.left.range().end().to_usize(),
        op.right.range().start().to_usize(),
    );
    let Some(slash) = checker.text.get(l..r).and_then(|gap| gap.find('/')) else {
        return;
    };
    let at = l + slash;
    let fix = Fix::safe(vec![Edit::replace(at, at + 1, "//")]);
    let message = "`/` between integers floors in Python 2 and is true division in Python 3: `//` keeps the floor";
    checker.report(&OLD_DIVISION, expr, message, Some(fix));
}

/// `expr` is an integer: an int literal, `len(...)`, `int(...)` (builtins), or integers
/// combined with `+ - * // %` or unary `-`.
fn is_int(expr: &Expr, checker: &Checker, depth: u32) -> bool {
    if depth > 8 {
        return false;
    }
    match expr {
        Expr::Constant(c) => matches!(c.value, Constant::Int(_)),
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(n) if checker.is_builtin(n.id.as_str()) => match n.id.as_str() {
                "len" | "int" => true,
                // The sum of integers: `sum(map(int, xs))`, `sum([int(x) for x in xs])` ...
                "sum" => {
                    matches!(call.args.as_slice(), [seq] if int_items(seq, checker, depth + 1))
                }
                _ => false,
            },
            _ => false,
        },
        Expr::UnaryOp(u) => is_int(&u.operand, checker, depth + 1),
        Expr::BinOp(b) => {
            // `/` between integers counts too: this rule makes it `//` in the same run.
            matches!(
                b.op,
                Operator::Add
                    | Operator::Sub
                    | Operator::Mult
                    | Operator::FloorDiv
                    | Operator::Mod
                    | Operator::Div
            ) && is_int(&b.left, checker, depth + 1)
                && is_int(&b.right, checker, depth + 1)
        }
        // A name the module binds once, to an integer (`a, b = 7, 2`).
        Expr::Name(n) => only_assigned_value(checker, Target::Name(n.id.as_str()))
            .is_some_and(|value| is_int(value, checker, depth + 1)),
        _ => false,
    }
}

/// Whether `seq` yields only integers: `map(int, ...)`, `range(...)`, a list or tuple of
/// integers, a list comprehension or generator of integers, or a name bound once to one.
fn int_items(seq: &Expr, checker: &Checker, depth: u32) -> bool {
    if depth > 8 {
        return false;
    }
    match seq {
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(n) if checker.is_builtin(n.id.as_str()) => {
                match (n.id.as_str(), call.args.as_slice()) {
                    ("map", [Expr::Name(f), _]) => {
                        matches!(f.id.as_str(), "int" | "len") && checker.is_builtin(f.id.as_str())
                    }
                    ("range" | "xrange", _) => true,
                    ("list" | "tuple" | "sorted", [inner]) => int_items(inner, checker, depth + 1),
                    _ => false,
                }
            }
            _ => false,
        },
        Expr::List(l) => l.elts.iter().all(|e| is_int(e, checker, depth + 1)),
        Expr::Tuple(t) => t.elts.iter().all(|e| is_int(e, checker, depth + 1)),
        Expr::ListComp(c) => is_int(&c.elt, checker, depth + 1),
        Expr::GeneratorExp(g) => is_int(&g.elt, checker, depth + 1),
        Expr::Name(n) => only_assigned_value(checker, Target::Name(n.id.as_str()))
            .is_some_and(|value| int_items(value, checker, depth + 1)),
        _ => false,
    }
}
