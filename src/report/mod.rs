//! Output formats for findings: text, JSON, SARIF, GitHub workflow commands and JUnit XML.
//!
//! The engine produces [`Diagnostic`]s with byte ranges; [`to_finding`] turns one into a
//! [`Finding`] with a path and 1-based lines and columns (columns count characters, as ruff does),
//! using a [`LineIndex`] built once per file. [`write_report`] prints a list of findings in one
//! [`OutputFormat`]; [`statistics`] counts them by rule.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;

pub use crate::engine::finding::{sort_findings, to_finding, Finding, FindingEdit, FindingFix};
pub use crate::source::LineIndex;

pub mod dashboard;
pub mod github;
pub mod json;
pub mod junit;
pub mod rules;
pub mod sarif;
pub mod text;

/// The finding of a file that could not be read or parsed ([`rules::SYNTAX_ERROR`]): `reason`
/// is `LINE:COL: message` when the error has a position, else the message.
pub fn syntax_error_finding(path: &str, reason: &str) -> Finding {
    let reason = reason.trim_start();
    let mut parts = reason.splitn(3, ':');
    let position = match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(c), Some(rest)) => l
            .parse::<usize>()
            .ok()
            .zip(c.parse::<usize>().ok())
            .map(|p| (p, rest.trim_start())),
        _ => None,
    };
    let ((line, column), message) = position.unwrap_or(((1, 1), reason));
    Finding {
        code: rules::SYNTAX_ERROR.code.to_string(),
        name: rules::SYNTAX_ERROR.name.to_string(),
        message: message.to_string(),
        path: path.to_string(),
        line,
        column,
        end_line: line,
        end_column: column,
        fixable: false,
        fix: None,
    }
}

/// The text of 1-based `line` without its line ending; `None` past the last line (or for 0).
fn line_of_text(index: &LineIndex, text: &str, line: usize) -> Option<String> {
    let last = index.line_col(text, text.len()).0;
    (1..=last)
        .contains(&line)
        .then(|| index.line_text(text, line).to_string())
}

/// How to print findings (`--output-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: CODE message`, with the source line and a caret on a terminal.
    #[default]
    Text,
    /// A JSON array of findings.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions `::error` workflow commands.
    Github,
    /// JUnit XML: one test suite, one failing test case per finding.
    Junit,
}

/// Gives the text of a source line, for the text format's excerpt and caret.
pub trait SourceLines {
    /// The text of 1-based `line` of `path` without its line ending, if known.
    fn line(&self, path: &str, line: usize) -> Option<String>;
}

/// No sources: the text format prints no excerpts.
pub struct NoSources;

impl SourceLines for NoSources {
    fn line(&self, _path: &str, _line: usize) -> Option<String> {
        None
    }
}

/// Sources kept in memory: path -> whole text.
impl SourceLines for HashMap<String, String> {
    fn line(&self, path: &str, line: usize) -> Option<String> {
        let text = self.get(path)?;
        let index = LineIndex::new(text);
        line_of_text(&index, text, line)
    }
}

/// Reads source lines from disk on demand (paths relative to `root`), keeping the last file.
pub struct FileSources {
    root: PathBuf,
    decode: fn(&[u8]) -> Option<String>,
    last: Mutex<Option<(String, String, LineIndex)>>,
}

impl FileSources {
    /// Sources read from files as UTF-8 (invalid bytes replaced), with relative finding paths
    /// resolved against `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FileSources {
            root: root.into(),
            decode: |bytes| Some(String::from_utf8_lossy(bytes).into_owned()),
            last: Mutex::new(None),
        }
    }

    /// Decodes files with `decode` (e.g. by their PEP 263 cookie) instead of as UTF-8, so the
    /// columns match the text the findings were computed on.
    pub fn with_decoder(mut self, decode: fn(&[u8]) -> Option<String>) -> Self {
        self.decode = decode;
        self
    }
}

impl SourceLines for FileSources {
    fn line(&self, path: &str, line: usize) -> Option<String> {
        let mut last = self.last.lock().ok()?;
        if last.as_ref().is_none_or(|(p, _, _)| p != path) {
            let bytes = std::fs::read(self.root.join(path)).ok()?;
            let text = (self.decode)(&bytes)?;
            let index = LineIndex::new(&text);
            *last = Some((path.to_string(), text, index));
        }
        let (_, text, index) = last.as_ref()?;
        line_of_text(index, text, line)
    }
}

/// How the text format looks.
#[derive(Clone, Copy)]
pub struct ReportOptions<'a> {
    /// ANSI colours (text format only).
    pub color: bool,
    /// Print the source line and a caret under each finding (text format only).
    pub show_source: bool,
    /// Where the source lines come from.
    pub sources: &'a dyn SourceLines,
}

