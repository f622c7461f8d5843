use rustpython_ast::{Constant, Expr, ExprCall, Operator, Ranged};

use super::util::{only_assigned_value, push_import, Target};
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::{Edit, Fix};
use crate::fixers::registry::AstHooks;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Makes `StringIO(data)` an `io.BytesIO(data)` when `data` is visibly bytes: a bytes
    /// literal, or the result of `base64.b64decode()` / `decodestring()` (and the other
    /// `base64` and `binascii` codecs), `struct.pack()`, `zlib`/`bz2`/`gzip` (de)compression,
    /// `pickle.dumps()`, `marshal.dumps()`, `os.urandom()`, `bytes()`, `bytearray()`,
    /// `x.encode(...)`, `open(path, "rb").read()`, or a name assigned one of those once in
    /// the module. The class may be written `StringIO.StringIO`, `cStringIO.StringIO`,
    /// `io.StringIO`, or a `StringIO` imported from any of these modules; `import io` is added
    /// when missing.
    ///
    /// ## Why
    /// Python 2's `StringIO` held bytes (`str`); Python 3's `io.StringIO` only takes text and
    /// raises `TypeError: initial_value must be str or None, not bytes`. The module rename
    /// (`module-renames`, like 2to3) always picks `io.StringIO`, which is right for text.
    ///
    /// ## Example
    /// ```python
    /// from cStringIO import StringIO
    /// zone = tzfile(StringIO(base64.decodestring(DATA)))
    /// ```
    /// becomes (with `module-renames` and `base64-encodestring`)
    /// ```python
    /// import io
    /// from io import StringIO
    /// zone = tzfile(io.BytesIO(base64.decodebytes(DATA)))
    /// ```
    ///
    /// ## Limits
    /// Decided by the argument only: `StringIO()` without one, or with data of unknown type,
    /// stays `io.StringIO` (what 2to3 does); a buffer later written bytes
    /// (`buf.write(b"...")`) must be changed by hand.
    pub STRINGIO_BYTES = FixerSpec {
        code: "PY325",
        name: "stringio-bytes",
        summary: "StringIO(bytes data) -> io.BytesIO(...)",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check) }),
    }
}

/// The modules whose `StringIO` class this fixer knows.
const STRINGIO_MODULES: &[&str] = &["io", "StringIO", "cStringIO"];

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if !is_stringio_class(checker, &call.func) {
        return;
    }
    let [data] = call.args.as_slice() else { return };
    if !call.keywords.is_empty() || !is_bytes_value(checker, data, 0) {
        return;
    }
    let r = call.func.range();
    let mut edits = vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        "io.BytesIO",
    )];
    let fix = push_import(checker, "io", &mut edits).then(|| Fix::safe(edits));
    checker.report(
        &STRINGIO_BYTES,
        expr,
        "this StringIO holds bytes: Python 3 needs `io.BytesIO`",
        fix,
    );
}

/// Whether `func` is the `StringIO` class of `io`, `StringIO` or `cStringIO`.
fn is_stringio_class(checker: &Checker, func: &Expr) -> bool {
    let semantic = checker.semantic();
    match func {
        Expr::Attribute(a) if a.attr.as_str() == "StringIO" => matches!(a.value.as_ref(),
            Expr::Name(m) if STRINGIO_MODULES
                .iter()
                .any(|module| semantic.is_module_alias(module, m.id.as_str()))),
        Expr::Name(n) => {
            let id = n.id.as_str();
            let imports = semantic
                .imports()
                .iter()
                .filter(|i| {
                    i.level == 0
                        && i.bound_name() == id
                        && i.name == "StringIO"
                        && i.from.is_some_and(|m| STRINGIO_MODULES.contains(&m))
                })
                .count();
            imports > 0 && u32::try_from(imports).ok() == Some(semantic.name_use(id).bindings)
        }
        _ => false,
    }
}

