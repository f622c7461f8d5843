use rustpython_ast::{Constant, Expr, ExprCall, Operator, Ranged, Stmt};

use super::bytes_arguments::open_mode;
use super::util::{only_assigned_value, Target};
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::nodes::flatten;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::imports::modules::MODULE_RENAMES;
use crate::fixers::util::attribute_name_start;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Makes `StringIO(data)` an `io.BytesIO(data)` when `data` is visibly bytes: a bytes
    /// literal, or the result of `base64.b64decode()` / `decodestring()` (and the other
    /// `base64` and `binascii` codecs), `struct.pack()`, `zlib`/`bz2`/`gzip` (de)compression,
    /// `pickle.dumps()`, `marshal.dumps()`, `os.urandom()`, `bytes()`, `bytearray()`,
    /// `x.encode(...)`, `f.read()` of a file opened `"rb"` (`open(path, "rb")`, a name
    /// assigned that once, or `with open(path, "rb") as f:`), or a name assigned one of those
    /// once in the module; or, for an empty `buf = StringIO()`, when the module writes such
    /// bytes to it (`buf.write(struct.pack(...))`). The class may be written `StringIO.StringIO`, `cStringIO.StringIO`,
    /// `io.StringIO`, or a `StringIO` imported from any of these modules; `import io` is added
    /// when missing (`from io import BytesIO` when the name `io` is bound to something else).
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
    /// When unsure it keeps `io.StringIO` (what 2to3 does): data of unknown type, a buffer
    /// passed elsewhere to be written, a buffer only read as bytes (`buf.getvalue() == b""`).
    pub STRINGIO_BYTES = FixerSpec {
        code: "PY325",
        name: "stringio-bytes",
        summary: "StringIO(bytes data) -> io.BytesIO(...)",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| s.may_call("StringIO")) }),
    }
}

/// The modules whose `StringIO` class this fixer knows.
const STRINGIO_MODULES: &[&str] = &["io", "StringIO", "cStringIO"];

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if !is_stringio_class(checker, &call.func) {
        return;
    }
    if !holds_bytes(checker, expr, checker.parent()) {
        return;
    }
    let fix = class_edits(checker, &call.func).map(Fix::safe);
    checker.report(
        &STRINGIO_BYTES,
        expr,
        "this StringIO holds bytes: Python 3 needs `io.BytesIO`",
        fix,
    );
}

/// The edits naming `io.BytesIO` instead of the class `func`. `io.StringIO` (and, while
/// `module-renames` runs, `StringIO.StringIO` / `cStringIO.StringIO`, whose module it renames
/// to `io` in the same round) only get their attribute renamed; anything else becomes
/// `io.BytesIO`, with `import io` added when missing. `None` when `io` is bound to something
/// else.
fn class_edits(checker: &Checker, func: &Expr) -> Option<Vec<Edit>> {
    if let Expr::Attribute(a) = func {
        let is_io = matches!(a.value.as_ref(), Expr::Name(m) if checker
            .semantic()
            .imports()
            .iter()
            .any(|i| i.from.is_none() && i.name == "io" && i.bound_name() == m.id.as_str()));
        // Under `--target six` module-renames keeps `StringIO` / `cStringIO`: `io.BytesIO`.
        let module_renamed = is_io || (!checker.six() && checker.is_enabled(MODULE_RENAMES.code));
        if module_renamed {
            let start = attribute_name_start(a)?;
            return Some(vec![Edit::replace(
                start,
                a.range.end().to_usize(),
                "BytesIO",
            )]);
        }
    }
    let r = func.range();
    let (start, end) = (r.start().to_usize(), r.end().to_usize());
    let mut edits = vec![Edit::replace(start, end, "io.BytesIO")];
    if checker.importer().push_module("io", &mut edits) {
        return Some(edits);
    }
    // `io` is bound to something else: `from io import BytesIO`, when that name is free.
    let semantic = checker.semantic();
    let imported = semantic
        .imported_from("io", "BytesIO")
        .is_some_and(|i| i.asname.is_none());
    let bindings = semantic.bindings("BytesIO");
    let mut edits = vec![Edit::replace(start, end, "BytesIO")];
    match (imported, bindings) {
        (true, 1) => Some(edits),
        (false, 0) => {
            edits.push(checker.importer().line("from io import BytesIO")?);
            Some(edits)
        }
        _ => None,
    }
}

