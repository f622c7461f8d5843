//! `py2to3 memcache ...` subcommands.

use std::process::ExitCode;

/// Audit (read-only) or purge items of live memcached servers.
#[derive(Debug, clap::Args)]
pub struct MemcacheArgs {
    #[command(subcommand)]
    pub command: MemcacheCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum MemcacheCommand {
    /// Audit every item of the given servers.
    Audit {
        #[arg(long = "server")]
        servers: Vec<String>,
    },
}

pub fn run(args: MemcacheArgs) -> ExitCode {
    let _ = args;
    eprintln!("py2to3 memcache: not built yet");
    ExitCode::from(2)
}
