//! PY003 except-comma: `except E, e:` -> `except E as e:`.

use std::collections::HashSet;

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::statements::fresh_name;
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites `except E, e:` and `except (A, B), e:` with `as`. When the target is not a plain
    /// name (`except E, (a, b):`, `except E, self.err:`), the handler binds a fresh name and assigns
    /// the old target from it as the first statement of its body (a tuple or list target unpacks
    /// the exception's `.args`, as Python 2 did).
    ///
    /// ## Why
    /// Python 3 only accepts `except E as name:`.
    ///
    /// ## Example
    /// ```python
    /// except (IOError, OSError), e:
    ///     log(e)
    /// ```
    /// becomes
    /// ```python
    /// except (IOError, OSError) as e:
    ///     log(e)
    /// ```
    pub EXCEPT_COMMA = FixerSpec {
        code: "PY003",
        name: "except-comma",
        summary: "except E, e: -> except E as e:",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let code = &cx.code;
    let nl = crate::source::first_newline(cx.text);
    let mut taken: Option<HashSet<String>> = None;
    for (h, st) in code.statements.iter().enumerate() {
        let r = st.range.clone();
        if !st.header || !code.is_name(r.start, "except") || !code.balanced(&r) {
            continue;
        }
        let parts = code.split_commas(&(r.start + 1..r.end));
        if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
            continue;
        }
        let (exc, target) = (&parts[0], &parts[1]);
        let span = code.span(&r);
        let message = "`except E, name:`: use `except E as name:`";
        let target_start = code.start(target.start);
        let exc_end = code.end(exc.end - 1);
        if target.len() == 1 && code.kind(target.start) == Some(TokenKind::Name) {
            let edits = vec![Edit::replace(exc_end, target_start, " as ")];
            out.push(finding(&EXCEPT_COMMA, message, span, Some(edits)));
            continue;
        }
        // `except E, (e):` binds `e` (parentheses without a comma make no tuple).
        let mut inner = target.clone();
        while code.is_group(&inner, "(")
            && code.split_commas(&(inner.start + 1..inner.end - 1)).len() == 1
        {
            inner = inner.start + 1..inner.end - 1;
        }
        if inner.len() == 1 && code.kind(inner.start) == Some(TokenKind::Name) {
            let edits = vec![Edit::replace(
                exc_end,
                code.end(target.end - 1),
                format!(" as {}", code.s(inner.start)),
            )];
            out.push(finding(&EXCEPT_COMMA, message, span, Some(edits)));
            continue;
        }
        // A target that is not a name: bind a fresh name, assign the target from it in the body.
        let Some(body) = code.body_of(h).map(|b| &code.statements[b]) else {
            out.push(finding(&EXCEPT_COMMA, message, span, None));
            continue;
        };
        let taken = taken.get_or_insert_with(|| super::taken_names(code));
        let name = fresh_name("exc", taken);
        let unpack = code.is_group(target, "(") || code.is_group(target, "[");
        let assign = if unpack {
            format!("{} = {name}.args", code.slice(target))
        } else {
            format!("{} = {name}", code.slice(target))
        };
        let body_start = code.start(body.range.start);
        let insert = if body.line_start {
            format!("{assign}{nl}{}", code.line_indent(body.range.start))
        } else {
            format!("{assign}; ")
        };
        let edits = vec![
            Edit::replace(exc_end, code.end(target.end - 1), format!(" as {name}")),
            Edit::insert(body_start, insert),
        ];
        out.push(finding(&EXCEPT_COMMA, message, span, Some(edits)));
    }
}
