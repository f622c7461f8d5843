//! `py2to3 redis ...` subcommands: `audit` (read-only) and `migrate`.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use super::audit::{audit, summary_json, summary_text, AuditOptions};
use super::resp::RedisUrl;
use super::snapshot::{audit_snapshot, Filter, SnapshotError, Source};
use crate::memcache::cli::OutputFormat;
use crate::memcache::migrate::{text_summary, Pace, StdoutLog};
use crate::pickle::write::StrPolicy;

/// Audit (read-only) or migrate the pickles kept in a Redis database.
#[derive(Debug, clap::Args)]
pub struct RedisArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: RedisCommand,
}

/// The redis subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum RedisCommand {
    /// Check every value (strings, hash fields and list items holding pickles) for the Python
    /// 2/3 crossing. Sends only SCAN, MGET, TYPE, HGETALL, LRANGE, INFO and PING.
    ///
    /// Exit status: 0 when the whole database was scanned, 1 when partial, 2 on bad arguments.
    ///
    /// With --snapshot or --rdb the values come from a snapshot instead of SCAN: the same
    /// report, the server running no command per key (--snapshot sends only PING, REPLCONF,
    /// CONFIG GET and SYNC). Exit status 2 also when the server refuses SYNC or the file is
    /// not an RDB file; 1 when the snapshot breaks off or is damaged (the report then counts
    /// what came before). A snapshot's lists are read whole (SCAN reads a list's first
    /// 10,000 items).
    Audit {
        /// Read a snapshot the server streams as to a replica (`SYNC`) instead of scanning.
        /// The server forks and saves its whole dataset (as BGSAVE does: with disk-based
        /// replication it also writes its dump file), and every database is sent and read
        /// (keys of other databases, or not matching --match, are skipped here). Sends
        /// REPLCONF and SYNC, which the user's ACL must allow; nothing else is changed.
        /// The transfer is diskless (streamed while the server writes it) when CONFIG GET
        /// shows `repl-diskless-sync yes` and `repl-diskless-sync-delay 0`; else
        /// disk-based. While another fork (BGSAVE, AOF rewrite, a replica's sync) runs, the
        /// server starts ours after it, and after its diskless delay.
        #[arg(long, conflicts_with = "rdb")]
        snapshot: bool,
        /// Audit a dump file (an RDB backup, `redis-cli --rdb FILE`, a server's dump.rdb)
        /// offline, instead of a server. Keys expired by now are not counted (a server
        /// loading the file would drop them).
        #[arg(long, value_name = "FILE")]
        rdb: Option<std::path::PathBuf>,
        /// With --rdb and no --url: the database to audit.
        #[arg(long, default_value_t = 0, requires = "rdb")]
        db: u32,
        /// What to scan and how.
        #[command(flatten)]
        scan: RedisScanArgs,
    },
    /// Rewrite each string value one Python cannot load as a pickle both load to the same
    /// value (prints what it would rewrite unless --apply is given). Each write is a Lua
    /// compare-and-set against the value read, keeping the key's TTL.
    Migrate {
        /// Really write the rewrites.
        #[arg(long)]
        apply: bool,
        /// At most this many writes a second.
        #[arg(long)]
        rate: Option<f64>,
        /// What a Python 2 `str` holding non-ASCII bytes becomes (see `memcache migrate`).
        #[arg(long, value_enum, default_value = "bytes")]
        str_as: StrPolicy,
        /// What to scan and how.
        #[command(flatten)]
        scan: RedisScanArgs,
    },
}

/// Options shared by `audit` and `migrate`.
#[derive(Debug, clap::Args)]
pub struct RedisScanArgs {
    /// The database: redis://[[user]:password@]host[:port][/db] (required unless --rdb).
    #[arg(long)]
    pub url: Option<String>,
    /// Only keys matching this glob (SCAN MATCH).
    #[arg(long = "match", default_value = "*")]
    pub pattern: String,
    /// Keys per SCAN (COUNT): one round trip each.
    #[arg(long, default_value_t = 1000)]
    pub count: usize,
    /// Keys are grouped by the text before the first occurrence of this delimiter (after a
    /// django-redis `KEY_PREFIX:VERSION:`).
    #[arg(long, default_value = ":")]
    pub prefix_delimiter: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: OutputFormat,
    /// Also write one record per item.
    #[arg(long)]
    pub items: bool,
    /// Seconds to wait for a connection or an answer.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Diagnostic: scan and fetch every value but analyse nothing.
    #[arg(long, hide = true)]
    pub no_analysis: bool,
}

