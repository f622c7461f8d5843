//! The GitHub Actions format: one `::error` workflow command a finding, which GitHub shows as an
//! annotation on the pull request:
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::MESSAGE`.

use std::io::{self, Write};

use super::Finding;

/// Prints one workflow command a finding.
pub fn write(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        writeln!(
            out,
            "::error file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&f.path),
            f.line,
            f.column,
            f.end_line,
            f.end_column,
            escape_property(&f.code),
            escape_data(&f.message)
        )?;
    }
    Ok(())
}

/// Escapes a command's message: `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a property value: as [`escape_data`], and also `:` and `,` (`%3A`, `%2C`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("C:\\a,b%\n.py"), "C%3A\\a%2Cb%25%0A.py");
    }

    #[test]
    fn one_command_per_finding() {
        let f = Finding {
            code: "PY001".into(),
            name: "print-statement".into(),
            message: "use print(): 50% done,\nnext".into(),
            path: "src/a,b.py".into(),
            line: 3,
            column: 5,
            end_line: 4,
            end_column: 2,
            fixable: true,
            fix: None,
        };
        let mut out = Vec::new();
        write(&[f], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=src/a%2Cb.py,line=3,col=5,endLine=4,endColumn=2,title=PY001::\
             use print(): 50%25 done,%0Anext\n"
        );
    }
}
