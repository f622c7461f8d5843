//! The JUnit XML format: one `<testsuite>`, one failing `<testcase>` a finding (or a single
//! passing test case when there is none), for CI systems that show test reports.

use std::io::{self, Write};

use super::Finding;

/// Prints the findings as a JUnit XML document.
pub fn write(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let count = findings.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="py2to3" tests="{}" failures="{count}" errors="0">"#,
        count.max(1)
    )?;
    writeln!(
        out,
        r#"  <testsuite name="py2to3" tests="{}" failures="{count}" errors="0" skipped="0">"#,
        count.max(1)
    )?;
    if findings.is_empty() {
        writeln!(
            out,
            r#"    <testcase name="py2to3 check" classname="py2to3"/>"#
        )?;
    }
    for f in findings {
        let location = format!("{}:{}:{}", f.path, f.line, f.column);
        writeln!(
            out,
            r#"    <testcase name="{}" classname="{}" file="{}" line="{}">"#,
            escape(&format!("{} {location}", f.code)),
            escape(&f.path),
            escape(&f.path),
            f.line
        )?;
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}</failure>"#,
            escape(&f.message),
            escape(&f.code),
            escape(&format!("{location}: {} {}", f.code, f.message))
        )?;
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// Escapes text for XML content and attribute values.
///
/// Markup characters become entities, newlines and tabs become character references (so they
/// survive attribute normalisation), and characters XML 1.0 forbids become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c\"'\n\u{1}\u{FFFE}é"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;\u{FFFD}\u{FFFD}é"
        );
    }

    #[test]
    fn no_findings_is_one_passing_case() {
        let mut out = Vec::new();
        write(&[], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#"tests="1" failures="0""#));
        assert!(text.contains(r#"<testcase name="py2to3 check" classname="py2to3"/>"#));
    }
}