impl<'a> ReportOptions<'a> {
    /// Plain output: no colour, no excerpts.
    pub fn plain() -> ReportOptions<'static> {
        ReportOptions {
            color: false,
            show_source: false,
            sources: &NoSources,
        }
    }

    /// Terminal output: colour and excerpts read from `sources`.
    pub fn terminal(sources: &'a dyn SourceLines) -> Self {
        ReportOptions {
            color: true,
            show_source: true,
            sources,
        }
    }
}

/// Prints `findings` (already sorted with [`sort_findings`]) in `format` to `out`.
pub fn write_report(
    format: OutputFormat,
    findings: &[Finding],
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Text => text::write(findings, options, out),
        OutputFormat::Json => json::write(findings, out),
        OutputFormat::Sarif => sarif::write(findings, &sarif::registry_rules(findings), out),
        OutputFormat::Github => github::write(findings, out),
        OutputFormat::Junit => junit::write(findings, out),
    }
}

/// How many findings one rule produced (`--statistics`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// Rule code.
    pub code: String,
    /// Rule name.
    pub name: String,
    /// Number of findings.
    pub count: usize,
    /// How many of them are fixable.
    pub fixable: usize,
}

/// Counts findings by rule, most frequent first (ties by code).
pub fn statistics(findings: &[Finding]) -> Vec<RuleCount> {
    let mut by_code: HashMap<&str, RuleCount> = HashMap::new();
    for f in findings {
        let entry = by_code.entry(&f.code).or_insert_with(|| RuleCount {
            code: f.code.clone(),
            name: f.name.clone(),
            count: 0,
            fixable: 0,
        });
        entry.count += 1;
        if f.fixable {
            entry.fixable += 1;
        }
    }
    let mut counts: Vec<RuleCount> = by_code.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    counts
}

/// Prints [`statistics`] as a table: count, code, name, and `[*]` when all are fixable.
pub fn write_statistics(counts: &[RuleCount], out: &mut dyn Write) -> io::Result<()> {
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    for c in counts {
        let mark = if c.fixable == c.count {
            "[*]"
        } else if c.fixable > 0 {
            "[-]"
        } else {
            "[ ]"
        };
        writeln!(out, "{:>width$}\t{}\t{} {}", c.count, c.code, mark, c.name)?;
    }
    Ok(())
}

/// Explains the marks of [`write_statistics`] that `counts` uses, on one line.
pub fn write_statistics_legend(counts: &[RuleCount], out: &mut dyn Write) -> io::Result<()> {
    let all = counts.iter().any(|c| c.fixable == c.count);
    let some = counts.iter().any(|c| c.fixable > 0 && c.fixable < c.count);
    let none = counts.iter().any(|c| c.fixable == 0);
    let mut parts = Vec::new();
    if all {
        parts.push("[*] fixable with `py2to3 fix`");
    }
    if some {
        parts.push("[-] some fixable");
    }
    if none {
        parts.push("[ ] needs a person (see `py2to3 explain CODE`)");
    }
    if parts.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", parts.join(", "))
}

/// Prints [`statistics`] as a JSON array of `{code, name, count, fixable}` objects.
pub fn write_statistics_json(counts: &[RuleCount], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, counts)?;
    writeln!(out)
}

