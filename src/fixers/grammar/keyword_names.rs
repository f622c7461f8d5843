//! PY011 keyword-names: names that are keywords in Python 3 (`True=True` parameters, `async`).

use std::collections::HashSet;
use std::ops::Range;

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};
use crate::tokens::statements::{fresh_name, Code};
use crate::tokens::TokenKind;

crate::declare_fixer! {
    /// ## What it does
    /// Handles names that Python 3 made keywords:
    /// - a parameter `True=True`, `False=False` or `None=None` (a Python 2 speed hack that turns
    ///   the builtin into a local) is removed: the keyword has the same value;
    /// - any other binding of `True`, `False` or `None` is reported without a fix;
    /// - `nonlocal`, `async` and `await` used as identifiers are renamed `nonlocal_`, `async_`,
    ///   `await_` when every occurrence in the file is a plain name (not an attribute, a keyword
    ///   argument, an import or a string that could export it); otherwise they are reported.
    ///
    /// `print` and `exec` are not keywords in Python 3 (and could not be names in Python 2), so
    /// they are left to the print and exec statement fixers.
    ///
    /// ## Why
    /// Assigning to a keyword, or using it as a name, is a syntax error in Python 3.
    ///
    /// ## Example
    /// ```python
    /// def encode(o, False=False, True=True):
    ///     async = o.flag
    /// ```
    /// becomes
    /// ```python
    /// def encode(o):
    ///     async_ = o.flag
    /// ```
    pub KEYWORD_NAMES = FixerSpec {
        code: "PY011",
        name: "keyword-names",
        summary: "True/False/None parameters, async/await/nonlocal names",
        groups: &["grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

const CONSTANTS: &[&str] = &["True", "False", "None"];
const NEW_KEYWORDS: &[&str] = &["nonlocal", "async", "await"];

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    let code = &cx.code;
    constant_params(code, out);
    constant_assignments(code, out);
    new_keywords(code, out);
}

/// `def f(x, True=True)`: the parameter goes away.
fn constant_params(code: &Code, out: &mut Vec<Diagnostic>) {
    for st in &code.statements {
        let r = &st.range;
        if !st.header
            || !code.is_name(r.start, "def")
            || !code.is_op(r.start + 2, "(")
            || !code.balanced(r)
        {
            continue;
        }
        let open = r.start + 2;
        let d = code.depth[open];
        let Some(close) = (open + 1..r.end).find(|&k| code.depth[k] == d) else {
            continue;
        };
        let parts = code.split_commas(&(open + 1..close));
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() || !CONSTANTS.iter().any(|c| code.is_name(part.start, c)) {
                continue;
            }
            let name = code.s(part.start);
            let span = code.span(part);
            let same = part.len() == 3
                && code.is_op(part.start + 1, "=")
                && code.s(part.start + 2) == name;
            if !same {
                out.push(finding(
                    &KEYWORD_NAMES,
                    format!("`{name}` is a keyword in Python 3: rename this parameter"),
                    span,
                    None,
                ));
                continue;
            }
            let Some(edit) = removal(code, &parts, i, close) else {
                continue;
            };
            out.push(finding(
                &KEYWORD_NAMES,
                format!("parameter `{name}={name}`: `{name}` is a keyword in Python 3"),
                span,
                Some(vec![edit]),
            ));
        }
    }
}

/// The edit removing parameter `parts[i]` of a parameter list closed at `close`, with one comma.
/// A parameter alone on its line takes its whole line; comments always stay.
fn removal(code: &Code, parts: &[Range<usize>], i: usize, close: usize) -> Option<Edit> {
    let text = code.text;
    let part = parts.get(i)?;
    let span = code.span(part);
    let has_comment = |range: Range<usize>| text.get(range).is_some_and(|s| s.contains('#'));
    if part.end < close {
        // Followed by a comma.
        let comma_end = code.end(part.end);
        let rest = &text[comma_end..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = comma_end + spaces;
        let line_start = text[..span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let alone_before = text[line_start..span.start]
            .trim_matches([' ', '\t'])
            .is_empty();
        let newline_len = if text[after..].starts_with("\r\n") {
            2
        } else if text[after..].starts_with(['\n', '\r']) {
            1
        } else {
            0
        };
        if alone_before && newline_len > 0 && line_start > 0 {
            return Some(Edit::delete(line_start, after + newline_len));
        }
        let next_is_last = parts.get(i + 1).is_none_or(|p| p.is_empty());
        if next_is_last && i > 0 && !has_comment(code.end(part.start - 2)..span.start) {
            // `f(a, True=True,)`: drop the comma before as well.
            return Some(Edit::delete(code.end(part.start - 2), comma_end));
        }
        return Some(Edit::delete(span.start, after));
    }
    if i == 0 {
        return Some(Edit::delete(span.start, span.end));
    }
    // The last parameter: remove it with the comma before it.
    let prev_end = code.end(part.start - 2);
    if has_comment(prev_end..span.start) {
        return Some(Edit::delete(span.start, span.end));
    }
    Some(Edit::delete(prev_end, span.end))
}

/// `True = 1`, `True, False = 1, 0`: reported.
fn constant_assignments(code: &Code, out: &mut Vec<Diagnostic>) {
    for st in &code.statements {
        if st.header {
            continue;
        }
        let r = &st.range;
        let Some(eq) = r
            .clone()
            .find(|&k| code.depth[k] == 0 && code.is_op(k, "="))
        else {
            continue;
        };
        for k in r.start..eq {
            if code.kind(k) != Some(TokenKind::Name) || !CONSTANTS.contains(&code.s(k)) {
                continue;
            }
            let prev_dot = k > r.start && code.is_op(k - 1, ".");
            if code.depth[k] <= 1 && !prev_dot && target_element(code, k, r.start..eq) {
                out.push(finding(
                    &KEYWORD_NAMES,
                    format!("assignment to `{}`: a keyword in Python 3", code.s(k)),
                    code.start(k)..code.end(k),
                    None,
                ));
            }
        }
    }
}

/// Token `k` is a whole element of the target list `target` (`a, True = ...`, `(True, x) = ...`).
fn target_element(code: &Code, k: usize, target: Range<usize>) -> bool {
    if code.depth[k] > 0 {
        // Inside a tuple or list display, not a call or a subscript (`d[None] = 1`).
        let Some(open) = (target.start..k)
            .rev()
            .find(|&j| code.depth[j] < code.depth[k])
        else {
            return false;
        };
        let display = open == target.start
            || (code.kind(open - 1) == Some(TokenKind::Op)
                && !matches!(code.s(open - 1), ")" | "]" | "}"));
        if !display {
            return false;
        }
    }
    let before_ok = k == target.start || matches!(code.s(k - 1), "," | "(" | "[");
    let after_ok = k + 1 == target.end || matches!(code.s(k + 1), "," | ")" | "]");
    before_ok && after_ok
}

/// `async = 1` -> `async_ = 1` when every occurrence is a plain name.
fn new_keywords(code: &Code, out: &mut Vec<Diagnostic>) {
    // Most files never spell any of the words, not even in a comment: no pass over names.
    if !NEW_KEYWORDS
        .iter()
        .any(|w| memchr::memmem::find(code.text.as_bytes(), w.as_bytes()).is_some())
    {
        return;
    }
    // One pass over the names finds the uses of all the words.
    let mut all_uses: [Vec<usize>; NEW_KEYWORDS.len()] = Default::default();
    for (k, &i) in code.sig.iter().enumerate() {
        let t = &code.tokens[i];
        if t.kind == TokenKind::Name {
            if let Some(w) = NEW_KEYWORDS.iter().position(|w| *w == t.text(code.text)) {
                all_uses[w].push(k);
            }
        }
    }
    if all_uses.iter().all(Vec::is_empty) {
        return;
    }
    // Every use of a word in the file decides together.
    crate::engine::segments::note(crate::engine::segments::Flag::WholeText);
    let import_ranges: Vec<Range<usize>> = code
        .statements
        .iter()
        .filter(|s| code.is_name(s.range.start, "import") || code.is_name(s.range.start, "from"))
        .map(|s| s.range.clone())
        .collect();
    let mut taken: Option<HashSet<String>> = None;
    for (word, uses) in NEW_KEYWORDS.iter().zip(all_uses) {
        if uses.is_empty() || python3_usage(code, word, &uses) {
            continue;
        }
        let plain = |k: usize| {
            let attribute = k > 0 && code.is_op(k - 1, ".");
            let keyword_arg = code.depth[k] > 0 && code.is_op(k + 1, "=");
            let imported = import_ranges.iter().any(|r| r.contains(&k));
            !attribute && !keyword_arg && !imported
        };
        let quoted = code.tokens.iter().any(|t| {
            t.kind == TokenKind::String && {
                let s = t.text(code.text);
                s.contains(&format!("'{word}'")) || s.contains(&format!("\"{word}\""))
            }
        });
        if quoted || !uses.iter().all(|&k| plain(k)) {
            for &k in &uses {
                out.push(finding(
                    &KEYWORD_NAMES,
                    format!("`{word}` is a keyword in Python 3: rename it"),
                    code.start(k)..code.end(k),
                    None,
                ));
            }
            continue;
        }
        let taken = taken.get_or_insert_with(|| super::taken_names(code));
        let new = fresh_name(&format!("{word}_"), taken);
        for &k in &uses {
            out.push(finding(
                &KEYWORD_NAMES,
                format!("`{word}` is a keyword in Python 3: renamed `{new}`"),
                code.start(k)..code.end(k),
                Some(vec![Edit::replace(code.start(k), code.end(k), new.clone())]),
            ));
        }
    }
}

/// The file already uses `word` as a Python 3 keyword (`async def`, `await x`, `nonlocal x`).
fn python3_usage(code: &Code, word: &str, uses: &[usize]) -> bool {
    uses.iter().any(|&k| match word {
        "async" => ["def", "for", "with"]
            .iter()
            .any(|w| code.is_name(k + 1, w)),
        "await" => matches!(
            code.kind(k + 1),
            Some(TokenKind::Name | TokenKind::Number | TokenKind::String)
        ),
        _ => {
            code.statements.iter().any(|s| s.range.start == k)
                && code.kind(k + 1) == Some(TokenKind::Name)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text of the span, has a fix) for each finding.
    fn findings(text: &str) -> Vec<(String, bool)> {
        let tokens = crate::tokens::tokenize(text);
        let cx = TokenContext::new(text, &tokens);
        let mut out = Vec::new();
        check(&cx, &mut out);
        out.iter()
            .map(|d| (text[d.start..d.end].to_string(), d.fix.is_some()))
            .collect()
    }

    #[test]
    fn constant_bindings_are_reported() {
        let text = "True, False = 1, 0\nd[None] = 1\nf(None)[0] = 2\nx = None\n(None, y) = z\n";
        assert_eq!(
            findings(text),
            vec![
                ("True".to_string(), false),
                ("False".to_string(), false),
                ("None".to_string(), false),
            ]
        );
        assert_eq!(
            findings("def f(a, True=1): pass\n"),
            vec![("True=1".to_string(), false)]
        );
    }

    #[test]
    fn keyword_names_not_all_plain_are_reported() {
        assert_eq!(
            findings("async = 1\nf(async=2)\n"),
            vec![("async".to_string(), false), ("async".to_string(), false)]
        );
        assert_eq!(
            findings("from m import await\n"),
            vec![("await".to_string(), false)]
        );
        assert_eq!(
            findings("__all__ = ['async']\nasync = 1\n"),
            vec![("async".to_string(), false)]
        );
        assert!(findings("async def f():\n    await g()\n").is_empty());
    }
}
