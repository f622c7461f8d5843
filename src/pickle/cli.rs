//! `py2to3 pickle ...` subcommands.

use std::process::ExitCode;

/// Audit, disassemble or compare pickle blobs without unpickling them.
#[derive(Debug, clap::Args)]
pub struct PickleArgs {
    #[command(subcommand)]
    pub command: PickleCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum PickleCommand {
    /// Audit blobs (files, folders, or - for stdin).
    Audit { paths: Vec<std::path::PathBuf> },
}

pub fn run(args: PickleArgs) -> ExitCode {
    let _ = args;
    eprintln!("py2to3 pickle: not built yet");
    ExitCode::from(2)
}
