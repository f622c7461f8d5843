//! The migration dashboard (`py2to3 report`): one self-contained HTML page that says how far a
//! code base is from Python 3.
//!
//! The command (`src/commands/report.rs`) checks every file with the same pipeline as `check`
//! and hands the results here as [`FileRecord`]s. This module counts them ([`Totals`]), groups
//! them by folder ([`tree`]), reads pickle and memcache audit JSON ([`data`]), walks git history
//! ([`history`]) and writes the page ([`html`], with the SVG chart of [`chart`]). Nothing here
//! reaches the network, and the page loads nothing: its CSS, script and chart are inline.

pub mod chart;
pub mod data;
pub mod history;
pub mod html;
pub mod tree;

use std::collections::BTreeMap;

use serde::Serialize;

use super::Finding;

/// What checking one file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// The file's path as `check` prints it.
    pub path: String,
    /// Its number of lines (a last line without a newline counts).
    pub lines: usize,
    /// What is left to do in it.
    pub state: FileState,
}

/// Where one file stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Checked: the findings `check` reports, and whether CPython 3 would compile the file as
    /// it is (parse, then the compiler's own checks).
    Checked {
        findings: Vec<Finding>,
        python3: bool,
    },
    /// `check` could not check it (it does not parse as Python 2 or 3, or cannot be decoded):
    /// the reason, as `check` prints it.
    Failed(String),
}

impl FileRecord {
    /// The findings left in the file (none for a file that could not be checked).
    pub fn findings(&self) -> &[Finding] {
        match &self.state {
            FileState::Checked { findings, .. } => findings,
            FileState::Failed(_) => &[],
        }
    }

    /// Whether CPython 3 compiles the file as it is.
    pub fn python3(&self) -> bool {
        matches!(self.state, FileState::Checked { python3: true, .. })
    }

    /// Whether the file is done: it compiles as Python 3 and `check` finds nothing in it.
    pub fn migrated(&self) -> bool {
        matches!(&self.state, FileState::Checked { findings, python3: true } if findings.is_empty())
    }

    /// Whether `check` could not check the file.
    pub fn failed(&self) -> bool {
        matches!(self.state, FileState::Failed(_))
    }
}

/// Counts over a set of files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Python files.
    pub files: usize,
    /// Their lines.
    pub lines: usize,
    /// Files CPython 3 compiles as they are.
    pub python3_files: usize,
    /// Files that compile as Python 3 and have no finding left.
    pub migrated_files: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    /// Files `check` could not check.
    pub failed_files: usize,
    /// Findings left.
    pub findings: usize,
    /// Findings `py2to3 fix` rewrites.
    pub fixable: usize,
    /// Findings someone has to look at (no automatic fix).
    pub manual: usize,
}

impl Totals {
    /// Adds one file.
    pub fn add(&mut self, file: &FileRecord) {
        let findings = file.findings();
        let fixable = findings.iter().filter(|f| f.fixable).count();
        self.files += 1;
        self.lines += file.lines;
        self.python3_files += usize::from(file.python3());
        self.migrated_files += usize::from(file.migrated());
        self.files_with_findings += usize::from(!findings.is_empty());
        self.failed_files += usize::from(file.failed());
        self.findings += findings.len();
        self.fixable += fixable;
        self.manual += findings.len() - fixable;
    }

    /// The counts of `files`.
    pub fn of<'a>(files: impl IntoIterator<Item = &'a FileRecord>) -> Totals {
        let mut totals = Totals::default();
        for f in files {
            totals.add(f);
        }
        totals
    }

    /// The share of migrated files, 0.0 to 1.0 (1.0 for no files: nothing left to do).
    pub fn progress(&self) -> f64 {
        if self.files == 0 {
            1.0
        } else {
            self.migrated_files as f64 / self.files as f64
        }
    }
}

