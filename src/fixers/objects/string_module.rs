use rustpython_ast::{Constant, Expr, ExprCall, ExprContext, Ranged, UnaryOp};

use super::util::renamed;
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::{attribute_name_start, has_starred_argument, operand_text, ATOM};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 only parts of the `string` module: `string.letters`,
    /// `string.lowercase`, `string.uppercase` -> `string.ascii_letters` ...,
    /// `string.maketrans` -> `str.maketrans`, `string.join(words, sep)` -> `sep.join(words)`,
    /// `string.split(s, ...)`, `strip`, `lower`, `upper`, `replace`, `find`, `index`, `count`,
    /// `ljust`, `rjust`, `center`, `expandtabs` ... -> `s.split(...)` (`splitfields` -> `split`),
    /// `string.atoi(s[, base])` / `atol` -> `int(s[, base])`, `string.atof(s)` -> `float(s)`,
    /// and `string.zfill(x, width)` -> `x.zfill(width)` for a string literal, `str(x).zfill(width)`
    /// for a number literal (the tables are in `fixers/objects/renames.toml`).
    ///
    /// ## Why
    /// Python 3's `string` module keeps only the constants and classes; the functions were
    /// `str` methods all along.
    ///
    /// ## Example
    /// ```python
    /// line = string.join(string.split(text), " ")
    /// ```
    /// becomes
    /// ```python
    /// line = " ".join(text.split())
    /// ```
    ///
    /// ## Limits
    /// Only plain positional calls are rewritten; `string` must be the module, bound nowhere
    /// else. `string.letters` was locale-dependent in Python 2; `ascii_letters` is not.
    /// `string.atoi(x)` raised `TypeError` for a non-string `x`; `int(x)` converts it.
    /// `string.zfill(x, width)` took `repr(x)` of a non-string: when `x` is neither a string
    /// nor a number literal, `str(x).zfill(width)` is only an unsafe fix (`str` differs from
    /// Python 2's `repr` for bytes and objects with their own `__repr__`). A long literal's
    /// `L` (Python 2's `repr(5L)` is `'5L'`) is not kept.
    /// `string.translate` is left (see `str-translate-delete`). Under `--target six`,
    /// `string.maketrans` becomes `(string.maketrans if six.PY2 else str.maketrans)`.
    pub STRING_MODULE = FixerSpec {
        code: "PY324",
        name: "string-module",
        summary: "string.letters/maketrans/join/split(...) -> Python 3 forms",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| s.imports_module("string")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    let is_string = matches!(attr.value.as_ref(), Expr::Name(m)
        if checker.semantic().is_module_alias("string", m.id.as_str()));
    if !is_string || !matches!(attr.ctx, ExprContext::Load) {
        return;
    }
    let name = attr.attr.as_str();
    if let Some(new) = renamed("string_constants", name) {
        let fix = attribute_name_start(attr)
            .map(|start| Fix::safe(vec![Edit::replace(start, attr.range.end().to_usize(), new)]));
        let message = format!("`string.{name}` is `string.{new}` in Python 3");
        checker.report(&STRING_MODULE, expr, message, fix);
        return;
    }
    if name == "maketrans" {
        if !checker.is_builtin("str") {
            return;
        }
        let r = attr.range;
        if checker.six() {
            maketrans_six(expr, checker);
            return;
        }
        let fix = Fix::safe(vec![Edit::replace(
            r.start().to_usize(),
            r.end().to_usize(),
            "str.maketrans",
        )]);
        checker.report(
            &STRING_MODULE,
            expr,
            "`string.maketrans` is `str.maketrans`",
            Some(fix),
        );
        return;
    }
    let is_join = name == "join" || name == "joinfields";
    let conversion = renamed("string_conversions", name);
    let method = renamed("string_functions", name);
    if !is_join && conversion.is_none() && method.is_none() && name != "zfill" {
        return;
    }
    let call = match checker.parent() {
        Some(NodeRef::Expr(Expr::Call(call))) if std::ptr::eq(call.func.as_ref(), expr) => {
            Some(call)
        }
        _ => None,
    };
    let rewrite = call.and_then(|call| rewrite_call(checker, name, call));
    let message = match conversion {
        Some(builtin) => format!("`string.{name}()` is gone in Python 3: use `{builtin}()`"),
        None if name == "zfill" && rewrite.as_ref().is_some_and(|(_, safe)| !safe) => {
            "`string.zfill()` is gone in Python 3: use the `str` method (`str(x)` stands for \
             Python 2's `repr(x)` of a non-string)"
                .to_string()
        }
        None => format!("`string.{name}()` is gone in Python 3: use the `str` method"),
    };
    match (call, rewrite) {
        (Some(call), Some((new, safe))) => {
            let r = call.range;
            let edits = vec![Edit::replace_range(r, new)];
            let fix = if safe {
                Fix::safe(edits)
            } else {
                Fix::unsafe_edits(edits)
            };
            checker.report(&STRING_MODULE, call, message, Some(fix));
        }
        // Keyword or starred arguments, another arity, or the function passed around:
        // AttributeError on Python 3 all the same.
        _ => checker.report(&STRING_MODULE, expr, message, None),
    }
}

