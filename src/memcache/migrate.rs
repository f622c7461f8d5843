//! `py2to3 memcache migrate`: rewrites, in place, every item whose pickle one Python cannot
//! load into a protocol-2 pickle both load to the same value ([`crate::pickle::write`]),
//! keeping its key, client flags, expiry and compression. Dry run unless `--apply`.
//!
//! Per server: one connection lists the keys (`lru_crawler metadump`, as the audit does), the
//! others fetch them by batches (`mg <key> v f t c`: value, flags, remaining TTL, CAS), decide
//! for each item ([`plan`]), and write the rewrites of a batch in one round trip as
//! `ms <key> <len> F<flags> T<ttl> C<cas>`: memcached stores a rewrite only if the item's CAS
//! is still the one read, so an application that wrote the key meanwhile wins (counted
//! `changed`). Needs the meta commands (memcached 1.6+).
//!
//! [`plan`] and [`Pace`] are shared with `redis migrate`.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::conn::{quote_reply, Connection, McError, ServerAddr};
use super::convention::ClientConvention;
use super::keys::{base64_encode_into, display_key, is_text_safe, key_prefix, KeyBatch};
use super::listing::{list_keys, Listing};
use super::meta::{self, parse_i64};
use super::spool::{KeySpool, DEFAULT_MEMORY_CAP};
use super::tally::{Counts, Tally};
use super::verdict::{analyse_with, ItemAnalysis, Verdict, MAX_DECOMPRESSED_LEN};
use crate::pickle::verdict::Detail;
use crate::pickle::write::{rewrite, StrPolicy};

/// What to do with one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing: both Pythons already load it, or it is not a pickle.
    Keep,
    /// Write these bytes instead (compressed again when the original was).
    Rewrite(Vec<u8>),
    /// Incompatible, but no rewrite can be proven equivalent: left as it is, for this reason.
    Leave(String),
}

/// True for verdicts a rewrite can fix.
pub fn needs_rewrite(verdict: Verdict) -> bool {
    matches!(
        verdict,
        Verdict::NeedsLatin1 | Verdict::NeedsBytes | Verdict::Py2Only | Verdict::Py3Only
    )
}

/// Decides for one analysed value: `stored` is the value as stored (compressed when
/// `analysis.compressed`).
pub fn plan(analysis: &ItemAnalysis, stored: &[u8], policy: StrPolicy) -> Plan {
    if !needs_rewrite(analysis.verdict) {
        return Plan::Keep;
    }
    if analysis.dangerous() {
        return Plan::Leave("dangerous pickle (runs code when loaded): never rewritten".into());
    }
    let mut inflated = Vec::new();
    let pickle = if analysis.compressed {
        let read = flate2::read::ZlibDecoder::new(stored)
            .take(MAX_DECOMPRESSED_LEN as u64)
            .read_to_end(&mut inflated);
        if let Err(e) = read {
            return Plan::Leave(format!("does not inflate: {e}"));
        }
        &inflated[..]
    } else {
        stored
    };
    match rewrite(pickle, policy) {
        Ok(new) if analysis.compressed => {
            let mut enc = flate2::write::ZlibEncoder::new(
                Vec::with_capacity(new.len() / 2 + 16),
                flate2::Compression::default(),
            );
            match enc.write_all(&new).and_then(|()| enc.finish()) {
                Ok(z) => Plan::Rewrite(z),
                Err(e) => Plan::Leave(format!("cannot compress the rewrite: {e}")),
            }
        }
        Ok(new) => Plan::Rewrite(new),
        Err(reason) => Plan::Leave(reason),
    }
}

/// Spaces writes to at most `rate` a second over all threads (`--rate`).
#[derive(Debug)]
pub struct Pace {
    start: Instant,
    interval: Option<Duration>,
    next: AtomicU64,
}

impl Pace {
    /// A pace of `rate` writes a second (None or 0: as fast as possible).
    pub fn new(rate: Option<f64>) -> Pace {
        Pace {
            start: Instant::now(),
            interval: rate
                .filter(|r| *r > 0.0 && r.is_finite())
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: AtomicU64::new(0),
        }
    }

