//! One fixer at a time (issue 20): on web.py 0.37 (every file) and a sample of Django 1.3.7,
//! for each default fixer X, `fix --select X` applies X's edits alone, and the fixers run one by
//! one in registry order end at the same text as one full `fix`.
//!
//! "X's edits alone" is checked line by line against the full run: every change X makes alone
//! (a group of changed lines, from a line diff of the original) is either the change the full
//! run makes to the same original lines, or lies where another fixer's own change also falls
//! (the full run then writes both fixes there). The outputs of single fixers on Python 2 files
//! must still compile under Python 2.7 (when there is one) whenever the original does.
//!
//! Skipped when the corpus is missing, except under CI=true. The library is called directly
//! (no process a run), so the test takes about a minute in a debug build.

mod support;

use std::ops::Range;
use std::path::{Path, PathBuf};

use py2to3::engine::pipeline::{fix_text_at, Settings};
use py2to3::fixers::registry;
use py2to3::fixers::FixerSpec;
use py2to3::source::SourceFile;

/// The line print-statement adds when it runs alone on a Python 2 file.
const FUTURE_PRINT: &str = "from __future__ import print_function";

/// The marker a full run adds to a file with an implicit relative import it cannot rewrite.
const FUTURE_ABSOLUTE: &str = "from __future__ import absolute_import";

/// Fixers whose rewrite is Python 3 syntax however it is written (`class A(metaclass=M)`):
/// alone on a Python 2 file they leave a file only the other grammar fixers' reading accepts.
/// `--target six` is the way to keep such a file Python 2.
const PYTHON3_ONLY_SYNTAX: &[&str] = &["metaclass"];

/// Django files sampled: one in this many, in path order (`PY2TO3_DJANGO_SAMPLE_EVERY=1`
/// takes them all: about ten times as long).
fn django_sample_every() -> usize {
    std::env::var("PY2TO3_DJANGO_SAMPLE_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(12)
}

/// The corpus folders this test reads, or None (skip) outside CI when one is missing.
fn corpus() -> Option<(PathBuf, PathBuf)> {
    let dir = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    let web = dir.join("web.py-0.37");
    let django = dir.join("Django-1.3.7/django");
    if web.is_dir() && django.is_dir() {
        return Some((web, django));
    }
    assert!(
        !support::in_ci(),
        "the corpus is required under CI=true: run ../shared/corpus/get.sh"
    );
    eprintln!(
        "web.py-0.37 or Django-1.3.7 missing in {}: skipping",
        dir.display()
    );
    None
}

/// The `.py` files under `root`, in path order.
fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The default fixers that can edit, in registry order.
fn default_fixers() -> Vec<&'static FixerSpec> {
    registry::all()
        .iter()
        .copied()
        .filter(|s| s.default_on && s.fixable)
        .collect()
}

fn fix(text: &str, enabled: Vec<&'static FixerSpec>, path: &Path) -> Result<String, String> {
    fix_text_at(
        text,
        &Settings::new(registry::all(), enabled).with_folders(std::sync::Arc::new(
            py2to3::run::folders::Listings::default(),
        )),
        Some(path),
    )
    .map(|o| o.text)
    .map_err(|e| e.message)
}

/// One group of changed lines: the original's lines `old` become `new`.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    old: Range<usize>,
    /// The lines of the result that replace them.
    new_lines: Range<usize>,
    new: Vec<String>,
}

/// The changes from `a` to `b`, by lines, adjacent ones merged.
fn changes(a: &str, b: &str) -> Vec<Change> {
    let diff = similar::TextDiff::from_lines(a, b);
    let new_lines: Vec<&str> = diff.new_slices().to_vec();
    let mut out: Vec<Change> = Vec::new();
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let text: Vec<String> = new_lines[new.clone()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        match out.last_mut() {
            Some(last) if last.old.end == old.start => {
                last.old.end = old.end;
                last.new_lines.end = new.end;
                last.new.extend(text);
            }
            _ => out.push(Change {
                old,
                new_lines: new,
                new: text,
            }),
        }
    }
    out
}

/// Whether two changes touch the same original lines (an insertion touches the lines around
/// its point).
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    let widen = |r: &Range<usize>| {
        if r.is_empty() {
            r.start.saturating_sub(1)..r.end + 1
        } else {
            r.clone()
        }
    };
    let (a, b) = (widen(a), widen(b));
    a.start < b.end && b.start < a.end
}

