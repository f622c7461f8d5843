//! `py2to3 fix`: rewrite files in place, or show (`--diff`) / test (`--check`) what would change.
//!
//! Each file runs with its own configuration (the nearest `pyproject.toml` / `py2to3.toml`, as
//! `check` reads it: `select`, `extend-select`, `ignore`, per-file ignores, `unsafe-fixes`). A
//! broken configuration fixes none of the files it covers and makes the run exit 2. After the
//! run, stderr lists what is left for a person: the findings without an automatic fix, by rule.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

use super::{display_path, file_settings, CommonArgs};
use crate::engine::pipeline::fix_text_at;
use crate::run::driver;
use crate::run::file::{describe, fix_file, FileResult, FileStatus};
use crate::source::{SourceFile, WritePolicy};

/// Rewrite Python 2 files as Python 3.
#[derive(Debug, clap::Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Print a unified diff instead of writing.
    #[arg(long)]
    pub diff: bool,
    /// Write nothing; exit 1 if any file would change.
    #[arg(long)]
    pub check: bool,
    /// List the fixers and exit.
    #[arg(long)]
    pub list_fixers: bool,
    /// Also rewrite read-only files (refused otherwise: see README, "What a run writes").
    #[arg(long)]
    pub force_readonly: bool,
}

/// What fixing one file gave.
enum Outcome {
    Fixed(FileResult),
    /// The file's configuration is broken: a usage error, the file is left alone.
    ConfigError(String),
}

/// Runs `fix`; exit 0 when nothing changed, 1 when files changed (or would) or could not be
/// fixed, 2 on usage errors: a broken configuration, a path that does not exist, a file that
/// cannot be written.
pub fn run(args: FixArgs) -> ExitCode {
    if args.list_fixers {
        print!("{}", super::list_fixers());
        return ExitCode::SUCCESS;
    }
    let started = Instant::now();
    let prepared = match args.common.prepare() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return crate::exit::trouble();
        }
    };
    if args.common.reads_stdin() {
        return fix_stdin(&args, &prepared);
    }
    let write = !args.diff && !args.check;
    let policy = write.then_some(WritePolicy {
        force_readonly: args.force_readonly,
    });
    let results = match driver::run_parallel(&prepared.files, args.common.jobs, |c| {
        match file_settings(&prepared, &c.path, true) {
            Err(e) => Outcome::ConfigError(e),
            Ok((config, mut settings, _)) => {
                // Per-file ignores: an ignored rule is not applied to that file.
                settings.enabled = config.rules_for(&c.path);
                Outcome::Fixed(fix_file(c, &settings, policy))
            }
        }
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return crate::exit::trouble();
        }
    };
    if write {
        // Temporaries a crashed earlier run left where the walk went (see README).
        crate::source::sweep_noted_temporaries();
    }
    let stdout = std::io::stdout();
    // Stdout is line-buffered: a diff would be one write per line without a buffer.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut seen, mut changed, mut unchanged, mut failed, mut skipped) = (0, 0, 0, 0, 0);
    let mut errors: Vec<String> = Vec::new();
    let mut left: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (path, reason) in &prepared.walk_errors {
        errors.push(format!("{}: {reason}", path.display()));
        failed += 1;
    }
    for r in &results {
        let r = match r {
            Outcome::ConfigError(e) => {
                if !errors.contains(e) {
                    errors.push(e.clone());
                }
                continue;
            }
            Outcome::Fixed(r) => r,
        };
        for &rule in &r.unfixed {
            *left.entry(rule).or_default() += 1;
        }
        match &r.status {
            FileStatus::NotPython => continue,
            FileStatus::Skipped(reason) => {
                eprintln!("{}: skipped: {reason}", r.path.display());
                skipped += 1;
            }
            // I/O errors: exit 2.
            FileStatus::Failed(reason)
                if ["cannot write", "cannot read"]
                    .iter()
                    .any(|e| reason.trim_start().starts_with(e)) =>
            {
                errors.push(format!("{}: {}", r.path.display(), reason.trim_start()));
                failed += 1;
            }
            FileStatus::Failed(reason) => {
                eprintln!("{}:{reason}", r.path.display());
                failed += 1;
            }
            FileStatus::Unchanged => unchanged += 1,
            FileStatus::Changed { original, fixed } => {
                changed += 1;
                if args.diff {
                    let _ = out.write_all(unified_diff(&r.path, original, fixed).as_bytes());
                } else if args.check {
                    let _ = writeln!(out, "would fix {}", display_path(&r.path));
                }
            }
            FileStatus::Checked { .. } => {}
        }
        seen += 1;
    }
    let _ = out.flush();
    for e in &errors {
        eprintln!("py2to3: error: {e}");
    }
    let verb = if write { "changed" } else { "would change" };
    eprintln!(
        "py2to3: {seen} files seen, {changed} {verb}, {unchanged} unchanged, {failed} failed, {skipped} skipped in {:.2}s",
        started.elapsed().as_secs_f64()
    );
    eprint!("{}", left_for_a_person(&left, args.common.color));
    if !errors.is_empty() {
        crate::exit::trouble()
    } else if changed > 0 || failed > 0 {
        crate::exit::FOUND
    } else {
        ExitCode::SUCCESS
    }
}

