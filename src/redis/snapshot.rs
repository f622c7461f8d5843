//! The values of a Redis database read from a snapshot instead of SCAN: a dump file
//! (`redis audit --rdb FILE`, a backup audited offline) or the snapshot a server sends a
//! replica (`redis audit --snapshot`: `SYNC`, the server forks and saves, as for BGSAVE, and
//! streams the file; it runs no command per key).
//!
//! The keys the SCAN audit would see are the ones handed on: those of the database asked
//! for, matching the pattern (Redis' glob rules, [`glob_match`]), not expired at the
//! snapshot's time; then their strings, hash fields and list items as a client reads them.
//! Other types are counted by their `TYPE` name, as the SCAN audit counts them. One
//! difference: a list is read whole, where SCAN's LRANGE stops at its first
//! [`super::scan::MAX_LIST_ITEMS`] items.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::time::Duration;

use super::audit::{audit_source, AuditOptions, SourceRead};
use super::rdb::{RdbInfo, RdbReader, RdbVisit};
use super::resp::{RedisConn, RedisUrl, Reply};
use super::scan::{Member, ScanStats, Visit};
use crate::memcache::scan::ServerScan;

/// Values handed on between two `batch_done` calls.
const BATCH: u64 = 2000;

/// Why a snapshot could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Nothing was read: no such file, not an RDB file, the server refused SYNC...
    Refused(String),
    /// The data broke off or was damaged part way: what came before it was handed on.
    Broken(String),
}

/// Which keys to hand on.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The database number.
    pub db: u64,
    /// SCAN's MATCH pattern.
    pub pattern: Vec<u8>,
    /// Keys that expired before this Unix time (ms) are skipped. `None`: the current time
    /// (what a server loading the file now would keep).
    pub now_ms: Option<i64>,
}

/// What a snapshot held besides its values.
#[derive(Debug, Clone, Default)]
pub struct SnapshotStats {
    /// Keys handed on and other-type counts, as the SCAN audit counts them.
    pub scan: ScanStats,
    /// The `redis-ver` the snapshot names.
    pub redis_version: Option<String>,
    /// Its `ctime` (Unix seconds).
    pub ctime: Option<i64>,
    /// Keys of the database that had expired at the snapshot's time (skipped).
    pub expired: u64,
    /// Keys of other databases, and keys not matching the pattern (skipped).
    pub skipped: u64,
    /// The file's own description.
    pub rdb: RdbInfo,
    /// Bytes read.
    pub bytes: u64,
    /// Whether the server streamed it as it saved it (a diskless transfer, `$EOF:` form).
    pub diskless: bool,
}

/// Hands the filtered keys' values to a [`Visit`].
struct Handoff<'v> {
    filter: Filter,
    now_ms: i64,
    visit: &'v mut dyn Visit,
    stats: SnapshotStats,
    since_batch: u64,
    error: Option<String>,
    /// The type of the last key counted, until the next key.
    counted: Option<String>,
}

impl RdbVisit for Handoff<'_> {
    fn aux(&mut self, key: &[u8], value: &[u8]) {
        let text = String::from_utf8_lossy(value);
        match key {
            b"redis-ver" => self.stats.redis_version = Some(text.into_owned()),
            b"ctime" => {
                if let Ok(t) = text.trim().parse::<i64>() {
                    self.stats.ctime = Some(t);
                }
            }
            _ => {}
        }
    }

    fn key(&mut self, db: u64, key: &[u8], kind: &str, expire_ms: Option<i64>) -> bool {
        self.counted = None;
        if db != self.filter.db || !glob_match(&self.filter.pattern, key) {
            self.stats.skipped += 1;
            return false;
        }
        // Redis: a key is expired once the time is past its expiry.
        if expire_ms.is_some_and(|t| t < self.now_ms) {
            self.stats.expired += 1;
            return false;
        }
        self.stats.scan.keys += 1;
        self.counted = Some(kind.to_owned());
        match kind {
            "string" | "hash" | "list" => true,
            other => {
                *self
                    .stats
                    .scan
                    .other_types
                    .entry(other.to_owned())
                    .or_default() += 1;
                false
            }
        }
    }

    fn empty_key(&mut self) {
        // Redis drops an empty collection when it loads a file: SCAN would not see it.
        let Some(kind) = self.counted.take() else {
            return;
        };
        self.stats.scan.keys -= 1;
        if let Some(n) = self.stats.scan.other_types.get_mut(&kind) {
            *n -= 1;
            if *n == 0 {
                self.stats.scan.other_types.remove(&kind);
            }
        }
    }

    fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8], field_expire: Option<i64>) {
        if field_expire.is_some_and(|t| t < self.now_ms) {
            return;
        }
        self.visit.value(key, member, value);
        self.since_batch += 1;
        if self.since_batch >= BATCH {
            self.since_batch = 0;
            if let Err(e) = self.visit.batch_done() {
                self.error.get_or_insert(e);
            }
        }
    }
}

