//! A streaming reader of Redis RDB files (versions 1 to 12: everything Redis 7.x writes).
//!
//! The file is read once, front to back, from any [`Read`] (a dump file, or the bulk a
//! server sends a replica), and handed to an [`RdbVisit`]: every key with its database,
//! type and expiry, then the strings it holds as a client reads them (a string key's value,
//! each hash field and value, each list item). Sets, sorted sets, streams and module values
//! are read past, every encoding of them. The CRC-64 trailer is checked when the file has
//! one.
//!
//! Hostile or damaged input is an error, never a panic, and memory grows only with the bytes
//! that arrive: a length field is not trusted to allocate ([`Input::take`] grows its buffer
//! as data comes, and LZF output is bounded by its input).

use std::io::Read;

use super::rdb_encoding::{crc64, listpack, lzf_decompress, ziplist, zipmap, Element};
use super::scan::Member;

/// The newest RDB version this reader knows (Redis 7.4).
pub const MAX_VERSION: u32 = 12;

// Opcodes before a key or in place of one.
const OP_SLOT_INFO: u8 = 244;
const OP_FUNCTION2: u8 = 245;
const OP_FUNCTION_PRE_GA: u8 = 246;
const OP_MODULE_AUX: u8 = 247;
const OP_IDLE: u8 = 248;
const OP_FREQ: u8 = 249;
const OP_AUX: u8 = 250;
const OP_RESIZEDB: u8 = 251;
const OP_EXPIRETIME_MS: u8 = 252;
const OP_EXPIRETIME: u8 = 253;
const OP_SELECTDB: u8 = 254;
const OP_EOF: u8 = 255;

/// Receives what the file holds.
pub trait RdbVisit {
    /// An AUX field (`redis-ver`, `ctime`, ...).
    fn aux(&mut self, _key: &[u8], _value: &[u8]) {}
    /// A key is next: return true to receive its strings through [`RdbVisit::value`] (for
    /// strings, lists and hashes: other types hold none).
    /// `kind` is what Redis' `TYPE` answers for it; `expire_ms` its expiry (Unix ms).
    fn key(&mut self, db: u64, key: &[u8], kind: &str, expire_ms: Option<i64>) -> bool;
    /// The last key turned out empty (a collection of no elements, which Redis drops when
    /// it loads the file): it does not exist.
    fn empty_key(&mut self) {}
    /// One string of the last key accepted. `field_expire_ms`: a hash field's own expiry
    /// (Redis 7.4 hash field TTLs), if any.
    fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8], field_expire_ms: Option<i64>);
}

/// What the file said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RdbInfo {
    /// The RDB format version.
    pub version: u32,
    /// Keys read (all databases, all types).
    pub keys: u64,
    /// Whether a CRC-64 trailer was there and checked (false: the writer had
    /// `rdbchecksum no`, or a version before 5).
    pub checksum_checked: bool,
}

/// Reads a whole RDB stream, up to and including its EOF opcode and checksum. `input` is
/// not read past the checksum's last byte... except through its own buffering, so the
/// caller gets back what was buffered and not used ([`RdbReader::finish`]).
pub struct RdbReader<R> {
    input: Input<R>,
    key: Vec<u8>,
    scratch: Vec<u8>,
    version: u32,
}

impl<R: Read> RdbReader<R> {
    /// A reader over `inner`.
    pub fn new(inner: R) -> RdbReader<R> {
        RdbReader {
            input: Input::new(inner),
            key: Vec::new(),
            scratch: Vec::new(),
            version: 0,
        }
    }

    /// Reads the file to its end, calling `visit` along the way.
    pub fn read(&mut self, visit: &mut dyn RdbVisit) -> Result<RdbInfo, String> {
        self.read_all(visit)
            .map_err(|e| format!("{e} (at byte {} of the RDB data)", self.input.offset()))
    }

    /// The bytes read from the input after the RDB data (buffered, not used), and the input.
    pub fn finish(self) -> (Vec<u8>, R) {
        let rest = self.input.buf[self.input.pos..self.input.end].to_vec();
        (rest, self.input.inner)
    }

