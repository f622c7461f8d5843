//! Cheap proof that a fixed text still parses: re-parse only the statements the edits touched.
//!
//! After a round of AST fixes the pipeline must know that the new text parses as Python 3 (the
//! safety net). Re-parsing the whole file doubles the cost of every file that changed; most
//! rounds touch a few statements of a large file. [`edited_statements_parse`] parses, for each
//! edit, the deepest statement that contains it, as it reads after the edits, on its own.
//!
//! Why that is enough: the old text parsed, and each edited statement is replaced by a text that
//! parses on its own as one complete construct at the same indentation (its brackets and strings
//! closed, no line left dedented below its first line), so the tokens around it keep their
//! meaning. Whenever the argument does not clearly hold (an edit outside every statement, between
//! two statements, a statement that does not start its line cleanly, a large share of the file),
//! the answer is `false` and the caller parses the whole text as before. `true` is a proof; `false`
//! only means "do the full parse".

use rustpython_ast::{Ranged, Stmt};

use super::Edit;

/// Above this share of the file's bytes in edited statements, a full parse is as cheap.
const MAX_SHARE: f64 = 0.5;

/// One edited statement, parsed on its own as it reads after the edits.
pub struct Chunk {
    /// Where the statement started in the old text.
    pub old_start: usize,
    /// The text parsed: the statement's lines (from the start of its first line), after
    /// `if 1:\n` when it is indented.
    pub text: String,
    /// The tree of `text`.
    pub suite: Vec<Stmt>,
    /// Offset in the new text of `text[prefix]` (the start of the statement's first line).
    pub new_line_start: usize,
    /// Bytes of `text` before the statement's first line (the `if 1:\n` wrapper, or none).
    pub prefix: usize,
}

impl Chunk {
    /// Maps an offset of [`Chunk::text`] to the new text.
    pub fn to_new(&self, offset: usize) -> usize {
        self.new_line_start + offset.saturating_sub(self.prefix)
    }
}

/// Whether every statement of `old` (parsed into `suite`) touched by `edits` still parses on its
/// own in `new` (= `old` with `edits` applied; `edits` sorted by start, non-overlapping).
pub fn edited_statements_parse(old: &str, suite: &[Stmt], new: &str, edits: &[Edit]) -> bool {
    edited_statements(old, suite, new, edits).is_some()
}

/// [`edited_statements_parse`], with the statements' trees: `None` when the proof fails.
pub fn edited_statements(
    old: &str,
    suite: &[Stmt],
    new: &str,
    edits: &[Edit],
) -> Option<Vec<Chunk>> {
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    for e in edits {
        let stmt = deepest_containing(suite, e.start, e.end)?;
        let r = stmt.range();
        let range = (r.start().to_usize(), r.end().to_usize());
        if chunks.last() != Some(&range) {
            chunks.push(range);
        }
    }
    chunks.sort_unstable();
    chunks.dedup();
    let bytes: usize = chunks.iter().map(|(s, e)| e - s).sum();
    if bytes as f64 > MAX_SHARE * old.len() as f64 {
        return None;
    }
    chunks
        .iter()
        .map(|&(start, end)| {
            let new_start = forward(edits, start, false);
            let new_end = forward(edits, end, true);
            let mut chunk = statement_parses(new, new_start, new_end)?;
            chunk.old_start = start;
            Some(chunk)
        })
        .collect()
}

/// The deepest statement whose range holds `start..end` (insertions at its ends included).
fn deepest_containing(suite: &[Stmt], start: usize, end: usize) -> Option<&Stmt> {
    let mut found = None;
    let mut blocks: Vec<&[Stmt]> = vec![suite];
    while let Some(block) = blocks.pop() {
        // Statements of a block are in order: find the one holding the range, if any.
        let Some(stmt) = block.iter().find(|s| {
            let r = s.range();
            r.start().to_usize() <= start && end <= r.end().to_usize()
        }) else {
            continue;
        };
        found = Some(stmt);
        blocks.clear();
        blocks.extend(super::checker::statement_blocks(stmt));
    }
    found
}

