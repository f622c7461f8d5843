//! PY001 print-statement: `print x, y` -> `print(x, y)`.

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::statements::{self, Code};

crate::declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 `print` statement as a call of the `print` function: a trailing comma
    /// becomes `end=' '`, `>>f` becomes `file=f`, a bare `print` becomes `print()`. Nothing is done
    /// when the file has `from __future__ import print_function`.
    ///
    /// A statement that is one parenthesised group is left alone when the group has no top-level
    /// comma (`print (x)` means the same in both languages). `print (a, b)` and `print(a, b)`
    /// printed a tuple in Python 2 and become `print((a, b))`, as 2to3 does (and `print()`,
    /// which printed `()`, becomes `print(())`); the glued form
    /// `print(a, b)` only in a file that shows it is Python 2 (another `print` statement, a
    /// backtick, `<>`, a `10L` or `0777` literal): in a file without such signs it is taken as
    /// already converted, which also keeps a second run from changing what the first wrote.
    ///
    /// ## Why
    /// `print` is a function in Python 3: the statement is a syntax error.
    ///
    /// ## Example
    /// ```python
    /// print "total:", n,
    /// print >>sys.stderr, "error"
    /// ```
    /// becomes
    /// ```python
    /// print("total:", n, end=' ')
    /// print("error", file=sys.stderr)
    /// ```
    pub PRINT_STATEMENT = FixerSpec {
        code: "PY001",
        name: "print-statement",
        summary: "print statement -> print() function",
        groups: &["2to3", "grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
        python2_future: Some("print_function"),
    }
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    if cx.print_function {
        return;
    }
    let code = &cx.code;
    // Later rounds see the calls the first one wrote: only the file's own text tells.
    let python2 = cx.first_round && shows_python2(code);
    for st in &code.statements {
        let r = st.range.clone();
        if st.header || !code.is_name(r.start, "print") || !code.balanced(&r) {
            continue;
        }
        let args = r.start + 1..r.end;
        if !args.is_empty() && !statements::starts_print_args(code, args.start) {
            continue;
        }
        if let Some(edits) = edits_for(code, r.start, args, python2) {
            let span = code.span(&r);
            out.push(finding(
                &PRINT_STATEMENT,
                "`print` statement: use the print() function",
                span,
                edits,
            ));
        }
    }
}

/// Whether the file shows it is Python 2 source ([`statements::shows_python2`]); a segment of a
/// big file takes the whole file's answer.
pub(crate) fn shows_python2(code: &Code) -> bool {
    let shows = statements::shows_python2(code);
    crate::engine::segments::file_fact(crate::engine::segments::Fact::ShowsPython2, shows)
}

/// The edits turning `print <args>` (the keyword at significant index `kw`) into a call:
/// `None` when the statement is already a valid Python 3 call, `Some(None)` when it is not valid
/// Python 2 either (reported without a fix).
fn edits_for(
    code: &Code,
    kw: usize,
    args: std::ops::Range<usize>,
    python2: bool,
) -> Option<Option<Vec<Edit>>> {
    let kw_end = code.end(kw);
    if args.is_empty() {
        return Some(Some(vec![Edit::insert(kw_end, "()")]));
    }
    if code.is_group(&args, "(") {
        let inner = args.start + 1..args.end - 1;
        if inner.is_empty() && python2 {
            // Python 2's `print ()` printed the empty tuple.
            return Some(Some(vec![Edit::insert(code.end(args.start), "()")]));
        }
        let has_comma = code.split_commas(&inner).len() > 1;
        let glued = code.start(args.start) == kw_end;
        // `print(x, end='')`, `print(*xs)`: a Python 3 call, never a Python 2 tuple.
        let call_only = (inner.start..inner.end).any(|k| {
            code.depth[k] == code.depth[args.start] + 1
                && (code.is_op(k, "=") || code.is_op(k, "*") || code.is_op(k, "**"))
                && (k == inner.start || code.is_op(k - 1, ",") || code.is_op(k, "="))
        });
        if !has_comma || call_only || (glued && !python2) {
            return None;
        }
    }
    let mut kwargs = Vec::new();
    let (file, items) = if code.is_op(args.start, ">>") {
        let parts = code.split_commas(&(args.start + 1..args.end));
        let file = parts.first().cloned().unwrap_or(args.start + 1..args.end);
        let rest = match parts.get(1) {
            Some(p) => p.start..args.end,
            None => args.end..args.end,
        };
        (Some(file), rest)
    } else {
        (None, args.clone())
    };
    let mut items = items;
    let item_parts = code.split_commas(&items);
    let bad_items = item_parts
        .iter()
        .enumerate()
        .any(|(i, p)| p.is_empty() && i + 1 < item_parts.len());
    if bad_items || file.as_ref().is_some_and(|f| f.is_empty()) {
        return Some(None);
    }
    if !items.is_empty() && code.is_op(items.end - 1, ",") && code.depth[items.end - 1] == 0 {
        kwargs.push("end=' '".to_string());
        items.end -= 1;
    }
    if let Some(file) = &file {
        kwargs.push(format!("file={}", code.slice(file)));
    }
    let last_end = code.end(args.end - 1);
    if items.is_empty() {
        return Some(Some(vec![Edit::replace(
            kw_end,
            last_end,
            format!("({})", kwargs.join(", ")),
        )]));
    }
    let mut edits = vec![Edit::replace(kw_end, code.start(items.start), "(")];
    let items_end = code.end(items.end - 1);
    if kwargs.is_empty() {
        edits.push(Edit::insert(items_end, ")"));
    } else {
        edits.push(Edit::replace(
            items_end,
            last_end,
            format!(", {})", kwargs.join(", ")),
        ));
    }
    Some(Some(edits))
}
