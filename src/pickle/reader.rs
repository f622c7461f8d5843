//! Zero-copy pickle opcode reader: splits a byte slice into opcodes with their arguments and
//! offsets. It checks every length field against the bytes left before using it, and never
//! allocates from a length read from the input.

use std::fmt;

use super::opcodes::{self, ArgKind, OpcodeInfo};

/// An opcode's decoded argument, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// No argument.
    None,
    /// A fixed-size integer argument (uint1, uint2, int4, uint4).
    Int(i64),
    /// An eight-byte unsigned argument (FRAME length).
    U64(u64),
    /// An eight-byte float (BINFLOAT).
    Float(f64),
    /// Raw bytes after a length field (strings, bytes, LONG1/LONG4 payloads).
    Bytes(&'a [u8]),
    /// One text line, without its newline.
    Line(&'a [u8]),
    /// Two text lines (GLOBAL, INST), without newlines.
    TwoLines(&'a [u8], &'a [u8]),
}

/// One opcode read from the stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Op<'a> {
    /// Offset of the opcode byte from the start of the input.
    pub offset: usize,
    /// Static facts about the opcode.
    pub info: &'static OpcodeInfo,
    /// Its argument.
    pub arg: Arg<'a>,
    /// Offset just past the argument.
    pub end: usize,
}

/// Why the stream could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The input ends inside an opcode or its argument.
    Truncated {
        /// What was being read.
        what: &'static str,
        /// How many bytes it needed.
        needed: u64,
        /// How many bytes were left.
        available: usize,
    },
    /// A byte that is no pickle opcode.
    UnknownOpcode(u8),
    /// A signed length field is negative.
    NegativeLength(i64),
    /// The input ends without a STOP opcode.
    MissingStop,
}

