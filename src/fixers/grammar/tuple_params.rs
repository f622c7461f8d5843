//! PY009 tuple-params: `def f(a, (b, c)):` -> `def f(a, b_c):` + `(b, c) = b_c`.

use std::collections::HashSet;
use std::ops::Range;

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::statements::{fresh_name, Code};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Removes tuple parameters. In a `def`, each one becomes a plain parameter named after its
    /// elements (`(b, c)` -> `b_c`), unpacked as the first statement of the body (after the
    /// docstring; on the header line with `;` when the body is there). In a `lambda`, whose body
    /// cannot hold a statement, the elements are read by index: `lambda (a, b): a + b` ->
    /// `lambda a_b: a_b[0] + a_b[1]`. New names never clash with a name of the file.
    ///
    /// ## Why
    /// Tuple parameters were removed by PEP 3113: they are a syntax error in Python 3.
    ///
    /// ## Example
    /// ```python
    /// def area(name, (w, h)):
    ///     return w * h
    /// pairs.sort(key=lambda (k, v): v)
    /// ```
    /// becomes
    /// ```python
    /// def area(name, w_h):
    ///     (w, h) = w_h
    ///     return w * h
    /// pairs.sort(key=lambda k_v: k_v[1])
    /// ```
    pub TUPLE_PARAMS = FixerSpec {
        code: "PY009",
        name: "tuple-params",
        summary: "tuple parameters -> unpacking in the body",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

const MESSAGE: &str = "tuple parameter: Python 3 removed them (PEP 3113)";

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let code = &cx.code;
    let mut taken: Option<HashSet<String>> = None;
    let nl = crate::source::first_newline(cx.text);
    for (h, st) in code.statements.iter().enumerate() {
        let r = st.range.clone();
        if st.header
            && code.is_name(r.start, "def")
            && code.is_op(r.start + 2, "(")
            && code.balanced(&r)
        {
            let Some(close) = closing(code, r.start + 2) else {
                continue;
            };
            let tuples = tuple_parts(code, r.start + 3..close);
            if tuples.is_empty() {
                continue;
            }
            let taken = taken.get_or_insert_with(|| super::taken_names(code));
            let mut names = taken.clone();
            if let Some(d) = fix_def(code, h, &tuples, &mut names, nl) {
                out.push(d);
            }
        }
    }
    // Lambdas anywhere.
    for k in 0..code.sig.len() {
        if !code.is_name(k, "lambda") {
            continue;
        }
        let Some(colon) = lambda_colon(code, k) else {
            continue;
        };
        let tuples = tuple_parts(code, k + 1..colon);
        if tuples.is_empty() {
            continue;
        }
        let taken = taken.get_or_insert_with(|| super::taken_names(code));
        let mut names = taken.clone();
        out.push(fix_lambda(code, k, colon, &tuples, &mut names));
    }
}

/// The significant index of the bracket closing the one opened at `open`.
fn closing(code: &Code, open: usize) -> Option<usize> {
    let d = code.depth[open];
    (open + 1..code.sig.len()).find(|&k| code.depth[k] == d)
}

/// The parameters of `range` that are tuples: the range of their outer parenthesised group.
fn tuple_parts(code: &Code, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for part in code.split_commas(&range) {
        if part.is_empty() || !code.is_op(part.start, "(") {
            continue;
        }
        if let Some(close) = closing(code, part.start) {
            if close < part.end {
                out.push(part.start..close + 1);
            }
        }
    }
    out
}

/// The names of a tuple parameter, flattened, in order.
fn names_of(code: &Code, group: &Range<usize>) -> Vec<String> {
    group
        .clone()
        .filter(|&k| code.kind(k) == Some(TokenKind::Name))
        .map(|k| code.s(k).to_string())
        .collect()
}

fn fix_def(
    code: &Code,
    h: usize,
    tuples: &[Range<usize>],
    taken: &mut HashSet<String>,
    nl: &str,
) -> Option<Diagnostic> {
    let header = &code.statements[h];
    let span = code.span(&header.range);
    let Some(body) = code.statements.get(h + 1) else {
        return Some(finding(&TUPLE_PARAMS, MESSAGE, span, None));
    };
    let mut edits = Vec::new();
    let mut assigns = Vec::new();
    for group in tuples {
        let names = names_of(code, group);
        let g = code.span(group);
        if names.len() == 1 && !has_comma(code, group) {
            // `def f((x)):` is `def f(x):`.
            edits.push(Edit::replace(g.start, g.end, names[0].clone()));
            continue;
        }
        let name = fresh_name(&names.join("_"), taken);
        assigns.push(format!("{} = {name}", code.slice(group)));
        edits.push(Edit::replace(g.start, g.end, name));
    }
    if assigns.is_empty() {
        return Some(finding(&TUPLE_PARAMS, MESSAGE, span, Some(edits)));
    }
    let docstring = body
        .range
        .clone()
        .all(|k| code.kind(k) == Some(TokenKind::String));
    let after_doc = docstring && body.line_start;
    if after_doc {
        // After the docstring's line (its trailing comment included).
        let indent = code.line_indent(body.range.start);
        let at = match body.terminator {
            Some(t) if code.kind(t) == Some(TokenKind::Newline) => code.start(t),
            _ => code.end(body.range.end - 1),
        };
        let text: String = assigns.iter().map(|a| format!("{nl}{indent}{a}")).collect();
        edits.push(Edit::insert(at, text));
    } else if body.line_start {
        let indent = code.line_indent(body.range.start);
        let text: String = assigns.iter().map(|a| format!("{a}{nl}{indent}")).collect();
        edits.push(Edit::insert(code.start(body.range.start), text));
    } else {
        let text: String = assigns.iter().map(|a| format!("{a}; ")).collect();
        edits.push(Edit::insert(code.start(body.range.start), text));
    }
    Some(finding(&TUPLE_PARAMS, MESSAGE, span, Some(edits)))
}

