//! Human views of a pickle: an opcode listing like `pickletools.dis`, and the value a pickle
//! decodes to as Python 2 or Python 3 would show it (for `pickle diff`). Pure: bytes in,
//! text out; rendering is bounded in depth and size, and cycles print as `[...]`.

use std::fmt::Write as _;

use super::opcodes::code;
use super::reader::{Arg, Op, Reader};
use super::simulate::{Ctor, IntValue, Node, NodeId, Simulation};
use super::strings;

/// How Python 3 decodes py2 `str` values (`pickle.loads(..., encoding=...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Py3Encoding {
    /// `encoding='ASCII'` (shown like latin1; the load itself fails on non-ASCII bytes).
    Ascii,
    /// `encoding='latin1'`.
    Latin1,
    /// `encoding='bytes'`.
    Bytes,
}

/// Which interpreter's eyes to render a value with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Python 2.7 `repr`.
    Py2,
    /// Python 3 `repr` after loading with the given encoding.
    Py3(Py3Encoding),
}

// ---------------------------------------------------------------- disassembly

fn pops_mark(c: u8) -> bool {
    matches!(
        c,
        code::APPENDS
            | code::SETITEMS
            | code::ADDITEMS
            | code::FROZENSET
            | code::LIST
            | code::TUPLE
            | code::DICT
            | code::INST
            | code::OBJ
            | code::POP_MARK
    )
}

/// Longest string, bytes or line argument shown whole (in bytes); a longer one shows its
/// start and its length, so that neither the listing nor a diff grows with a huge value.
const MAX_SHOWN: usize = 1024;

/// `b` cut to [`MAX_SHOWN`] bytes, and what to write after it: nothing, or the full length
/// (and, with `hash`, an xxh3 of the whole value, so that two long values that differ past
/// the cut still render differently in `pickle diff`).
fn clip(b: &[u8], hash: bool) -> (&[u8], String) {
    if b.len() <= MAX_SHOWN {
        return (b, String::new());
    }
    let note = if hash {
        format!(
            "...<{} bytes, xxh3 {:016x}>",
            b.len(),
            xxhash_rust::xxh3::xxh3_64(b)
        )
    } else {
        format!("...<{} bytes>", b.len())
    };
    (b.get(..MAX_SHOWN).unwrap_or(b), note)
}

/// [`clip`] for text, cut at a character boundary.
fn clip_str(t: &str, hash: bool) -> (&str, String) {
    if t.len() <= MAX_SHOWN {
        return (t, String::new());
    }
    let mut end = MAX_SHOWN;
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    let (_, note) = clip(t.as_bytes(), hash);
    (t.get(..end).unwrap_or(t), note)
}

/// [`clip`] for UTF-8 bytes: the cut backs off to the start of a character.
fn clip_utf8(b: &[u8]) -> (&[u8], String) {
    let (mut head, note) = clip(b, false);
    if !note.is_empty() {
        while let Some((&last, rest)) = head.split_last() {
            if last & 0xc0 != 0x80 {
                head = rest;
                break;
            }
            head = rest;
        }
    }
    (head, note)
}

fn lossy(line: &[u8]) -> String {
    let (head, note) = clip(line, false);
    format!("{}{}", String::from_utf8_lossy(head), note)
}