    /// True when writes are paced (then each is sent on its own).
    pub fn limited(&self) -> bool {
        self.interval.is_some()
    }

    /// Waits for the next write's turn.
    pub fn wait(&self) {
        if let Some(interval) = self.interval {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            let at = self.start + interval.saturating_mul(u32::try_from(n).unwrap_or(u32::MAX));
            let now = Instant::now();
            if at > now {
                thread::sleep(at - now);
            }
        }
    }
}

/// What a migration did (or would do), per server and in total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MigrateCounts {
    /// Verdicts of the items scanned (as the audit counts them).
    #[serde(flatten)]
    pub counts: Counts,
    /// Items whose verdict a rewrite fixes.
    pub candidates: u64,
    /// Rewrites stored.
    pub rewritten: u64,
    /// Rewrites a dry run would store.
    pub would_rewrite: u64,
    /// Rewrites not stored because the item changed after it was read (the new value wins).
    pub changed: u64,
    /// Rewrites not stored because the item was gone.
    pub gone: u64,
    /// Candidates left as they are (no rewrite can be proven equivalent).
    pub left: u64,
    /// Bytes of the candidates rewritten, before and after.
    pub bytes_before: u64,
    /// Bytes after.
    pub bytes_after: u64,
}

impl MigrateCounts {
    /// Adds another's counts.
    pub fn merge(&mut self, other: &MigrateCounts) {
        self.counts.merge(&other.counts);
        self.candidates += other.candidates;
        self.rewritten += other.rewritten;
        self.would_rewrite += other.would_rewrite;
        self.changed += other.changed;
        self.gone += other.gone;
        self.left += other.left;
        self.bytes_before += other.bytes_before;
        self.bytes_after += other.bytes_after;
    }
}

/// One server's migration.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServerMigration {
    /// The server.
    pub server: String,
    /// True when some items were not looked at.
    pub partial: bool,
    /// The counts.
    #[serde(flatten)]
    pub counts: MigrateCounts,
    /// Errors that ended part of the run.
    pub errors: Vec<String>,
    /// Remarks on coverage.
    pub notes: Vec<String>,
    /// Wall time in seconds.
    pub elapsed_seconds: f64,
    /// Items scanned a second.
    pub items_per_second: f64,
}

/// Where per-item lines go (one writer shared by the threads).
pub trait MigrateLog: Sync {
    /// One item's outcome: `action` is `rewrite`, `would-rewrite`, `left`, `changed`, `gone`.
    fn item(&self, server: &str, key: &[u8], verdict: Verdict, action: &str, detail: &str);
}

/// Settings of a migration run.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// Which client wrote the items.
    pub convention: ClientConvention,
    /// Python 2 `str` policy.
    pub policy: StrPolicy,
    /// Write (else dry run).
    pub apply: bool,
    /// Connection timeout.
    pub timeout: Duration,
    /// Fetching connections per server.
    pub connections: usize,
    /// Keys per round trip.
    pub batch_size: usize,
    /// Values larger than this are not read.
    pub value_cap: usize,
    /// A compressed value inflating past this many bytes is left (`--max-blob-size`).
    pub max_blob_size: usize,
    /// Key prefix delimiter (for the counts by prefix).
    pub prefix_delimiter: Vec<u8>,
}

