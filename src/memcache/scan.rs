//! Scanning one server: one connection streams the key listing into a queue of key batches
//! ([`KeySpool`]: never blocks the listing, spills to disk past a memory cap), several others
//! fetch those batches (one round trip a batch) and analyse each value as it arrives. Memory is
//! bounded whatever the number of items. Failures end the scan early with what was counted so
//! far, marked partial.

use std::thread;
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use super::conn::{quote_reply, Connection, McError, ServerAddr};
use super::convention::ClientConvention;
use super::fetch::{fetch_batch, FetchBuffers, FetchMode};
use super::keys::{base64_encode_into, is_text_safe, key_prefix, KeyBatch};
use super::listing::{list_keys, Listing, ListingMethod};
use super::spool::{KeySpool, DEFAULT_MEMORY_CAP};
use super::tally::Tally;
use super::verdict::{analyse_with, too_large, ItemAnalysis};
use crate::pickle::verdict::Detail;

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Which client's flag layout (and key format) to read items with.
    pub convention: ClientConvention,
    /// Timeout for connecting and for each read or write.
    pub timeout: Duration,
    /// Fetching connections per server.
    pub connections: usize,
    /// Keys per fetch request.
    pub batch_size: usize,
    /// Values longer than this are not read (reported unreadable).
    pub value_cap: usize,
    /// Compressed values inflating to more than this are not audited (reported unreadable).
    pub max_blob_size: usize,
    /// Key prefix delimiter for the per-prefix counts.
    pub prefix_delimiter: Vec<u8>,
    /// False for the diagnostic fetch-only mode: values are read, never analysed.
    pub analyse: bool,
    /// True when the visitor shows each item's findings and globals (`--items`, purge);
    /// false when only counts are wanted (the audit then skips writing findings).
    pub item_details: bool,
    /// Delete the items the visitor selects (purge `--yes`), only if unchanged since fetched.
    pub delete_selected: bool,
}

/// One item as scanned, handed to an [`ItemVisitor`].
#[derive(Debug)]
pub struct ScannedItem<'a> {
    /// The server's address.
    pub server: &'a str,
    /// The raw key.
    pub key: &'a [u8],
    /// The item's client flags.
    pub flags: u32,
    /// The stored value's length in bytes.
    pub size: u64,
    /// The verdict and the pickle auditor's answer.
    pub analysis: &'a ItemAnalysis,
}

/// Receives every scanned item (from several threads at once); returns true to select the item
/// for deletion.
pub trait ItemVisitor: Sync {
    /// Sees one item.
    fn visit(&self, item: &ScannedItem<'_>) -> bool;
}

/// A visitor that selects nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVisitor;

impl ItemVisitor for NoVisitor {
    fn visit(&self, _item: &ScannedItem<'_>) -> bool {
        false
    }
}

/// What deleting the selected items did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeleteCounts {
    /// Items deleted.
    pub deleted: u64,
    /// Items left alone because they changed after they were fetched (CAS mismatch).
    pub changed: u64,
    /// Items already gone when the delete arrived.
    pub gone: u64,
}

/// Everything a scan of one server found out.
#[derive(Debug, Clone, Default)]
pub struct ServerScan {
    /// The server's address.
    pub server: String,
    /// Its version, once connected.
    pub version: Option<String>,
    /// How its keys were listed.
    pub listing: Option<ListingMethod>,
    /// True when some items were not scanned (errors, or a listing that cannot see all keys).
    pub partial: bool,
    /// Errors that ended part of the scan, in words.
    pub errors: Vec<String>,
    /// Remarks on coverage.
    pub notes: Vec<String>,
    /// Keys the listing returned.
    pub items_listed: u64,
    /// Listed keys whose item was gone when fetched (expired, evicted or deleted meanwhile).
    pub items_gone: u64,
    /// Listed keys that could not be requested (binary keys on a server without meta commands).
    pub items_unrequestable: u64,
    /// Listed keys never fetched because the scan ended early.
    pub items_not_fetched: u64,
    /// The counts.
    pub tally: Tally,
    /// What deletion did (purge `--yes` only).
    pub deletes: DeleteCounts,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// Wall time until the listing ended (fetching overlaps it).
    pub listing_elapsed: Duration,
}

/// Per-worker results, merged at the end.
#[derive(Default)]
struct WorkerResult {
    tally: Tally,
    fetched_batches_keys: u64,
    gone: u64,
    unrequestable: u64,
    deletes: DeleteCounts,
    error: Option<String>,
}

