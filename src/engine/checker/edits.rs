//! Edit builders that need the checker's view of the file (the text, the enclosing block).
//! Builders that need only a node are on [`Edit`] itself ([`Edit::replace_node`]).

use rustpython_ast::{Ranged, Stmt};

use super::Checker;
use crate::engine::Edit;

impl Checker<'_> {
    /// Removes a whole statement: its lines when it is alone on them and not alone in its block,
    /// else replaces it with `pass`. A line removed from between blank lines takes the blank
    /// lines above it along, so `import a` / blank / `import six` / blank / blank / `class T`
    /// keeps the two blank lines before the class instead of getting three.
    pub fn remove_statement(&self, stmt: &Stmt) -> Edit {
        let text = self.text;
        let r = stmt.range();
        let (start, end) = (r.start().to_usize(), r.end().to_usize());
        let pass = Edit::replace(start, end, "pass");
        let line_start = text
            .get(..start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |p| p + 1);
        let before = text.get(line_start..start).unwrap_or("x");
        let rest = text.get(end..).unwrap_or("");
        let line_end = rest.find('\n').map_or(text.len(), |p| end + p + 1);
        let after = text.get(end..line_end).unwrap_or("x");
        let after_code = after.split('#').next().unwrap_or("");
        let alone_on_line = before.trim().is_empty() && after_code.trim().is_empty();
        let alone_in_block = self.enclosing_block(stmt).is_none_or(|b| b.len() <= 1);
        if alone_on_line && !alone_in_block {
            let blank_after = text
                .get(line_end..)
                .and_then(|t| {
                    t.split('\n')
                        .next()
                        .map(|l| t.len() > l.len() && l.trim().is_empty())
                })
                .unwrap_or(false);
            let start = if blank_after {
                blank_lines_before(text, line_start)
            } else {
                line_start
            };
            Edit::delete(start, line_end)
        } else {
            pass
        }
    }
}

/// The start of the run of blank lines that ends at `line_start` (`line_start` itself when the
/// line above is not blank). A blank run at the very top of the file is kept.
fn blank_lines_before(text: &str, line_start: usize) -> usize {
    let mut start = line_start;
    while start > 0 {
        let above = text
            .get(..start - 1)
            .map_or(0, |t| t.rfind('\n').map_or(0, |p| p + 1));
        match text.get(above..start) {
            Some(line) if line.trim().is_empty() && above > 0 => start = above,
            _ => break,
        }
    }
    start
}
