//! Suppression comments: `# noqa` and `# noqa: CODE[, CODE]` at the end of a line, and the
//! file-level `# py2to3: skip-file`.
//!
//! The tokenizer gives the byte ranges of comment tokens; [`Noqa::from_comments`] reads them
//! once per file. A finding is suppressed when a directive on its first or its last line names
//! its code (or names none), so a `# noqa` after a statement that spans lines works too.

use std::collections::BTreeMap;

use super::finding::{sort_findings, to_finding, Finding};
use crate::engine::Diagnostic;
use crate::source::LineIndex;
use crate::tokens::{Token, TokenKind};

/// What a `# noqa` comment suppresses on its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `# noqa`: every finding.
    All,
    /// `# noqa: PY001, print-statement`: findings of these rules, by code (kept upper-case) or
    /// by name (kept lower-case).
    Codes(Vec<String>),
    /// `# noqa: PY001 (backlog)`, as `check --add-noqa` writes: Python 2 code left for later.
    /// It silences `check` like [`Directive::Codes`], but `fix` still converts the code (the
    /// migration is what clears the backlog); a person's `# noqa` also stops `fix`.
    Backlog(Vec<String>),
}

/// The marker after the codes that makes a directive a [`Directive::Backlog`].
pub const BACKLOG_MARKER: &str = "(backlog)";

impl Directive {
    /// Whether this directive suppresses the rule with this code and name.
    pub fn suppresses(&self, code: &str, name: &str) -> bool {
        match self {
            Directive::All => true,
            Directive::Codes(items) | Directive::Backlog(items) => items
                .iter()
                .any(|c| c.eq_ignore_ascii_case(code) || c.eq_ignore_ascii_case(name)),
        }
    }
}

/// The suppressions of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Noqa {
    skip_file: bool,
    lines: BTreeMap<usize, Directive>,
    /// The directives of `lines` less the backlog ones: what `fix` honours.
    for_fix: BTreeMap<usize, Directive>,
    /// Lines that end inside a string spanning lines or with a `\` continuation, each with the
    /// last line of that stretch: a directive there covers them (no comment fits on them).
    joined: BTreeMap<usize, usize>,
}

impl Noqa {
    /// Reads the directives of the comments at `comments` (byte ranges of comment tokens, each
    /// starting at its `#`) in `text`. Ranges that do not fit the text are ignored.
    pub fn from_comments(
        text: &str,
        comments: impl IntoIterator<Item = (usize, usize)>,
        index: &LineIndex,
    ) -> Self {
        let mut noqa = Noqa::default();
        for (start, end) in comments {
            let Some(comment) = text.get(start..end) else {
                continue;
            };
            if is_skip_file(comment) {
                noqa.skip_file = true;
            }
            let directives = parse_directives(comment);
            if directives.is_empty() {
                continue;
            }
            let line = line_of(index, text, start);
            for directive in directives {
                if !matches!(directive, Directive::Backlog(_)) {
                    let merged = merge(noqa.for_fix.remove(&line), directive.clone());
                    noqa.for_fix.insert(line, merged);
                }
                let merged = merge(noqa.lines.remove(&line), directive);
                noqa.lines.insert(line, merged);
            }
        }
        noqa
    }

    /// The directives of the comments among `tokens` (the tokens of `text`), a directive at the
    /// end of a stretch of lines joined by a string or `\` continuations covering them all.
    pub fn from_tokens(text: &str, tokens: &[Token], index: &LineIndex) -> Self {
        let mut noqa = Noqa::from_comments(text, comment_ranges(tokens), index);
        noqa.joined = joined_lines(text, tokens, index);
        noqa
    }

    /// The lines whose directives cover a finding on `line`: itself and, when it is joined
    /// to the lines after it, the last of those.
    fn covering(&self, line: usize) -> [usize; 2] {
        [line, self.joined.get(&line).copied().unwrap_or(line)]
    }

