//! `py2to3 redis audit`: every value of a Redis database through the pickle auditor, with the
//! verdicts, counts and report shape of `memcache audit` (grouped by key prefix). Read-only.

use std::io::Write;
use std::time::{Duration, Instant};

use super::resp::{RedisConn, RedisUrl};
use super::scan::{classify, scan, Member, ScanStats, Visit};
use crate::memcache::convention::ClientConvention;
use crate::memcache::keys::key_prefix;
use crate::memcache::report::{item_text, text_report, ItemJson, ScanJson};
use crate::memcache::scan::{ScanOptions, ScannedItem, ServerScan};
use crate::memcache::tally::Tally;
use crate::memcache::verdict::{analyse_with, ItemAnalysis};
use crate::pickle::verdict::Detail;

/// How to audit.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// SCAN's MATCH pattern.
    pub pattern: String,
    /// SCAN's COUNT.
    pub count: usize,
    /// Key prefix delimiter.
    pub prefix_delimiter: Vec<u8>,
    /// Analyse values (false: fetch only, to measure the server's own ceiling).
    pub analyse: bool,
    /// Write one record per item.
    pub items: bool,
    /// Item records as JSON lines.
    pub json: bool,
    /// Connection timeout.
    pub timeout: Duration,
}

/// The name an item is shown by: the key, with `#field` or `[index]` for hash and list members.
pub fn member_name(key: &[u8], member: Member<'_>) -> Vec<u8> {
    let mut name = key.to_vec();
    match member {
        Member::Whole => {}
        Member::Field(f) => {
            name.push(b'#');
            name.extend_from_slice(f);
        }
        Member::Index(i) => name.extend_from_slice(format!("[{i}]").as_bytes()),
    }
    name
}

/// The group a key is counted under: Django's `KEY_PREFIX:VERSION:first-segment` when the key
/// has that form, `celery-task-meta-` for Celery results, else the text before the delimiter.
pub fn redis_prefix<'k>(key: &'k [u8], delimiter: &[u8]) -> &'k [u8] {
    const CELERY: &[u8] = b"celery-task-meta-";
    if key.starts_with(CELERY) {
        return CELERY;
    }
    key_prefix(key, delimiter, true)
}

/// The analysis of one stored value, and its pseudo-flags ([`classify`]). `None` for a hash
/// field that holds no pickle (RQ's status, timestamps...): not counted.
pub fn analyse_value(
    member: Member<'_>,
    value: &[u8],
    scratch: &mut Vec<u8>,
    detail: Detail,
) -> Option<(u32, ItemAnalysis, &'static str)> {
    let c = classify(value);
    if matches!(member, Member::Field(_)) && c.flags & 1 == 0 {
        return None;
    }
    let analysis = analyse_with(
        ClientConvention::Auto,
        c.flags,
        &c.payload,
        scratch,
        detail,
        crate::pickle::container::DEFAULT_MAX_BLOB_SIZE,
    );
    Some((c.flags, analysis, c.convention))
}

/// Counts every value; writes item records when asked.
pub struct Auditor<'o, W: Write> {
    options: &'o AuditOptions,
    server: String,
    /// The counts.
    pub tally: Tally,
    /// Values by the convention that recognised them.
    pub conventions: std::collections::BTreeMap<&'static str, u64>,
    scratch: Vec<u8>,
    out: W,
}

impl<W: Write> Visit for Auditor<'_, W> {
    fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8]) {
        if !self.options.analyse {
            self.tally.counts.items_scanned += 1;
            return;
        }
        let detail = if self.options.items {
            Detail::Full
        } else {
            Detail::VerdictOnly
        };
        let Some((flags, analysis, convention)) =
            analyse_value(member, value, &mut self.scratch, detail)
        else {
            return;
        };
        *self.conventions.entry(convention).or_default() += 1;
        let name = member_name(key, member);
        let prefix = redis_prefix(key, &self.options.prefix_delimiter);
        self.tally.add(&name, prefix, flags, &analysis);
        if self.options.items {
            let item = ScannedItem {
                server: &self.server,
                key: &name,
                flags,
                size: value.len() as u64,
                analysis: &analysis,
            };
            let line = if self.options.json {
                serde_json::to_string(&ItemJson::new(&item)).unwrap_or_default()
            } else {
                item_text(&item)
            };
            let _ = writeln!(self.out, "{line}");
        }
    }
}

