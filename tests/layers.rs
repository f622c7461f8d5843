//! The crate's layers point one way (ARCHITECTURE.md): this test reads the `crate::` paths of
//! every file under `src/` (leaving out comments and `#[cfg(test)]` modules) and checks that each
//! top-level module names only modules below it in [`LAYERS`], so no import cycle can form, and
//! that the engine never names a fixer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of `src/`, lowest first: each may use only those before it.
const LAYERS: &[&str] = &[
    "exit", "source", "tokens", "syntax", "engine", "fixers", "run", "config", "pickle",
    "memcache", "redis", "report", "commands",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments (line comments and doc comments) and without its
/// `#[cfg(test)]` module (tests may reach anywhere).
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string literal is rare in `use` lines; good enough here.
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which top-level modules each top-level module names through `crate::NAME`.
fn module_edges() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let first = relative.components().next().expect("a component");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).expect("readable"));
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != module && LAYERS.contains(&name.as_str()) {
                edges
                    .entry(module.clone())
                    .or_default()
                    .entry(name)
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
    }
    edges
}

#[test]
fn every_top_level_module_is_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("src/").flatten() {
        let name = entry
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if name == "lib" || name == "main" {
            continue;
        }
        assert!(
            LAYERS.contains(&name.as_str()),
            "src/{name} is in no layer: add it to LAYERS here and to ARCHITECTURE.md"
        );
    }
}

#[test]
fn layers_point_one_way() {
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m).expect("a layer");
    let mut wrong = Vec::new();
    for (from, targets) in module_edges() {
        for (to, files) in targets {
            if rank(&to) >= rank(&from) {
                wrong.push(format!(
                    "{from} -> {to} (in {})",
                    Vec::from_iter(files).join(", ")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "modules that use a layer above their own (an import cycle in the making):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_engine_never_names_a_fixer() {
    let edges = module_edges();
    let engine = edges.get("engine").cloned().unwrap_or_default();
    assert!(
        !engine.contains_key("fixers"),
        "the engine names the catalogue: {:?}",
        engine.get("fixers")
    );
}