    /// Whether the file says `# py2to3: skip-file`: it is neither checked nor fixed.
    pub fn skip_file(&self) -> bool {
        self.skip_file
    }

    /// The directive on 1-based `line`, if any.
    pub fn directive(&self, line: usize) -> Option<&Directive> {
        self.lines.get(&line)
    }

    /// Whether a finding of rule `code`/`name` from line `line` to `end_line` is suppressed.
    pub fn suppresses(&self, code: &str, name: &str, line: usize, end_line: usize) -> bool {
        self.skip_file
            || self
                .covering(line)
                .iter()
                .chain(self.covering(end_line).iter())
                .any(|l| self.lines.get(l).is_some_and(|d| d.suppresses(code, name)))
    }

    /// Whether `fix` leaves a diagnostic of `code` at bytes `start..end` alone: a directive
    /// other than a backlog one suppresses it (fix works on byte ranges).
    pub fn suppresses_range(
        &self,
        index: &LineIndex,
        text: &str,
        code: &str,
        name: &str,
        start: usize,
        end: usize,
    ) -> bool {
        let first = self.covering(line_of(index, text, start));
        let last = self.covering(line_of(index, text, end.max(start)));
        self.skip_file
            || first.iter().chain(last.iter()).any(|l| {
                self.for_fix
                    .get(l)
                    .is_some_and(|d| d.suppresses(code, name))
            })
    }

    /// Drops the suppressed findings.
    pub fn filter(&self, findings: &mut Vec<Finding>) {
        findings.retain(|f| !self.suppresses(&f.code, &f.name, f.line, f.end_line));
    }

    /// Drops the suppressed diagnostics (for `fix`: a suppressed construct is not rewritten).
    /// `text` is the text the diagnostics point into and `index` its [`LineIndex`].
    pub fn retain_diagnostics(
        &self,
        index: &LineIndex,
        text: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        diagnostics.retain(|d| !self.suppresses_range(index, text, d.code, d.name, d.start, d.end));
    }
}

/// Whether `text` may hold a directive: a comment containing `noqa` (any case) or `skip-file`. A text
/// without either needs no tokenizing for suppressions, which is most files.
pub fn may_have_directives(text: &str) -> bool {
    // Directives live in comments: look only after each `#` (few per file), to the line end.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes).any(|hash| {
        let rest = &bytes[hash..];
        let line = &rest[..memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len())];
        // A rare letter of each word first: most comments have neither.
        (memchr::memchr2(b'q', b'Q', line).is_some()
            && line.windows(4).any(|w| w.eq_ignore_ascii_case(b"noqa")))
            || (memchr::memchr2(b'k', b'K', line).is_some()
                && line
                    .windows(9)
                    .any(|w| w.eq_ignore_ascii_case(b"skip-file")))
    })
}

/// The lines of `text` that end inside a string spanning lines or with a `\` continuation,
/// each mapped to the last line of its stretch (a string then `\` then more lines chain).
pub fn joined_lines(text: &str, tokens: &[Token], index: &LineIndex) -> BTreeMap<usize, usize> {
    // Each joined line -> the next line of its stretch; resolved to the stretch's end below.
    let mut next: BTreeMap<usize, usize> = BTreeMap::new();
    for t in tokens {
        let spans = match t.kind {
            TokenKind::String | TokenKind::Continuation => (
                line_of(index, text, t.start()),
                line_of(index, text, t.end()),
            ),
            _ => continue,
        };
        let (first, last) = match t.kind {
            // `\` + newline: the token ends on the next line (or at its start).
            TokenKind::Continuation => (spans.0, spans.0 + 1),
            _ => spans,
        };
        for l in first..last {
            next.insert(l, last);
        }
    }
    let lines: Vec<usize> = next.keys().rev().copied().collect();
    let mut end: BTreeMap<usize, usize> = BTreeMap::new();
    for l in lines {
        let n = next[&l];
        let e = end.get(&n).copied().unwrap_or(n);
        end.insert(l, e);
    }
    end
}

