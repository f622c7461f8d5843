//! The verdict for the commonest pickles without building a simulation: plain data (strings,
//! numbers, None/bools, dicts, lists, tuples, memo references) and nothing else. Used by
//! [`audit_verdict`](super::verdict::audit_verdict) before the full simulation, which a cache
//! audit otherwise runs on every item.
//!
//! [`verdict`] answers only when it is sure to give exactly what the simulation gives: on any
//! other opcode, any argument it does not take on its fast path, any error (truncation, stack
//! underflow, a missing memo entry, a key or target that would make a finding) and past a few
//! thousand opcodes (so no limit of [`Limits`](super::simulate::Limits) can be reached) it
//! returns `None` and the caller simulates. For the pickles it does answer, the verdict
//! depends only on the protocol, the opcodes' protocols and whether a py2 `str` holds
//! non-ASCII bytes; `tests` check it against the simulation.

use super::blob::{BlobAudit, Py3Loadable};
use super::opcodes::{self, code};
use super::strings;

/// Most opcodes read before leaving the pickle to the simulation (far below every limit).
const MAX_OPCODES: usize = 4096;
/// Deepest unpickling stack handled.
const MAX_STACK: usize = 256;
/// Most nested MARKs handled.
const MAX_MARKS: usize = 32;
/// Memo indices handled: `0..MAX_MEMO`.
const MAX_MEMO: usize = 256;

/// What a stack or memo entry is, as far as the checks made on it go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// None, bool, int, float, py2 `str`: hashable, never a container.
    Scalar,
    /// Unicode text: hashable.
    Text,
    /// A dict (SETITEM(S) target).
    Dict,
    /// A list (APPEND(S) target).
    List,
    /// A tuple (hashable only if its items are, which is not tracked: never a key here).
    Tuple,
}

impl Kind {
    /// True for the key kinds this module accepts (hashable for sure).
    fn plain_key(self) -> bool {
        matches!(self, Kind::Scalar | Kind::Text)
    }
}

/// The machine state, all in fixed arrays (no allocation).
struct Quick<'a> {
    data: &'a [u8],
    pos: usize,
    stack: [Kind; MAX_STACK],
    len: usize,
    marks: [usize; MAX_MARKS],
    mark_count: usize,
    memo: [Option<Kind>; MAX_MEMO],
    memo_count: usize,
    proto_opcode: Option<u8>,
    max_opcode_proto: u8,
    non_ascii_str: bool,
}

impl<'a> Quick<'a> {
    fn fence(&self) -> usize {
        match self.mark_count {
            0 => 0,
            n => self.marks.get(n - 1).copied().unwrap_or(0),
        }
    }

    fn push(&mut self, kind: Kind) -> Option<()> {
        *self.stack.get_mut(self.len)? = kind;
        self.len += 1;
        Some(())
    }

    fn pop(&mut self) -> Option<Kind> {
        if self.len <= self.fence() {
            return None;
        }
        self.len -= 1;
        self.stack.get(self.len).copied()
    }

    fn top(&self) -> Option<Kind> {
        if self.len <= self.fence() {
            return None;
        }
        self.stack.get(self.len - 1).copied()
    }

    /// Pops the innermost MARK; returns where its items start.
    fn pop_mark(&mut self) -> Option<usize> {
        self.mark_count = self.mark_count.checked_sub(1)?;
        let mark = *self.marks.get(self.mark_count)?;
        Some(mark.min(self.len))
    }

