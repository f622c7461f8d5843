//! What the client flags of an item mean, by the Python client library that wrote it.
//!
//! Read from the libraries' own source:
//! - python-memcached (`memcache.py`, `_val_to_store_info` / `_recv_value`) and pymemcache
//!   (`pymemcache/serde.py`) share one layout: pickle `1`, int `2`, long `4` (written by Python
//!   2 for `long`), zlib-compressed `8` (a modifier on the others), text `16` (UTF-8 `unicode`/
//!   `str`; python-memcached on Python 2 before 1.58 pickled `unicode` instead). Raw bytes
//!   (Python 2 `str`, Python 3 `bytes`) have no flag. Python 2's `bool` is an `int`: flag `2`,
//!   value `1`/`0`; on Python 3 a `bool` is pickled.
//! - pylibmc (`src/_pylibmcmodule.h`): pickle `1`, integer `2`, long `4`, zlib `8`, bool `16`
//!   (its own addition, value `1`/`0`) and, since 1.6 for Python 3 `str`, text `32`.
//! - Django's cache backends use one of those clients, so their flags follow the client; only
//!   the key format (`KEY_PREFIX:VERSION:key`) is Django's.

use serde::Serialize;

/// Which client library's flag layout (and key format) to read items with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientConvention {
    /// python-memcached / pymemcache layout, switching to pylibmc's for items with flag 32.
    Auto,
    /// python-memcached (the `memcache` module).
    PythonMemcached,
    /// pymemcache with its default pickle serde.
    Pymemcache,
    /// pylibmc.
    Pylibmc,
    /// Django's cache framework: keys `KEY_PREFIX:VERSION:key`, flags as [`Self::Auto`].
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
    /// pylibmc's `bool` (`1` or `0`).
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
const PYLIBMC_TEXT: u32 = 1 << 5;

/// Reads `flags` by `convention`.
pub fn decode_flags(convention: ClientConvention, flags: u32) -> FlagMeaning {
    let compressed = flags & COMPRESSED != 0;
    let kind = match convention {
        ClientConvention::Pylibmc => pylibmc_kind(flags),
        ClientConvention::Auto | ClientConvention::Django if flags & PYLIBMC_TEXT != 0 => {
            pylibmc_kind(flags)
        }
        _ => python_memcached_kind(flags),
    };
    FlagMeaning { kind, compressed }
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
fn pylibmc_kind(flags: u32) -> ValueKind {
    match flags & !COMPRESSED {
        0 => ValueKind::Bytes,
        PICKLE => ValueKind::Pickle,
        INTEGER => ValueKind::Int,
        LONG => ValueKind::Long,
        TEXT_OR_BOOL => ValueKind::Bool,
        PYLIBMC_TEXT => ValueKind::Text,
        _ => ValueKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(convention: ClientConvention, flags: u32) -> (ValueKind, bool) {
        let m = decode_flags(convention, flags);
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
        assert_eq!(kind(L, 16), (ValueKind::Bool, false));
        assert_eq!(kind(L, 32), (ValueKind::Text, false));
        assert_eq!(kind(L, 9), (ValueKind::Pickle, true));
        assert_eq!(kind(L, 3), (ValueKind::Unknown, false));
        assert_eq!(kind(ClientConvention::Auto, 32), (ValueKind::Text, false));
        assert_eq!(kind(ClientConvention::Auto, 16), (ValueKind::Text, false));
    }
}