/// Audits one database; item records go to `out`. Never fails as a whole.
pub fn audit<W: Write + Send>(url: &RedisUrl, options: &AuditOptions, out: W) -> (ServerScan, W) {
    audit_source(url.display(), options, out, |visit| {
        let mut read = SourceRead::default();
        match RedisConn::open(url, options.timeout) {
            Ok(mut conn) => {
                read.version = server_version(&mut conn);
                read.stats = scan(&mut conn, &options.pattern, options.count, visit);
            }
            Err(e) => read.stats = Err(e),
        }
        read
    })
}

/// What a source of values reports once it has handed them all on.
#[derive(Debug)]
pub struct SourceRead {
    /// What it saw besides the values, or why it stopped.
    pub stats: Result<ScanStats, String>,
    /// The server's version.
    pub version: Option<String>,
    /// Notes after the usual ones (where the values came from).
    pub notes: Vec<String>,
    /// When `stats` is an error: what was seen before it.
    pub partial_stats: Option<ScanStats>,
}

impl Default for SourceRead {
    fn default() -> Self {
        SourceRead {
            stats: Ok(ScanStats::default()),
            version: None,
            notes: Vec::new(),
            partial_stats: None,
        }
    }
}

/// Audits the values `source` hands to the [`Visit`] it is given (analysed on a second
/// thread, a batch behind the reads). `server` names the source in the report.
pub fn audit_source<W: Write + Send>(
    server: String,
    options: &AuditOptions,
    out: W,
    source: impl FnOnce(&mut dyn Visit) -> SourceRead + Send,
) -> (ServerScan, W) {
    let started = Instant::now();
    let mut result = ServerScan {
        server,
        ..Default::default()
    };
    let mut auditor = Auditor {
        options,
        server: result.server.clone(),
        tally: Tally::default(),
        conventions: Default::default(),
        scratch: Vec::new(),
        out,
    };
    let read = std::thread::scope(|scope| {
        // The values are analysed on a second thread, a batch behind the reads: the
        // analysis overlaps the waits for the server.
        let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(2);
        let analyser = scope.spawn(|| {
            for batch in receive {
                batch.replay(&mut auditor);
            }
        });
        let mut forward = Forward {
            batch: Batch::default(),
            send,
        };
        let mut read = source(&mut forward);
        if let Err(e) = forward.batch_done() {
            read.stats = Err(e);
        }
        drop(forward);
        if analyser.join().is_err() {
            read.stats = Err("the analysis thread crashed".to_owned());
        }
        read
    });
    if let Some(version) = &read.version {
        result.notes.push(format!("redis {version}"));
    }
    let stats = read.stats.unwrap_or_else(|e| {
        result.partial = true;
        result.errors.push(e);
        read.partial_stats.unwrap_or_default()
    });
    finish(&mut result, &stats, &auditor.conventions);
    result.notes.extend(read.notes);
    // Pseudo-flags are not the server's: the JSON's flags_seen stays empty.
    auditor.tally.flags_seen.clear();
    result.tally = auditor.tally;
    result.elapsed = started.elapsed();
    result.listing_elapsed = result.elapsed;
    (result, auditor.out)
}

/// Values read and not yet analysed: their bytes in one buffer.
#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    /// (key end, member kind: 0 whole / 1 field / 2 index, field end or index, value end),
    /// each range starting where the previous ends.
    entries: Vec<(usize, u8, usize, usize)>,
}

