//! Rewriting a pickle as a protocol-2 pickle that Python 2.7 and Python 3 both load to the same
//! value: the `migrate` commands' writer. Reads the original through [`simulate`], never runs it.
//!
//! What each value becomes:
//! - Python 2 `str` of ASCII bytes: a Python 2 `str` again (`SHORT_BINSTRING`/`BINSTRING`):
//!   Python 2 reads `str`, Python 3 (default encoding) reads `str`, as both read it today.
//! - Python 2 `str` with non-ASCII bytes, by [`StrPolicy`]: `bytes` is the form CPython 3
//!   itself writes for `bytes` at protocol 2, `_codecs.encode(u'<latin-1 text>', 'latin1')`
//!   (Python 2 reads the same `str`, Python 3 reads `bytes`); `text-if-utf8` writes UTF-8
//!   strs as unicode (both read text) and the others as bytes.
//! - Text: `BINUNICODE` (`unicode` on Python 2, `str` on Python 3).
//! - Python 3 `bytes` / `bytearray`: as CPython 3 writes them at protocol 2.
//! - ints, floats, bools, None, tuples, lists, dicts, sets: their protocol-2 opcodes (sets as
//!   `__builtin__.set([...])`, as CPython 3 writes them).
//! - Objects: only of the classes in [`ALLOWED_CLASSES`] (standard types whose pickled state
//!   both Pythons read alike); any other class is refused: what it does with its state is not
//!   known. Shared values stay shared (memo), so do cycles through lists, dicts and objects.
//!
//! Refused (the item is left as it is, with the reason): other classes, persistent ids,
//! extensions, out-of-band buffers, text that may hold a lone surrogate, dict keys or set items
//! that would become equal on one side, cycles through tuples, nesting deeper than
//! [`MAX_DEPTH`].
//!
//! Why not serde-pickle (a dependency, and it writes protocol 2 with bytes in this same
//! `_codecs.encode` form): its `Value` has no Python 2 `str` (ASCII strs would have to become
//! `bytes` on Python 3 or `unicode` on Python 2, changing what one side reads), no objects
//! (datetime, Decimal, OrderedDict...), no shared or recursive values, and dicts are sorted
//! maps. Its reader is used in the tests as a second opinion on what this writer writes.

use std::collections::HashMap;

use super::opcodes::code;
use super::simulate::{self, Ctor, IntValue, Limits, Node, NodeId, Simulation};

/// Deepest nesting written (deeper values are refused rather than risk the stack).
pub const MAX_DEPTH: usize = 400;

/// What a Python 2 `str` holding non-ASCII bytes becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum StrPolicy {
    /// `bytes` on Python 3 (Python 2 still reads the same `str`).
    #[default]
    Bytes,
    /// Text on both when the bytes are valid UTF-8 (Python 2 then reads `unicode`), else bytes.
    TextIfUtf8,
}

impl StrPolicy {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            StrPolicy::Bytes => "bytes",
            StrPolicy::TextIfUtf8 => "text-if-utf8",
        }
    }
}

/// Classes whose objects are rewritten: (Python 2 module, Python 3 module, name, binary).
/// `binary`: Python 2 `str`s in the arguments are binary state, always written as bytes.
pub const ALLOWED_CLASSES: &[(&str, &str, &str, bool)] = &[
    ("__builtin__", "builtins", "set", false),
    ("__builtin__", "builtins", "frozenset", false),
    ("__builtin__", "builtins", "bytearray", false),
    ("__builtin__", "builtins", "bytes", false),
    ("__builtin__", "builtins", "complex", false),
    ("_codecs", "_codecs", "encode", false),
    ("collections", "collections", "OrderedDict", false),
    ("collections", "collections", "deque", false),
    ("collections", "collections", "Counter", false),
    ("datetime", "datetime", "datetime", true),
    ("datetime", "datetime", "date", true),
    ("datetime", "datetime", "time", true),
    ("datetime", "datetime", "timedelta", false),
    ("decimal", "decimal", "Decimal", false),
];