/// Maps `pos` of the old text to the new text. At a point where text was inserted, `after`
/// says whether the position is after the insertion (a statement's end) or before it (its start).
fn forward(edits: &[Edit], pos: usize, after: bool) -> usize {
    let mut shift: isize = 0;
    for e in edits {
        let before_pos = if e.start == e.end && e.start == pos {
            after
        } else {
            e.end <= pos
        };
        if !before_pos {
            break;
        }
        shift += e.content.len() as isize - (e.end - e.start) as isize;
    }
    pos.saturating_add_signed(shift)
}

/// The statement at `start..end` of `text` parsed on its own, with what precedes it on its
/// line, at its indentation, without any line dedented below its first line; `None` when it
/// does not parse so.
fn statement_parses(text: &str, start: usize, end: usize) -> Option<Chunk> {
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return None;
    }
    let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let chunk = &text[line_start..end];
    let indent = chunk.len() - chunk.trim_start_matches([' ', '\t', '\x0c']).len();
    let (wrapped, prefix, top_level) = if indent == 0 {
        (chunk.to_string(), 0, None)
    } else {
        // Indented: parse it as the body of `if 1:`; one top-level statement proves no line
        // of it fell back to column 0.
        let mut wrapped = String::with_capacity(chunk.len() + 8);
        wrapped.push_str("if 1:\n");
        wrapped.push_str(chunk);
        (wrapped, 6, Some(1))
    };
    let suite = crate::syntax::parse::parse_module(&wrapped).ok()?;
    if top_level.is_some_and(|n| suite.len() != n) {
        return None;
    }
    Some(Chunk {
        old_start: start,
        text: wrapped,
        suite,
        new_line_start: line_start,
        prefix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &str, edits: &[Edit]) -> bool {
        let suite = crate::syntax::parse::parse_module(old).expect("test input must parse");
        let applied = crate::engine::apply::apply_fixes(
            old,
            &[crate::engine::Diagnostic {
                code: "T",
                name: "t",
                message: String::new(),
                start: 0,
                end: 0,
                fix: Some(crate::engine::Fix::safe(edits.to_vec())),
            }],
            crate::engine::Applicability::Safe,
        );
        edited_statements_parse(old, &suite, &applied.text, &applied.edits)
    }

    const SRC: &str = "import os\n\nclass A:\n    def f(self, d):\n        x = d.keys()\n        return x\n\n    y = 1\n";

    fn at(pat: &str) -> usize {
        SRC.find(pat).unwrap()
    }

    #[test]
    fn a_wrapped_call_inside_a_method_is_proved() {
        let s = at("d.keys()");
        let e = s + "d.keys()".len();
        assert!(check(
            SRC,
            &[Edit::insert(s, "list("), Edit::insert(e, ")")]
        ));
    }

    #[test]
    fn a_broken_statement_is_not_proved() {
        let s = at("d.keys()");
        assert!(!check(SRC, &[Edit::insert(s, "list(")]));
        assert!(!check(SRC, &[Edit::replace(s, s + 1, "(")]));
    }

    #[test]
    fn a_line_dedented_out_of_its_block_is_not_proved() {
        let s = at("x = d.keys()");
        assert!(!check(SRC, &[Edit::insert(s, "z = 1\nw = 2\n        ")]));
        // The same lines at the right indentation are fine.
        assert!(check(SRC, &[Edit::insert(s, "z = 1\n        ")]));
    }

    #[test]
    fn an_edit_between_statements_falls_back() {
        let s = at("\nclass A");
        assert!(!check(SRC, &[Edit::insert(s, "\nimport sys")]));
    }

    #[test]
    fn forward_maps_around_insertions() {
        let edits = [Edit::insert(5, "abc"), Edit::replace(8, 10, "x")];
        assert_eq!(forward(&edits, 5, false), 5);
        assert_eq!(forward(&edits, 5, true), 8);
        assert_eq!(forward(&edits, 10, true), 12);
        assert_eq!(forward(&edits, 20, false), 22);
    }
}
