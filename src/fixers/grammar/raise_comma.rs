//! PY004 raise-comma: `raise E, V` -> `raise E(V)`, `raise E, V, T` -> `raise E(V).with_traceback(T)`.

use std::ops::Range;

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::statements::{is_keyword, Code};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 forms of `raise` that take the exception value (and traceback) after
    /// commas: `raise E, V` -> `raise E(V)` (a parenthesised tuple `V` gives its elements as the
    /// arguments), `raise E, V, T` -> `raise E(V).with_traceback(T)`, `raise E, None, T` ->
    /// `raise E.with_traceback(T)`. `raise E, None` raised `E` with no arguments (and an instance
    /// as it was): it becomes `raise E`; `raise E, E(...)` raised that instance: `raise E(...)`.
    /// A tuple of classes `raise (E1, E2), V` raises its first class,
    /// as Python 2 did. String exceptions (`raise "oops"`) are reported without a fix.
    ///
    /// ## Why
    /// Python 3 only accepts `raise exception` (and `raise exception from cause`).
    ///
    /// ## Example
    /// ```python
    /// raise ValueError, "bad value"
    /// raise KeyError, (key, 1), tb
    /// ```
    /// becomes
    /// ```python
    /// raise ValueError("bad value")
    /// raise KeyError(key, 1).with_traceback(tb)
    /// ```
    pub RAISE_COMMA = FixerSpec {
        code: "PY004",
        name: "raise-comma",
        summary: "raise E, V -> raise E(V)",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let code = &cx.code;
    for st in &code.statements {
        let r = st.range.clone();
        if st.header || !code.is_name(r.start, "raise") || r.len() < 2 || !code.balanced(&r) {
            continue;
        }
        let parts = code.split_commas(&(r.start + 1..r.end));
        let span = code.span(&r);
        let exc = &parts[0];
        if !exc.is_empty() && (exc.clone()).all(|k| code.kind(k) == Some(TokenKind::String)) {
            out.push(finding(
                &RAISE_COMMA,
                "string exceptions do not exist in Python 3: raise an exception instance",
                span,
                None,
            ));
            continue;
        }
        if parts.len() < 2 {
            continue;
        }
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            out.push(finding(
                &RAISE_COMMA,
                "`raise E, V`: use `raise E(V)`",
                span,
                None,
            ));
            continue;
        }
        let exc = first_of_tuple(code, exc.clone());
        let exc_text = if is_primary(code, &exc) {
            code.slice(&exc).to_string()
        } else {
            format!("({})", code.slice(&exc))
        };
        let val = &parts[1];
        let args = if code.is_group(val, "(") {
            code.slice(&(val.start + 1..val.end - 1))
        } else {
            code.slice(val)
        };
        let value_is_none = val.len() == 1 && code.is_name(val.start, "None");
        // `raise E, E(...)`: Python 2 raised the instance itself.
        let value_is_instance = val.len() > exc.len()
            && code.slice(&(val.start..val.start + exc.len())) == code.slice(&exc)
            && code.is_group(&(val.start + exc.len()..val.end), "(");
        if let (Some(tb), true) = (parts.get(2), cx.target == crate::engine::spec::Target::Six) {
            // Python 2 has no `with_traceback`: `six.reraise` raises with the traceback on both
            // (`import six` comes from six-future-imports, which adds it to a file reading `six`).
            let value = if value_is_none {
                "None".to_string()
            } else {
                format!("{exc_text}({args})")
            };
            let new = format!("six.reraise({exc_text}, {value}, {})", code.slice(tb));
            let edit = Edit::replace(code.start(r.start), code.end(r.end - 1), new);
            out.push(finding(
                &RAISE_COMMA,
                "`raise E, V, T`: use `six.reraise(E, E(V), T)`",
                span,
                Some(vec![edit]),
            ));
            continue;
        }
        let new = match parts.get(2) {
            None if value_is_none => exc_text.clone(),
            None if value_is_instance => code.slice(val).to_string(),
            Some(tb) if value_is_none => {
                format!("{exc_text}.with_traceback({})", code.slice(tb))
            }
            Some(tb) => format!("{exc_text}({args}).with_traceback({})", code.slice(tb)),
            None => format!("{exc_text}({args})"),
        };
        let edit = Edit::replace(code.start(r.start + 1), code.end(r.end - 1), new);
        out.push(finding(
            &RAISE_COMMA,
            "`raise E, V`: use `raise E(V)`",
            span,
            Some(vec![edit]),
        ));
    }
}

/// Python 2 raised the first class of a tuple (recursively): `((E1, E2), E3)` -> `E1`.
fn first_of_tuple(code: &Code, mut exc: Range<usize>) -> Range<usize> {
    while code.is_group(&exc, "(") {
        let inner = exc.start + 1..exc.end - 1;
        let parts = code.split_commas(&inner);
        if parts.len() < 2 || parts[0].is_empty() {
            break;
        }
        exc = parts[0].clone();
    }
    exc
}

/// `range` is a primary expression (names, attributes, calls, subscripts), safe before `(`.
fn is_primary(code: &Code, range: &Range<usize>) -> bool {
    if range.is_empty() {
        return false;
    }
    let base = code.depth[range.start];
    range.clone().all(|k| {
        if code.depth[k] != base {
            return true;
        }
        match code.kind(k) {
            Some(TokenKind::Name) => !is_keyword(code.s(k)) && code.s(k) != "lambda",
            Some(TokenKind::Op) => matches!(code.s(k), "." | "(" | ")" | "[" | "]"),
            _ => false,
        }
    })
}
