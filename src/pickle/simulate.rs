//! Static simulation of the unpickler over an abstract stack.
//!
//! Every value the unpickler would build becomes a [`Node`] in an arena; the stack and the memo
//! hold node ids, so shared and memoized values are never copied and the arena grows at most by
//! one node per opcode. Nothing is imported, called or executed: GLOBAL pushes a name, REDUCE
//! records "call this name with these arguments".
//!
//! The stack discipline follows CPython 3's C unpickler (`Modules/_pickle.c`): operations cannot
//! pop below the innermost MARK ("stack underflow"), POP removes a MARK when one is on top.

use std::borrow::Cow;
use std::collections::HashMap;

use super::blob::Finding;
use super::names::Tables;
use super::opcodes::{self, code, OpcodeInfo};
use super::reader::{Arg, Op, ReadError, Reader};
use super::strings;

/// Index of a node in [`Simulation::nodes`].
pub type NodeId = u32;

/// Bounds that keep memory and time proportional to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of MARKs or of containers.
    pub max_depth: u32,
    /// Most memo entries.
    pub max_memo: usize,
    /// Most values built.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 10_000,
            max_memo: 4_000_000,
            max_nodes: 8_000_000,
        }
    }
}

/// An integer as written in the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum IntValue<'a> {
    /// Fits in an i64.
    Small(i64),
    /// LONG1/LONG4 payload: little-endian two's complement.
    Big(&'a [u8]),
    /// INT/LONG text too large for an i64 (decimal digits, optional sign).
    Text(&'a [u8]),
}

/// Where a tuple's items sit in [`Simulation::children`] (tuples never change once built, so
/// they share one flat vector instead of one allocation each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// First item.
    pub start: u32,
    /// Number of items.
    pub len: u32,
}

/// A global name pushed by GLOBAL, STACK_GLOBAL or INST.
#[derive(Debug, Clone, PartialEq)]
pub struct Global<'a> {
    /// Module as written.
    pub module: Cow<'a, str>,
    /// Name as written.
    pub name: Cow<'a, str>,
    /// What Python 3's `find_class` looks up instead (protocol < 3 renaming), if different:
    /// the module, and the name when that changes too.
    pub py3_rename: Option<(&'static str, Option<&'static str>)>,
    /// Offset of the opcode.
    pub offset: usize,
}

impl Global<'_> {
    /// The module and name Python 3 looks up.
    pub fn py3_name(&self) -> (&str, &str) {
        match self.py3_rename {
            Some((m, Some(n))) => (m, n),
            Some((m, None)) => (m, &self.name),
            None => (&self.module, &self.name),
        }
    }
}

/// How an object was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctor {
    /// REDUCE: `callable(*args)`.
    Reduce,
    /// NEWOBJ: `cls.__new__(cls, *args)`.
    NewObj,
    /// NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`.
    NewObjEx,
    /// INST: old-style instance of a named class.
    Inst,
    /// OBJ: old-style instance of a class on the stack.
    Obj,
}

/// A value made by calling something (REDUCE, NEWOBJ, INST, OBJ), plus what was done to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// How it was made.
    pub ctor: Ctor,
    /// The callable or class (usually a [`Node::Global`]).
    pub class: NodeId,
    /// The argument tuple.
    pub args: NodeId,
    /// NEWOBJ_EX keyword arguments.
    pub kwargs: Option<NodeId>,
    /// BUILD states applied, in order.
    pub state: Vec<NodeId>,
    /// APPEND(S)/ADDITEMS items.
    pub items: Vec<NodeId>,
    /// SETITEM(S) entries.
    pub entries: Vec<(NodeId, NodeId)>,
}

/// One abstract value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer.
    Int(IntValue<'a>),
    /// A float.
    Float(f64),
    /// A Python 2 `str` (STRING, BINSTRING, SHORT_BINSTRING): its bytes.
    Py2Str(Cow<'a, [u8]>),
    /// Text (`unicode` in Python 2, `str` in Python 3). Lone surrogates show as U+FFFD.
    Text(Cow<'a, str>),
    /// Python 3 `bytes` (BINBYTES, SHORT_BINBYTES, BINBYTES8).
    Bytes(&'a [u8]),
    /// `bytearray` (BYTEARRAY8).
    ByteArray(&'a [u8]),
    /// A tuple: its items are `Simulation::items(span)`.
    Tuple(Span),
    /// A list.
    List(Vec<NodeId>),
    /// A dict, entries in insertion order (duplicates kept).
    Dict(Vec<(NodeId, NodeId)>),
    /// A set (EMPTY_SET + ADDITEMS).
    Set(Vec<NodeId>),
    /// A frozenset (FROZENSET).
    FrozenSet(Vec<NodeId>),
    /// A global name.
    Global(Box<Global<'a>>),
    /// Result of a call.
    Object(Box<Object>),
    /// A persistent id (PERSID, BINPERSID).
    PersistentId,
    /// An extension code (EXT1/2/4).
    Extension(i64),
    /// An out-of-band buffer (NEXT_BUFFER).
    Buffer,
}

impl Node<'_> {
    /// A short kind name for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::None => "None",
            Node::Bool(_) => "bool",
            Node::Int(_) => "int",
            Node::Float(_) => "float",
            Node::Py2Str(_) => "py2 str",
            Node::Text(_) => "unicode",
            Node::Bytes(_) => "bytes",
            Node::ByteArray(_) => "bytearray",
            Node::Tuple(_) => "tuple",
            Node::List(_) => "list",
            Node::Dict(_) => "dict",
            Node::Set(_) => "set",
            Node::FrozenSet(_) => "frozenset",
            Node::Global(_) => "global",
            Node::Object(_) => "object",
            Node::PersistentId => "persistent id",
            Node::Extension(_) => "extension",
            Node::Buffer => "buffer",
        }
    }
}

/// Which `encoding=` values of Python 3's `pickle.loads` a failure applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encodings {
    /// `encoding='ASCII'` (the default).
    pub ascii: bool,
    /// `encoding='latin1'`.
    pub latin1: bool,
    /// `encoding='bytes'`.
    pub bytes: bool,
}

impl Encodings {
    /// Every encoding.
    pub const ALL: Encodings = Encodings {
        ascii: true,
        latin1: true,
        bytes: true,
    };
}

/// A structural error: the unpickler stops here under every Python version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    /// Offset of the opcode.
    pub offset: usize,
    /// What went wrong.
    pub message: String,
    /// The message already names the offset (reader errors).
    pub names_offset: bool,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.names_offset {
            f.write_str(&self.message)
        } else {
            write!(f, "{} at offset {}", self.message, self.offset)
        }
    }
}

impl From<ReadError> for SimError {
    fn from(e: ReadError) -> Self {
        SimError {
            offset: e.offset,
            message: e.to_string(),
            names_offset: true,
        }
    }
}

