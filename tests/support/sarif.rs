//! Validation of SARIF logs against the official OASIS SARIF 2.1.0 JSON schema, vendored in
//! tests/data/sarif/sarif-schema-2.1.0.json (see the README there). Included with `#[path]` by
//! the tests that need it.
#![allow(dead_code)]

use serde_json::Value;

/// The vendored schema.
pub fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif/sarif-schema-2.1.0.json"
    ))
    .expect("the SARIF schema is in tests/data/sarif");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// A draft-4 validator of the schema that also checks `format`s (uri, date-time ...).
pub fn validator() -> jsonschema::Validator {
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles")
}

/// The schema errors of `log`, as text (empty when it validates).
pub fn errors(log: &Value) -> Vec<String> {
    validator()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}
