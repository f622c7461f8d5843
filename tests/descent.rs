//! The recursive-descent parser (`src/engine/descent`) against rustpython's own parser: wherever
//! it answers, the tree (ranges included) must be rustpython's, on the whole Python 3 standard
//! library, the fixtures, mutated snippets and hand-written tricky or invalid inputs; and it must
//! answer on most real files.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use py2to3::engine::parse::parse_descent;
use rustpython_parser::{ast, Mode};

/// rustpython's tree for `text`, as its Debug string, or `None` when it rejects the text.
fn rustpython(text: &str) -> Option<String> {
    match rustpython_parser::parse(text, Mode::Module, "<file>") {
        Ok(ast::Mod::Module(m)) => Some(format!("{:?}", m.body)),
        _ => None,
    }
}

/// Ours as a Debug string, if we answer.
fn descent(text: &str) -> Option<String> {
    parse_descent(text).map(|body| format!("{body:?}"))
}

/// The `.py` files of the Python 3 standard library and the `.py.expected` fixtures, or `None`
/// (skip) when python3 is missing outside CI.
fn corpus_files() -> Option<Vec<PathBuf>> {
    if !support::python3_available() {
        return None;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .unwrap();
    let stdlib = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(&stdlib)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.extend(fixture_files());
    Some(files)
}

/// The `fixtures/**/*.py.expected` files (Python 3 after our fixes).
fn fixture_files() -> Vec<PathBuf> {
    ignore::WalkBuilder::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".py.expected"))
        .collect()
}

/// The decoded text of a file, if it decodes.
fn read_text(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .and_then(|b| py2to3::source::SourceFile::decode(&b).ok())
        .map(|s| s.text)
}

/// A pool with big stacks: rustpython's parser recurses deeply on some files.
fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .unwrap()
}

#[test]
fn descent_trees_equal_rustpython_trees_on_stdlib_and_fixtures() {
    use rayon::prelude::*;

    let Some(files) = corpus_files() else { return };
    let (answered, differ): (usize, Vec<String>) = pool().install(|| {
        let results: Vec<(bool, Option<String>)> = files
            .par_iter()
            .map(|path| {
                let Some(text) = read_text(path) else {
                    return (false, None);
                };
                let Some(ours) = descent(&text) else {
                    return (false, None);
                };
                let same = rustpython(&text).is_some_and(|theirs| theirs == ours);
                (true, (!same).then(|| path.display().to_string()))
            })
            .collect();
        (
            results.iter().filter(|(a, _)| *a).count(),
            results.into_iter().filter_map(|(_, d)| d).collect(),
        )
    });
    eprintln!(
        "descent parser answered on {answered} of {} files ({:.1}%)",
        files.len(),
        answered as f64 * 100.0 / files.len() as f64
    );
    assert!(differ.is_empty(), "trees differ: {differ:#?}");
    assert!(
        answered * 100 >= files.len() * 85,
        "descent parser answered on only {answered} of {} files",
        files.len()
    );
}
