//! Fixture tests for the iterator fixers (temporary harness until the engine's fixture runner
//! covers AST fixers).
//!
//! For each `fixtures/<fixer-name>/<case>.py` with a `<case>.py.expected` next to it: run that
//! one fixer to a fixed point (parse, check, apply, repeat, at most 10 rounds), compare with the
//! expected text, check the expected text is itself a fixed point, and that python3 parses it.

use std::path::{Path, PathBuf};
use std::process::Command;

use py2to3::engine::apply::apply_fixes;
use py2to3::engine::checker::check_module;
use py2to3::engine::Applicability;
use py2to3::fixers::{iterators, FixerSpec};
use rustpython_parser::{ast, Parse};

const MAX_ROUNDS: usize = 10;

/// Runs one fixer to a fixed point; returns the text and the number of rounds that changed it.
fn fix(text: &str, spec: &'static FixerSpec) -> Result<(String, usize), String> {
    let mut current = text.to_string();
    for round in 0..MAX_ROUNDS {
        let suite = ast::Suite::parse(&current, "<fixture>")
            .map_err(|e| format!("round {round}: does not parse: {e}\n{current}"))?;
        let diagnostics = check_module(&current, &suite, &[spec]);
        let applied = apply_fixes(&current, &diagnostics, Applicability::Safe);
        if applied.fixes == 0 {
            return Ok((current, round));
        }
        current = applied.text;
    }
    Err(format!(
        "did not converge in {MAX_ROUNDS} rounds:\n{current}"
    ))
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every (fixer, input path) pair for the iterator fixers.
fn cases() -> Vec<(&'static FixerSpec, PathBuf)> {
    let mut out = Vec::new();
    for spec in iterators::FIXERS {
        let dir = fixture_dir().join(spec.name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "py"))
            .collect();
        paths.sort();
        out.extend(paths.into_iter().map(|p| (*spec, p)));
    }
    out
}

fn python3_available() -> bool {
    let found = Command::new("python3")
        .arg("-c")
        .arg("pass")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("python3 is required when CI=true");
    }
    found
}

#[test]
fn every_iterator_fixer_has_fixtures() {
    for spec in iterators::FIXERS {
        let dir = fixture_dir().join(spec.name);
        let count = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        assert!(count >= 2, "no fixtures in {}", dir.display());
    }
}

#[test]
fn fixtures_match_expected_and_are_fixed_points() {
    let python = python3_available();
    let mut failures = Vec::new();
    let all = cases();
    assert!(!all.is_empty(), "no fixtures found");
    for (spec, input_path) in &all {
        let name = input_path.display().to_string();
        let expected_path = PathBuf::from(format!("{name}.expected"));
        let (Ok(input), Ok(expected)) = (
            std::fs::read_to_string(input_path),
            std::fs::read_to_string(&expected_path),
        ) else {
            failures.push(format!("{name}: missing input or .expected"));
            continue;
        };
        match fix(&input, spec) {
            Ok((got, _)) if got == expected => {}
            Ok((got, _)) => failures.push(format!(
                "{name}: output differs from expected\n--- got\n{got}\n--- expected\n{expected}"
            )),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        match fix(&expected, spec) {
            Ok((_, 0)) => {}
            Ok((got, _)) => failures.push(format!("{name}.expected is not a fixed point:\n{got}")),
            Err(e) => failures.push(format!("{name}.expected: {e}")),
        }
        if python {
            let status = Command::new("python3")
                .arg("-c")
                .arg("import ast,sys; ast.parse(open(sys.argv[1]).read())")
                .arg(&expected_path)
                .output()
                .expect("python3 runs");
            if !status.status.success() {
                failures.push(format!(
                    "{name}.expected: python3 cannot parse it: {}",
                    String::from_utf8_lossy(&status.stderr)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// lib2to3's fixer for each of ours.
fn lib2to3_fixer(name: &str) -> &'static str {
    match name {
        "dict-iter-methods" | "dict-views-as-lists" => "dict",
        "map-builtin" => "map",
        "filter-builtin" => "filter",
        "zip-builtin" => "zip",
        "xrange" | "range-list" => "xrange",
        "next-method-call" | "next-method-def" => "next",
        "itertools-functions" => "itertools",
        "itertools-imports" => "itertools_imports",
        "has-key" => "has_key",
        _ => "",
    }
}

/// Fixtures whose result is knowingly not the AST lib2to3 produces, and why.
const DIFFERS_FROM_2TO3: &[(&str, &str)] = &[];

/// Compares our result with `python3 -m lib2to3 -f <fixer>` on each fixture, as ASTs.
#[test]
fn fixtures_agree_with_lib2to3_except_listed() {
    if !python3_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut differing = Vec::new();
    for (spec, input_path) in cases() {
        let case = format!(
            "{}/{}",
            spec.name,
            input_path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
        );
        let expected = std::fs::read_to_string(format!("{}.expected", input_path.display()))
            .expect("expected file");
        let copy = dir.path().join(case.replace('/', "__"));
        std::fs::copy(&input_path, &copy).expect("copy fixture");
        let out = Command::new("python3")
            .args([
                "-W",
                "ignore",
                "-m",
                "lib2to3",
                "-n",
                "-w",
                "-f",
                lib2to3_fixer(spec.name),
            ])
            .arg(&copy)
            .output()
            .expect("lib2to3 runs");
        assert!(
            out.status.success(),
            "lib2to3 failed on {case}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = std::fs::read_to_string(&copy).expect("lib2to3 output");
        let ours_path = dir.path().join("ours.py");
        std::fs::write(&ours_path, &expected).expect("write");
        let same = Command::new("python3")
            .arg("-c")
            .arg("import ast,sys; d=lambda p: ast.dump(ast.parse(open(p).read())); sys.exit(d(sys.argv[1]) != d(sys.argv[2]))")
            .arg(&ours_path)
            .arg(&copy)
            .status()
            .expect("python3 runs")
            .success();
        if !same {
            differing.push((case, theirs));
        }
    }
    let unlisted: Vec<String> = differing
        .iter()
        .filter(|(case, _)| !DIFFERS_FROM_2TO3.iter().any(|(c, _)| c == case))
        .map(|(case, theirs)| format!("{case}: lib2to3 gives\n{theirs}"))
        .collect();
    let stale: Vec<&str> = DIFFERS_FROM_2TO3
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !differing.iter().any(|(d, _)| d == c))
        .collect();
    assert!(
        unlisted.is_empty(),
        "unlisted differences from lib2to3:\n\n{}",
        unlisted.join("\n\n")
    );
    assert!(
        stale.is_empty(),
        "listed differences that no longer differ: {stale:?}"
    );
}