/// Rewrites the first pickle of `data` as a protocol-2 pickle both Pythons load to the same
/// value, or says why it will not.
pub fn rewrite(data: &[u8], policy: StrPolicy) -> Result<Vec<u8>, String> {
    let sim = simulate::simulate(data, 0, Limits::default());
    let result = rewrite_simulation(&sim, policy);
    simulate::recycle(sim);
    let out = result?;
    // The writer's own check: what it wrote must load on both, whatever the above says.
    let audit = super::audit(&out);
    if audit.error.is_some() || !audit.py2_loadable || !audit.py3_loadable.ascii {
        return Err(format!(
            "the rewrite does not audit as loading on both ({})",
            audit
                .findings
                .first()
                .map(|f| f.message.as_str())
                .or(audit.error.as_deref())
                .unwrap_or("no reason")
        ));
    }
    Ok(out)
}

/// Rewrites a simulated pickle (see [`rewrite`]; not re-audited).
pub fn rewrite_simulation(sim: &Simulation<'_>, policy: StrPolicy) -> Result<Vec<u8>, String> {
    if let Some(e) = &sim.error {
        return Err(format!("unreadable: {e}"));
    }
    let root = sim.root.ok_or("the pickle has no value")?;
    let mut writer = Writer {
        sim,
        policy,
        out: Vec::with_capacity(sim.end + 64),
        refs: vec![0; sim.nodes.len()],
        memo: HashMap::new(),
        open: vec![false; sim.nodes.len()],
        globals: HashMap::new(),
        latin1: None,
        depth: 0,
    };
    writer.count_refs(root)?;
    writer.out.extend_from_slice(&[code::PROTO, 2]);
    writer.value(root, false)?;
    writer.out.push(code::STOP);
    Ok(writer.out)
}

/// How a string-like dict key or set item is seen by each Python after the rewrite, to find
/// two that would become one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Identity {
    /// Python 3 text.
    Py3Text(String),
    /// Python 3 bytes.
    Py3Bytes(Vec<u8>),
    /// Python 2 ASCII `str` or `unicode` (equal to each other there).
    Py2Ascii(Vec<u8>),
    /// Python 2 non-ASCII `unicode`.
    Py2Unicode(String),
    /// Python 2 non-ASCII `str`.
    Py2Bytes(Vec<u8>),
}

struct Writer<'s, 'a> {
    sim: &'s Simulation<'a>,
    policy: StrPolicy,
    out: Vec<u8>,
    /// References to each node from the reachable graph (saturates at 2).
    refs: Vec<u8>,
    /// Memo index of each node written with a PUT.
    memo: HashMap<NodeId, u32>,
    /// Nodes being written (a reference back to one is a cycle).
    open: Vec<bool>,
    /// Memo index of each global written (module, name).
    globals: HashMap<(&'static str, &'static str), u32>,
    /// Memo index of the text `latin1`.
    latin1: Option<u32>,
    depth: usize,
}

/// How a Python 2 `str` is written.
enum StrForm<'b> {
    /// As a Python 2 `str`.
    Native,
    /// As text.
    Text(&'b str),
    /// As `_codecs.encode(..., 'latin1')`.
    Bytes,
}