/// Findings of one rule over the whole tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTotals {
    /// Rule code, e.g. `PY001`.
    pub code: String,
    /// Rule name.
    pub name: String,
    /// Findings.
    pub count: usize,
    /// Of which `fix` rewrites.
    pub fixable: usize,
    /// Files with at least one.
    pub files: usize,
}

/// The findings of `files` counted by rule, most frequent first (ties by code).
pub fn rule_totals(files: &[FileRecord]) -> Vec<RuleTotals> {
    let mut by_code: BTreeMap<&str, RuleTotals> = BTreeMap::new();
    for file in files {
        let mut seen_here: Vec<&str> = Vec::new();
        for f in file.findings() {
            let rule = by_code.entry(&f.code).or_insert_with(|| RuleTotals {
                code: f.code.clone(),
                name: f.name.clone(),
                count: 0,
                fixable: 0,
                files: 0,
            });
            rule.count += 1;
            rule.fixable += usize::from(f.fixable);
            if !seen_here.contains(&f.code.as_str()) {
                seen_here.push(&f.code);
                rule.files += 1;
            }
        }
    }
    let mut rules: Vec<RuleTotals> = by_code.into_values().collect();
    rules.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    rules
}

/// Counts the lines of a file's bytes: its `\n`s, plus one for a last line without one.
pub fn count_lines(bytes: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', bytes).count();
    newlines + usize::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

/// Everything the page shows.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// The page's title (the paths the report covers).
    pub title: String,
    /// When the report was made, as text (e.g. `2026-12-05 10:00 UTC`).
    pub generated: String,
    /// Every Python file, sorted by path.
    pub files: Vec<FileRecord>,
    /// Files skipped (binary) and paths that could not be walked: (path, reason).
    pub skipped: Vec<(String, String)>,
    /// Audit data added with `--data`.
    pub data: Vec<data::DataSection>,
    /// Progress over the last commits, oldest first (empty without `--history`).
    pub history: Vec<history::HistoryPoint>,
    /// Why the history is incomplete or missing, if it is.
    pub history_notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn finding(path: &str, code: &str, fixable: bool) -> Finding {
        Finding {
            code: code.into(),
            name: format!("rule-{code}"),
            message: "m".into(),
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            fixable,
            fix: None,
        }
    }

    pub(crate) fn checked(
        path: &str,
        lines: usize,
        codes: &[(&str, bool)],
        python3: bool,
    ) -> FileRecord {
        FileRecord {
            path: path.into(),
            lines,
            state: FileState::Checked {
                findings: codes.iter().map(|&(c, fx)| finding(path, c, fx)).collect(),
                python3,
            },
        }
    }

    #[test]
    fn totals_count_files_lines_and_findings() {
        let files = vec![
            checked(
                "a.py",
                10,
                &[("PY001", true), ("PY001", true), ("PY200", false)],
                false,
            ),
            checked("b.py", 5, &[], true),
            checked("c.py", 7, &[("PY200", false)], true),
            FileRecord {
                path: "d.py".into(),
                lines: 3,
                state: FileState::Failed("1:1: does not parse".into()),
            },
        ];
        let totals = Totals::of(&files);
        assert_eq!(
            totals,
            Totals {
                files: 4,
                lines: 25,
                python3_files: 2,
                migrated_files: 1,
                files_with_findings: 2,
                failed_files: 1,
                findings: 4,
                fixable: 2,
                manual: 2,
            }
        );
        assert_eq!(totals.progress(), 0.25);
        let rules = rule_totals(&files);
        let summary: Vec<(&str, usize, usize, usize)> = rules
            .iter()
            .map(|r| (r.code.as_str(), r.count, r.fixable, r.files))
            .collect();
        assert_eq!(summary, [("PY001", 2, 2, 1), ("PY200", 2, 0, 2)]);
    }

    #[test]
    fn lines_count_a_last_line_without_newline() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"x"), 1);
        assert_eq!(count_lines(b"x\n"), 1);
        assert_eq!(count_lines(b"x\r\ny"), 2);
        assert_eq!(count_lines(b"\n\n"), 2);
    }
}
