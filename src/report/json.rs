//! The JSON format: one array of finding objects (`code, name, message, path, line, column,
//! end_line, end_column, fixable`), pretty-printed, followed by a newline.

use std::io::{self, Write};

use super::Finding;

/// Prints `findings` as a JSON array.
pub fn write(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, findings)?;
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
        }];
        let mut out = Vec::new();
        write(&findings, &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            value,
            serde_json::json!([{
                "code": "PY001", "name": "print-statement", "message": "say \"hi\"",
                "path": "pkg/a.py", "line": 2, "column": 1, "end_line": 2, "end_column": 11,
                "fixable": true
            }])
        );
        let back: Vec<Finding> = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, findings);
        let mut empty = Vec::new();
        write(&[], &mut empty).unwrap();
        assert_eq!(empty, b"[]\n");
    }
}