/// Migrates one server.
pub fn migrate_server(
    addr: &ServerAddr,
    options: &MigrateOptions,
    pace: &Pace,
    log: &dyn MigrateLog,
) -> ServerMigration {
    let started = Instant::now();
    let mut result = ServerMigration {
        server: addr.to_string(),
        ..Default::default()
    };
    let finish = |mut result: ServerMigration| {
        let seconds = started.elapsed().as_secs_f64();
        result.elapsed_seconds = seconds;
        result.items_per_second = if seconds > 0.0 {
            (result.counts.counts.items_scanned as f64 / seconds).round()
        } else {
            0.0
        };
        result
    };
    let mut lister = match Connection::open(addr, options.timeout) {
        Ok(conn) => conn,
        Err(e) => {
            result.partial = true;
            result.errors.push(e.to_string());
            return finish(result);
        }
    };
    if !lister.has_meta_commands() {
        result.partial = true;
        result.errors.push(format!(
            "memcached {} has no meta commands: migrate needs 1.6 or later (to read each \
             item's expiry and write it back only if unchanged)",
            lister.version()
        ));
        return finish(result);
    }
    let connections = options.connections.max(1);
    let batch_size = options.batch_size.clamp(1, 10_000);
    let spool = KeySpool::new(connections, DEFAULT_MEMORY_CAP);
    let mut listing = Listing::default();
    let mut listed: u64 = 0;
    let server = result.server.clone();
    let (list_result, workers) = thread::scope(|scope| {
        let handles: Vec<_> = (0..connections)
            .map(|_| {
                let (spool, server) = (&spool, server.as_str());
                scope.spawn(move || {
                    let r = run_worker(addr, server, options, spool, pace, log);
                    spool.consumer_done();
                    r
                })
            })
            .collect();
        let mut batch = KeyBatch::with_capacity(batch_size);
        let result = list_keys(&mut lister, &mut listing, |key| {
            listed += 1;
            batch.push(key);
            if batch.len() >= batch_size {
                let full = std::mem::replace(&mut batch, KeyBatch::with_capacity(batch_size));
                return spool.push(full).unwrap_or(false);
            }
            true
        });
        if result.is_ok() && !batch.is_empty() {
            let _ = spool.push(batch);
        }
        spool.close();
        let workers: Vec<Worker> = handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Worker {
                    error: Some("a migrate thread crashed".into()),
                    ..Default::default()
                })
            })
            .collect();
        (result, workers)
    });
    result.notes = listing.notes;
    if listing.incomplete {
        result.partial = true;
    }
    if let Err(e) = list_result {
        result.partial = true;
        result
            .errors
            .push(format!("listing keys stopped after {listed} keys: {e}"));
    }
    let mut handled = 0;
    for worker in workers {
        result.counts.merge(&worker.counts);
        handled += worker.keys;
        if let Some(e) = worker.error {
            result.partial = true;
            result.errors.push(e);
        }
    }
    if handled < listed {
        result.partial = true;
    }
    finish(result)
}

#[derive(Default)]
struct Worker {
    counts: MigrateCounts,
    keys: u64,
    error: Option<String>,
}

/// One item read: where it is in the batch, and what it holds.
struct Fetched {
    index: usize,
    flags: u32,
    ttl: i64,
    cas: u64,
}

/// A rewrite to send.
struct Pending {
    index: usize,
    flags: u32,
    ttl: i64,
    cas: u64,
    verdict: Verdict,
    value: Vec<u8>,
}

