//! `py2to3 fix`: rewrite files in place, or show (`--diff`) / test (`--check`) what would change.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use super::CommonArgs;
use crate::engine::driver;
use crate::engine::file::{fix_file, FileStatus};
use crate::source::WritePolicy;

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

/// Runs `fix`; exit 0 when nothing changed, 1 when files changed (or would) or failed, 2 on usage errors.
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
            return ExitCode::from(2);
        }
    };
    let write = !args.diff && !args.check;
    let policy = write.then_some(WritePolicy {
        force_readonly: args.force_readonly,
    });
    let settings = &prepared.settings;
    let results = match driver::run_parallel(&prepared.files, args.common.jobs, |c| {
        fix_file(c, settings, policy)
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return ExitCode::from(2);
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
    for (path, reason) in &prepared.walk_errors {
        eprintln!("{}: error: {reason}", path.display());
        failed += 1;
    }
    for r in &results {
        match &r.status {
            FileStatus::NotPython => continue,
            FileStatus::Skipped(reason) => {
                eprintln!("{}: skipped: {reason}", r.path.display());
                skipped += 1;
            }
            FileStatus::Failed(reason) => {
                eprintln!("{}:{reason}", r.path.display());
                failed += 1;
            }
            FileStatus::Unchanged => unchanged += 1,
            FileStatus::Changed { original, fixed } => {
                changed += 1;
                if args.diff {
                    let name = r.path.display().to_string();
                    let diff = similar::TextDiff::from_lines(original.as_str(), fixed.as_str());
                    let text = diff
                        .unified_diff()
                        .header(&format!("a/{name}"), &format!("b/{name}"))
                        .to_string();
                    let _ = out.write_all(text.as_bytes());
                } else if args.check {
                    let _ = writeln!(out, "would fix {}", r.path.display());
                }
            }
            FileStatus::Checked { .. } => {}
        }
        seen += 1;
    }
    let _ = out.flush();
    let verb = if write { "changed" } else { "would change" };
    eprintln!(
        "py2to3: {seen} files seen, {changed} {verb}, {unchanged} unchanged, {failed} failed, {skipped} skipped in {:.2}s",
        started.elapsed().as_secs_f64()
    );
    if changed > 0 || failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