/// Reads an RDB stream from `input`, handing the filtered values to `visit`.
/// `Err(Broken)` keeps the stats of what came before the damage.
fn read_stream<R: Read>(
    input: R,
    filter: &Filter,
    visit: &mut dyn Visit,
) -> (RdbReader<R>, Result<SnapshotStats, (SnapshotStats, String)>) {
    let now_ms = filter.now_ms.unwrap_or_else(unix_ms);
    let mut handoff = Handoff {
        filter: filter.clone(),
        now_ms,
        visit,
        stats: SnapshotStats::default(),
        since_batch: 0,
        error: None,
        counted: None,
    };
    let mut reader = RdbReader::new(input);
    let result = reader.read(&mut handoff);
    let flushed = handoff.visit.batch_done();
    let mut stats = handoff.stats;
    let error = handoff.error.or(flushed.err());
    let result = match (result, error) {
        (Ok(info), None) => {
            stats.rdb = info;
            Ok(stats)
        }
        (Ok(_), Some(e)) | (Err(e), _) => Err((stats, e)),
    };
    (reader, result)
}

fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Reads a dump file.
pub fn read_file(
    path: &std::path::Path,
    filter: &Filter,
    visit: &mut dyn Visit,
) -> (SnapshotStats, Option<SnapshotError>) {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            let e = format!("cannot open {}: {e}", path.display());
            return (SnapshotStats::default(), Some(SnapshotError::Refused(e)));
        }
    };
    let (reader, result) = read_stream(Counted::new(file), filter, visit);
    let bytes = reader.finish().1.count;
    match result {
        Ok(mut stats) => {
            stats.bytes = bytes;
            (stats, None)
        }
        Err((mut stats, e)) => {
            stats.bytes = bytes;
            classify_error(stats, format!("{}: {e}", path.display()))
        }
    }
}

/// An error before anything was handed on (a bad header) is a refusal; later, a break.
fn classify_error(stats: SnapshotStats, e: String) -> (SnapshotStats, Option<SnapshotError>) {
    if stats.scan.keys == 0 && stats.skipped == 0 && stats.expired == 0 && e.contains("header") {
        (stats, Some(SnapshotError::Refused(e)))
    } else {
        (stats, Some(SnapshotError::Broken(e)))
    }
}

/// Asks the server for a snapshot as a replica does (`REPLCONF rdb-only 1`, `SYNC`) and reads
/// it as it arrives.
///
/// The replica capability `eof` (a diskless transfer) is announced only when the server
/// would start one at once ([`diskless_starts_at_once`]): in its default configuration
/// (`repl-diskless-sync yes`, `repl-diskless-sync-delay 5`) it would wait five seconds for
/// more replicas; without the capability it saves to its disk at once (as BGSAVE does) and
/// sends the file. Both forms of reply are read.
pub fn read_live(
    url: &RedisUrl,
    timeout: Duration,
    filter: &Filter,
    visit: &mut dyn Visit,
) -> (SnapshotStats, Option<SnapshotError>) {
    let refused = |e: String| (SnapshotStats::default(), Some(SnapshotError::Refused(e)));
    let mut conn = match RedisConn::open(url, timeout) {
        Ok(conn) => conn,
        Err(e) => return refused(e),
    };
    let server = conn.server().to_owned();
    // Redis before 7.0 does not know rdb-only: it then keeps streaming after the snapshot,
    // which we do not read. An error here is not fatal; a refusal of SYNC is.
    let _ = conn.command(&[b"REPLCONF", b"rdb-only", b"1"]);
    if diskless_starts_at_once(&mut conn) {
        let _ = conn.command(&[b"REPLCONF", b"capa", b"eof"]);
    }
    conn.push(&[b"SYNC"]);
    if let Err(e) = conn.flush() {
        return refused(e);
    }
    let mut reader = conn.into_reader();
    let header = match read_sync_header(&mut reader) {
        Ok(header) => header,
        Err(e) => return refused(format!("{server}: SYNC: {e}")),
    };
    let broken = |stats, e: String| (stats, Some(SnapshotError::Broken(format!("{server}: {e}"))));
    match header {
        SyncHeader::Length(len) => {
            let (rdb, result) = read_stream(Counted::new((&mut reader).take(len)), filter, visit);
            let (rest, counted) = rdb.finish();
            let mut input = counted.inner;
            let tail =
                rest.len() as u64 + std::io::copy(&mut input, &mut std::io::sink()).unwrap_or(0);
            match result {
                Ok(mut stats) => {
                    stats.bytes = counted.count;
                    if tail == 0 && counted.count == len {
                        (stats, None)
                    } else {
                        broken(
                            stats,
                            format!("the snapshot has {tail} bytes after its end"),
                        )
                    }
                }
                Err((stats, e)) => broken(stats, e),
            }
        }
        SyncHeader::EofMark(mark) => {
            let (rdb, result) = read_stream(Counted::new(&mut reader), filter, visit);
            let (mut rest, counted) = rdb.finish();
            let mut stats = match result {
                Ok(stats) => stats,
                Err((stats, e)) => return broken(stats, e),
            };
            stats.bytes = counted.count;
            stats.diskless = true;
            if rest.len() < mark.len() {
                let mut more = vec![0; mark.len() - rest.len()];
                if counted.inner.read_exact(&mut more).is_ok() {
                    rest.extend_from_slice(&more);
                }
            }
            // A server before 7.0 (no rdb-only) goes on with the replication stream.
            rest.truncate(mark.len());
            if rest != mark {
                return broken(stats, "the snapshot does not end with its end mark".into());
            }
            (stats, None)
        }
    }
}

