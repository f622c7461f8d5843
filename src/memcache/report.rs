//! Writing scan results: a JSON summary object (per server and together), JSON or text records
//! for single items, and a text report for people.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::convention::ValueKind;
use super::keys::display_key;
use super::listing::ListingMethod;
use super::scan::{DeleteCounts, ScanOptions, ScannedItem, ServerScan};
use super::tally::{detect_client, Counts};
use super::verdict::Verdict;
use crate::pickle::{Finding, Py3Loadable};

/// Adds several servers' scans into one, named `total`.
pub fn total(scans: &[ServerScan]) -> ServerScan {
    let mut all = ServerScan {
        server: "total".into(),
        ..Default::default()
    };
    for scan in scans {
        all.partial |= scan.partial;
        all.items_listed += scan.items_listed;
        all.items_gone += scan.items_gone;
        all.items_unrequestable += scan.items_unrequestable;
        all.items_not_fetched += scan.items_not_fetched;
        all.tally.merge(&scan.tally);
        all.deletes.deleted += scan.deletes.deleted;
        all.deletes.changed += scan.deletes.changed;
        all.deletes.gone += scan.deletes.gone;
        all.elapsed = all.elapsed.max(scan.elapsed);
        all.listing_elapsed = all.listing_elapsed.max(scan.listing_elapsed);
        for e in &scan.errors {
            all.errors.push(format!("{}: {e}", scan.server));
        }
    }
    all
}

/// The JSON form of one scan (a server, or the total).
#[derive(Debug, Serialize)]
pub struct ScanJson {
    /// The server's address (absent in the total).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The server's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How keys were listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<ListingMethod>,
    /// True when some items were not scanned.
    pub partial: bool,
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Keys the listing returned.
    pub items_listed: u64,
    /// Listed items gone by the time they were fetched.
    pub items_gone: u64,
    /// Listed keys that could not be requested.
    pub items_unrequestable: u64,
    /// Listed keys never fetched because the scan ended early.
    pub items_not_fetched: u64,
    /// Counts by key prefix.
    pub by_prefix: BTreeMap<String, Counts>,
    /// Sample keys by problem.
    pub samples: BTreeMap<&'static str, Vec<String>>,
    /// Items by client-flags value.
    pub flags_seen: BTreeMap<u32, u64>,
    /// The client library the flags point to.
    pub client_detected: &'static str,
    /// Deletions (purge `--yes` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletes: Option<DeleteCounts>,
    /// Errors that ended part of the scan.
    pub errors: Vec<String>,
    /// Remarks on coverage.
    pub notes: Vec<String>,
    /// Wall time in seconds.
    pub elapsed_seconds: f64,
    /// Items scanned per second.
    pub items_per_second: f64,
    /// Wall time until the key listing ended, in seconds (fetching overlaps it).
    pub listing_seconds: f64,
    /// Each server's own summary (in the total only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub servers: Option<Vec<ScanJson>>,
}

impl ScanJson {
    /// Builds the JSON form of a scan.
    pub fn new(scan: &ServerScan, with_deletes: bool) -> ScanJson {
        let seconds = scan.elapsed.as_secs_f64();
        ScanJson {
            server: (scan.server != "total").then(|| scan.server.clone()),
            version: scan.version.clone(),
            listing: scan.listing,
            partial: scan.partial,
            counts: scan.tally.counts,
            items_listed: scan.items_listed,
            items_gone: scan.items_gone,
            items_unrequestable: scan.items_unrequestable,
            items_not_fetched: scan.items_not_fetched,
            by_prefix: scan.tally.prefixes_for_display(),
            samples: scan.tally.samples.clone(),
            flags_seen: scan.tally.flags_seen.clone(),
            client_detected: detect_client(&scan.tally.flags_seen),
            deletes: with_deletes.then_some(scan.deletes),
            errors: scan.errors.clone(),
            notes: scan.notes.clone(),
            elapsed_seconds: seconds,
            items_per_second: per_second(scan.tally.counts.items_scanned, seconds),
            listing_seconds: scan.listing_elapsed.as_secs_f64(),
            servers: None,
        }
    }

