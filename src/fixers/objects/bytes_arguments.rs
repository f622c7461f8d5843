use std::collections::HashSet;

use rustpython_ast::{Constant, Expr, ExprCall, Stmt};

use super::util::constant_pieces;
use crate::declare_fixer;
use crate::engine::checker::nodes::{flatten, NodeRef};
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Turns a `str` literal into a `bytes` literal (`'abc'` -> `b'abc'`) where it is passed to
    /// a function that takes bytes in Python 3: `hashlib.md5('...')` and the other `hashlib`
    /// constructors (and `hashlib.new(name, '...')`), `hmac.new('key', 'msg', ...)`,
    /// `zlib.compress/decompress/crc32/adler32`, `binascii.hexlify/crc32` (also imported by
    /// `from module import function`), `.update('...')` on a
    /// name every binding of which is a `hashlib`/`hmac` constructor (`h = hashlib.sha1()`), and
    /// `.write('...')` on a file opened in binary mode (`f = open(path, 'wb')`,
    /// `with open(path, 'ab') as f`; every binding of the name must open a file in binary mode).
    ///
    /// ## Why
    /// A Python 2 `'...'` literal is bytes; in Python 3 it is text, and these functions raise
    /// `TypeError: Strings must be encoded before hashing` (or `a bytes-like object is
    /// required`). The literal's meaning was bytes all along: the `b` prefix keeps it.
    /// A literal with non-ASCII characters in the source (escapes like `'\xff'` are fine) is
    /// reported without a fix (its bytes depend on the
    /// source encoding), as is a `u'...'` literal (text passed where bytes are needed).
    ///
    /// ## Example
    /// ```python
    /// digest = hashlib.sha1('salt').hexdigest()
    /// out = open('data.bin', 'wb')
    /// out.write('\x00\x01')
    /// ```
    /// becomes
    /// ```python
    /// digest = hashlib.sha1(b'salt').hexdigest()
    /// out = open('data.bin', 'wb')
    /// out.write(b'\x00\x01')
    /// ```
    pub BYTES_ARGUMENTS = FixerSpec {
        code: "PY329",
        name: "bytes-arguments",
        summary: "'...' passed to hashlib/hmac/zlib/binary write -> b'...'",
        groups: &["objects"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

/// `hashlib` constructors that take the data as first argument.
const HASHLIB: &[&str] = &[
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_224",
    "sha3_256", "sha3_384", "sha3_512",
];
const ZLIB: &[&str] = &["compress", "decompress", "crc32", "adler32"];
const BINASCII: &[&str] = &["hexlify", "b2a_hex", "crc32", "b2a_base64"];

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let args: Vec<&Expr> = match call.func.as_ref() {
        Expr::Attribute(attr) => {
            let method = attr.attr.as_str();
            match module_of(checker, &attr.value) {
                Some("hashlib") if HASHLIB.contains(&method) => call.args.iter().take(1).collect(),
                Some("hashlib") if method == "new" => call.args.iter().skip(1).take(1).collect(),
                Some("hmac") if method == "new" => call.args.iter().take(2).collect(),
                Some("zlib") if ZLIB.contains(&method) => call.args.iter().take(1).collect(),
                Some("binascii") if BINASCII.contains(&method) => {
                    call.args.iter().take(1).collect()
                }
                _ if method == "write" && writes_binary_file(checker, &attr.value) => {
                    call.args.iter().take(1).collect()
                }
                _ if method == "update" && is_hash_object(checker, &attr.value) => {
                    call.args.iter().take(1).collect()
                }
                _ => return,
            }
        }
        // `from binascii import hexlify` then `hexlify('ab')`.
        Expr::Name(name) => match imported_function(checker, name.id.as_str()) {
            Some(("hashlib", f)) if HASHLIB.contains(&f) => call.args.iter().take(1).collect(),
            Some(("zlib", f)) if ZLIB.contains(&f) => call.args.iter().take(1).collect(),
            Some(("binascii", f)) if BINASCII.contains(&f) => call.args.iter().take(1).collect(),
            _ => return,
        },
        _ => return,
    };
    for arg in args {
        literal_to_bytes(checker, arg);
    }
}

/// The module and function a name is bound to, only by `from module import function`
/// (`hashlib`, `zlib` or `binascii`).
fn imported_function<'n>(checker: &Checker, name: &'n str) -> Option<(&'static str, &'n str)> {
    let semantic = checker.semantic();
    if semantic.bindings(name) != 1 {
        return None;
    }
    ["hashlib", "zlib", "binascii"]
        .into_iter()
        .find(|m| {
            semantic
                .imported_from(m, name)
                .is_some_and(|i| i.name == name)
        })
        .map(|m| (m, name))
}

/// The module `value` names (`hashlib` for `hashlib` bound by `import hashlib`).
fn module_of<'e>(checker: &Checker, value: &'e Expr) -> Option<&'e str> {
    let Expr::Name(name) = value else { return None };
    let id = name.id.as_str();
    ["hashlib", "hmac", "zlib", "binascii"]
        .into_iter()
        .find(|m| *m == id && checker.semantic().is_module_alias(m, id))
        .map(|_| id)
}

/// The names bound (once in the module) to a file opened in a binary writing mode.
struct BinaryFiles(HashSet<(String, bool)>);