    fn read_all(&mut self, visit: &mut dyn RdbVisit) -> Result<RdbInfo, String> {
        let magic = self.input.take(9)?;
        if &magic[..5] != b"REDIS" {
            return Err("not an RDB file (no REDIS header)".into());
        }
        let version = std::str::from_utf8(&magic[5..])
            .ok()
            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or("not an RDB file (bad version in the header)")?;
        if version == 0 || version > MAX_VERSION {
            return Err(format!(
                "RDB version {version} is not one this reader knows (1 to {MAX_VERSION})"
            ));
        }
        self.version = version;
        let mut info = RdbInfo {
            version,
            ..Default::default()
        };
        let mut db = 0u64;
        let mut expire: Option<i64> = None;
        loop {
            let op = self.input.byte()?;
            match op {
                OP_EOF => break,
                OP_SELECTDB => db = self.len()?,
                OP_RESIZEDB => {
                    self.len()?;
                    self.len()?;
                }
                OP_SLOT_INFO => {
                    for _ in 0..3 {
                        self.len()?;
                    }
                }
                OP_EXPIRETIME_MS => expire = Some(self.input.i64_le()?),
                OP_EXPIRETIME => {
                    let b = self.input.take(4)?;
                    let secs = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    expire = Some(i64::from(secs) * 1000);
                }
                OP_IDLE => {
                    self.len()?;
                }
                OP_FREQ => {
                    self.input.byte()?;
                }
                OP_AUX => {
                    let mut key = std::mem::take(&mut self.key);
                    self.string_into(&mut key)?;
                    let mut value = Vec::new();
                    self.string_into(&mut value)?;
                    visit.aux(&key, &value);
                    self.key = key;
                }
                OP_MODULE_AUX => {
                    self.len()?; // module id
                    if self.len()? != 2 {
                        return Err("module AUX data without its `when` field".into());
                    }
                    self.len()?; // when
                    self.module_value()?;
                }
                OP_FUNCTION2 => self.skip_string()?,
                OP_FUNCTION_PRE_GA => {
                    return Err("functions in the Redis 7.0 release candidates' format".into())
                }
                kind => {
                    self.object(db, kind, expire.take(), visit)?;
                    info.keys += 1;
                }
            }
        }
        if version >= 5 {
            let computed = self.input.crc_through_pos();
            let stored = self.input.take(8)?;
            let stored = u64::from_le_bytes([
                stored[0], stored[1], stored[2], stored[3], stored[4], stored[5], stored[6],
                stored[7],
            ]);
            if stored != 0 {
                if stored != computed {
                    return Err(format!(
                        "checksum mismatch: the file says {stored:#018x}, its bytes give {computed:#018x}"
                    ));
                }
                info.checksum_checked = true;
            }
        }
        Ok(info)
    }

    /// One key and its value, of RDB type `kind`.
    fn object(
        &mut self,
        db: u64,
        kind: u8,
        expire: Option<i64>,
        visit: &mut dyn RdbVisit,
    ) -> Result<(), String> {
        let mut key = std::mem::take(&mut self.key);
        self.string_into(&mut key)?;
        let result = self.object_value(db, &key, kind, expire, visit);
        self.key = key;
        result
    }

    fn object_value(
        &mut self,
        db: u64,
        key: &[u8],
        kind: u8,
        expire: Option<i64>,
        visit: &mut dyn RdbVisit,
    ) -> Result<(), String> {
        let type_name = match kind {
            0 => "string",
            1 | 10 | 14 | 18 => "list",
            2 | 11 | 20 => "set",
            3 | 5 | 12 | 17 => "zset",
            4 | 9 | 13 | 16 | 22..=25 => "hash",
            15 | 19 | 21 => "stream",
            6 => return Err("a module value in the Redis 4.0 release candidates' format".into()),
            7 => "module",
            other => return Err(format!("unknown value type {other} for a key")),
        };
        if kind == 7 {
            // The module's type name is in its id: TYPE answers it.
            let id = self.len()?;
            let name = module_name(id);
            visit.key(db, key, &name, expire);
            return self.module_value();
        }
        let wanted = visit.key(db, key, type_name, expire);
        let elements = if wanted && matches!(type_name, "string" | "list" | "hash") {
            let mut counting = Counting { visit, values: 0 };
            self.read_values(key, kind, &mut counting)?;
            counting.values
        } else {
            self.skip_object(kind)?
        };
        if elements == 0 && kind != 0 {
            visit.empty_key();
        }
        Ok(())
    }

