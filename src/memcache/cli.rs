//! `py2to3 memcache ...` subcommands: `audit` (read-only) and `purge` (opt-in deletion).

use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::conn::ServerAddr;
use super::convention::ClientConvention;
use super::purge::{selected, Selector};
use super::report::{item_text, text_report, ItemJson, ScanJson};
use super::scan::{ItemVisitor, ScanOptions, ScannedItem, ServerScan};

/// Audit (read-only) or purge items of live memcached servers.
#[derive(Debug, clap::Args)]
pub struct MemcacheArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: MemcacheCommand,
}

/// The memcache subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MemcacheCommand {
    /// Check every item of the given servers for the Python 2/3 crossing. Never writes.
    ///
    /// Exit status: 0 when every server was scanned fully, 1 when results are partial
    /// (a server down or failing mid-scan, or keys the listing cannot see), 2 on bad arguments.
    Audit {
        /// What to scan and how.
        #[command(flatten)]
        scan: ScanArgs,
    },
    /// Delete the items of one verdict (prints what it would delete unless --yes is given).
    ///
    /// Items are re-audited, and each selected item is deleted only if it has not changed since
    /// it was fetched (compare-and-delete on memcached 1.6+).
    Purge {
        /// Which items to delete (repeat for several sets).
        #[arg(long = "only", value_enum, required = true)]
        only: Vec<Selector>,
        /// Really delete. Without it, only list what would be deleted.
        #[arg(long)]
        yes: bool,
        /// What to scan and how.
        #[command(flatten)]
        scan: ScanArgs,
    },
    /// Rewrite, in place, each item one Python cannot load as a pickle both load to the same
    /// value (prints what it would rewrite unless --apply is given).
    ///
    /// Keeps flags, expiry and compression; each write is a compare-and-set against the item
    /// read, so a value written meanwhile wins. Items no rewrite can be proven equivalent
    /// for (other classes, ...) are left and listed.
    Migrate(super::migrate::MigrateArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A report for people.
    Text,
    /// One JSON summary object (with --items, and in purge: one JSON line per item first, then
    /// the summary on the last line).
    Json,
}

/// Options shared by `audit` and `purge`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// A server: host[:port], [ipv6]:port, /path/to.sock or unix:/path. Repeat for several;
    /// they are scanned in parallel.
    #[arg(long = "server", required = true)]
    pub servers: Vec<String>,
    /// Which client library wrote the items (flag layout; django also parses
    /// KEY_PREFIX:VERSION:key).
    #[arg(long, value_enum, default_value = "auto")]
    pub client: ClientConvention,
    /// Keys are grouped by the text before the first occurrence of this delimiter.
    #[arg(long, default_value = ":")]
    pub prefix_delimiter: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: OutputFormat,
    /// Also write one record per item.
    #[arg(long)]
    pub items: bool,
    /// Fetching connections per server.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// Keys per fetch request (one round trip each).
    #[arg(long, default_value_t = 128)]
    pub batch_size: usize,
    /// Seconds to wait for a connection or an answer.
    #[arg(long, default_value_t = 10.0)]
    pub timeout: f64,
    /// Values larger than this many bytes are not read (counted unreadable).
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    pub max_value_size: usize,
    /// Compressed values inflating to more than this many bytes are not audited (counted
    /// unreadable: "decompressed size over the limit"). Each connection keeps at most one
    /// value and one decompressed buffer: peak memory is about connections x servers x
    /// (max-value-size + max-blob-size) in the worst case.
    #[arg(long, default_value_t = crate::pickle::container::DEFAULT_MAX_BLOB_SIZE)]
    pub max_blob_size: usize,
    /// Never show the progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Diagnostic: list and fetch every value but analyse nothing (measures the server's
    /// own ceiling).
    #[arg(long, hide = true)]
    pub no_analysis: bool,
}

/// Runs a memcache subcommand.
pub fn run(args: MemcacheArgs) -> ExitCode {
    match args.command {
        MemcacheCommand::Audit { scan } => run_scan(&scan, None),
        MemcacheCommand::Purge { only, yes, scan } => run_scan(&scan, Some((only, yes))),
        MemcacheCommand::Migrate(args) => super::migrate::run(args),
    }
}

