//! What a file or memcache value holds: one pickle, several pickles in a row, a zlib- or
//! gzip-compressed pickle, or a Django file-based cache entry (an expiry pickle followed by
//! the zlib-compressed value pickle). Pure: takes bytes, returns verdicts.
//!
//! Data is read as a pickle first: it is taken for a compressed stream only when its opcodes
//! do not read through STOP and it starts with a zlib or gzip header (a protocol-0 pickle that
//! starts with `(S`, Python 2's output for a tuple beginning with a str, is also a valid zlib
//! header). Decompression streams: output over 1 MiB is measured before it is kept, so a zlib
//! bomb costs at most 1 MiB, and past `max_blob_size` the blob gets a `BLOB-TOO-LARGE`
//! finding.

use std::io::Read;

use super::reader::Reader;
use super::simulate::Limits;
use super::verdict::{audit_at, BlobAudit, Finding};

/// Default bound on the size of a decompressed blob (64 MiB), and on input read from a pipe.
pub const DEFAULT_MAX_BLOB_SIZE: usize = 64 << 20;

/// One pickle found inside some input, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundBlob {
    /// Where it sits, e.g. `""` (the whole input), `"@17"` (second pickle at offset 17),
    /// `"@17:zlib"` (zlib stream at offset 17, decompressed).
    pub location: String,
    /// Its verdict.
    pub audit: BlobAudit,
}

/// Options for [`find_blobs`].
#[derive(Debug, Clone, Copy)]
pub struct ContainerOptions {
    /// Bound on any decompressed size (`--max-blob-size`).
    pub max_blob_size: usize,
    /// Simulation limits.
    pub limits: Limits,
}

impl Default for ContainerOptions {
    fn default() -> Self {
        ContainerOptions {
            max_blob_size: DEFAULT_MAX_BLOB_SIZE,
            limits: Limits::default(),
        }
    }
}

/// Compression formats recognised by their header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// RFC 1950 zlib (`zlib.compress`).
    Zlib,
    /// RFC 1952 gzip (`gzip.compress`).
    Gzip,
}

impl Compression {
    /// `zlib` or `gzip`.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Zlib => "zlib",
            Compression::Gzip => "gzip",
        }
    }
}

/// Why a compressed stream gave no data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecompressError {
    /// It inflates to more than the limit (a bomb, or a blob larger than allowed).
    TooLarge {
        /// The format.
        kind: Compression,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The stream is corrupt.
    Corrupt {
        /// The format.
        kind: Compression,
        /// What the decoder said.
        message: String,
    },
}

impl std::fmt::Display for DecompressError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecompressError::TooLarge { kind, limit } => write!(
                f,
                "decompressed size over the limit: the {} stream inflates to more than {} bytes (--max-blob-size)",
                kind.name(),
                limit
            ),
            DecompressError::Corrupt { kind, message } => {
                write!(f, "{} stream is corrupt: {}", kind.name(), message)
            }
        }
    }
}

impl std::error::Error for DecompressError {}

/// Recognises a compressed stream header at the start of `data` (gzip's magic, or a zlib
/// header: deflate, window <= 32K, check bits). Only a header: see [`looks_compressed`].
pub fn detect_compression(data: &[u8]) -> Option<Compression> {
    match data {
        [0x1f, 0x8b, 8, ..] => Some(Compression::Gzip),
        [cmf, flg, ..]
            if cmf & 0x0f == 8
                && cmf >> 4 <= 7
                && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0 =>
        {
            Some(Compression::Zlib)
        }
        _ => None,
    }
}

/// True when the opcodes at `start` read through a STOP (lengths in range, no unknown
/// opcode, a newline after each text argument). Says nothing of the stack machine.
pub fn reads_as_pickle(data: &[u8], start: usize) -> bool {
    let mut last = None;
    for op in Reader::new(data, start) {
        match op {
            Ok(op) => last = Some(op.info.name),
            Err(_) => return false,
        }
    }
    last == Some("STOP")
}

/// The compression of data at `start` that does not read as a pickle: a header alone is not
/// enough, since `(S` (a protocol-0 tuple starting with a str) is a valid zlib header.
pub fn looks_compressed(data: &[u8], start: usize) -> Option<Compression> {
    let kind = detect_compression(data.get(start..)?)?;
    (!reads_as_pickle(data, start)).then_some(kind)
}

fn decoder<'a>(data: &'a [u8], kind: Compression) -> Box<dyn Read + 'a> {
    match kind {
        Compression::Zlib => Box::new(flate2::read::ZlibDecoder::new(data)),
        Compression::Gzip => Box::new(flate2::read::GzDecoder::new(data)),
    }
}