/// The result of simulating one pickle.
#[derive(Debug, Clone, Default)]
pub struct Simulation<'a> {
    /// Every value built.
    pub nodes: Vec<Node<'a>>,
    /// Items of every tuple (see [`Span`]).
    pub children: Vec<NodeId>,
    /// What STOP returned.
    pub root: Option<NodeId>,
    /// Largest PROTO argument.
    pub proto_opcode: Option<u8>,
    /// Largest protocol of an opcode used.
    pub max_opcode_proto: u8,
    /// First opcode Python 2.7 does not know (name, offset).
    pub py3_only_opcode: Option<(&'static str, usize)>,
    /// Why Python 2 fails to load it (besides globals, judged later).
    pub py2_failures: Vec<Finding>,
    /// Why Python 3 fails, per encoding.
    pub py3_failures: Vec<(Encodings, Finding)>,
    /// Other remarks.
    pub notes: Vec<Finding>,
    /// Offset just past STOP (or where reading stopped).
    pub end: usize,
    /// Why reading stopped before STOP, if it did.
    pub error: Option<SimError>,
    /// Number of opcodes read.
    pub opcode_count: usize,
    /// Ids of every [`Node::Global`], in order.
    pub global_ids: Vec<NodeId>,
    /// Ids of every [`Node::Object`], in order.
    pub object_ids: Vec<NodeId>,
}

impl Simulation<'_> {
    /// The items of a tuple.
    pub fn items(&self, span: Span) -> &[NodeId] {
        let start = span.start as usize;
        self.children
            .get(start..start.saturating_add(span.len as usize))
            .unwrap_or(&[])
    }

    /// The items of the tuple node `id` (empty for anything else).
    pub fn tuple_items(&self, id: NodeId) -> &[NodeId] {
        match self.nodes.get(id as usize) {
            Some(Node::Tuple(span)) => self.items(*span),
            _ => &[],
        }
    }
}

/// The line that starts at `from` (without its newline) and the offset after the newline.
#[inline]
fn line_at(data: &[u8], from: usize) -> Option<(&[u8], usize)> {
    let rest = data.get(from..)?;
    // Most lines are a few bytes (PUT, INT, FLOAT): look at those before calling memchr.
    let head = rest.get(..16).unwrap_or(rest);
    let n = match head.iter().position(|&b| b == b'\n') {
        Some(n) => n,
        None => head.len() + memchr::memchr(b'\n', rest.get(head.len()..)?)?,
    };
    Some((rest.get(..n)?, from + n + 1))
}

/// Parses 1 to 18 ASCII digits (no sign) without allocating: the common INT/PUT/GET argument.
fn small_decimal(line: &[u8]) -> Option<u64> {
    if line.is_empty() || line.len() > 18 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in line {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v)
}

fn finding(code: &str, message: impl Into<String>) -> Finding {
    Finding {
        code: code.into(),
        message: message.into(),
    }
}

/// The unpickler's memo: a dense vector for the usual small consecutive indices, a map for
/// the rest. The vector grows at most 1024 slots past the number of entries, so a hostile
/// index cannot make it allocate.
#[derive(Debug, Default)]
struct Memo {
    dense: Vec<Option<NodeId>>,
    sparse: HashMap<u64, NodeId>,
    len: usize,
}

impl Memo {
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn get(&self, index: u64) -> Option<NodeId> {
        match usize::try_from(index).ok().and_then(|i| self.dense.get(i)) {
            Some(slot) => *slot,
            None => self.sparse.get(&index).copied(),
        }
    }

    #[inline]
    fn insert(&mut self, index: u64, id: NodeId) {
        // The usual case: the next index in order.
        if index == self.dense.len() as u64 && self.sparse.is_empty() {
            self.dense.push(Some(id));
            self.len += 1;
            return;
        }
        let dense_ok = usize::try_from(index)
            .ok()
            .filter(|i| *i < self.len.saturating_add(1024).max(self.dense.len()));
        if let Some(i) = dense_ok {
            if i >= self.dense.len() {
                self.dense.resize(i + 1, None);
            }
            if let Some(slot) = self.dense.get_mut(i) {
                if slot.is_none() {
                    self.len += 1;
                }
                *slot = Some(id);
            }
        } else if self.sparse.insert(index, id).is_none() {
            self.len += 1;
        }
    }
}

impl Memo {
    /// Empties the memo, keeping its allocations for the next blob.
    fn clear(&mut self) {
        self.dense.clear();
        self.sparse.clear();
        self.len = 0;
    }
}

/// The machine's working buffers (none borrow the blob), kept per thread between blobs so
/// that auditing many small blobs does not allocate them again each time.
#[derive(Debug, Default)]
struct Buffers {
    stack: Vec<NodeId>,
    marks: Vec<usize>,
    memo: Memo,
    scratch: Vec<NodeId>,
    depth: Vec<u32>,
}

impl Buffers {
    /// Largest capacity (in items) kept between blobs, so one huge blob does not pin memory.
    const KEEP: usize = 1 << 16;

    /// Empties every buffer; drops those grown past [`Buffers::KEEP`].
    fn reset(&mut self) {
        fn keep<T>(v: &mut Vec<T>) {
            v.clear();
            if v.capacity() > Buffers::KEEP {
                *v = Vec::new();
            }
        }
        keep(&mut self.stack);
        keep(&mut self.marks);
        keep(&mut self.scratch);
        keep(&mut self.depth);
        keep(&mut self.memo.dense);
        self.memo.clear();
        if self.memo.sparse.capacity() > Self::KEEP {
            self.memo.sparse = HashMap::new();
        }
    }
}

thread_local! {
    /// Buffers of the last finished simulation on this thread (taken, then given back).
    /// (An `Option`, so that taking them leaves `None` behind instead of building empty
    /// buffers, whose memo map would seed a new hasher every time.)
    static BUFFERS: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
    /// Empty vectors of a simulation given back with [`recycle`], reused by the next one.
    static SPARE: std::cell::RefCell<Spare> = std::cell::RefCell::default();
}

/// The allocations of a finished [`Simulation`], emptied, kept for the next one.
#[derive(Default)]
struct Spare {
    nodes: Vec<Node<'static>>,
    children: Vec<NodeId>,
}

/// Gives the allocations of a simulation no longer needed back to this thread, so that the
/// next simulation does not allocate them again (auditing many small blobs in a row).
/// Vectors grown past [`Buffers::KEEP`] items are freed instead.
pub fn recycle(sim: Simulation<'_>) {
    let Simulation {
        mut nodes,
        mut children,
        ..
    } = sim;
    nodes.clear();
    children.clear();
    if nodes.capacity() > Buffers::KEEP || children.capacity() > Buffers::KEEP {
        return;
    }
    // An empty vector of the same layout: collecting it in place keeps its allocation and
    // frees it of the blob's lifetime.
    let nodes: Vec<Node<'static>> = nodes.into_iter().map(|_| Node::None).collect();
    SPARE.with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            spare.nodes = nodes;
            spare.children = children;
        }
    });
}

/// Verdict-only mode: ids of the nodes every scalar of a kind shares (made first, in order).
const SHARED_NONE: NodeId = 0;
const SHARED_FALSE: NodeId = 1;
const SHARED_TRUE: NodeId = 2;
const SHARED_INT: NodeId = 3;
const SHARED_FLOAT: NodeId = 4;

struct Machine<'a, 's> {
    sim: &'s mut Simulation<'a>,
    data: &'a [u8],
    limits: Limits,
    /// Verdict-only mode: scalars share nodes, their values are not kept.
    lean: bool,
    /// False when nothing will read what containers hold (see
    /// [`simulate_for_verdict_only`]): APPEND(S), SETITEM(S) and ADDITEMS then only check
    /// their target and keys, and store nothing.
    keep_items: bool,
    /// Values made so far (in verdict-only mode more than the nodes: scalars share them).
    values: usize,
    stack: Vec<NodeId>,
    marks: Vec<usize>,
    memo: Memo,
    scratch: Vec<NodeId>,
    depth: Vec<u32>,
    proto: u8,
    offset: usize,
}