/// Whether the server, asked for a diskless transfer, starts it at once: diskless
/// replication on, with no delay to wait for other replicas (`CONFIG GET`; false when
/// CONFIG is not allowed). Then the snapshot is read while the server writes it, with no
/// dump file written and no wait for the server's next cron tick to see its save done.
fn diskless_starts_at_once(conn: &mut RedisConn) -> bool {
    let Ok(Reply::Array(items)) = conn.command(&[b"CONFIG", b"GET", b"repl-diskless-sync*"]) else {
        return false;
    };
    let mut on = false;
    let mut delay = None;
    for pair in items.chunks(2) {
        if let [name, value] = pair {
            match (name.bytes(), value.bytes()) {
                (Some(b"repl-diskless-sync"), Some(v)) => on = v == b"yes",
                (Some(b"repl-diskless-sync-delay"), Some(v)) => delay = Some(v.to_vec()),
                _ => {}
            }
        }
    }
    on && delay.as_deref() == Some(b"0")
}

/// How the server announces the snapshot's size.
enum SyncHeader {
    /// `$<len>`: that many bytes.
    Length(u64),
    /// `$EOF:<40 bytes>`: the data ends with those 40 bytes (a diskless transfer).
    EofMark(Vec<u8>),
}

/// Reads the reply to SYNC: newlines (the server's keep-alives while it saves), then the
/// bulk header or an error.
fn read_sync_header(reader: &mut impl BufRead) -> Result<SyncHeader, String> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader
            .take(64 * 1024)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("{e}"))?;
        if n == 0 {
            return Err("the server closed the connection".into());
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if !line.is_empty() {
            break;
        }
    }
    match line.split_first() {
        Some((b'-', message)) => Err(format!(
            "refused: {}",
            String::from_utf8_lossy(message).trim()
        )),
        Some((b'$', rest)) => {
            if let Some(mark) = rest.strip_prefix(b"EOF:") {
                if mark.len() != 40 {
                    return Err("an end mark that is not 40 bytes".into());
                }
                return Ok(SyncHeader::EofMark(mark.to_vec()));
            }
            std::str::from_utf8(rest)
                .ok()
                .and_then(|t| t.parse::<u64>().ok())
                .map(SyncHeader::Length)
                .ok_or_else(|| "a malformed snapshot length".into())
        }
        _ => Err(format!(
            "unexpected reply {:?}",
            String::from_utf8_lossy(&line[..line.len().min(80)])
        )),
    }
}