/// Output kept by the first decompression pass: a stream that inflates to no more is read
/// once; a larger one is measured to its end (nothing kept) and then read again into a
/// buffer of its exact size, so a bomb never costs more than this.
const FIRST_PASS: usize = 1 << 20;

/// Reads the decoder in 32 KiB pieces, handing each to `sink` until `sink` says stop (false)
/// and then only counting; stops with [`DecompressError::TooLarge`] as soon as more than
/// `max` bytes came out. Returns the decompressed size.
fn inflate_each(
    data: &[u8],
    kind: Compression,
    max: usize,
    mut sink: impl FnMut(&[u8]) -> bool,
) -> Result<usize, DecompressError> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut reader = decoder(data, kind).take(limit);
    let mut buf = vec![0u8; 32 << 10];
    let mut total = 0usize;
    let mut keeping = true;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                total = total.saturating_add(n);
                if total > max {
                    return Err(DecompressError::TooLarge { kind, limit: max });
                }
                if keeping {
                    keeping = sink(buf.get(..n).unwrap_or(&[]));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(DecompressError::Corrupt {
                    kind,
                    message: e.to_string(),
                })
            }
        }
    }
    Ok(total)
}

/// The decompressed size of `data`, measured without keeping the output (at most `max`).
pub fn decompressed_size(
    data: &[u8],
    kind: Compression,
    max: usize,
) -> Result<usize, DecompressError> {
    inflate_each(data, kind, max, |_| false)
}

/// Decompresses into `out` (cleared first; reusable), at most `max` bytes. One pass: `out`
/// grows as output comes, up to `max` (for a caller that keeps one buffer per thread).
pub fn decompress_into(
    data: &[u8],
    kind: Compression,
    max: usize,
    out: &mut Vec<u8>,
) -> Result<(), DecompressError> {
    out.clear();
    let result = inflate_each(data, kind, max, |piece| {
        out.extend_from_slice(piece);
        true
    });
    if result.is_err() {
        out.clear();
    }
    result.map(|_| ())
}

/// Decompresses at most `max` bytes. Output up to 1 MiB is read in one pass; beyond, the size
/// is measured first and the output read again into a buffer of exactly that size, so a bomb
/// or a corrupt stream never allocates more than 1 MiB.
pub fn decompress(data: &[u8], kind: Compression, max: usize) -> Result<Vec<u8>, DecompressError> {
    let mut out = Vec::new();
    let size = inflate_each(data, kind, max, |piece| {
        if out.len() + piece.len() > FIRST_PASS {
            out = Vec::new();
            return false;
        }
        out.extend_from_slice(piece);
        true
    })?;
    if out.len() == size {
        return Ok(out);
    }
    out.try_reserve_exact(size)
        .map_err(|e| DecompressError::Corrupt {
            kind,
            message: format!("cannot allocate {size} bytes: {e}"),
        })?;
    inflate_each(data, kind, max, |piece| {
        out.extend_from_slice(piece);
        true
    })?;
    Ok(out)
}

/// Finds and audits every pickle in `data`.
pub fn find_blobs(data: &[u8], options: ContainerOptions) -> Vec<FoundBlob> {
    let mut out = Vec::new();
    collect(data, "", options, 0, &mut out);
    out
}

fn collect(
    data: &[u8],
    prefix: &str,
    options: ContainerOptions,
    nesting: u32,
    out: &mut Vec<FoundBlob>,
) {
    let mut start = 0;
    while start < data.len() || (start == 0 && data.is_empty()) {
        let here = if start == 0 {
            prefix.to_string()
        } else {
            format!("{}@{}", prefix, start)
        };
        if let Some(kind) = looks_compressed(data, start) {
            let rest = data.get(start..).unwrap_or(&[]);
            let location = format!("{}:{}", here, kind.name());
            match decompress(rest, kind, options.max_blob_size) {
                Ok(inner) if nesting < 4 => {
                    collect(&inner, &location, options, nesting + 1, out);
                    return;
                }
                Ok(_) => {
                    out.push(error_blob(
                        location,
                        "compressed streams nested too deep".into(),
                    ));
                    return;
                }
                Err(e @ DecompressError::TooLarge { .. }) => {
                    out.push(too_large_blob(location, &e));
                    return;
                }
                // Neither a pickle nor a compressed stream: a header byte that is a pickle
                // opcode says more as the pickle error (below).
                Err(e) => {
                    let first = rest.first().copied().unwrap_or(0);
                    if super::opcodes::lookup(first).is_none() {
                        out.push(error_blob(location, e.to_string()));
                        return;
                    }
                }
            }
        }
        let (audit, end) = audit_at(data, start, options.limits);
        let failed = audit.error.is_some();
        out.push(FoundBlob {
            location: here,
            audit,
        });
        if failed || end <= start {
            return;
        }
        start = end;
    }
}