fn writes_binary_file(checker: &Checker, value: &Expr) -> bool {
    matches!(value, Expr::Name(name) if is_binary_file(checker, name.id.as_str(), true))
}

/// Whether every binding of `name` in the module (assignments and `with ... as` targets) opens
/// a file in a binary mode, and, when `writing`, one of them for writing.
pub fn is_binary_file(checker: &Checker, name: &str, writing: bool) -> bool {
    let files = checker.memo(|c| BinaryFiles(binary_files(c)));
    files.0.contains(&(name.to_string(), writing))
        || (!writing && files.0.contains(&(name.to_string(), true)))
}

/// The names every binding of which (assignments and `with ... as` targets, counted against the
/// module's bindings of the name) opens a file in a binary mode, with whether one of them writes.
fn binary_files(checker: &Checker) -> HashSet<(String, bool)> {
    let mut out = HashSet::new();
    if !checker.is_builtin("open") {
        return out;
    }
    // name -> (bindings seen, all binary opens, one for writing)
    let mut seen: std::collections::HashMap<String, (u32, bool, bool)> = Default::default();
    let mut record = |name: &str, call: Option<&ExprCall>| {
        let e = seen.entry(name.to_string()).or_insert((0, true, false));
        e.0 += 1;
        e.1 &= call.and_then(open_mode).is_some_and(|m| m.contains('b'));
        e.2 |= call
            .and_then(open_mode)
            .is_some_and(|m| m.contains(['w', 'a', '+', 'x']));
    };
    let entries = flatten(checker.module(), |_, _| {});
    for entry in &entries {
        match entry.node {
            NodeRef::Stmt(Stmt::Assign(a)) => {
                if let [Expr::Name(target)] = a.targets.as_slice() {
                    let call = match a.value.as_ref() {
                        Expr::Call(c) => Some(c),
                        _ => None,
                    };
                    record(target.id.as_str(), call);
                }
            }
            NodeRef::Stmt(Stmt::With(w)) => {
                for item in &w.items {
                    if let Some(Expr::Name(target)) = item.optional_vars.as_deref() {
                        let call = match &item.context_expr {
                            Expr::Call(c) => Some(c),
                            _ => None,
                        };
                        record(target.id.as_str(), call);
                    }
                }
            }
            _ => {}
        }
    }
    for (name, (count, binary, writes)) in seen {
        if binary && checker.semantic().bindings(&name) == count {
            out.insert((name, writes));
        }
    }
    out
}

/// Whether `value` is a name every binding of which is a `hashlib`/`hmac` constructor call
/// (`h = hashlib.sha1()`), whose `update()` takes bytes.
fn is_hash_object(checker: &Checker, value: &Expr) -> bool {
    let Expr::Name(name) = value else {
        return false;
    };
    // Cheap tests first: `d.update(...)` is common, the scan below reads the whole module.
    let semantic = checker.semantic();
    if !(semantic.imports_module("hashlib") || semantic.imports_module("hmac"))
        || semantic.bindings(name.id.as_str()) == 0
    {
        return false;
    }
    let suite = checker.module();
    let values = super::util::assigned_values(suite, super::util::Target::Name(name.id.as_str()));
    !values.is_empty()
        && u32::try_from(values.len()).ok() == Some(checker.semantic().bindings(name.id.as_str()))
        && values.iter().all(|v| {
            let Expr::Call(call) = v else { return false };
            let Expr::Attribute(attr) = call.func.as_ref() else {
                return false;
            };
            let method = attr.attr.as_str();
            match module_of(checker, &attr.value) {
                Some("hashlib") => HASHLIB.contains(&method) || method == "new",
                Some("hmac") => method == "new",
                _ => false,
            }
        })
}

/// The mode of an `open()` call, when it is a string literal (the caller checks that `open` is
/// the builtin).
pub(crate) fn open_mode(call: &ExprCall) -> Option<&str> {
    if !matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "open") {
        return None;
    }
    let mode = call.args.get(1).or_else(|| {
        call.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "mode"))
            .map(|k| &k.value)
    })?;
    match mode {
        Expr::Constant(c) => match &c.value {
            Constant::Str(m) => Some(m.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Adds the `b` prefix to `arg` when it is a plain ASCII `str` literal; reports it otherwise.
fn literal_to_bytes(checker: &mut Checker, arg: &Expr) {
    let Expr::Constant(c) = arg else { return };
    if !matches!(c.value, Constant::Str(_)) {
        return;
    }
    let Some(pieces) = constant_pieces(checker.text, arg) else {
        return;
    };
    let text = checker.text;
    let mut edits = Vec::new();
    // ASCII source (escapes included) says the same bytes in a bytes literal.
    let mut fixable = pieces
        .first()
        .zip(pieces.last())
        .and_then(|(f, l)| text.get(f.start..l.end))
        .is_some_and(str::is_ascii);
    for piece in &pieces {
        let prefix = piece.prefix(text).to_ascii_lowercase();
        if prefix.contains(['u', 'f', 'b']) {
            fixable = false;
        }
        edits.push(Edit::insert(piece.start, "b"));
    }
    let fix = fixable.then(|| Fix::safe(edits));
    checker.report(
        &BYTES_ARGUMENTS,
        arg,
        "a Python 2 `str` literal passed where Python 3 needs bytes: make it a bytes literal",
        fix,
    );
}
