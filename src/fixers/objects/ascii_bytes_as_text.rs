use rustpython_ast::{Constant, Expr, Operator, Ranged};

use super::stdlib_bytes::returns_ascii_bytes;
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::called_name;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Decodes the result of a standard library function that returns ASCII-only bytes in
    /// Python 3 (`base64.b64encode`, `urlsafe_b64encode`, `b32encode`, `b16encode`,
    /// `encodestring`/`encodebytes`, `binascii.hexlify`, `b2a_hex`, `b2a_base64`), where the
    /// code uses it as text: printed (an argument of `print`), given to `str()`, or formatted
    /// (`'%s' % x`, `'%s-%s' % (x, y)`, `'{}'.format(x)`). A `.strip()`, `.upper()`... or a
    /// slice on the result is followed.
    ///
    /// ## Why
    /// In Python 2 these functions returned `str`, which printed as its characters. In Python 3
    /// they return bytes, which print and format as `b'aGk='`. Their output is ASCII by
    /// definition, so `.decode('ascii')` gives exactly the Python 2 text.
    ///
    /// ## Example
    /// ```python
    /// print base64.b64encode(data)
    /// label = 'id-%s' % binascii.hexlify(key)
    /// ```
    /// becomes
    /// ```python
    /// print(base64.b64encode(data).decode('ascii'))
    /// label = 'id-%s' % binascii.hexlify(key).decode('ascii')
    /// ```
    ///
    /// ## Limits
    /// Only where the result is used as text in the same expression; a result kept in a
    /// variable stays bytes (binary data usually goes on as bytes). Decoders
    /// (`b64decode`, `unhexlify`) return binary data and are left alone. Python 3 code that
    /// prints such a result on purpose (showing `b'...'`) is rare; it would be changed too.
    pub ASCII_BYTES_AS_TEXT = FixerSpec {
        code: "PY339",
        name: "ascii-bytes-as-text",
        summary: "print(base64.b64encode(x)) -> print(base64.b64encode(x).decode('ascii'))",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| s.mentions("base64") || s.mentions("binascii") || ["b64encode", "hexlify", "b2a_hex", "urlsafe_b64encode", "b2a_base64", "b32encode", "b16encode", "encodestring", "encodebytes", "standard_b64encode"].iter().any(|f| s.imports_name(f))) }),
    }
}

/// Methods of bytes that keep an ASCII result ASCII (called without arguments).
const KEEPING_METHODS: &[&str] = &["strip", "lstrip", "rstrip", "upper", "lower"];

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if !returns_ascii_bytes(checker, call) {
        return;
    }
    // Climb through `.strip()`-like calls and slices to the value used.
    let mut value: &Expr = expr;
    let mut ancestors = checker.ancestors();
    let mut parent = ancestors.next();
    loop {
        match parent {
            Some(NodeRef::Expr(attr @ Expr::Attribute(a)))
                if std::ptr::eq(a.value.as_ref(), value)
                    && KEEPING_METHODS.contains(&a.attr.as_str()) =>
            {
                match ancestors.next() {
                    Some(NodeRef::Expr(outer @ Expr::Call(c)))
                        if std::ptr::eq(c.func.as_ref(), attr)
                            && c.args.is_empty()
                            && c.keywords.is_empty() =>
                    {
                        value = outer;
                        parent = ancestors.next();
                    }
                    _ => return,
                }
            }
            Some(NodeRef::Expr(sub @ Expr::Subscript(s)))
                if std::ptr::eq(s.value.as_ref(), value)
                    && matches!(s.slice.as_ref(), Expr::Slice(_)) =>
            {
                value = sub;
                parent = ancestors.next();
            }
            _ => break,
        }
    }
    let as_text = match parent {
        Some(NodeRef::Expr(Expr::Call(c))) => {
            let is_arg = c.args.iter().any(|a| std::ptr::eq(a, value));
            let printing = called_name(c)
                .is_some_and(|n| matches!(n, "print" | "str") && checker.is_builtin(n))
                && (called_name(c) == Some("print") || c.args.len() == 1);
            let formats = matches!(c.func.as_ref(), Expr::Attribute(a)
                if a.attr.as_str() == "format" && is_str_literal(&a.value));
            is_arg && (printing || formats)
        }
        Some(NodeRef::Expr(Expr::BinOp(b))) => {
            matches!(b.op, Operator::Mod)
                && std::ptr::eq(b.right.as_ref(), value)
                && is_str_literal(&b.left)
        }
        Some(NodeRef::Expr(Expr::Tuple(t))) => {
            matches!(ancestors.next(), Some(NodeRef::Expr(Expr::BinOp(b)))
                if matches!(b.op, Operator::Mod)
                    && matches!(b.right.as_ref(), Expr::Tuple(r) if std::ptr::eq(r, t))
                    && is_str_literal(&b.left))
        }
        _ => false,
    };
    if !as_text {
        return;
    }
    let edit = Edit::insert(value.range().end().to_usize(), ".decode('ascii')");
    checker.report(
        &ASCII_BYTES_AS_TEXT,
        value,
        "this result is bytes in Python 3 (it shows as b'...' when printed or formatted): decode it",
        Some(Fix::safe(vec![edit])),
    );
}

/// Whether `expr` is a str literal (the format string of `%` or `.format`).
fn is_str_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Constant(c) if matches!(c.value, Constant::Str(_)))
}
