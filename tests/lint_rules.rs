//! The lint-only rules (PY8xx, PY9xx): (a) each rule has a `reported.py` fixture case with
//! findings and a `quiet.py` one without (their exact findings are in the `.findings` files next
//! to them, checked by tests/fixtures.rs) and never proposes a fix; (b) all default rules of all
//! families stay quiet on Python 3 code (CPython's stdlib); (c) `FixerSpec::fixable` matches what
//! each rule does on its fixtures.

#[path = "support/stdlib.rs"]
mod stdlib;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use py2to3::engine::pipeline::{check_text, Settings};
use py2to3::fixers::{self, FixerSpec};

fn fixture(rule: &str, case: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rule)
        .join(format!("{case}.py"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

/// Every lint rule is in the `lint-only` group and has the two fixture cases: `reported.py`,
/// whose `.findings` (checked by tests/fixtures.rs) lists some findings, all of that rule, and
/// `quiet.py`, whose `.findings` is empty.
#[test]
fn each_rule_has_a_reported_and_a_quiet_case() {
    let mut failures = Vec::new();
    for spec in fixers::lint::FIXERS {
        let name = spec.name;
        if !spec.in_group("lint-only") {
            failures.push(format!("{name} must be in lint-only"));
        }
        let findings = |case: &str| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(name)
                .join(format!("{case}.py.findings"));
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let reported = findings("reported");
        if reported.is_empty() {
            failures.push(format!("fixtures/{name}/reported.py: no findings"));
        }
        for line in reported.lines() {
            if line.split(' ').nth(1) != Some(spec.code) {
                failures.push(format!(
                    "fixtures/{name}/reported.py: not {}: {line}",
                    spec.code
                ));
            }
        }
        if !findings("quiet").is_empty() {
            failures.push(format!("fixtures/{name}/quiet.py: has findings"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lint_rules_never_fix() {
    // Report-only: no finding carries edits, even on Python 2 input.
    for spec in fixers::lint::FIXERS {
        let text = fixture(spec.name, "reported");
        let diags = check_text(
            &text,
            &Settings::new(py2to3::fixers::registry::all(), vec![spec]),
        )
        .unwrap();
        assert!(
            diags.iter().all(|d| d.fix.is_none()),
            "{} proposed a fix",
            spec.name
        );
    }
}

/// Every family's default-on fixers and rules (whatever families this branch has merged).
fn all_default_rules() -> Vec<&'static FixerSpec> {
    let families: &[&[&'static FixerSpec]] = &[
        fixers::grammar::FIXERS,
        fixers::iterators::FIXERS,
        fixers::imports::FIXERS,
        fixers::objects::FIXERS,
        fixers::semantics::FIXERS,
        fixers::lint::FIXERS,
    ];
    let mut out: Vec<&'static FixerSpec> = Vec::new();
    for spec in families.iter().flat_map(|f| f.iter().copied()) {
        if spec.default_on && !out.iter().any(|s| s.code == spec.code) {
            out.push(spec);
        }
    }
    out
}

fn stdlib_files() -> Vec<PathBuf> {
    let dir = stdlib::stdlib_dir();
    let dir = dir.as_path();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "py"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The known findings on the stdlib (tests/data/stdlib_known_findings.txt), as
/// `FILE CODE | stripped source line` keys.
fn known_stdlib_findings() -> std::collections::BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/stdlib_known_findings.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (kind, key) = l
                .split_once(' ')
                .unwrap_or_else(|| panic!("bad line {l:?}"));
            assert!(kind == "true" || kind == "fp", "bad kind in {l:?}");
            key.to_string()
        })
        .collect()
}

/// Findings of all default rules on the top-level modules of CPython 3.11's stdlib: at most 1 per
/// 1000 lines, and each one listed in tests/data/stdlib_known_findings.txt as a true Python
/// 2-ism or a known false positive. Run with `--nocapture` to see the per-rule counts and each
/// finding.
#[test]
fn default_rules_are_quiet_on_python3_stdlib() {
    let files = stdlib_files();
    if files.is_empty() {
        assert!(
            !support::in_ci(),
            "CPython 3.11 stdlib missing under CI=true"
        );
        eprintln!("CPython 3.11 stdlib not found: skipping");
        return;
    }
    let enabled = all_default_rules();
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut lines = 0usize;
            let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
            let mut listed = Vec::new();
            let mut keys = Vec::new();
            let mut errors = Vec::new();
            for path in &files {
                let Ok(text) = std::fs::read_to_string(path) else {
                    continue;
                };
                lines += text.lines().count();
                match check_text(
                    &text,
                    &Settings::new(py2to3::fixers::registry::all(), enabled.clone()),
                ) {
                    Ok(diags) => {
                        for d in diags {
                            *per_rule.entry(d.name).or_default() += 1;
                            let source = text
                                .lines()
                                .nth(line_of(&text, d.start).saturating_sub(1))
                                .unwrap_or("")
                                .trim();
                            keys.push(format!(
                                "{} {} | {source}",
                                path.file_name().unwrap_or_default().to_string_lossy(),
                                d.code
                            ));
                            listed.push(format!(
                                "{}:{}: {} {} {}",
                                path.file_name().unwrap_or_default().to_string_lossy(),
                                line_of(&text, d.start),
                                d.code,
                                d.name,
                                d.message
                            ));
                        }
                    }
                    Err(e) => errors.push(format!("{}: {}", path.display(), e.message)),
                }
            }
            (lines, per_rule, listed, keys, errors, enabled.len())
        })
        .expect("thread");
    let (lines, per_rule, listed, keys, errors, rules) = handle.join().expect("no panic");
    let total: usize = per_rule.values().sum();
    let per_kloc = total as f64 * 1000.0 / lines.max(1) as f64;
    eprintln!(
        "{rules} default rules, {} files, {lines} lines: {total} findings = {per_kloc:.3} per 1000 lines",
        stdlib_files().len()
    );
    for (name, count) in &per_rule {
        eprintln!("  {name}: {count}");
    }
    for l in &listed {
        eprintln!("  {l}");
    }
    for e in &errors {
        eprintln!("  not checked: {e}");
    }
    let known = known_stdlib_findings();
    let unknown: Vec<&String> = keys.iter().filter(|k| !known.contains(*k)).collect();
    let stale: Vec<&String> = known.iter().filter(|k| !keys.contains(k)).collect();
    for k in &stale {
        eprintln!("  listed but no longer reported (remove it from the list): {k}");
    }
    assert!(
        unknown.is_empty(),
        "findings on Python 3 code that are neither true Python 2-isms nor known false positives \
         (fix the rule, or add them to tests/data/stdlib_known_findings.txt with a reason):\n{}",
        unknown
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        per_kloc <= 1.0,
        "{per_kloc:.3} findings per 1000 lines on Python 3 code (at most 1 allowed)"
    );
}

/// Rules whose `fixable: false` is still to be set in a file this branch does not own (the
/// test skips them; remove a name once its spec says `fixable: false`).
const NOT_YET_MARKED: &[&str] = &["eq-without-hash"];

/// `FixerSpec::fixable` (what `py2to3 rules` prints) matches what each rule does on its
/// fixtures (`fixtures/<name>/*.py`, checked with that rule alone and with the default rules plus
/// that one): a rule that
/// reports there but never proposes a fix is marked not fixable, and a rule marked not fixable
/// never proposes one.
#[test]
fn fixable_flag_matches_what_rules_do_on_their_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut wrong = Vec::new();
    let mut judged = 0;
    for spec in fixers::registry::all() {
        let Ok(files) = std::fs::read_dir(root.join(spec.name)) else {
            continue;
        };
        let mut enabled = all_default_rules();
        if !enabled.iter().any(|s| s.code == spec.code) {
            enabled.push(spec);
        }
        let (mut reported, mut fixed) = (0, 0);
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Alone (its fix is not masked by another rule's), and with the defaults (which
            // some Python 2 fixtures need to parse).
            for settings in [
                Settings::new(py2to3::fixers::registry::all(), vec![*spec]),
                Settings::new(py2to3::fixers::registry::all(), enabled.clone()),
            ] {
                let Ok(diags) = check_text(&text, &settings) else {
                    continue;
                };
                for d in diags.iter().filter(|d| d.code == spec.code) {
                    reported += 1;
                    fixed += usize::from(d.fix.is_some());
                }
            }
        }
        if reported == 0 {
            continue;
        }
        judged += 1;
        let fixes = fixed > 0;
        if spec.fixable != fixes && !NOT_YET_MARKED.contains(&spec.name) {
            wrong.push(format!(
                "{} {}: fixable={} but {fixed} of {reported} findings carry a fix",
                spec.code, spec.name, spec.fixable
            ));
        }
    }
    assert!(
        judged > 40,
        "only {judged} rules have fixtures with findings"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