fn describe_arg(op: &Op<'_>, memo_len: usize) -> String {
    let c = op.info.code;
    match op.arg {
        Arg::None if c == code::MEMOIZE => format!("(as {})", memo_len),
        Arg::None => String::new(),
        Arg::Int(v) => v.to_string(),
        Arg::U64(v) => v.to_string(),
        Arg::Float(v) => py_float(v),
        Arg::Bytes(b) => match c {
            code::BINSTRING | code::SHORT_BINSTRING => {
                let (head, note) = clip(b, false);
                format!("{}{}", py2_str_repr(head), note)
            }
            code::BINBYTES | code::SHORT_BINBYTES | code::BINBYTES8 => {
                let (head, note) = clip(b, false);
                format!("b'{}'{}", strings::bytes_repr_body(head), note)
            }
            code::BYTEARRAY8 => {
                let (head, note) = clip(b, false);
                format!("bytearray(b'{}'){}", strings::bytes_repr_body(head), note)
            }
            code::LONG1 | code::LONG4 => int_from_le(b),
            _ => {
                let (head, note) = clip_utf8(b);
                match strings::decode_utf8_surrogatepass(head) {
                    Ok(t) => format!("{}{}", py3_str_repr(&t), note),
                    Err(_) => format!(
                        "<invalid UTF-8 b'{}'{}>",
                        strings::bytes_repr_body(head),
                        note
                    ),
                }
            }
        },
        Arg::Line(l) => match c {
            code::UNICODE if l.len() <= MAX_SHOWN => match strings::decode_raw_unicode_escape(l) {
                Ok(t) => py3_str_repr(&t),
                Err(_) => lossy(l),
            },
            _ => lossy(l),
        },
        Arg::TwoLines(m, n) => format!("'{} {}'", lossy(m), lossy(n)),
    }
}

/// Deepest MARK nesting shown by indentation; deeper opcodes show the depth as a number, so
/// the listing stays linear in the input (pickletools' indentation grows with the depth).
const MAX_INDENT: usize = 10;

/// One opcode of `pickle dis --output-format json`.
#[derive(serde::Serialize)]
struct OpJson<'s> {
    /// Which pickle of the input (0 for the first).
    pickle: usize,
    offset: usize,
    /// The opcode byte, as pickletools shows it (`(`, `\x80`).
    code: &'s str,
    opcode: &'static str,
    /// The argument as the text listing shows it.
    arg: &'s str,
    /// MARK nesting depth.
    depth: usize,
}

/// The end of one pickle of `pickle dis --output-format json`.
#[derive(serde::Serialize)]
struct PickleEndJson<'s> {
    pickle: usize,
    start: usize,
    end: usize,
    highest_protocol: u8,
    error: Option<&'s str>,
}

/// Lists every opcode of every pickle in `data`, like `python -m pickletools`, into `out`
/// as it goes (text, or JSON lines: one object per opcode, one per pickle). Returns whether
/// every pickle read through its STOP.
pub fn disassemble_to(
    data: &[u8],
    out: &mut dyn std::io::Write,
    json: bool,
) -> std::io::Result<bool> {
    let mut start = 0;
    let mut first = true;
    let mut pickle = 0usize;
    let mut line = String::new();
    while start < data.len() || first {
        first = false;
        let mut reader = Reader::new(data, start);
        let mut indent = 0usize;
        let mut memo_len = 0usize;
        let mut highest = 0u8;
        let mut error: Option<String> = None;
        for op in reader.by_ref() {
            match op {
                Ok(op) => {
                    let c = op.info.code;
                    if pops_mark(c) {
                        indent = indent.saturating_sub(1);
                    }
                    highest = highest.max(op.info.proto);
                    let byte = match c {
                        0x20..=0x7e => char::from(c).to_string(),
                        _ => format!("\\x{:02x}", c),
                    };
                    let arg = describe_arg(&op, memo_len);
                    line.clear();
                    if json {
                        let record = OpJson {
                            pickle,
                            offset: op.offset,
                            code: &byte,
                            opcode: op.info.name,
                            arg: &arg,
                            depth: indent,
                        };
                        line = serde_json::to_string(&record).unwrap_or_default();
                    } else {
                        let pad = if indent <= MAX_INDENT {
                            " ".repeat(indent * 4)
                        } else {
                            format!(
                                "{:<width$}",
                                format!("[depth {}]", indent),
                                width = MAX_INDENT * 4
                            )
                        };
                        let _ = if arg.is_empty() {
                            write!(line, "{:5}: {:<4} {}{}", op.offset, byte, pad, op.info.name)
                        } else {
                            write!(
                                line,
                                "{:5}: {:<4} {}{:<16} {}",
                                op.offset, byte, pad, op.info.name, arg
                            )
                        };
                    }
                    line.push('\n');
                    out.write_all(line.as_bytes())?;
                    if c == code::MEMOIZE {
                        memo_len += 1;
                    }
                    if c == code::MARK {
                        indent += 1;
                    }
                }
                Err(e) => error = Some(e.to_string()),
            }
        }
        let end = reader.position();
        if json {
            let record = PickleEndJson {
                pickle,
                start,
                end,
                highest_protocol: highest,
                error: error.as_deref(),
            };
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")?;
        } else {
            if let Some(e) = &error {
                writeln!(out, "error: {}", e)?;
            }
            writeln!(out, "highest protocol among opcodes = {}", highest)?;
        }
        if error.is_some() {
            return Ok(false);
        }
        if end <= start {
            break;
        }
        start = end;
        pickle += 1;
        if start < data.len() && !json {
            writeln!(out, "--- next pickle at offset {}", start)?;
        }
    }
    Ok(true)
}