fn run_worker(
    addr: &ServerAddr,
    server: &str,
    options: &MigrateOptions,
    spool: &KeySpool,
    pace: &Pace,
    log: &dyn MigrateLog,
) -> Worker {
    let mut worker = Worker::default();
    let mut conn = match Connection::open(addr, options.timeout) {
        Ok(conn) => conn,
        Err(e) => {
            worker.error = Some(e.to_string());
            return worker;
        }
    };
    let mut tally = Tally::default();
    let mut request = Vec::new();
    let mut line = Vec::new();
    let mut scratch = Vec::new();
    let mut value = Vec::new();
    loop {
        let batch = match spool.pop() {
            Ok(Some(batch)) => batch,
            Ok(None) => break,
            Err(e) => {
                worker.error = Some(format!("cannot read queued keys back: {e}"));
                break;
            }
        };
        let mut pending: Vec<Pending> = Vec::new();
        let fetched = fetch(
            &mut conn,
            &batch,
            options.value_cap,
            &mut request,
            &mut line,
            &mut value,
            |item, stored| {
                let Some(key) = batch.get(item.index) else {
                    return;
                };
                let analysis = analyse_with(
                    options.convention,
                    item.flags,
                    stored,
                    &mut scratch,
                    Detail::VerdictOnly,
                    options.max_blob_size,
                );
                let prefix = key_prefix(
                    key,
                    &options.prefix_delimiter,
                    options.convention.django_keys(),
                );
                tally.add(key, prefix, item.flags, &analysis);
                let counts = &mut worker.counts;
                match plan(&analysis, stored, options.policy) {
                    Plan::Keep => {}
                    Plan::Leave(reason) => {
                        counts.candidates += 1;
                        counts.left += 1;
                        log.item(server, key, analysis.verdict, "left", &reason);
                    }
                    Plan::Rewrite(new) => {
                        counts.candidates += 1;
                        counts.bytes_before += stored.len() as u64;
                        counts.bytes_after += new.len() as u64;
                        let sizes = format!("size={}->{}", stored.len(), new.len());
                        if options.apply {
                            log.item(server, key, analysis.verdict, "rewrite", &sizes);
                            pending.push(Pending {
                                index: item.index,
                                flags: item.flags,
                                ttl: item.ttl,
                                cas: item.cas,
                                verdict: analysis.verdict,
                                value: new,
                            });
                        } else {
                            counts.would_rewrite += 1;
                            log.item(server, key, analysis.verdict, "would-rewrite", &sizes);
                        }
                    }
                }
            },
        );
        if let Err(e) = fetched {
            worker.error = Some(format!("fetching values stopped: {e}"));
            break;
        }
        worker.keys += batch.len() as u64;
        if pending.is_empty() {
            continue;
        }
        let chunk = if pace.limited() { 1 } else { pending.len() };
        for group in pending.chunks(chunk) {
            if pace.limited() {
                pace.wait();
            }
            let outcome = store(&mut conn, &batch, group, &mut request, &mut line);
            match outcome {
                Ok(refused) => {
                    worker.counts.rewritten += (group.len() - refused.len()) as u64;
                    for (index, action) in refused {
                        if action == "gone" {
                            worker.counts.gone += 1;
                        } else {
                            worker.counts.changed += 1;
                        }
                        if let (Some(key), Some(p)) =
                            (batch.get(index), group.iter().find(|p| p.index == index))
                        {
                            log.item(
                                server,
                                key,
                                p.verdict,
                                action,
                                "not written: the item changed or went after it was read",
                            );
                        }
                    }
                }
                Err(e) => {
                    worker.error = Some(format!("writing stopped: {e}"));
                    worker.counts.counts.merge(&tally.counts);
                    return worker;
                }
            }
        }
    }
    worker.counts.counts.merge(&tally.counts);
    worker
}

