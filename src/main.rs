//! The `py2to3` command line: a thin clap layer over the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc: parsing allocates one small box per AST node and one string per name, and the
/// system allocator made that a third of the parse time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Move Python 2 code, and the data it keeps, to Python 3.
#[derive(Debug, Parser)]
#[command(name = "py2to3", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Rewrite Python 2 files as Python 3 (in place, or --diff / --check).
    Fix(py2to3::commands::fix::FixArgs),
    /// Report Python 2 constructs with stable codes and positions.
    Check(py2to3::commands::check::CheckArgs),
    /// Write an HTML migration dashboard (totals, folders, rules, history).
    Report(py2to3::commands::report::ReportArgs),
    /// List every rule: code, name, fixable, default on/off.
    Rules {
        /// `text` (a table) or `json` (an array of rules with their documentation).
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        output_format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain { code: String },
    /// Audit, disassemble or compare pickle blobs (never unpickles).
    Pickle(py2to3::pickle::cli::PickleArgs),
    /// Audit or purge items of live memcached servers.
    Memcache(py2to3::memcache::cli::MemcacheArgs),
    /// Audit or migrate the pickles kept in a Redis database.
    Redis(py2to3::redis::cli::RedisArgs),
}

/// `rules --output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RulesFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Fix(args) => py2to3::commands::fix::run(args),
        Command::Check(args) => py2to3::commands::check::run(args),
        Command::Report(args) => py2to3::commands::report::run(args),
        Command::Rules { output_format } => {
            let mut out = std::io::stdout().lock();
            let rules = py2to3::report::rules::all_rules();
            let _ = match output_format {
                RulesFormat::Text => {
                    py2to3::report::rules::write_rules_table(&rules, &|_| true, &mut out)
                }
                RulesFormat::Json => py2to3::report::rules::write_rules_json(&rules, &mut out),
            };
            ExitCode::SUCCESS
        }
        Command::Explain { code } => match py2to3::report::rules::find_rule(&code) {
            Ok(spec) => {
                print!("{}", py2to3::report::rules::explain_text(spec, true));
                ExitCode::SUCCESS
            }
            // The pickle auditor's finding codes (`pickle audit`) have their own catalog.
            Err(e) => match py2to3::pickle::codes::find(&code) {
                Some(doc) => {
                    print!("{}", py2to3::pickle::codes::explain_text(doc));
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!("py2to3: error: {e}");
                    py2to3::exit::trouble()
                }
            },
        },
        Command::Pickle(args) => py2to3::pickle::cli::run(args),
        Command::Memcache(args) => py2to3::memcache::cli::run(args),
        Command::Redis(args) => py2to3::redis::cli::run(args),
    }
}
