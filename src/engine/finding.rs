//! The reported form of a [`Diagnostic`]: a [`Finding`] at 1-based lines and columns of a
//! named file, with its fix's edits placed the same way. Every output format, the cache and
//! the `# noqa` filter work on findings.

use serde::{Deserialize, Serialize};

use super::{Applicability, Diagnostic};
use crate::source::LineIndex;

/// One finding, ready to print: what, where (1-based lines and columns) and whether it is fixable.
///
/// Columns count Unicode characters from the start of the line; `end_line`/`end_column` point
/// just past the construct (exclusive), so an empty range has `end_column == column`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, e.g. `PY001`.
    pub code: String,
    /// Kebab-case rule name, e.g. `print-statement`.
    pub name: String,
    /// What is wrong, one line.
    pub message: String,
    /// The file's path as given on the command line (or relative to the run root).
    pub path: String,
    /// 1-based line of the start of the construct.
    pub line: usize,
    /// 1-based column (in characters) of the start of the construct.
    pub column: usize,
    /// 1-based line of the end of the construct.
    pub end_line: usize,
    /// 1-based column (in characters) just past the end of the construct.
    pub end_column: usize,
    /// Whether `py2to3 fix` can rewrite it.
    pub fixable: bool,
    /// The edits `fix` would make, when they apply to the file as it is.
    pub fix: Option<FindingFix>,
}

/// The fix of a [`Finding`]: its edits at 1-based lines and columns of the file as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FindingFix {
    /// `safe` (applied by `fix`) or `unsafe` (applied with `--unsafe-fixes`).
    pub applicability: String,
    pub edits: Vec<FindingEdit>,
}

/// One edit of a [`FindingFix`]: replace `line:column` up to `end_line:end_column` (exclusive)
/// with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FindingEdit {
    pub content: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Sorts findings by path, position and code: the order every format prints them in.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.code, a.end_line, a.end_column).cmp(&(
            &b.path,
            b.line,
            b.column,
            &b.code,
            b.end_line,
            b.end_column,
        ))
    });
}

/// Turns an engine diagnostic into a printable finding for `path`.
///
/// `text` is the text the diagnostic's byte range points into (the original file) and `index`
/// its [`LineIndex`]. A fix counts as fixable unless it is display-only.
pub fn to_finding(diag: &Diagnostic, path: &str, text: &str, index: &LineIndex) -> Finding {
    let (line, column) = index.line_col(text, diag.start);
    let (end_line, end_column) = index.line_col(text, diag.end.max(diag.start));
    Finding {
        code: diag.code.to_string(),
        name: diag.name.to_string(),
        message: diag.message.clone(),
        path: path.to_string(),
        line,
        column,
        end_line,
        end_column,
        fixable: diag
            .fix
            .as_ref()
            .is_some_and(|f| f.applicability != Applicability::DisplayOnly),
        fix: diag
            .fix
            .as_ref()
            .filter(|f| f.applicability != Applicability::DisplayOnly && !f.edits.is_empty())
            .map(|f| FindingFix {
                applicability: if f.applicability == Applicability::Safe {
                    "safe"
                } else {
                    "unsafe"
                }
                .to_string(),
                edits: f
                    .edits
                    .iter()
                    .map(|e| {
                        let (line, column) = index.line_col(text, e.start);
                        let (end_line, end_column) = index.line_col(text, e.end.max(e.start));
                        FindingEdit {
                            content: e.content.clone(),
                            line,
                            column,
                            end_line,
                            end_column,
                        }
                    })
                    .collect(),
            }),
    }
}
