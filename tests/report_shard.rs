//! `--shard K/N` at the report level: the union of the N shards' JSON outputs equals one
//! unsharded run's output, for several N (the lead adds the end-to-end CLI test).

use std::path::{Path, PathBuf};

use py2to3::report::{sort_findings, write_report, Finding, OutputFormat, ReportOptions};
use py2to3::run::shard::Shard;

/// Pretend findings of one file: a deterministic function of its path.
fn findings_of(path: &Path, root: &Path) -> Vec<Finding> {
    let shown = path
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let n = shown.len() % 3;
    (0..n)
        .map(|i| Finding {
            code: format!("PY00{i}"),
            name: "n".into(),
            message: format!("finding {i} of {shown}"),
            path: shown.clone(),
            line: i + 1,
            column: 1,
            end_line: i + 1,
            end_column: 4,
            fixable: i % 2 == 0,
            fix: None,
        })
        .collect()
}

/// One run over `files` (only this shard's when given): the JSON text it prints.
fn run(files: &[PathBuf], root: &Path, shard: Option<Shard>) -> String {
    let selected: Vec<&PathBuf> = match shard {
        Some(s) => files.iter().filter(|f| s.contains(f, root)).collect(),
        None => files.iter().collect(),
    };
    let mut findings: Vec<Finding> = selected.iter().flat_map(|f| findings_of(f, root)).collect();
    sort_findings(&mut findings);
    let mut out = Vec::new();
    write_report(
        OutputFormat::Json,
        &findings,
        &ReportOptions::plain(),
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn union_of_shard_outputs_equals_the_unsharded_output() {
    let root = PathBuf::from("/ci/checkout");
    let files: Vec<PathBuf> = (0..300)
        .map(|i| root.join(format!("pkg_{}/sub/module_{i}.py", i % 11)))
        .collect();
    let whole: Vec<Finding> = serde_json::from_str(&run(&files, &root, None)).unwrap();
    assert!(whole.len() > 100);
    for n in [1, 2, 3, 4, 7, 16] {
        let mut union: Vec<Finding> = Vec::new();
        for k in 1..=n {
            let shard: Shard = format!("{k}/{n}").parse().unwrap();
            // Each job discovers the files in its own order: reverse for even K.
            let mut order = files.clone();
            if k % 2 == 0 {
                order.reverse();
            }
            let part: Vec<Finding> =
                serde_json::from_str(&run(&order, &root, Some(shard))).unwrap();
            union.extend(part);
        }
        assert_eq!(
            union.len(),
            whole.len(),
            "N={n}: a finding reported twice or lost"
        );
        sort_findings(&mut union);
        assert_eq!(union, whole, "N={n}");
    }
}