/// The Python 3 text for the call `string.NAME(...)`, and whether the rewrite is safe; `None`
/// when its arguments have no plain positional form this fixer knows.
fn rewrite_call(checker: &Checker, name: &str, call: &ExprCall) -> Option<(String, bool)> {
    if !call.keywords.is_empty() || has_starred_argument(call) {
        return None;
    }
    let text = checker.text;
    // The source text of `args`, first to last ("" when there are none).
    let args_text = |args: &[Expr]| -> Option<&str> {
        match (args.first(), args.last()) {
            (Some(a), Some(b)) => text
                .get(a.range().start().to_usize()..b.range().end().to_usize())
                .filter(|t| !t.is_empty()),
            _ => Some(""),
        }
    };
    if name == "join" || name == "joinfields" {
        return match call.args.as_slice() {
            [words] => Some(format!("\" \".join({})", checker.source(words))),
            [words, sep] => Some(format!(
                "{}.join({})",
                operand_text(text, sep, ATOM),
                checker.source(words)
            )),
            _ => None,
        }
        .map(|new| (new, true));
    }
    if let Some(builtin) = renamed("string_conversions", name) {
        // atoi(s[, base]) / atol(s[, base]) -> int(s[, base]); atof(s) -> float(s).
        let arity = if builtin == "float" { 1..=1 } else { 1..=2 };
        if !arity.contains(&call.args.len()) || !checker.is_builtin(builtin) {
            return None;
        }
        return Some((format!("{builtin}({})", args_text(&call.args)?), true));
    }
    if name == "zfill" {
        // zfill(x, width) took repr(x) of a non-string: str(x) for a number (the same text in
        // Python 3); the method alone for a string literal. Unknown types: an unsafe fix.
        let [value, width] = call.args.as_slice() else {
            return None;
        };
        let width = checker.source(width);
        if is_string_literal(value) {
            return Some((
                format!("{}.zfill({width})", operand_text(text, value, ATOM)),
                true,
            ));
        }
        if !checker.is_builtin("str") {
            return None;
        }
        let new = format!("str({}).zfill({width})", checker.source(value));
        return Some((new, is_number_literal(value)));
    }
    let method = renamed("string_functions", name)?;
    let (first, rest) = call.args.split_first()?;
    let new = format!(
        "{}.{method}({})",
        operand_text(text, first, ATOM),
        args_text(rest)?
    );
    Some((new, true))
}

/// Whether `expr` is a string literal (implicitly concatenated parts included).
fn is_string_literal(expr: &Expr) -> bool {
    matches!(expr, Expr::Constant(c) if matches!(c.value, Constant::Str(_)))
}

/// Whether `expr` is an int or float literal, negated or not: its `repr` in Python 2 and `str`
/// in Python 3 are the same digits (a long's `L` suffix aside).
fn is_number_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Constant(c) => matches!(c.value, Constant::Int(_) | Constant::Float(_)),
        Expr::UnaryOp(u) => {
            matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) && is_number_literal(&u.operand)
        }
        _ => false,
    }
}

/// `--target six`: `string.maketrans` -> `(string.maketrans if six.PY2 else str.maketrans)`:
/// Python 2's `str` has no `maketrans`, Python 3's `string` module no longer has it. Left alone
/// inside such a branch.
fn maketrans_six(expr: &Expr, checker: &mut Checker) {
    let in_branch = matches!(checker.parent(), Some(NodeRef::Expr(Expr::IfExp(e)))
        if crate::fixers::six::is_six_attr(checker, &e.test, "PY2"));
    if in_branch {
        return;
    }
    let r = expr.range();
    let module = checker.source(expr);
    let mut edits = Vec::new();
    let fix = crate::fixers::six::six_attr(checker, "PY2", &mut edits).map(|py2| {
        edits.push(Edit::replace(
            r.start().to_usize(),
            r.end().to_usize(),
            format!("({module} if {py2} else str.maketrans)"),
        ));
        Fix::safe(edits)
    });
    let message = "`string.maketrans` is `str.maketrans` in Python 3, which Python 2 lacks: \
                   `string.maketrans if six.PY2 else str.maketrans` runs on both";
    checker.report(&STRING_MODULE, expr, message, fix);
}
