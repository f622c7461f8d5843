//! The JSON format: one array of finding objects (`code, name, message, path, line, column,
//! end_line, end_column, fixable, fix`, and `doc`: the rule's documentation, as `py2to3 explain`
//! prints it), pretty-printed, followed by a newline. `fix` is `null` or `{applicability,
//! edits: [{content, line, column, end_line, end_column}]}` (as ruff's JSON carries its fixes).

use std::io::{self, Write};

use super::Finding;

/// A finding as printed: its fields and its rule's documentation.
#[derive(serde::Serialize)]
struct Printed<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    /// The rule's documentation (`py2to3 explain CODE`), or `null` for an unknown code.
    doc: Option<String>,
}

/// Prints `findings` as a JSON array.
pub fn write(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let mut docs: std::collections::HashMap<&str, Option<String>> = Default::default();
    let printed: Vec<Printed> = findings
        .iter()
        .map(|f| Printed {
            finding: f,
            doc: docs
                .entry(&f.code)
                .or_insert_with(|| {
                    super::rules::find_rule(&f.code)
                        .ok()
                        .map(super::rules::doc_text)
                })
                .clone(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &printed)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_of_objects_with_every_field() {
        let findings = vec![Finding {
            code: "PY001".into(),
            name: "print-statement".into(),
            message: "say \"hi\"".into(),
            path: "pkg/a.py".into(),
            line: 2,
            column: 1,
            end_line: 2,
            end_column: 11,
            fixable: true,
            fix: None,
        }];
        let mut out = Vec::new();
        write(&findings, &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            value,
            serde_json::json!([{
                "code": "PY001", "name": "print-statement", "message": "say \"hi\"",
                "path": "pkg/a.py", "line": 2, "column": 1, "end_line": 2, "end_column": 11,
                "fixable": true, "fix": null,
                "doc": crate::report::rules::doc_text(crate::fixers::registry::find("PY001").unwrap())
            }])
        );
        let mut empty = Vec::new();
        write(&[], &mut empty).unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