/// Whether `func` is the `StringIO` class of `io`, `StringIO` or `cStringIO`.
fn is_stringio_class(checker: &Checker, func: &Expr) -> bool {
    let semantic = checker.semantic();
    // What module-renames writes for `cStringIO.StringIO` under `--target six`.
    if matches!(
        crate::fixers::six::six_path(checker, func).as_deref(),
        Some("moves.StringIO" | "moves.cStringIO")
    ) {
        return true;
    }
    match func {
        Expr::Attribute(a) if a.attr.as_str() == "StringIO" => {
            let Expr::Name(m) = a.value.as_ref() else {
                return false;
            };
            // Every binding of the name imports one of the modules (`import io` twice is
            // what `module-renames` makes of `import StringIO` + `import cStringIO`).
            let id = m.id.as_str();
            let imports = semantic
                .imports()
                .iter()
                .filter(|i| {
                    i.level == 0
                        && i.from.is_none()
                        && i.bound_name() == id
                        && STRINGIO_MODULES.contains(&i.name)
                })
                .count();
            imports > 0 && u32::try_from(imports).ok() == Some(semantic.bindings(id))
        }
        Expr::Name(n) if semantic.imports_binding(n.id.as_str()) > 0 => {
            let id = n.id.as_str();
            let imports = semantic
                .imports()
                .iter()
                .filter(|i| {
                    i.level == 0
                        && i.bound_name() == id
                        && (i.name == "StringIO"
                            && i.from.is_some_and(|m| STRINGIO_MODULES.contains(&m))
                            // What module-renames writes under `--target six`.
                            || matches!(i.name, "StringIO" | "cStringIO")
                                && i.from == Some("six.moves"))
                })
                .count();
            imports > 0 && u32::try_from(imports).ok() == Some(semantic.bindings(id))
        }
        _ => false,
    }
}

/// Whether the `StringIO` call `expr`, a child of `parent`, visibly holds bytes: its data is
/// bytes, or it is an empty buffer kept in a name the module writes bytes to.
pub fn holds_bytes(checker: &Checker, expr: &Expr, parent: Option<NodeRef>) -> bool {
    let Expr::Call(call) = expr else {
        return false;
    };
    if !call.keywords.is_empty() {
        return false;
    }
    match call.args.as_slice() {
        [data] => is_bytes_value(checker, data, 0),
        [] => is_written_bytes(checker, expr, parent),
        _ => false,
    }
}

/// `buf = StringIO()` (`parent` is the assignment) where the module writes bytes to `buf`
/// (`buf.write(b"...")`), `buf` being bound nowhere else.
fn is_written_bytes(checker: &Checker, expr: &Expr, parent: Option<NodeRef>) -> bool {
    let Some(NodeRef::Stmt(Stmt::Assign(assign))) = parent else {
        return false;
    };
    let [Expr::Name(target)] = assign.targets.as_slice() else {
        return false;
    };
    let name = target.id.as_str();
    if !std::ptr::eq(assign.value.as_ref(), expr) || checker.semantic().bindings(name) != 1 {
        return false;
    }
    let suite = checker.module();
    // A rare trigger (an empty StringIO kept in a name): scan the module for its writes.
    flatten(suite, |_, _| {}).iter().any(|entry| {
        let NodeRef::Expr(Expr::Call(call)) = entry.node else {
            return false;
        };
        let Expr::Attribute(method) = call.func.as_ref() else {
            return false;
        };
        method.attr.as_str() == "write"
            && matches!(method.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
            && call
                .args
                .first()
                .is_some_and(|data| is_bytes_value(checker, data, 0))
    })
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
                return checker.is_builtin(id);
            }
            BYTES_FUNCTIONS.iter().any(|(module, functions)| {
                functions.contains(&id)
                    && semantic
                        .imported_from(module, id)
                        .is_some_and(|i| i.name == id && semantic.bindings(id) == 1)
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

/// Whether `expr` is a binary file: `open(path, "rb")`, a name assigned only that, or the
/// name of an enclosing `with open(path, "rb") as name:`.
fn is_binary_file(checker: &Checker, expr: &Expr) -> bool {
    let Expr::Name(n) = expr else {
        return is_binary_open(checker, expr);
    };
    let name = n.id.as_str();
    if only_assigned_value(checker, Target::Name(name))
        .is_some_and(|value| is_binary_open(checker, value))
    {
        return true;
    }
    let mut items = checker.ancestors().filter_map(|node| match node {
        NodeRef::Stmt(Stmt::With(w)) => Some(&w.items),
        _ => None,
    });
    checker.semantic().bindings(name) == 1
        && items.any(|items| {
            items.iter().any(|item| {
                matches!(&item.optional_vars, Some(v) if matches!(v.as_ref(),
                    Expr::Name(bound) if bound.id.as_str() == name))
                    && is_binary_open(checker, &item.context_expr)
            })
        })
}

/// Whether `expr` is `open(path, mode)` with a binary mode literal (`"rb"`, `mode="rb"`).
fn is_binary_open(checker: &Checker, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    checker.is_builtin("open") && open_mode(call).is_some_and(|m| m.contains('b'))
}
