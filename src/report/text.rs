//! The text format: `path:line:col: CODE message`, with the source line and a caret under the
//! construct when [`ReportOptions::show_source`] is on, and a closing summary line.

use std::io::{self, Write};

use super::{Finding, ReportOptions};

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const BLUE: &str = "\x1b[34m";
const RESET: &str = "\x1b[0m";

/// Prints every finding, then `Found N findings ...` (or `All checks passed!`).
pub fn write(findings: &[Finding], options: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = |style: &'static str| if options.color { style } else { "" };
    let reset = paint(RESET);
    for f in findings {
        writeln!(
            out,
            "{}{}{reset}:{}:{}: {}{}{reset} {}",
            paint(BOLD),
            f.path,
            f.line,
            f.column,
            paint(RED),
            f.code,
            f.message
        )?;
        if options.show_source {
            if let Some(source) = options.sources.line(&f.path, f.line) {
                let number = f.line.to_string();
                let gutter = " ".repeat(number.len());
                writeln!(out, "{}{number} |{reset} {source}", paint(BLUE))?;
                writeln!(
                    out,
                    "{}{gutter} |{reset} {}{}{}{reset}",
                    paint(BLUE),
                    caret_indent(&source, f.column),
                    paint(RED),
                    "^".repeat(caret_width(&source, f))
                )?;
            }
        }
    }
    write_summary(findings, out)
}

/// Spaces (and the line's own tabs) up to 1-based `column`, so the caret lines up.
fn caret_indent(source: &str, column: usize) -> String {
    source
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect()
}

/// Number of carets: the construct's width on its first line, at least one.
fn caret_width(source: &str, f: &Finding) -> usize {
    let width = if f.end_line == f.line {
        f.end_column.saturating_sub(f.column)
    } else {
        source
            .chars()
            .count()
            .saturating_sub(f.column.saturating_sub(1))
    };
    width.max(1)
}

/// `Found N findings (M fixable with `py2to3 fix`).` or `All checks passed!`.
fn write_summary(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    if findings.is_empty() {
        return writeln!(out, "All checks passed!");
    }
    let plural = if findings.len() == 1 { "" } else { "s" };
    let fixable = findings.iter().filter(|f| f.fixable).count();
    if fixable > 0 {
        writeln!(
            out,
            "Found {} finding{plural} ({fixable} fixable with `py2to3 fix`).",
            findings.len()
        )
    } else {
        writeln!(out, "Found {} finding{plural}.", findings.len())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn finding(line: usize, column: usize, end_line: usize, end_column: usize) -> Finding {
        Finding {
            code: "PY001".into(),
            name: "print-statement".into(),
            message: "`print` statement".into(),
            path: "pkg/a.py".into(),
            line,
            column,
            end_line,
            end_column,
            fixable: true,
            fix: None,
        }
    }

    fn render(findings: &[Finding], options: &ReportOptions) -> String {
        let mut out = Vec::new();
        write(findings, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_lines() {
        let text = render(&[finding(2, 5, 2, 15)], &ReportOptions::plain());
        assert_eq!(
            text,
            "pkg/a.py:2:5: PY001 `print` statement\n\
             Found 1 finding (1 fixable with `py2to3 fix`).\n"
        );
        assert_eq!(render(&[], &ReportOptions::plain()), "All checks passed!\n");
    }

    #[test]
    fn excerpt_with_caret_under_the_construct() {
        let mut sources = HashMap::new();
        sources.insert(
            "pkg/a.py".to_string(),
            "import os\n\tx = 1; print 'hi'\nprint (\n  1)\n".to_string(),
        );
        let options = ReportOptions {
            color: false,
            show_source: true,
            sources: &sources,
        };
        let mut second = finding(3, 1, 4, 5);
        second.fixable = false;
        let text = render(&[finding(2, 9, 2, 19), second], &options);
        assert_eq!(
            text,
            "pkg/a.py:2:9: PY001 `print` statement\n\
             2 | \tx = 1; print 'hi'\n  \
               | \t       ^^^^^^^^^^\n\
             pkg/a.py:3:1: PY001 `print` statement\n\
             3 | print (\n  \
               | ^^^^^^^\n\
             Found 2 findings (1 fixable with `py2to3 fix`).\n"
        );
    }

    #[test]
    fn colour_wraps_path_and_code() {
        let options = ReportOptions {
            color: true,
            show_source: false,
            sources: &super::super::NoSources,
        };
        let text = render(&[finding(1, 1, 1, 2)], &options);
        assert!(text.starts_with("\x1b[1mpkg/a.py\x1b[0m:1:1: \x1b[1;31mPY001\x1b[0m `print`"));
    }
}
