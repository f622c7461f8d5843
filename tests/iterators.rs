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
const DIFFERS_FROM_2TO3: &[(&str, &str)] = &[
    ("dict-iter-methods/basic.py", "no iter() where the result is consumed anyway: sorted(..., key=), ''.join(), zip(), `in`"),
    ("dict-iter-methods/migrated.py", "lib2to3 fix_dict also wraps Python 3 d.items()/keys() (it is both our PY101 and PY102); we run PY101 alone"),
    ("dict-iter-methods/user_method.py", "the module defines its own iteritems(): left alone"),
    ("dict-iter-methods/views.py", "a view kept in a variable is only reported: d.values() there would later be wrapped in list()"),
    ("dict-views-as-lists/basic.py", "no list() around the iterable of a comprehension (views iterate the same)"),
    ("dict-views-as-lists/consumed.py", "views are left alone under for, in, len(), frozenset(), join, min/max(key=), *args, set operators, zip/map args, iter(), dict(), yield from"),
    ("dict-views-as-lists/rebound_list.py", "`list` is rebound in the module: list() would not be the builtin"),
    ("dict-views-as-lists/user_method.py", "the module defines its own keys(): left alone"),
    ("dict-views-as-lists/user_method_dict.py", "the module defines its own items(): left alone unless the receiver is provably a dict"),
    ("map-builtin/basic.py", "lib2to3 writes `for v in a if cond else b` (a syntax error); we add parentheses"),
    ("map-builtin/consumed.py", "map() left alone in dict(), max(), zip(), *args, and list(map(lambda ...)) (already Python 3)"),
    ("map-builtin/local_variable.py", "`map` is a parameter in the module: left alone"),
    ("map-builtin/nested.py", "an inner map() consumed by map()/zip() is not wrapped"),
    ("filter-builtin/consumed.py", "filter(None, xs) / filter(lambda ...) left alone where only iterated"),
    ("filter-builtin/shadowed.py", "`filter` is defined in the module: left alone"),
    ("zip-builtin/consumed.py", "zip() left alone in dict() and with keyword arguments (strict= is Python 3)"),
    ("zip-builtin/shadowed.py", "`zip` is imported in the module: left alone"),
    ("xrange/basic.py", "a bare `xrange` reference is renamed too"),
    ("xrange/shim.py", "`xrange` is bound by a compatibility shim: left alone"),
    ("range-list/lazy.py", "range() is wrapped only where a list is visibly needed, not when assigned or returned"),
    ("range-list/tuples.py", "in tuples too, range() is wrapped only where a list is visibly needed"),
    ("next-method-call/basic.py", "an uncalled `.next` is only reported (may be a data attribute)"),
    ("next-method-call/negative.py", "an uncalled `.next` is only reported (may be a data attribute)"),
    ("next-method-call/iterators.py", "an uncalled `.next` is renamed only on a certain iterator (iter(), enumerate(), reversed(), genexp)"),
    ("next-method-call/iter_shadowed.py", "`iter` is defined in the module: not the builtin, left alone"),
    ("next-method-def/negative.py", "classes that already define `__next__` (or alias it) are left alone"),
    ("itertools-functions/basic.py", "iter(zip(...)) where the result is kept (so map-builtin never wraps it); `import itertools as it` and uncalled itertools.imap handled"),
    ("itertools-functions/from_import.py", "iter(map(...)) where the result is kept (so map-builtin never wraps it)"),
    ("itertools-functions/shadowed.py", "`zip` is defined and `itertools` rebound in the module: left alone"),
    ("itertools-imports/aliased.py", "`imap as lazy_map` is kept (its uses would break) and only reported"),
    ("itertools-imports/basic.py", "uses of an imported izip_longest are renamed with the import"),
    ("itertools-imports/unused.py", "`pass` where the import was a block's only statement (lib2to3 leaves an empty block)"),
    ("has-key/arguments.py", "d.has_key(*keys) left alone (lib2to3 writes invalid `(*keys) in d`)"),
    ("has-key/user_defined.py", "the module defines its own has_key(): left alone"),
];

/// Exits 0 when both files parse to the same AST (lib2to3 sometimes writes invalid code).
const SAME_AST: &str = "import ast,sys
def dump(p):
    try:
        return ast.dump(ast.parse(open(p).read()))
    except SyntaxError:
        return None
a, b = dump(sys.argv[1]), dump(sys.argv[2])
sys.exit(a is None or a != b)";

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
            .arg(SAME_AST)
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
