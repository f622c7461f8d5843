//! Fetching the values of a batch of keys in one round trip: meta `mg` commands (memcached 1.6+,
//! any key, misses silent) or a classic multi-key `get`/`gets` on older servers.

use super::conn::{quote_reply, Connection, McError};
use super::keys::{base64_encode_into, is_text_safe, KeyBatch};
use super::meta::{self, parse_u64};

/// How values are requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchMode {
    /// `mg <key> v f u q O<n>` per key, then `mn`: misses are silent, the LRU is not bumped,
    /// binary keys go as base64.
    Meta,
    /// `get k1 k2 ...`: keys with spaces or control bytes cannot be asked for.
    Classic,
}

/// One value the server returned.
#[derive(Debug)]
pub struct FetchedItem<'a> {
    /// Position of the key in the batch.
    pub index: usize,
    /// The item's client flags.
    pub flags: u32,
    /// The value (empty when it was larger than the cap: see `skipped_len`).
    pub value: &'a [u8],
    /// The item's CAS unique, when asked for.
    pub cas: Option<u64>,
    /// Set to the value's length when it exceeded the cap and was skipped unread.
    pub skipped_len: Option<u64>,
}

/// What happened to a batch beyond the items returned.
#[derive(Debug, Default, Clone, Copy)]
pub struct BatchOutcome {
    /// Keys the server returned a value for.
    pub found: usize,
    /// Keys that could not be requested at all (classic mode, key with spaces or control bytes).
    pub unrequestable: usize,
}

/// Reusable buffers for [`fetch_batch`].
#[derive(Debug, Default)]
pub struct FetchBuffers {
    request: Vec<u8>,
    line: Vec<u8>,
    value: Vec<u8>,
}

