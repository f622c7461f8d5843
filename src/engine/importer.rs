//! The one way fixers add an import: where a new module-level import line goes (after the
//! docstring and the `from __future__` imports, below a `#!` line, a coding cookie and leading
//! comments), written in the file's own newline style.

use rustpython_ast::{Ranged, Stmt};

use super::Edit;

/// The edit adding `from __future__ import FEATURE` to `text` (parsed into `suite`): after the
/// docstring and the `__future__` imports, never before a shebang or coding line. `None` when
/// there is no line to put it on (the first statement shares the docstring's line).
pub fn future_import_edit(text: &str, suite: &[Stmt], feature: &str) -> Option<Edit> {
    let mut after = 0;
    let mut next = None;
    for (i, stmt) in suite.iter().enumerate() {
        let docstring = i == 0
            && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(),
                rustpython_ast::Expr::Constant(c) if c.value.is_str()));
        let future = matches!(stmt, Stmt::ImportFrom(f)
            if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
        if docstring || future {
            after = stmt.end().to_usize();
        } else {
            next = Some(stmt.start().to_usize());
            break;
        }
    }
    let next = next?;
    let at = if after > 0 {
        // On the line after the docstring or the last `__future__` import, when nothing but a
        // comment follows it on its line.
        let line_end = after + text.get(after..next)?.find('\n')?;
        let rest = text
            .get(after..line_end)?
            .trim_start_matches([' ', '\t', '\r', '\x0c']);
        if !(rest.is_empty() || rest.starts_with('#')) {
            return None;
        }
        line_end + 1
    } else {
        // Else on the first statement's line (after any shebang, coding line or comment).
        let line_start = text.get(..next)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if !text.get(line_start..next)?.trim().is_empty() {
            return None;
        }
        line_start
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(Edit::insert(
        at,
        format!("from __future__ import {feature}{newline}"),
    ))
}
