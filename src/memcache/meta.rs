//! The replies of a pipelined batch of meta gets (`mg KEY v f ... q O<index>` lines ended by
//! `mn`), shared by the audit's fetch and by migrate: each `VA` header parsed and checked, the
//! misses (`EN`) passed over, `MN` the end of the batch.

use super::conn::{quote_reply, Connection, McError};

/// One `VA <len> <flags>...` header of a meta-get reply; its value follows on the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetaHeader {
    /// The value's length in bytes, as the server says (never trusted to allocate).
    pub len: u64,
    /// The batch index the request gave in its `O` (opaque) flag.
    pub index: usize,
    /// The client flags (`f`), 0 when not asked for.
    pub flags: u32,
    /// The CAS value (`c`), when asked for.
    pub cas: Option<u64>,
    /// Seconds left to live (`t`; -1 for none), -1 when not asked for.
    pub ttl: i64,
}

/// Reads the next header of the replies to a batch of `batch_len` meta gets: `None` at `MN`
/// (the end of the batch). Misses are quiet (`q`) or `EN`, passed over. A reply that is not a
/// meta-get reply, or names an index outside the batch, is a protocol error.
pub fn next_header(
    conn: &mut Connection,
    line: &mut Vec<u8>,
    batch_len: usize,
) -> Result<Option<MetaHeader>, McError> {
    loop {
        conn.read_line(line)?;
        if line == b"MN" {
            return Ok(None);
        }
        if line == b"EN" {
            continue;
        }
        let Some(rest) = line.strip_prefix(b"VA ") else {
            conn.check_error_line(line, "mg")?;
            return Err(
                conn.protocol_error(format!("unexpected reply to `mg`: {}", quote_reply(line)))
            );
        };
        let mut tokens = rest.split(|&b| b == b' ');
        let len = tokens.next().and_then(parse_u64);
        let (mut flags, mut index, mut cas, mut ttl) = (0, None, None, -1);
        for token in tokens {
            let Some((&tag, digits)) = token.split_first() else {
                continue;
            };
            match tag {
                b'f' => {
                    flags = parse_u64(digits)
                        .and_then(|n| u32::try_from(n).ok())
                        .unwrap_or(0)
                }
                b'O' => index = parse_u64(digits).and_then(|n| usize::try_from(n).ok()),
                b'c' => cas = parse_u64(digits),
                b't' => ttl = parse_i64(digits).unwrap_or(-1),
                _ => {}
            }
        }
        let (Some(len), Some(index)) = (len, index.filter(|&i| i < batch_len)) else {
            return Err(conn.protocol_error(format!("malformed `mg` reply: {}", quote_reply(line))));
        };
        return Ok(Some(MetaHeader {
            len,
            index,
            flags,
            cas,
            ttl,
        }));
    }
}

/// A decimal number of at most 20 digits, no sign.
pub fn parse_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(n)
}

/// A decimal number with an optional `-`.
pub fn parse_i64(digits: &[u8]) -> Option<i64> {
    match digits.strip_prefix(b"-") {
        Some(rest) => parse_u64(rest)
            .and_then(|n| i64::try_from(n).ok())
            .map(|n| -n),
        None => parse_u64(digits).and_then(|n| i64::try_from(n).ok()),
    }
}