/// The unified diff of one file, with `a/PATH` and `b/PATH` headers `git apply` accepts.
fn unified_diff(path: &std::path::Path, original: &str, fixed: &str) -> String {
    let name = display_path(path);
    similar::TextDiff::from_lines(original, fixed)
        .unified_diff()
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// The summary of what `fix` leaves for a person: findings without an automatic fix, by rule,
/// most frequent first. Empty when there are none.
pub fn left_for_a_person(
    left: &BTreeMap<(&str, &str), usize>,
    color: super::ColorChoice,
) -> String {
    if left.is_empty() {
        return String::new();
    }
    let total: usize = left.values().sum();
    let mut rules: Vec<(&(&str, &str), &usize)> = left.iter().collect();
    rules.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let bold = color.enabled(std::io::stderr().is_terminal());
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut text = format!(
        "{on}Left for a person:{off} {total} finding{} without an automatic fix (`py2to3 check` shows where, `py2to3 explain CODE` why):\n",
        if total == 1 { "" } else { "s" }
    );
    let width = rules[0].1.to_string().len();
    for ((code, name), count) in rules {
        text.push_str(&format!("  {count:>width$}  {code}  {name}\n"));
    }
    text
}

/// `fix -`: fixes standard input, as the file `--stdin-filename` names, and prints the result
/// (or its diff with `--diff`) on stdout. A text that cannot be fixed is printed unchanged.
fn fix_stdin(args: &FixArgs, prepared: &super::Prepared) -> ExitCode {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("py2to3: error: cannot read standard input: {e}");
        return crate::exit::trouble();
    }
    let path = args.common.stdin_path();
    let (config, mut settings, _) = match file_settings(prepared, &path, true) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return crate::exit::trouble();
        }
    };
    settings.enabled = config.rules_for(&path);
    let mut out = std::io::stdout().lock();
    let echo = |out: &mut std::io::StdoutLock, code: u8| {
        if !args.diff && !args.check {
            let _ = out.write_all(&bytes);
        }
        ExitCode::from(code)
    };
    let source = match SourceFile::decode(&bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return echo(&mut out, 1);
        }
    };
    let file = (path != std::path::Path::new("-")).then_some(path.as_path());
    let outcome = match fix_text_at(&source.text, &settings, file) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}:{}", path.display(), describe(&source.text, &e));
            return echo(&mut out, 1);
        }
    };
    let mut left: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in &outcome.unfixed {
        *left.entry((d.code, d.name)).or_default() += 1;
    }
    eprint!("{}", left_for_a_person(&left, args.common.color));
    if outcome.text == source.text {
        return echo(&mut out, 0);
    }
    if args.diff {
        let _ = out.write_all(unified_diff(&path, &source.text, &outcome.text).as_bytes());
    } else if args.check {
        let _ = writeln!(out, "would fix {}", display_path(&path));
    } else {
        match source.encode(&outcome.text) {
            Ok(fixed) => {
                let _ = out.write_all(&fixed);
            }
            Err(e) => {
                eprintln!("{}: cannot encode the result: {e}", path.display());
                return echo(&mut out, 1);
            }
        }
    }
    crate::exit::FOUND
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_for_a_person_counts_by_rule_most_frequent_first() {
        let mut left = BTreeMap::new();
        left.insert(("PY806", "slice-methods"), 1);
        left.insert(("PY817", "exception-message-attribute"), 12);
        let text = left_for_a_person(&left, crate::commands::ColorChoice::Never);
        assert_eq!(
            text,
            "Left for a person: 13 findings without an automatic fix (`py2to3 check` shows where, `py2to3 explain CODE` why):\n\
             \x20 12  PY817  exception-message-attribute\n\
             \x20  1  PY806  slice-methods\n"
        );
        assert_eq!(
            left_for_a_person(&BTreeMap::new(), crate::commands::ColorChoice::Never),
            ""
        );
    }

    #[test]
    fn diff_headers_have_no_dot_folder() {
        let diff = unified_diff(std::path::Path::new("./pkg/a.py"), "a\n", "b\n");
        assert!(
            diff.starts_with("--- a/pkg/a.py\n+++ b/pkg/a.py\n"),
            "{diff}"
        );
    }
}