    /// Reads the strings of a value of RDB type `kind` (string, list or hash) into `visit`.
    fn read_values(
        &mut self,
        key: &[u8],
        kind: u8,
        visit: &mut dyn RdbVisit,
    ) -> Result<(), String> {
        let mut digits = [0u8; 24];
        match kind {
            0 => {
                let value = self.string()?;
                visit.value(key, Member::Whole, value, None);
            }
            1 => {
                let n = self.len()?;
                for i in 0..n {
                    let item = self.string()?;
                    visit.value(key, Member::Index(i as usize), item, None);
                }
            }
            4 => {
                let n = self.len()?;
                let mut field = Vec::new();
                for _ in 0..n {
                    self.string_into(&mut field)?;
                    let value = self.string()?;
                    visit.value(key, Member::Field(&field), value, None);
                }
            }
            22 | 24 => {
                let min_expire = if kind == 24 {
                    Some(self.input.i64_le()?)
                } else {
                    None
                };
                let n = self.len()?;
                let mut field = Vec::new();
                for _ in 0..n {
                    let ttl = self.len()?;
                    let at = match (ttl, min_expire) {
                        (0, _) => None,
                        (t, Some(min)) => Some(min.saturating_add(t as i64).saturating_sub(1)),
                        (t, None) => Some(t as i64),
                    };
                    self.string_into(&mut field)?;
                    let value = self.string()?;
                    visit.value(key, Member::Field(&field), value, at);
                }
            }
            10 | 14 => {
                let nodes = if kind == 14 { self.len()? } else { 1 };
                let mut index = 0usize;
                for _ in 0..nodes {
                    let blob = self.string()?;
                    ziplist(blob, |e| {
                        visit.value(key, Member::Index(index), e.as_bytes(&mut digits), None);
                        index += 1;
                    })?;
                }
            }
            18 => {
                let nodes = self.len()?;
                let mut index = 0usize;
                for _ in 0..nodes {
                    let container = self.len()?;
                    let blob = self.string()?;
                    match container {
                        1 => {
                            visit.value(key, Member::Index(index), blob, None);
                            index += 1;
                        }
                        2 => listpack(blob, |e| {
                            visit.value(key, Member::Index(index), e.as_bytes(&mut digits), None);
                            index += 1;
                        })?,
                        other => return Err(format!("a quicklist node of container {other}")),
                    }
                }
            }
            9 | 13 | 16 | 23 | 25 => {
                if kind == 25 {
                    self.input.i64_le()?; // the hash's earliest field expiry
                }
                let blob = self.string()?;
                // Pairs, or (field, value, expiry) triples for hashes with field TTLs.
                let width = if kind >= 23 { 3 } else { 2 };
                let mut elements: Vec<Element<'_>> = Vec::new();
                match kind {
                    9 => zipmap(blob, |e| elements.push(e))?,
                    13 => ziplist(blob, |e| elements.push(e))?,
                    _ => listpack(blob, |e| elements.push(e))?,
                }
                if elements.len() % width != 0 {
                    return Err("a hash blob with a field and no value".into());
                }
                let mut field_digits = [0u8; 24];
                for entry in elements.chunks_exact(width) {
                    let at = match entry.get(2) {
                        Some(Element::Int(0)) | None => None,
                        Some(Element::Int(t)) => Some(*t),
                        Some(Element::Bytes(_)) => {
                            return Err("a hash field expiry that is not a number".into())
                        }
                    };
                    let field = entry[0].as_bytes(&mut field_digits);
                    let value = entry[1].as_bytes(&mut digits);
                    visit.value(key, Member::Field(field), value, at);
                }
            }
            _ => {
                self.skip_object(kind)?;
            }
        }
        Ok(())
    }

    /// Reads past a value of RDB type `kind` without decoding what it holds. Returns how many
    /// elements it has (for blobs: what their header says; 0 only when empty).
    fn skip_object(&mut self, kind: u8) -> Result<u64, String> {
        match kind {
            0 => self.skip_string().map(|()| 1),
            9 | 10 | 11 | 12 | 13 | 16 | 17 | 20 | 23 | 25 => {
                if kind == 25 {
                    self.input.i64_le()?;
                }
                let blob = self.string()?;
                Ok(blob_count(kind, blob))
            }
            1 | 2 | 14 => {
                let n = self.len()?;
                for _ in 0..n {
                    self.skip_string()?;
                }
                Ok(n)
            }
            3 | 5 => {
                let n = self.len()?;
                for _ in 0..n {
                    self.skip_string()?;
                    if kind == 5 {
                        self.input.skip(8)?;
                    } else {
                        // A double as text: a length byte (253-255: nan, inf, -inf).
                        let len = self.input.byte()?;
                        if len < 253 {
                            self.input.skip(u64::from(len))?;
                        }
                    }
                }
                Ok(n)
            }
            4 => {
                let n = self.len()?;
                for _ in 0..n.saturating_mul(2) {
                    self.skip_string()?;
                }
                Ok(n)
            }
            22 | 24 => {
                if kind == 24 {
                    self.input.i64_le()?;
                }
                let n = self.len()?;
                for _ in 0..n {
                    self.len()?;
                    self.skip_string()?;
                    self.skip_string()?;
                }
                Ok(n)
            }
            18 => {
                let n = self.len()?;
                for _ in 0..n {
                    self.len()?;
                    self.skip_string()?;
                }
                Ok(n)
            }
            // A stream with no entries still exists (XADD ... MAXLEN 0, XGROUP CREATE MKSTREAM).
            15 | 19 | 21 => self.skip_stream(kind).map(|()| 1),
            other => Err(format!("unknown value type {other} for a key")),
        }
    }

