//! Compares every fixture with lib2to3, the reference: for each folder that
//! `fixtures/lib2to3.toml` maps to lib2to3 fixers, lib2to3 converts the input and its output must
//! have the same AST as our `.expected` file, except for the cases listed in `[differs]` with
//! the reason ours differs (ours better: no useless `list()`, valid code where lib2to3 writes a
//! syntax error, shadowed names left alone ...). A listed case that no longer differs fails
//! too, so the list stays true. The comparison runs in one python3 process
//! (`scripts/parity/lib2to3_fixtures.py`); skipped without python3, except under CI=true.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

#[derive(serde::Deserialize)]
struct Table {
    fixers: BTreeMap<String, String>,
    differs: BTreeMap<String, String>,
}

#[test]
fn fixtures_agree_with_lib2to3_except_listed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table: Table =
        toml::from_str(&std::fs::read_to_string(root.join("fixtures/lib2to3.toml")).unwrap())
            .expect("fixtures/lib2to3.toml parses");
    assert!(
        table
            .differs
            .values()
            .all(|reason| !reason.trim().is_empty()),
        "every listed difference needs a reason"
    );
    assert!(
        table.fixers.values().all(|names| !names.trim().is_empty()),
        "every folder maps to lib2to3 fixers, \"default\" or \"-\""
    );
    if !support::python3_available() {
        return;
    }
    let out = Command::new("python3")
        .arg(root.join("scripts/parity/lib2to3_fixtures.py"))
        .arg(root.join("fixtures"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let unmapped = report["unmapped"].as_array().unwrap();
    assert!(
        unmapped.is_empty(),
        "fixture folders missing from fixtures/lib2to3.toml [fixers] (\"-\" when 2to3 has no such fixer): {unmapped:?}"
    );
    let differing: BTreeMap<&str, &str> = report["differing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["case"].as_str().unwrap(),
                d["lib2to3"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let unlisted: Vec<String> = differing
        .iter()
        .filter(|(case, _)| !table.differs.contains_key(**case))
        .map(|(case, theirs)| format!("{case}: lib2to3 gives\n{theirs}"))
        .collect();
    let stale: Vec<&String> = table
        .differs
        .keys()
        .filter(|case| !differing.contains_key(case.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "differences from lib2to3 not listed in fixtures/lib2to3.toml [differs]:\n\n{}",
        unlisted.join("\n\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer differ (or whose folder is not compared): {stale:?}"
    );
    let compared = report["compared"].as_u64().unwrap();
    assert!(compared > 100, "only {compared} fixtures compared");
    eprintln!(
        "{compared} fixtures compared with lib2to3, {} known differences",
        differing.len()
    );
}