/// `module.function` calls that return bytes.
const BYTES_FUNCTIONS: &[(&str, &[&str])] = &[
    (
        "base64",
        &[
            "b64encode",
            "b64decode",
            "standard_b64encode",
            "standard_b64decode",
            "urlsafe_b64encode",
            "urlsafe_b64decode",
            "b32encode",
            "b32decode",
            "b16encode",
            "b16decode",
            "a85encode",
            "a85decode",
            "b85encode",
            "b85decode",
            "encodestring",
            "decodestring",
            "encodebytes",
            "decodebytes",
        ],
    ),
    (
        "binascii",
        &[
            "a2b_base64",
            "b2a_base64",
            "a2b_hex",
            "b2a_hex",
            "hexlify",
            "unhexlify",
        ],
    ),
    ("struct", &["pack"]),
    ("zlib", &["compress", "decompress"]),
    ("bz2", &["compress", "decompress"]),
    ("gzip", &["compress", "decompress"]),
    ("pickle", &["dumps"]),
    ("cPickle", &["dumps"]),
    ("marshal", &["dumps"]),
    ("os", &["urandom"]),
];

/// How many names deep [`is_bytes_value`] follows `x = ...` assignments.
const MAX_NAME_HOPS: usize = 3;

/// Whether `expr` is visibly bytes (see the fixer's doc).
fn is_bytes_value(checker: &Checker, expr: &Expr, hops: usize) -> bool {
    match expr {
        Expr::Constant(c) => matches!(c.value, Constant::Bytes(_)),
        Expr::Call(call) => is_bytes_call(checker, call),
        Expr::Name(n) if hops < MAX_NAME_HOPS => {
            only_assigned_value(checker, Target::Name(n.id.as_str()))
                .is_some_and(|value| is_bytes_value(checker, value, hops + 1))
        }
        Expr::BinOp(b) if matches!(b.op, Operator::Add) => {
            // `b"x" + data`: bytes when either side is.
            is_bytes_value(checker, &b.left, hops) || is_bytes_value(checker, &b.right, hops)
        }
        _ => false,
    }
}

/// Whether `call` returns bytes.
fn is_bytes_call(checker: &Checker, call: &ExprCall) -> bool {
    let semantic = checker.semantic();
    match call.func.as_ref() {
        Expr::Name(n) => {
            let id = n.id.as_str();
            if matches!(id, "bytes" | "bytearray") {
                return semantic.is_builtin(id);
            }
            BYTES_FUNCTIONS.iter().any(|(module, functions)| {
                functions.contains(&id)
                    && semantic
                        .imported_from(module, id)
                        .is_some_and(|i| i.name == id && semantic.name_use(id).bindings == 1)
            })
        }
        Expr::Attribute(a) => {
            let attr = a.attr.as_str();
            if attr == "encode" {
                return true;
            }
            if attr == "read" && is_binary_file(checker, &a.value) {
                return true;
            }
            let Expr::Name(m) = a.value.as_ref() else {
                return false;
            };
            BYTES_FUNCTIONS.iter().any(|(module, functions)| {
                functions.contains(&attr) && semantic.is_module_alias(module, m.id.as_str())
            })
        }
        _ => false,
    }
}

/// Whether `expr` is a binary file: `open(path, "rb")`, or a name assigned only that.
fn is_binary_file(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::Name(n) => only_assigned_value(checker, Target::Name(n.id.as_str()))
            .is_some_and(|value| is_binary_open(checker, value)),
        _ => is_binary_open(checker, expr),
    }
}

/// Whether `expr` is `open(path, mode)` with a binary mode literal (`"rb"`, `mode="rb"`).
fn is_binary_open(checker: &Checker, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let is_open = matches!(call.func.as_ref(), Expr::Name(n)
        if n.id.as_str() == "open" && checker.semantic().is_builtin("open"));
    if !is_open {
        return false;
    }
    let mode = call.args.get(1).or_else(|| {
        call.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "mode"))
            .map(|k| &k.value)
    });
    matches!(mode, Some(Expr::Constant(c))
        if matches!(&c.value, Constant::Str(s) if s.contains('b')))
}