/// [`disassemble_to`] into a string (text listing).
pub fn disassemble(data: &[u8]) -> String {
    let mut out = Vec::new();
    let _ = disassemble_to(data, &mut out, false);
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------- scalars

/// Python's `repr(float)`.
pub fn py_float(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sci = format!("{:e}", v); // shortest round-trip digits, e.g. "-1.5e-7"
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            format!("{}0.{}{}", sign, "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!(
                "{}{}{}.0",
                sign,
                digits,
                "0".repeat(point as usize - digits.len())
            )
        } else {
            let (a, b) = digits.split_at(point as usize);
            format!("{}{}.{}", sign, a, b)
        }
    } else {
        let (a, b) = digits.split_at(1.min(digits.len()));
        let frac = if b.is_empty() {
            String::new()
        } else {
            format!(".{}", b)
        };
        format!(
            "{}{}{}e{}{:02}",
            sign,
            a,
            frac,
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// A little-endian two's complement integer in decimal (up to 64 bytes, else a summary).
pub fn int_from_le(b: &[u8]) -> String {
    if b.is_empty() {
        return "0".into();
    }
    if b.len() > 64 {
        return format!("<int of {} bytes>", b.len());
    }
    let negative = b.last().is_some_and(|x| x & 0x80 != 0);
    // Magnitude as base-2^32 limbs, little-endian.
    let mut bytes = b.to_vec();
    if negative {
        let mut carry = true;
        for x in bytes.iter_mut() {
            *x = !*x;
            if carry {
                let (v, c) = x.overflowing_add(1);
                *x = v;
                carry = c;
            }
        }
    }
    let mut limbs: Vec<u32> = bytes
        .chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(w)
        })
        .collect();
    let mut digits = Vec::new();
    while limbs.iter().any(|l| *l != 0) {
        let mut rem: u64 = 0;
        for limb in limbs.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / 1_000_000_000) as u32;
            rem = cur % 1_000_000_000;
        }
        digits.push(rem as u32);
    }
    let mut s = String::from(if negative { "-" } else { "" });
    match digits.split_last() {
        None => s.push('0'),
        Some((top, rest)) => {
            let _ = write!(s, "{}", top);
            for d in rest.iter().rev() {
                let _ = write!(s, "{:09}", d);
            }
        }
    }
    s
}

/// Python 2's `repr(str)`.
pub fn py2_str_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::new();
    s.push(quote);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            _ if char::from(c) == quote => {
                s.push('\\');
                s.push(quote)
            }
            0x20..=0x7e => s.push(char::from(c)),
            _ => {
                let _ = write!(s, "\\x{:02x}", c);
            }
        }
    }
    s.push(quote);
    s
}

