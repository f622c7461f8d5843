use rustpython_ast::{Constant, Expr};

use super::util::{constant_pieces, only_assigned_value, Target};
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{has_starred_argument, receiver_text};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 bytes-to-bytes codecs called through `str.encode`/`decode`:
    /// `s.encode('hex')` -> `binascii.hexlify(s)`, `s.decode('hex')` ->
    /// `binascii.unhexlify(s)`, `'base64'` -> `base64.encodebytes`/`b64decode`, `'zlib'` ->
    /// `zlib.compress`/`decompress`, `'rot13'` -> `codecs.encode(s, 'rot13')`, adding the import.
    ///
    /// ## Why
    /// Python 3's `str.encode` and `bytes.decode` only take text encodings: these calls raise
    /// `LookupError`.
    ///
    /// ## Example
    /// ```python
    /// digest = raw.encode('hex')
    /// key = 'AB'.encode('hex')
    /// ```
    /// becomes
    /// ```python
    /// import binascii
    /// digest = binascii.hexlify(raw).decode('ascii')
    /// key = binascii.hexlify(b'AB').decode('ascii')
    /// ```
    ///
    /// ## Limits
    /// Python 2 gave a `str`: the hex and base64 encodings, ASCII by nature, get
    /// `.decode('ascii')` so that the result is text as before; the others (`zlib`, decoding) give
    /// `bytes`, as binary data should be (printing it shows `b'...'`). A `str` literal receiver
    /// written in ASCII becomes a bytes literal; any other receiver must be bytes in Python 3. Skipped when the module name is bound to something else.
    ///
    /// Under `--target six`: `codecs.encode(x, 'hex')` (and `'base64'`), wrapped in
    /// `six.ensure_str`, `codecs.encode`/`decode` for the others, `base64.b64decode` for a base64
    /// decoding (it also takes text); `str` literal receivers become bytes literals there too.
    pub CODEC_METHODS = FixerSpec {
        code: "PY322",
        name: "codec-methods",
        summary: "s.encode('hex'/'base64'/'zlib'/'rot13') -> binascii/base64/zlib/codecs calls",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

/// The module and function that replace `method(codec)`; `None` when not a bytes codec.
fn replacement(method: &str, codec: &str) -> Option<(&'static str, &'static str)> {
    let encode = method == "encode";
    let codec = codec.to_ascii_lowercase().replace('-', "_");
    let codec = codec.strip_suffix("_codec").unwrap_or(&codec);
    match (codec, encode) {
        ("hex", true) => Some(("binascii", "hexlify")),
        ("hex", false) => Some(("binascii", "unhexlify")),
        ("base64" | "base_64", true) => Some(("base64", "encodebytes")),
        // b64decode, unlike decodebytes, also takes the ASCII text encodebytes(...).decode() gave.
        ("base64" | "base_64", false) => Some(("base64", "b64decode")),
        ("zlib" | "zip", true) => Some(("zlib", "compress")),
        ("zlib" | "zip", false) => Some(("zlib", "decompress")),
        ("rot13" | "rot_13", true) => Some(("codecs", "encode")),
        ("rot13" | "rot_13", false) => Some(("codecs", "decode")),
        _ => None,
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    let method = attr.attr.as_str();
    if method != "encode" && method != "decode" {
        return;
    }
    if !call.keywords.is_empty() || has_starred_argument(call) {
        return;
    }
    let [Expr::Constant(codec)] = call.args.as_slice() else {
        return;
    };
    let Constant::Str(codec_name) = &codec.value else {
        return;
    };
    let Some((mut module, mut function)) = replacement(method, codec_name) else {
        if method == "decode" {
            decode_literal(checker, expr, &attr.value, codec_name);
        }
        return;
    };
    let six = checker.six();
    let rot13 = module == "codecs";
    if six && function != "b64decode" {
        // `codecs.encode(x, 'hex')` works on both versions (Python 2 has no `encodebytes`).
        // `base64.b64decode` stays: unlike the 'base64' codec of Python 3 it takes the text
        // `six.ensure_str(codecs.encode(x, 'base64'))` gives, and it is in Python 2 too.
        (module, function) = (
            "codecs",
            if method == "encode" {
                "encode"
            } else {
                "decode"
            },
        );
    }
    let text = checker.text;
    let mut edits = Vec::new();
    let fix = match receiver_text(text, attr) {
        Some(receiver) if checker.importer().push_module(module, &mut edits) => {
            // Under six too: the codecs of Python 3 other than rot13 take bytes, and a `b''`
            // literal is Python 2's `str`.
            let as_bytes = (!rot13).then(|| bytes_literal(text, &attr.value)).flatten();
            let receiver = match as_bytes {
                Some(bytes) => bytes,
                None if receiver.contains('\n') => format!("({receiver})"),
                None => receiver.to_string(),
            };
            let mut new = if six && module == "codecs" {
                format!("codecs.{function}({receiver}, '{codec_name}')")
            } else if module == "codecs" {
                format!("codecs.{function}({receiver}, 'rot13')")
            } else {
                format!("{module}.{function}({receiver})")
            };
            // Python 2 gave a `str` of ASCII characters: Python 3's functions give bytes.
            if matches!(function, "hexlify" | "encodebytes") {
                new.push_str(".decode('ascii')");
            }
            let ascii_text = matches!(codec_name.as_str(), "hex" | "base64" | "base_64");
            if six && method == "encode" && ascii_text {
                match crate::fixers::six::six_attr(checker, "ensure_str", &mut edits) {
                    Some(ensure_str) => new = format!("{ensure_str}({new})"),
                    None => return,
                }
            }
            edits.push(Edit::replace_range(call.range, new));
            // The bytes a decoder returns may meet str literals (`str-meets-bytes`).
            Some(Fix::safe(edits).cascading(module != "codecs"))
        }
        _ => None,
    };
    let message = format!(
        "`.{method}('{codec_name}')` is not a text codec in Python 3: use `{module}.{function}`"
    );
    checker.report(&CODEC_METHODS, expr, message, fix);
}

/// The text of `receiver` as a bytes literal when it is a Python 2 `str` literal written in ASCII
/// (no `u`, `b` or `f` prefix): the binascii/base64/zlib functions take bytes in Python 3.
pub fn bytes_literal(text: &str, receiver: &Expr) -> Option<String> {
    let Expr::Constant(c) = receiver else {
        return None;
    };
    if !matches!(c.value, Constant::Str(_)) {
        return None;
    }
    let pieces = constant_pieces(text, receiver)?;
    // ASCII source, escapes included: `'\xff'` means the same byte in a bytes literal (and
    // `\u`, no escape in a Python 2 str, is none in bytes either).
    if !text
        .get(pieces.first()?.start..pieces.last()?.end)?
        .is_ascii()
    {
        return None;
    }
    let start = pieces.first()?.start;
    let end = pieces.last()?.end;
    let mut out = String::new();
    let mut at = start;
    for piece in &pieces {
        if piece
            .prefix(text)
            .to_ascii_lowercase()
            .contains(['u', 'f', 'b'])
        {
            return None;
        }
        out.push_str(text.get(at..piece.start)?);
        out.push('b');
        at = piece.start;
    }
    out.push_str(text.get(at..end)?);
    if pieces.len() > 1 || out.contains('\n') {
        out = format!("({out})");
    }
    Some(out)
}

/// `'caf\xc3\xa9'.decode('utf-8')`: a Python 2 `str` literal decoded with a text codec is bytes
/// being decoded, and Python 3's `str` has no `decode()`: the literal becomes a bytes literal.
/// A name the module binds once, to such a literal (`raw = '...'; raw.decode('utf-8')`), gets
/// the bytes literal where it is assigned.
fn decode_literal(checker: &mut Checker, expr: &Expr, receiver: &Expr, codec: &str) {
    let literal = match receiver {
        Expr::Name(n) => match only_assigned_value(checker, Target::Name(n.id.as_str())) {
            Some(value) => value,
            None => return,
        },
        other => other,
    };
    let Some(edits) = bytes_prefix_edits(checker.text, literal) else {
        return;
    };
    let fix = Fix::safe(edits);
    let message =
        format!("a `str` literal has no `.decode('{codec}')` in Python 3: make it a bytes literal");
    checker.report(&CODEC_METHODS, expr, message, Some(fix));
}

/// The edits that make `literal` a bytes literal (a `b` before each piece), under the same
/// conditions as [`bytes_literal`]. Other fixers that make the same literal bytes make the same
/// edits, which the engine applies once.
pub fn bytes_prefix_edits(text: &str, literal: &Expr) -> Option<Vec<Edit>> {
    bytes_literal(text, literal)?;
    let pieces = constant_pieces(text, literal)?;
    Some(pieces.iter().map(|p| Edit::insert(p.start, "b")).collect())
}