/// Errors are boxed so that the result of every step stays one or two words.
type Step<T = ()> = Result<T, Box<SimError>>;

impl<'a> Machine<'a, '_> {
    #[cold]
    #[inline(never)]
    fn err<T>(&self, message: impl Into<String>) -> Step<T> {
        Err(Box::new(SimError {
            offset: self.offset,
            message: message.into(),
            names_offset: false,
        }))
    }

    #[inline]
    fn fence(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    #[inline]
    fn node(&self, id: NodeId) -> &Node<'a> {
        // Ids always come from `add`, so they are in range; fall back to None defensively.
        self.sim.nodes.get(id as usize).unwrap_or(&Node::None)
    }

    #[inline]
    fn depth_of(&self, id: NodeId) -> u32 {
        self.depth.get(id as usize).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn add(&mut self, node: Node<'a>, depth: u32) -> Step<NodeId> {
        self.count_value()?;
        if depth > self.limits.max_depth {
            return self.err(format!(
                "nesting deeper than {} (limit)",
                self.limits.max_depth
            ));
        }
        let id = self.sim.nodes.len() as NodeId;
        self.sim.nodes.push(node);
        self.depth.push(depth);
        Ok(id)
    }

    /// Counts one more value made, against [`Limits::max_nodes`].
    #[inline(always)]
    fn count_value(&mut self) -> Step {
        if self.values >= self.limits.max_nodes {
            return self.too_many_values();
        }
        self.values += 1;
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn too_many_values(&self) -> Step {
        self.err(format!(
            "more than {} values (limit)",
            self.limits.max_nodes
        ))
    }

    /// Pushes a None, bool, int or float. In verdict-only mode (see [`simulate_for_verdict`])
    /// no node is made: every scalar of a kind shares one node, whose value means nothing.
    #[inline(always)]
    fn push_scalar(&mut self, node: Node<'a>) -> Step {
        if !self.lean {
            return self.push(node);
        }
        let id = match node {
            Node::None => SHARED_NONE,
            Node::Bool(false) => SHARED_FALSE,
            Node::Bool(true) => SHARED_TRUE,
            Node::Int(_) => SHARED_INT,
            _ => SHARED_FLOAT,
        };
        self.count_value()?;
        self.stack.push(id);
        Ok(())
    }

    #[inline(always)]
    fn push(&mut self, node: Node<'a>) -> Step {
        let id = self.add(node, 0)?;
        self.stack.push(id);
        Ok(())
    }

    fn push_container(&mut self, node: Node<'a>, children: &[NodeId]) -> Step {
        let depth = self.depth_over(children);
        let id = self.add(node, depth)?;
        self.stack.push(id);
        Ok(())
    }

    /// Moves the stack items from `at` up into a new tuple and pushes it.
    #[inline(always)]
    fn tuple_from_stack(&mut self, at: usize) -> Step {
        let start = self.sim.children.len();
        let items = self.stack.get(at..).unwrap_or(&[]);
        if start.saturating_add(items.len()) > u32::MAX as usize {
            return self.err("too many tuple items (limit)");
        }
        let depth = self.depth_over(items);
        if items.len() <= 3 {
            // The usual TUPLE1..3: no call to memcpy.
            for item in items {
                self.sim.children.push(*item);
            }
        } else {
            self.sim.children.extend_from_slice(items);
        }
        self.stack.truncate(at);
        let span = Span {
            start: start as u32,
            len: (self.sim.children.len() - start) as u32,
        };
        let id = self.add(Node::Tuple(span), depth)?;
        self.stack.push(id);
        Ok(())
    }

    /// One more than the deepest of `children`.
    fn depth_over(&self, children: &[NodeId]) -> u32 {
        children
            .iter()
            .map(|c| self.depth_of(*c))
            .max()
            .unwrap_or(0)
            + 1
    }

    fn push_items(&mut self, items: Vec<NodeId>, make: fn(Vec<NodeId>) -> Node<'a>) -> Step {
        let depth = self.depth_over(&items);
        let id = self.add(make(items), depth)?;
        self.stack.push(id);
        Ok(())
    }

    #[inline]
    fn pop(&mut self) -> Step<NodeId> {
        if self.stack.len() <= self.fence() {
            return self.err("unpickling stack underflow");
        }
        match self.stack.pop() {
            Some(id) => Ok(id),
            None => self.err("unpickling stack underflow"),
        }
    }

    #[inline]
    fn top(&self) -> Step<NodeId> {
        if self.stack.len() <= self.fence() {
            return self.err("unpickling stack underflow");
        }
        match self.stack.last() {
            Some(id) => Ok(*id),
            None => self.err("unpickling stack underflow"),
        }
    }

    /// Like [`Machine::pop_mark`] but into the reusable scratch buffer (give it back after).
    fn pop_mark_scratch(&mut self) -> Step<Vec<NodeId>> {
        let Some(m) = self.marks.pop() else {
            return self.err("could not find MARK");
        };
        let mut buf = std::mem::take(&mut self.scratch);
        buf.clear();
        buf.extend(self.stack.drain(m.min(self.stack.len())..));
        Ok(buf)
    }

    fn pop_mark(&mut self) -> Step<Vec<NodeId>> {
        match self.marks.pop() {
            Some(m) => Ok(self.stack.split_off(m.min(self.stack.len()))),
            None => self.err("could not find MARK"),
        }
    }

    fn grow(&mut self, parent: NodeId, child: NodeId) -> Step {
        let d = self.depth_of(child).saturating_add(1);
        if d > self.limits.max_depth {
            return self.err(format!(
                "nesting deeper than {} (limit)",
                self.limits.max_depth
            ));
        }
        if let Some(p) = self.depth.get_mut(parent as usize) {
            *p = (*p).max(d);
        }
        Ok(())
    }

    fn fail_both(&mut self, code: &str, message: String) {
        self.sim.py2_failures.push(finding(code, message.clone()));
        self.sim
            .py3_failures
            .push((Encodings::ALL, finding(code, message)));
    }

    /// Python's hash() fails on lists, dicts, sets, bytearrays and tuples holding them.
    fn unhashable(&self, id: NodeId) -> Option<&'static str> {
        match self.node(id) {
            Node::List(_) => return Some("list"),
            Node::Dict(_) => return Some("dict"),
            Node::Set(_) => return Some("set"),
            Node::ByteArray(_) => return Some("bytearray"),
            Node::Tuple(span) if span.len > 0 => {}
            _ => return None,
        }
        let mut work = vec![(id, 0u32)];
        while let Some((id, depth)) = work.pop() {
            match self.node(id) {
                Node::List(_) => return Some("list"),
                Node::Dict(_) => return Some("dict"),
                Node::Set(_) => return Some("set"),
                Node::ByteArray(_) => return Some("bytearray"),
                Node::Tuple(span) if depth < 64 && work.len() < 4096 => {
                    work.extend(self.sim.items(*span).iter().map(|i| (*i, depth + 1)))
                }
                _ => {}
            }
        }
        None
    }

    fn check_key(&mut self, key: NodeId) {
        if let Some(kind) = self.unhashable(key) {
            let message = format!(
                "unhashable type: '{}' used as a key at offset {}",
                kind, self.offset
            );
            self.fail_both("UNHASHABLE", message);
        }
    }

    #[inline(always)]
    fn memo_put(&mut self, index: u64, id: NodeId) -> Step {
        if self.memo.len() >= self.limits.max_memo && self.memo.get(index).is_none() {
            return self.err(format!(
                "more than {} memo entries (limit)",
                self.limits.max_memo
            ));
        }
        self.memo.insert(index, id);
        Ok(())
    }

    #[inline]
    fn memo_get(&mut self, index: u64) -> Step {
        match self.memo.get(index) {
            Some(id) => {
                self.stack.push(id);
                Ok(())
            }
            None => self.err(format!("memo value not found at index {}", index)),
        }
    }

    fn global(&mut self, module: Cow<'a, str>, name: Cow<'a, str>) -> Step {
        let py3_rename = if self.proto < 3 {
            Tables::get().py3_rename(&module, &name)
        } else {
            None
        };
        self.sim.global_ids.push(self.sim.nodes.len() as NodeId);
        self.push(Node::Global(Box::new(Global {
            module,
            name,
            py3_rename,
            offset: self.offset,
        })))
    }

    fn line_text(&self, line: &'a [u8]) -> Step<Cow<'a, str>> {
        match std::str::from_utf8(line) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(_) => self.err("module or class name is not valid UTF-8"),
        }
    }

    fn int_line(&self, line: &'a [u8], what: &str) -> Step<IntValue<'a>> {
        if let Some(v) = small_decimal(line) {
            return Ok(IntValue::Small(v as i64));
        }
        let text = std::str::from_utf8(line)
            .unwrap_or("")
            .trim_end_matches('L');
        if let Ok(v) = text.parse::<i64>() {
            return Ok(IntValue::Small(v));
        }
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(IntValue::Text(line));
        }
        self.err(format!(
            "invalid literal for {}: {:?}",
            what,
            String::from_utf8_lossy(line)
        ))
    }

    fn memo_index(&self, line: &[u8], what: &str) -> Step<u64> {
        if let Some(v) = small_decimal(line) {
            return Ok(v);
        }
        let text = std::str::from_utf8(line).unwrap_or("");
        match text.parse::<i64>() {
            Ok(v) if v >= 0 => Ok(v as u64),
            Ok(_) => self.err(format!("negative {} argument", what)),
            Err(_) => self.err(format!("invalid {} argument {:?}", what, text)),
        }
    }

    fn call_object(
        &mut self,
        ctor: Ctor,
        class: NodeId,
        args: NodeId,
        kwargs: Option<NodeId>,
    ) -> Step {
        let callable = matches!(self.node(class), Node::Global(_) | Node::Object(_));
        if !callable {
            let kind = self.node(class).kind();
            let message = format!(
                "{} is not callable ({:?} at offset {})",
                kind, ctor, self.offset
            );
            self.fail_both("NOT-CALLABLE", message);
        }
        let mut children = vec![class, args];
        children.extend(kwargs);
        let node = Node::Object(Box::new(Object {
            ctor,
            class,
            args,
            kwargs,
            state: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
        }));
        self.sim.object_ids.push(self.sim.nodes.len() as NodeId);
        self.push_container(node, &children)
    }

    fn arg_int(&self, arg: Arg<'_>) -> Step<i64> {
        match arg {
            Arg::Int(v) => Ok(v),
            _ => self.err("bad argument"),
        }
    }

    fn arg_bytes(&self, arg: Arg<'a>) -> Step<&'a [u8]> {
        match arg {
            Arg::Bytes(b) => Ok(b),
            _ => self.err("bad argument"),
        }
    }

    fn arg_line(&self, arg: Arg<'a>) -> Step<&'a [u8]> {
        match arg {
            Arg::Line(b) => Ok(b),
            _ => self.err("bad argument"),
        }
    }

    fn append_items(&mut self, target: NodeId, items: &[NodeId]) -> Step {
        for item in items {
            self.grow(target, *item)?;
        }
        let offset = self.offset;
        let keep = self.keep_items;
        match self.sim.nodes.get_mut(target as usize) {
            Some(Node::List(_) | Node::Object(_)) if !keep => {}
            Some(Node::List(list)) => list.extend_from_slice(items),
            Some(Node::Object(obj)) => obj.items.extend_from_slice(items),
            Some(other) => {
                let message = format!("cannot append to {} at offset {}", other.kind(), offset);
                self.fail_both("BAD-APPEND", message);
            }
            None => {}
        }
        Ok(())
    }

    fn set_items(&mut self, target: NodeId, flat: &[NodeId]) -> Step {
        if flat.len() % 2 != 0 {
            return self.err("odd number of items for SETITEMS");
        }
        let pairs = || flat.chunks_exact(2).map(|c| (c[0], c[1]));
        for (k, v) in pairs() {
            self.grow(target, k)?;
            self.grow(target, v)?;
        }
        let is_dict = matches!(self.node(target), Node::Dict(_));
        if is_dict {
            for (k, _) in pairs() {
                self.check_key(k);
            }
        }
        let offset = self.offset;
        let keep = self.keep_items;
        match self.sim.nodes.get_mut(target as usize) {
            Some(Node::Dict(_) | Node::Object(_)) if !keep => {}
            Some(Node::Dict(entries)) => entries.extend(pairs()),
            Some(Node::Object(obj)) => obj.entries.extend(pairs()),
            Some(other) => {
                let message = format!("cannot set items on {} at offset {}", other.kind(), offset);
                self.fail_both("BAD-SETITEM", message);
            }
            None => {}
        }
        Ok(())
    }

    fn add_to_set(&mut self, target: NodeId, items: &[NodeId]) -> Step {
        for item in items {
            self.grow(target, *item)?;
            self.check_key(*item);
        }
        let offset = self.offset;
        let keep = self.keep_items;
        match self.sim.nodes.get_mut(target as usize) {
            Some(Node::Set(_) | Node::Object(_)) if !keep => {}
            Some(Node::Set(set)) => set.extend_from_slice(items),
            Some(Node::Object(obj)) => obj.items.extend_from_slice(items),
            Some(other) => {
                let message = format!("cannot add items to {} at offset {}", other.kind(), offset);
                self.fail_both("BAD-ADDITEMS", message);
            }
            None => {}
        }
        Ok(())
    }

    /// Bookkeeping every opcode gets: current offset, highest protocol, first opcode
    /// Python 2 does not know.
    #[inline(always)]
    fn note_opcode(&mut self, info: &'static OpcodeInfo, offset: usize) {
        self.offset = offset;
        self.sim.max_opcode_proto = self.sim.max_opcode_proto.max(info.proto);
        if !info.known_to_python2() && self.sim.py3_only_opcode.is_none() {
            self.sim.py3_only_opcode = Some((info.name, offset));
        }
    }

    /// Executes the opcode at `at` when it is one of the frequent fixed-size ones and its
    /// argument is complete; returns the offset after it, or `None` to take the general path
    /// (which also reports truncation). Each arm does exactly what `step` does.
    #[inline(always)]
    fn fast_step(&mut self, at: usize) -> Step<Option<usize>> {
        let data = self.data;
        let Some(&byte) = data.get(at) else {
            return Ok(None);
        };
        let arg = |n: usize| data.get(at + 1..at + 1 + n);
        let next = match byte {
            code::BINPUT | code::LONG_BINPUT | code::BINGET | code::LONG_BINGET => {
                let n = if matches!(byte, code::BINPUT | code::BINGET) {
                    1
                } else {
                    4
                };
                let Some(b) = arg(n) else { return Ok(None) };
                let index = b
                    .iter()
                    .rev()
                    .fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
                self.note(byte, at);
                if matches!(byte, code::BINPUT | code::LONG_BINPUT) {
                    let top = self.top()?;
                    self.memo_put(index, top)?;
                } else {
                    self.memo_get(index)?;
                }
                at + 1 + n
            }
            code::MEMOIZE => {
                self.note(byte, at);
                let top = self.top()?;
                let index = self.memo.len() as u64;
                self.memo_put(index, top)?;
                at + 1
            }
            code::BININT1 | code::BININT2 | code::BININT => {
                let n = match byte {
                    code::BININT1 => 1,
                    code::BININT2 => 2,
                    _ => 4,
                };
                let Some(b) = arg(n) else { return Ok(None) };
                let mut v = b
                    .iter()
                    .rev()
                    .fold(0i64, |acc, x| (acc << 8) | i64::from(*x));
                if n == 4 {
                    v = i64::from(v as u32 as i32);
                }
                self.note(byte, at);
                self.push_scalar(Node::Int(IntValue::Small(v)))?;
                at + 1 + n
            }
            code::BINFLOAT => {
                let Some(b) = arg(8) else { return Ok(None) };
                let mut raw = [0u8; 8];
                raw.copy_from_slice(b);
                self.note(byte, at);
                self.push_scalar(Node::Float(f64::from_be_bytes(raw)))?;
                at + 9
            }
            code::MARK => {
                self.note(byte, at);
                if self.marks.len() >= self.limits.max_depth as usize {
                    return self.err(format!(
                        "more than {} nested MARKs (limit)",
                        self.limits.max_depth
                    ));
                }
                self.marks.push(self.stack.len());
                at + 1
            }
            code::TUPLE | code::TUPLE1 | code::TUPLE2 | code::TUPLE3 => {
                self.note(byte, at);
                if byte == code::TUPLE {
                    let Some(m) = self.marks.pop() else {
                        return self.err("could not find MARK");
                    };
                    self.tuple_from_stack(m.min(self.stack.len()))?;
                } else {
                    let n = usize::from(byte - code::TUPLE1 + 1);
                    if self.stack.len() < self.fence() + n {
                        return self.err("unpickling stack underflow");
                    }
                    self.tuple_from_stack(self.stack.len() - n)?;
                }
                at + 1
            }
            code::APPEND => {
                self.note(byte, at);
                let item = self.pop()?;
                let target = self.top()?;
                self.append_items(target, &[item])?;
                at + 1
            }
            code::NONE => {
                self.note(byte, at);
                self.push_scalar(Node::None)?;
                at + 1
            }
            code::EMPTY_LIST | code::EMPTY_DICT => {
                self.note(byte, at);
                if byte == code::EMPTY_LIST {
                    self.push(Node::List(Vec::new()))?;
                } else {
                    self.push(Node::Dict(Vec::new()))?;
                }
                at + 1
            }
            code::PUT | code::GET => {
                let Some((line, next)) = line_at(data, at + 1) else {
                    return Ok(None);
                };
                let Some(index) = small_decimal(line) else {
                    return Ok(None);
                };
                self.note(byte, at);
                if byte == code::PUT {
                    let top = self.top()?;
                    self.memo_put(index, top)?;
                } else {
                    self.memo_get(index)?;
                }
                next
            }
            code::INT => {
                let Some((line, next)) = line_at(data, at + 1) else {
                    return Ok(None);
                };
                let node = match line {
                    b"00" => Node::Bool(false),
                    b"01" => Node::Bool(true),
                    _ => match small_decimal(line) {
                        Some(v) => Node::Int(IntValue::Small(v as i64)),
                        None => return Ok(None),
                    },
                };
                self.note(byte, at);
                self.push_scalar(node)?;
                next
            }
            code::FLOAT => {
                let Some((line, next)) = line_at(data, at + 1) else {
                    return Ok(None);
                };
                if !plain_float(line) {
                    return Ok(None);
                }
                let value = if self.lean {
                    0.0
                } else {
                    match std::str::from_utf8(line)
                        .ok()
                        .and_then(|t| t.parse::<f64>().ok())
                    {
                        Some(v) => v,
                        None => return Ok(None),
                    }
                };
                self.note(byte, at);
                self.push_scalar(Node::Float(value))?;
                next
            }
            code::STRING => {
                // Quoted: the bytes between the quotes, escapes decoded.
                let Some((line, next)) = line_at(data, at + 1) else {
                    return Ok(None);
                };
                let inner = match line {
                    [q @ (b'\'' | b'"'), inner @ .., last] if last == q => inner,
                    _ => return Ok(None),
                };
                // With escapes: decoded here too; an invalid escape takes the general path,
                // which reports it.
                let Ok(bytes) = strings::escape_decode(inner) else {
                    return Ok(None);
                };
                self.note(byte, at);
                self.push(Node::Py2Str(bytes))?;
                next
            }
            code::UNICODE => {
                let Some((line, next)) = line_at(data, at + 1) else {
                    return Ok(None);
                };
                if !line.is_ascii() || memchr::memchr(b'\\', line).is_some() {
                    return Ok(None);
                }
                let Ok(text) = std::str::from_utf8(line) else {
                    return Ok(None);
                };
                self.note(byte, at);
                self.push(Node::Text(Cow::Borrowed(text)))?;
                next
            }
            code::BINUNICODE | code::BINSTRING => {
                let Some(len) = arg(4) else { return Ok(None) };
                let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]);
                if byte == code::BINSTRING && len > i32::MAX as u32 {
                    return Ok(None);
                }
                let Ok(len) = usize::try_from(len) else {
                    return Ok(None);
                };
                let Some(b) = (at + 5)
                    .checked_add(len)
                    .and_then(|end| data.get(at + 5..end))
                else {
                    return Ok(None);
                };
                if byte == code::BINSTRING {
                    self.note(byte, at);
                    self.push(Node::Py2Str(Cow::Borrowed(b)))?;
                } else {
                    let Ok(text) = std::str::from_utf8(b) else {
                        return Ok(None);
                    };
                    self.note(byte, at);
                    self.push(Node::Text(Cow::Borrowed(text)))?;
                }
                at + 5 + len
            }
            code::SHORT_BINSTRING | code::SHORT_BINUNICODE => {
                let Some(&len) = data.get(at + 1) else {
                    return Ok(None);
                };
                let Some(b) = data.get(at + 2..at + 2 + usize::from(len)) else {
                    return Ok(None);
                };
                if byte == code::SHORT_BINSTRING {
                    self.note(byte, at);
                    self.push(Node::Py2Str(Cow::Borrowed(b)))?;
                } else {
                    let Ok(text) = std::str::from_utf8(b) else {
                        return Ok(None);
                    };
                    self.note(byte, at);
                    self.push(Node::Text(Cow::Borrowed(text)))?;
                }
                at + 2 + usize::from(len)
            }
            _ => return Ok(None),
        };
        Ok(Some(next))
    }

    #[inline(always)]
    fn note(&mut self, byte: u8, at: usize) {
        if let Some(info) = opcodes::lookup(byte) {
            self.note_opcode(info, at);
        }
    }

    #[inline(always)]
    fn step(&mut self, op: Op<'a>) -> Step<bool> {
        let info = op.info;
        self.note_opcode(info, op.offset);
        match info.code {
            code::STOP => {
                let root = self.pop()?;
                self.sim.root = Some(root);
                return Ok(true);
            }
            code::PROTO => {
                let v = self.arg_int(op.arg)?;
                let v = u8::try_from(v).unwrap_or(u8::MAX);
                self.proto = v;
                self.sim.proto_opcode = Some(self.sim.proto_opcode.map_or(v, |p| p.max(v)));
                if v > 5 {
                    let message = format!("unsupported pickle protocol: {}", v);
                    self.sim
                        .py3_failures
                        .push((Encodings::ALL, finding("PROTOCOL", message)));
                }
            }
            code::FRAME => {
                let len = match op.arg {
                    Arg::U64(v) => v,
                    _ => 0,
                };
                let left = self.data.len().saturating_sub(op.end) as u64;
                if len > left {
                    return self.err(format!("FRAME of {} bytes but only {} left", len, left));
                }
            }
            code::NONE => self.push_scalar(Node::None)?,
            code::NEWTRUE => self.push_scalar(Node::Bool(true))?,
            code::NEWFALSE => self.push_scalar(Node::Bool(false))?,
            code::INT => {
                let line = self.arg_line(op.arg)?;
                let node = match line {
                    b"00" => Node::Bool(false),
                    b"01" => Node::Bool(true),
                    _ => Node::Int(self.int_line(line, "int")?),
                };
                self.push_scalar(node)?;
            }
            code::LONG => {
                let line = self.arg_line(op.arg)?;
                let v = self.int_line(line, "long")?;
                self.push_scalar(Node::Int(v))?;
            }
            code::BININT | code::BININT1 | code::BININT2 => {
                let v = self.arg_int(op.arg)?;
                self.push_scalar(Node::Int(IntValue::Small(v)))?;
            }
            code::LONG1 | code::LONG4 => {
                let b = self.arg_bytes(op.arg)?;
                let v = if b.len() <= 8 {
                    let mut buf = if b.last().is_some_and(|x| x & 0x80 != 0) {
                        [0xffu8; 8]
                    } else {
                        [0u8; 8]
                    };
                    buf[..b.len()].copy_from_slice(b);
                    IntValue::Small(i64::from_le_bytes(buf))
                } else {
                    IntValue::Big(b)
                };
                self.push_scalar(Node::Int(v))?;
            }
            code::FLOAT => {
                let line = self.arg_line(op.arg)?;
                if self.lean && plain_float(line) {
                    self.push_scalar(Node::Float(0.0))?;
                    return Ok(false);
                }
                let text = std::str::from_utf8(line).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(v) => self.push_scalar(Node::Float(v))?,
                    Err(_) => {
                        return self.err(format!("could not convert string to float: {:?}", text))
                    }
                }
            }
            code::BINFLOAT => {
                let v = match op.arg {
                    Arg::Float(v) => v,
                    _ => 0.0,
                };
                self.push_scalar(Node::Float(v))?;
            }
            code::STRING => {
                let line = self.arg_line(op.arg)?;
                match strings::decode_string_literal(line) {
                    Ok(bytes) => self.push(Node::Py2Str(bytes))?,
                    Err(e) => return self.err(e),
                }
            }
            code::BINSTRING | code::SHORT_BINSTRING => {
                let b = self.arg_bytes(op.arg)?;
                self.push(Node::Py2Str(Cow::Borrowed(b)))?;
            }
            code::BINBYTES | code::SHORT_BINBYTES | code::BINBYTES8 => {
                let b = self.arg_bytes(op.arg)?;
                self.push(Node::Bytes(b))?;
            }
            code::BYTEARRAY8 => {
                let b = self.arg_bytes(op.arg)?;
                self.push(Node::ByteArray(b))?;
            }
            code::UNICODE => {
                let line = self.arg_line(op.arg)?;
                if line.is_ascii() && !line.contains(&b'\\') {
                    // Plain ASCII: raw-unicode-escape decodes it to itself.
                    let text = std::str::from_utf8(line).unwrap_or_default();
                    self.push(Node::Text(Cow::Borrowed(text)))?;
                    return Ok(false);
                }
                match strings::decode_raw_unicode_escape(line) {
                    Ok(text) => self.push(Node::Text(Cow::Owned(text)))?,
                    Err(e) => {
                        return self.err(format!("'rawunicodeescape' codec can't decode: {}", e))
                    }
                }
            }
            code::BINUNICODE | code::SHORT_BINUNICODE | code::BINUNICODE8 => {
                let b = self.arg_bytes(op.arg)?;
                match strings::decode_utf8_surrogatepass(b) {
                    Ok(text) => self.push(Node::Text(text))?,
                    Err(e) => return self.err(e),
                }
            }
            code::NEXT_BUFFER => {
                self.sim.py3_failures.push((
                    Encodings::ALL,
                    finding(
                        "OUT-OF-BAND",
                        "pickle stream refers to out-of-band data but no buffers argument was given",
                    ),
                ));
                self.push(Node::Buffer)?;
            }
            code::READONLY_BUFFER => {
                let top = self.top()?;
                if !matches!(
                    self.node(top),
                    Node::Bytes(_) | Node::ByteArray(_) | Node::Buffer
                ) {
                    let message = format!(
                        "READONLY_BUFFER on a {}, not a buffer",
                        self.node(top).kind()
                    );
                    self.sim
                        .py3_failures
                        .push((Encodings::ALL, finding("BAD-BUFFER", message)));
                }
            }
            code::EMPTY_LIST => self.push(Node::List(Vec::new()))?,
            code::EMPTY_TUPLE => self.push(Node::Tuple(Span::default()))?,
            code::EMPTY_DICT => self.push(Node::Dict(Vec::new()))?,
            code::EMPTY_SET => self.push(Node::Set(Vec::new()))?,
            code::LIST => {
                let items = self.pop_mark()?;
                self.push_items(items, Node::List)?;
            }
            code::TUPLE => {
                let Some(m) = self.marks.pop() else {
                    return self.err("could not find MARK");
                };
                self.tuple_from_stack(m.min(self.stack.len()))?;
            }
            code::TUPLE1 | code::TUPLE2 | code::TUPLE3 => {
                let n = usize::from(info.code - code::TUPLE1 + 1);
                if self.stack.len() < self.fence() + n {
                    return self.err("unpickling stack underflow");
                }
                self.tuple_from_stack(self.stack.len() - n)?;
            }
            code::FROZENSET => {
                let items = self.pop_mark()?;
                for item in &items {
                    self.check_key(*item);
                }
                self.push_items(items, Node::FrozenSet)?;
            }
            code::DICT => {
                let items = self.pop_mark()?;
                if items.len() % 2 != 0 {
                    return self.err("odd number of items for DICT");
                }
                let pairs: Vec<(NodeId, NodeId)> =
                    items.chunks_exact(2).map(|c| (c[0], c[1])).collect();
                for (k, _) in &pairs {
                    self.check_key(*k);
                }
                self.push_container(Node::Dict(pairs), &items)?;
            }
            code::APPEND => {
                let item = self.pop()?;
                let target = self.top()?;
                self.append_items(target, &[item])?;
            }
            code::APPENDS => {
                let items = self.pop_mark_scratch()?;
                let target = self.top()?;
                self.append_items(target, &items)?;
                self.scratch = items;
            }
            code::SETITEM => {
                let value = self.pop()?;
                let key = self.pop()?;
                let target = self.top()?;
                self.set_items(target, &[key, value])?;
            }
            code::SETITEMS => {
                let items = self.pop_mark_scratch()?;
                let target = self.top()?;
                self.set_items(target, &items)?;
                self.scratch = items;
            }
            code::ADDITEMS => {
                let items = self.pop_mark_scratch()?;
                let target = self.top()?;
                self.add_to_set(target, &items)?;
                self.scratch = items;
            }
            code::POP => {
                let len = self.stack.len();
                if self.marks.last() == Some(&len) {
                    self.marks.pop();
                } else {
                    self.pop()?;
                }
            }
            code::POP_MARK => {
                self.pop_mark()?;
            }
            code::DUP => {
                let top = self.top()?;
                self.stack.push(top);
            }
            code::MARK => {
                if self.marks.len() >= self.limits.max_depth as usize {
                    return self.err(format!(
                        "more than {} nested MARKs (limit)",
                        self.limits.max_depth
                    ));
                }
                self.marks.push(self.stack.len());
            }
            code::GET => {
                let line = self.arg_line(op.arg)?;
                let index = self.memo_index(line, "GET")?;
                self.memo_get(index)?;
            }
            code::BINGET | code::LONG_BINGET => {
                let index = self.arg_int(op.arg)?;
                self.memo_get(index as u64)?;
            }
            code::PUT => {
                let line = self.arg_line(op.arg)?;
                let index = self.memo_index(line, "PUT")?;
                let top = self.top()?;
                self.memo_put(index, top)?;
            }
            code::BINPUT | code::LONG_BINPUT => {
                let index = self.arg_int(op.arg)?;
                let top = self.top()?;
                self.memo_put(index as u64, top)?;
            }
            code::MEMOIZE => {
                let top = self.top()?;
                let index = self.memo.len() as u64;
                self.memo_put(index, top)?;
            }
            code::EXT1 | code::EXT2 | code::EXT4 => {
                let v = self.arg_int(op.arg)?;
                let message = format!(
                    "extension code {} at offset {} needs copyreg.add_extension in the reader",
                    v, op.offset
                );
                self.fail_both("EXTENSION", message);
                self.push(Node::Extension(v))?;
            }
            code::PERSID => {
                self.fail_both(
                    "PERSISTENT-ID",
                    format!(
                        "persistent id at offset {} needs a persistent_load in the reader",
                        op.offset
                    ),
                );
                self.push(Node::PersistentId)?;
            }
            code::BINPERSID => {
                self.pop()?;
                self.fail_both(
                    "PERSISTENT-ID",
                    format!(
                        "persistent id at offset {} needs a persistent_load in the reader",
                        op.offset
                    ),
                );
                self.push(Node::PersistentId)?;
            }
            code::GLOBAL => {
                let Arg::TwoLines(m, n) = op.arg else {
                    return self.err("bad argument");
                };
                let (m, n) = (self.line_text(m)?, self.line_text(n)?);
                self.global(m, n)?;
            }
            code::STACK_GLOBAL => {
                let name = self.pop()?;
                let module = self.pop()?;
                let text = |node: &Node<'a>| -> Option<Cow<'a, str>> {
                    match node {
                        Node::Text(t) => Some(t.clone()),
                        Node::Py2Str(b) => {
                            Some(Cow::Owned(String::from_utf8_lossy(b).into_owned()))
                        }
                        _ => None,
                    }
                };
                let (m, n) = (text(self.node(module)), text(self.node(name)));
                let py2_str = matches!(self.node(module), Node::Py2Str(_))
                    || matches!(self.node(name), Node::Py2Str(_));
                match (m, n) {
                    (Some(m), Some(n)) => {
                        if py2_str {
                            let bytes_only = Encodings {
                                ascii: false,
                                latin1: false,
                                bytes: true,
                            };
                            self.sim.py3_failures.push((
                                bytes_only,
                                finding("STACK-GLOBAL", "STACK_GLOBAL requires str"),
                            ));
                        }
                        self.global(m, n)?;
                    }
                    _ => {
                        self.sim.py3_failures.push((
                            Encodings::ALL,
                            finding("STACK-GLOBAL", "STACK_GLOBAL requires str"),
                        ));
                        self.push_scalar(Node::None)?;
                    }
                }
            }
            code::REDUCE => {
                let args = self.pop()?;
                let callable = self.pop()?;
                if !matches!(self.node(args), Node::Tuple(_)) {
                    let message = format!(
                        "REDUCE arguments are a {}, not a tuple (offset {})",
                        self.node(args).kind(),
                        op.offset
                    );
                    self.fail_both("BAD-REDUCE", message);
                }
                self.call_object(Ctor::Reduce, callable, args, None)?;
            }
            code::NEWOBJ => {
                let args = self.pop()?;
                let class = self.pop()?;
                self.call_object(Ctor::NewObj, class, args, None)?;
            }
            code::NEWOBJ_EX => {
                let kwargs = self.pop()?;
                let args = self.pop()?;
                let class = self.pop()?;
                self.call_object(Ctor::NewObjEx, class, args, Some(kwargs))?;
            }
            code::INST => {
                let Arg::TwoLines(m, n) = op.arg else {
                    return self.err("bad argument");
                };
                let Some(mark) = self.marks.pop() else {
                    return self.err("could not find MARK");
                };
                self.tuple_from_stack(mark.min(self.stack.len()))?;
                let args = self.pop()?;
                let (m, n) = (self.line_text(m)?, self.line_text(n)?);
                self.global(m, n)?;
                let class = self.pop()?;
                self.call_object(Ctor::Inst, class, args, None)?;
            }
            code::OBJ => {
                let Some(mark) = self.marks.pop() else {
                    return self.err("could not find MARK");
                };
                let Some(&class) = self.stack.get(mark) else {
                    return self.err("OBJ without a class");
                };
                self.tuple_from_stack(mark + 1)?;
                let args = self.pop()?;
                self.stack.truncate(mark);
                self.call_object(Ctor::Obj, class, args, None)?;
            }
            code::BUILD => {
                let state = self.pop()?;
                let target = self.top()?;
                self.grow(target, state)?;
                let offset = op.offset;
                match self.sim.nodes.get_mut(target as usize) {
                    Some(Node::Object(obj)) => obj.state.push(state),
                    Some(Node::Global(_)) => {}
                    Some(other) => {
                        let message = format!("BUILD on a {} at offset {}", other.kind(), offset);
                        self.fail_both("BAD-BUILD", message);
                    }
                    None => {}
                }
            }
            _ => return self.err(format!("opcode {} not simulated", info.name)),
        }
        Ok(false)
    }
}