impl Batch {
    fn push(&mut self, key: &[u8], member: Member<'_>, value: &[u8]) {
        self.data.extend_from_slice(key);
        let key_end = self.data.len();
        let (kind, mid) = match member {
            Member::Whole => (0, key_end),
            Member::Field(f) => {
                self.data.extend_from_slice(f);
                (1, self.data.len())
            }
            Member::Index(i) => (2, i),
        };
        self.data.extend_from_slice(value);
        self.entries.push((key_end, kind, mid, self.data.len()));
    }

    fn replay(&self, visit: &mut dyn Visit) {
        let mut start = 0;
        for &(key_end, kind, mid, end) in &self.entries {
            let key = self.data.get(start..key_end).unwrap_or_default();
            let (member, value_start) = match kind {
                1 => (
                    Member::Field(self.data.get(key_end..mid).unwrap_or_default()),
                    mid,
                ),
                2 => (Member::Index(mid), key_end),
                _ => (Member::Whole, key_end),
            };
            visit.value(
                key,
                member,
                self.data.get(value_start..end).unwrap_or_default(),
            );
            start = end;
        }
    }
}

/// Hands each batch read to the analysis thread.
struct Forward {
    batch: Batch,
    send: std::sync::mpsc::SyncSender<Batch>,
}

impl Visit for Forward {
    fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8]) {
        self.batch.push(key, member, value);
    }

    fn batch_done(&mut self) -> Result<(), String> {
        if self.batch.entries.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.send
            .send(batch)
            .map_err(|_| "the analysis thread stopped".to_owned())
    }
}

/// The server's `redis_version` (from `INFO server`).
pub fn server_version(conn: &mut RedisConn) -> Option<String> {
    let reply = conn.command(&[b"INFO", b"server"]).ok()?;
    let text = String::from_utf8_lossy(reply.bytes()?).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("redis_version:"))
        .map(|v| v.trim().to_owned())
}

fn finish(
    result: &mut ServerScan,
    stats: &ScanStats,
    conventions: &std::collections::BTreeMap<&'static str, u64>,
) {
    result.items_listed = stats.keys;
    result.items_gone = stats.gone;
    if !conventions.is_empty() {
        let seen: Vec<String> = conventions
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        result
            .notes
            .push(format!("values by convention: {}", seen.join(", ")));
    }
    if !stats.other_types.is_empty() {
        let seen: Vec<String> = stats
            .other_types
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        result.notes.push(format!(
            "keys of types holding no pickle convention, not read: {}",
            seen.join(", ")
        ));
    }
    if stats.lists_cut > 0 {
        result.partial = true;
        result.notes.push(format!(
            "{} lists hold more than {} items: only their first items were read",
            stats.lists_cut,
            super::scan::MAX_LIST_ITEMS
        ));
    }
}

/// The summary as JSON (the shape of `memcache audit`'s, `client_detected` naming Redis).
pub fn summary_json(scan: &ServerScan) -> serde_json::Value {
    let mut json = ScanJson::summary(std::slice::from_ref(scan), false);
    json.client_detected = "redis (django-redis, Celery, RQ conventions)";
    for s in json.servers.iter_mut().flatten() {
        s.client_detected = json.client_detected;
    }
    serde_json::to_value(&json).unwrap_or_default()
}

/// The summary as text.
pub fn summary_text(scan: &ServerScan, analyse: bool) -> String {
    let options = ScanOptions {
        convention: ClientConvention::Auto,
        timeout: Duration::ZERO,
        connections: 1,
        batch_size: 1,
        value_cap: 0,
        max_blob_size: crate::pickle::container::DEFAULT_MAX_BLOB_SIZE,
        prefix_delimiter: Vec::new(),
        analyse,
        item_details: false,
        delete_selected: false,
    };
    text_report(std::slice::from_ref(scan), &options, false)
}
