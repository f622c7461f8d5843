use rustpython_ast::{CmpOp, Constant, Expr, ExprCall, Operator};

use super::bytes_arguments::{is_binary_file, open_mode};
use super::codec_methods::bytes_prefix_edits;
use super::stdlib_bytes::returns_bytes;
use super::util::{only_assigned_value, Target};
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Makes a Python 2 `str` literal a bytes literal where it meets a value that is bytes in
    /// Python 3: compared with it (`==`, `!=`, `in` a list or tuple of literals), added to it
    /// (`+`), or passed to its `startswith`/`endswith`/`find`/`split`/`replace`... methods. Bytes
    /// values are bytes literals, `x.encode(...)` with a text codec, `open(..., 'rb').read()`,
    /// `f.read(...)` where every assignment of `f` in the module opens a file in binary mode,
    /// the standard library's bytes results (`struct.pack`, `zlib.compress`, `base64` and
    /// `binascii` encodings and decodings, `os.urandom`, `hashlib.md5(x).digest()`), their
    /// slices and `strip()`s, and names the module binds once to one of those.
    ///
    /// ## Why
    /// A Python 2 `str` was bytes: `u'caf\xe9'.encode('utf-8') == 'caf\xc3\xa9'` was true and
    /// `data + ' menu'` worked. In Python 3 `bytes` never equals `str` (the test is silently
    /// false) and adding them raises `TypeError`.
    ///
    /// ## Example
    /// ```python
    /// head = open(path, 'rb').read(6)
    /// if head == 'GIF89a':
    ///     label = name.encode('utf-8') + ' (image)'
    /// ```
    /// becomes
    /// ```python
    /// head = open(path, 'rb').read(6)
    /// if head == b'GIF89a':
    ///     label = name.encode('utf-8') + b' (image)'
    /// ```
    ///
    /// ## Limits
    /// Only literals written in ASCII (escapes are fine) and without a prefix; values whose
    /// bytes-ness needs more than the module's own assignments to see are left alone (the
    /// `binary-read-comparison` fixer follows reads inside functions).
    pub STR_MEETS_BYTES = FixerSpec {
        code: "PY330",
        name: "str-meets-bytes",
        summary: "'lit' compared with or added to bytes (x.encode(), b'', binary reads) -> b'lit'",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::OTHER | expr_kinds::CALL, expr_relevant: None }),
    }
}

/// Methods whose str-literal arguments must be bytes when called on bytes.
const METHODS: &[&str] = &[
    "startswith",
    "endswith",
    "find",
    "rfind",
    "index",
    "rindex",
    "count",
    "split",
    "rsplit",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "partition",
    "rpartition",
];

fn check(expr: &Expr, checker: &mut Checker) {
    let mut literals: Vec<&Expr> = Vec::new();
    match expr {
        Expr::Compare(cmp) => {
            let operands: Vec<&Expr> = std::iter::once(cmp.left.as_ref())
                .chain(cmp.comparators.iter())
                .collect();
            for (i, op) in cmp.ops.iter().enumerate() {
                let (Some(left), Some(right)) = (operands.get(i), operands.get(i + 1)) else {
                    continue;
                };
                match op {
                    CmpOp::Eq | CmpOp::NotEq => {
                        if is_str_literal(right) && is_bytes(checker, left, 0) {
                            literals.push(right);
                        }
                        if is_str_literal(left) && is_bytes(checker, right, 0) {
                            literals.push(left);
                        }
                    }
                    CmpOp::In | CmpOp::NotIn
                        if matches!(right, Expr::List(_) | Expr::Tuple(_))
                            && is_bytes(checker, left, 0) =>
                    {
                        if let Expr::List(l) = right {
                            literals.extend(l.elts.iter());
                        } else if let Expr::Tuple(t) = right {
                            literals.extend(t.elts.iter());
                        }
                    }
                    _ => {}
                }
            }
        }
        Expr::BinOp(b) if matches!(b.op, Operator::Add) => {
            if is_str_literal(&b.right) && is_bytes(checker, &b.left, 0) {
                literals.push(&b.right);
            }
            if is_str_literal(&b.left) && is_bytes(checker, &b.right, 0) {
                literals.push(&b.left);
            }
        }
        Expr::Call(call) => {
            let Expr::Attribute(m) = call.func.as_ref() else {
                return;
            };
            if METHODS.contains(&m.attr.as_str())
                && call.args.iter().any(is_str_literal)
                && is_bytes(checker, &m.value, 0)
            {
                literals.extend(call.args.iter());
            }
        }
        _ => return,
    }
    let text = checker.text;
    for literal in literals {
        if !matches!(literal, Expr::Constant(c) if matches!(c.value, Constant::Str(_))) {
            continue;
        }
        let Some(edits) = bytes_prefix_edits(text, literal) else {
            continue;
        };
        let fix = Fix::safe(edits);
        checker.report(
            &STR_MEETS_BYTES,
            literal,
            "a Python 2 `str` literal meets bytes: in Python 3 it must be a bytes literal",
            Some(fix),
        );
    }
}

