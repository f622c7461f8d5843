//! The verdict on one cache item: decompress it if its flags say so, and run pickled values
//! through [`crate::pickle::audit`]. No I/O.

use serde::Serialize;

use super::convention::{decode_flags, ClientConvention, ValueKind};
use crate::pickle::verdict::Detail;
use crate::pickle::{self, BlobAudit};

/// Default bound on a decompressed value (`--max-blob-size`): a zlib bomb stops here and is
/// reported unreadable ("decompressed size over the limit"). Each fetching thread keeps one
/// buffer of at most this size.
pub const MAX_DECOMPRESSED_LEN: usize = crate::pickle::container::DEFAULT_MAX_BLOB_SIZE;

/// Where one item stands for the crossing between Python 2 and Python 3. Exactly one per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Pickle that loads on Python 2 and on Python 3 with the default encoding.
    LoadsOnBoth,
    /// Pickle that loads on Python 3 only with `encoding="latin1"` (Python 2 `str` inside).
    NeedsLatin1,
    /// Pickle that loads on Python 3 only with `encoding="bytes"`.
    NeedsBytes,
    /// Pickle that loads on Python 2 but not on Python 3 with any encoding.
    Py2Only,
    /// Pickle that loads on Python 3 but not on Python 2 (protocol 3+, Python 3 names).
    Py3Only,
    /// Pickle, or compressed value, that cannot be read at all.
    Unreadable,
    /// Not a pickle: raw bytes, text, int, long or bool.
    NotPickled,
    /// Flags no known Python client writes.
    UnknownFlags,
}

impl Verdict {
    /// Every verdict, in report order.
    pub const ALL: [Verdict; 8] = [
        Verdict::LoadsOnBoth,
        Verdict::NeedsLatin1,
        Verdict::NeedsBytes,
        Verdict::Py2Only,
        Verdict::Py3Only,
        Verdict::Unreadable,
        Verdict::NotPickled,
        Verdict::UnknownFlags,
    ];

    /// The name used in JSON and in `--only`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::LoadsOnBoth => "loads_on_both",
            Verdict::NeedsLatin1 => "needs_latin1",
            Verdict::NeedsBytes => "needs_bytes",
            Verdict::Py2Only => "py2_only",
            Verdict::Py3Only => "py3_only",
            Verdict::Unreadable => "unreadable",
            Verdict::NotPickled => "not_pickled",
            Verdict::UnknownFlags => "unknown_flags",
        }
    }

    /// True for verdicts worth showing sample keys for.
    pub fn is_problem(self) -> bool {
        !matches!(self, Verdict::LoadsOnBoth | Verdict::NotPickled)
    }
}

/// Everything known about one item after analysis.
#[derive(Debug, Clone)]
pub struct ItemAnalysis {
    /// The item's verdict.
    pub verdict: Verdict,
    /// What the flags say the value is.
    pub kind: ValueKind,
    /// True when the value was stored zlib-compressed.
    pub compressed: bool,
    /// The pickle auditor's answer, for pickled values it could be given.
    pub audit: Option<BlobAudit>,
    /// Why the value could not be analysed (decompression failed, too large).
    pub error: Option<String>,
}

impl ItemAnalysis {
    /// True when Python 2 loads the pickle.
    pub fn py2_loadable(&self) -> bool {
        self.audit.as_ref().is_some_and(|a| a.py2_loadable)
    }

    /// True when Python 3 loads the pickle with the default encoding (`ASCII`).
    pub fn py3_loadable(&self) -> bool {
        self.audit.as_ref().is_some_and(|a| a.py3_loadable.ascii)
    }

    /// True when the pickle auditor found something dangerous (code execution on load).
    pub fn dangerous(&self) -> bool {
        self.audit.as_ref().is_some_and(|a| a.dangerous)
    }
}