/// What went wrong on one file.
fn compare_file(
    path: &Path,
    fixers: &[&'static FixerSpec],
    python2_inputs: &mut Vec<(PathBuf, &'static str, String)>,
) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let Ok(source) = SourceFile::decode(&bytes) else {
        return Vec::new();
    };
    let text = &source.text;
    let name = path.display();
    let mut full = match fix(text, fixers.to_vec(), path) {
        Ok(full) => full,
        // A file the full run declines is not this test's business.
        Err(_) => return Vec::new(),
    };
    let mut problems = Vec::new();
    // Each fixer alone on the original.
    let mut alone: Vec<(&FixerSpec, Vec<Change>)> = Vec::new();
    let mut alone_outputs: Vec<(&FixerSpec, String)> = Vec::new();
    for &x in fixers {
        match fix(text, vec![x], path) {
            Ok(out) => {
                if out != *text && !PYTHON3_ONLY_SYNTAX.contains(&x.name) {
                    python2_inputs.push((path.to_path_buf(), x.name, out.clone()));
                }
                alone.push((x, changes(text, &out)));
                alone_outputs.push((x, out));
            }
            Err(e) => problems.push(format!("{name}: --select {} failed: {e}", x.name)),
        }
    }
    let full_changes = changes(text, &full);
    for (x, mine) in &alone {
        for c in mine {
            let in_full: Vec<&Change> = full_changes
                .iter()
                .filter(|f| touches(&f.old, &c.old))
                .collect();
            let exact = matches!(in_full.as_slice(), [f] if f.old == c.old && f.new == c.new);
            if exact {
                continue;
            }
            // X's edit is part of a larger change of the full run there: another fixer's edit
            // of the same lines merged with it (`import itertools` written where the full run
            // also removes `from itertools import izip`).
            let merged = matches!(in_full.as_slice(), [f]
                if f.old.start <= c.old.start && c.old.end <= f.old.end
                    && f.new.windows(c.new.len().max(1)).any(|w| w == c.new.as_slice()));
            if merged {
                continue;
            }
            // print-statement alone keeps the file Python 2 with this line (a full run does not
            // need it).
            let future_print = c.old.is_empty()
                && c.new.iter().all(|l| l.trim_end() == FUTURE_PRINT)
                && x.name == "print-statement";
            if future_print {
                continue;
            }
            let others = alone
                .iter()
                .filter(|(y, _)| y.code != x.code)
                .any(|(_, theirs)| {
                    theirs.iter().any(|t| {
                        touches(&t.old, &c.old) || in_full.iter().any(|f| touches(&t.old, &f.old))
                    })
                });
            // Or another fixer rewrites what X wrote (a full run does both: `(int, long)` ->
            // `(int, int)` -> `int`).
            let after_mine = || {
                let mine = alone_outputs
                    .iter()
                    .find(|(y, _)| y.code == x.code)
                    .map(|(_, o)| o);
                let Some(mine) = mine else { return false };
                fixers.iter().filter(|y| y.code != x.code).any(|&y| {
                    fix(mine, vec![y], path).is_ok_and(|theirs| {
                        changes(mine, &theirs)
                            .iter()
                            .any(|t| touches(&t.old, &c.new_lines))
                    })
                })
            };
            if !others && !after_mine() {
                problems.push(format!(
                    "{name}: --select {} changes lines {}..{} to {:?}; the full run makes {:?}",
                    x.name,
                    c.old.start + 1,
                    c.old.end,
                    c.new,
                    in_full
                ));
            }
        }
    }
    // One by one, in registry order.
    let mut current = text.clone();
    for &x in fixers {
        match fix(&current, vec![x], path) {
            Ok(out) => current = out,
            Err(e) => {
                problems.push(format!(
                    "{name}: one by one, --select {} failed: {e}",
                    x.name
                ));
                return problems;
            }
        }
    }
    // The differences allowed: print-statement kept the file Python 2 with this line; and a
    // full run marks a file holding an implicit relative import that relative-import reports
    // but cannot rewrite (`import __init__ as web`, `import os, tz`) when other fixes change
    // the file, while relative-import alone changes nothing there and the fixer that does
    // change the file then runs without it.
    let future_line = format!("{FUTURE_PRINT}\n");
    if current != full && !full.contains(FUTURE_PRINT) {
        current = current.replacen(&future_line, "", 1);
    }
    if current != full && !current.contains(FUTURE_ABSOLUTE) {
        current = current.replace(&format!("{FUTURE_ABSOLUTE}\n"), "");
        full = full.replacen(&format!("{FUTURE_ABSOLUTE}\n"), "", 1);
    }
    if current != full {
        let diff = similar::TextDiff::from_lines(&full, &current)
            .unified_diff()
            .header("full run", "one by one")
            .to_string();
        problems.push(format!(
            "{name}: one by one differs from the full run:\n{diff}"
        ));
    }
    problems
}

/// The texts (paired with the file they came from) that Python 2.7 does not compile while their
/// original does.
fn python2_rejections(python2: &Path, outputs: &[(PathBuf, &str, String)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut list = String::new();
    for (i, (original, fixer, text)) in outputs.iter().enumerate() {
        let out = dir.path().join(format!("{i}.py"));
        std::fs::write(&out, text).unwrap();
        list.push_str(&format!(
            "{}\t{fixer}\t{}\n",
            original.display(),
            out.display()
        ));
    }
    let listing = dir.path().join("list.txt");
    std::fs::write(&listing, list).unwrap();
    let script = r#"
import sys
def compiles(path):
    try:
        compile(open(path, 'rb').read(), path, 'exec')
        return None
    except SyntaxError as e:
        return '%s:%s: %s' % (e.lineno, e.offset, e.msg)
for line in open(sys.argv[1]):
    original, fixer, output = line.rstrip('\n').split('\t')
    if compiles(original) is None:
        error = compiles(output)
        if error is not None:
            print('%s: --select %s: %s' % (original, fixer, error))
"#;
    let out = std::process::Command::new(python2)
        .arg("-c")
        .arg(script)
        .arg(&listing)
        .output()
        .expect("run python2");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn each_fixer_alone_and_one_by_one_match_the_full_run() {
    let Some((web, django)) = corpus() else {
        return;
    };
    let fixers = default_fixers();
    let mut files = python_files(&web);
    files.extend(
        python_files(&django)
            .into_iter()
            .step_by(django_sample_every()),
    );
    let mut problems = Vec::new();
    let mut outputs = Vec::new();
    for path in &files {
        problems.extend(compare_file(path, &fixers, &mut outputs));
    }
    if let Some(python2) = support::python2() {
        problems.extend(
            python2_rejections(&python2, &outputs)
                .into_iter()
                .map(|e| format!("Python 2.7 no longer compiles a single fixer's output: {e}")),
        );
    }
    assert!(
        problems.is_empty(),
        "{} problems over {} files:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}