/// A reader that counts its bytes.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R> Counted<R> {
    fn new(inner: R) -> Counted<R> {
        Counted { inner, count: 0 }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Redis' glob matching (`stringmatchlen`, case-sensitive): `*`, `?`, `[abc]`, `[^a-z]`,
/// `\x`. Linear backtracking on the last `*`, so no pattern is slow.
pub fn glob_match(pattern: &[u8], s: &[u8]) -> bool {
    if pattern == b"*" {
        return true;
    }
    let (mut p, mut i) = (0usize, 0usize);
    // Where to resume after the last `*`: (pattern index after it, string index).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    while pattern.get(p) == Some(&b'*') {
                        p += 1;
                    }
                    if p == pattern.len() {
                        return true;
                    }
                    star = Some((p, i));
                    continue;
                }
                _ if i < s.len() => {
                    if let Some(next) = match_one(pattern, p, s[i]) {
                        p = next;
                        i += 1;
                        continue;
                    }
                }
                _ => {}
            }
        } else if i == s.len() {
            return true;
        }
        // A mismatch: let the last `*` take one more byte.
        match star {
            Some((sp, si)) if si < s.len() => {
                star = Some((sp, si + 1));
                p = sp;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

/// Whether the pattern element at `p` (not `*`) matches byte `c`: the index after it.
fn match_one(pattern: &[u8], p: usize, c: u8) -> Option<usize> {
    match pattern[p] {
        b'?' => Some(p + 1),
        b'\\' if p + 1 < pattern.len() => (pattern[p + 1] == c).then_some(p + 2),
        b'[' => {
            let mut q = p + 1;
            let negate = pattern.get(q) == Some(&b'^');
            if negate {
                q += 1;
            }
            let mut matched = false;
            // Redis treats an unclosed class as closed at the pattern's end.
            while q < pattern.len() && pattern[q] != b']' {
                if pattern[q] == b'\\' && q + 1 < pattern.len() {
                    q += 1;
                    matched |= pattern[q] == c;
                    q += 1;
                } else if q + 2 < pattern.len() && pattern[q + 1] == b'-' {
                    let (a, b) = (pattern[q], pattern[q + 2]);
                    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                    matched |= (lo..=hi).contains(&c);
                    q += 3;
                } else {
                    matched |= pattern[q] == c;
                    q += 1;
                }
            }
            let next = (q + 1).min(pattern.len());
            (matched != negate).then_some(next)
        }
        literal => (literal == c).then_some(p + 1),
    }
}

/// Where a snapshot comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A dump file.
    File(std::path::PathBuf),
    /// A live server, through SYNC.
    Live(RedisUrl),
}

/// Audits a snapshot: the report of the SCAN audit, from the snapshot's values. The error,
/// if any, is also in the report (`errors`, `partial`).
pub fn audit_snapshot<W: std::io::Write + Send>(
    source: &Source,
    filter: &Filter,
    options: &AuditOptions,
    out: W,
) -> (ServerScan, W, Option<SnapshotError>) {
    let (name, what) = match source {
        Source::File(path) => (path.display().to_string(), "the dump file"),
        Source::Live(url) => (url.display(), "a snapshot (SYNC)"),
    };
    let mut error = None;
    let (scan, out) = audit_source(name, options, out, |visit| {
        let result = match source {
            Source::File(path) => read_file(path, filter, visit),
            Source::Live(url) => read_live(url, options.timeout, filter, visit),
        };
        let (stats, failure) = result;
        let mut read = SourceRead {
            version: stats.redis_version.clone(),
            ..Default::default()
        };
        let what = if stats.diskless {
            "a snapshot (SYNC, diskless)"
        } else {
            what
        };
        let mut note = format!("values read from {what}: {} bytes", stats.bytes);
        if stats.rdb.version > 0 {
            note += &format!(", RDB version {}", stats.rdb.version);
        }
        if let Some(t) = stats.ctime {
            note += &format!(", saved at Unix time {t}");
        }
        read.notes.push(note);
        if stats.expired > 0 {
            read.notes.push(format!(
                "{} expired keys in the snapshot, not counted",
                stats.expired
            ));
        }
        match failure {
            None => read.stats = Ok(stats.scan),
            Some(e) => {
                let text = match &e {
                    SnapshotError::Refused(t) | SnapshotError::Broken(t) => t.clone(),
                };
                read.stats = Err(text);
                read.partial_stats = Some(stats.scan);
                error = Some(e);
            }
        }
        read
    });
    (scan, out, error)
}

/// Counts per type, for notes.
pub fn type_counts(types: &BTreeMap<String, u64>) -> String {
    types
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_as_redis() {
        assert!(glob_match(b"*", b""));
        assert!(glob_match(b":1:*", b":1:k1:5"));
        assert!(!glob_match(b":1:*", b":2:k1"));
        assert!(glob_match(b"h?llo", b"hello"));
        assert!(!glob_match(b"h?llo", b"hllo"));
        assert!(glob_match(b"h[ae]llo", b"hallo"));
        assert!(!glob_match(b"h[^e]llo", b"hello"));
        assert!(glob_match(b"h[a-b]llo", b"hbllo"));
        assert!(glob_match(b"h[b-a]llo", b"hallo"));
        assert!(glob_match(b"a\\*b", b"a*b"));
        assert!(!glob_match(b"a\\*b", b"axb"));
        assert!(glob_match(b"*a*b*c", b"xxaxxbxxc"));
        assert!(!glob_match(b"*a*b*c", b"xxaxxbxx"));
        assert!(glob_match(b"k[12", b"k1"));
        let long = vec![b'a'; 5000];
        assert!(!glob_match(b"*a*a*a*a*a*a*b", &long));
    }
}
