//! Source encodings: the PEP 263 cookie and exact decode/encode round trips.

use super::DecodeError;

/// The encoding a source file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    /// UTF-8 (the default, and what a BOM means).
    Utf8,
    /// ISO-8859-1 (also used for `ascii` cookies: every byte maps to one char and back).
    Latin1,
    /// Any other encoding encoding_rs knows (cp1252, shift_jis, euc-jp, koi8-r ...).
    Other(&'static encoding_rs::Encoding),
}

impl SourceEncoding {
    /// Maps a cookie's encoding name the way Python normalises it.
    pub fn from_cookie(name: &str) -> Option<SourceEncoding> {
        let norm = name.to_ascii_lowercase().replace('_', "-");
        if norm == "utf-8" || norm == "utf8" || norm.starts_with("utf-8-") {
            return Some(SourceEncoding::Utf8);
        }
        let latin1 = [
            "latin-1",
            "iso-8859-1",
            "iso-latin-1",
            "latin1",
            "iso8859-1",
            "l1",
            "8859",
            "cp819",
        ];
        let ascii = ["ascii", "us-ascii", "646"];
        if latin1
            .iter()
            .any(|l| norm == *l || norm.starts_with(&format!("{l}-")))
            || ascii.contains(&norm.as_str())
        {
            return Some(SourceEncoding::Latin1);
        }
        encoding_rs::Encoding::for_label(norm.as_bytes())
            .or_else(|| encoding_rs::Encoding::for_label(name.as_bytes()))
            .map(|e| {
                if e == encoding_rs::UTF_8 {
                    SourceEncoding::Utf8
                } else {
                    SourceEncoding::Other(e)
                }
            })
    }

    /// The encoding's name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "utf-8",
            SourceEncoding::Latin1 => "latin-1",
            SourceEncoding::Other(e) => e.name(),
        }
    }

    /// Decodes exactly: fails unless encoding the result gives back the same bytes.
    pub(super) fn decode(&self, bytes: &[u8]) -> Result<String, DecodeError> {
        let undecodable = |offset| DecodeError::Undecodable {
            encoding: self.name().to_string(),
            offset,
        };
        match self {
            SourceEncoding::Utf8 => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(s.to_string()),
                Err(e) => Err(undecodable(e.valid_up_to())),
            },
            SourceEncoding::Latin1 => Ok(bytes.iter().map(|&b| b as char).collect()),
            SourceEncoding::Other(enc) => {
                let text = enc
                    .decode_without_bom_handling_and_without_replacement(bytes)
                    .ok_or_else(|| undecodable(0))?
                    .into_owned();
                let mut back = Vec::with_capacity(bytes.len());
                self.encode_into(&text, &mut back)
                    .map_err(|_| undecodable(0))?;
                if back != bytes {
                    let at = back
                        .iter()
                        .zip(bytes)
                        .position(|(a, b)| a != b)
                        .unwrap_or(0);
                    return Err(undecodable(at));
                }
                Ok(text)
            }
        }
    }

    /// Appends the encoded text to `out`.
    pub(super) fn encode_into(&self, text: &str, out: &mut Vec<u8>) -> Result<(), String> {
        match self {
            SourceEncoding::Utf8 => out.extend_from_slice(text.as_bytes()),
            SourceEncoding::Latin1 => {
                for c in text.chars() {
                    let b = u8::try_from(u32::from(c))
                        .map_err(|_| format!("character {c:?} cannot be written in latin-1"))?;
                    out.push(b);
                }
            }
            SourceEncoding::Other(enc) => {
                let (bytes, _, unmappable) = enc.encode(text);
                if unmappable {
                    return Err(format!(
                        "the text has characters {} cannot represent",
                        enc.name()
                    ));
                }
                out.extend_from_slice(&bytes);
            }
        }
        Ok(())
    }
}

/// The encoding named by a PEP 263 cookie on the first or second line, if any.
///
/// The second line counts only when the first is blank or a comment, as in Python.
pub fn coding_cookie(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|&b| b == b'\n').take(2);
    let first = lines.next()?;
    if let Some(name) = cookie_in_line(first) {
        return Some(name);
    }
    let first_trim = trim_start(first);
    if !(first_trim.is_empty() || first_trim.starts_with(b"#") || first_trim == b"\r") {
        return None;
    }
    cookie_in_line(lines.next()?)
}

fn trim_start(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
        .count();
    &line[n..]
}

/// Matches `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
fn cookie_in_line(line: &[u8]) -> Option<String> {
    let rest = trim_start(line).strip_prefix(b"#")?;
    let mut i = 0;
    while let Some(pos) = find(&rest[i..], b"coding") {
        let after = i + pos + 6;
        if let Some(&sep) = rest.get(after) {
            if sep == b':' || sep == b'=' {
                let value = &rest[after + 1..];
                let value = &value[value
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .count()..];
                let len = value
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
                    .count();
                if len > 0 {
                    return Some(String::from_utf8_lossy(&value[..len]).into_owned());
                }
            }
        }
        i = after;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies() {
        assert_eq!(
            coding_cookie(b"# -*- coding: latin-1 -*-\n").as_deref(),
            Some("latin-1")
        );
        assert_eq!(
            coding_cookie(b"#!/usr/bin/python\n# vim: set fileencoding=utf-8 :\n").as_deref(),
            Some("utf-8")
        );
        assert_eq!(coding_cookie(b"import os\n# coding: latin-1\n"), None);
        assert_eq!(coding_cookie(b"x = 1 # coding: latin-1\n"), None);
        assert_eq!(
            SourceEncoding::from_cookie("ISO-8859-1"),
            Some(SourceEncoding::Latin1)
        );
        assert_eq!(
            SourceEncoding::from_cookie("utf_8"),
            Some(SourceEncoding::Utf8)
        );
        assert_eq!(
            SourceEncoding::from_cookie("cp1252"),
            Some(SourceEncoding::Other(encoding_rs::WINDOWS_1252))
        );
    }

    #[test]
    fn cp1252_round_trips() {
        let bytes = b"# coding: cp1252\ns = '\x80\x93'\n";
        let file = crate::source::SourceFile::decode(bytes).unwrap();
        assert!(file.text.contains('€'));
        assert_eq!(file.encode(&file.text).unwrap(), bytes);
    }
}
