//! PY010 tab-indent: indentation that mixes tabs and spaces inconsistently (Python 3 `TabError`).

use super::finding;
use crate::engine::{Diagnostic, Edit};
use crate::fixers::{FixerKind, TokenContext};

crate::declare_fixer! {
    /// ## What it does
    /// Applies Python 3's indentation consistency check (each indent compared with tabs counted as
    /// 8 columns and as 1 column along the stack of open blocks). Only when the file fails it,
    /// the leading white space of every logical line that contains a tab is rewritten with
    /// spaces, tabs advancing to the next multiple of 8 columns, which is how Python 2 read it.
    /// Continuation lines, comment lines and string contents are never touched; a consistent file
    /// is left as it is, tabs included.
    ///
    /// ## Why
    /// Python 2 accepted any mix of tabs and spaces; Python 3 raises `TabError` when the meaning
    /// depends on the tab size.
    ///
    /// ## Example
    /// ```python
    /// if x:
    ///         a = 1      # 8 spaces
    /// <TAB>b = 2         # one tab
    /// ```
    /// becomes
    /// ```python
    /// if x:
    ///         a = 1      # 8 spaces
    ///         b = 2      # 8 spaces
    /// ```
    pub TAB_INDENT = FixerSpec {
        code: "PY010",
        name: "tab-indent",
        summary: "inconsistent tabs/spaces indentation -> spaces",
        groups: &["grammar"],
        default_on: true,
        kind: FixerKind::Tokens(check),
    }
}

/// Indentation width with tabs advancing to multiples of `tab_size`; `None` with a form feed.
fn width(indent: &str, tab_size: usize) -> Option<usize> {
    let mut col = 0usize;
    for b in indent.bytes() {
        match b {
            b' ' => col = col.saturating_add(1),
            b'\t' => col = (col / tab_size).saturating_add(1).saturating_mul(tab_size),
            _ => return None,
        }
    }
    Some(col)
}

fn check(cx: &TokenContext, out: &mut Vec<Diagnostic>) {
    if !cx.text.contains('\t') {
        return;
    }
    let code = &cx.code;
    // The first token of every logical line with its indentation.
    let starts: Vec<(usize, &str)> = code
        .statements
        .iter()
        .filter(|s| s.line_start)
        .map(|s| (code.start(s.range.start), code.line_indent(s.range.start)))
        .filter(|(at, indent)| {
            // The token must begin its physical line (not after a `;` continuation quirk).
            let line_start = at - indent.len();
            line_start == 0 || matches!(cx.text.as_bytes().get(line_start - 1), Some(b'\n' | b'\r'))
        })
        .collect();
    let Some(first_bad) = first_inconsistent(&starts) else {
        return;
    };
    let edits: Vec<Edit> = starts
        .iter()
        .filter(|(_, indent)| indent.contains('\t'))
        .filter_map(|(at, indent)| {
            let col = width(indent, 8)?;
            Some(Edit::replace(at - indent.len(), *at, " ".repeat(col)))
        })
        .collect();
    if edits.is_empty() {
        return;
    }
    let indent_len = starts
        .iter()
        .find(|(at, _)| *at == first_bad)
        .map_or(0, |(_, indent)| indent.len());
    out.push(finding(
        &TAB_INDENT,
        "indentation mixes tabs and spaces inconsistently (TabError in Python 3)",
        first_bad - indent_len..first_bad,
        Some(edits),
    ));
}

/// The offset of the first logical line whose indentation Python 3 rejects as inconsistent.
fn first_inconsistent(starts: &[(usize, &str)]) -> Option<usize> {
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    for &(at, indent) in starts {
        let (Some(col), Some(alt)) = (width(indent, 8), width(indent, 1)) else {
            continue;
        };
        let &(top, top_alt) = stack.last()?;
        if col == top {
            if alt != top_alt {
                return Some(at);
            }
        } else if col > top {
            if alt <= top_alt {
                return Some(at);
            }
            stack.push((col, alt));
        } else {
            while stack.len() > 1 && stack.last().is_some_and(|&(c, _)| col < c) {
                stack.pop();
            }
            let &(top, top_alt) = stack.last()?;
            if col == top && alt != top_alt {
                return Some(at);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consistency() {
        assert_eq!(first_inconsistent(&[(0, ""), (5, "\t"), (9, "\t")]), None);
        assert_eq!(
            first_inconsistent(&[(0, ""), (5, "        "), (20, "\t")]),
            Some(20)
        );
        assert_eq!(
            first_inconsistent(&[(0, ""), (5, "\t"), (9, "\t    ")]),
            None
        );
        assert_eq!(
            first_inconsistent(&[(0, ""), (5, "    \t"), (9, "        ")]),
            Some(9)
        );
    }
}