/// Scans one server. Never fails as a whole: errors are recorded in the result.
pub fn scan_server(
    addr: &ServerAddr,
    options: &ScanOptions,
    visitor: &dyn ItemVisitor,
    progress: Option<&ProgressBar>,
) -> ServerScan {
    let started = Instant::now();
    let mut scan = ServerScan {
        server: addr.to_string(),
        ..Default::default()
    };
    let mut lister = match Connection::open(addr, options.timeout) {
        Ok(conn) => conn,
        Err(e) => {
            scan.partial = true;
            scan.errors.push(e.to_string());
            scan.elapsed = started.elapsed();
            return scan;
        }
    };
    scan.version = Some(lister.version().to_owned());
    let items_at_start: Option<u64> = lister.stats("stats").ok().and_then(|stats| {
        stats
            .iter()
            .find(|(name, _)| name == "curr_items")
            .and_then(|(_, value)| value.trim().parse().ok())
    });
    let mode = if lister.has_meta_commands() {
        FetchMode::Meta
    } else {
        FetchMode::Classic
    };
    let connections = options.connections.max(1);
    let batch_size = options.batch_size.clamp(1, 10_000);
    let spool = KeySpool::new(connections, DEFAULT_MEMORY_CAP);
    let mut listing = Listing::default();
    let mut listed: u64 = 0;
    let mut spool_error = None;
    let mut listing_elapsed = Duration::ZERO;

    let (list_result, workers) = thread::scope(|scope| {
        let handles: Vec<_> = (0..connections)
            .map(|_| {
                let server = scan.server.clone();
                let spool = &spool;
                scope.spawn(move || {
                    let result = run_worker(addr, &server, mode, options, spool, visitor, progress);
                    spool.consumer_done();
                    result
                })
            })
            .collect();
        let mut batch = KeyBatch::with_capacity(batch_size);
        let mut push = |full: KeyBatch| match spool.push(full) {
            Ok(more) => more,
            Err(e) => {
                spool_error = Some(e);
                false
            }
        };
        let result = list_keys(&mut lister, &mut listing, |key| {
            listed += 1;
            batch.push(key);
            if batch.len() >= batch_size {
                let full = std::mem::replace(&mut batch, KeyBatch::with_capacity(batch_size));
                return push(full);
            }
            true
        });
        if result.is_ok() && !batch.is_empty() {
            push(batch);
        }
        spool.close();
        listing_elapsed = started.elapsed();
        let workers: Vec<WorkerResult> = handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| WorkerResult {
                    error: Some("a fetch thread crashed".into()),
                    ..Default::default()
                })
            })
            .collect();
        (result, workers)
    });

    scan.listing = listing.method;
    scan.listing_elapsed = listing_elapsed;
    scan.notes = listing.notes;
    scan.items_listed = listed;
    if listing.incomplete {
        scan.partial = true;
    }
    if let Some(e) = spool_error {
        scan.partial = true;
        scan.errors
            .push(format!("cannot queue keys in a temporary file: {e}"));
    }
    if let Err(e) = list_result {
        scan.partial = true;
        scan.errors
            .push(format!("listing keys stopped after {listed} keys: {e}"));
    }
    if let Some(at_start) = items_at_start.filter(|&n| n > listed) {
        scan.notes.push(format!(
            "listed {listed} keys; the server held {at_start} items when the scan began \
             (items expire, are evicted or deleted while a scan runs)"
        ));
    }
    let mut handled: u64 = 0;
    for worker in workers {
        scan.tally.merge(&worker.tally);
        handled += worker.fetched_batches_keys;
        scan.items_gone += worker.gone;
        scan.items_unrequestable += worker.unrequestable;
        scan.deletes.deleted += worker.deletes.deleted;
        scan.deletes.changed += worker.deletes.changed;
        scan.deletes.gone += worker.deletes.gone;
        if let Some(error) = worker.error {
            scan.partial = true;
            if !scan.errors.contains(&error) {
                scan.errors.push(error);
            }
        }
    }
    scan.items_not_fetched = listed.saturating_sub(handled);
    if scan.items_not_fetched > 0 {
        scan.partial = true;
    }
    if scan.items_unrequestable > 0 {
        scan.partial = true;
        scan.notes.push(format!(
            "{} keys hold spaces or control bytes and cannot be fetched from memcached {} \
             without meta commands (1.6+)",
            scan.items_unrequestable,
            scan.version.as_deref().unwrap_or("?")
        ));
    }
    scan.elapsed = started.elapsed();
    scan
}