    fn skip_stream(&mut self, kind: u8) -> Result<(), String> {
        let nodes = self.len()?;
        for _ in 0..nodes {
            self.skip_string()?; // the node's master id
            self.skip_string()?; // its listpack
        }
        // length, last id; from version 2 also first id, max deleted id, entries added.
        let fields = if kind >= 19 { 8 } else { 3 };
        for _ in 0..fields {
            self.len()?;
        }
        let groups = self.len()?;
        for _ in 0..groups {
            self.skip_string()?; // name
            self.len()?; // last delivered id
            self.len()?;
            if kind >= 19 {
                self.len()?; // entries read
            }
            let pending = self.len()?;
            for _ in 0..pending {
                self.input.skip(16 + 8)?; // id, delivery time
                self.len()?; // delivery count
            }
            let consumers = self.len()?;
            for _ in 0..consumers {
                self.skip_string()?; // name
                self.input.skip(if kind >= 21 { 16 } else { 8 })?; // seen (and active) time
                let pending = self.len()?;
                self.input.skip(pending.saturating_mul(16))?;
            }
        }
        Ok(())
    }

    /// A module value after its id: typed opcodes up to the module EOF.
    fn module_value(&mut self) -> Result<(), String> {
        loop {
            match self.len()? {
                0 => return Ok(()),
                1 | 2 => {
                    self.len()?;
                }
                3 => self.input.skip(4)?,
                4 => self.input.skip(8)?,
                5 => self.skip_string()?,
                other => return Err(format!("unknown module value opcode {other}")),
            }
        }
    }

    /// A length (the special string encodings are an error here).
    fn len(&mut self) -> Result<u64, String> {
        match self.len_or_encoding()? {
            Len::Plain(n) => Ok(n),
            Len::Encoded(_) => Err("an encoded string where a length belongs".into()),
        }
    }

