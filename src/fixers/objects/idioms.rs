use rustpython_ast::{CmpOp, Constant, Expr, ExprCall, Ranged, Stmt};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::semantics::util::next_line_start;
use crate::fixers::util::operand_text;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's optional `fix_idioms`, off by default here too (group `2to3-optional`):
    /// - `type(x) == T` and `type(x) is T` -> `isinstance(x, T)`; `!=` and `is not` ->
    ///   `not isinstance(x, T)` (either side may be the `type()` call);
    /// - `while 1:` -> `while True:`;
    /// - `v = list(EXPR)` or `v = EXPR` followed by `v.sort()` -> `v = sorted(EXPR)`, the
    ///   `sort()` line removed.
    ///
    /// ## Why
    /// These are the modern spellings; `v = d.keys(); v.sort()` in particular breaks on
    /// Python 3, where `keys()` is a view without `sort()`. They are opt-in because
    /// `isinstance` also accepts subclasses, which `type(x) == T` did not.
    ///
    /// ## Limits (where it is more careful than 2to3)
    /// Every `sort()` pair of a block is fixed (2to3 fixes only the first one); a pair is left
    /// alone when the two statements share a line or the `sort()` line has a comment (it would
    /// be lost). `type` or `isinstance` rebound in the module: left alone.
    ///
    /// ## Example
    /// ```python
    /// if type(x) == int:
    ///     names = d.keys()
    ///     names.sort()
    /// ```
    /// becomes
    /// ```python
    /// if isinstance(x, int):
    ///     names = sorted(d.keys())
    /// ```
    pub IDIOMS = FixerSpec {
        code: "PY328",
        name: "idioms",
        summary: "type(x) == T -> isinstance(x, T), while 1 -> while True, v.sort() -> sorted() (2to3 fix_idioms, opt-in)",
        groups: &["2to3-optional", "objects"],
        default_on: false,
        kind: FixerKind::Ast(AstHooks {
            stmt: Some(check_stmt),
            expr: Some(check_compare),
            expr_kinds: expr_kinds::OTHER,
            expr_relevant: None,
        }),
    }
}

/// Precedence an expression needs to be a call argument without parentheses (a lambda is).
const ARGUMENT: u8 = 1;

/// `x` when `expr` is a call `type(x)` of the builtin with one plain argument.
fn type_call_argument<'e>(checker: &Checker, expr: &'e Expr) -> Option<&'e Expr> {
    let Expr::Call(ExprCall {
        func,
        args,
        keywords,
        ..
    }) = expr
    else {
        return None;
    };
    let is_type = matches!(func.as_ref(), Expr::Name(n) if n.id.as_str() == "type");
    let [arg] = args.as_slice() else { return None };
    if !is_type
        || !keywords.is_empty()
        || matches!(arg, Expr::Starred(_) | Expr::GeneratorExp(_))
        || !checker.is_builtin("type")
    {
        return None;
    }
    Some(arg)
}

fn check_compare(expr: &Expr, checker: &mut Checker) {
    let Expr::Compare(compare) = expr else { return };
    let ([op], [right]) = (compare.ops.as_slice(), compare.comparators.as_slice()) else {
        return;
    };
    let negated = match op {
        CmpOp::Eq | CmpOp::Is => false,
        CmpOp::NotEq | CmpOp::IsNot => true,
        _ => return,
    };
    let left = compare.left.as_ref();
    let (subject, class) = match (
        type_call_argument(checker, left),
        type_call_argument(checker, right),
    ) {
        (Some(x), _) => (x, right),
        (None, Some(x)) => (x, left),
        (None, None) => return,
    };
    if !checker.is_builtin("isinstance") || checker.source(expr).contains('#') {
        return;
    }
    let text = checker.text;
    let call = format!(
        "isinstance({}, {})",
        operand_text(text, subject, ARGUMENT),
        operand_text(text, class, ARGUMENT)
    );
    let replacement = if negated { format!("not {call}") } else { call };
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, replacement)]);
    checker.report(
        &IDIOMS,
        expr,
        "isinstance() is the idiomatic type test (it also accepts subclasses)",
        Some(fix),
    );
}

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    match stmt {
        Stmt::While(w) => {
            let is_one = matches!(
                w.test.as_ref(),
                Expr::Constant(c) if matches!(c.value, Constant::Int(_))
            );
            if is_one && checker.source(w.test.as_ref()) == "1" {
                let r = w.test.range();
                let fix = Fix::safe(vec![Edit::replace_range(r, "True")]);
                checker.report(&IDIOMS, w.test.as_ref(), "while True: says it", Some(fix));
            }
        }
        Stmt::Expr(e) => check_sort(stmt, e.value.as_ref(), checker),
        _ => {}
    }
}

/// `v.sort()` right after `v = EXPR`, each alone on its line(s).
fn check_sort(stmt: &Stmt, value: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = value else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    let Expr::Name(receiver) = attr.value.as_ref() else {
        return;
    };
    if attr.attr.as_str() != "sort" || !call.args.is_empty() || !call.keywords.is_empty() {
        return;
    }
    let Some(block) = checker.enclosing_block(stmt) else {
        return;
    };
    let Some(position) = block.iter().position(|s| std::ptr::eq(s, stmt)) else {
        return;
    };
    let Some(Stmt::Assign(assign)) = position.checked_sub(1).and_then(|p| block.get(p)) else {
        return;
    };
    let [Expr::Name(target)] = assign.targets.as_slice() else {
        return;
    };
    if target.id != receiver.id {
        return;
    }
    let text = checker.text;
    let (assign_end, sort_start, sort_end) = (
        assign.range.end().to_usize(),
        stmt.range().start().to_usize(),
        stmt.range().end().to_usize(),
    );
    // Between the two statements: the end of the assignment's line (a comment at most), then
    // only blank or comment lines, then the sort() line's indentation.
    let between = text.get(assign_end..sort_start).unwrap_or(";");
    let Some(newline) = between.find('\n') else {
        return;
    };
    let (tail, rest) = between.split_at(newline);
    let only_comment = |line: &str| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    };
    let sort_line_start = assign_end + newline + 1 + rest.rfind('\n').unwrap_or(0);
    let line_end = next_line_start(text, sort_end);
    let after_sort = text.get(sort_end..line_end).unwrap_or(";");
    if !only_comment(tail) || !rest.lines().all(only_comment) || !after_sort.trim().is_empty() {
        return;
    }
    let mut edits = Vec::new();
    match assign.value.as_ref() {
        Expr::Call(list_call)
            if matches!(list_call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "list")
                && list_call.args.len() == 1
                && list_call.keywords.is_empty()
                && !matches!(list_call.args[0], Expr::Starred(_))
                && checker.is_builtin("list") =>
        {
            let f = list_call.func.range();
            edits.push(Edit::replace_range(f, "sorted"));
        }
        other => {
            let r = other.range();
            edits.push(Edit::replace_range(
                r,
                format!("sorted({})", operand_text(text, other, ARGUMENT)),
            ));
        }
    }
    if !checker.is_builtin("sorted") {
        return;
    }
    edits.push(Edit::delete(sort_line_start, line_end));
    checker.report(
        &IDIOMS,
        stmt,
        "sorted() builds the sorted list directly (and works on Python 3 views)",
        Some(Fix::safe(edits)),
    );
}
