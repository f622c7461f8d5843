//! Benchmark baseline: read and parse every `.py` file under the given folders with
//! rustpython-parser on all cores, nothing else. `bench/fix_bench.py` times it next to `py2to3 fix`.

use rayon::prelude::*;

/// The allocator `py2to3` itself uses (see src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let files: Vec<std::path::PathBuf> = std::env::args()
        .skip(1)
        .flat_map(|root| ignore::WalkBuilder::new(root).build())
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    let failed: usize = files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            usize::from(
                rustpython_parser::parse(&text, rustpython_parser::Mode::Module, "<file>").is_err(),
            )
        })
        .sum();
    println!("{} files parsed, {failed} failed", files.len());
}
