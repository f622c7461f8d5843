//! Walking a Redis database read-only: `SCAN cursor MATCH p COUNT n`, each batch's values
//! fetched with one `MGET` sent together with the next `SCAN` (one round trip a batch; MGET
//! is the pipelined GET that costs the server one command instead of one a key: 1.6x less
//! wall time than pipelined GETs on 200,000 keys). Keys MGET gives no value for are asked
//! their `TYPE` (`none`: gone meanwhile), then hashes are read with `HGETALL` and lists with
//! `LRANGE` (where RQ and Celery keep pickles). Nothing else is sent.
//!
//! [`classify`] says what a stored value is by the conventions of the Python libraries that
//! keep pickles in Redis, as memcache flags would: django-redis (pickle at the highest
//! protocol, integers stored as their digits, optional zlib), Celery (result pickles, and
//! broker messages: JSON envelopes whose `body` is a base64 pickle), RQ (job hashes whose
//! `data` field is a zlib-compressed pickle, `result` a pickle).

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;

use xxhash_rust::xxh3::xxh3_64;

use super::resp::{RedisConn, Reply};

/// Most list items read from one list.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// Where a value sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member<'a> {
    /// A string key's value.
    Whole,
    /// A hash field.
    Field(&'a [u8]),
    /// A list item.
    Index(usize),
}

