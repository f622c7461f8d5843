//! Enumerating the keys of one server: `lru_crawler metadump all` (memcached 1.4.31+, streams
//! every key, URL-encoded), or on older servers `stats items` + `stats cachedump`, whose limits
//! are written down in [`Listing::notes`].

use std::time::Duration;

use super::conn::{quote_reply, Connection, McError, McErrorKind};
use super::keys::url_decode_into;

/// How many times a busy LRU crawler is asked again (every 200 ms) before giving up.
const CRAWLER_BUSY_RETRIES: u32 = 150;

/// How the keys were listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingMethod {
    /// `lru_crawler metadump all`: every key in the cache.
    Metadump,
    /// `stats cachedump`: only part of each slab class on most servers.
    Cachedump,
}

/// What the listing did and what it could not do.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The method used, once chosen.
    pub method: Option<ListingMethod>,
    /// Remarks on coverage (the cachedump fallback's limits, keys it could not see).
    pub notes: Vec<String>,
    /// True when the listing is known to have missed items that were in the cache.
    pub incomplete: bool,
}

/// Lists every key of the server on `conn`, calling `on_key` with each raw key as it arrives.
/// `on_key` returns false to stop early. Keys already passed to `on_key` stay valid when an
/// error ends the listing.
///
/// Tries, in order: `lru_crawler metadump hash` (walks the hash table: every item once, even
/// while items move between LRUs), `lru_crawler metadump all` (walks the LRUs: an item moved
/// from a not-yet-walked LRU to a walked one during the scan is missed), `stats cachedump`.
pub fn list_keys(
    conn: &mut Connection,
    listing: &mut Listing,
    mut on_key: impl FnMut(&[u8]) -> bool,
) -> Result<(), McError> {
    let first = match metadump(conn, "hash", listing, &mut on_key) {
        Err(e) if e.kind == McErrorKind::Server && listing.method.is_none() => {
            listing.notes.push(format!(
                "memcached {} cannot walk its hash table (`lru_crawler metadump hash`: {}); \
                 keys were listed by walking the LRUs, which misses items that move between \
                 LRUs while the scan runs",
                conn.version(),
                e.message
            ));
            metadump(conn, "all", listing, &mut on_key)
        }
        other => other,
    };
    match first {
        Err(e) if e.kind == McErrorKind::Server && listing.method.is_none() => {
            listing.notes.push(format!(
                "memcached {} refused `lru_crawler metadump all` ({}); keys were listed with \
                 `stats cachedump`, which returns only part of each slab class (at most about \
                 2 MB of key text each, and one LRU): the audit covers part of the cache",
                conn.version(),
                e.message
            ));
            listing.incomplete = true;
            cachedump(conn, listing, &mut on_key)
        }
        other => other,
    }
}

fn metadump(
    conn: &mut Connection,
    what: &str,
    listing: &mut Listing,
    on_key: &mut impl FnMut(&[u8]) -> bool,
) -> Result<(), McError> {
    let request = format!("lru_crawler metadump {what}");
    let request = request.as_str();
    let mut line = Vec::with_capacity(512);
    let mut busy = 0;
    loop {
        conn.send(format!("{request}\r\n").as_bytes())?;
        conn.read_line(&mut line)?;
        if line.starts_with(b"BUSY") {
            busy += 1;
            if busy > CRAWLER_BUSY_RETRIES {
                return Err(McError::new(
                    McErrorKind::Timeout,
                    conn.server(),
                    "the LRU crawler stayed busy for 30s (another metadump running?)",
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        conn.check_error_line(&line, request)?;
        break;
    }
    listing.method = Some(ListingMethod::Metadump);
    let mut key = Vec::with_capacity(256);
    loop {
        if line == b"END" {
            return Ok(());
        }
        let encoded = line
            .strip_prefix(b"key=")
            .map(|rest| rest.split(|&b| b == b' ').next().unwrap_or_default());
        match encoded {
            Some(encoded) if !encoded.is_empty() => {
                key.clear();
                url_decode_into(encoded, &mut key);
                if !on_key(&key) {
                    return Ok(());
                }
            }
            _ => {
                conn.check_error_line(&line, request)?;
                return Err(conn.protocol_error(format!(
                    "unexpected line in metadump output: {}",
                    quote_reply(&line)
                )));
            }
        }
        conn.read_line(&mut line)?;
    }
}

fn cachedump(
    conn: &mut Connection,
    listing: &mut Listing,
    on_key: &mut impl FnMut(&[u8]) -> bool,
) -> Result<(), McError> {
    listing.method = Some(ListingMethod::Cachedump);
    let mut classes: Vec<(u32, u64)> = Vec::new();
    for (name, value) in conn.stats("stats items")? {
        let mut parts = name.split(':');
        if let (Some("items"), Some(class), Some("number")) =
            (parts.next(), parts.next(), parts.next())
        {
            if let (Ok(class), Ok(number)) = (class.parse(), value.trim().parse()) {
                classes.push((class, number));
            }
        }
    }
    let mut line = Vec::with_capacity(512);
    for (class, number) in classes {
        let request = format!("stats cachedump {class} 0");
        conn.send(format!("{request}\r\n").as_bytes())?;
        let mut listed: u64 = 0;
        loop {
            conn.read_line(&mut line)?;
            if line == b"END" {
                break;
            }
            conn.check_error_line(&line, &request)?;
            let key = line
                .strip_prefix(b"ITEM ")
                .and_then(|rest| rest.strip_suffix(b"]"))
                .and_then(|rest| {
                    let open = memchr::memmem::rfind(rest, b" [")?;
                    rest.get(..open)
                });
            match key {
                Some(key) if !key.is_empty() => {
                    listed += 1;
                    if !on_key(key) {
                        return Ok(());
                    }
                }
                _ => {
                    return Err(conn.protocol_error(format!(
                        "unexpected line in cachedump output: {}",
                        quote_reply(&line)
                    )))
                }
            }
        }
        if listed < number {
            listing.notes.push(format!(
                "slab class {class}: cachedump listed {listed} of {number} items"
            ));
        }
    }
    Ok(())
}
