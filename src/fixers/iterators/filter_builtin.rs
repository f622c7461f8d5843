use rustpython_ast::{Constant, Expr, Operator};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::objects::util::{only_assigned_value, Target};
use crate::fixers::util::{
    called_name, is_consumed_as_iterable, is_none, operand_text, single_lambda_parameter,
    wrap_in_builtin, Consumers, OR_TEST,
};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Where a list may be needed, turns `filter(f, xs)` into `list(filter(f, xs))`,
    /// `filter(lambda x: c, xs)` into `[x for x in xs if c]` and `filter(None, xs)` into
    /// `[_f for _f in xs if _f]`. Calls whose result is only iterated (`for`,
    /// comprehensions, `list()`, `sorted()`, `''.join()`, `set()`, `sum()` ...) are left
    /// alone.
    ///
    /// ## Why
    /// Python 3's `filter()` returns a lazy iterator: it cannot be indexed, has no `len()`,
    /// and is exhausted after one pass.
    ///
    /// ## Example
    /// ```python
    /// odd = filter(lambda x: x % 2, xs)
    /// names = filter(None, names)
    /// ```
    /// becomes
    /// ```python
    /// odd = [x for x in xs if x % 2]
    /// names = [_f for _f in names if _f]
    /// ```
    ///
    /// ## Limits
    /// Skipped when `filter` is bound anywhere in the module. Python 2's `filter()` returned a
    /// string or tuple for a string or tuple argument: where the argument is certainly one (a
    /// literal, or a name only ever assigned one), the result is joined back into a string
    /// (`''.join(...)`) or made a tuple; elsewhere it becomes a list.
    pub FILTER_BUILTIN = FixerSpec {
        code: "PY104",
        name: "filter-builtin",
        summary: "filter(...) -> list(filter(...)) or a list comprehension where a list is needed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if called_name(call) != Some("filter") || !call.keywords.is_empty() || call.args.is_empty() {
        return;
    }
    if !checker.is_builtin("filter") || is_consumed_as_iterable(checker, expr, Consumers::default())
    {
        return;
    }
    let text = checker.text;
    let r = call.range;
    let comprehension = match call.args.as_slice() {
        [_, Expr::Starred(_)] => None,
        [Expr::Lambda(lambda), seq] => single_lambda_parameter(lambda).map(|param| {
            let condition = operand_text(text, &lambda.body, OR_TEST);
            let seq = operand_text(text, seq, OR_TEST);
            format!("[{param} for {param} in {seq} if {condition}]")
        }),
        [none, seq] if is_none(none) => {
            let seq = operand_text(text, seq, OR_TEST);
            Some(format!("[_f for _f in {seq} if _f]"))
        }
        _ => None,
    };
    // Python 2's filter() kept the type of a str or tuple input.
    let kept = call.args.get(1).and_then(|seq| sequence_kind(checker, seq));
    if let Some(wrapper) = kept {
        let inner = comprehension.unwrap_or_else(|| checker.source(expr).to_string());
        let fix = Fix::safe(vec![Edit::replace_range(r, format!("{wrapper}({inner})"))]);
        let message = format!(
            "`filter()` on a {} returned one in Python 2, an iterator in Python 3: use `{wrapper}()`",
            if wrapper == "tuple" { "tuple" } else { "str" }
        );
        checker.report(&FILTER_BUILTIN, expr, message, Some(fix));
        return;
    }
    let (message, fix) = match comprehension {
        Some(c) => (
            "`filter()` returns an iterator in Python 3: use a list comprehension",
            Some(Fix::safe(vec![Edit::replace_range(r, c)])),
        ),
        None => (
            "`filter()` returns an iterator in Python 3: wrap it in `list()`",
            wrap_in_builtin(checker, expr, "list").map(Fix::safe),
        ),
    };
    checker.report(&FILTER_BUILTIN, expr, message, fix);
}

/// `''.join` when `seq` is certainly a text string (a str literal, `str(...)`, a str method of
/// one, a `string` constant, or a name whose only assignment in the module is one), `tuple` when
/// it is certainly a tuple (a display, `tuple(...)`, `filter()` of a tuple); `None` otherwise.
fn sequence_kind(checker: &Checker, seq: &Expr) -> Option<&'static str> {
    kind_of(checker, seq, 0)
}