/// The byte ranges of the comment tokens among `tokens`.
pub fn comment_ranges(tokens: &[Token]) -> Vec<(usize, usize)> {
    tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .map(|t| (t.start(), t.end()))
        .collect()
}

/// 1-based line of byte `offset` of `text`.
fn line_of(index: &LineIndex, text: &str, offset: usize) -> usize {
    index.line_col(text, offset).0
}

/// For `fix`: drops the diagnostics a `# noqa` of `text` suppresses (all of them under
/// `# py2to3: skip-file`), so a suppressed construct is never rewritten. `tokens` are the
/// tokens of `text`; a text without any `noqa`/`skip-file` comment costs one pass over them.
pub fn retain_unsuppressed(text: &str, tokens: &[Token], diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.is_empty() || !may_have_directives(text) {
        return;
    }
    let index = LineIndex::new(text);
    Noqa::from_tokens(text, tokens, &index).retain_diagnostics(&index, text, diagnostics);
}

/// Everything `check` reports for one file: its diagnostics as findings at `path`, less those a
/// `# noqa` suppresses (none at all when the file says `# py2to3: skip-file`), sorted.
///
/// `text` is the text the diagnostics point into and `tokens` its tokens (empty when it has no
/// directive, see [`may_have_directives`]).
pub fn file_findings(
    diagnostics: &[Diagnostic],
    path: &str,
    text: &str,
    tokens: &[Token],
) -> Vec<Finding> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let noqa = Noqa::from_tokens(text, tokens, &index);
    if noqa.skip_file() {
        return Vec::new();
    }
    let mut findings: Vec<Finding> = diagnostics
        .iter()
        .map(|d| to_finding(d, path, text, &index))
        .collect();
    noqa.filter(&mut findings);
    sort_findings(&mut findings);
    findings
}

/// Reads a `# noqa` directive in one comment's text (starting at `#`), if there is one.
///
/// `noqa` is matched case-insensitively right after a `#` (spaces allowed), so it also works
/// after another directive: `# type: ignore  # noqa: PY001`. `# noqa:` followed by codes or
/// rule names separated by commas or spaces suppresses those rules (several directives in one comment add
/// up); `# noqa` alone (or with an empty code
/// list) suppresses all. `# noqaX` is not a directive.
pub fn parse_noqa(comment: &str) -> Option<Directive> {
    parse_directives(comment)
        .into_iter()
        .fold(None, |found, d| Some(merge(found, d)))
}

/// Every `# noqa` directive of one comment, in order (see [`parse_noqa`]).
pub fn parse_directives(comment: &str) -> Vec<Directive> {
    let mut found = Vec::new();
    let mut rest = comment;
    while let Some(hash) = rest.find('#') {
        let Some(after) = rest.get(hash + 1..) else {
            break;
        };
        if let Some(tail) = strip_prefix_ignore_case(after.trim_start(), "noqa") {
            found.extend(directive_after_noqa(tail));
        }
        rest = after;
    }
    found
}

/// Two directives of one line together: codes add up, and `All` wins.
fn merge(first: Option<Directive>, second: Directive) -> Directive {
    match (first, second) {
        (None, d) => d,
        (Some(Directive::Backlog(mut a)), Directive::Backlog(b)) => {
            a.extend(b);
            Directive::Backlog(a)
        }
        (
            Some(Directive::Codes(mut a) | Directive::Backlog(mut a)),
            Directive::Codes(b) | Directive::Backlog(b),
        ) => {
            a.extend(b);
            Directive::Codes(a)
        }
        _ => Directive::All,
    }
}

