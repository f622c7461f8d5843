use std::collections::HashSet;

use rustpython_ast::{Constant, Expr, ExprCall, Stmt};

use super::util::constant_pieces;
use crate::declare_fixer;
use crate::engine::checker::nodes::{flatten, NodeRef};
use crate::engine::checker::Checker;
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Turns a `str` literal into a `bytes` literal (`'abc'` -> `b'abc'`) where it is passed to
    /// a function that takes bytes in Python 3: `hashlib.md5('...')` and the other `hashlib`
    /// constructors (and `hashlib.new(name, '...')`), `hmac.new('key', 'msg', ...)`,
    /// `zlib.compress/decompress/crc32/adler32`, `binascii.hexlify/crc32`, and `.write('...')`
    /// on a file opened in binary mode (`f = open(path, 'wb')`, `with open(path, 'ab') as f`).
    ///
    /// ## Why
    /// A Python 2 `'...'` literal is bytes; in Python 3 it is text, and these functions raise
    /// `TypeError: Strings must be encoded before hashing` (or `a bytes-like object is
    /// required`). The literal's meaning was bytes all along: the `b` prefix keeps it.
    /// A literal with non-ASCII characters is reported without a fix (its bytes depend on the
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
                _ => return,
            }
        }
        _ => return,
    };
    for arg in args {
        literal_to_bytes(checker, arg);
    }
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
struct BinaryFiles(HashSet<String>);

fn writes_binary_file(checker: &Checker, value: &Expr) -> bool {
    let Expr::Name(name) = value else {
        return false;
    };
    let files = checker.memo(|c| BinaryFiles(binary_files(c)));
    files.0.contains(name.id.as_str())
        && checker.semantic().name_use(name.id.as_str()).bindings == 1
}

fn binary_files(checker: &Checker) -> HashSet<String> {
    let mut out = HashSet::new();
    if !checker.semantic().is_builtin("open") {
        return out;
    }
    for entry in flatten(checker.module(), |_, _| {}) {
        match entry.node {
            NodeRef::Stmt(Stmt::Assign(a)) => {
                if let ([Expr::Name(target)], Expr::Call(call)) =
                    (a.targets.as_slice(), a.value.as_ref())
                {
                    if opens_binary_for_writing(call) {
                        out.insert(target.id.to_string());
                    }
                }
            }
            NodeRef::Stmt(Stmt::With(w)) => {
                for item in &w.items {
                    if let (Expr::Call(call), Some(Expr::Name(target))) =
                        (&item.context_expr, item.optional_vars.as_deref())
                    {
                        if opens_binary_for_writing(call) {
                            out.insert(target.id.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `open(path, 'wb')` (or `'ab'`, `'r+b'` ...), the mode given positionally or as `mode=`.
fn opens_binary_for_writing(call: &ExprCall) -> bool {
    if !matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "open") {
        return false;
    }
    let mode = call.args.get(1).or_else(|| {
        call.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "mode"))
            .map(|k| &k.value)
    });
    let Some(Expr::Constant(c)) = mode else {
        return false;
    };
    let Constant::Str(mode) = &c.value else {
        return false;
    };
    mode.contains('b') && mode.contains(['w', 'a', '+', 'x'])
}

/// Adds the `b` prefix to `arg` when it is a plain ASCII `str` literal; reports it otherwise.
fn literal_to_bytes(checker: &mut Checker, arg: &Expr) {
    let Expr::Constant(c) = arg else { return };
    let Constant::Str(value) = &c.value else {
        return;
    };
    let Some(pieces) = constant_pieces(checker.text, arg) else {
        return;
    };
    let text = checker.text;
    let mut edits = Vec::new();
    let mut fixable = value.is_ascii();
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
