//! Memcached keys as raw bytes: decoding them from `lru_crawler metadump` output (URL-encoded),
//! writing them into requests (as is, or base64 for the meta protocol's `b` flag), and showing
//! them to people.

/// Longest key memcached accepts, in bytes.
pub const MAX_KEY_LEN: usize = 250;

/// Decodes a `%XX`-encoded key as `lru_crawler metadump` prints it. A `%` that is not followed by
/// two hex digits is kept literally (the server never writes one, but garbage must not panic).
pub fn url_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    url_decode_into(text, &mut out);
    out
}

/// [`url_decode`], appending to `out`.
pub fn url_decode_into(text: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < text.len() {
        let byte = text[i];
        if byte == b'%' {
            let hi = text.get(i + 1).copied().and_then(hex_value);
            let lo = text.get(i + 2).copied().and_then(hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
}

/// A batch of keys stored back to back in one buffer (two allocations a batch, not one a key).
#[derive(Debug, Default, Clone)]
pub struct KeyBatch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl KeyBatch {
    /// An empty batch with room for `keys` keys.
    pub fn with_capacity(keys: usize) -> KeyBatch {
        KeyBatch {
            bytes: Vec::with_capacity(keys.saturating_mul(32)),
            ends: Vec::with_capacity(keys),
        }
    }

    /// Appends a key.
    pub fn push(&mut self, key: &[u8]) {
        self.bytes.extend_from_slice(key);
        self.ends.push(self.bytes.len());
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes of memory the batch holds (for the spool's accounting).
    pub fn byte_size(&self) -> usize {
        self.bytes.len() + self.ends.len() * std::mem::size_of::<usize>()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The key at `index`.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(previous) => *self.ends.get(previous)?,
            None => 0,
        };
        self.bytes.get(start..end)
    }

    /// The keys in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// True when the key can be sent as is in a text-protocol command: 1 to 250 bytes, none of
/// them a space or a control character. Other keys (stored through the binary or meta protocol)
/// can only be fetched with the meta protocol's base64 form.
pub fn is_text_safe(key: &[u8]) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.iter().all(|&b| b > b' ' && b != 0x7f)
}

/// A key as people read it: printable UTF-8 is shown as is; any other byte, and `%` itself, as
/// `%XX` (the form `lru_crawler metadump` uses), so the text is unambiguous and round-trips
/// through [`url_decode`].
pub fn display_key(key: &[u8]) -> String {
    let mut out = String::with_capacity(key.len());
    match std::str::from_utf8(key) {
        Ok(text) => {
            for c in text.chars() {
                if c.is_control() || c == ' ' || c == '%' {
                    let mut buf = [0u8; 4];
                    for &b in c.encode_utf8(&mut buf).as_bytes() {
                        push_escaped(&mut out, b);
                    }
                } else {
                    out.push(c);
                }
            }
        }
        Err(_) => {
            for &b in key {
                if b > b' ' && b < 0x7f && b != b'%' {
                    out.push(char::from(b));
                } else {
                    push_escaped(&mut out, b);
                }
            }
        }
    }
    out
}

fn push_escaped(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 15)]));
}

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the standard (padded) base64 form of `data` to `out`, as the meta protocol's `b` flag
/// expects.
pub fn base64_encode_into(data: &[u8], out: &mut Vec<u8>) {
    for chunk in data.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = u32::from(b0) << 16 | u32::from(b1) << 8 | u32::from(b2);
        let sextet = |shift: u32| BASE64_ALPHABET[((n >> shift) & 63) as usize];
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { b'=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { b'=' });
    }
}

/// The group a key is counted under: everything before the first `delimiter`, or the whole key's
/// "no prefix" group when the delimiter does not occur. With `django` set, a Django cache key
/// (`KEY_PREFIX:VERSION:key`) is grouped as `KEY_PREFIX:VERSION:` followed by the first segment
/// of the application's own key.
pub fn key_prefix<'k>(key: &'k [u8], delimiter: &[u8], django: bool) -> &'k [u8] {
    if delimiter.is_empty() {
        return b"";
    }
    let mut start = 0;
    if django {
        if let Some(after_version) = django_user_key_start(key) {
            start = after_version;
        }
    }
    let rest = key.get(start..).unwrap_or_default();
    let found = match delimiter {
        [byte] => memchr::memchr(*byte, rest),
        _ => memchr::memmem::find(rest, delimiter),
    };
    match found {
        Some(pos) => key.get(..start + pos).unwrap_or_default(),
        None if start > 0 => key.get(..start).unwrap_or_default(),
        None => b"",
    }
}

/// Where the application's key starts in a Django cache key `KEY_PREFIX:VERSION:key`: just
/// after the first `:<digits>:`.
pub fn django_user_key_start(key: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(pos) = memchr::memchr(b':', key.get(i..)?) {
        let colon = i + pos;
        let digits = key
            .get(colon + 1..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 && key.get(colon + 1 + digits) == Some(&b':') {
            return Some(colon + digits + 2);
        }
        i = colon + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_decode_handles_escapes_and_garbage() {
        assert_eq!(url_decode(b"sp%20ace%01%FF"), b"sp ace\x01\xff");
        assert_eq!(url_decode(b"100%"), b"100%");
        assert_eq!(url_decode(b"%zz%4"), b"%zz%4");
    }

    #[test]
    fn key_batch_holds_keys_back_to_back() {
        let mut batch = KeyBatch::with_capacity(2);
        batch.push(b"a:1");
        batch.push(b"");
        batch.push(b"bb");
        assert_eq!(batch.len(), 3);
        assert_eq!(batch.get(0), Some(&b"a:1"[..]));
        assert_eq!(batch.get(1), Some(&b""[..]));
        assert_eq!(batch.get(2), Some(&b"bb"[..]));
        assert_eq!(batch.get(3), None);
        assert_eq!(batch.iter().count(), 3);
    }

    #[test]
    fn text_safety() {
        assert!(is_text_safe(b"user:1"));
        assert!(is_text_safe("caf\u{e9}".as_bytes()));
        assert!(!is_text_safe(b"a b"));
        assert!(!is_text_safe(b""));
        assert!(!is_text_safe(&[b'a'; 251]));
    }

    #[test]
    fn display_escapes_only_what_it_must() {
        assert_eq!(display_key(b"user:1"), "user:1");
        assert_eq!(display_key(b"sp ace\x01\xff"), "sp%20ace%01%FF");
        assert_eq!(display_key("caf\u{e9} x".as_bytes()), "caf\u{e9}%20x");
        assert_eq!(url_decode(display_key(b"50%\xfe").as_bytes()), b"50%\xfe");
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        let mut out = Vec::new();
        base64_encode_into(b"sp ace\x01\xff", &mut out);
        assert_eq!(out, b"c3AgYWNlAf8=");
        out.clear();
        base64_encode_into(b"ab", &mut out);
        assert_eq!(out, b"YWI=");
    }

    #[test]
    fn prefixes() {
        assert_eq!(key_prefix(b"user:1:name", b":", false), b"user");
        assert_eq!(key_prefix(b"plain", b":", false), b"");
        assert_eq!(key_prefix(b":1:views:abc", b":", true), b":1:views");
        assert_eq!(key_prefix(b"site:12:sess", b":", true), b"site:12:");
        assert_eq!(key_prefix(b"a:b:1:c", b":", true), b"a:b:1:");
        assert_eq!(key_prefix(b"nodjango", b":", true), b"");
    }
}
