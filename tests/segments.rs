//! A big file fixed in segments (src/engine/segments.rs) must come out exactly as the whole-file
//! fix writes it. The threshold is forced down (`Settings::segment_bytes`) so that small files go
//! the segmented way: every fixture input, and a sample of Django 1.3.7 (one file in
//! `PY2TO3_SEGMENTS_SAMPLE_EVERY`, default 4; the corpus is skipped when missing outside CI),
//! under the default selection, for both targets; and a file whose later segment rebinds a
//! builtin goes the whole-file way.

mod support;

use std::path::{Path, PathBuf};

use py2to3::config::Target;
use py2to3::engine::pipeline::{fix_text, Settings};
use py2to3::engine::segments;
use py2to3::fixers::registry;

/// The default selection, fixing every file of at least `segment_bytes` bytes in segments.
fn settings(segment_bytes: usize, target: Target) -> Settings {
    let enabled = py2to3::config::select::from_flags(&[], &[]).expect("default selection");
    let mut settings = Settings::new(registry::all(), enabled);
    settings.segment_bytes = Some(segment_bytes);
    settings.target = target;
    settings
}

/// The whole-file result and the segmented one (text or error), with what the segmented run
/// decided.
fn both(text: &str, target: Target) -> (Result<String, String>, Result<String, String>, String) {
    let result = |r: Result<py2to3::engine::pipeline::FixOutcome, _>| {
        r.map(|o| o.text)
            .map_err(|e: py2to3::engine::pipeline::PipelineError| e.message)
    };
    let whole = result(fix_text(text, &settings(usize::MAX, target)));
    let parts = result(fix_text(text, &settings(1, target)));
    let decision = segments::last_decision().unwrap_or_else(|| "not tried".into());
    (whole, parts, decision)
}

/// Runs `f` on a thread with a big stack (parsers recurse), as the driver does.
fn big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic")
}

/// Compares both ways on each file; returns (files, segmented, differences).
fn compare(files: Vec<(String, String)>, target: Target) -> (usize, usize, Vec<String>) {
    big_stack(move || {
        let mut segmented = 0;
        let mut differences = Vec::new();
        let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
        for (name, text) in &files {
            let (whole, parts, decision) = both(text, target);
            if decision.starts_with("segmented") {
                segmented += 1;
            } else {
                *reasons.entry(decision.clone()).or_default() += 1;
            }
            if whole != parts {
                differences.push(format!("{name} ({decision})"));
            }
        }
        eprintln!(
            "{target:?}: {} files, {segmented} segmented; whole-file: {reasons:#?}",
            files.len()
        );
        (files.len(), segmented, differences)
    })
}

/// The `.py` files under `root`, sorted.
fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

fn fixture_inputs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let files = python_files(&root);
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

#[test]
fn fixtures_come_out_the_same_in_segments() {
    for target in [Target::Py3, Target::Six] {
        let (files, segmented, differences) = compare(fixture_inputs(), target);
        assert!(files > 200, "only {files} fixtures");
        // Under `--target six` every module is read whole (six's import line): none segments.
        if target == Target::Py3 {
            assert!(segmented > 5, "only {segmented} of {files} segmented");
        }
        assert!(
            differences.is_empty(),
            "{} differ:\n{}",
            differences.len(),
            differences.join("\n")
        );
    }
}

fn django_sample() -> Option<Vec<(String, String)>> {
    let corpus = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    let root = corpus.join("Django-1.3.7");
    if !root.is_dir() {
        assert!(!support::in_ci(), "the corpus is required under CI=true");
        eprintln!("corpus not found: skipping");
        return None;
    }
    let every: usize = std::env::var("PY2TO3_SEGMENTS_SAMPLE_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
        .max(1);
    let files = python_files(&root);
    Some(
        files
            .into_iter()
            .step_by(every)
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                let text = py2to3::source::SourceFile::decode(&bytes).ok()?.text;
                Some((p.display().to_string(), text))
            })
            .collect(),
    )
}

#[test]
fn django_comes_out_the_same_in_segments() {
    let Some(files) = django_sample() else { return };
    let (count, segmented, differences) = compare(files, Target::Py3);
    assert!(count > 300, "only {count} files");
    assert!(segmented > 0, "none of {count} segmented");
    assert!(
        differences.is_empty(),
        "{} differ:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

/// A later segment that defines `input` at top level: the earlier segment's `raw_input()` call
/// is not the builtin's in the whole file (bound anywhere counts), so the file is fixed whole.
#[test]
fn a_segment_that_rebinds_a_builtin_sends_the_file_the_whole_way() {
    let text = "import sys\n\ndef ask():\n    return raw_input('? ')\n\n\
                def show(x):\n    print x\n\ndef raw_input(prompt):\n    return sys.stdin.readline()\n";
    let (whole, parts, decision) = big_stack(move || both(text, Target::Py3));
    assert_eq!(whole, parts);
    assert!(decision.starts_with("whole file: segment"), "{decision}");
    // Without the rebinding, the same file is fixed in segments, to the same text.
    let text = "import sys\n\ndef ask():\n    return raw_input('? ')\n\n\
                def show(x):\n    print x\n\ndef read(prompt):\n    return sys.stdin.readline()\n";
    let (whole, parts, decision) = big_stack(move || both(text, Target::Py3));
    assert_eq!(
        whole.as_deref(),
        Ok("import sys\n\ndef ask():\n    return input('? ')\n\n\
            def show(x):\n    print(x)\n\ndef read(prompt):\n    return sys.stdin.readline()\n")
    );
    assert_eq!(whole, parts);
    assert_eq!(decision, "segmented: a head and 3 segments");
}

/// The first segment has no Python 2 grammar, a later one does: the first runs again with the
/// file's facts, and the result is the whole file's.
#[test]
fn facts_found_late_reach_the_earlier_segments() {
    let text = "import os\n\ndef f():\n    return '\\u00e9'\n\ndef g():\n    print 'x'\n";
    let (whole, parts, decision) = big_stack(move || both(text, Target::Py3));
    assert_eq!(whole, parts);
    assert_eq!(decision, "segmented: a head and 2 segments");
}
