//! Runs every fixture pair: `fixtures/<selector>/<case>.py` must become `<case>.py.expected` with
//! only the fixers the folder name selects (a fixer name, a group, `combined-GROUP`, or
//! `combined` for the defaults); each expected file must be a fixed point and must parse under python3.
//! A folder naming one fixer of the `unsafe` group runs it with unsafe fixes allowed (as
//! `--select NAME --unsafe-fixes` does): selecting it alone asks for exactly that.

mod support;

use std::path::{Path, PathBuf};

use py2to3::engine::pipeline::{fix_text, Settings};
use py2to3::fixers::registry;

fn fixture_pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut pairs = Vec::new();
    let Ok(folders) = std::fs::read_dir(&root) else {
        return pairs;
    };
    for folder in folders.flatten() {
        let selector = folder.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for file in files.flatten() {
            let input = file.path();
            if input.extension().is_some_and(|e| e == "py") {
                let expected = PathBuf::from(format!("{}.expected", input.display()));
                assert!(
                    expected.exists(),
                    "{} has no .expected file",
                    input.display()
                );
                pairs.push((selector.clone(), input, expected));
            }
        }
    }
    pairs.sort();
    pairs
}

fn settings_for(selector: &str) -> Settings {
    // `combined` runs the defaults, `combined-GROUP` a whole group, anything else names a fixer.
    let select = match selector.strip_prefix("combined") {
        Some("") => vec![],
        Some(group) => vec![group.trim_start_matches('-').to_string()],
        None => vec![selector.to_string()],
    };
    let select: Vec<&str> = select.iter().map(String::as_str).collect();
    let enabled = py2to3::config::select::from_flags(&select, &[])
        .unwrap_or_else(|e| panic!("fixtures/{selector}: the folder name must select fixers: {e}"));
    let unsafe_fixer = matches!(enabled.as_slice(), [one] if one.groups.contains(&"unsafe"));
    let mut settings = Settings::new(registry::all(), enabled);
    settings.unsafe_fixes = unsafe_fixer;
    settings
}

#[test]
fn fixtures_match_expected_and_are_fixed_points() {
    let pairs = fixture_pairs();
    let mut failures = Vec::new();
    for (selector, input, expected) in &pairs {
        let settings = settings_for(selector);
        let source = std::fs::read_to_string(input).unwrap();
        let want = std::fs::read_to_string(expected).unwrap();
        match fix_text(&source, &settings) {
            Ok(out) if out.text == want => {}
            Ok(out) => failures.push(format!(
                "{}: output differs from expected\n{}",
                input.display(),
                similar::TextDiff::from_lines(&want, &out.text)
                    .unified_diff()
                    .header("expected", "actual")
            )),
            Err(e) => failures.push(format!("{}: failed: {e:?}", input.display())),
        }
        match fix_text(&want, &settings) {
            Ok(out) if out.text == want => {}
            Ok(out) => failures.push(format!(
                "{}: expected is not a fixed point\n{}",
                expected.display(),
                similar::TextDiff::from_lines(&want, &out.text)
                    .unified_diff()
                    .header("expected", "second run")
            )),
            Err(e) => failures.push(format!("{}: second run failed: {e:?}", expected.display())),
        }
    }
    if support::python3_available() {
        let files: Vec<&Path> = pairs.iter().map(|(_, _, e)| e.as_path()).collect();
        for chunk in files.chunks(500) {
            failures.extend(
                support::python3_parse_failures(chunk)
                    .into_iter()
                    .map(|f| format!("python3 rejects {f}")),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{} fixture pairs checked", pairs.len());
}

/// The same pairs with CRLF line endings: what the fixers add (imports, lines, arguments on
/// their own line) must follow the file's newline style, so the output is the expected file
/// with CRLF endings, byte for byte.
#[test]
fn fixtures_keep_crlf_line_endings() {
    let mut failures = Vec::new();
    for (selector, input, expected) in &fixture_pairs() {
        let settings = settings_for(selector);
        let crlf = |s: String| s.replace("\r\n", "\n").replace('\n', "\r\n");
        let source = crlf(std::fs::read_to_string(input).unwrap());
        let want = crlf(std::fs::read_to_string(expected).unwrap());
        match fix_text(&source, &settings) {
            Ok(out) if out.text == want => {}
            Ok(out) => failures.push(format!(
                "{}: CRLF output differs from expected\n{}",
                input.display(),
                similar::TextDiff::from_lines(&want, &out.text)
                    .unified_diff()
                    .header("expected", "actual")
            )),
            Err(e) => failures.push(format!("{}: failed with CRLF: {e:?}", input.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} CRLF fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
