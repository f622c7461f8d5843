//! `--output-format sarif` validates against the official OASIS SARIF 2.1.0 JSON schema
//! (tests/data/sarif/sarif-schema-2.1.0.json, see the README there), and carries what GitHub
//! code scanning reads.

#[path = "support/sarif.rs"]
mod sarif_schema;

use py2to3::report::{write_report, Finding, OutputFormat, ReportOptions};
use sarif_schema::errors;
use serde_json::Value;

fn finding(code: &str, path: &str, line: usize, message: &str) -> Finding {
    Finding {
        code: code.into(),
        name: format!("rule-{}", code.to_lowercase()),
        message: message.into(),
        path: path.into(),
        line,
        column: 5,
        end_line: line + 1,
        end_column: 1,
        fixable: line % 2 == 0,
        fix: None,
    }
}

fn sarif(findings: &[Finding]) -> Value {
    let mut out = Vec::new();
    write_report(
        OutputFormat::Sarif,
        findings,
        &ReportOptions::plain(),
        &mut out,
    )
    .unwrap();
    serde_json::from_slice(&out).expect("SARIF output is JSON")
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let findings = vec![
        finding("PY001", "pkg/a.py", 1, "`print` statement"),
        finding("PY002", "pkg\\win dows\\b.py", 2, "quote \" and\nnewline"),
        finding("PY001", "./ünï/c.py", 3, "100% <odd> & 'chars'"),
    ];
    let log = sarif(&findings);
    assert_eq!(errors(&log), Vec::<String>::new());
    assert_eq!(errors(&sarif(&[])), Vec::<String>::new());
}

#[test]
fn sarif_has_what_github_code_scanning_reads() {
    let findings = vec![
        finding("PY002", "pkg\\b.py", 2, "m2"),
        finding("PY001", "./pkg/a.py", 1, "m1"),
    ];
    let log = sarif(&findings);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "py2to3");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["PY001", "PY002"]);
    for r in rules {
        assert!(r["name"].is_string());
        assert!(r["shortDescription"]["text"].is_string());
        assert!(r["fullDescription"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert_eq!(first["ruleId"], "PY002");
    assert_eq!(first["ruleIndex"], 1);
    assert_eq!(first["level"], "error");
    assert_eq!(first["message"]["text"], "m2");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "pkg/b.py");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 2, "startColumn": 5, "endLine": 3, "endColumn": 1})
    );
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "pkg/a.py"
    );
}

/// The validator is not vacuous: logs that break the schema are rejected.
#[test]
fn schema_rejects_broken_logs() {
    let good = sarif(&[finding("PY001", "a.py", 1, "m")]);
    assert!(errors(&good).is_empty());

    let mut bad_version = good.clone();
    bad_version["version"] = "2.0.0".into();
    assert!(!errors(&bad_version).is_empty());

    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!errors(&bad_level).is_empty());

    let mut bad_line = good.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!errors(&bad_line).is_empty());

    let mut no_driver = good.clone();
    no_driver["runs"][0]["tool"] = serde_json::json!({});
    assert!(!errors(&no_driver).is_empty());

    let mut extra = good;
    extra["runs"][0]["results"][0]["bogus"] = 1.into();
    assert!(
        !errors(&extra).is_empty(),
        "an unknown property in a result is rejected"
    );
}

/// Writes a sample log to $PY2TO3_DUMP_SARIF when set (to cross-check with other validators).
#[test]
fn dump_sample_when_asked() {
    if let Ok(path) = std::env::var("PY2TO3_DUMP_SARIF") {
        let log = sarif(&[
            finding("PY001", "pkg/a.py", 1, "`print` statement"),
            finding("PY002", "my dir\\b.py", 2, "x"),
        ]);
        std::fs::write(path, serde_json::to_string_pretty(&log).unwrap()).unwrap();
    }
}
