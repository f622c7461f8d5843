//! PY553 six-branches: `if six.PY2:` / `x if six.PY3 else y` -> the Python 3 side only.

use rustpython_ast::{Expr, Ranged, Stmt, UnaryOp};

use super::{is_six_attr, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::imports::util::statement_indent;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Under the `py3` target, keeps only the Python 3 side of a `six.PY2` / `six.PY3` test:
    /// an `if` statement becomes the statements of the branch Python 3 runs (dedented), an
    /// `a if six.PY2 else b` expression becomes `b`.
    ///
    /// ## Why
    /// Once Python 2 is gone the other branch is dead code, and it keeps `six` imported.
    ///
    /// ## Example
    /// ```python
    /// if six.PY2:
    ///     text = data
    /// else:
    ///     text = data.decode("utf-8")
    /// ```
    /// becomes
    /// ```python
    /// text = data.decode("utf-8")
    /// ```
    ///
    /// ## Limits
    /// Tests combined with other conditions (`six.PY2 and x`) and `elif` chains are reported,
    /// not fixed; so is a branch holding a multi-line string whose lines would be dedented.
    /// Does nothing under `--target six`.
    pub SIX_BRANCHES = FixerSpec {
        code: "PY553",
        name: "six-branches",
        summary: "if six.PY2/PY3 branches -> the Python 3 side",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_stmt), expr: Some(check_expr), expr_kinds: expr_kinds::OTHER, expr_relevant: Some(|s| s.mentions("six")) }),
    }
}

/// What Python 3 makes of the test: `Some(true)` for `six.PY3` / `not six.PY2`.
fn python3_value(checker: &Checker, test: &Expr) -> Option<bool> {
    if is_six_attr(checker, test, "PY3") {
        return Some(true);
    }
    if is_six_attr(checker, test, "PY2") {
        return Some(false);
    }
    match test {
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::Not) => {
            python3_value(checker, &u.operand).map(|v| !v)
        }
        _ => None,
    }
}

fn check_expr(expr: &Expr, checker: &mut Checker) {
    if checker.six() {
        return;
    }
    let Expr::IfExp(e) = expr else { return };
    let Some(value) = python3_value(checker, &e.test) else {
        return;
    };
    let kept = if value { &e.body } else { &e.orelse };
    let r = expr.range();
    let fix =
        Fix::safe(vec![Edit::replace_range(r, checker.source(kept.as_ref()))]).cascading(true);
    checker.report(
        &SIX_BRANCHES,
        expr,
        "a `six` version test in Python 3 code",
        Some(fix),
    );
}

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    if checker.six() {
        return;
    }
    let Stmt::If(i) = stmt else { return };
    let Some(value) = python3_value(checker, &i.test) else {
        return;
    };
    let kept: &[Stmt] = if value { &i.body } else { &i.orelse };
    let fix = if kept.is_empty() {
        Some(checker.remove_statement(stmt))
    } else {
        dedented(checker, stmt, kept)
    };
    let fix = fix.map(|e| Fix::safe(vec![e]).cascading(true));
    checker.report(
        &SIX_BRANCHES,
        stmt,
        "a `six` version test in Python 3 code",
        fix,
    );
}

/// The edit replacing the `if` statement `stmt` with the statements `kept` of one of its
/// branches, moved to the statement's own indentation.
fn dedented(checker: &Checker, stmt: &Stmt, kept: &[Stmt]) -> Option<Edit> {
    let text = checker.text;
    let outer = statement_indent(text, stmt)?;
    let first = kept.first()?;
    let inner = statement_indent(text, first)?;
    if !inner.starts_with(outer) || inner.len() == outer.len() {
        return None;
    }
    // `elif`: the else branch is another `if` written on the `elif` line.
    if text
        .get(first.range().start().to_usize()..)?
        .starts_with("elif")
    {
        return None;
    }
    let start = first.range().start().to_usize();
    let end = kept.last()?.range().end().to_usize();
    let block = text.get(start..end)?;
    let mut out = String::with_capacity(block.len());
    for (n, line) in block.split_inclusive('\n').enumerate() {
        if n == 0 {
            out.push_str(line);
        } else if line.trim().is_empty() {
            out.push_str(line.trim_start_matches([' ', '\t']));
        } else {
            // A line not indented as the block (a multi-line string): give up.
            out.push_str(outer);
            out.push_str(line.strip_prefix(inner)?);
        }
    }
    let r = stmt.range();
    Some(Edit::replace_range(r, out))
}