    /// The summary of a whole run: the total, with each server's summary under `servers`.
    pub fn summary(scans: &[ServerScan], with_deletes: bool) -> ScanJson {
        let mut json = ScanJson::new(&total(scans), with_deletes);
        json.servers = Some(
            scans
                .iter()
                .map(|s| ScanJson::new(s, with_deletes))
                .collect(),
        );
        json
    }
}

fn per_second(items: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        (items as f64 / seconds).round()
    } else {
        0.0
    }
}

/// One item as a JSON record: the pickle auditor's fields (null for values that are not
/// pickles) with the item's key, flags, size and verdict.
#[derive(Debug, Serialize)]
pub struct ItemJson<'a> {
    /// Always `"item"`, to tell records from the summary in a stream.
    #[serde(rename = "type")]
    pub record_type: &'static str,
    /// The server's address.
    pub server: &'a str,
    /// The key, escaped as [`display_key`] does.
    pub key: String,
    /// The item's client flags.
    pub flags: u32,
    /// The stored value's length.
    pub size: u64,
    /// The verdict.
    pub verdict: Verdict,
    /// What the flags say the value is.
    pub kind: ValueKind,
    /// True when stored zlib-compressed.
    pub compressed: bool,
    /// Pickle protocol.
    pub protocol: Option<u8>,
    /// Python 2 loads it.
    pub py2_loadable: Option<bool>,
    /// Python 3 loads it, by encoding.
    pub py3_loadable: Option<Py3Loadable>,
    /// Loading it would run code or import unusual modules.
    pub dangerous: Option<bool>,
    /// Globals the pickle references.
    pub globals: Option<&'a [String]>,
    /// The auditor's findings.
    pub findings: Option<&'a [Finding]>,
    /// Why the value could not be read (auditor or decompression error).
    pub error: Option<&'a str>,
}

impl<'a> ItemJson<'a> {
    /// Builds the record of one item.
    pub fn new(item: &'a ScannedItem<'a>) -> ItemJson<'a> {
        let audit = item.analysis.audit.as_ref();
        ItemJson {
            record_type: "item",
            server: item.server,
            key: display_key(item.key),
            flags: item.flags,
            size: item.size,
            verdict: item.analysis.verdict,
            kind: item.analysis.kind,
            compressed: item.analysis.compressed,
            protocol: audit.and_then(|a| a.protocol),
            py2_loadable: audit.map(|a| a.py2_loadable),
            py3_loadable: audit.map(|a| a.py3_loadable),
            dangerous: audit.map(|a| a.dangerous),
            globals: audit.map(|a| a.globals.as_slice()),
            findings: audit.map(|a| a.findings.as_slice()),
            error: item
                .analysis
                .error
                .as_deref()
                .or_else(|| audit.and_then(|a| a.error.as_deref())),
        }
    }
}

/// One item as a line of text: key, verdict, flags, size, and the reason when unreadable.
pub fn item_text(item: &ScannedItem<'_>) -> String {
    let mut line = format!(
        "{}\t{}\tflags={}\tsize={}",
        display_key(item.key),
        item.analysis.verdict.name(),
        item.flags,
        item.size
    );
    if item.analysis.dangerous() {
        line.push_str("\tdangerous");
    }
    if let Some(e) = item.analysis.error.as_deref().or_else(|| {
        item.analysis
            .audit
            .as_ref()
            .and_then(|a| a.error.as_deref())
    }) {
        let _ = write!(line, "\t{e}");
    }
    line
}

/// Most prefixes listed in the text report (the JSON has them all).
const TEXT_PREFIX_ROWS: usize = 40;

/// The text report: each server, then the total when there are several.
pub fn text_report(scans: &[ServerScan], options: &ScanOptions, with_deletes: bool) -> String {
    let mut out = String::new();
    for scan in scans {
        write_scan(&mut out, scan, options, with_deletes);
    }
    if scans.len() > 1 {
        write_scan(&mut out, &total(scans), options, with_deletes);
    }
    out
}