/// Simulates the pickle that starts at `start` in `data`, up to its STOP.
pub fn simulate(data: &[u8], start: usize, limits: Limits) -> Simulation<'_> {
    simulate_impl(data, start, limits, true, Mode::Full)
}

/// Like [`simulate`] but every opcode takes the general path (no fast path for frequent
/// opcodes): for differential tests that the two paths agree.
pub fn simulate_general(data: &[u8], start: usize, limits: Limits) -> Simulation<'_> {
    simulate_impl(data, start, limits, false, Mode::Full)
}

/// Like [`simulate`] but keeps only what the verdict looks at: every None, bool, int and
/// float shares one node per kind (ids 0-4, made first), so their values are not kept
/// (`render` would show them wrong). Strings, containers, globals and objects are as in
/// [`simulate`], and so is every error.
pub fn simulate_for_verdict(data: &[u8], start: usize, limits: Limits) -> Simulation<'_> {
    simulate_impl(data, start, limits, true, Mode::SharedScalars)
}

/// Like [`simulate_for_verdict`] but lists, dicts, sets and objects do not keep their items
/// or entries either (their lengths and contents read as empty), for
/// [`judge_with`](super::verdict::judge_with) with
/// [`Detail::VerdictOnly`](super::verdict::Detail::VerdictOnly), which looks at neither.
/// Every check APPEND(S), SETITEM(S) and ADDITEMS make (target kind, unhashable keys,
/// nesting depth) is still made, so the verdict and every error are the same.
pub fn simulate_for_verdict_only(data: &[u8], start: usize, limits: Limits) -> Simulation<'_> {
    simulate_impl(data, start, limits, true, Mode::VerdictOnly)
}

