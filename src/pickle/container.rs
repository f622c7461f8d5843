//! What a file or memcache value holds: one pickle, several pickles in a row, a zlib- or
//! gzip-compressed pickle, or a Django file-based cache entry (an expiry pickle followed by
//! the zlib-compressed value pickle). Pure: takes bytes, returns verdicts.

use std::io::Read;

use super::simulate::Limits;
use super::verdict::{audit_at, BlobAudit};

/// Default bound on the size of a decompressed blob (256 MiB).
pub const DEFAULT_MAX_DECOMPRESSED: usize = 256 << 20;

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
    /// Bound on any decompressed size.
    pub max_decompressed: usize,
    /// Simulation limits.
    pub limits: Limits,
}

impl Default for ContainerOptions {
    fn default() -> Self {
        ContainerOptions {
            max_decompressed: DEFAULT_MAX_DECOMPRESSED,
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

/// Recognises a compressed stream at the start of `data`. A zlib header starts with 0x78,
/// which is no pickle opcode, so it cannot be mistaken for a pickle.
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

/// Decompresses at most `max` bytes; more is an error, as is a corrupt stream.
pub fn decompress(data: &[u8], kind: Compression, max: usize) -> Result<Vec<u8>, String> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::new();
    let result = match kind {
        Compression::Zlib => flate2::read::ZlibDecoder::new(data)
            .take(limit)
            .read_to_end(&mut out),
        Compression::Gzip => flate2::read::GzDecoder::new(data)
            .take(limit)
            .read_to_end(&mut out),
    };
    let name = match kind {
        Compression::Zlib => "zlib",
        Compression::Gzip => "gzip",
    };
    match result {
        Err(e) => Err(format!("{} stream is corrupt: {}", name, e)),
        Ok(_) if out.len() > max => Err(format!(
            "{} stream decompresses to more than {} bytes (limit)",
            name, max
        )),
        Ok(_) => Ok(out),
    }
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
        let rest = data.get(start..).unwrap_or(&[]);
        let here = if start == 0 {
            prefix.to_string()
        } else {
            format!("{}@{}", prefix, start)
        };
        if let Some(kind) = detect_compression(rest) {
            let label = match kind {
                Compression::Zlib => "zlib",
                Compression::Gzip => "gzip",
            };
            let location = format!("{}:{}", here, label);
            match decompress(rest, kind, options.max_decompressed) {
                Ok(inner) if nesting < 4 => collect(&inner, &location, options, nesting + 1, out),
                Ok(_) => out.push(error_blob(
                    location,
                    "compressed streams nested too deep".into(),
                )),
                Err(e) => out.push(error_blob(location, e)),
            }
            return;
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
            max_decompressed: 1000,
            ..Default::default()
        };
        let blobs = find_blobs(&bomb, options);
        assert_eq!(blobs.len(), 1);
        assert!(blobs[0].audit.error.as_deref().unwrap().contains("limit"));
    }
}