/// The colon ending the parameters of the `lambda` at `k`.
fn lambda_colon(code: &Code, k: usize) -> Option<usize> {
    let d = code.depth[k];
    let mut nested = 0u32;
    for j in k + 1..code.sig.len() {
        if code.depth[j] < d || code.kind(j) == Some(TokenKind::Newline) {
            return None;
        }
        if code.depth[j] != d {
            continue;
        }
        if code.is_name(j, "lambda") {
            nested += 1;
        } else if code.is_op(j, ":") {
            if nested == 0 {
                return Some(j);
            }
            nested -= 1;
        }
    }
    None
}

/// The significant range of the body of a lambda whose colon is at `colon`.
fn lambda_body(code: &Code, colon: usize) -> Range<usize> {
    let d = code.depth[colon];
    let mut end = colon + 1;
    while end < code.sig.len() {
        let stop = code.depth[end] < d
            || code.kind(end) == Some(TokenKind::Newline)
            || (code.depth[end] == d
                && (matches!(code.s(end), "," | ";" | ":")
                    && code.kind(end) == Some(TokenKind::Op)
                    || code.is_name(end, "for")));
        if stop {
            break;
        }
        end += 1;
    }
    colon + 1..end
}

fn fix_lambda(
    code: &Code,
    k: usize,
    colon: usize,
    tuples: &[Range<usize>],
    taken: &mut HashSet<String>,
) -> Diagnostic {
    let span = code.start(k)..code.end(colon);
    let mut edits = Vec::new();
    // Each element name -> the expression that reads it.
    let mut index: Vec<(String, String)> = Vec::new();
    for group in tuples {
        let names = names_of(code, group);
        let g = code.span(group);
        // `lambda(x, y):` needs a space once the parenthesis is gone.
        let space = if g.start == code.end(k) { " " } else { "" };
        if names.len() == 1 && !has_comma(code, group) {
            // `lambda (x): x` is `lambda x: x`.
            edits.push(Edit::replace(
                g.start,
                g.end,
                format!("{space}{}", names[0]),
            ));
            continue;
        }
        let name = fresh_name(&names.join("_"), taken);
        // One counter per tuple level; parentheses around a single item are no level.
        let mut path: Vec<usize> = Vec::new();
        let mut levels: Vec<bool> = Vec::new();
        for j in group.clone() {
            if code.is_op(j, "(") {
                let tuple =
                    closing(code, j).is_some_and(|c| code.split_commas(&(j + 1..c)).len() > 1);
                levels.push(tuple);
                if tuple {
                    path.push(0);
                }
            } else if code.is_op(j, ")") {
                if levels.pop() == Some(true) {
                    path.pop();
                }
            } else if code.is_op(j, ",") {
                if let Some(p) = path.last_mut() {
                    *p += 1;
                }
            } else if code.kind(j) == Some(TokenKind::Name) {
                let subscripts: String = path.iter().map(|i| format!("[{i}]")).collect();
                index.push((code.s(j).to_string(), format!("{name}{subscripts}")));
            }
        }
        edits.push(Edit::replace(g.start, g.end, format!("{space}{name}")));
    }
    let body = lambda_body(code, colon);
    for j in body {
        if code.kind(j) != Some(TokenKind::Name) || (j > 0 && code.is_op(j - 1, ".")) {
            continue;
        }
        // A keyword argument `f(a=1)` is not a reference.
        if code.is_op(j + 1, "=") && code.depth[j] > code.depth[colon] {
            continue;
        }
        if let Some((_, expr)) = index.iter().find(|(n, _)| n == code.s(j)) {
            edits.push(Edit::replace(code.start(j), code.end(j), expr.clone()));
        }
    }
    finding(&TUPLE_PARAMS, MESSAGE, span, Some(edits))
}

/// `group` (a parenthesised range) has a comma inside at any level.
fn has_comma(code: &Code, group: &Range<usize>) -> bool {
    group.clone().any(|j| code.is_op(j, ","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::apply::apply_fixes;
    use crate::engine::Applicability;

    fn fix(text: &str) -> String {
        let tokens = crate::tokens::tokenize(text);
        let cx = TokenContext::new(text, &tokens);
        let mut out = Vec::new();
        check(&cx, &mut out);
        apply_fixes(text, &out, Applicability::Safe).text
    }

    #[test]
    fn lambdas() {
        assert_eq!(
            fix("lambda (x, y): x + x + f(x) + x\n"),
            "lambda x_y: x_y[0] + x_y[0] + f(x_y[0]) + x_y[0]\n"
        );
        assert_eq!(fix("lambda(x): x + 5\n"), "lambda x: x + 5\n");
        assert_eq!(
            fix("lambda(((x, y))): x + f(y)\n"),
            "lambda x_y: x_y[0] + f(x_y[1])\n"
        );
    }
}