/// A read error with the offset where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// Offset of the opcode (or of the end of input) that failed.
    pub offset: usize,
    /// What went wrong.
    pub kind: ReadErrorKind,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ReadErrorKind::Truncated {
                what,
                needed,
                available,
            } => write!(
                f,
                "truncated at offset {}: {} needs {} bytes, {} left",
                self.offset, what, needed, available
            ),
            ReadErrorKind::UnknownOpcode(b) => {
                write!(f, "unknown opcode 0x{:02x} at offset {}", b, self.offset)
            }
            ReadErrorKind::NegativeLength(n) => {
                write!(f, "negative length {} at offset {}", n, self.offset)
            }
            ReadErrorKind::MissingStop => {
                write!(
                    f,
                    "no STOP opcode before the end of input (offset {})",
                    self.offset
                )
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads the opcodes of one pickle, up to and including STOP.
///
/// After STOP (or an error) the iterator yields nothing more; [`Reader::position`] then tells
/// where the next pickle of a stream would start.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, starting at `start`.
    pub fn new(data: &'a [u8], start: usize) -> Self {
        Reader {
            data,
            pos: start.min(data.len()),
            done: false,
        }
    }

    /// Continues reading at `pos` (after the caller handled the bytes before it itself).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.data.len());
    }

    /// Offset of the next unread byte.
    pub fn position(&self) -> usize {
        self.pos
    }

    #[inline]
    fn take(&mut self, at: usize, n: u64, what: &'static str) -> Result<&'a [u8], ReadError> {
        let left = self.data.len().saturating_sub(self.pos);
        match usize::try_from(n) {
            Ok(n) if n <= left => {
                let end = self.pos + n;
                match self.data.get(self.pos..end) {
                    Some(slice) => {
                        self.pos = end;
                        Ok(slice)
                    }
                    None => Err(Self::truncated(at, what, n as u64, left)),
                }
            }
            _ => Err(Self::truncated(at, what, n, left)),
        }
    }

    #[cold]
    fn truncated(at: usize, what: &'static str, needed: u64, available: usize) -> ReadError {
        ReadError {
            offset: at,
            kind: ReadErrorKind::Truncated {
                what,
                needed,
                available,
            },
        }
    }

    fn fixed<const N: usize>(
        &mut self,
        at: usize,
        what: &'static str,
    ) -> Result<[u8; N], ReadError> {
        let slice = self.take(at, N as u64, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    fn line(&mut self, at: usize, what: &'static str) -> Result<&'a [u8], ReadError> {
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        match memchr::memchr(b'\n', rest) {
            Some(i) => {
                let line = &rest[..i];
                self.pos += i + 1;
                Ok(line)
            }
            None => Err(ReadError {
                offset: at,
                kind: ReadErrorKind::Truncated {
                    what,
                    needed: rest.len() as u64 + 1,
                    available: rest.len(),
                },
            }),
        }
    }

    #[inline]
    fn read_arg(&mut self, at: usize, info: &'static OpcodeInfo) -> Result<Arg<'a>, ReadError> {
        let name = info.name;
        Ok(match info.arg {
            ArgKind::None => Arg::None,
            ArgKind::Uint1 => Arg::Int(i64::from(self.fixed::<1>(at, name)?[0])),
            ArgKind::Uint2 => Arg::Int(i64::from(u16::from_le_bytes(self.fixed(at, name)?))),
            ArgKind::Int4 => Arg::Int(i64::from(i32::from_le_bytes(self.fixed(at, name)?))),
            ArgKind::Uint4 => Arg::Int(i64::from(u32::from_le_bytes(self.fixed(at, name)?))),
            ArgKind::Uint8 => Arg::U64(u64::from_le_bytes(self.fixed(at, name)?)),
            ArgKind::Float8 => Arg::Float(f64::from_be_bytes(self.fixed(at, name)?)),
            ArgKind::Long1 | ArgKind::Bytes1 => {
                let n = self.fixed::<1>(at, name)?[0];
                Arg::Bytes(self.take(at, u64::from(n), name)?)
            }
            ArgKind::Long4 | ArgKind::SignedBytes4 => {
                let n = i32::from_le_bytes(self.fixed(at, name)?);
                let n = u64::try_from(n).map_err(|_| ReadError {
                    offset: at,
                    kind: ReadErrorKind::NegativeLength(i64::from(n)),
                })?;
                Arg::Bytes(self.take(at, n, name)?)
            }
            ArgKind::Bytes4 => {
                let n = u32::from_le_bytes(self.fixed(at, name)?);
                Arg::Bytes(self.take(at, u64::from(n), name)?)
            }
            ArgKind::Bytes8 => {
                let n = u64::from_le_bytes(self.fixed(at, name)?);
                Arg::Bytes(self.take(at, n, name)?)
            }
            ArgKind::Line => Arg::Line(self.line(at, name)?),
            ArgKind::TwoLines => {
                let first = self.line(at, name)?;
                let second = self.line(at, name)?;
                Arg::TwoLines(first, second)
            }
        })
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Op<'a>, ReadError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let at = self.pos;
        let Some(&byte) = self.data.get(at) else {
            self.done = true;
            return Some(Err(ReadError {
                offset: at,
                kind: ReadErrorKind::MissingStop,
            }));
        };
        let Some(info) = opcodes::lookup(byte) else {
            self.done = true;
            return Some(Err(ReadError {
                offset: at,
                kind: ReadErrorKind::UnknownOpcode(byte),
            }));
        };
        self.pos += 1;
        match self.read_arg(at, info) {
            Ok(arg) => {
                if info.code == opcodes::code::STOP {
                    self.done = true;
                }
                Some(Ok(Op {
                    offset: at,
                    info,
                    arg,
                    end: self.pos,
                }))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(data: &[u8]) -> Vec<Result<&'static str, ReadError>> {
        Reader::new(data, 0)
            .map(|r| r.map(|op| op.info.name))
            .collect()
    }

    #[test]
    fn reads_protocol_4_string() {
        let data = b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94.";
        let ops: Vec<_> = Reader::new(data, 0).collect::<Result<_, _>>().unwrap();
        let got: Vec<_> = ops.iter().map(|o| (o.offset, o.info.name)).collect();
        assert_eq!(
            got,
            vec![
                (0, "PROTO"),
                (2, "FRAME"),
                (11, "SHORT_BINUNICODE"),
                (18, "MEMOIZE"),
                (19, "STOP")
            ]
        );
        assert_eq!(ops[2].arg, Arg::Bytes(b"hello"));
    }

    #[test]
    fn huge_length_is_truncation_not_allocation() {
        let data = b"\x80\x04\x8e\x00\x00\x00\x00\x00\x00\x00\x10.";
        let got = names(data);
        assert_eq!(got.len(), 2);
        let err = got[1].clone().unwrap_err();
        assert_eq!(err.offset, 2);
        assert!(matches!(err.kind, ReadErrorKind::Truncated { needed, .. } if needed == 1 << 60));
    }

    #[test]
    fn errors_name_the_offset() {
        assert_eq!(
            names(b"N\xff").last().cloned().unwrap().unwrap_err(),
            ReadError {
                offset: 1,
                kind: ReadErrorKind::UnknownOpcode(0xff)
            }
        );
        assert_eq!(
            names(b"N").last().cloned().unwrap().unwrap_err().kind,
            ReadErrorKind::MissingStop
        );
        assert_eq!(
            names(b"T\xff\xff\xff\xffx")
                .last()
                .cloned()
                .unwrap()
                .unwrap_err()
                .kind,
            ReadErrorKind::NegativeLength(-1)
        );
        assert!(names(b"S'abc").last().cloned().unwrap().is_err());
    }
}