fn error_blob(location: String, error: String) -> FoundBlob {
    FoundBlob {
        location,
        audit: BlobAudit {
            error: Some(error),
            ..Default::default()
        },
    }
}

/// The verdict on a blob over `--max-blob-size`: unreadable, with a `BLOB-TOO-LARGE` finding.
pub fn too_large_audit(message: String) -> BlobAudit {
    BlobAudit {
        findings: vec![Finding {
            code: "BLOB-TOO-LARGE".into(),
            message: message.clone(),
        }],
        error: Some(message),
        ..Default::default()
    }
}

fn too_large_blob(location: String, e: &DecompressError) -> FoundBlob {
    FoundBlob {
        location,
        audit: too_large_audit(e.to_string()),
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn django_cache_file() {
        // pickle.dumps(1700000000.5, 5) followed by zlib.compress(pickle.dumps('hi', 5))
        let mut file = b"\x80\x05\x95\n\x00\x00\x00\x00\x00\x00\x00GA\xd9T\xfc@ \x00\x00.".to_vec();
        file.extend(zlib(
            b"\x80\x05\x95\x06\x00\x00\x00\x00\x00\x00\x00\x8c\x02hi\x94.",
        ));
        let blobs = find_blobs(&file, ContainerOptions::default());
        let locations: Vec<_> = blobs.iter().map(|b| b.location.as_str()).collect();
        assert_eq!(locations, vec!["", "@21:zlib"]);
        assert!(blobs.iter().all(|b| b.audit.error.is_none()));
    }

    #[test]
    fn decompression_is_bounded() {
        let bomb = zlib(&vec![b'N'; 1 << 20]);
        let options = ContainerOptions {
            max_blob_size: 1000,
            ..Default::default()
        };
        let blobs = find_blobs(&bomb, options);
        assert_eq!(blobs.len(), 1);
        assert_eq!(blobs[0].location, ":zlib");
        let audit = &blobs[0].audit;
        assert!(audit.error.as_deref().unwrap().contains("over the limit"));
        assert_eq!(audit.findings[0].code, "BLOB-TOO-LARGE");
        assert_eq!(
            decompressed_size(&bomb, Compression::Zlib, 2 << 20),
            Ok(1 << 20)
        );
        // Both paths of `decompress`: one pass (up to 1 MiB), measure then read (beyond).
        for n in [1000, 1 << 20, (1 << 20) + 1, 3 << 20] {
            let data: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
            assert_eq!(
                decompress(&zlib(&data), Compression::Zlib, 4 << 20),
                Ok(data)
            );
        }
    }

    /// `(S` is a valid zlib header (0x28 0x53): Python 2's protocol-0 pickles of a tuple
    /// starting with a str must still be read as pickles.
    #[test]
    fn protocol_0_tuples_are_not_zlib() {
        // Python 2.7: pickle.dumps(('alice', 1), 0)
        let tuple = b"(S'alice'\np0\nI1\ntp1\n.";
        assert_eq!(detect_compression(tuple), Some(Compression::Zlib));
        assert_eq!(looks_compressed(tuple, 0), None);
        let blobs = find_blobs(tuple, ContainerOptions::default());
        assert_eq!(blobs.len(), 1);
        assert_eq!(blobs[0].location, "");
        assert!(blobs[0].audit.error.is_none() && blobs[0].audit.py2_loadable);
        let system = b"(S'id'\nios\nsystem\n.";
        let blobs = find_blobs(system, ContainerOptions::default());
        assert_eq!(blobs[0].location, "");
        assert!(blobs[0].audit.dangerous, "{:?}", blobs[0].audit);
        // A truncated `(S` pickle is a pickle error, not a corrupt zlib stream.
        let blobs = find_blobs(b"(S'alice", ContainerOptions::default());
        assert!(blobs[0]
            .audit
            .error
            .as_deref()
            .unwrap()
            .contains("truncated"));
        // A real zlib stream whose header starts with 0x78 still decompresses.
        let packed = zlib(tuple);
        assert_eq!(looks_compressed(&packed, 0), Some(Compression::Zlib));
        let blobs = find_blobs(&packed, ContainerOptions::default());
        assert_eq!(blobs[0].location, ":zlib");
        assert!(blobs[0].audit.error.is_none());
    }
}