/// Receives what the scan reads.
pub trait Visit {
    /// One value.
    fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8]);
    /// Called after each batch (the scan's replies all read).
    fn batch_done(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// What a scan saw besides the values.
#[derive(Debug, Clone, Default)]
pub struct ScanStats {
    /// Distinct keys SCAN returned.
    pub keys: u64,
    /// Keys gone between SCAN and MGET.
    pub gone: u64,
    /// Keys of types holding no value read (sets, sorted sets, streams...), by type.
    pub other_types: std::collections::BTreeMap<String, u64>,
    /// Lists longer than [`MAX_LIST_ITEMS`] (only their first items were read).
    pub lists_cut: u64,
}

/// Scans every key matching `pattern`, `count` keys per SCAN.
pub fn scan(
    conn: &mut RedisConn,
    pattern: &str,
    count: usize,
    visit: &mut dyn Visit,
) -> Result<ScanStats, String> {
    let mut stats = ScanStats::default();
    let mut seen: HashSet<u64> = HashSet::new();
    let count = count.clamp(1, 100_000).to_string();
    let push_scan = |conn: &mut RedisConn, cursor: &[u8]| {
        conn.push(&[
            b"SCAN",
            cursor,
            b"MATCH",
            pattern.as_bytes(),
            b"COUNT",
            count.as_bytes(),
        ]);
    };
    push_scan(conn, b"0");
    let (mut cursor, mut keys) = read_scan(conn)?;
    loop {
        // SCAN may return a key twice (while the table is rehashed): count it once.
        keys.retain(|k| seen.insert(xxh3_64(k)));
        stats.keys += keys.len() as u64;
        // One MGET for the batch: a single command for the server to parse and answer
        // (pipelined GETs cost it a command each). Non-string keys read as nil.
        if !keys.is_empty() {
            let mut args: Vec<&[u8]> = Vec::with_capacity(keys.len() + 1);
            args.push(b"MGET");
            args.extend(keys.iter().map(Vec::as_slice));
            conn.push(&args);
        }
        let more = cursor != b"0";
        if more {
            push_scan(conn, &cursor);
        }
        let mut others = Vec::new();
        if !keys.is_empty() {
            let n = conn.read_array_len()?;
            if n != Some(keys.len()) {
                return Err(format!(
                    "MGET answered {n:?} values for {} keys",
                    keys.len()
                ));
            }
            for key in &keys {
                match conn.read_bulk_with(|v| visit.value(key, Member::Whole, v))? {
                    Ok(()) => {}
                    Err(Reply::Nil) => others.push(key.clone()),
                    Err(other) => {
                        return Err(format!("unexpected value in MGET's reply: {other:?}"))
                    }
                }
            }
        }
        let next = if more { Some(read_scan(conn)?) } else { None };
        if !others.is_empty() {
            read_others(conn, &others, visit, &mut stats)?;
        }
        visit.batch_done()?;
        match next {
            Some((c, k)) => {
                cursor = c;
                keys = k;
            }
            None => return Ok(stats),
        }
    }
}

fn read_scan(conn: &mut RedisConn) -> Result<(Vec<u8>, Vec<Vec<u8>>), String> {
    match conn.read()? {
        Reply::Array(parts) => match <[Reply; 2]>::try_from(parts) {
            Ok([Reply::Bulk(cursor), Reply::Array(keys)]) => Ok((
                cursor,
                keys.into_iter()
                    .filter_map(|k| match k {
                        Reply::Bulk(k) => Some(k),
                        _ => None,
                    })
                    .collect(),
            )),
            Ok(other) => Err(format!("unexpected reply to SCAN: {other:?}")),
            Err(other) => Err(format!("unexpected reply to SCAN: {other:?}")),
        },
        Reply::Error(e) => Err(format!("SCAN failed: {e}")),
        other => Err(format!("unexpected reply to SCAN: {other:?}")),
    }
}

/// Reads hashes (HGETALL) and lists (LRANGE) among `keys`; counts the other types.
fn read_others(
    conn: &mut RedisConn,
    keys: &[Vec<u8>],
    visit: &mut dyn Visit,
    stats: &mut ScanStats,
) -> Result<(), String> {
    for key in keys {
        conn.push(&[b"TYPE", key]);
    }
    let mut types = Vec::with_capacity(keys.len());
    for _ in keys {
        types.push(match conn.read()? {
            Reply::Status(t) => String::from_utf8_lossy(&t).into_owned(),
            other => return Err(format!("unexpected reply to TYPE: {other:?}")),
        });
    }
    let last = (MAX_LIST_ITEMS - 1).to_string();
    for (key, kind) in keys.iter().zip(&types) {
        match kind.as_str() {
            "hash" => conn.push(&[b"HGETALL", key]),
            "list" => conn.push(&[b"LRANGE", key, b"0", last.as_bytes()]),
            "none" => stats.gone += 1,
            other => *stats.other_types.entry(other.to_owned()).or_default() += 1,
        }
    }
    for (key, kind) in keys.iter().zip(&types) {
        if kind != "hash" && kind != "list" {
            continue;
        }
        let Reply::Array(items) = conn.read()? else {
            continue;
        };
        if kind == "hash" {
            for pair in items.chunks(2) {
                if let [Reply::Bulk(field), Reply::Bulk(value)] = pair {
                    visit.value(key, Member::Field(field), value);
                }
            }
        } else {
            if items.len() >= MAX_LIST_ITEMS {
                stats.lists_cut += 1;
            }
            for (i, item) in items.iter().enumerate() {
                if let Reply::Bulk(value) = item {
                    visit.value(key, Member::Index(i), value);
                }
            }
        }
    }
    Ok(())
}

/// What a stored value is, by the Python libraries' conventions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified<'v> {
    /// Flags in the memcache clients' layout ([`crate::memcache::convention`]): 1 pickle,
    /// 2 integer (django-redis' fast path), 8 zlib, 0 raw bytes.
    pub flags: u32,
    /// The bytes to analyse with those flags (a Celery envelope's decoded body, else the value).
    pub payload: Cow<'v, [u8]>,
    /// Which convention recognised it.
    pub convention: &'static str,
}