    fn bytes(&self, from: usize, len: usize) -> Option<&'a [u8]> {
        self.data.get(from..from.checked_add(len)?)
    }

    /// The line starting at `from` and the offset after its newline.
    fn line(&self, from: usize) -> Option<(&'a [u8], usize)> {
        let rest = self.data.get(from..)?;
        let n = memchr::memchr(b'\n', rest)?;
        Some((rest.get(..n)?, from + n + 1))
    }

    fn memo_put(&mut self, index: usize) -> Option<()> {
        let top = self.top()?;
        let slot = self.memo.get_mut(index)?;
        if slot.is_none() {
            self.memo_count += 1;
        }
        *slot = Some(top);
        Some(())
    }

    fn memo_get(&mut self, index: usize) -> Option<()> {
        let kind = (*self.memo.get(index)?)?;
        self.push(kind)
    }

    fn py2_str(&mut self, bytes: &[u8]) -> Option<()> {
        self.non_ascii_str |= !bytes.is_ascii();
        self.push(Kind::Scalar)
    }

    /// Items from `start` to the top as (key, value) pairs must have plain keys.
    fn plain_pairs(&self, start: usize) -> Option<()> {
        let items = self.stack.get(start..self.len)?;
        if items.len() % 2 != 0 {
            return None;
        }
        items
            .chunks_exact(2)
            .all(|pair| pair[0].plain_key())
            .then_some(())
    }

    /// Runs one opcode at `pos`; returns true after STOP.
    fn step(&mut self) -> Option<bool> {
        let at = self.pos;
        let byte = *self.data.get(at)?;
        let info = opcodes::lookup(byte)?;
        self.max_opcode_proto = self.max_opcode_proto.max(info.proto);
        let arg = at + 1;
        self.pos = match byte {
            code::STOP => {
                self.pop()?;
                return Some(true);
            }
            code::PROTO => {
                let v = *self.data.get(arg)?;
                if v > 5 {
                    return None;
                }
                self.proto_opcode = Some(self.proto_opcode.map_or(v, |p| p.max(v)));
                arg + 1
            }
            code::FRAME => {
                let raw = self.bytes(arg, 8)?;
                let len = u64::from_le_bytes(raw.try_into().ok()?);
                let left = self.data.len().saturating_sub(arg + 8) as u64;
                if len > left {
                    return None;
                }
                arg + 8
            }
            code::MARK => {
                *self.marks.get_mut(self.mark_count)? = self.len;
                self.mark_count += 1;
                arg
            }
            code::NONE | code::NEWTRUE | code::NEWFALSE => {
                self.push(Kind::Scalar)?;
                arg
            }
            code::BININT1 | code::BININT2 | code::BININT | code::BINFLOAT => {
                let n = match byte {
                    code::BININT1 => 1,
                    code::BININT2 => 2,
                    code::BININT => 4,
                    _ => 8,
                };
                self.bytes(arg, n)?;
                self.push(Kind::Scalar)?;
                arg + n
            }
            code::INT => {
                let (line, next) = self.line(arg)?;
                let simple = matches!(line, b"00" | b"01")
                    || (!line.is_empty()
                        && line.len() <= 18
                        && line.iter().all(u8::is_ascii_digit));
                if !simple {
                    return None;
                }
                self.push(Kind::Scalar)?;
                next
            }
            code::SHORT_BINSTRING | code::SHORT_BINUNICODE => {
                let len = usize::from(*self.data.get(arg)?);
                let b = self.bytes(arg + 1, len)?;
                if byte == code::SHORT_BINSTRING {
                    self.py2_str(b)?;
                } else {
                    std::str::from_utf8(b).ok()?;
                    self.push(Kind::Text)?;
                }
                arg + 1 + len
            }
            code::BINSTRING | code::BINUNICODE => {
                let raw = self.bytes(arg, 4)?;
                let len = u32::from_le_bytes(raw.try_into().ok()?);
                if byte == code::BINSTRING && len > i32::MAX as u32 {
                    return None;
                }
                let len = usize::try_from(len).ok()?;
                let b = self.bytes(arg + 4, len)?;
                if byte == code::BINSTRING {
                    self.py2_str(b)?;
                } else {
                    std::str::from_utf8(b).ok()?;
                    self.push(Kind::Text)?;
                }
                arg + 4 + len
            }
            code::STRING => {
                // Quoted, then escapes: only whether they decode to ASCII matters.
                let (line, next) = self.line(arg)?;
                let inner = match line {
                    [q @ (b'\'' | b'"'), inner @ .., last] if last == q => inner,
                    _ => return None,
                };
                self.non_ascii_str |= !strings::escape_decode_is_ascii(inner)?;
                self.push(Kind::Scalar)?;
                next
            }
            code::UNICODE => {
                let (line, next) = self.line(arg)?;
                if !line.is_ascii() || line.contains(&b'\\') {
                    return None;
                }
                self.push(Kind::Text)?;
                next
            }
            code::EMPTY_DICT | code::EMPTY_LIST | code::EMPTY_TUPLE => {
                self.push(match byte {
                    code::EMPTY_DICT => Kind::Dict,
                    code::EMPTY_LIST => Kind::List,
                    _ => Kind::Tuple,
                })?;
                arg
            }
            code::DICT | code::LIST | code::TUPLE => {
                let start = self.pop_mark()?;
                if byte == code::DICT {
                    self.plain_pairs(start)?;
                }
                self.len = start;
                self.push(match byte {
                    code::DICT => Kind::Dict,
                    code::LIST => Kind::List,
                    _ => Kind::Tuple,
                })?;
                arg
            }
            code::TUPLE1 | code::TUPLE2 | code::TUPLE3 => {
                let n = usize::from(byte - code::TUPLE1 + 1);
                if self.len < self.fence() + n {
                    return None;
                }
                self.len -= n;
                self.push(Kind::Tuple)?;
                arg
            }
            code::SETITEM => {
                self.pop()?;
                let key = self.pop()?;
                if self.top()? != Kind::Dict || !key.plain_key() {
                    return None;
                }
                arg
            }
            code::SETITEMS => {
                let start = self.pop_mark()?;
                let items_end = self.len;
                self.len = start;
                if self.top()? != Kind::Dict {
                    return None;
                }
                self.len = items_end;
                self.plain_pairs(start)?;
                self.len = start;
                arg
            }
            code::APPEND => {
                self.pop()?;
                if self.top()? != Kind::List {
                    return None;
                }
                arg
            }
            code::APPENDS => {
                let start = self.pop_mark()?;
                self.len = start;
                if self.top()? != Kind::List {
                    return None;
                }
                arg
            }
            code::BINPUT | code::BINGET => {
                let index = usize::from(*self.data.get(arg)?);
                if byte == code::BINPUT {
                    self.memo_put(index)?;
                } else {
                    self.memo_get(index)?;
                }
                arg + 1
            }
            code::LONG_BINPUT | code::LONG_BINGET => {
                let raw = self.bytes(arg, 4)?;
                let index = usize::try_from(u32::from_le_bytes(raw.try_into().ok()?)).ok()?;
                if byte == code::LONG_BINPUT {
                    self.memo_put(index)?;
                } else {
                    self.memo_get(index)?;
                }
                arg + 4
            }
            code::PUT | code::GET => {
                let (line, next) = self.line(arg)?;
                if line.is_empty() || line.len() > 3 || !line.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let index = line
                    .iter()
                    .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'));
                if byte == code::PUT {
                    self.memo_put(index)?;
                } else {
                    self.memo_get(index)?;
                }
                next
            }
            code::MEMOIZE => {
                self.memo_put(self.memo_count)?;
                arg
            }
            _ => return None,
        };
        Some(false)
    }
}