fn run_scan(args: &ScanArgs, purge: Option<(Vec<Selector>, bool)>) -> ExitCode {
    let mut servers = Vec::new();
    for text in &args.servers {
        match ServerAddr::parse(text) {
            Ok(addr) => servers.push(addr),
            Err(e) => {
                eprintln!("py2to3 memcache: bad --server {text:?}: {e}");
                return crate::exit::trouble();
            }
        }
    }
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        eprintln!("py2to3 memcache: --timeout must be a positive number of seconds");
        return crate::exit::trouble();
    }
    let deleting = purge.as_ref().is_some_and(|(_, yes)| *yes);
    let options = ScanOptions {
        convention: args.client,
        timeout: Duration::from_secs_f64(args.timeout),
        connections: args.connections.clamp(1, 64),
        batch_size: args.batch_size.clamp(1, 10_000),
        value_cap: args.max_value_size,
        max_blob_size: args.max_blob_size,
        prefix_delimiter: args.prefix_delimiter.as_bytes().to_vec(),
        analyse: !args.no_analysis || purge.is_some(),
        item_details: args.items || purge.is_some(),
        delete_selected: deleting,
    };
    let progress = progress_bar(args.no_progress);
    let visitor = OutputVisitor {
        out: Mutex::new(BufWriter::new(std::io::stdout())),
        format: args.output_format,
        items: args.items,
        purge: purge.as_ref().map(|(only, _)| only.clone()),
        deleting,
        selected: AtomicU64::new(0),
    };
    let scans = super::scan_servers(&servers, &options, &visitor, Some(&progress));
    progress.finish_and_clear();
    let selected = visitor.selected.load(Ordering::Relaxed);
    let mut out = match visitor.out.into_inner() {
        Ok(out) => out,
        Err(poisoned) => poisoned.into_inner(),
    };
    let written = write_summary(&mut out, args, &options, &scans, purge.is_some(), deleting);
    if let Some((_, yes)) = &purge {
        if !yes {
            eprintln!(
                "py2to3 memcache purge: {selected} items would be deleted; nothing was deleted \
                 (run again with --yes to delete them)"
            );
        }
    }
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("py2to3 memcache: cannot write output: {e}");
        return crate::exit::trouble();
    }
    for scan in &scans {
        for error in &scan.errors {
            eprintln!("py2to3 memcache: {error}");
        }
    }
    exit_status(&scans)
}

/// The one rule of every command: 2 when a server could not be read (unreachable, not
/// memcached, gone mid-scan: an I/O error, the report is partial); 1 when the report is
/// partial for another reason (a listing method that cannot see every item) or some item is
/// dangerous, unreadable or loads in no Python 3 encoding; 0 otherwise.
fn exit_status(scans: &[ServerScan]) -> ExitCode {
    if scans.iter().any(|s| !s.errors.is_empty()) {
        return crate::exit::trouble();
    }
    let bad = scans.iter().any(|s| {
        let c = &s.tally.counts;
        s.partial || c.dangerous > 0 || c.unreadable > 0 || c.py2_only > 0
    });
    crate::exit::found_if(bad)
}

fn write_summary(
    out: &mut impl Write,
    args: &ScanArgs,
    options: &ScanOptions,
    scans: &[ServerScan],
    purging: bool,
    deleting: bool,
) -> std::io::Result<()> {
    match args.output_format {
        OutputFormat::Json => {
            let summary = ScanJson::summary(scans, deleting);
            if args.items || purging {
                // Item records came first, one a line: the summary is the last line.
                serde_json::to_writer(&mut *out, &summary)?;
            } else {
                serde_json::to_writer_pretty(&mut *out, &summary)?;
            }
            writeln!(out)
        }
        OutputFormat::Text => write!(out, "{}", text_report(scans, options, deleting)),
    }
}

fn progress_bar(disabled: bool) -> ProgressBar {
    if disabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {human_pos} items scanned, {per_sec}, {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Writes item records and picks items to purge.
struct OutputVisitor {
    out: Mutex<BufWriter<Stdout>>,
    format: OutputFormat,
    items: bool,
    purge: Option<Vec<Selector>>,
    deleting: bool,
    selected: AtomicU64,
}

impl ItemVisitor for OutputVisitor {
    fn visit(&self, item: &ScannedItem<'_>) -> bool {
        let chosen = self
            .purge
            .as_ref()
            .is_some_and(|only| selected(only, item.analysis));
        if chosen {
            self.selected.fetch_add(1, Ordering::Relaxed);
        }
        let show = self.items || chosen;
        if show {
            let line = match self.format {
                OutputFormat::Json => serde_json::to_string(&ItemJson::new(item)).ok(),
                OutputFormat::Text if chosen => Some(format!(
                    "{} {}",
                    if self.deleting {
                        "delete"
                    } else {
                        "would delete"
                    },
                    item_text(item)
                )),
                OutputFormat::Text => Some(item_text(item)),
            };
            if let (Some(line), Ok(mut out)) = (line, self.out.lock()) {
                let _ = writeln!(out, "{line}");
            }
        }
        chosen
    }
}