    fn len_or_encoding(&mut self) -> Result<Len, String> {
        let first = self.input.byte()?;
        Ok(match first >> 6 {
            0 => Len::Plain(u64::from(first & 0x3f)),
            1 => Len::Plain((u64::from(first & 0x3f) << 8) | u64::from(self.input.byte()?)),
            2 => match first {
                0x80 => {
                    let b = self.input.take(4)?;
                    Len::Plain(u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
                }
                0x81 => {
                    let b = self.input.take(8)?;
                    Len::Plain(u64::from_be_bytes([
                        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                    ]))
                }
                other => return Err(format!("an unknown length encoding {other:#x}")),
            },
            _ => Len::Encoded(first & 0x3f),
        })
    }

    /// A string, decoded: borrowed from the input buffer, or from scratch space when it was
    /// an integer or compressed.
    fn string(&mut self) -> Result<&[u8], String> {
        match self.len_or_encoding()? {
            Len::Plain(n) => {
                let n = usize::try_from(n).map_err(|_| "a string longer than memory")?;
                self.input.take(n)
            }
            Len::Encoded(enc) => {
                let mut scratch = std::mem::take(&mut self.scratch);
                let r = self.encoded_string(enc, &mut scratch);
                self.scratch = scratch;
                r?;
                Ok(&self.scratch)
            }
        }
    }

    /// A string, copied into `out`.
    fn string_into(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        match self.len_or_encoding()? {
            Len::Plain(n) => {
                let n = usize::try_from(n).map_err(|_| "a string longer than memory")?;
                out.clear();
                out.extend_from_slice(self.input.take(n)?);
                Ok(())
            }
            Len::Encoded(enc) => self.encoded_string(enc, out),
        }
    }

    fn encoded_string(&mut self, enc: u8, out: &mut Vec<u8>) -> Result<(), String> {
        out.clear();
        let n: i64 = match enc {
            0 => i64::from(self.input.byte()? as i8),
            1 => {
                let b = self.input.take(2)?;
                i64::from(i16::from_le_bytes([b[0], b[1]]))
            }
            2 => {
                let b = self.input.take(4)?;
                i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            3 => {
                let clen = self.len()?;
                let ulen = self.len()?;
                let clen = usize::try_from(clen).map_err(|_| "a string longer than memory")?;
                let ulen = usize::try_from(ulen).map_err(|_| "a string longer than memory")?;
                let block = self.input.take(clen)?;
                return lzf_decompress(block, ulen, out);
            }
            other => return Err(format!("an unknown string encoding {other}")),
        };
        use std::io::Write;
        let _ = write!(out, "{n}");
        Ok(())
    }

    fn skip_string(&mut self) -> Result<(), String> {
        match self.len_or_encoding()? {
            Len::Plain(n) => self.input.skip(n),
            Len::Encoded(0) => self.input.skip(1),
            Len::Encoded(1) => self.input.skip(2),
            Len::Encoded(2) => self.input.skip(4),
            Len::Encoded(3) => {
                let clen = self.len()?;
                self.len()?;
                self.input.skip(clen)
            }
            Len::Encoded(other) => Err(format!("an unknown string encoding {other}")),
        }
    }
}

enum Len {
    Plain(u64),
    Encoded(u8),
}

/// The element count a small collection's blob header states (0 only when it is empty;
/// a header too short to say counts as not empty: the reader of values reports damage).
fn blob_count(kind: u8, blob: &[u8]) -> u64 {
    let u16_at = |i: usize| {
        blob.get(i..i + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let count = match kind {
        // zipmap: one byte (254 and up: count unknown).
        9 => blob.first().map(|&b| u64::from(b)),
        // intset: encoding u32, length u32.
        11 => blob
            .get(4..8)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        // ziplist: bytes u32, tail u32, length u16.
        10 | 12 | 13 => u16_at(8),
        // listpack: bytes u32, length u16.
        _ => u16_at(4),
    };
    match count {
        Some(0) => match kind {
            // zipmap's count byte may be stale; an empty one is just its end marker.
            9 => u64::from(blob.get(1) != Some(&0xff)),
            _ => 0,
        },
        _ => 1,
    }
}

/// Counts the values handed on.
struct Counting<'v> {
    visit: &'v mut dyn RdbVisit,
    values: u64,
}

impl RdbVisit for Counting<'_> {
    fn key(&mut self, db: u64, key: &[u8], kind: &str, expire_ms: Option<i64>) -> bool {
        self.visit.key(db, key, kind, expire_ms)
    }

    fn value(
        &mut self,
        key: &[u8],
        member: Member<'_>,
        value: &[u8],
        field_expire_ms: Option<i64>,
    ) {
        self.values += 1;
        self.visit.value(key, member, value, field_expire_ms);
    }
}

/// A module type's name from its 64-bit id (nine characters of 6 bits, then 10 bits of
/// encoding version), as `TYPE` shows it.
fn module_name(id: u64) -> String {
    const CHARSET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut name = [0u8; 9];
    let mut id = id >> 10;
    for slot in name.iter_mut().rev() {
        *slot = CHARSET[(id & 63) as usize];
        id >>= 6;
    }
    String::from_utf8_lossy(&name).into_owned()
}

/// Buffered input that checksums what it consumes.
struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The CRC of every byte before `buf[crc_pos]`.
    crc: u64,
    crc_pos: usize,
    /// Bytes dropped from the front of `buf` so far.
    dropped: u64,
}

/// The read size, and the buffer's usual size.
const CHUNK: usize = 256 * 1024;

impl<R: Read> Input<R> {
    fn new(inner: R) -> Input<R> {
        Input {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            end: 0,
            crc: 0,
            crc_pos: 0,
            dropped: 0,
        }
    }

    /// Where the next byte is, from the start of the stream.
    fn offset(&self) -> u64 {
        self.dropped + self.pos as u64
    }

    /// The CRC of every byte consumed so far.
    fn crc_through_pos(&mut self) -> u64 {
        self.crc = crc64(self.crc, &self.buf[self.crc_pos..self.pos]);
        self.crc_pos = self.pos;
        self.crc
    }

