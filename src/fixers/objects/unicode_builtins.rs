use rustpython_ast::{Constant, Expr};

use super::util::{constant_pieces, only_assigned_value, Target};
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::in_isinstance_tuple;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the builtins `unicode` to `str` and `unichr` to `chr`. In
    /// `unicode(data, "utf-8")`, a Python 2 `str` literal that is decoded (directly, or as the
    /// only value of a name read only by such calls) becomes a bytes literal:
    /// `str(b"na\xc3\xafve", "utf-8")`.
    ///
    /// ## Why
    /// Python 3's `str` is the old `unicode`, and `chr` returns any code point.
    ///
    /// ## Example
    /// ```python
    /// text = unicode(value)
    /// sign = unichr(0x2713)
    /// ```
    /// becomes
    /// ```python
    /// text = str(value)
    /// sign = chr(0x2713)
    /// ```
    ///
    /// ## Limits
    /// Skipped when the old or the new name is bound in the module (a shim such as
    /// `unicode = str`, or a `try: unicode except NameError:` block that assigns it).
    /// `unicode(x, encoding)` -> `str(x, encoding)` is right when `x` is bytes; a `str`
    /// literal (text in Python 3) is made bytes only when written in ASCII and read by nothing
    /// else, and reported without a fix when it is read elsewhere too. Other text `x` (a line
    /// read from a file opened in text mode) is a `TypeError` the tool cannot see.
    ///
    /// Under `--target six`: `six.text_type` and `six.unichr`, with the same bytes literals
    /// (`b'...'` is Python 2's `str`).
    pub UNICODE_BUILTINS = FixerSpec {
        code: "PY302",
        name: "unicode-builtins",
        summary: "unicode -> str, unichr -> chr",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("unicode") || s.mentions("unichr")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Name(name) = expr else { return };
    let (old, new) = match name.id.as_str() {
        "unicode" => ("unicode", "str"),
        "unichr" => ("unichr", "chr"),
        _ => return,
    };
    if !checker.reads_builtin(expr, old) {
        return;
    }
    let six = checker.six();
    let (new, mut edits) = if six {
        let attr = if old == "unicode" {
            "text_type"
        } else {
            "unichr"
        };
        let Some(edits) = crate::fixers::six::six_replacement(checker, expr, attr) else {
            let message = format!("`{old}` does not exist in Python 3: use `six.{attr}`");
            checker.report(&UNICODE_BUILTINS, expr, message, None);
            return;
        };
        (format!("six.{attr}"), edits)
    } else {
        // `str = unicode` in a function that rebinds `str` needs `builtins.str`.
        let Some((new, mut edits)) = crate::fixers::util::builtin_reference(checker, new) else {
            return;
        };
        edits.push(Edit::replace_range(name.range, new.as_str()));
        (new, edits)
    };
    // Under six too: `six.text_type(b'...', 'utf-8')` decodes the same bytes on both versions
    // (`b'...'` is Python 2's `str`).
    if old == "unicode" {
        match decoded_text_edits(checker, expr) {
            Decoded::NotText => {}
            Decoded::Bytes(more) => edits.extend(more),
            Decoded::Text(message) => {
                checker.report(&UNICODE_BUILTINS, expr, message, None);
                return;
            }
        }
    }
    let fix = Fix::safe(edits).cascading(in_isinstance_tuple(checker));
    let message = if six {
        format!("`{old}` does not exist in Python 3: `{new}` runs on both")
    } else {
        format!("`{old}` is `{new}` in Python 3")
    };
    checker.report(&UNICODE_BUILTINS, expr, message, Some(fix));
}

/// What `unicode(x, encoding)` decodes, when the tool can tell.
enum Decoded {
    /// Not a decoding call, or `x` is not known to be a `str` literal: `str(x, encoding)`
    /// decodes the bytes it must be.
    NotText,
    /// `x` is a Python 2 `str` literal (bytes), directly or as the only value of a name read
    /// nowhere else: these edits make the literal a bytes literal.
    Bytes(Vec<Edit>),
    /// `x` is a `str` literal also read elsewhere: `str(text, encoding)` would be a
    /// `TypeError`; the message reports it.
    Text(String),
}

/// `unicode(data, "utf-8")` where `data` is a Python 2 `str` literal (bytes): the converted
/// literal is text, which `str(data, "utf-8")` refuses. When the literal is written in ASCII,
/// `b` before it gives back the very bytes Python 2 had.
fn decoded_text_edits(checker: &Checker, expr: &Expr) -> Decoded {
    let Some(NodeRef::Expr(Expr::Call(call))) = checker.parent() else {
        return Decoded::NotText;
    };
    if !std::ptr::eq(call.func.as_ref(), expr) || call.args.len() + call.keywords.len() < 2 {
        return Decoded::NotText;
    }
    let Some(first) = call.args.first() else {
        return Decoded::NotText;
    };
    if checker.semantic().has_future("unicode_literals") {
        return Decoded::NotText;
    }
    if let Some(edits) = bytes_prefix_edits(checker.text, first) {
        return Decoded::Bytes(edits);
    }
    let Expr::Name(name) = first else {
        return Decoded::NotText;
    };
    let value = only_assigned_value(checker, Target::Name(name.id.as_str()));
    let Some(edits) = value.and_then(|v| bytes_prefix_edits(checker.text, v)) else {
        return Decoded::NotText;
    };
    // Every read of the name must be such a decoding call for the literal to become bytes.
    let id = name.id.as_str();
    let decodes = crate::engine::checker::nodes::flatten(checker.module(), |_, _| {})
        .iter()
        .filter(|e| {
            matches!(e.node, NodeRef::Expr(Expr::Call(c))
            if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "unicode")
                && c.args.len() + c.keywords.len() >= 2
                && matches!(c.args.first(), Some(Expr::Name(a)) if a.id.as_str() == id))
        })
        .count();
    if u32::try_from(decodes).ok() == Some(checker.semantic().name_use(id).loads) {
        Decoded::Bytes(edits)
    } else {
        Decoded::Text(format!(
            "`unicode({id}, ...)` decodes a `str` literal, text in Python 3 where `str({id}, ...)` \
             is a TypeError: make the literal bytes (b'...') if its other uses allow"
        ))
    }
}

/// The edits putting `b` before each piece of `expr` when it is a plain `str` literal (no `u`
/// or `b` prefix) written in ASCII; `None` otherwise.
fn bytes_prefix_edits(text: &str, expr: &Expr) -> Option<Vec<Edit>> {
    if !matches!(expr, Expr::Constant(c) if matches!(c.value, Constant::Str(_))) {
        return None;
    }
    let pieces = constant_pieces(text, expr)?;
    let plain = pieces.iter().all(|p| {
        let prefix = p.prefix(text);
        !prefix.contains('u')
            && !prefix.contains('b')
            && text.get(p.start..p.end).is_some_and(str::is_ascii)
    });
    plain.then(|| pieces.iter().map(|p| Edit::insert(p.start, "b")).collect())
}