/// Analyses one item's value, with the pickle auditor's findings and globals. `scratch` is
/// reused for decompression.
pub fn analyse(
    convention: ClientConvention,
    flags: u32,
    value: &[u8],
    scratch: &mut Vec<u8>,
) -> ItemAnalysis {
    analyse_with(
        convention,
        flags,
        value,
        scratch,
        Detail::Full,
        MAX_DECOMPRESSED_LEN,
    )
}

/// Like [`analyse`]; with [`Detail::VerdictOnly`] the audit has no findings and no globals
/// (same verdict, faster: for scans that only count). A compressed value inflates into
/// `scratch`, at most `max_blob_size` bytes.
pub fn analyse_with(
    convention: ClientConvention,
    flags: u32,
    value: &[u8],
    scratch: &mut Vec<u8>,
    detail: Detail,
    max_blob_size: usize,
) -> ItemAnalysis {
    let meaning = decode_flags(convention, flags, value);
    let mut analysis = ItemAnalysis {
        verdict: Verdict::NotPickled,
        kind: meaning.kind,
        compressed: meaning.compressed,
        audit: None,
        error: None,
    };
    match meaning.kind {
        ValueKind::Unknown => {
            analysis.verdict = Verdict::UnknownFlags;
            return analysis;
        }
        ValueKind::Pickle => {}
        _ => {
            // Not a pickle: still check that a compressed value inflates.
            if meaning.compressed {
                if let Err(e) = inflate(value, scratch, max_blob_size) {
                    analysis.verdict = Verdict::Unreadable;
                    analysis.error = Some(e);
                }
            }
            return analysis;
        }
    }
    let data = if meaning.compressed {
        match inflate(value, scratch, max_blob_size) {
            Ok(()) => scratch.as_slice(),
            Err(e) => {
                analysis.verdict = Verdict::Unreadable;
                analysis.error = Some(e);
                return analysis;
            }
        }
    } else {
        value
    };
    let audit = match detail {
        Detail::Full => pickle::audit(data),
        Detail::VerdictOnly => pickle::verdict::audit_verdict(data),
    };
    analysis.verdict = pickle_verdict(&audit);
    analysis.audit = Some(audit);
    analysis
}

/// The verdict for a pickle from the auditor's answer.
pub fn pickle_verdict(audit: &BlobAudit) -> Verdict {
    let py3 = audit.py3_loadable;
    if audit.error.is_some() {
        Verdict::Unreadable
    } else if audit.py2_loadable && py3.ascii {
        Verdict::LoadsOnBoth
    } else if audit.py2_loadable && py3.latin1 {
        Verdict::NeedsLatin1
    } else if audit.py2_loadable && py3.bytes {
        Verdict::NeedsBytes
    } else if audit.py2_loadable {
        Verdict::Py2Only
    } else if py3.ascii || py3.latin1 || py3.bytes {
        Verdict::Py3Only
    } else {
        Verdict::Unreadable
    }
}

/// An analysis for a value too large to read.
pub fn too_large(convention: ClientConvention, flags: u32, len: u64) -> ItemAnalysis {
    let meaning = decode_flags(convention, flags, b"");
    ItemAnalysis {
        verdict: Verdict::Unreadable,
        kind: meaning.kind,
        compressed: meaning.compressed,
        audit: None,
        error: Some(format!("value of {len} bytes is over the audit's size cap")),
    }
}

