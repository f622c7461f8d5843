//! `py2to3 check`: report every Python 2 construct with its code and position.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::CommonArgs;
use crate::engine::driver;
use crate::engine::file::{check_file, FileStatus};
use crate::source::LineIndex;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// Report Python 2 constructs without changing anything.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
}

/// One finding as printed.
#[derive(Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub fixable: bool,
}

/// Runs `check`; exit 0 when nothing is found, 1 on findings or failed files, 2 on usage errors.
pub fn run(args: CheckArgs) -> ExitCode {
    let prepared = match args.common.prepare() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return ExitCode::from(2);
        }
    };
    let settings = &prepared.settings;
    let results = match driver::run_parallel(&prepared.files, args.common.jobs, |c| {
        check_file(c, settings)
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut findings = Vec::new();
    let mut failed = prepared.walk_errors.len();
    for (path, reason) in &prepared.walk_errors {
        eprintln!("{}: error: {reason}", path.display());
    }
    for r in results {
        match r.status {
            FileStatus::Checked { text, diagnostics } => {
                let index = LineIndex::new(&text);
                let path = r.path.display().to_string();
                for d in diagnostics {
                    let (line, column) = index.line_col(&text, d.start);
                    let (end_line, end_column) = index.line_col(&text, d.end);
                    findings.push(Finding {
                        code: d.code,
                        name: d.name,
                        message: d.message,
                        path: path.clone(),
                        line,
                        column,
                        end_line,
                        end_column,
                        fixable: d.fix.is_some(),
                    });
                }
            }
            FileStatus::Failed(reason) => {
                eprintln!("{}:{reason}", r.path.display());
                failed += 1;
            }
            FileStatus::Skipped(reason) => eprintln!("{}: skipped: {reason}", r.path.display()),
            _ => {}
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.output_format {
        OutputFormat::Json => {
            let _ = serde_json::to_writer_pretty(&mut out, &findings);
            let _ = writeln!(out);
        }
        OutputFormat::Text => {
            for f in &findings {
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {} {}",
                    f.path, f.line, f.column, f.code, f.message
                );
            }
        }
    }
    if !findings.is_empty() || failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