impl<'a> Writer<'_, 'a> {
    fn node(&self, id: NodeId) -> Result<&Node<'a>, String> {
        self.sim
            .nodes
            .get(id as usize)
            .ok_or_else(|| "dangling value".to_owned())
    }

    /// Counts references to every node reachable from `root` (iteratively: no recursion).
    fn count_refs(&mut self, root: NodeId) -> Result<(), String> {
        let mut todo = vec![root];
        while let Some(id) = todo.pop() {
            let slot = self
                .refs
                .get_mut(id as usize)
                .ok_or("dangling value in the pickle")?;
            *slot = slot.saturating_add(1).min(2);
            if *slot > 1 {
                continue;
            }
            match self.node(id)? {
                Node::Tuple(span) => todo.extend_from_slice(self.sim.items(*span)),
                Node::List(items) | Node::Set(items) | Node::FrozenSet(items) => {
                    todo.extend_from_slice(items)
                }
                Node::Dict(entries) => {
                    for (k, v) in entries {
                        todo.push(*k);
                        todo.push(*v);
                    }
                }
                Node::Object(obj) => {
                    todo.push(obj.class);
                    todo.push(obj.args);
                    todo.extend(obj.kwargs);
                    todo.extend_from_slice(&obj.state);
                    todo.extend_from_slice(&obj.items);
                    for (k, v) in &obj.entries {
                        todo.push(*k);
                        todo.push(*v);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn shared(&self, id: NodeId) -> bool {
        self.refs.get(id as usize).is_some_and(|&n| n > 1)
    }

    fn put(&mut self, id: NodeId) {
        if self.shared(id) {
            let index = self.new_memo();
            self.memo.insert(id, index);
        }
    }

    /// Writes a PUT for a new memo slot and returns its index.
    fn new_memo(&mut self) -> u32 {
        let index =
            (self.memo.len() + self.globals.len() + usize::from(self.latin1.is_some())) as u32;
        if index < 256 {
            self.out.extend_from_slice(&[code::BINPUT, index as u8]);
        } else {
            self.out.push(code::LONG_BINPUT);
            self.out.extend_from_slice(&index.to_le_bytes());
        }
        index
    }

    fn get(&mut self, index: u32) {
        if index < 256 {
            self.out.extend_from_slice(&[code::BINGET, index as u8]);
        } else {
            self.out.push(code::LONG_BINGET);
            self.out.extend_from_slice(&index.to_le_bytes());
        }
    }

    /// Writes one value. `binary`: a Python 2 `str` here is binary state (always bytes).
    fn value(&mut self, id: NodeId, binary: bool) -> Result<(), String> {
        if let Some(&index) = self.memo.get(&id) {
            self.get(index);
            return Ok(());
        }
        if self.open.get(id as usize).copied().unwrap_or(false) {
            return Err(
                "a value contains itself through a tuple or a constructor's \
                        arguments"
                    .into(),
            );
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH} levels"));
        }
        if let Some(slot) = self.open.get_mut(id as usize) {
            *slot = true;
        }
        let result = self.value_inner(id, binary);
        if let Some(slot) = self.open.get_mut(id as usize) {
            *slot = false;
        }
        self.depth -= 1;
        result
    }

    fn value_inner(&mut self, id: NodeId, binary: bool) -> Result<(), String> {
        let sim = self.sim;
        let node = sim.nodes.get(id as usize).ok_or("dangling value")?;
        match node {
            Node::None => self.out.push(code::NONE),
            Node::Bool(b) => self
                .out
                .push(if *b { code::NEWTRUE } else { code::NEWFALSE }),
            Node::Int(v) => self.int(v),
            Node::Float(f) => {
                self.out.push(code::BINFLOAT);
                self.out.extend_from_slice(&f.to_be_bytes());
            }
            Node::Py2Str(bytes) => match self.str_form(bytes, binary) {
                StrForm::Native => self.native_str(bytes),
                StrForm::Text(text) => self.text(text)?,
                StrForm::Bytes => self.bytes_value(bytes),
            },
            Node::Text(text) => self.text(text)?,
            Node::Bytes(bytes) => self.bytes_value(bytes),
            Node::ByteArray(bytes) => {
                self.global("__builtin__", "bytearray");
                self.latin1_args(bytes);
                self.out.push(code::REDUCE);
            }
            Node::Tuple(span) => {
                let items = sim.items(*span);
                self.tuple(items, binary)?;
            }
            Node::List(items) => {
                self.out.push(code::EMPTY_LIST);
                self.put(id);
                self.batched(items, code::APPENDS, binary)?;
                return Ok(());
            }
            Node::Dict(entries) => {
                self.check_keys(entries.iter().map(|(k, _)| *k))?;
                self.out.push(code::EMPTY_DICT);
                self.put(id);
                self.entries(entries)?;
                return Ok(());
            }
            Node::Set(items) | Node::FrozenSet(items) => {
                self.check_keys(items.iter().copied())?;
                let name = if matches!(node, Node::Set(_)) {
                    "set"
                } else {
                    "frozenset"
                };
                self.global("__builtin__", name);
                self.out.push(code::EMPTY_LIST);
                self.batched(items, code::APPENDS, false)?;
                self.out.extend_from_slice(&[code::TUPLE1, code::REDUCE]);
            }
            Node::Global(_) => return Err("a class or function as a value".into()),
            Node::Object(_) => return self.object(id),
            Node::PersistentId => return Err("a persistent id (needs the application)".into()),
            Node::Extension(_) => return Err("an extension code (copyreg registry)".into()),
            Node::Buffer => return Err("an out-of-band buffer".into()),
        }
        self.put(id);
        Ok(())
    }

    fn str_form<'b>(&self, bytes: &'b [u8], binary: bool) -> StrForm<'b> {
        if bytes.is_ascii() && !binary {
            return StrForm::Native;
        }
        match (self.policy, binary) {
            (StrPolicy::TextIfUtf8, false) => match std::str::from_utf8(bytes) {
                Ok(text) => StrForm::Text(text),
                Err(_) => StrForm::Bytes,
            },
            _ => StrForm::Bytes,
        }
    }

    /// How a string-like value is seen by each Python after the rewrite (None: not a string).
    fn identities(&self, id: NodeId) -> Option<[Identity; 2]> {
        fn py2_text(text: &str) -> Identity {
            if text.is_ascii() {
                Identity::Py2Ascii(text.as_bytes().to_vec())
            } else {
                Identity::Py2Unicode(text.to_owned())
            }
        }
        fn py2_bytes(bytes: &[u8]) -> Identity {
            if bytes.is_ascii() {
                Identity::Py2Ascii(bytes.to_vec())
            } else {
                Identity::Py2Bytes(bytes.to_vec())
            }
        }
        match self.sim.nodes.get(id as usize)? {
            Node::Text(text) => Some([Identity::Py3Text(text.to_string()), py2_text(text)]),
            Node::Bytes(bytes) => Some([Identity::Py3Bytes(bytes.to_vec()), py2_bytes(bytes)]),
            Node::Py2Str(bytes) => Some(match self.str_form(bytes, false) {
                StrForm::Native => [
                    Identity::Py3Text(String::from_utf8_lossy(bytes).into_owned()),
                    py2_bytes(bytes),
                ],
                StrForm::Text(text) => [Identity::Py3Text(text.to_owned()), py2_text(text)],
                StrForm::Bytes => [Identity::Py3Bytes(bytes.to_vec()), py2_bytes(bytes)],
            }),
            _ => None,
        }
    }

    /// Refuses dict keys or set items that one Python would see as equal after the rewrite
    /// (the later one would replace the earlier).
    fn check_keys(&self, keys: impl Iterator<Item = NodeId>) -> Result<(), String> {
        let mut seen: HashMap<Identity, ()> = HashMap::new();
        for key in keys {
            if let Some(ids) = self.identities(key) {
                for identity in ids {
                    if seen.insert(identity, ()).is_some() {
                        return Err("two dict keys or set items would become equal \
                                    (a Python 2 str and a unicode, or a str and bytes)"
                            .into());
                    }
                }
            }
        }
        Ok(())
    }

    fn int(&mut self, v: &IntValue<'_>) {
        match v {
            IntValue::Small(n) => {
                if (0..=0xff).contains(n) {
                    self.out.extend_from_slice(&[code::BININT1, *n as u8]);
                } else if (0..=0xffff).contains(n) {
                    self.out.push(code::BININT2);
                    self.out.extend_from_slice(&(*n as u16).to_le_bytes());
                } else if let Ok(small) = i32::try_from(*n) {
                    self.out.push(code::BININT);
                    self.out.extend_from_slice(&small.to_le_bytes());
                } else {
                    // What Python 2 writes for a 64-bit int: an `int` on both sides.
                    self.out.push(code::INT);
                    self.out.extend_from_slice(n.to_string().as_bytes());
                    self.out.push(b'\n');
                }
            }
            IntValue::Big(le) => {
                if let Ok(len) = u8::try_from(le.len()) {
                    self.out.extend_from_slice(&[code::LONG1, len]);
                } else {
                    self.out.push(code::LONG4);
                    self.out.extend_from_slice(&(le.len() as u32).to_le_bytes());
                }
                self.out.extend_from_slice(le);
            }
            IntValue::Text(digits) => {
                // A decimal too large for 64 bits: LONG, read as a long / int by both.
                self.out.push(code::LONG);
                self.out
                    .extend_from_slice(digits.strip_suffix(b"L").unwrap_or(digits));
                self.out.extend_from_slice(b"L\n");
            }
        }
    }

    fn native_str(&mut self, bytes: &[u8]) {
        if let Ok(len) = u8::try_from(bytes.len()) {
            self.out.extend_from_slice(&[code::SHORT_BINSTRING, len]);
        } else {
            self.out.push(code::BINSTRING);
            self.out
                .extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        }
        self.out.extend_from_slice(bytes);
    }

    fn text(&mut self, text: &str) -> Result<(), String> {
        if text.contains('\u{fffd}') {
            // The simulation shows lone surrogates as U+FFFD: the original text is not known.
            return Err("text holds U+FFFD (possibly a lone surrogate, not kept exactly)".into());
        }
        self.unicode(text);
        Ok(())
    }

    fn unicode(&mut self, text: &str) {
        self.out.push(code::BINUNICODE);
        self.out
            .extend_from_slice(&(text.len() as u32).to_le_bytes());
        self.out.extend_from_slice(text.as_bytes());
    }

    /// `_codecs.encode(u'<bytes as latin-1>', 'latin1')`, as CPython 3 writes bytes.
    fn bytes_value(&mut self, bytes: &[u8]) {
        self.global("_codecs", "encode");
        self.latin1_args(bytes);
        self.out.push(code::REDUCE);
    }

    /// The argument tuple `(u'<bytes as latin-1>', 'latin1')`.
    fn latin1_args(&mut self, bytes: &[u8]) {
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        self.unicode(&text);
        match self.latin1 {
            Some(index) => self.get(index),
            None => {
                self.unicode("latin1");
                let index = self.new_memo();
                self.latin1 = Some(index);
            }
        }
        self.out.push(code::TUPLE2);
    }

    /// A global by its Python 2 name (protocol 2: Python 3 maps it), memoized.
    fn global(&mut self, module: &'static str, name: &'static str) {
        if let Some(&index) = self.globals.get(&(module, name)) {
            self.get(index);
            return;
        }
        self.out.push(code::GLOBAL);
        self.out.extend_from_slice(module.as_bytes());
        self.out.push(b'\n');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'\n');
        let index = self.new_memo();
        self.globals.insert((module, name), index);
    }

    fn tuple(&mut self, items: &[NodeId], binary: bool) -> Result<(), String> {
        match items.len() {
            0 => self.out.push(code::EMPTY_TUPLE),
            1..=3 => {
                for &item in items {
                    self.value(item, binary)?;
                }
                self.out
                    .push([code::TUPLE1, code::TUPLE2, code::TUPLE3][items.len() - 1]);
            }
            _ => {
                self.out.push(code::MARK);
                for &item in items {
                    self.value(item, binary)?;
                }
                self.out.push(code::TUPLE);
            }
        }
        Ok(())
    }

    /// MARK items APPENDS, by 1000 as CPython does.
    fn batched(&mut self, items: &[NodeId], op: u8, binary: bool) -> Result<(), String> {
        for chunk in items.chunks(1000) {
            self.out.push(code::MARK);
            for &item in chunk {
                self.value(item, binary)?;
            }
            self.out.push(op);
        }
        Ok(())
    }

    fn entries(&mut self, entries: &[(NodeId, NodeId)]) -> Result<(), String> {
        for chunk in entries.chunks(1000) {
            self.out.push(code::MARK);
            for &(k, v) in chunk {
                self.value(k, false)?;
                self.value(v, false)?;
            }
            self.out.push(code::SETITEMS);
        }
        Ok(())
    }

    /// An object of an allowed class: class, arguments, REDUCE or NEWOBJ, then its state,
    /// items and entries.
    fn object(&mut self, id: NodeId) -> Result<(), String> {
        let Node::Object(obj) = self.node(id)? else {
            return Err("not an object".into());
        };
        let obj = obj.clone();
        let Node::Global(g) = self.node(obj.class)? else {
            return Err("an object made by a value that is not a named class".into());
        };
        let allowed = ALLOWED_CLASSES
            .iter()
            .find(|(m2, m3, name, _)| *name == g.name && (*m2 == g.module || *m3 == g.module));
        let Some(&(module, _, name, binary)) = allowed else {
            return Err(format!(
                "an object of {}.{}: what the class does with its state is not known",
                g.module, g.name
            ));
        };
        if !matches!(self.node(obj.args)?, Node::Tuple(_)) {
            return Err("constructor arguments that are not a tuple".into());
        }
        self.global(module, name);
        self.value(obj.args, binary)?;
        match obj.ctor {
            Ctor::Reduce => self.out.push(code::REDUCE),
            Ctor::NewObj => self.out.push(code::NEWOBJ),
            Ctor::NewObjEx | Ctor::Inst | Ctor::Obj => {
                return Err(format!("an object of {module}.{name} built a rare way"))
            }
        }
        self.put(id);
        for &state in &obj.state {
            self.value(state, binary)?;
            self.out.push(code::BUILD);
        }
        if !obj.items.is_empty() {
            self.batched(&obj.items, code::APPENDS, false)?;
        }
        if !obj.entries.is_empty() {
            self.check_keys(obj.entries.iter().map(|(k, _)| *k))?;
            self.entries(&obj.entries)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(data: &[u8]) -> Vec<u8> {
        rewrite(data, StrPolicy::Bytes).unwrap()
    }

    #[test]
    fn non_ascii_py2_str_becomes_what_cpython3_writes_for_bytes() {
        // Python 2.7: pickle.dumps('\xe9', 2)
        let out = rw(b"\x80\x02U\x01\xe9q\x00.");
        // Python 3.11: pickle.dumps(b'\xe9', 2) (memo indices aside)
        assert_eq!(
            out,
            b"\x80\x02c_codecs\nencode\nq\x00X\x02\x00\x00\x00\xc3\xa9X\x06\x00\x00\x00latin1q\x01\x86R."
        );
        let text = rewrite(b"\x80\x02U\x02\xc3\xa9q\x00.", StrPolicy::TextIfUtf8).unwrap();
        assert_eq!(text, b"\x80\x02X\x02\x00\x00\x00\xc3\xa9.");
    }

    #[test]
    fn ascii_strs_stay_native_and_sharing_is_kept() {
        // Python 2.7: x = ['a']; pickle.dumps([x, x, '\xff'], 2)
        let out = rw(b"\x80\x02]q\x00(]q\x01U\x01aq\x02ah\x01U\x01\xffq\x03e.");
        let back: serde_pickle::Value = serde_pickle::from_slice(
            &out,
            serde_pickle::DeOptions::new().replace_unresolved_globals(),
        )
        .unwrap();
        assert_eq!(
            format!("{back:?}"),
            format!(
                "{:?}",
                serde_pickle::Value::List(vec![
                    serde_pickle::Value::List(vec![serde_pickle::Value::Bytes(b"a".to_vec())]),
                    serde_pickle::Value::List(vec![serde_pickle::Value::Bytes(b"a".to_vec())]),
                    serde_pickle::Value::Bytes(vec![0xff]),
                ])
            )
        );
        assert!(out.windows(2).any(|w| w == [code::BINGET, 0]));
    }

    #[test]
    fn protocol_5_python3_values_become_protocol_2() {
        // Python 3.11: pickle.dumps({'k': b'\x00\xff', 't': (1, 2.5, None)}, 5)
        let data = b"\x80\x05\x95\x20\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01k\x94C\x02\x00\xff\x94\x8c\x01t\x94K\x01G@\x04\x00\x00\x00\x00\x00\x00N\x87\x94u.";
        let out = rw(data);
        assert_eq!(&out[..2], b"\x80\x02");
        let audit = crate::pickle::audit(&out);
        assert!(audit.py2_loadable && audit.py3_loadable.ascii, "{audit:?}");
    }

    #[test]
    fn refuses_what_it_cannot_prove() {
        // A custom class.
        let e = rewrite(
            b"\x80\x02capp\nThing\n)\x81}U\x01\xe9Nsb.",
            StrPolicy::Bytes,
        );
        assert!(e.unwrap_err().contains("app.Thing"));
        // '\xc3\xa9' and u'\xe9' as keys: one key under text-if-utf8.
        let data = b"\x80\x02}(U\x02\xc3\xa9K\x01X\x02\x00\x00\x00\xc3\xa9K\x02u.";
        assert!(rewrite(data, StrPolicy::Bytes).is_ok());
        assert!(rewrite(data, StrPolicy::TextIfUtf8)
            .unwrap_err()
            .contains("become equal"));
        // A persistent id.
        assert!(rewrite(b"\x80\x02U\x01xQ.", StrPolicy::Bytes).is_err());
    }

    #[test]
    fn datetime_state_is_always_bytes() {
        // Python 2.7: pickle.dumps(datetime.datetime(2020, 1, 2, 3, 4, 5), 2)
        let data = b"\x80\x02cdatetime\ndatetime\nq\x00U\n\x07\xe4\x01\x02\x03\x04\x05\x00\x00\x00q\x01\x85q\x02Rq\x03.";
        let out = rw(data);
        assert!(out.windows(15).any(|w| w == b"c_codecs\nencode"));
        assert!(out.starts_with(b"\x80\x02cdatetime\ndatetime\n"));
    }
}