fn kind_of(checker: &Checker, seq: &Expr, depth: u32) -> Option<&'static str> {
    const STR_METHODS: &[&str] = &[
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "title",
        "capitalize",
        "swapcase",
        "replace",
        "join",
        "zfill",
        "ljust",
        "rjust",
        "center",
        "expandtabs",
    ];
    if depth > 8 {
        return None;
    }
    let semantic = checker.semantic();
    match seq {
        Expr::Name(n) => {
            let value = only_assigned_value(checker, Target::Name(n.id.as_str()))?;
            kind_of(checker, value, depth + 1)
        }
        Expr::Constant(c) if matches!(c.value, Constant::Str(_)) => Some("''.join"),
        // `s[::2]`, `'%s=%d' % args`, `a + b` of text: text again.
        Expr::Subscript(sub) if matches!(sub.slice.as_ref(), Expr::Slice(_)) => {
            kind_of(checker, &sub.value, depth + 1)
        }
        Expr::BinOp(b) if matches!(b.op, Operator::Mod) => {
            kind_of(checker, &b.left, depth + 1).filter(|k| *k == "''.join")
        }
        Expr::BinOp(b) if matches!(b.op, Operator::Add) => kind_of(checker, &b.left, depth + 1)
            .or_else(|| kind_of(checker, &b.right, depth + 1))
            .filter(|k| *k == "''.join"),
        Expr::Tuple(_) if checker.is_builtin("tuple") => Some("tuple"),
        // `f.__name__`: text.
        Expr::Attribute(a) if a.attr.as_str() == "__name__" => Some("''.join"),
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(m)
                if semantic.is_module_alias("string", m.id.as_str())
                    && matches!(
                        a.attr.as_str(),
                        "digits"
                            | "letters"
                            | "lowercase"
                            | "uppercase"
                            | "ascii_letters"
                            | "ascii_lowercase"
                            | "ascii_uppercase"
                            | "hexdigits"
                            | "octdigits"
                            | "punctuation"
                            | "whitespace"
                            | "printable"
                    ) =>
            {
                Some("''.join")
            }
            _ => None,
        },
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(f) if checker.is_builtin(f.id.as_str()) => match f.id.as_str() {
                "str" | "unicode" | "repr" | "chr" | "unichr" | "intern" => Some("''.join"),
                "tuple" if checker.is_builtin("tuple") => Some("tuple"),
                "filter" => call
                    .args
                    .get(1)
                    .and_then(|inner| kind_of(checker, inner, depth + 1)),
                _ => None,
            },
            // `six.unichr(n)`, `six.text_type(x)`, `six.u('...')`: what an earlier round of
            // `--target six` wrote for `unichr(n)`, `unicode(x)`, `u'...'`.
            func @ Expr::Attribute(m)
                if matches!(m.attr.as_str(), "unichr" | "text_type" | "u")
                    && crate::fixers::six::is_six_attr(checker, func, m.attr.as_str()) =>
            {
                Some("''.join")
            }
            // `string.join(words, '-')`, `string.upper(s)`: the string module's text functions.
            Expr::Attribute(m)
                if matches!(m.value.as_ref(), Expr::Name(n)
                    if semantic.is_module_alias("string", n.id.as_str()))
                    && matches!(
                        m.attr.as_str(),
                        "join"
                            | "joinfields"
                            | "upper"
                            | "lower"
                            | "strip"
                            | "lstrip"
                            | "rstrip"
                            | "replace"
                            | "capitalize"
                            | "swapcase"
                            | "zfill"
                            | "ljust"
                            | "rjust"
                            | "center"
                    ) =>
            {
                Some("''.join")
            }
            // `x.decode('utf-8')` is text in both versions, and so are the hex/base64/rot13
            // encodings once codec-methods has converted them.
            Expr::Attribute(m) if m.attr.as_str() == "decode" => Some("''.join"),
            Expr::Attribute(m)
                if m.attr.as_str() == "encode"
                    && matches!(call.args.first(), Some(Expr::Constant(c))
                        if matches!(&c.value, Constant::Str(codec)
                            if matches!(codec.as_str(), "hex" | "base64" | "rot13" | "rot_13"))) =>
            {
                Some("''.join")
            }
            Expr::Attribute(m) if STR_METHODS.contains(&m.attr.as_str()) => {
                kind_of(checker, &m.value, depth + 1).filter(|k| *k == "''.join")
            }
            _ => None,
        },
        _ => None,
    }
}