/// Classifies one stored value.
pub fn classify(value: &[u8]) -> Classified<'_> {
    let raw = |flags, convention| Classified {
        flags,
        payload: Cow::Borrowed(value),
        convention,
    };
    let digits = value.strip_prefix(b"-").unwrap_or(value);
    if !digits.is_empty() && digits.len() <= 20 && digits.iter().all(u8::is_ascii_digit) {
        return raw(2, "django-redis integer");
    }
    if looks_like_pickle(value) {
        return raw(1, "pickle");
    }
    if is_zlib_header(value) {
        let mut head = Vec::new();
        // Enough of the inflated start to tell a pickle (the analysis inflates it all).
        let _ = flate2::read::ZlibDecoder::new(value)
            .take(4096)
            .read_to_end(&mut head);
        if looks_like_pickle_start(&head) {
            return raw(9, "zlib pickle");
        }
        return raw(8, "zlib");
    }
    if value.first() == Some(&b'{') {
        if let Some(body) = celery_pickle_body(value) {
            return Classified {
                flags: 1,
                payload: Cow::Owned(body),
                convention: "celery message",
            };
        }
    }
    raw(0, "raw")
}

fn is_zlib_header(v: &[u8]) -> bool {
    match v {
        [0x78, b, ..] => (0x7800u16 | u16::from(*b)) % 31 == 0,
        _ => false,
    }
}

/// A protocol 2+ pickle, or a protocol 0/1 pickle that reads to its STOP.
fn looks_like_pickle(v: &[u8]) -> bool {
    match v.first() {
        Some(0x80) => matches!(v.get(1), Some(2..=5)),
        Some(b) if v.last() == Some(&b'.') && b"(]}cNSVIFLUTXKJMGe)".contains(b) => {
            crate::pickle::verdict::audit_verdict(v).error.is_none()
        }
        _ => false,
    }
}

fn looks_like_pickle_start(v: &[u8]) -> bool {
    match v.first() {
        Some(0x80) => matches!(v.get(1), Some(2..=5)),
        Some(b) => b"(]}cNSVIFLUTXKJMGe)".contains(b) && v.last() == Some(&b'.'),
        None => false,
    }
}

/// A Celery (kombu) message serialized with pickle: its body, base64-decoded.
fn celery_pickle_body(value: &[u8]) -> Option<Vec<u8>> {
    let json: serde_json::Value = serde_json::from_slice(value).ok()?;
    if json.get("content-type")?.as_str()? != "application/x-python-serialize" {
        return None;
    }
    let body = json.get("body")?.as_str()?;
    let encoding = json
        .get("properties")
        .and_then(|p| p.get("body_encoding"))
        .and_then(|e| e.as_str())
        .unwrap_or("base64");
    if encoding != "base64" {
        return None;
    }
    base64_decode(body.as_bytes())
}

/// Standard base64 (padding optional; whitespace skipped).
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        assert_eq!(classify(b"12345").flags, 2);
        assert_eq!(classify(b"-7").flags, 2);
        assert_eq!(classify(b"\x80\x04K\x01.").flags, 1);
        assert_eq!(classify(b"(dp0\nS'a'\np1\nI1\ns.").flags, 1);
        assert_eq!(classify(b"hello.").flags, 0);
        assert_eq!(classify(b"{\"a\": 1}").flags, 0);
        // zlib.compress(pickle.dumps(1, 2))
        let z = b"x\x9ck`\xf2f\xd4\x03\x00\x03\x9e\x00\xfd";
        let mut data = Vec::new();
        flate2::read::ZlibDecoder::new(&z[..])
            .read_to_end(&mut data)
            .unwrap();
        assert_eq!(data, b"\x80\x02K\x01.");
        assert_eq!(classify(z).flags, 9);
        let msg = br#"{"body": "gAJLAS4=", "content-type": "application/x-python-serialize", "properties": {"body_encoding": "base64"}}"#;
        let c = classify(msg);
        assert_eq!((c.flags, &c.payload[..]), (1, &b"\x80\x02K\x01."[..]));
        assert_eq!(base64_decode(b"gAJLAS4="), Some(b"\x80\x02K\x01.".to_vec()));
    }
}
