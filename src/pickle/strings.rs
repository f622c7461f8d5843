//! Decoders for the text encodings pickle arguments use, with CPython's error rules:
//! Python 2 string literals (STRING), raw-unicode-escape (UNICODE) and UTF-8 with
//! surrogates allowed (BINUNICODE and friends). Nothing here allocates from a length field.

use std::borrow::Cow;

/// Decodes the argument of a STRING opcode the way CPython 3's `load_string` does: the line
/// must be quoted with matching `'` or `"`, then `codecs.escape_decode` applies.
pub fn decode_string_literal(line: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    let quoted = line.len() >= 2
        && line.first() == line.last()
        && matches!(line.first(), Some(b'\'') | Some(b'"'));
    if !quoted {
        return Err("the STRING opcode argument must be quoted".into());
    }
    let inner = &line[1..line.len() - 1];
    escape_decode(inner)
}

/// `codecs.escape_decode`: backslash escapes of a Python 2 `str` literal.
pub fn escape_decode(s: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    if memchr::memchr(b'\\', s).is_none() {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c != b'\\' {
            // Copy the run up to the next backslash in one go.
            let rest = s.get(i..).unwrap_or_default();
            let run = memchr::memchr(b'\\', rest).unwrap_or(rest.len());
            out.extend_from_slice(rest.get(..run).unwrap_or_default());
            i += run;
            continue;
        }
        // Runs of `\xHH`, the escape Python 2 writes for every non-ASCII byte, in a tight
        // loop.
        let decoded = hex_escape_run(s.get(i..).unwrap_or_default(), &mut out);
        if decoded > 0 {
            i += 4 * decoded;
            continue;
        }
        i += 1;
        let Some(&e) = s.get(i) else {
            return Err("Trailing \\ in string".into());
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(0x0b),
            b'a' => out.push(0x07),
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match s.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((value & 0xff) as u8);
            }
            b'x' => {
                let hi = s.get(i).and_then(|b| hex_value(*b));
                let lo = s.get(i + 1).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => return Err(format!("invalid \\x escape at position {}", i - 2)),
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// Whether [`escape_decode`] of `s` gives only ASCII bytes, without building them: `None`
/// where it fails. Follows the same rules (checked against it by the tests).
pub fn escape_decode_is_ascii(s: &[u8]) -> Option<bool> {
    let mut ascii = true;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c != b'\\' {
            // The run up to the next backslash in one go (escapes in a row skip this).
            let rest = s.get(i..)?;
            let run = memchr::memchr(b'\\', rest).unwrap_or(rest.len());
            ascii &= rest.get(..run)?.is_ascii();
            i += run;
            continue;
        }
        // Runs of `\xHH` in a tight loop: the byte is ASCII when H < 8.
        let mut high = 0u8;
        let mut decoded = 0;
        for chunk in s.get(i..)?.chunks_exact(4) {
            let &[b'\\', b'x', h, l] = chunk else {
                break;
            };
            let (h, l) = (HEX[usize::from(h)], HEX[usize::from(l)]);
            if (h | l) >= 16 {
                break;
            }
            high |= h;
            decoded += 1;
        }
        if decoded > 0 {
            ascii &= high < 8;
            i += 4 * decoded;
            continue;
        }
        let e = *s.get(i + 1)?;
        i += 2;
        match e {
            b'x' => {
                let h = HEX[usize::from(*s.get(i)?)];
                let l = HEX[usize::from(*s.get(i + 1)?)];
                if (h | l) >= 16 {
                    return None;
                }
                ascii &= h < 8;
                i += 2;
            }
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match s.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                ascii &= (value & 0xff) < 0x80;
            }
            // `\n` gives nothing, the named escapes ASCII bytes, any other byte itself after
            // the backslash.
            other => ascii &= other.is_ascii(),
        }
    }
    Some(ascii)
}

/// Decodes the `\xHH` escapes at the start of `s` into `out`, up to the first byte that is
/// not part of one; returns how many were decoded. Decodes through a small stack buffer so
/// that the loop does no capacity check per byte.
#[inline]
fn hex_escape_run(s: &[u8], out: &mut Vec<u8>) -> usize {
    let mut decoded = 0;
    for chunks in s.chunks(4 * 64) {
        let mut buf = [0u8; 64];
        let mut n = 0;
        for (slot, chunk) in buf.iter_mut().zip(chunks.chunks_exact(4)) {
            let &[b'\\', b'x', h, l] = chunk else {
                break;
            };
            let (h, l) = (HEX[usize::from(h)], HEX[usize::from(l)]);
            if (h | l) >= 16 {
                break;
            }
            *slot = (h << 4) | l;
            n += 1;
        }
        out.extend_from_slice(buf.get(..n).unwrap_or_default());
        decoded += n;
        if n < 64 {
            break;
        }
    }
    decoded
}

/// Value of every hexadecimal digit byte; 0xff for the other bytes.
static HEX: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

fn hex_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'a'..=b'f' => Some(u32::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u32::from(b - b'A' + 10)),
        _ => None,
    }
}