/// `mg` every key of the batch (value, flags, TTL, CAS; misses silent), calling `on_item` with
/// each item found.
fn fetch(
    conn: &mut Connection,
    batch: &KeyBatch,
    value_cap: usize,
    request: &mut Vec<u8>,
    line: &mut Vec<u8>,
    value: &mut Vec<u8>,
    mut on_item: impl FnMut(&Fetched, &[u8]),
) -> Result<(), McError> {
    request.clear();
    for (i, key) in batch.iter().enumerate() {
        request.extend_from_slice(b"mg ");
        push_key(request, key);
        request.extend_from_slice(b" v f t c q O");
        request.extend_from_slice(i.to_string().as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"mn\r\n");
    conn.send(request)?;
    while let Some(h) = meta::next_header(conn, line, batch.len())? {
        let item = Fetched {
            index: h.index,
            flags: h.flags,
            ttl: h.ttl,
            cas: h.cas.unwrap_or(0),
        };
        match usize::try_from(h.len) {
            Ok(len) if len <= value_cap => {
                conn.with_value(len, value, |v| on_item(&item, v))?;
            }
            _ => conn.skip_value(h.len)?,
        }
    }
    Ok(())
}

/// `ms` each rewrite with the CAS read; returns the items not stored and why (`changed`,
/// `gone`).
fn store(
    conn: &mut Connection,
    batch: &KeyBatch,
    group: &[Pending],
    request: &mut Vec<u8>,
    line: &mut Vec<u8>,
) -> Result<Vec<(usize, &'static str)>, McError> {
    request.clear();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    for p in group {
        let Some(key) = batch.get(p.index) else {
            continue;
        };
        request.extend_from_slice(b"ms ");
        push_key(request, key);
        request.extend_from_slice(format!(" {} F{}", p.value.len(), p.flags).as_bytes());
        if p.ttl >= 0 {
            // Remaining seconds; over 30 days memcached reads a TTL as a unix time.
            let ttl = match p.ttl {
                0 => 1,
                t if t > 30 * 24 * 3600 => now + t,
                t => t,
            };
            request.extend_from_slice(format!(" T{ttl}").as_bytes());
        }
        request.extend_from_slice(format!(" C{} q O{}\r\n", p.cas, p.index).as_bytes());
        request.extend_from_slice(&p.value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"mn\r\n");
    conn.send(request)?;
    let mut refused = Vec::new();
    loop {
        conn.read_line(line)?;
        if line == b"MN" {
            return Ok(refused);
        }
        let mut tokens = line.split(|&b| b == b' ');
        let status = tokens.next().unwrap_or_default();
        let index = tokens
            .find_map(|t| t.strip_prefix(b"O"))
            .and_then(parse_i64)
            .and_then(|n| usize::try_from(n).ok());
        match (status, index) {
            (b"HD", _) => {}
            (b"EX" | b"NS", Some(i)) => refused.push((i, "changed")),
            (b"NF", Some(i)) => refused.push((i, "gone")),
            _ => {
                conn.check_error_line(line, "ms")?;
                return Err(
                    conn.protocol_error(format!("unexpected reply to `ms`: {}", quote_reply(line)))
                );
            }
        }
    }
}

fn push_key(out: &mut Vec<u8>, key: &[u8]) {
    if is_text_safe(key) {
        out.extend_from_slice(key);
    } else {
        base64_encode_into(key, out);
        out.extend_from_slice(b" b");
    }
}

/// Writes item lines as text or JSON to stdout.
pub struct StdoutLog {
    /// The output.
    pub out: Mutex<std::io::BufWriter<std::io::Stdout>>,
    /// JSON lines instead of text.
    pub json: bool,
}

impl MigrateLog for StdoutLog {
    fn item(&self, server: &str, key: &[u8], verdict: Verdict, action: &str, detail: &str) {
        let line = if self.json {
            serde_json::json!({
                "type": "item",
                "server": server,
                "key": display_key(key),
                "verdict": verdict,
                "action": action,
                "detail": detail,
            })
            .to_string()
        } else {
            format!(
                "{action}\t{}\t{}\t{detail}",
                display_key(key),
                verdict.name()
            )
        };
        if let Ok(mut out) = self.out.lock() {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// The summary as text.
pub fn text_summary(servers: &[ServerMigration], apply: bool, policy: StrPolicy) -> String {
    let mut total = MigrateCounts::default();
    let mut out = String::new();
    for s in servers {
        total.merge(&s.counts);
        let c = &s.counts;
        out.push_str(&format!(
            "== {}{}\nitems scanned: {} in {:.1}s ({:.0} items/s); needing a rewrite {}: \
             {} {}, changed meanwhile {}, gone {}, left {}\n",
            s.server,
            if s.partial { "  [PARTIAL]" } else { "" },
            c.counts.items_scanned,
            s.elapsed_seconds,
            s.items_per_second,
            c.candidates,
            if apply { "rewritten" } else { "would rewrite" },
            if apply { c.rewritten } else { c.would_rewrite },
            c.changed,
            c.gone,
            c.left
        ));
        for note in &s.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        for e in &s.errors {
            out.push_str(&format!("error: {e}\n"));
        }
    }
    out.push_str(&format!(
        "py2 str with non-ASCII bytes written as: {}\n",
        match policy {
            StrPolicy::Bytes => "bytes on Python 3 (str on Python 2)",
            StrPolicy::TextIfUtf8 => "text when valid UTF-8 (unicode on Python 2), else bytes",
        }
    ));
    if !apply && total.would_rewrite > 0 {
        out.push_str("dry run: nothing was written (run again with --apply to write)\n");
    }
    out
}

/// `py2to3 memcache migrate` arguments.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// Really write the rewrites. Without it, only list what would be rewritten.
    #[arg(long)]
    pub apply: bool,
    /// At most this many writes a second (over all servers).
    #[arg(long)]
    pub rate: Option<f64>,
    /// What a Python 2 `str` holding non-ASCII bytes becomes: `bytes` (Python 3 reads bytes,
    /// Python 2 the same str) or `text-if-utf8` (both read text when it is valid UTF-8, else
    /// bytes). ASCII strs stay native strs either way.
    #[arg(long, value_enum, default_value = "bytes")]
    pub str_as: StrPolicy,
    /// What to scan and how.
    #[command(flatten)]
    pub scan: super::cli::ScanArgs,
}

/// Runs `memcache migrate`: exit 0 when every server was fully looked at, 1 when partial, 2 on
/// bad arguments.
pub fn run(args: MigrateArgs) -> std::process::ExitCode {
    use std::process::ExitCode;
    let mut servers = Vec::new();
    for text in &args.scan.servers {
        match ServerAddr::parse(text) {
            Ok(addr) => servers.push(addr),
            Err(e) => {
                eprintln!("py2to3 memcache: bad --server {text:?}: {e}");
                return crate::exit::trouble();
            }
        }
    }
    if !(args.scan.timeout > 0.0 && args.scan.timeout.is_finite()) {
        eprintln!("py2to3 memcache: --timeout must be a positive number of seconds");
        return crate::exit::trouble();
    }
    let options = MigrateOptions {
        convention: args.scan.client,
        policy: args.str_as,
        apply: args.apply,
        timeout: Duration::from_secs_f64(args.scan.timeout),
        connections: args.scan.connections.clamp(1, 64),
        batch_size: args.scan.batch_size.clamp(1, 10_000),
        value_cap: args.scan.max_value_size,
        max_blob_size: args.scan.max_blob_size,
        prefix_delimiter: args.scan.prefix_delimiter.as_bytes().to_vec(),
    };
    let json = args.scan.output_format == super::cli::OutputFormat::Json;
    let log = StdoutLog {
        out: Mutex::new(std::io::BufWriter::new(std::io::stdout())),
        json,
    };
    let pace = Pace::new(args.rate);
    let results: Vec<ServerMigration> = thread::scope(|scope| {
        let handles: Vec<_> = servers
            .iter()
            .map(|addr| {
                let (options, pace, log) = (&options, &pace, &log);
                scope.spawn(move || migrate_server(addr, options, pace, log))
            })
            .collect();
        handles
            .into_iter()
            .zip(&servers)
            .map(|(h, addr)| {
                h.join().unwrap_or_else(|_| ServerMigration {
                    server: addr.to_string(),
                    partial: true,
                    errors: vec!["the migrate thread crashed".into()],
                    ..Default::default()
                })
            })
            .collect()
    });
    let mut out = match log.out.into_inner() {
        Ok(out) => out,
        Err(poisoned) => poisoned.into_inner(),
    };
    let written = if json {
        let mut total = MigrateCounts::default();
        for r in &results {
            total.merge(&r.counts);
        }
        let summary = serde_json::json!({
            "type": "summary",
            "apply": args.apply,
            "str_as": args.str_as.name(),
            "partial": results.iter().any(|r| r.partial),
            "total": total,
            "servers": results,
        });
        writeln!(out, "{summary}")
    } else {
        write!(out, "{}", text_summary(&results, args.apply, args.str_as))
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("py2to3 memcache: cannot write output: {e}");
        return crate::exit::trouble();
    }
    for r in &results {
        for e in &r.errors {
            eprintln!("py2to3 memcache: {e}");
        }
    }
    if results.iter().any(|r| r.partial) {
        crate::exit::FOUND
    } else {
        ExitCode::SUCCESS
    }
}
