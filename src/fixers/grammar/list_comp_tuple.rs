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
    for open in 0..n {
        if !code.is_op(open, "[") {
            continue;
        }
        let inner = code.depth[open].saturating_add(1);
        let mut k = open + 1;
        let mut in_for = false;
        while k < n && code.depth[k] >= inner {
            if code.depth[k] == inner {
                if code.is_name(k, "for") {
                    in_for = true;
                } else if in_for && code.is_name(k, "in") {
                    in_for = false;
                    let start = k + 1;
                    let mut end = start;
                    while end < n
                        && code.depth[end] >= inner
                        && !(code.depth[end] == inner
                            && (code.is_name(end, "for") || code.is_name(end, "if")))
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
                    k = end;
                    continue;
                }
            }
            k += 1;
        }
    }
}