fn str_repr(t: &str, py2: bool) -> String {
    let quote = if t.contains('\'') && !t.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::new();
    if py2 {
        s.push('u');
    }
    s.push(quote);
    for ch in t.chars() {
        let n = ch as u32;
        match ch {
            '\\' => s.push_str("\\\\"),
            '\t' => s.push_str("\\t"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            _ if ch == quote => {
                s.push('\\');
                s.push(quote)
            }
            ' '..='~' => s.push(ch),
            _ if py2 || n < 0xa1 || n == 0xad || ch.is_control() => {
                let _ = match n {
                    0..=0xff => write!(s, "\\x{:02x}", n),
                    0x100..=0xffff => write!(s, "\\u{:04x}", n),
                    _ => write!(s, "\\U{:08x}", n),
                };
            }
            _ => s.push(ch),
        }
    }
    s.push(quote);
    s
}

/// Python 3's `repr(str)` (approximately: printable non-ASCII characters are kept).
pub fn py3_str_repr(t: &str) -> String {
    str_repr(t, false)
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|c| char::from(*c)).collect()
}

// ---------------------------------------------------------------- values

const MAX_DEPTH: usize = 100;
const MAX_VISITS: usize = 200_000;
const WIDTH: usize = 80;

struct Renderer<'s, 'a> {
    sim: &'s Simulation<'a>,
    view: View,
    active: Vec<bool>,
    visits: usize,
}

/// A rendered value: one line, or a multi-line block.
enum Doc {
    Line(String),
    Block(Vec<String>),
}

impl Doc {
    fn into_lines(self) -> Vec<String> {
        match self {
            Doc::Line(l) => vec![l],
            Doc::Block(b) => b,
        }
    }
}

impl<'s, 'a> Renderer<'s, 'a> {
    fn node(&self, id: NodeId) -> Option<&'s Node<'a>> {
        self.sim.nodes.get(id as usize)
    }

    fn py2(&self) -> bool {
        self.view == View::Py2
    }

    fn bytes_repr(&self, b: &[u8]) -> String {
        let (head, note) = clip(b, true);
        if self.py2() {
            format!("{}{}", py2_str_repr(head), note)
        } else {
            format!("b'{}'{}", strings::bytes_repr_body(head), note)
        }
    }

    fn text_repr(&self, t: &str) -> String {
        let (head, note) = clip_str(t, true);
        format!("{}{}", str_repr(head, self.py2()), note)
    }

    /// The global name as this view's interpreter looks it up.
    fn global_name(&self, id: NodeId) -> Option<(String, String)> {
        match self.node(id)? {
            Node::Global(g) => {
                let (m, n) = if self.py2() {
                    (&*g.module, &*g.name)
                } else {
                    g.py3_name()
                };
                Some((normalize_module(m).to_string(), n.to_string()))
            }
            _ => None,
        }
    }