/// Whether `expr` is a `str` literal (the only thing this rule edits): tested before the
/// costlier [`is_bytes`].
fn is_str_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Constant(c) if matches!(c.value, Constant::Str(_)))
}

/// Whether `expr` is bytes in Python 3 (and was `str` in Python 2).
fn is_bytes(checker: &Checker, expr: &Expr, depth: u32) -> bool {
    if depth > 4 {
        return false;
    }
    match expr {
        Expr::Constant(c) => matches!(c.value, Constant::Bytes(_)),
        Expr::Call(call) => {
            is_encode(call)
                || is_binary_read(checker, call)
                || returns_bytes(checker, call)
                || is_bytes_method_result(checker, call, depth)
        }
        Expr::Name(n) => only_assigned_value(checker, Target::Name(n.id.as_str()))
            .is_some_and(|value| is_bytes(checker, value, depth + 1)),
        // `data[2:]`: a slice of bytes is bytes.
        Expr::Subscript(s) if matches!(s.slice.as_ref(), Expr::Slice(_)) => {
            is_bytes(checker, &s.value, depth + 1)
        }
        _ => false,
    }
}

/// `data.strip()` (or `lstrip`, `rstrip`, `upper`, `lower` without arguments) on bytes.
fn is_bytes_method_result(checker: &Checker, call: &ExprCall, depth: u32) -> bool {
    let Expr::Attribute(m) = call.func.as_ref() else {
        return false;
    };
    call.args.is_empty()
        && call.keywords.is_empty()
        && matches!(
            m.attr.as_str(),
            "strip" | "lstrip" | "rstrip" | "upper" | "lower"
        )
        && is_bytes(checker, &m.value, depth + 1)
}

/// `x.encode()` or `x.encode('utf-8')` (a text codec; `'hex'` and friends are codec-methods').
fn is_encode(call: &ExprCall) -> bool {
    let Expr::Attribute(m) = call.func.as_ref() else {
        return false;
    };
    if m.attr.as_str() != "encode" || !call.keywords.is_empty() {
        return false;
    }
    match call.args.as_slice() {
        [] => true,
        [Expr::Constant(c)] => match &c.value {
            Constant::Str(codec) => {
                let codec = codec.to_ascii_lowercase().replace('_', "-");
                matches!(
                    codec.as_str(),
                    "utf-8"
                        | "utf8"
                        | "ascii"
                        | "latin-1"
                        | "latin1"
                        | "iso-8859-1"
                        | "cp1252"
                        | "utf-16"
                        | "utf-32"
                )
            }
            _ => false,
        },
        _ => false,
    }
}

/// `open(path, 'rb').read(...)`, or `f.read(...)` where every binding of `f` in the module
/// (`with open(path, 'rb') as f:` too) is such an `open()`.
fn is_binary_read(checker: &Checker, call: &ExprCall) -> bool {
    let Expr::Attribute(m) = call.func.as_ref() else {
        return false;
    };
    if !matches!(m.attr.as_str(), "read" | "readline") {
        return false;
    }
    match m.value.as_ref() {
        Expr::Call(open) => opens_binary(checker, open),
        Expr::Name(n) => is_binary_file(checker, n.id.as_str(), false),
        _ => false,
    }
}

/// `open(path, mode)` (the builtin) with a binary mode.
fn opens_binary(checker: &Checker, call: &ExprCall) -> bool {
    checker.is_builtin("open") && open_mode(call).is_some_and(|m| m.contains('b'))
}
