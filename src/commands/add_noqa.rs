//! `check --add-noqa`: writes `# noqa: CODE (backlog)` on the line of every current finding,
//! so that a project can gate CI on `check` from the first day of its migration while its
//! Python 2 code waits. Only comments are added; every other byte of a file is kept.
//!
//! A finding is silenced by a directive on its first or its last line, or at the end of the
//! stretch of lines a string or `\` continuations join them to (see [`crate::engine::noqa`]):
//! the comment goes on the last line, or the first, or the end of that stretch, since none can
//! go inside a string or after a `\`. The `(backlog)` marker tells `fix` that the code is
//! still to be converted.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::noqa::{self, Directive, BACKLOG_MARKER};
use crate::source::LineIndex;
use crate::tokens::{self, TokenKind};

/// One finding to silence: its 1-based first and last line and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub line: usize,
    pub end_line: usize,
    pub code: String,
}

/// What adding the directives to one file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The new text, when something was added.
    pub text: Option<String>,
    /// How many findings the new directives silence.
    pub silenced: usize,
    /// Lines of findings no comment could be put for (both lines end inside a string).
    pub left: Vec<usize>,
}

/// Adds backlog directives to `text` for every finding in `wanted` that no directive on its
/// first or last line silences yet.
pub fn add_noqa(text: &str, wanted: &[Wanted]) -> Added {
    let tokens = tokens::tokenize(text);
    let index = LineIndex::new(text);
    let line_of = |offset: usize| index.line_col(text, offset).0;

    // Lines whose end is no place for a comment: inside a string spanning lines, or after a
    // `\` continuation. And the comment token of each line, if any.
    let mut blocked: BTreeSet<usize> = BTreeSet::new();
    let mut comments: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for t in &tokens {
        match t.kind {
            TokenKind::String => {
                let (first, last) = (line_of(t.start()), line_of(t.end()));
                blocked.extend(first..last);
            }
            TokenKind::Continuation => {
                blocked.insert(line_of(t.start()));
            }
            TokenKind::Comment => {
                comments.insert(line_of(t.start()), (t.start(), t.end()));
            }
            _ => {}
        }
    }
    let joined = noqa::joined_lines(text, &tokens, &index);
    let directives_on = |line: usize| -> Vec<Directive> {
        comments
            .get(&line)
            .and_then(|&(s, e)| text.get(s..e))
            .map(noqa::parse_directives)
            .unwrap_or_default()
    };
    let silenced_on = |line: usize, code: &str| {
        [Some(line), joined.get(&line).copied()]
            .into_iter()
            .flatten()
            .any(|l| directives_on(l).iter().any(|d| d.suppresses(code, "")))
    };

    // The codes to add, by line.
    let mut by_line: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut left = Vec::new();
    let mut silenced = 0;
    for w in wanted {
        if silenced_on(w.line, &w.code) || silenced_on(w.end_line, &w.code) {
            continue;
        }
        // Where a comment fits: the last line, else the end of the stretch it is joined to.
        let Some(line) = [w.end_line, w.line]
            .into_iter()
            .chain(joined.get(&w.end_line).copied())
            .find(|l| !blocked.contains(l))
        else {
            left.push(w.line);
            continue;
        };
        by_line.entry(line).or_default().insert(w.code.clone());
        silenced += 1;
    }
    if by_line.is_empty() {
        return Added {
            text: None,
            silenced,
            left,
        };
    }

    // Edits from the end of the text backwards, so earlier offsets stay valid.
    let mut out = text.to_string();
    for (&line, codes) in by_line.iter().rev() {
        let Some(line_start) = index.line_start(line) else {
            continue;
        };
        let rest = &text[line_start..];
        let content_end = line_start + rest.find(['\n', '\r']).unwrap_or(rest.len());
        let existing = comments.get(&line).and_then(|&(s, e)| {
            let comment = text.get(s..e)?;
            backlog_span(comment).map(|(a, b, old)| (s + a, s + b, old))
        });
        match existing {
            // A backlog directive of an earlier run: one list with the new codes.
            Some((start, end, old)) => {
                let all: BTreeSet<String> = old.into_iter().chain(codes.iter().cloned()).collect();
                out.replace_range(start..end, &directive_text(&all));
            }
            None => {
                out.insert_str(content_end, &format!("  {}", directive_text(codes)));
            }
        }
    }
    Added {
        text: Some(out),
        silenced,
        left,
    }
}

/// What `check --add-noqa` did over a run.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files rewritten.
    pub files: usize,
    /// Findings silenced.
    pub silenced: usize,
    /// Findings no comment could be put for (`path:line`).
    pub left: Vec<String>,
    /// Files that could not be read or written (`path: reason`).
    pub errors: Vec<String>,
}