/// Runs a redis subcommand.
pub fn run(args: RedisArgs) -> ExitCode {
    let scan = match &args.command {
        RedisCommand::Audit { scan, .. } | RedisCommand::Migrate { scan, .. } => scan,
    };
    let rdb = match &args.command {
        RedisCommand::Audit { rdb, .. } => rdb.clone(),
        RedisCommand::Migrate { .. } => None,
    };
    let url = match (&scan.url, &rdb) {
        (Some(text), _) => match RedisUrl::parse(text) {
            Ok(url) => Some(url),
            Err(e) => {
                eprintln!("py2to3 redis: bad --url: {e}");
                return crate::exit::trouble();
            }
        },
        (None, Some(_)) => None,
        (None, None) => {
            eprintln!("py2to3 redis: --url is required (or --rdb FILE for a dump file)");
            return crate::exit::trouble();
        }
    };
    if !(scan.timeout > 0.0 && scan.timeout.is_finite()) {
        eprintln!("py2to3 redis: --timeout must be a positive number of seconds");
        return crate::exit::trouble();
    }
    let json = scan.output_format == OutputFormat::Json;
    let options = AuditOptions {
        pattern: scan.pattern.clone(),
        count: scan.count,
        prefix_delimiter: scan.prefix_delimiter.as_bytes().to_vec(),
        analyse: !scan.no_analysis,
        items: scan.items,
        json,
        timeout: Duration::from_secs_f64(scan.timeout),
    };
    let stdout = BufWriter::new(std::io::stdout());
    let (partial, errors, written) = match args.command {
        RedisCommand::Audit { snapshot, db, .. } => {
            let source = match (&rdb, &url) {
                (Some(path), _) => Some(Source::File(path.clone())),
                (None, Some(url)) if snapshot => Some(Source::Live(url.clone())),
                _ => None,
            };
            let (result, mut out) = match (source, &url) {
                (Some(source), _) => {
                    let filter = Filter {
                        db: u64::from(url.as_ref().map_or(db, |u| u.db)),
                        pattern: options.pattern.as_bytes().to_vec(),
                        now_ms: None,
                    };
                    let (result, out, error) = audit_snapshot(&source, &filter, &options, stdout);
                    if let Some(SnapshotError::Refused(e)) = error {
                        eprintln!("py2to3 redis: {e}");
                        return crate::exit::trouble();
                    }
                    (result, out)
                }
                (None, Some(url)) => audit(url, &options, stdout),
                (None, None) => return crate::exit::trouble(),
            };
            let written = if json {
                let summary = summary_json(&result);
                if options.items {
                    writeln!(out, "{summary}")
                } else {
                    serde_json::to_writer_pretty(&mut out, &summary)
                        .map_err(std::io::Error::from)
                        .and_then(|()| writeln!(out))
                }
            } else {
                write!(out, "{}", summary_text(&result, options.analyse))
            };
            (
                result.partial,
                result.errors,
                written.and_then(|()| out.flush()),
            )
        }
        RedisCommand::Migrate {
            apply,
            rate,
            str_as,
            ..
        } => {
            let log = StdoutLog {
                out: Mutex::new(stdout),
                json,
            };
            let pace = Pace::new(rate);
            let Some(url) = url else {
                eprintln!("py2to3 redis: --url is required");
                return crate::exit::trouble();
            };
            let result = super::migrate::migrate(&url, &options, str_as, apply, &pace, &log);
            let mut out = match log.out.into_inner() {
                Ok(out) => out,
                Err(poisoned) => poisoned.into_inner(),
            };
            let written = if json {
                let summary = serde_json::json!({
                    "type": "summary",
                    "apply": apply,
                    "str_as": str_as.name(),
                    "partial": result.partial,
                    "total": result.counts,
                    "servers": [&result],
                });
                writeln!(out, "{summary}")
            } else {
                write!(
                    out,
                    "{}",
                    text_summary(std::slice::from_ref(&result), apply, str_as)
                )
            };
            (
                result.partial,
                result.errors,
                written.and_then(|()| out.flush()),
            )
        }
    };
    if let Err(e) = written {
        eprintln!("py2to3 redis: cannot write output: {e}");
        return crate::exit::trouble();
    }
    for e in &errors {
        eprintln!("py2to3 redis: {e}");
    }
    if partial {
        crate::exit::FOUND
    } else {
        ExitCode::SUCCESS
    }
}