/// Fetches `keys` in one request and calls `on_item` with every value found, in order. Values
/// longer than `value_cap` bytes are read past, not stored. With `want_cas` the CAS unique of
/// each item is returned too (used to delete only items unchanged since they were audited).
pub fn fetch_batch(
    conn: &mut Connection,
    mode: FetchMode,
    keys: &KeyBatch,
    want_cas: bool,
    value_cap: usize,
    bufs: &mut FetchBuffers,
    mut on_item: impl FnMut(FetchedItem<'_>),
) -> Result<BatchOutcome, McError> {
    let mut outcome = BatchOutcome::default();
    if keys.is_empty() {
        return Ok(outcome);
    }
    match mode {
        FetchMode::Meta => {
            build_meta_request(keys, want_cas, &mut bufs.request);
            conn.send(&bufs.request)?;
            read_meta_replies(
                conn,
                keys.len(),
                value_cap,
                bufs,
                &mut outcome,
                &mut on_item,
            )?;
        }
        FetchMode::Classic => {
            let requested: Vec<usize> = (0..keys.len())
                .filter(|&i| keys.get(i).is_some_and(is_text_safe))
                .collect();
            outcome.unrequestable = keys.len() - requested.len();
            if requested.is_empty() {
                return Ok(outcome);
            }
            bufs.request.clear();
            bufs.request
                .extend_from_slice(if want_cas { b"gets" } else { b"get" });
            for key in requested.iter().filter_map(|&i| keys.get(i)) {
                bufs.request.push(b' ');
                bufs.request.extend_from_slice(key);
            }
            bufs.request.extend_from_slice(b"\r\n");
            conn.send(&bufs.request)?;
            read_classic_replies(
                conn,
                keys,
                &requested,
                value_cap,
                bufs,
                &mut outcome,
                &mut on_item,
            )?;
        }
    }
    Ok(outcome)
}

fn build_meta_request(keys: &KeyBatch, want_cas: bool, out: &mut Vec<u8>) {
    out.clear();
    for (i, key) in keys.iter().enumerate() {
        out.extend_from_slice(b"mg ");
        let binary = !is_text_safe(key);
        if binary {
            base64_encode_into(key, out);
        } else {
            out.extend_from_slice(key);
        }
        // u: do not bump the item in the LRU (an audit leaves the cache as it found it, and
        // items moving between LRUs would hide them from the concurrent metadump).
        out.extend_from_slice(if binary {
            b" b v f u q O"
        } else {
            b" v f u q O"
        });
        push_decimal(out, i);
        if want_cas {
            out.extend_from_slice(b" c");
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"mn\r\n");
}

/// Appends `n` in decimal without allocating.
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

fn read_meta_replies(
    conn: &mut Connection,
    batch_len: usize,
    value_cap: usize,
    bufs: &mut FetchBuffers,
    outcome: &mut BatchOutcome,
    on_item: &mut impl FnMut(FetchedItem<'_>),
) -> Result<(), McError> {
    while let Some(h) = meta::next_header(conn, &mut bufs.line, batch_len)? {
        deliver(
            conn,
            h.len,
            h.index,
            h.flags,
            h.cas,
            value_cap,
            &mut bufs.value,
            outcome,
            on_item,
        )?;
    }
    Ok(())
}

fn read_classic_replies(
    conn: &mut Connection,
    keys: &KeyBatch,
    requested: &[usize],
    value_cap: usize,
    bufs: &mut FetchBuffers,
    outcome: &mut BatchOutcome,
    on_item: &mut impl FnMut(FetchedItem<'_>),
) -> Result<(), McError> {
    let mut next = 0;
    loop {
        conn.read_line(&mut bufs.line)?;
        let line = &bufs.line;
        if line == b"END" {
            return Ok(());
        }
        let Some(rest) = line.strip_prefix(b"VALUE ") else {
            conn.check_error_line(line, "get")?;
            return Err(
                conn.protocol_error(format!("unexpected reply to `get`: {}", quote_reply(line)))
            );
        };
        let mut tokens = rest.split(|&b| b == b' ');
        let key = tokens.next().unwrap_or_default();
        let flags = tokens
            .next()
            .and_then(parse_u64)
            .and_then(|n| u32::try_from(n).ok());
        let len = tokens.next().and_then(parse_u64);
        let cas = tokens.next().and_then(parse_u64);
        // Hits come back in request order: the key is one of those not yet passed.
        let position = requested
            .get(next..)
            .and_then(|rest| rest.iter().position(|&i| keys.get(i) == Some(key)));
        let (Some(flags), Some(len), Some(position)) = (flags, len, position) else {
            return Err(conn.protocol_error(format!(
                "malformed or unexpected `get` reply: {}",
                quote_reply(line)
            )));
        };
        let Some(&index) = requested.get(next + position) else {
            return Err(conn.protocol_error("`get` reply out of order"));
        };
        next += position + 1;
        deliver(
            conn,
            len,
            index,
            flags,
            cas,
            value_cap,
            &mut bufs.value,
            outcome,
            on_item,
        )?;
    }
}

#[allow(clippy::too_many_arguments)]
fn deliver(
    conn: &mut Connection,
    len: u64,
    index: usize,
    flags: u32,
    cas: Option<u64>,
    value_cap: usize,
    value: &mut Vec<u8>,
    outcome: &mut BatchOutcome,
    on_item: &mut impl FnMut(FetchedItem<'_>),
) -> Result<(), McError> {
    outcome.found += 1;
    match usize::try_from(len) {
        Ok(len) if len <= value_cap => {
            conn.with_value(len, value, |value| {
                on_item(FetchedItem {
                    index,
                    flags,
                    value,
                    cas,
                    skipped_len: None,
                })
            })?;
        }
        _ => {
            conn.skip_value(len)?;
            on_item(FetchedItem {
                index,
                flags,
                value: &[],
                cas,
                skipped_len: Some(len),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_request_uses_base64_only_where_needed() {
        let mut out = Vec::new();
        let mut keys = KeyBatch::default();
        keys.push(b"a:1");
        keys.push(b"sp ace");
        build_meta_request(&keys, true, &mut out);
        assert_eq!(
            out,
            b"mg a:1 v f u q O0 c\r\nmg c3AgYWNl b v f u q O1 c\r\nmn\r\n".to_vec()
        );
    }

    #[test]
    fn decimals() {
        let mut out = Vec::new();
        push_decimal(&mut out, 0);
        out.push(b' ');
        push_decimal(&mut out, 1_234_567);
        assert_eq!(out, b"0 1234567");
    }

    #[test]
    fn parses_numbers_without_overflow() {
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"1x"), None);
        assert_eq!(parse_u64(b""), None);
    }
}