/// Inflates a zlib stream (the format `zlib.compress` writes) into `out`, streaming, up to
/// `max` bytes.
fn inflate(data: &[u8], out: &mut Vec<u8>, max: usize) -> Result<(), String> {
    use crate::pickle::container::{decompress_into, Compression, DecompressError};
    match decompress_into(data, Compression::Zlib, max, out) {
        Ok(()) => Ok(()),
        Err(e @ DecompressError::TooLarge { .. }) => Err(e.to_string()),
        Err(DecompressError::Corrupt { message, .. }) => Err(format!(
            "flagged zlib-compressed but does not inflate: {message}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pickle::Py3Loadable;

    fn audit(py2: bool, ascii: bool, latin1: bool, bytes: bool) -> BlobAudit {
        BlobAudit {
            py2_loadable: py2,
            py3_loadable: Py3Loadable {
                ascii,
                latin1,
                bytes,
            },
            ..Default::default()
        }
    }

    #[test]
    fn verdict_table() {
        assert_eq!(
            pickle_verdict(&audit(true, true, true, true)),
            Verdict::LoadsOnBoth
        );
        assert_eq!(
            pickle_verdict(&audit(true, false, true, true)),
            Verdict::NeedsLatin1
        );
        assert_eq!(
            pickle_verdict(&audit(true, false, false, true)),
            Verdict::NeedsBytes
        );
        assert_eq!(
            pickle_verdict(&audit(true, false, false, false)),
            Verdict::Py2Only
        );
        assert_eq!(
            pickle_verdict(&audit(false, true, true, true)),
            Verdict::Py3Only
        );
        assert_eq!(
            pickle_verdict(&audit(false, false, false, false)),
            Verdict::Unreadable
        );
        let mut broken = audit(true, true, true, true);
        broken.error = Some("truncated".into());
        assert_eq!(pickle_verdict(&broken), Verdict::Unreadable);
    }

    #[test]
    fn raw_values_are_not_pickled_and_bad_zlib_is_unreadable() {
        let mut scratch = Vec::new();
        let a = analyse(ClientConvention::Auto, 0, b"hello", &mut scratch);
        assert_eq!((a.verdict, a.kind), (Verdict::NotPickled, ValueKind::Bytes));
        let a = analyse(ClientConvention::Auto, 9, b"not zlib", &mut scratch);
        assert_eq!(a.verdict, Verdict::Unreadable);
        assert!(a.error.unwrap().contains("does not inflate"));
        let a = analyse(ClientConvention::Auto, 0x400, b"x", &mut scratch);
        assert_eq!(a.verdict, Verdict::UnknownFlags);
    }

    #[test]
    fn verdict_only_analysis_counts_the_same() {
        let mut scratch = Vec::new();
        // Python 2.7 `pickle.dumps({'a': '\xe9'}, 0)` and a Python 3 protocol 4 str.
        for (flags, value) in [
            (1, &b"(dp0\nS'a'\np1\nS'\\xe9'\np2\ns."[..]),
            (
                1,
                &b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94."[..],
            ),
        ] {
            let full = analyse(ClientConvention::Auto, flags, value, &mut scratch);
            let quick = analyse_with(
                ClientConvention::Auto,
                flags,
                value,
                &mut scratch,
                Detail::VerdictOnly,
                MAX_DECOMPRESSED_LEN,
            );
            assert_eq!(quick.verdict, full.verdict);
            let (q, f) = (quick.audit.unwrap(), full.audit.unwrap());
            assert_eq!(
                (q.py2_loadable, q.py3_loadable, q.dangerous),
                (f.py2_loadable, f.py3_loadable, f.dangerous)
            );
            assert!(q.findings.is_empty() && !f.findings.is_empty());
        }
    }

    #[test]
    fn zlib_bomb_is_capped() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..65 {
            enc.write_all(&zeros).unwrap();
        }
        let bomb = enc.finish().unwrap();
        let mut scratch = Vec::new();
        let a = analyse(ClientConvention::Auto, 9, &bomb, &mut scratch);
        assert_eq!(a.verdict, Verdict::Unreadable);
        assert!(a
            .error
            .unwrap()
            .contains("decompressed size over the limit"));
        assert!(scratch.capacity() <= MAX_DECOMPRESSED_LEN + (64 << 10));
        let small = analyse_with(
            ClientConvention::Auto,
            9,
            &bomb,
            &mut scratch,
            Detail::Full,
            1 << 20,
        );
        assert_eq!(small.verdict, Verdict::Unreadable);
    }
}
