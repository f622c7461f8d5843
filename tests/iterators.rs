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

/// Writes each fixture's `.expected` from the current output, for review with `git diff`:
/// `UPDATE_FIXTURES=1 cargo test --test iterators write_expected -- --ignored`.
#[test]
#[ignore]
fn write_expected() {
    if std::env::var("UPDATE_FIXTURES").is_err() {
        return;
    }
    for (spec, input_path) in cases() {
        let input = std::fs::read_to_string(&input_path).expect("fixture");
        match fix(&input, spec) {
            Ok((got, _)) => std::fs::write(format!("{}.expected", input_path.display()), got)
                .expect("write expected"),
            Err(e) => eprintln!("{}: {e}", input_path.display()),
        }
    }
}

#[test]
#[ignore]
fn debug_fixture() {
    let Ok(path) = std::env::var("FIXTURE") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("fixture");
    let suite = ast::Suite::parse(&text, "<fixture>").expect("parses");
    for spec in iterators::FIXERS {
        for d in check_module(&text, &suite, &[spec]) {
            eprintln!(
                "{} {} {}..{} {:?}",
                d.code, d.message, d.start, d.end, d.fix
            );
        }
    }
}

/// Times `check_module` with every iterator fixer over the Django 1.3.7 files that parse as
/// Python 3 as they are: `cargo test --test iterators time_django -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_django() {
    let Some(home) = std::env::var_os("HOME") else {
        return;
    };
    let root = Path::new(&home).join(".cache/py2-corpus/Django-1.3.7/django");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "py") {
                files.push(path);
            }
        }
    }
    let enabled: Vec<&'static FixerSpec> = iterators::FIXERS.to_vec();
    let (mut parsed, mut skipped, mut diagnostics, mut bytes) = (0, 0, 0, 0);
    let mut parse_time = std::time::Duration::ZERO;
    let mut check_time = std::time::Duration::ZERO;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let started = std::time::Instant::now();
        let Ok(suite) = ast::Suite::parse(&text, "<django>") else {
            skipped += 1;
            continue;
        };
        parse_time += started.elapsed();
        let started = std::time::Instant::now();
        diagnostics += check_module(&text, &suite, &enabled).len();
        check_time += started.elapsed();
        parsed += 1;
        bytes += text.len();
    }
    eprintln!(
        "{} files ({} skipped, not Python 3), {} KiB: parse {:?}, check_module {:?}, {} diagnostics",
        parsed,
        skipped,
        bytes / 1024,
        parse_time,
        check_time,
        diagnostics
    );
}

/// Runs every iterator fixer to a fixed point over the Django files that parse as Python 3,
/// checks a second run changes nothing, and writes old/new pairs under `$DJANGO_OUT` for
/// review: `DJANGO_OUT=/tmp/out cargo test --test iterators django_fixes -- --ignored`.
#[test]
#[ignore]
fn django_fixes() {
    let (Some(home), Some(out)) = (std::env::var_os("HOME"), std::env::var_os("DJANGO_OUT")) else {
        return;
    };
    let root = Path::new(&home).join(".cache/py2-corpus/Django-1.3.7/django");
    let out = PathBuf::from(out);
    let mut dirs = vec![root.clone()];
    let mut changed = 0;
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "py") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if ast::Suite::parse(&text, "<django>").is_err() {
                continue;
            }
            let fixed = fix_all(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let again = fix_all(&fixed).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                fixed,
                again,
                "{}: second run changed the file",
                path.display()
            );
            if fixed != text {
                changed += 1;
                let name = path
                    .strip_prefix(&root)
                    .unwrap_or(&path)
                    .display()
                    .to_string()
                    .replace('/', "__");
                std::fs::create_dir_all(&out).expect("out dir");
                std::fs::write(out.join(format!("{name}.old")), &text).expect("write");
                std::fs::write(out.join(format!("{name}.new")), &fixed).expect("write");
            }
        }
    }
    eprintln!("{changed} files changed");
}

/// Runs all iterator fixers together to a fixed point.
fn fix_all(text: &str) -> Result<String, String> {
    let enabled: Vec<&'static FixerSpec> = iterators::FIXERS.to_vec();
    let mut current = text.to_string();
    for round in 0..MAX_ROUNDS {
        let suite = ast::Suite::parse(&current, "<fixture>")
            .map_err(|e| format!("round {round}: does not parse: {e}\n{current}"))?;
        let diagnostics = check_module(&current, &suite, &enabled);
        let applied = apply_fixes(&current, &diagnostics, Applicability::Safe);
        if applied.fixes == 0 {
            return Ok(current);
        }
        current = applied.text;
    }
    Err(format!("did not converge in {MAX_ROUNDS} rounds"))
}

/// All iterator fixers together: nested rewrites converge, and a second run changes nothing.
#[test]
fn all_iterator_fixers_together() {
    let input = "\
from itertools import imap, izip, izip_longest
import itertools

class Reader(object):
    def next(self):
        return self.lines.next()

first = d.iterkeys().next()
pairs = izip(d.iterkeys(), xrange(3))
lazy = imap(str, d.itervalues())
names = map(lambda k: k.upper(), d.keys())
both = zip(*itertools.izip_longest(a, b))
if not d.has_key(reader.next()):
    order = range(len(d.keys()))
    order.sort()
for k, v in sorted(d.iteritems()):
    pass
";
    let expected = "\
from itertools import zip_longest
import itertools

class Reader(object):
    def __next__(self):
        return next(self.lines)

first = next(iter(d.keys()))
pairs = iter(zip(d.keys(), range(3)))
lazy = iter(map(str, d.values()))
names = [k.upper() for k in d.keys()]
both = list(zip(*itertools.zip_longest(a, b)))
if next(reader) not in d:
    order = list(range(len(d.keys())))
    order.sort()
for k, v in sorted(d.items()):
    pass
";
    let fixed = fix_all(input).expect("converges");
    assert_eq!(fixed, expected);
    assert_eq!(fix_all(&fixed).expect("converges"), expected);
}