/// The process exit code of `check`: 1 when there are findings, unless `--exit-zero`.
pub fn exit_status(findings: &[Finding], exit_zero: bool) -> u8 {
    u8::from(!findings.is_empty() && !exit_zero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Applicability, Diagnostic, Edit, Fix};

    #[test]
    fn line_index_handles_every_newline_kind() {
        let text = "a\nbc\r\nd\re";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 1), (1, 2)); // the \n itself
        assert_eq!(index.line_col(text, 2), (2, 1));
        assert_eq!(index.line_col(text, 4), (2, 3)); // the \r of \r\n
        assert_eq!(index.line_col(text, 5), (2, 4)); // the \n of \r\n
        assert_eq!(index.line_col(text, 6), (3, 1));
        assert_eq!(index.line_col(text, 8), (4, 1));
        assert_eq!(index.line_col(text, 9), (4, 2)); // end of text
        assert_eq!(index.line_col(text, 99), (4, 2)); // clamped
        assert_eq!(line_of_text(&index, text, 2).as_deref(), Some("bc"));
        assert_eq!(line_of_text(&index, text, 3).as_deref(), Some("d"));
        assert_eq!(line_of_text(&index, text, 4).as_deref(), Some("e"));
        assert_eq!(line_of_text(&index, text, 5), None);
        assert_eq!(line_of_text(&index, text, 0), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "s = u'é€' + x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), (1, 13));
        assert_eq!(index.line_col(text, 6), (1, 7)); // 'é' starts at byte 6
        assert_eq!(index.line_col(text, 8), (1, 8));
    }

    /// Line and column by walking every character: the reference for [`LineIndex`].
    fn naive_line_column(text: &str, offset: usize) -> (usize, usize) {
        let (mut line, mut column) = (1, 1);
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if i >= offset {
                break;
            }
            let crlf_first = c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n');
            if c == '\n' || (c == '\r' && !crlf_first) {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }

    /// Every character boundary (where diagnostics point) and offsets past the end.
    #[test]
    fn line_index_matches_a_naive_walk_on_random_texts() {
        let alphabet = ['a', ' ', '\n', '\r', 'é', '€', '😀', '\t'];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let index = LineIndex::new(&text);
            for offset in 0..=text.len() + 2 {
                if offset <= text.len() && !text.is_char_boundary(offset) {
                    continue;
                }
                let clamped = offset.min(text.len());
                assert_eq!(
                    index.line_col(&text, offset),
                    naive_line_column(&text, clamped),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn empty_text_and_trailing_newline() {
        let index = LineIndex::new("");
        assert_eq!(index.line_col("", 0), (1, 1));
        let text = "x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 2), (2, 1));
        assert_eq!(line_of_text(&index, text, 2).as_deref(), Some(""));
    }

    fn diag(start: usize, end: usize, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            code: "PY001",
            name: "print-statement",
            message: "`print` statement".into(),
            start,
            end,
            fix,
        }
    }

    #[test]
    fn to_finding_maps_range_and_fixability() {
        let text = "import os\nprint 'hi'\n";
        let index = LineIndex::new(text);
        let f = to_finding(
            &diag(10, 20, Some(Fix::safe(vec![Edit::insert(15, "(")]))),
            "pkg/a.py",
            text,
            &index,
        );
        assert_eq!((f.line, f.column, f.end_line, f.end_column), (2, 1, 2, 11));
        assert!(f.fixable);
        assert_eq!(f.path, "pkg/a.py");
        let display_only = Fix {
            applicability: Applicability::DisplayOnly,
            ..Fix::safe(vec![])
        };
        assert!(!to_finding(&diag(10, 20, Some(display_only)), "a", text, &index).fixable);
        assert!(!to_finding(&diag(10, 20, None), "a", text, &index).fixable);
        // A reversed range never yields an end before the start.
        let f = to_finding(&diag(12, 3, None), "a", text, &index);
        assert_eq!((f.line, f.column, f.end_line, f.end_column), (2, 3, 2, 3));
    }

    fn finding(code: &str, fixable: bool) -> Finding {
        Finding {
            code: code.into(),
            name: format!("rule-{code}"),
            message: "m".into(),
            path: "a.py".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            fixable,
            fix: None,
        }
    }

    #[test]
    fn statistics_count_by_rule() {
        let findings = vec![
            finding("PY002", true),
            finding("PY001", false),
            finding("PY002", true),
            finding("PY003", true),
            finding("PY003", false),
        ];
        let counts = statistics(&findings);
        let summary: Vec<(&str, usize, usize)> = counts
            .iter()
            .map(|c| (c.code.as_str(), c.count, c.fixable))
            .collect();
        assert_eq!(
            summary,
            vec![("PY002", 2, 2), ("PY003", 2, 1), ("PY001", 1, 0)]
        );
        let mut out = Vec::new();
        write_statistics(&counts, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2\tPY002\t[*] rule-PY002\n2\tPY003\t[-] rule-PY003\n1\tPY001\t[ ] rule-PY001\n"
        );
    }

    #[test]
    fn exit_status_follows_findings_and_exit_zero() {
        assert_eq!(exit_status(&[], false), 0);
        assert_eq!(exit_status(&[finding("PY001", true)], false), 1);
        assert_eq!(exit_status(&[finding("PY001", true)], true), 0);
    }

    #[test]
    fn file_sources_read_and_decode() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.py"), b"x = 1\n# caf\xe9\n").unwrap();
        let sources = FileSources::new(dir.path());
        assert_eq!(sources.line("a.py", 1).as_deref(), Some("x = 1"));
        assert_eq!(sources.line("a.py", 2).as_deref(), Some("# caf\u{FFFD}"));
        assert_eq!(sources.line("missing.py", 1), None);
        let latin1 = FileSources::new(dir.path())
            .with_decoder(|b| Some(b.iter().map(|&c| char::from(c)).collect()));
        assert_eq!(latin1.line("a.py", 2).as_deref(), Some("# café"));
    }

    #[test]
    fn statistics_as_json() {
        let mut out = Vec::new();
        write_statistics_json(&statistics(&[finding("PY001", true)]), &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            value,
            serde_json::json!([{"code": "PY001", "name": "rule-PY001", "count": 1, "fixable": 1}])
        );
    }

    #[test]
    fn memory_sources_give_lines() {
        let mut sources = HashMap::new();
        sources.insert("a.py".to_string(), "one\r\ntwo\rthree".to_string());
        assert_eq!(sources.line("a.py", 2).as_deref(), Some("two"));
        assert_eq!(sources.line("a.py", 3).as_deref(), Some("three"));
        assert_eq!(sources.line("a.py", 4), None);
        assert_eq!(sources.line("b.py", 1), None);
    }
}