/// The verdict on a plain-data pickle at the start of `data` (what
/// [`audit_verdict`](super::verdict::audit_verdict) gives), or `None` when the pickle is not
/// one this module handles.
pub fn verdict(data: &[u8]) -> Option<BlobAudit> {
    let mut q = Quick {
        data,
        pos: 0,
        stack: [Kind::Scalar; MAX_STACK],
        len: 0,
        marks: [0; MAX_MARKS],
        mark_count: 0,
        memo: [None; MAX_MEMO],
        memo_count: 0,
        proto_opcode: None,
        max_opcode_proto: 0,
        non_ascii_str: false,
    };
    let mut stopped = false;
    for _ in 0..MAX_OPCODES {
        if q.step()? {
            stopped = true;
            break;
        }
    }
    if !stopped {
        return None;
    }
    let protocol = q.proto_opcode.unwrap_or(0).max(q.max_opcode_proto);
    Some(BlobAudit {
        protocol: Some(protocol),
        py2_loadable: q.proto_opcode.is_none_or(|p| p <= 2) && q.max_opcode_proto <= 2,
        py3_loadable: Py3Loadable {
            ascii: !q.non_ascii_str,
            latin1: true,
            bytes: true,
        },
        safe: true,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pickle::simulate::{simulate_general, Limits};
    use crate::pickle::verdict::{judge_with, Detail};

    /// The simulation's verdict (general path, every opcode through `step`).
    fn simulated(data: &[u8]) -> BlobAudit {
        judge_with(
            &simulate_general(data, 0, Limits::default()),
            Detail::VerdictOnly,
        )
    }

    /// Pickles of the shapes Python 2 and 3 write for plain data.
    fn samples() -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = vec![
            b"(dp0\nS'name'\np1\nS'a\\xe9b'\np2\nsS'id'\np3\nI5\ns.".to_vec(),
            b"(dp0\nS'name'\np1\nS'abc'\np2\nsS'id'\np3\nI01\nsg1\n(lp4\nI1\naVabc\nas.".to_vec(),
            b"(lp0\nS'x'\np1\nag1\na(I1\nI2\ntp2\na.".to_vec(),
            b"\x80\x02}q\x00(U\x04nameq\x01T\x03\x00\x00\x00\xe9\xe9bq\x02U\x02idq\x03K\x05u.".to_vec(),
            b"\x80\x02]q\x00(K\x01K\x02e\x85q\x01h\x00\x86.".to_vec(),
            b"\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01N\x88\x89\x87U\x01bq\x02J\xff\xff\xff\xffu.".to_vec(),
            b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94.".to_vec(),
            b"\x80\x04\x95\x20\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x04name\x94\x8c\x03abc\x94\x8c\x04tags\x94]\x94(\x8c\x01a\x94h\x05e\x8c\x02id\x94K\x05u.".to_vec(),
            b"\x80\x05}\x94\x8c\x01k\x94G?\xf0\x00\x00\x00\x00\x00\x00s.".to_vec(),
            b"\x80\x05}\x94(\x8c\x01k\x94G?\xf0\x00\x00\x00\x00\x00\x00)\x94s.".to_vec(),
            b"\x80\x06N.".to_vec(),
            b"}(]K\x01s.".to_vec(),
            b"(dS'k'\n(lp1\ns.".to_vec(),
            b"]K\x01s.".to_vec(),
            b"(S'a'\nI1\nd.".to_vec(),
            b"(S'a'\nd.".to_vec(),
            b"g0\n.".to_vec(),
            b"N0.".to_vec(),
            b"(.".to_vec(),
            b"S'unterminated\n.".to_vec(),
            b"S'\\x4'\n.".to_vec(),
            b"X\x02\x00\x00\x00\xed\xa0.".to_vec(),
        ];
        out.push(b"(dp0\nVname\np1\nVabc\np2\ns.".to_vec());
        out.push(b"\x80\x03}q\x00X\x01\x00\x00\x00aq\x01C\x02\xff\x00q\x02s.".to_vec());
        out
    }

    /// Every answer equals the simulation's verdict, on the samples, every prefix of them, and
    /// byte-level mutations of them.
    #[test]
    fn agrees_with_the_simulation() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut answered = 0;
        let mut check = |data: &[u8]| {
            if let Some(quick) = verdict(data) {
                answered += 1;
                assert_eq!(
                    quick,
                    simulated(data),
                    "{:?}",
                    String::from_utf8_lossy(data)
                );
            }
        };
        let interesting =
            b"(.0NKGJUTXSVpgqhrjs]}u)aelt\x85\x86\x87\x94\x95\x80\x88\x89\n'\\x9e0123456789";
        for sample in samples() {
            check(&sample);
            for end in 0..sample.len() {
                check(&sample[..end]);
            }
            for _ in 0..3000 {
                let mut data = sample.clone();
                for _ in 0..1 + next() % 3 {
                    let at = (next() % data.len() as u64) as usize;
                    let byte = interesting[(next() % interesting.len() as u64) as usize];
                    match next() % 3 {
                        0 => data[at] = byte,
                        1 => data.insert(at, byte),
                        _ => {
                            data.remove(at);
                        }
                    }
                    if data.is_empty() {
                        data.push(b'.');
                    }
                }
                check(&data);
            }
        }
        assert!(answered > 1000, "only {answered} answered");
    }

    #[test]
    fn answers_the_common_shapes() {
        for sample in &samples()[..9] {
            assert!(
                verdict(sample).is_some(),
                "{:?}",
                String::from_utf8_lossy(sample)
            );
        }
        // Globals, objects, unhashable keys: left to the simulation.
        assert!(verdict(b"c__builtin__\nset\n(]tR.").is_none());
        assert!(verdict(b"}]K\x01s.").is_none());
    }
}