fn write_scan(out: &mut String, scan: &ServerScan, options: &ScanOptions, with_deletes: bool) {
    let c = &scan.tally.counts;
    let seconds = scan.elapsed.as_secs_f64();
    let _ = writeln!(
        out,
        "== {}{}{}{}",
        scan.server,
        scan.version
            .as_deref()
            .map(|v| format!(" (memcached {v})"))
            .unwrap_or_default(),
        match scan.listing {
            Some(ListingMethod::Metadump) => ", keys from lru_crawler metadump",
            Some(ListingMethod::Cachedump) => ", keys from stats cachedump (partial)",
            None => "",
        },
        if scan.partial { "  [PARTIAL]" } else { "" }
    );
    let _ = writeln!(
        out,
        "items scanned: {} in {:.1}s ({:.0} items/s); listed {}, gone before fetch {}, \
         not fetched {}",
        c.items_scanned,
        seconds,
        per_second(c.items_scanned, seconds),
        scan.items_listed,
        scan.items_gone,
        scan.items_not_fetched + scan.items_unrequestable
    );
    if options.analyse {
        let _ = writeln!(
            out,
            "pickled {}: python2 loads {}, python3 loads {} (default encoding), {} with \
             latin1, {} with bytes; dangerous {}",
            c.pickled,
            c.py2_loadable,
            c.py3_loadable,
            c.py3_loadable_latin1,
            c.py3_loadable_bytes,
            c.dangerous
        );
        let _ = writeln!(out, "{}", verdict_line(c));
        let flags: Vec<String> = scan
            .tally
            .flags_seen
            .iter()
            .map(|(f, n)| format!("{f}:{n}"))
            .collect();
        let _ = writeln!(
            out,
            "flags seen (value:items): {}; client from flags: {}",
            if flags.is_empty() {
                "none".to_owned()
            } else {
                flags.join(" ")
            },
            detect_client(&scan.tally.flags_seen)
        );
        write_prefixes(out, scan);
        for (problem, keys) in &scan.tally.samples {
            let _ = writeln!(out, "  e.g. {problem}: {}", keys.join(" "));
        }
    }
    if with_deletes {
        let d = scan.deletes;
        let _ = writeln!(
            out,
            "deleted {}, left alone because changed since fetched {}, already gone {}",
            d.deleted, d.changed, d.gone
        );
    }
    for note in &scan.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for error in &scan.errors {
        let _ = writeln!(out, "error: {error}");
    }
    out.push('\n');
}

fn verdict_line(c: &Counts) -> String {
    let parts: Vec<String> = Verdict::ALL
        .iter()
        .map(|&v| format!("{} {}", v.name(), c.verdict(v)))
        .collect();
    format!("verdicts: {}", parts.join(", "))
}

fn write_prefixes(out: &mut String, scan: &ServerScan) {
    let prefixes = scan.tally.prefixes_for_display();
    if prefixes.is_empty() {
        return;
    }
    let mut rows: Vec<(&String, &Counts)> = prefixes.iter().collect();
    // Prefixes with most problems first.
    rows.sort_by_key(|(name, c)| {
        let problems: u64 = Verdict::ALL
            .iter()
            .filter(|v| v.is_problem())
            .map(|&v| c.verdict(v))
            .sum();
        (
            std::cmp::Reverse(problems),
            std::cmp::Reverse(c.items_scanned),
            (*name).clone(),
        )
    });
    let _ = writeln!(
        out,
        "  {:<32} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "prefix", "items", "both", "latin1", "bytes", "py2only", "py3only", "unread", "raw"
    );
    for (name, c) in rows.iter().take(TEXT_PREFIX_ROWS) {
        let label = if name.is_empty() {
            "(no prefix)"
        } else {
            name.as_str()
        };
        let _ = writeln!(
            out,
            "  {:<32} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            label,
            c.items_scanned,
            c.loads_on_both,
            c.needs_latin1,
            c.needs_bytes,
            c.py2_only,
            c.py3_only,
            c.unreadable,
            c.not_pickled + c.unknown_flags
        );
    }
    if rows.len() > TEXT_PREFIX_ROWS {
        let _ = writeln!(
            out,
            "  ... {} more prefixes (see --output-format json)",
            rows.len() - TEXT_PREFIX_ROWS
        );
    }
}