    fn args(&self, id: NodeId) -> &'s [NodeId] {
        self.sim.tuple_items(id)
    }

    /// The bytes a value stands for, when it is bytes-like in this view.
    fn as_bytes(&self, id: NodeId) -> Option<Vec<u8>> {
        /// Larger values are not copied: they render as the call that makes them.
        const MAX_COPIED: usize = 1 << 20;
        let node = self.node(id)?;
        let len = match node {
            Node::Bytes(b) => b.len(),
            Node::Py2Str(b) => b.len(),
            Node::Text(t) => t.len(),
            _ => 0,
        };
        if len > MAX_COPIED {
            return None;
        }
        match node {
            Node::Bytes(b) => Some(b.to_vec()),
            Node::Py2Str(b) => Some(b.to_vec()),
            Node::Text(t) => t.chars().map(|c| u8::try_from(c as u32).ok()).collect(),
            Node::Object(o) if o.ctor == Ctor::Reduce => {
                let (m, n) = self.global_name(o.class)?;
                let args = self.args(o.args);
                if (m.as_str(), n.as_str()) == ("_codecs", "encode") {
                    return self.as_bytes(*args.first()?);
                }
                None
            }
            _ => None,
        }
    }

    fn render(&mut self, id: NodeId, depth: usize) -> Doc {
        self.visits += 1;
        if depth > MAX_DEPTH || self.visits > MAX_VISITS {
            return Doc::Line("...".into());
        }
        let Some(node) = self.node(id) else {
            return Doc::Line("?".into());
        };
        if self.active.get(id as usize).copied().unwrap_or(false) {
            return Doc::Line(match node {
                Node::Dict(_) => "{...}".into(),
                _ => "[...]".into(),
            });
        }
        if let Some(slot) = self.active.get_mut(id as usize) {
            *slot = true;
        }
        let doc = self.render_node(node, depth);
        if let Some(slot) = self.active.get_mut(id as usize) {
            *slot = false;
        }
        doc
    }

    fn render_node(&mut self, node: &'s Node<'a>, depth: usize) -> Doc {
        let line = |s: String| Doc::Line(s);
        match node {
            Node::None => line("None".into()),
            Node::Bool(b) => line(if *b { "True" } else { "False" }.into()),
            Node::Int(IntValue::Small(v)) => line(v.to_string()),
            Node::Int(IntValue::Big(b)) => line(int_from_le(b)),
            Node::Int(IntValue::Text(t)) => {
                let (head, note) = clip(t, true);
                let s = String::from_utf8_lossy(head);
                line(format!(
                    "{}{}",
                    s.trim_end_matches('L').trim_start_matches('+'),
                    note
                ))
            }
            Node::Float(v) => line(py_float(*v)),
            Node::Py2Str(b) => line(match self.view {
                View::Py3(Py3Encoding::Latin1 | Py3Encoding::Ascii) => {
                    let (head, note) = clip(b, true);
                    format!("{}{}", py3_str_repr(&latin1(head)), note)
                }
                _ => self.bytes_repr(b),
            }),
            Node::Text(t) => line(self.text_repr(t)),
            Node::Bytes(b) => line(self.bytes_repr(b)),
            Node::ByteArray(b) => {
                let (head, note) = clip(b, true);
                line(format!(
                    "bytearray(b'{}'){}",
                    strings::bytes_repr_body(head),
                    note
                ))
            }
            Node::Tuple(span) => {
                let items = self.sim.items(*span);
                let docs = self.render_all(items, depth);
                let trailing = if items.len() == 1 { "," } else { "" };
                join("(", docs, &format!("{})", trailing))
            }
            Node::List(items) => {
                let docs = self.render_all(items, depth);
                join("[", docs, "]")
            }
            Node::Set(items) | Node::FrozenSet(items) => {
                let frozen = matches!(node, Node::FrozenSet(_));
                self.render_set(items, frozen, depth)
            }
            Node::Dict(entries) => self.render_dict(entries, depth),
            Node::Global(_) => {
                let (m, n) = self.global_name_of(node);
                line(format!("{}.{}", m, n))
            }
            Node::Object(o) => self.render_object(o, depth),
            Node::PersistentId => line("<persistent id>".into()),
            Node::Extension(c) => line(format!("<extension {}>", c)),
            Node::Buffer => line("<out-of-band buffer>".into()),
        }
    }

    fn global_name_of(&self, node: &Node<'_>) -> (String, String) {
        match node {
            Node::Global(g) => {
                let (m, n) = if self.py2() {
                    (&*g.module, &*g.name)
                } else {
                    g.py3_name()
                };
                (normalize_module(m).to_string(), n.to_string())
            }
            _ => (String::new(), String::new()),
        }
    }

    fn render_all(&mut self, items: &[NodeId], depth: usize) -> Vec<Doc> {
        items.iter().map(|i| self.render(*i, depth + 1)).collect()
    }

    fn render_set(&mut self, items: &[NodeId], frozen: bool, depth: usize) -> Doc {
        let mut docs = self.render_all(items, depth);
        docs.sort_by_key(doc_key);
        docs.dedup_by_key(|d| doc_key(d));
        let name = if frozen { "frozenset" } else { "set" };
        if self.py2() {
            join(&format!("{}([", name), docs, "])")
        } else if docs.is_empty() {
            Doc::Line(format!("{}()", name))
        } else if frozen {
            join("frozenset({", docs, "})")
        } else {
            join("{", docs, "}")
        }
    }

    fn render_dict(&mut self, entries: &[(NodeId, NodeId)], depth: usize) -> Doc {
        // Python keeps one entry per equal key: the first position, the last value. Keys are
        // compared by their Python 3 latin1 rendering, where 'a' == u'a' as in Python 2 too.
        let mut rendered: Vec<(String, Doc, Doc)> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (k, v) in entries {
            let eq = self.eq_key(*k);
            let key = self.render(*k, depth + 1);
            let value = self.render(*v, depth + 1);
            match index.get(&eq) {
                Some(&i) => {
                    if let Some(slot) = rendered.get_mut(i) {
                        slot.2 = value;
                    }
                }
                None => {
                    index.insert(eq.clone(), rendered.len());
                    rendered.push((eq, key, value));
                }
            }
        }
        rendered.sort_by_key(|a| doc_key(&a.1));
        let docs = rendered
            .into_iter()
            .map(|(_, k, v)| {
                let k = doc_key(&k);
                match v {
                    Doc::Line(l) => Doc::Line(format!("{}: {}", k, l)),
                    Doc::Block(mut b) => {
                        if let Some(first) = b.first_mut() {
                            *first = format!("{}: {}", k, first);
                        }
                        Doc::Block(b)
                    }
                }
            })
            .collect();
        join("{", docs, "}")
    }

    fn eq_key(&mut self, id: NodeId) -> String {
        let saved = self.view;
        let encoding = match saved {
            View::Py3(Py3Encoding::Bytes) => Py3Encoding::Bytes,
            _ => Py3Encoding::Latin1,
        };
        self.view = View::Py3(encoding);
        let key = doc_key(&self.render(id, MAX_DEPTH - 2));
        self.view = saved;
        key
    }

    fn render_object(&mut self, o: &'s super::simulate::Object, depth: usize) -> Doc {
        let name = self.global_name(o.class);
        let args = self.args(o.args);
        if o.ctor == Ctor::Reduce
            && o.state.is_empty()
            && o.items.is_empty()
            && o.entries.is_empty()
        {
            if let Some((m, n)) = &name {
                if let Some(doc) = self.render_known(m, n, args, depth) {
                    return doc;
                }
            }
        }
        let (callee, args): (String, &[NodeId]) = match (&name, o.ctor) {
            // copyreg._reconstructor(cls, object, None) is how Python 2 pickles new-style objects.
            (Some((m, n)), Ctor::Reduce)
                if m == "copyreg" && n == "_reconstructor" && !args.is_empty() =>
            {
                (self.callee(args[0]), &[])
            }
            (Some((m, n)), _) => (format!("{}.{}", m, n), args),
            (None, _) => (self.callee(o.class), args),
        };
        let mut docs = self.render_all(args, depth);
        if let Some(kw) = o.kwargs {
            docs.push(prefix("**", self.render(kw, depth + 1)));
        }
        for s in &o.state {
            docs.push(prefix("state=", self.render(*s, depth + 1)));
        }
        if !o.items.is_empty() {
            let items = self.render_all(&o.items, depth);
            docs.push(prefix("items=", join("[", items, "]")));
        }
        if !o.entries.is_empty() {
            let entries = self.render_dict(&o.entries, depth);
            docs.push(prefix("entries=", entries));
        }
        join(&format!("{}(", callee), docs, ")")
    }

    fn callee(&mut self, id: NodeId) -> String {
        match self.global_name(id) {
            Some((m, n)) => format!("{}.{}", m, n),
            None => doc_key(&self.render(id, MAX_DEPTH - 2)),
        }
    }

    /// Values with a well-known meaning: sets, bytes written by Python 3 at protocol <= 2,
    /// dates and times.
    fn render_known(
        &mut self,
        module: &str,
        name: &str,
        args: &[NodeId],
        depth: usize,
    ) -> Option<Doc> {
        match (module, name) {
            ("builtins", "set" | "frozenset") => {
                let items: &[NodeId] = match args.first().and_then(|a| self.node(*a)) {
                    None => &[],
                    Some(Node::List(items)) => items,
                    Some(Node::Tuple(span)) => self.sim.items(*span),
                    _ => return None,
                };
                Some(self.render_set(items, name == "frozenset", depth))
            }
            ("_codecs", "encode") => {
                let b = self.as_bytes(*args.first()?)?;
                Some(Doc::Line(self.bytes_repr(&b)))
            }
            ("builtins", "bytes") if args.is_empty() => Some(Doc::Line(self.bytes_repr(b""))),
            ("builtins", "bytearray") => {
                let b = match args.first() {
                    None => Vec::new(),
                    Some(a) => self.as_bytes(*a)?,
                };
                let (head, note) = clip(&b, true);
                Some(Doc::Line(format!(
                    "bytearray(b'{}'){}",
                    strings::bytes_repr_body(head),
                    note
                )))
            }
            ("datetime", "datetime" | "date" | "time") => {
                let state = self.as_bytes(*args.first()?)?;
                datetime_repr(name, &state).map(Doc::Line)
            }
            _ => None,
        }
    }
}

