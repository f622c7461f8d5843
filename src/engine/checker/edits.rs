//! Edit builders that need the checker's view of the file (the text, the enclosing block).
//! Builders that need only a node are on [`Edit`] itself ([`Edit::replace_node`]).

use rustpython_ast::{Ranged, Stmt};

use super::Checker;
use crate::engine::Edit;

impl Checker<'_> {
    /// Removes a whole statement: its lines when it is alone on them and not alone in its block,
    /// else replaces it with `pass`.
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
            Edit::delete(line_start, line_end)
        } else {
            pass
        }
    }
}