/// Adds backlog directives for `findings` to their files (each file read once, written
/// atomically in its own encoding and newlines).
pub fn add_to_files(findings: &[crate::report::Finding]) -> Summary {
    let mut by_path: BTreeMap<&str, Vec<Wanted>> = BTreeMap::new();
    for f in findings {
        by_path.entry(f.path.as_str()).or_default().push(Wanted {
            line: f.line,
            end_line: f.end_line,
            code: f.code.clone(),
        });
    }
    let mut summary = Summary::default();
    for (path, wanted) in by_path {
        let result = (|| -> Result<Added, String> {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            let source = crate::source::SourceFile::decode(&bytes).map_err(|e| e.to_string())?;
            let added = add_noqa(&source.text, &wanted);
            if let Some(text) = &added.text {
                let out = source.encode(text)?;
                crate::source::write_atomic(std::path::Path::new(path), &out)
                    .map_err(|e| e.to_string())?;
            }
            Ok(added)
        })();
        match result {
            Ok(added) => {
                summary.files += usize::from(added.text.is_some());
                summary.silenced += added.silenced;
                summary
                    .left
                    .extend(added.left.iter().map(|l| format!("{path}:{l}")));
            }
            Err(e) => summary.errors.push(format!("{path}: {e}")),
        }
    }
    summary
}

/// `# noqa: A, B (backlog)`.
fn directive_text(codes: &BTreeSet<String>) -> String {
    let list: Vec<&str> = codes.iter().map(String::as_str).collect();
    format!("# noqa: {} {BACKLOG_MARKER}", list.join(", "))
}

/// The byte span (in `comment`) of a backlog directive, from its `#` to the end of its marker,
/// with its codes.
fn backlog_span(comment: &str) -> Option<(usize, usize, Vec<String>)> {
    let lower = comment.to_ascii_lowercase();
    let marker = lower.find(BACKLOG_MARKER)?;
    let hash = comment[..marker].rfind('#')?;
    let end = marker + BACKLOG_MARKER.len();
    match noqa::parse_noqa(&comment[hash..end])? {
        Directive::Backlog(codes) => Some((hash, end, codes)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(line: usize, end_line: usize, code: &str) -> Wanted {
        Wanted {
            line,
            end_line,
            code: code.to_string(),
        }
    }

    #[test]
    fn adds_one_directive_per_line_keeping_the_rest() {
        let text = "import urllib2\r\nprint 'a'  # a comment\r\nx = 1\r\n";
        let added = add_noqa(
            text,
            &[
                wanted(1, 1, "PY203"),
                wanted(2, 2, "PY001"),
                wanted(2, 2, "PY203"),
            ],
        );
        assert_eq!(
            added.text.as_deref(),
            Some(
                "import urllib2  # noqa: PY203 (backlog)\r\n\
                 print 'a'  # a comment  # noqa: PY001, PY203 (backlog)\r\nx = 1\r\n"
            )
        );
        assert_eq!(added.silenced, 3);
    }

    #[test]
    fn skips_silenced_findings_and_extends_a_backlog() {
        let text = "a = d.has_key(1)  # noqa: PY112\nprint 'a'  # noqa: PY001 (backlog)\n";
        let added = add_noqa(
            text,
            &[
                wanted(1, 1, "PY112"),
                wanted(2, 2, "PY001"),
                wanted(2, 2, "PY005"),
            ],
        );
        assert_eq!(
            added.text.as_deref(),
            Some("a = d.has_key(1)  # noqa: PY112\nprint 'a'  # noqa: PY001, PY005 (backlog)\n")
        );
        assert_eq!(
            add_noqa(added.text.as_deref().unwrap(), &[wanted(2, 2, "PY005")]).text,
            None
        );
    }

    #[test]
    fn never_writes_inside_a_string_or_after_a_continuation() {
        let text = "x = ur'''a\nb''' + \\\n  `y`\nz = 1\n";
        let added = add_noqa(text, &[wanted(1, 2, "PY008"), wanted(2, 3, "PY005")]);
        assert_eq!(
            added.text.as_deref(),
            Some("x = ur'''a\nb''' + \\\n  `y`  # noqa: PY005, PY008 (backlog)\nz = 1\n")
        );
        assert!(added.left.is_empty());
        let after_string = add_noqa("s = '''a\nb\nc''' \\\n  + 'd'\n", &[wanted(2, 3, "PY001")]);
        assert_eq!(
            after_string.text.as_deref(),
            Some("s = '''a\nb\nc''' \\\n  + 'd'  # noqa: PY001 (backlog)\n")
        );
    }
}
