//! The standard library functions that return bytes in Python 3 (they returned `str`, which
//! was bytes, in Python 2), for the fixers that follow bytes values: `str-meets-bytes` and
//! `ascii-bytes-as-text`.

use rustpython_ast::{Expr, ExprCall};

use crate::engine::checker::Checker;

/// `(module, function)` pairs whose result is bytes made of ASCII characters only: base64,
/// base32, base16 and hex encodings.
const ASCII_RESULT: &[(&str, &str)] = &[
    ("base64", "b64encode"),
    ("base64", "standard_b64encode"),
    ("base64", "urlsafe_b64encode"),
    ("base64", "b32encode"),
    ("base64", "b16encode"),
    ("base64", "encodestring"),
    ("base64", "encodebytes"),
    ("binascii", "hexlify"),
    ("binascii", "b2a_hex"),
    ("binascii", "b2a_base64"),
];

/// `(module, function)` pairs whose result is binary bytes.
const BINARY_RESULT: &[(&str, &str)] = &[
    ("base64", "b64decode"),
    ("base64", "standard_b64decode"),
    ("base64", "urlsafe_b64decode"),
    ("base64", "b32decode"),
    ("base64", "b16decode"),
    ("base64", "decodestring"),
    ("base64", "decodebytes"),
    ("binascii", "unhexlify"),
    ("binascii", "a2b_hex"),
    ("binascii", "a2b_base64"),
    ("struct", "pack"),
    ("zlib", "compress"),
    ("zlib", "decompress"),
    ("os", "urandom"),
    ("marshal", "dumps"),
];

/// The modules named in the tables.
const MODULES: &[&str] = &["base64", "binascii", "struct", "zlib", "os", "marshal"];

/// The `(module, function)` a call calls, when its callee is `module.function` with `module`
/// bound only by `import module [as m]`, or `function` bound only by
/// `from module import function`.
pub fn stdlib_function<'e>(
    checker: &Checker,
    call: &'e ExprCall,
) -> Option<(&'static str, &'e str)> {
    let semantic = checker.semantic();
    match call.func.as_ref() {
        Expr::Attribute(a) => {
            let Expr::Name(m) = a.value.as_ref() else {
                return None;
            };
            let module = MODULES
                .iter()
                .find(|module| semantic.is_module_alias(module, m.id.as_str()))?;
            Some((module, a.attr.as_str()))
        }
        Expr::Name(n) => {
            let id = n.id.as_str();
            if semantic.bindings(id) != 1 {
                return None;
            }
            let module = MODULES.iter().find(|module| {
                semantic
                    .imported_from(module, id)
                    .is_some_and(|import| import.name == id)
            })?;
            Some((module, id))
        }
        _ => None,
    }
}

/// Whether `call` returns ASCII-only bytes in Python 3 (`base64.b64encode(x)`,
/// `binascii.hexlify(x)`): text in Python 2 terms, printed or formatted the same once decoded.
pub fn returns_ascii_bytes(checker: &Checker, call: &ExprCall) -> bool {
    stdlib_function(checker, call).is_some_and(|f| ASCII_RESULT.contains(&f))
}

/// Whether `call` returns bytes in Python 3: a function of either table, or the `digest()`
/// of a `hashlib`/`hmac` object made in the same expression (`hashlib.md5(x).digest()`).
pub fn returns_bytes(checker: &Checker, call: &ExprCall) -> bool {
    if let Some(f) = stdlib_function(checker, call) {
        return ASCII_RESULT.contains(&f) || BINARY_RESULT.contains(&f);
    }
    let Expr::Attribute(a) = call.func.as_ref() else {
        return false;
    };
    if a.attr.as_str() != "digest" || !call.args.is_empty() {
        return false;
    }
    let Expr::Call(maker) = a.value.as_ref() else {
        return false;
    };
    let Expr::Attribute(m) = maker.func.as_ref() else {
        return false;
    };
    let Expr::Name(module) = m.value.as_ref() else {
        return false;
    };
    ["hashlib", "hmac"]
        .iter()
        .any(|name| checker.semantic().is_module_alias(name, module.id.as_str()))
}