fn run_worker(
    addr: &ServerAddr,
    server: &str,
    mode: FetchMode,
    options: &ScanOptions,
    spool: &KeySpool,
    visitor: &dyn ItemVisitor,
    progress: Option<&ProgressBar>,
) -> WorkerResult {
    let mut result = WorkerResult::default();
    let mut conn = match Connection::open(addr, options.timeout) {
        Ok(conn) => conn,
        Err(e) => {
            result.error = Some(e.to_string());
            return result;
        }
    };
    let mut bufs = FetchBuffers::default();
    let mut scratch = Vec::new();
    let detail = if options.item_details {
        Detail::Full
    } else {
        Detail::VerdictOnly
    };
    let mut selected: Vec<(usize, Option<u64>)> = Vec::new();
    loop {
        let batch = match spool.pop() {
            Ok(Some(batch)) => batch,
            Ok(None) => break,
            Err(e) => {
                result.error = Some(format!("cannot read queued keys back: {e}"));
                return result;
            }
        };
        selected.clear();
        let mut delivered: u64 = 0;
        let fetched = fetch_batch(
            &mut conn,
            mode,
            &batch,
            options.delete_selected,
            options.value_cap,
            &mut bufs,
            |item| {
                let Some(key) = batch.get(item.index) else {
                    return;
                };
                delivered += 1;
                if !options.analyse {
                    result.tally.counts.items_scanned += 1;
                    return;
                }
                let analysis = match item.skipped_len {
                    Some(len) => too_large(options.convention, item.flags, len),
                    None => analyse_with(
                        options.convention,
                        item.flags,
                        item.value,
                        &mut scratch,
                        detail,
                        options.max_blob_size,
                    ),
                };
                let prefix = key_prefix(
                    key,
                    &options.prefix_delimiter,
                    options.convention.django_keys(),
                );
                result.tally.add(key, prefix, item.flags, &analysis);
                let scanned = ScannedItem {
                    server,
                    key,
                    flags: item.flags,
                    size: item.skipped_len.unwrap_or(item.value.len() as u64),
                    analysis: &analysis,
                };
                if visitor.visit(&scanned) {
                    selected.push((item.index, item.cas));
                }
            },
        );
        match fetched {
            Ok(outcome) => {
                result.fetched_batches_keys += batch.len() as u64;
                result.unrequestable += outcome.unrequestable as u64;
                result.gone += (batch.len() - outcome.found - outcome.unrequestable) as u64;
                if let Some(bar) = progress {
                    bar.inc(batch.len() as u64);
                }
            }
            Err(e) => {
                // Items of this batch counted before the failure are scanned, not unfetched.
                result.fetched_batches_keys += delivered;
                result.error = Some(format!("fetching values stopped: {e}"));
                return result;
            }
        }
        if options.delete_selected && !selected.is_empty() {
            if let Err(e) = delete_items(&mut conn, mode, &batch, &selected, &mut result.deletes) {
                result.error = Some(format!("deleting stopped: {e}"));
                return result;
            }
        }
    }
    result
}

/// Deletes the selected items of a batch, each only if its CAS is unchanged (meta mode).
fn delete_items(
    conn: &mut Connection,
    mode: FetchMode,
    batch: &KeyBatch,
    selected: &[(usize, Option<u64>)],
    counts: &mut DeleteCounts,
) -> Result<(), McError> {
    let mut request = Vec::new();
    let mut sent = 0;
    for &(index, cas) in selected {
        let Some(key) = batch.get(index) else {
            continue;
        };
        match mode {
            FetchMode::Meta => {
                request.extend_from_slice(b"md ");
                if is_text_safe(key) {
                    request.extend_from_slice(key);
                } else {
                    base64_encode_into(key, &mut request);
                    request.extend_from_slice(b" b");
                }
                if let Some(cas) = cas {
                    request.extend_from_slice(format!(" C{cas}").as_bytes());
                }
            }
            FetchMode::Classic => {
                if !is_text_safe(key) {
                    continue;
                }
                request.extend_from_slice(b"delete ");
                request.extend_from_slice(key);
            }
        }
        request.extend_from_slice(b"\r\n");
        sent += 1;
    }
    conn.send(&request)?;
    let mut line = Vec::new();
    for _ in 0..sent {
        conn.read_line(&mut line)?;
        match line.as_slice() {
            b"HD" | b"DELETED" => counts.deleted += 1,
            b"NF" | b"NOT_FOUND" => counts.gone += 1,
            b"EX" => counts.changed += 1,
            other => {
                conn.check_error_line(other, "delete")?;
                return Err(conn.protocol_error(format!(
                    "unexpected reply to a delete: {}",
                    quote_reply(other)
                )));
            }
        }
    }
    Ok(())
}