/// How much of the values a simulation keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Everything ([`simulate`]).
    Full,
    /// Scalars share nodes ([`simulate_for_verdict`]).
    SharedScalars,
    /// Scalars share nodes and containers keep no items ([`simulate_for_verdict_only`]).
    VerdictOnly,
}

/// True for a FLOAT argument that Rust's and Python's float parsers both accept:
/// `[+-]?digits[.digits*][(e|E)[+-]?digits]`.
fn plain_float(line: &[u8]) -> bool {
    /// Skips ASCII digits from `i`; returns where they end.
    fn digits(s: &[u8], mut i: usize) -> usize {
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    }
    let sign = |i: usize| usize::from(matches!(line.get(i), Some(b'-' | b'+')));
    let start = sign(0);
    let mut i = digits(line, start);
    if i == start {
        return false;
    }
    if line.get(i) == Some(&b'.') {
        i = digits(line, i + 1);
    }
    if matches!(line.get(i), Some(b'e' | b'E')) {
        let from = i + 1 + sign(i + 1);
        i = digits(line, from);
        if i == from {
            return false;
        }
    }
    i == line.len()
}

fn simulate_impl(
    data: &[u8],
    start: usize,
    limits: Limits,
    fast: bool,
    mode: Mode,
) -> Simulation<'_> {
    let lean = mode != Mode::Full;
    let mut sim = Simulation::default();
    SPARE.with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            sim.nodes = std::mem::take(&mut spare.nodes);
            sim.children = std::mem::take(&mut spare.children);
        }
    });
    // Reserve for the usual density (about one value per 4 input bytes; one per 8 when
    // scalars make no node), never above limits; pages not used are never touched. An input
    // over 1 MiB reserves for one value per byte (the most opcodes it can hold, plus the
    // shared scalars) instead: the vectors then never grow by copying, whose old and new
    // blocks together made the peak (1M nested lists: 100 MB, now 50 MB). Smaller inputs
    // keep the small reservation, which the allocator reuses from blob to blob.
    let left = data.len().saturating_sub(start);
    let per_node = if lean { 8 } else { 4 };
    let expected = if left > 1 << 20 {
        left.min(limits.max_nodes) + 16
    } else {
        (left / per_node).min(limits.max_nodes).min(1 << 22)
    };
    sim.nodes.reserve(expected);
    sim.children.reserve(expected / 2);
    let mut reader = Reader::new(data, start);
    // Take this thread's buffers (a nested call simply gets fresh ones).
    let mut buffers = BUFFERS
        .with(|b| b.try_borrow_mut().ok().and_then(|mut b| b.take()))
        .unwrap_or_default();
    buffers.reset();
    buffers.depth.reserve(expected);
    if lean {
        // The shared scalar nodes, at ids SHARED_NONE..=SHARED_FLOAT.
        for node in [
            Node::None,
            Node::Bool(false),
            Node::Bool(true),
            Node::Int(IntValue::Small(0)),
            Node::Float(0.0),
        ] {
            sim.nodes.push(node);
            buffers.depth.push(0);
        }
    }
    let mut machine = Machine {
        sim: &mut sim,
        data,
        limits,
        lean,
        keep_items: mode != Mode::VerdictOnly,
        values: 0,
        stack: std::mem::take(&mut buffers.stack),
        marks: std::mem::take(&mut buffers.marks),
        memo: std::mem::take(&mut buffers.memo),
        scratch: std::mem::take(&mut buffers.scratch),
        depth: std::mem::take(&mut buffers.depth),
        proto: 0,
        offset: start,
    };
    let mut error = None;
    loop {
        // Fast path for the most frequent fixed-size opcodes (same effect as `step`).
        let at = reader.position();
        let quick = if fast {
            machine.fast_step(at)
        } else {
            Ok(None)
        };
        match quick {
            Ok(Some(next)) => {
                machine.sim.opcode_count += 1;
                reader.seek(next);
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                // The opcode was read in full; executing it failed.
                machine.sim.opcode_count += 1;
                error = Some(e);
                break;
            }
        }
        let Some(op) = reader.next() else { break };
        match op {
            Ok(op) => {
                machine.sim.opcode_count += 1;
                match machine.step(op) {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            Err(e) => {
                error = Some(Box::new(e.into()));
                break;
            }
        }
    }
    let mut buffers = Buffers {
        stack: machine.stack,
        marks: machine.marks,
        memo: machine.memo,
        scratch: machine.scratch,
        depth: machine.depth,
    };
    buffers.reset();
    BUFFERS.with(|b| {
        if let Ok(mut b) = b.try_borrow_mut() {
            *b = Some(buffers);
        }
    });
    sim.end = reader.position();
    sim.error = error.map(|e| *e);
    sim
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value costs one node: keep it small (the bound on an audit's memory counts on it).
    #[test]
    fn nodes_are_small() {
        assert_eq!(std::mem::size_of::<Node<'_>>(), 32);
    }

    #[test]
    fn plain_floats_are_those_both_parsers_accept() {
        for ok in ["1", "-1.5", "+2.", "3.25e-7", "1E+10", "0.0"] {
            assert!(plain_float(ok.as_bytes()), "{ok}");
            assert!(ok.parse::<f64>().is_ok(), "{ok}");
        }
        for not in ["", ".5", "1e", "inf", "nan", "1_0", "1.5x", "-", "1e+"] {
            assert!(!plain_float(not.as_bytes()), "{not}");
        }
    }

    #[test]
    fn recycled_vectors_are_reused() {
        let data = vec![b'N'; 4000];
        let sim = simulate(&data, 0, Limits::default());
        let capacity = sim.nodes.capacity();
        assert!(capacity >= 1000);
        recycle(sim);
        let spare = SPARE.with(|s| s.borrow().nodes.capacity());
        assert_eq!(spare, capacity);
        let again = simulate(b"N.", 0, Limits::default());
        assert_eq!(again.nodes.capacity(), capacity);
    }

    #[test]
    fn verdict_mode_shares_scalars() {
        let data = b"(I1\nI2\nF1.5\nNI01\nt.";
        let sim = simulate_for_verdict(data, 0, Limits::default());
        assert_eq!(sim.nodes.len(), 6);
        assert_eq!(
            sim.tuple_items(sim.root.unwrap()),
            &[
                SHARED_INT,
                SHARED_INT,
                SHARED_FLOAT,
                SHARED_NONE,
                SHARED_TRUE
            ]
        );
        let full = simulate(data, 0, Limits::default());
        assert_eq!(full.nodes.len(), 6);
        assert_eq!(full.nodes[1], Node::Int(IntValue::Small(2)));
    }
}