/// The directive given what follows the word `noqa`, or `None` when `noqa` was part of a word.
fn directive_after_noqa(tail: &str) -> Option<Directive> {
    if tail.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-') {
        return None;
    }
    let Some(list) = tail.trim_start().strip_prefix(':') else {
        return Some(Directive::All);
    };
    let codes: Vec<String> = list
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .take_while(|c| !c.starts_with('#'))
        .filter(|c| !c.is_empty())
        .take_while(|c| is_rule_word(c))
        .map(|c| {
            if is_code(c) {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if codes.is_empty() {
        return Some(Directive::All);
    }
    // The marker follows the codes, before any other comment.
    let own = list.split('#').next().unwrap_or("");
    let backlog = own
        .to_ascii_lowercase()
        .split_whitespace()
        .any(|w| w.trim_matches(',') == BACKLOG_MARKER);
    Some(if backlog {
        Directive::Backlog(codes)
    } else {
        Directive::Codes(codes)
    })
}

/// Whether `word` can name a rule: a code (`PY001`) or a kebab-case name (`print-statement`).
fn is_rule_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && (is_code(word) || word.contains('-'))
}

/// Whether `word` looks like a rule code: letters then digits, e.g. `PY001`.
fn is_code(word: &str) -> bool {
    let letters = word.chars().take_while(char::is_ascii_alphabetic).count();
    let digits = word.get(letters..).unwrap_or("");
    letters > 0 && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// Whether one comment is `# py2to3: skip-file` (case and spacing free).
pub fn is_skip_file(comment: &str) -> bool {
    let Some(body) = comment.trim_start().strip_prefix('#') else {
        return false;
    };
    let Some(rest) = strip_prefix_ignore_case(body.trim_start(), "py2to3") else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    let Some(rest) = strip_prefix_ignore_case(rest.trim_start(), "skip-file") else {
        return false;
    };
    rest.trim().is_empty() || rest.trim_start().starts_with('#')
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Option<Directive> {
        Some(Directive::Codes(
            list.iter().map(|c| c.to_string()).collect(),
        ))
    }

    #[test]
    fn backlog_directives_silence_check_not_fix() {
        assert_eq!(
            parse_noqa("# noqa: PY001, PY203 (backlog)"),
            Some(Directive::Backlog(vec!["PY001".into(), "PY203".into()]))
        );
        assert_eq!(
            parse_noqa("# noqa: PY112  # noqa: PY001 (backlog)"),
            codes(&["PY112", "PY001"])
        );
        let text = "print 'x'  # noqa: PY001 (backlog)\nd.has_key(1)  # noqa: PY112  # noqa: PY001 (backlog)\n";
        let index = LineIndex::new(text);
        let comments: Vec<(usize, usize)> = text
            .match_indices("# noqa: PY001 (backlog)")
            .map(|(i, m)| (i, i + m.len()))
            .chain(
                text.match_indices("# noqa: PY112  #")
                    .map(|(i, _)| (i, text[i..].find('\n').unwrap() + i)),
            )
            .collect();
        let noqa = Noqa::from_comments(text, comments, &index);
        assert!(noqa.suppresses("PY001", "print-statement", 1, 1));
        assert!(noqa.suppresses("PY112", "has-key", 2, 2));
        let second = text.find("d.has").unwrap();
        assert!(!noqa.suppresses_range(&index, text, "PY001", "print-statement", 0, 5));
        assert!(noqa.suppresses_range(&index, text, "PY112", "has-key", second, second + 3));
        assert!(!noqa.suppresses_range(
            &index,
            text,
            "PY001",
            "print-statement",
            second,
            second + 3
        ));
    }

    #[test]
    fn parses_noqa_forms() {
        assert_eq!(parse_noqa("# noqa"), Some(Directive::All));
        assert_eq!(parse_noqa("#NOQA"), Some(Directive::All));
        assert_eq!(parse_noqa("# noqa  "), Some(Directive::All));
        assert_eq!(parse_noqa("# noqa: PY001"), codes(&["PY001"]));
        assert_eq!(parse_noqa("# noqa:PY001,py002"), codes(&["PY001", "PY002"]));
        assert_eq!(
            parse_noqa("# noqa: PY001, PY002 PY003"),
            codes(&["PY001", "PY002", "PY003"])
        );
        assert_eq!(
            parse_noqa("# noqa : PY001 because reasons"),
            codes(&["PY001"])
        );
        assert_eq!(parse_noqa("# noqa:"), Some(Directive::All));
        assert_eq!(
            parse_noqa("# type: ignore  # noqa: PY004"),
            codes(&["PY004"])
        );
        assert_eq!(parse_noqa("# noqa: PY001 # trailing"), codes(&["PY001"]));
        assert_eq!(parse_noqa("# noqa: PY001 # noqa"), Some(Directive::All));
        assert_eq!(
            parse_noqa("# noqa: print-statement, PY002 -- legacy"),
            codes(&["print-statement", "PY002"])
        );
        assert_eq!(
            parse_noqa("# noqa: Print-Statement"),
            codes(&["print-statement"])
        );
        assert_eq!(parse_noqa("# noqa: just because"), Some(Directive::All));
        assert_eq!(parse_noqa("# noqanda"), None);
        assert_eq!(parse_noqa("# no qa"), None);
        assert_eq!(parse_noqa("# see noqa docs"), None);
        assert_eq!(parse_noqa("#"), None);
        assert_eq!(parse_noqa("# é noqa"), None);
        assert_eq!(parse_noqa("# é # noqa"), Some(Directive::All));
    }

    #[test]
    fn skip_file() {
        assert!(is_skip_file("# py2to3: skip-file"));
        assert!(is_skip_file("#PY2TO3:skip-file"));
        assert!(is_skip_file("# py2to3 : skip-file  # legacy"));
        assert!(!is_skip_file("# py2to3: skip-filex"));
        assert!(!is_skip_file("# not py2to3: skip-file"));
        assert!(!is_skip_file("# py2to3 skip-file"));
    }

    /// The comment ranges of a text, found the naive way (no `#` in strings in these tests).
    fn comments(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if let Some(i) = line.find('#') {
                out.push((offset + i, offset + line.trim_end().len()));
            }
            offset += line.len();
        }
        out
    }

    fn finding(code: &str, line: usize, end_line: usize) -> Finding {
        Finding {
            code: code.into(),
            name: "n".into(),
            message: "m".into(),
            path: "a.py".into(),
            line,
            column: 1,
            end_line,
            end_column: 2,
            fixable: false,
            fix: None,
        }
    }

    #[test]
    fn filters_findings_by_line_and_code() {
        let text = "print 'a'  # noqa\nprint 'b'  # noqa: PY002\nprint 'c'\nprint ('d',\n  'e')  # noqa: PY001\n";
        let index = LineIndex::new(text);
        let noqa = Noqa::from_comments(text, comments(text), &index);
        assert!(!noqa.skip_file());
        assert_eq!(noqa.directive(1), Some(&Directive::All));
        let mut findings = vec![
            finding("PY001", 1, 1),
            finding("PY001", 2, 2),
            finding("PY002", 2, 2),
            finding("PY001", 3, 3),
            finding("PY001", 4, 5),
            finding("PY003", 4, 5),
        ];
        noqa.filter(&mut findings);
        let left: Vec<(&str, usize)> = findings.iter().map(|f| (f.code.as_str(), f.line)).collect();
        assert_eq!(left, vec![("PY001", 2), ("PY001", 3), ("PY003", 4)]);
        let start = text.find("print 'c'").unwrap();
        assert!(!noqa.suppresses_range(&index, text, "PY001", "n", start, start + 9));
        assert!(noqa.suppresses_range(&index, text, "PY002", "n", 18, 27));
    }

    #[test]
    fn skip_file_suppresses_everything_and_bad_ranges_are_ignored() {
        let text = "import os\n# py2to3: skip-file\nprint 'x'\n";
        let index = LineIndex::new(text);
        let mut ranges = comments(text);
        ranges.push((5, 500));
        ranges.push((7, 3));
        let noqa = Noqa::from_comments(text, ranges, &index);
        assert!(noqa.skip_file());
        let mut findings = vec![finding("PY001", 3, 3)];
        noqa.filter(&mut findings);
        assert!(findings.is_empty());
    }

    fn diag(code: &'static str, start: usize, end: usize) -> Diagnostic {
        Diagnostic {
            code,
            name: "n",
            message: "m".into(),
            start,
            end,
            fix: None,
        }
    }

    #[test]
    fn file_findings_and_fix_filtering() {
        let text = "print 'a'  # noqa: PY001\nprint 'b'\n`x`  # NOQA\n";
        let diags = vec![
            diag("PY003", 35, 38),
            diag("PY001", 25, 34),
            diag("PY001", 0, 9),
            diag("PY002", 0, 9),
        ];
        let found = file_findings(&diags, "m.py", text, &crate::tokens::tokenize(text));
        let got: Vec<(&str, usize, usize)> = found
            .iter()
            .map(|f| (f.code.as_str(), f.line, f.column))
            .collect();
        assert_eq!(got, vec![("PY002", 1, 1), ("PY001", 2, 1)]);
        let index = LineIndex::new(text);
        let noqa = Noqa::from_comments(text, comments(text), &index);
        let mut for_fix = diags.clone();
        noqa.retain_diagnostics(&index, text, &mut for_fix);
        assert_eq!(
            for_fix
                .iter()
                .map(|d| (d.code, d.start))
                .collect::<Vec<_>>(),
            [("PY001", 25), ("PY002", 0)]
        );
        let skipped = format!("# py2to3: skip-file\n{text}");
        assert!(
            file_findings(&diags, "m.py", &skipped, &crate::tokens::tokenize(&skipped)).is_empty()
        );
    }

    #[test]
    fn directive_prefilter() {
        assert!(may_have_directives("x = 1  # NoQa\n"));
        assert!(may_have_directives("# PY2TO3: SKIP-FILE\n"));
        assert!(!may_have_directives("print 'x'  # no qa\n"));
        assert!(!may_have_directives(""));
    }

    #[test]
    fn fix_side_filter_reads_the_tokens() {
        let text = "print 'a'  # noqa: PY001\nprint 'b'  # a comment\ns = '# noqa'; print 'c'\n";
        let tokens = crate::tokens::tokenize(text);
        let diags = vec![
            diag("PY001", 0, 9),
            diag("PY001", 25, 34),
            diag("PY001", 62, 71),
        ];
        let mut kept = diags.clone();
        retain_unsuppressed(text, &tokens, &mut kept);
        assert_eq!(
            kept.iter().map(|d| d.start).collect::<Vec<_>>(),
            [25, 62],
            "a `# noqa` inside a string is not a directive"
        );
        let skipped = format!("# py2to3: skip-file\n{text}");
        let mut none = diags;
        retain_unsuppressed(&skipped, &crate::tokens::tokenize(&skipped), &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn names_suppress_too() {
        let d = parse_noqa("# noqa: print-statement").unwrap();
        assert!(d.suppresses("PY001", "print-statement"));
        assert!(!d.suppresses("PY002", "exec-statement"));
        let d = parse_noqa("# noqa: py001").unwrap();
        assert!(d.suppresses("PY001", "print-statement"));
    }

    #[test]
    fn two_directives_on_one_line_merge() {
        let text = "x  # noqa: PY001  # noqa: PY002\n";
        let index = LineIndex::new(text);
        let noqa = Noqa::from_comments(text, [(3, 31)], &index);
        assert_eq!(noqa.directive(1), codes(&["PY001", "PY002"]).as_ref());
    }
}
