//! The SARIF 2.1.0 format, as GitHub code scanning reads it: the rules in
//! `runs[0].tool.driver.rules`, one result a finding with its rule, level, message and a
//! physical location (relative URI with forward slashes, 1-based region).
//!
//! Columns count Unicode code points, which the run declares with
//! `columnKind: "unicodeCodePoints"` (SARIF's default would be UTF-16 code units).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::Finding;

/// What SARIF says about one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// Rule code, e.g. `PY001`.
    pub id: String,
    /// Kebab-case name.
    pub name: String,
    /// One line.
    pub short_description: String,
    /// The full documentation (Markdown).
    pub full_description: String,
    /// Groups, shown as tags.
    pub tags: Vec<String>,
}

impl RuleMeta {
    /// The metadata of a registered fixer.
    pub fn from_spec(spec: &crate::engine::spec::FixerSpec) -> Self {
        RuleMeta {
            id: spec.code.to_string(),
            name: spec.name.to_string(),
            short_description: spec.summary.to_string(),
            full_description: super::rules::doc_text(spec),
            tags: spec.all_groups().iter().map(|g| g.to_string()).collect(),
        }
    }
}

/// The rules of the findings' codes, from the registry, in code order; a code the registry does
/// not know gets a rule made from its finding's name.
pub fn registry_rules(findings: &[Finding]) -> Vec<RuleMeta> {
    let mut by_code: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in findings {
        by_code.entry(&f.code).or_insert(f);
    }
    by_code
        .into_values()
        .map(|f| match super::rules::find_rule(&f.code) {
            Ok(spec) => RuleMeta::from_spec(spec),
            Err(_) => RuleMeta {
                id: f.code.clone(),
                name: f.name.clone(),
                short_description: f.name.clone(),
                full_description: f.name.clone(),
                tags: Vec::new(),
            },
        })
        .collect()
}

/// Prints one SARIF log with one run holding `rules` and one result a finding.
pub fn write(findings: &[Finding], rules: &[RuleMeta], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif_log(findings, rules))?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn sarif_log(findings: &[Finding], rules: &[RuleMeta]) -> Value {
    let rule_objects: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.short_description },
                "fullDescription": { "text": r.full_description },
                "help": { "text": r.full_description, "markdown": r.full_description },
                "defaultConfiguration": { "level": "error" },
                "properties": { "tags": r.tags },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.code,
                "level": "error",
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": path_to_uri(&f.path) },
                        "region": {
                            "startLine": f.line.max(1),
                            "startColumn": f.column.max(1),
                            "endLine": f.end_line.max(f.line).max(1),
                            "endColumn": f.end_column.max(1),
                        }
                    }
                }],
            });
            if let Some(index) = rules.iter().position(|r| r.id == f.code) {
                result["ruleIndex"] = json!(index);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "py2to3",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rule_objects,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// A path as a SARIF artifact URI: relative paths stay relative with forward slashes (a leading
/// `./` dropped), absolute ones become `file:///` URIs; characters outside a URI's path
/// alphabet are percent-encoded as UTF-8.
pub fn path_to_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let bytes = rest.as_bytes();
    let windows_drive = bytes.len() >= 2
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2) == Some(&b'/');
    let (prefix, body) = if rest.starts_with('/') {
        ("file://", rest)
    } else if windows_drive {
        let (drive, tail) = rest.split_at(2);
        return format!("file:///{drive}{}", encode(tail));
    } else {
        ("", rest)
    };
    format!("{prefix}{}", encode(body))
}

/// Percent-encodes every byte but unreserved characters, `/` and a few safe sub-delimiters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_with_forward_slashes() {
        assert_eq!(path_to_uri("pkg\\sub\\a.py"), "pkg/sub/a.py");
        assert_eq!(path_to_uri("./pkg/a.py"), "pkg/a.py");
        assert_eq!(path_to_uri("my dir/ä#1.py"), "my%20dir/%C3%A4%231.py");
        assert_eq!(path_to_uri("a:b.py"), "a%3Ab.py");
        assert_eq!(path_to_uri("/home/u/a.py"), "file:///home/u/a.py");
        assert_eq!(path_to_uri("C:\\src\\a.py"), "file:///C:/src/a.py");
    }

    #[test]
    fn results_point_at_their_rule() {
        let f = Finding {
            code: "PY002".into(),
            name: "backquote".into(),
            message: "m".into(),
            path: "a.py".into(),
            line: 1,
            column: 2,
            end_line: 1,
            end_column: 5,
            fixable: true,
            fix: None,
        };
        let rules = registry_rules(std::slice::from_ref(&f));
        let log = sarif_log(&[f], &rules);
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "PY002");
        assert_eq!(result["ruleIndex"], 0);
        assert_eq!(log["runs"][0]["tool"]["driver"]["rules"][0]["id"], "PY002");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 2);
        assert_eq!(region["endColumn"], 5);
    }
}