/// Decodes `raw-unicode-escape` (the UNICODE opcode): bytes are Latin-1 code points, and
/// `\uXXXX` / `\UXXXXXXXX` are escapes when preceded by an odd number of backslashes.
/// Lone surrogates (which Python allows) come out as U+FFFD.
pub fn decode_raw_unicode_escape(s: &[u8]) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if c != b'\\' {
            out.push(char::from(c));
            i += 1;
            continue;
        }
        let run_start = i;
        while s.get(i) == Some(&b'\\') {
            i += 1;
        }
        let run = i - run_start;
        let escape = run % 2 == 1 && matches!(s.get(i), Some(b'u') | Some(b'U'));
        let literal = if escape { run - 1 } else { run };
        out.extend(std::iter::repeat_n('\\', literal));
        if !escape {
            continue;
        }
        let count = if s.get(i) == Some(&b'u') { 4 } else { 8 };
        i += 1;
        let mut value: u32 = 0;
        for _ in 0..count {
            match s.get(i).and_then(|b| hex_value(*b)) {
                Some(d) => value = value * 16 + d,
                None => {
                    return Err(if count == 4 {
                        "truncated \\uXXXX escape".into()
                    } else {
                        "truncated \\UXXXXXXXX escape".into()
                    })
                }
            }
            i += 1;
        }
        if value > 0x10ffff {
            return Err("\\Uxxxxxxxx out of range".into());
        }
        out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
    }
    Ok(out)
}

/// Decodes UTF-8 with `surrogatepass` (as CPython's pickle does for BINUNICODE): encoded
/// surrogates are accepted and come out as U+FFFD; anything else invalid is an error.
pub fn decode_utf8_surrogatepass(s: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Ok(text) = std::str::from_utf8(s) {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return Ok(Cow::Owned(out));
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                // An encoded surrogate: ED A0..BF 80..BF.
                match bad {
                    [0xed, b1, b2, ..]
                        if (0xa0..=0xbf).contains(b1) && (0x80..=0xbf).contains(b2) =>
                    {
                        out.push('\u{fffd}');
                        rest = &bad[3..];
                    }
                    _ => {
                        return Err(format!(
                            "'utf-8' codec can't decode byte 0x{:02x} in position {}",
                            bad.first().copied().unwrap_or(0),
                            s.len() - bad.len()
                        ))
                    }
                }
            }
        }
    }
}

/// Renders bytes the way Python 3 shows a `bytes` literal body (without the `b'...'`).
pub fn bytes_repr_body(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{:02x}", b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_check_agrees_with_decoding() {
        let alphabet = b"\\x07afgAF89'\n\xe9 ";
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 9) as usize;
            let s: Vec<u8> = (0..len)
                .map(|k| alphabet[((seed >> (6 + 5 * k)) % alphabet.len() as u64) as usize])
                .collect();
            let decoded = escape_decode(&s).ok().map(|b| b.is_ascii());
            assert_eq!(escape_decode_is_ascii(&s), decoded, "{:?}", s);
        }
    }

    #[test]
    fn string_literals() {
        assert_eq!(&*decode_string_literal(b"'abc'").unwrap(), b"abc");
        assert_eq!(
            &*decode_string_literal(b"'\\xe7\\x88\\xb1'").unwrap(),
            "爱".as_bytes()
        );
        assert_eq!(
            &*decode_string_literal(b"'a\\'b\\n\\101\\q'").unwrap(),
            b"a'b\nA\\q"
        );
        assert_eq!(
            &*escape_decode(b"xx\\x41yy\\\\zz\\\nw\\0end").unwrap(),
            b"xxAyy\\zzw\0end"
        );
        assert!(decode_string_literal(b"abc").is_err());
        assert!(decode_string_literal(b"'\\x4'").is_err());
        assert!(decode_string_literal(b"'\\'").is_err());
    }

    #[test]
    fn raw_unicode_escape() {
        assert_eq!(decode_raw_unicode_escape(b"a\\u7231").unwrap(), "a爱");
        assert_eq!(
            decode_raw_unicode_escape(b"\\\\u0041").unwrap(),
            "\\\\u0041"
        );
        assert_eq!(decode_raw_unicode_escape(b"\\\\\\u0041").unwrap(), "\\\\A");
        assert_eq!(decode_raw_unicode_escape(b"\xe9").unwrap(), "é");
        assert!(decode_raw_unicode_escape(b"\\u12").is_err());
        assert!(decode_raw_unicode_escape(b"\\U00110000").is_err());
    }

    #[test]
    fn utf8_surrogatepass() {
        assert_eq!(decode_utf8_surrogatepass("爱".as_bytes()).unwrap(), "爱");
        assert_eq!(
            decode_utf8_surrogatepass(b"a\xed\xa0\x80b").unwrap(),
            "a\u{fffd}b"
        );
        assert!(decode_utf8_surrogatepass(b"\xff").is_err());
    }
}
