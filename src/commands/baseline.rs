//! `check --write-baseline FILE` records the current findings; `check --baseline FILE`
//! reports only the findings that are not in it. A finding is matched by its path, its code and
//! the text of its line (trimmed), not by its line number, so code added above a known finding
//! keeps it matched; a key recorded `n` times absorbs at most `n` findings, so a copy of a known
//! line is a new finding.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::report::Finding;
use crate::source::LineIndex;

/// The version of the file format written.
const FORMAT: u32 = 1;

/// The baseline file: the findings a project accepts for now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The format version ([`FORMAT`]).
    pub version: u32,
    /// The accepted findings, sorted.
    pub findings: Vec<Entry>,
}

/// One accepted finding (or several alike).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The path as `check` printed it.
    pub path: String,
    /// The rule code.
    pub code: String,
    /// The finding's first line, trimmed.
    pub line: String,
    /// How many findings of this path, code and line text there were.
    pub count: usize,
}

/// The text of each finding's line, read once per file (a file that cannot be read gives "").
struct LineTexts {
    files: BTreeMap<String, Option<(String, LineIndex)>>,
}

impl LineTexts {
    fn new() -> Self {
        LineTexts {
            files: BTreeMap::new(),
        }
    }

    fn line(&mut self, finding: &Finding) -> String {
        let file = self.files.entry(finding.path.clone()).or_insert_with(|| {
            let bytes = std::fs::read(&finding.path).ok()?;
            let text = crate::source::SourceFile::decode(&bytes).ok()?.text;
            let index = LineIndex::new(&text);
            Some((text, index))
        });
        match file {
            Some((text, index)) => index.line_text(text, finding.line).trim().to_string(),
            None => String::new(),
        }
    }
}

fn key(f: &Finding, line: String) -> (String, String, String) {
    (f.path.clone(), f.code.clone(), line)
}

/// The baseline that accepts exactly `findings`.
pub fn record(findings: &[Finding]) -> Baseline {
    let mut lines = LineTexts::new();
    let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(key(f, lines.line(f))).or_default() += 1;
    }
    Baseline {
        version: FORMAT,
        findings: counts
            .into_iter()
            .map(|((path, code, line), count)| Entry {
                path,
                code,
                line,
                count,
            })
            .collect(),
    }
}

/// Keeps the findings the baseline does not accept.
pub fn filter(findings: Vec<Finding>, baseline: &Baseline) -> Vec<Finding> {
    let mut budget: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for e in &baseline.findings {
        *budget
            .entry((e.path.clone(), e.code.clone(), e.line.clone()))
            .or_default() += e.count;
    }
    let mut lines = LineTexts::new();
    findings
        .into_iter()
        .filter(|f| {
            let k = key(f, lines.line(f));
            match budget.get_mut(&k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        })
        .collect()
}

/// Reads a baseline file.
pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a py2to3 baseline: {e}", path.display()))?;
    if baseline.version != FORMAT {
        return Err(format!(
            "{}: baseline format {} is not the one this py2to3 reads ({FORMAT})",
            path.display(),
            baseline.version
        ));
    }
    Ok(baseline)
}

/// Writes a baseline file (atomically: a crash leaves the old one or the new one).
pub fn write(path: &Path, baseline: &Baseline) -> Result<(), String> {
    let mut json = serde_json::to_string_pretty(baseline).map_err(|e| e.to_string())?;
    json.push('\n');
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("cannot write the baseline {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut tmp, json.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| format!("cannot write the baseline {}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| format!("cannot write the baseline {}: {}", path.display(), e.error))?;
    Ok(())
}