fn normalize_module(m: &str) -> &str {
    match m {
        "__builtin__" => "builtins",
        "copy_reg" => "copyreg",
        other => other,
    }
}

/// `datetime.datetime(2000, 1, 2, 3, 4, 5, 6)` from a pickled state.
fn datetime_repr(name: &str, s: &[u8]) -> Option<String> {
    let b = |i: usize| s.get(i).copied().map(u32::from);
    let time = |at: usize| -> Option<Vec<u32>> {
        let mut parts = vec![
            b(at)? & 0x7f,
            b(at + 1)?,
            b(at + 2)?,
            (b(at + 3)? << 16) | (b(at + 4)? << 8) | b(at + 5)?,
        ];
        while parts.len() > 2 && parts.last() == Some(&0) {
            parts.pop();
        }
        Some(parts)
    };
    let join = |v: Vec<u32>| {
        v.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (name, s.len()) {
        ("datetime", 10) => {
            let mut parts = vec![(b(0)? << 8) | b(1)?, b(2)? & 0x7f, b(3)?];
            parts.extend(time(4)?);
            Some(format!("datetime.datetime({})", join(parts)))
        }
        ("date", 4) => Some(format!(
            "datetime.date({})",
            join(vec![(b(0)? << 8) | b(1)?, b(2)?, b(3)?])
        )),
        ("time", 6) => Some(format!("datetime.time({})", join(time(0)?))),
        _ => None,
    }
}

fn doc_key(d: &Doc) -> String {
    match d {
        Doc::Line(l) => l.clone(),
        Doc::Block(b) => b.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "),
    }
}

fn prefix(p: &str, d: Doc) -> Doc {
    match d {
        Doc::Line(l) => Doc::Line(format!("{}{}", p, l)),
        Doc::Block(mut b) => {
            if let Some(first) = b.first_mut() {
                *first = format!("{}{}", p, first);
            }
            Doc::Block(b)
        }
    }
}

/// Joins children on one line when short, else one child per indented line.
fn join(open: &str, docs: Vec<Doc>, close: &str) -> Doc {
    let all_lines = docs.iter().all(|d| matches!(d, Doc::Line(_)));
    if all_lines {
        let inner: Vec<String> = docs.iter().map(doc_key).collect();
        let one = format!("{}{}{}", open, inner.join(", "), close);
        if one.len() <= WIDTH {
            return Doc::Line(one);
        }
    }
    let mut lines = vec![open.to_string()];
    for d in docs {
        let mut child = d.into_lines();
        if let Some(last) = child.last_mut() {
            last.push(',');
        }
        lines.extend(child.into_iter().map(|l| format!("  {}", l)));
    }
    lines.push(close.to_string());
    Doc::Block(lines)
}

/// Renders the value a simulated pickle loads to, as `view` shows it (one or more lines).
pub fn render_value(sim: &Simulation<'_>, view: View) -> String {
    let Some(root) = sim.root else {
        return match &sim.error {
            Some(e) => format!("<unreadable: {}>", e),
            None => "<no value>".into(),
        };
    };
    let mut r = Renderer {
        sim,
        view,
        active: vec![false; sim.nodes.len()],
        visits: 0,
    };
    let mut text = r.render(root, 0).into_lines().join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pickle::simulate::{simulate, Limits};

    fn show(data: &[u8], view: View) -> String {
        render_value(&simulate(data, 0, Limits::default()), view)
    }

    #[test]
    fn py2_and_py3_views() {
        // Python 2: pickle.dumps({u'a': u'\u7231'}, 2)
        let py2 = b"\x80\x02}q\x00X\x01\x00\x00\x00aq\x01X\x03\x00\x00\x00\xe7\x88\xb1q\x02s.";
        assert_eq!(show(py2, View::Py2), "{u'a': u'\\u7231'}\n");
        assert_eq!(show(py2, View::Py3(Py3Encoding::Latin1)), "{'a': '爱'}\n");
        let s = b"\x80\x02U\x03\xe7\x88\xb1.";
        assert_eq!(show(s, View::Py3(Py3Encoding::Latin1)), "'ç\\x88±'\n");
        assert_eq!(
            show(s, View::Py3(Py3Encoding::Bytes)),
            "b'\\xe7\\x88\\xb1'\n"
        );
    }

    #[test]
    fn floats_and_ints() {
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(1e100), "1e+100");
        assert_eq!(py_float(0.0001), "0.0001");
        assert_eq!(py_float(1.5e-7), "1.5e-07");
        assert_eq!(py_float(-2.5), "-2.5");
        assert_eq!(int_from_le(&[0xff]), "-1");
        assert_eq!(
            int_from_le(&[0, 0, 0, 0, 0, 0, 0, 0, 1]),
            "18446744073709551616"
        );
    }

    #[test]
    fn listing() {
        let text = disassemble(b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94.");
        assert!(
            text.contains("   11: \\x8c SHORT_BINUNICODE 'hello'"),
            "{}",
            text
        );
        assert!(text.contains("MEMOIZE          (as 0)"), "{}", text);
    }

    /// The listing grows linearly with MARK depth: indentation stops at MAX_INDENT levels.
    #[test]
    fn deep_marks_list_linearly() {
        let size = |n: usize| {
            let mut blob = vec![b'('; n];
            blob.push(b'.');
            disassemble(&blob).len()
        };
        let (small, large) = (size(20_000), size(40_000));
        assert!(large <= 2 * small + 200, "{small} -> {large}");
        assert!(large < 40_000 * 64, "{large} bytes for 40000 MARKs");
        let text = disassemble(b"((((((((((((N.");
        assert!(text.contains("[depth 12]"), "{text}");
    }

    /// Huge values show their start and length: the listing and the diff views stay small.
    #[test]
    fn huge_values_are_clipped() {
        let n = 100_000usize;
        let mut blob = b"\x80\x04\x8e".to_vec();
        blob.extend_from_slice(&(n as u64).to_le_bytes());
        blob.extend(std::iter::repeat_n(b'a', n));
        blob.push(b'.');
        let text = disassemble(&blob);
        assert!(text.len() < 2 * MAX_SHOWN, "{} bytes", text.len());
        assert!(text.contains("...<100000 bytes>"), "{text}");
        let shown = show(&blob, View::Py3(Py3Encoding::Latin1));
        assert!(shown.len() < 2 * MAX_SHOWN);
        assert!(shown.contains("...<100000 bytes, xxh3 "), "{shown}");
        // Values that differ past the cut still render differently.
        let mut other = blob.clone();
        let at = other.len() - 2;
        other[at] = b'b';
        assert_ne!(shown, show(&other, View::Py3(Py3Encoding::Latin1)));
        // A long text is cut at a character boundary.
        let long = "é".repeat(MAX_SHOWN);
        let mut blob = b"\x80\x04X".to_vec();
        blob.extend_from_slice(&(long.len() as u32).to_le_bytes());
        blob.extend_from_slice(long.as_bytes());
        blob.push(b'.');
        assert!(disassemble(&blob).contains("'...<2048 bytes>"));
        assert!(show(&blob, View::Py2).contains("...<2048 bytes, xxh3"));
    }
}
