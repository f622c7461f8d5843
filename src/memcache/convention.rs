//! What the client flags of an item mean, by the Python client library that wrote it.
//!
//! Read from the libraries' own source:
//! - python-memcached (`memcache.py`, `_val_to_store_info` / `_recv_value`) and pymemcache
//!   (`pymemcache/serde.py`) share one layout: pickle `1`, int `2`, long `4` (written by Python
//!   2 for `long`), zlib-compressed `8` (a modifier on the others), text `16` (UTF-8 `unicode`/
//!   `str`; python-memcached on Python 2 before 1.58 pickled `unicode` instead). Raw bytes
//!   (Python 2 `str`, Python 3 `bytes`) have no flag. Python 2's `bool` is an `int`: flag `2`,
//!   value `1`/`0`; on Python 3 a `bool` is pickled.
//! - pylibmc (`src/_pylibmcmodule.h`): pickle `1`, integer `2`, long `4`, zlib `8`, and `16`:
//!   `bool` (value `1`/`0`) in the Python 2 versions' header; UTF-8 text in 1.6 on Python 3
//!   (checked with pylibmc 1.6.3: `str` is 16, `int` is 4, `bool` is 2 with value `1`,
//!   pickles are protocol 5).
//! - Django's cache backends use one of those clients, so their flags follow the client; only
//!   the key format (`KEY_PREFIX:VERSION:key`) is Django's.

use serde::Serialize;

/// Which client library's flag layout (and key format) to read items with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientConvention {
    /// The layout every supported client shares (flag 16 read as text).
    Auto,
    /// python-memcached (the `memcache` module).
    PythonMemcached,
    /// pymemcache with its default pickle serde.
    Pymemcache,
    /// pylibmc (flag 16 with value `1`/`0` is read as an old pylibmc bool).
    Pylibmc,
    /// Django's cache framework: keys `KEY_PREFIX:VERSION:key`, flags as with auto.
    Django,
}

impl ClientConvention {
    /// True when keys follow Django's `KEY_PREFIX:VERSION:key` format.
    pub fn django_keys(self) -> bool {
        self == ClientConvention::Django
    }
}

/// What kind of Python value the flags say an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Raw bytes: Python 2 `str`, Python 3 `bytes`.
    Bytes,
    /// UTF-8 text (`unicode` / Python 3 `str`).
    Text,
    /// A decimal `int`.
    Int,
    /// A decimal Python 2 `long`.
    Long,
    /// Old pylibmc's `bool` (flag 16, `1` or `0`).
    Bool,
    /// A pickle.
    Pickle,
    /// Flags no known Python client writes.
    Unknown,
}

/// The decoded meaning of an item's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagMeaning {
    /// What the value holds.
    pub kind: ValueKind,
    /// True when the stored bytes are zlib-compressed.
    pub compressed: bool,
}

const PICKLE: u32 = 1;
const INTEGER: u32 = 1 << 1;
const LONG: u32 = 1 << 2;
const COMPRESSED: u32 = 1 << 3;
const TEXT_OR_BOOL: u32 = 1 << 4;

/// Reads `flags` by `convention`. `value` (the stored bytes) only matters for pylibmc's flag
/// 16: `1`/`0` is read as an old pylibmc `bool`, anything else as text.
pub fn decode_flags(convention: ClientConvention, flags: u32, value: &[u8]) -> FlagMeaning {
    let compressed = flags & COMPRESSED != 0;
    let kind = match convention {
        ClientConvention::Pylibmc => pylibmc_kind(flags, value),
        _ => python_memcached_kind(flags),
    };
    FlagMeaning { kind, compressed }
}

/// True when every flag bit set is one the supported clients write.
pub fn is_known_layout(flags: u32) -> bool {
    flags & !(PICKLE | INTEGER | LONG | COMPRESSED | TEXT_OR_BOOL) == 0
}

/// python-memcached's reading order: text, then integer, then long, then pickle.
fn python_memcached_kind(flags: u32) -> ValueKind {
    let base = flags & !COMPRESSED;
    if base & !(PICKLE | INTEGER | LONG | TEXT_OR_BOOL) != 0 {
        ValueKind::Unknown
    } else if base == 0 {
        ValueKind::Bytes
    } else if base & TEXT_OR_BOOL != 0 {
        ValueKind::Text
    } else if base & INTEGER != 0 {
        ValueKind::Int
    } else if base & LONG != 0 {
        ValueKind::Long
    } else {
        ValueKind::Pickle
    }
}

/// pylibmc switches on the exact type bits.
fn pylibmc_kind(flags: u32, value: &[u8]) -> ValueKind {
    match flags & !COMPRESSED {
        0 => ValueKind::Bytes,
        PICKLE => ValueKind::Pickle,
        INTEGER => ValueKind::Int,
        LONG => ValueKind::Long,
        TEXT_OR_BOOL if flags & COMPRESSED == 0 && (value == b"0" || value == b"1") => {
            ValueKind::Bool
        }
        TEXT_OR_BOOL => ValueKind::Text,
        _ => ValueKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(convention: ClientConvention, flags: u32) -> (ValueKind, bool) {
        let m = decode_flags(convention, flags, b"x");
        (m.kind, m.compressed)
    }

    #[test]
    fn python_memcached_layout() {
        use ClientConvention::PythonMemcached as P;
        assert_eq!(kind(P, 0), (ValueKind::Bytes, false));
        assert_eq!(kind(P, 1), (ValueKind::Pickle, false));
        assert_eq!(kind(P, 9), (ValueKind::Pickle, true));
        assert_eq!(kind(P, 2), (ValueKind::Int, false));
        assert_eq!(kind(P, 4), (ValueKind::Long, false));
        assert_eq!(kind(P, 16), (ValueKind::Text, false));
        assert_eq!(kind(P, 24), (ValueKind::Text, true));
        assert_eq!(kind(P, 32), (ValueKind::Unknown, false));
        assert_eq!(kind(P, 0x100), (ValueKind::Unknown, false));
    }

    #[test]
    fn pylibmc_layout() {
        use ClientConvention::Pylibmc as L;
        assert_eq!(kind(L, 16), (ValueKind::Text, false));
        assert_eq!(decode_flags(L, 16, b"1").kind, ValueKind::Bool);
        assert_eq!(kind(L, 24), (ValueKind::Text, true));
        assert_eq!(kind(L, 9), (ValueKind::Pickle, true));
        assert_eq!(kind(L, 3), (ValueKind::Unknown, false));
        assert_eq!(kind(L, 32), (ValueKind::Unknown, false));
        assert_eq!(kind(ClientConvention::Auto, 16), (ValueKind::Text, false));
        assert!(is_known_layout(25) && !is_known_layout(32));
    }
}
