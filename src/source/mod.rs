//! Source files: bytes on disk <-> decoded text, and atomic writes.
//!
//! A file is decoded by its BOM or its PEP 263 coding cookie (UTF-8 when it has neither) into a
//! `String` that keeps every newline as it was (`\n`, `\r\n`, `\r`). Encoding the text back gives the
//! original bytes exactly, so everything outside an edit is preserved byte for byte.

mod encoding;
mod lines;
mod write;

pub use encoding::{coding_cookie, SourceEncoding};
pub use lines::LineIndex;
pub use write::{
    is_temporary_name, kind_name, note_temporary, read_regular, replace_file,
    sweep_noted_temporaries, write_atomic, Refusal, WritePolicy,
};

/// Why a file was not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte: not a text file.
    Binary,
    /// The coding cookie names an encoding we do not know.
    UnknownEncoding(String),
    /// The bytes are not valid in the file's encoding.
    Undecodable { encoding: String, offset: usize },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Binary => write!(f, "binary file (contains a NUL byte)"),
            DecodeError::UnknownEncoding(name) => write!(f, "unknown encoding in coding cookie: {name:?}"),
            DecodeError::Undecodable { encoding, offset } => write!(
                f,
                "cannot decode as {encoding} at byte {offset} (add a PEP 263 coding cookie naming the file's encoding)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A decoded source file: its text and how to turn the text back into bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The text without the BOM, newlines as in the file.
    pub text: String,
    pub encoding: SourceEncoding,
    /// The file started with a UTF-8 byte order mark.
    pub bom: bool,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl SourceFile {
    /// Decodes the bytes of a Python source file.
    pub fn decode(bytes: &[u8]) -> Result<SourceFile, DecodeError> {
        if memchr_nul(bytes) {
            return Err(DecodeError::Binary);
        }
        let (bom, body) = match bytes.strip_prefix(UTF8_BOM) {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let encoding = match coding_cookie(body) {
            Some(name) => {
                SourceEncoding::from_cookie(&name).ok_or(DecodeError::UnknownEncoding(name))?
            }
            None => SourceEncoding::Utf8,
        };
        // A BOM means UTF-8 whatever the cookie says (Python rejects a conflicting cookie).
        let encoding = if bom { SourceEncoding::Utf8 } else { encoding };
        let text = encoding.decode(body)?;
        Ok(SourceFile {
            text,
            encoding,
            bom,
        })
    }

    /// Encodes `text` (this file's text after edits) back into bytes, with the BOM if it had one.
    /// Fails when the text has a character the file's encoding cannot represent.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(UTF8_BOM);
        }
        self.encoding.encode_into(text, &mut out)?;
        Ok(out)
    }
}

/// The newline the file uses first (`\n` when it has none).
pub fn first_newline(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

fn memchr_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_round_trips() {
        let bytes = b"\xEF\xBB\xBFx = u'\xC3\xA9'\r\n";
        let file = SourceFile::decode(bytes).unwrap();
        assert!(file.bom);
        assert_eq!(file.text, "x = u'é'\r\n");
        assert_eq!(file.encode(&file.text).unwrap(), bytes);
    }

    #[test]
    fn latin1_cookie_round_trips_every_byte() {
        let mut bytes = b"# -*- coding: latin-1 -*-\ns = '".to_vec();
        bytes.extend(0x80u8..=0xFF);
        bytes.extend_from_slice(b"'\n");
        let file = SourceFile::decode(&bytes).unwrap();
        assert_eq!(file.encoding, SourceEncoding::Latin1);
        assert_eq!(file.encode(&file.text).unwrap(), bytes);
    }

    #[test]
    fn undecodable_and_binary_are_errors() {
        assert!(matches!(
            SourceFile::decode(b"x = '\xE9'\n"),
            Err(DecodeError::Undecodable { offset: 5, .. })
        ));
        assert_eq!(
            SourceFile::decode(b"\x00\x01").unwrap_err(),
            DecodeError::Binary
        );
        assert!(matches!(
            SourceFile::decode(b"# coding: klingon\n"),
            Err(DecodeError::UnknownEncoding(_))
        ));
    }

    #[test]
    fn newline_style() {
        assert_eq!(first_newline("a\r\nb\n"), "\r\n");
        assert_eq!(first_newline("a\rb"), "\r");
        assert_eq!(first_newline("a"), "\n");
    }
}