    /// Makes `n` bytes available at `pos`, reading as needed. The buffer grows past its
    /// usual size only as the bytes arrive (at most twice what was read).
    fn fill(&mut self, n: usize) -> Result<(), String> {
        if self.end - self.pos >= n {
            return Ok(());
        }
        if self.pos > 0 {
            self.crc_through_pos();
            self.buf.copy_within(self.pos..self.end, 0);
            self.dropped += self.pos as u64;
            self.end -= self.pos;
            self.pos = 0;
            self.crc_pos = 0;
        }
        while self.end < n {
            if self.end == self.buf.len() {
                let grown = (self.buf.len() * 2).min(n.max(CHUNK));
                self.buf.resize(grown, 0);
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => return Err("the RDB data ends too soon (truncated)".into()),
                Ok(got) => self.end += got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("cannot read the RDB data: {e}")),
            }
        }
        Ok(())
    }

    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        self.fill(n)?;
        let start = self.pos;
        self.pos += n;
        Ok(&self.buf[start..self.pos])
    }

    fn byte(&mut self) -> Result<u8, String> {
        if self.pos < self.end {
            self.pos += 1;
            return Ok(self.buf[self.pos - 1]);
        }
        Ok(self.take(1)?[0])
    }

    fn i64_le(&mut self) -> Result<i64, String> {
        let b = self.take(8)?;
        Ok(i64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    /// Consumes `n` bytes without keeping them (any size: read through in chunks).
    fn skip(&mut self, mut n: u64) -> Result<(), String> {
        while n > 0 {
            let step = n.min(CHUNK as u64) as usize;
            self.take(step)?;
            n -= step as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny RDB writer for the tests.
    #[derive(Default)]
    struct W(Vec<u8>);

    impl W {
        fn len(&mut self, n: u64) -> &mut Self {
            match n {
                0..=63 => self.0.push(n as u8),
                64..=16383 => self.0.extend_from_slice(&[0x40 | (n >> 8) as u8, n as u8]),
                _ if n <= u64::from(u32::MAX) => {
                    self.0.push(0x80);
                    self.0.extend_from_slice(&(n as u32).to_be_bytes());
                }
                _ => {
                    self.0.push(0x81);
                    self.0.extend_from_slice(&n.to_be_bytes());
                }
            }
            self
        }
        fn s(&mut self, b: &[u8]) -> &mut Self {
            self.len(b.len() as u64);
            self.0.extend_from_slice(b);
            self
        }
        fn raw(&mut self, b: &[u8]) -> &mut Self {
            self.0.extend_from_slice(b);
            self
        }
        fn finish(&mut self) -> Vec<u8> {
            self.0.push(OP_EOF);
            let crc = crc64(0, &self.0);
            self.0.extend_from_slice(&crc.to_le_bytes());
            std::mem::take(&mut self.0)
        }
    }

    /// A listpack of strings.
    fn lp(items: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![0, 0, 0, 0, items.len() as u8, 0];
        for it in items {
            assert!(it.len() < 64);
            out.push(0x80 | it.len() as u8);
            out.extend_from_slice(it);
            out.push(1 + it.len() as u8);
        }
        out.push(0xff);
        let total = out.len() as u32;
        out[..4].copy_from_slice(&total.to_le_bytes());
        out
    }

    #[derive(Default)]
    struct Seen {
        keys: Vec<(u64, String, String, Option<i64>)>,
        values: Vec<(String, String, String, Option<i64>)>,
        aux: Vec<(String, String)>,
        empty: usize,
    }

    impl RdbVisit for Seen {
        fn aux(&mut self, key: &[u8], value: &[u8]) {
            let t = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            self.aux.push((t(key), t(value)));
        }
        fn key(&mut self, db: u64, key: &[u8], kind: &str, expire: Option<i64>) -> bool {
            let key = String::from_utf8_lossy(key).into_owned();
            self.keys.push((db, key, kind.to_owned(), expire));
            true
        }
        fn empty_key(&mut self) {
            self.empty += 1;
        }
        fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8], at: Option<i64>) {
            let t = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            let m = match member {
                Member::Whole => String::new(),
                Member::Field(f) => format!("#{}", t(f)),
                Member::Index(i) => format!("[{i}]"),
            };
            self.values.push((t(key), m, t(value), at));
        }
    }

    /// Every type Redis 7.0 to 7.4 writes, and a module value.
    fn sample() -> Vec<u8> {
        let mut w = W::default();
        w.raw(b"REDIS0012");
        w.raw(&[OP_AUX]).s(b"redis-ver").s(b"7.4.0");
        w.raw(&[OP_AUX])
            .s(b"ctime")
            .raw(&[0xc2])
            .raw(&1_700_000_000i32.to_le_bytes());
        w.raw(&[OP_FUNCTION2]).s(b"#!lua name=lib\n...");
        w.raw(&[OP_MODULE_AUX]).len(7 << 10).len(2).len(1);
        w.len(5).s(b"aux").len(0);
        w.raw(&[OP_SELECTDB])
            .len(0)
            .raw(&[OP_RESIZEDB])
            .len(9)
            .len(1);
        // A string, int-encoded; one LZF-compressed; one with an expiry and LRU/LFU info.
        w.raw(&[0])
            .s(b"int")
            .raw(&[0xc1])
            .raw(&(-300i16).to_le_bytes());
        w.raw(&[0]).s(b"lzf").raw(&[0xc3]).len(7).len(12);
        w.raw(&[2, b'a', b'b', b'c', 7 << 5, 0, 2]);
        w.raw(&[OP_EXPIRETIME_MS])
            .raw(&1_800_000_000_000i64.to_le_bytes());
        w.raw(&[OP_IDLE]).len(5).raw(&[OP_FREQ, 3]);
        w.raw(&[0]).s(b"exp").s(b"v");
        // A quicklist 2 list: a packed node and a plain one.
        w.raw(&[18])
            .s(b"list")
            .len(2)
            .len(2)
            .s(&lp(&[b"x", b"y"]))
            .len(1)
            .s(b"plain");
        // Hashes: listpack, with field TTLs (7.4: listpack ex and metadata).
        w.raw(&[16]).s(b"h").s(&lp(&[b"f", b"v"]));
        let mut lpex = lp(&[b"a", b"1", b"b", b"2"]);
        // Add integer TTLs: rebuild with a third element per field.
        lpex.clear();
        lpex.extend_from_slice(&[0, 0, 0, 0, 6, 0]);
        for (f, v, ttl) in [(b"a", b"1", 0u8), (b"b", b"2", 100)] {
            lpex.extend_from_slice(&[0x81, f[0], 2, 0x81, v[0], 2]);
            lpex.extend_from_slice(&[ttl & 0x7f, 1]);
        }
        lpex.push(0xff);
        w.raw(&[25]).s(b"hex").raw(&50i64.to_le_bytes()).s(&lpex);
        w.raw(&[24]).s(b"hmeta").raw(&1000i64.to_le_bytes()).len(2);
        w.len(0).s(b"k1").s(b"v1").len(5).s(b"k2").s(b"v2");
        // A set as a listpack (7.2), a zset skiplist, an intset.
        w.raw(&[20]).s(b"set").s(&lp(&[b"m"]));
        w.raw(&[5])
            .s(b"zset")
            .len(1)
            .s(b"m")
            .raw(&1.5f64.to_le_bytes());
        w.raw(&[11]).s(b"ints").s(&[2, 0, 0, 0, 1, 0, 0, 0, 7, 0]);
        // A stream (7.2 format): one node, one group with a pending entry and a consumer.
        w.raw(&[21]).s(b"stream").len(1).s(&[0; 16]).s(&lp(&[b"e"]));
        w.len(1).len(1).len(0).len(1).len(0).len(0).len(0).len(1);
        w.len(1).s(b"g").len(1).len(0).len(1);
        w.len(1).raw(&[0; 16]).raw(&0i64.to_le_bytes()).len(1);
        w.len(1).s(b"c").raw(&[0; 16]).len(1).raw(&[0; 16]);
        // A module value (type name "ABCDEFGHI").
        let mut id = 0u64;
        for c in 0..9u64 {
            id = (id << 6) | c;
        }
        w.raw(&[7])
            .s(b"mod")
            .len(id << 10)
            .len(2)
            .len(7)
            .len(5)
            .s(b"x")
            .len(4);
        w.raw(&[0; 8]).len(0);
        // An empty list, in another database.
        w.raw(&[OP_SELECTDB]).len(3).raw(&[18]).s(b"nothing").len(0);
        w.finish()
    }

    #[test]
    fn reads_every_type() {
        let data = sample();
        let mut seen = Seen::default();
        let info = RdbReader::new(&data[..]).read(&mut seen).unwrap();
        assert_eq!(info.version, 12);
        assert!(info.checksum_checked);
        assert_eq!(info.keys, 13);
        let kinds: Vec<(u64, &str, &str)> = seen
            .keys
            .iter()
            .map(|(db, k, t, _)| (*db, k.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (0, "int", "string"),
                (0, "lzf", "string"),
                (0, "exp", "string"),
                (0, "list", "list"),
                (0, "h", "hash"),
                (0, "hex", "hash"),
                (0, "hmeta", "hash"),
                (0, "set", "set"),
                (0, "zset", "zset"),
                (0, "ints", "set"),
                (0, "stream", "stream"),
                (0, "mod", "ABCDEFGHI"),
                (3, "nothing", "list"),
            ]
        );
        assert_eq!(seen.keys[2].3, Some(1_800_000_000_000));
        assert_eq!(seen.empty, 1);
        let values: Vec<String> = seen
            .values
            .iter()
            .map(|(k, m, v, at)| {
                format!(
                    "{k}{m}={v}{}",
                    at.map(|t| format!("@{t}")).unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            values,
            [
                "int=-300",
                "lzf=abcabcabcabc",
                "exp=v",
                "list[0]=x",
                "list[1]=y",
                "list[2]=plain",
                "h#f=v",
                "hex#a=1",
                "hex#b=2@100",
                "hmeta#k1=v1",
                "hmeta#k2=v2@1004",
            ]
        );
        assert_eq!(seen.aux[0], ("redis-ver".into(), "7.4.0".into()));
        assert_eq!(seen.aux[1], ("ctime".into(), "1700000000".into()));
    }

    /// Never a panic: every truncation is an error, and damaged bytes are an error or a
    /// reading (the checksum catches most).
    #[test]
    fn truncated_and_damaged_input() {
        let data = sample();
        for cut in 0..data.len() {
            let r = RdbReader::new(&data[..cut]).read(&mut Seen::default());
            assert!(r.is_err(), "cut at {cut}");
        }
        let mut rejected = 0;
        for i in 9..data.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = data.clone();
                bad[i] ^= flip;
                if RdbReader::new(&bad[..]).read(&mut Seen::default()).is_err() {
                    rejected += 1;
                }
            }
        }
        assert_eq!(
            rejected,
            (data.len() - 9) * 3,
            "the checksum catches every flip"
        );
        // Without a checksum (rdbchecksum no), damage is read as far as it parses.
        let mut unchecked = data.clone();
        let n = unchecked.len();
        unchecked[n - 8..].fill(0);
        for i in 9..n - 8 {
            for flip in [0x01u8, 0x40, 0x80, 0xff] {
                let mut bad = unchecked.clone();
                bad[i] ^= flip;
                let _ = RdbReader::new(&bad[..]).read(&mut Seen::default());
            }
        }
    }

    #[test]
    fn lengths_do_not_allocate() {
        // A string claiming 2^62 bytes, an LZF block claiming to inflate to 2^40.
        let mut w = W::default();
        w.raw(b"REDIS0010").raw(&[0]).s(b"k").len(1 << 62);
        let r = RdbReader::new(&w.0[..]).read(&mut Seen::default());
        assert!(r.unwrap_err().contains("truncated"));
        let mut w = W::default();
        w.raw(b"REDIS0010")
            .raw(&[0])
            .s(b"k")
            .raw(&[0xc3])
            .len(2)
            .len(1 << 40)
            .raw(&[0, b'a']);
        let r = RdbReader::new(&w.0[..]).read(&mut Seen::default());
        assert!(r.unwrap_err().contains("LZF"));
        // A list claiming 2^62 items.
        let mut w = W::default();
        w.raw(b"REDIS0010").raw(&[1]).s(b"k").len(1 << 62).s(b"a");
        assert!(RdbReader::new(&w.0[..]).read(&mut Seen::default()).is_err());
    }

    #[test]
    fn clear_errors() {
        let err = |data: &[u8]| RdbReader::new(data).read(&mut Seen::default()).unwrap_err();
        assert!(err(b"HELLO0010").contains("not an RDB file"));
        assert!(err(b"REDIS0099").contains("version 99"));
        assert!(err(b"REDIS0010\x08\x01k").contains("unknown value type 8"));
        assert!(err(b"REDIS0010\x06\x01k").contains("release candidates"));
        let mut w = W::default();
        w.raw(b"REDIS0010").raw(&[0]).s(b"k").s(b"v");
        let mut data = w.finish();
        let n = data.len();
        data[n - 1] ^= 1;
        assert!(err(&data).contains("checksum mismatch"));
    }

    #[test]
    fn module_names() {
        // "ReJSON-RL" with encoding version 3.
        let mut id = 0u64;
        for c in b"ReJSON-RL" {
            let v = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .iter()
                .position(|x| x == c)
                .unwrap() as u64;
            id = (id << 6) | v;
        }
        assert_eq!(module_name((id << 10) | 3), "ReJSON-RL");
    }
}
