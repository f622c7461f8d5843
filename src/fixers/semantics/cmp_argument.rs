use rustpython_ast::{Expr, ExprCall, Ranged};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::importer::ImportNeed;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::called_name;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Turns the comparison function of `sorted(x, cmp=f)` and `x.sort(cmp=f)` (or given by
    /// position: `sorted(x, f)`, `x.sort(f)`) into `key=functools.cmp_to_key(f)`, adding
    /// `import functools` when the module lacks it.
    ///
    /// ## Why
    /// Python 3's `sorted()` and `list.sort()` take no `cmp` argument: the call raises
    /// `TypeError`.
    ///
    /// ## Example
    /// ```python
    /// items.sort(cmp=by_date)
    /// ```
    /// becomes
    /// ```python
    /// import functools
    /// items.sort(key=functools.cmp_to_key(by_date))
    /// ```
    ///
    /// ## Limits
    /// A call with both a comparison function and `key=` is reported without a fix (the key
    /// applies first: combine them by hand). `.sort()` is skipped when the module defines its
    /// own `sort` method; `sorted` when it is rebound.
    pub CMP_ARGUMENT = FixerSpec {
        code: "PY402",
        name: "cmp-argument",
        summary: "sorted(x, cmp=f) -> sorted(x, key=functools.cmp_to_key(f))",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    // The position a comparison function takes when given positionally.
    let position = if called_name(call) == Some("sorted") {
        if !checker.is_builtin("sorted") {
            return;
        }
        1
    } else {
        match call.func.as_ref() {
            Expr::Attribute(a)
                if a.attr.as_str() == "sort" && !checker.semantic().defines_function("sort") =>
            {
                0
            }
            _ => return,
        }
    };
    let Some((range, function)) = comparison_function(checker.text, call, position) else {
        return;
    };
    let has_key = call
        .keywords
        .iter()
        .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "key"))
        || call.args.len() > position + 1;
    if has_key {
        checker.report(
            &CMP_ARGUMENT,
            expr,
            "`cmp=` is gone in Python 3 and this call also has a key: combine them by hand",
            None,
        );
        return;
    }
    // `functools` must name the module where the call is (not a local `functools = None`).
    let Some(need) = checker.importer().module("functools") else {
        checker.report(
            &CMP_ARGUMENT,
            expr,
            "`cmp=` is gone in Python 3: use `key=functools.cmp_to_key(...)` (`functools` names something else here)",
            None,
        );
        return;
    };
    let function = checker.source(function).to_string();
    let mut edits = vec![Edit::replace(
        range.0,
        range.1,
        format!("key=functools.cmp_to_key({function})"),
    )];
    if let ImportNeed::Add(import) = need {
        edits.push(import);
    }
    checker.report(
        &CMP_ARGUMENT,
        expr,
        "`cmp=` is gone in Python 3: use `key=functools.cmp_to_key(...)`",
        Some(Fix::safe(edits)),
    );
}

/// The byte range of the comparison argument (`cmp=f` or positional `f`) and `f`.
fn comparison_function<'c>(
    text: &str,
    call: &'c ExprCall,
    position: usize,
) -> Option<((usize, usize), &'c Expr)> {
    if let Some(k) = call
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "cmp"))
    {
        let r = k.range();
        return Some(((r.start().to_usize(), r.end().to_usize()), &k.value));
    }
    let arg = call.args.get(position)?;
    if matches!(arg, Expr::Starred(_)) || call.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
        return None;
    }
    let r = arg.range();
    let (mut start, mut end) = (r.start().to_usize(), r.end().to_usize());
    // `xs.sort((lambda a, b: ...))`: the argument's own parentheses go with it.
    let call_paren = call.func.range().end().to_usize();
    loop {
        let before = text.get(..start)?.trim_end();
        let after = text.get(end..)?.trim_start();
        if before.len() > call_paren + 1 && before.ends_with('(') && after.starts_with(')') {
            start = before.len() - 1;
            end = text.len() - after.len() + 1;
        } else {
            break;
        }
    }
    Some(((start, end), arg))
}
