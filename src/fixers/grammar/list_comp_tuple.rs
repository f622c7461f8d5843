//! PY013 list-comp-tuple: `[x for x in a, b]` -> `[x for x in (a, b)]`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};

crate::declare_fixer! {
    /// ## What it does
    /// Parenthesises the unparenthesised tuple that a Python 2 list comprehension may iterate
    /// over: `[x for x in a, b]` -> `[x for x in (a, b)]`.
    ///
    /// ## Why
    /// Python 3 requires the parentheses: the bare tuple is a syntax error.
    ///
    /// ## Example
    /// ```python
    /// funcs = [f() for f in load, save]
    /// ```
    /// becomes
    /// ```python
    /// funcs = [f() for f in (load, save)]
    /// ```
    pub LIST_COMP_TUPLE = FixerSpec {
        code: "PY013",
        name: "list-comp-tuple",
        summary: "[x for x in a, b] -> [x for x in (a, b)]",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let code = &cx.code;
    let n = code.sig.len();
    // From each `for` inside brackets (most are statement-level loops, at depth 0) back to the
    // bracket that holds it: every other bracket has no comprehension to look at.
    for k in 0..n {
        let inner = code.depth[k];
        if inner == 0 || !code.is_name(k, "for") {
            continue;
        }
        let Some(open) = (0..k).rev().find(|&j| code.depth[j] < inner) else {
            continue;
        };
        if !code.is_op(open, "[") {
            continue;
        }
        // `for TARGET in ITER`, ITER running to the next `for` or `if` of this comprehension.
        let Some(in_at) = (k + 1..n)
            .take_while(|&j| code.depth[j] >= inner)
            .find(|&j| code.depth[j] == inner && code.is_name(j, "in"))
        else {
            continue;
        };
        let start = in_at + 1;
        let mut end = start;
        while end < n
            && code.depth[end] >= inner
            && !(code.depth[end] == inner && (code.is_name(end, "for") || code.is_name(end, "if")))
        {
            end += 1;
        }
        let iter = start..end;
        if !iter.is_empty() && code.split_commas(&iter).len() > 1 {
            let span = code.span(&iter);
            out.push(finding(
                &LIST_COMP_TUPLE,
                "list comprehension over a bare tuple: parenthesise it",
                span.clone(),
                Some(vec![
                    Edit::insert(span.start, "("),
                    Edit::insert(span.end, ")"),
                ]),
            ));
        }
    }
}
