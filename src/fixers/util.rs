//! Shared AST helpers for fixers: where a value is consumed as a mere iterable, operator
//! precedence and parentheses, and positions of punctuation taken from the source text.

use std::borrow::Cow;

use rustpython_ast::{
    BoolOp, CmpOp, Constant, Expr, ExprAttribute, ExprCall, ExprLambda, Operator, Ranged, Stmt,
    UnaryOp,
};

use crate::engine::checker::{Ancestors, Checker, NodeRef};
use crate::engine::spec::FixerSpec;
use crate::engine::{Edit, Fix};

/// Which uses, beyond plain iteration, count as "consumed" for a given kind of value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Consumers {
    /// `x in value` / `x not in value` (right operand).
    pub membership: bool,
    /// `len(value)`.
    pub len: bool,
    /// `value & s`, `value | s`, `value ^ s`, `value - s` (either operand): set-like views.
    pub set_ops: bool,
    /// `reversed(value)`.
    pub reversed: bool,
}

/// Whether the node being visited, `expr`, sits where only its items are used, once, in order:
/// the iterable of a `for` or a comprehension, the only argument of `list()`, `tuple()`,
/// `set()`, `frozenset()`, `iter()`, `any()`, `all()`, `min()`/`max()`, `dict()`, `''.join()`,
/// the first of `sorted()`, `enumerate()`, `sum()`, any argument of `zip()`, an iterable
/// argument of `map()`/`filter()`, `*value` in a call or display, `yield from value`, the value
/// of an unpacking assignment `a, b = value`; plus
/// the uses `extra` allows. Named builtins count only when not rebound in the module.
pub fn is_consumed_as_iterable(checker: &Checker, expr: &Expr, extra: Consumers) -> bool {
    consumed_in(checker, checker.ancestors(), expr, extra)
}

/// [`is_consumed_as_iterable`] for the parent of the node being visited (say, the call whose
/// `func` is the visited attribute); false when the parent is not an expression.
pub fn is_parent_consumed_as_iterable(checker: &Checker, extra: Consumers) -> bool {
    let mut ancestors = checker.ancestors();
    match ancestors.next().and_then(NodeRef::as_expr) {
        Some(parent) => consumed_in(checker, ancestors, parent, extra),
        None => false,
    }
}

fn consumed_in(checker: &Checker, mut ancestors: Ancestors, expr: &Expr, extra: Consumers) -> bool {
    let Some(parent) = ancestors.next() else {
        return false;
    };
    match parent {
        NodeRef::Stmt(Stmt::For(f)) => std::ptr::eq(f.iter.as_ref(), expr),
        NodeRef::Stmt(Stmt::AsyncFor(f)) => std::ptr::eq(f.iter.as_ref(), expr),
        NodeRef::Comprehension(c) => std::ptr::eq(&c.iter, expr),
        NodeRef::Expr(Expr::Call(call)) => consumed_by_call(checker, call, expr, extra),
        NodeRef::Expr(Expr::Starred(_)) => {
            // `f(*value)`, `[*value]`, `(*value,)`, `{*value}`: unpacked at once.
            matches!(
                ancestors.next(),
                Some(NodeRef::Expr(
                    Expr::Call(_) | Expr::List(_) | Expr::Tuple(_) | Expr::Set(_)
                ))
            )
        }
        NodeRef::Expr(Expr::YieldFrom(_)) => true,
        // `a, b = value`: unpacking takes all items at once.
        NodeRef::Stmt(Stmt::Assign(assign)) => {
            std::ptr::eq(assign.value.as_ref(), expr)
                && assign
                    .targets
                    .iter()
                    .all(|t| matches!(t, Expr::Tuple(_) | Expr::List(_)))
        }
        NodeRef::Expr(Expr::Compare(cmp)) if extra.membership => cmp
            .comparators
            .iter()
            .zip(&cmp.ops)
            .any(|(c, op)| std::ptr::eq(c, expr) && matches!(op, CmpOp::In | CmpOp::NotIn)),
        NodeRef::Expr(Expr::BinOp(b)) if extra.set_ops => matches!(
            b.op,
            Operator::BitAnd | Operator::BitOr | Operator::BitXor | Operator::Sub
        ),
        _ => false,
    }
}

fn consumed_by_call(checker: &Checker, call: &ExprCall, expr: &Expr, extra: Consumers) -> bool {
    let Some(position) = call.args.iter().position(|a| std::ptr::eq(a, expr)) else {
        return false;
    };
    let only = call.args.len() == 1 && call.keywords.is_empty();
    match call.func.as_ref() {
        Expr::Name(n) => {
            let name = n.id.as_str();
            // `izip`/`imap`... are itertools' whatever binds them; `chain`, `product`... only
            // when imported from itertools.
            let distinctive = matches!(
                name,
                "izip" | "izip_longest" | "imap" | "ifilter" | "ifilterfalse"
            );
            if distinctive
                || checker
                    .semantic()
                    .imported_from("itertools", name)
                    .is_some()
            {
                if let Some(lazy) = lazy_itertools_consumer(name, position) {
                    return lazy;
                }
            }
            checker.is_builtin(name) && builtin_consumes(name, position, call, extra)
        }
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(m)
                if checker
                    .semantic()
                    .is_module_alias("itertools", m.id.as_str()) =>
            {
                lazy_itertools_consumer(a.attr.as_str(), position).unwrap_or(false)
            }
            // `builtins.list(...)` (`six.moves.builtins.list(...)` under `--target six`), as
            // `wrap_in_builtin` writes where `list` is rebound.
            _ if called_builtin(checker, &call.func).is_some() => {
                builtin_consumes(a.attr.as_str(), position, call, extra)
            }
            _ => a.attr.as_str() == "join" && only,
        },
        _ => false,
    }
}

/// Whether the builtin `name` only iterates its argument at `position` of `call`.
fn builtin_consumes(name: &str, position: usize, call: &ExprCall, extra: Consumers) -> bool {
    let only = call.args.len() == 1 && call.keywords.is_empty();
    match name {
        "iter" | "list" | "tuple" | "set" | "frozenset" | "any" | "all" => only,
        "sorted" | "enumerate" | "sum" => position == 0,
        "min" | "max" | "dict" => position == 0 && call.args.len() == 1,
        "zip" => true,
        "map" | "filter" => position >= 1,
        "len" => extra.len && only,
        "reversed" => extra.reversed && only,
        _ => false,
    }
}

/// Whether the Python 2 `itertools` function `name` (Python 3's lazy `map`, `zip` ...
/// once fixed) only iterates its argument at `position`; `None` for other names.
fn lazy_itertools_consumer(name: &str, position: usize) -> Option<bool> {
    match name {
        "izip" | "izip_longest" | "zip_longest" | "chain" | "compress" | "product" => Some(true),
        "imap" | "ifilter" | "ifilterfalse" | "filterfalse" | "starmap" | "takewhile"
        | "dropwhile" => Some(position >= 1),
        "islice" | "groupby" | "accumulate" | "cycle" => Some(position == 0),
        _ => None,
    }
}

/// The name of the called function when it is a plain name: `map` in `map(f, x)`.
pub fn called_name(call: &ExprCall) -> Option<&str> {
    match call.func.as_ref() {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

/// Edits that wrap `node` in a call of the builtin `name` (`list(...)`) as code at the
/// visited node reaches it: by its name where that is the builtin, else as `builtins.name`
/// with `import builtins` added (a module or function that rebinds `list` still gets the
/// builtin). `None` when `builtins` is itself bound to something else.
pub fn wrap_in_builtin(checker: &Checker, node: &impl Ranged, name: &str) -> Option<Vec<Edit>> {
    let (callee, mut edits) = builtin_reference(checker, name)?;
    edits.extend(wrap_in_call(node, &callee));
    Some(edits)
}

/// How code at the visited node names the builtin `name`: `name` where that is the builtin,
/// else `builtins.name` with the edits importing `builtins` (`six.moves.builtins.name` under
/// `--target six`); `None` when `builtins` (or `six`) is bound to something else.
pub fn builtin_reference(checker: &Checker, name: &str) -> Option<(String, Vec<Edit>)> {
    if checker.is_builtin(name) {
        return Some((name.to_string(), Vec::new()));
    }
    if checker.six() {
        // `import builtins` is Python 3 only.
        let mut edits = Vec::new();
        let reference =
            crate::fixers::six::six_attr(checker, &format!("moves.builtins.{name}"), &mut edits)?;
        return Some((reference, edits));
    }
    if !crate::fixers::imports::util::module_name_is_free(checker, "builtins") {
        return None;
    }
    let edits = checker.importer().module_edits("builtins")?;
    Some((format!("builtins.{name}"), edits))
}

/// The builtin a call's `func` names, as [`builtin_reference`] writes it: `list` where that is
/// the builtin, `builtins.list` with `builtins` the module, or `six.moves.builtins.list`.
pub fn called_builtin<'e>(checker: &Checker, func: &'e Expr) -> Option<&'e str> {
    let is_name = |e: &Expr, name: &str| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match func {
        Expr::Name(n) if checker.is_builtin(n.id.as_str()) => Some(n.id.as_str()),
        Expr::Attribute(a) => {
            let module = a.value.as_ref();
            let through_builtins = is_name(module, "builtins")
                && checker.semantic().is_module_alias("builtins", "builtins");
            let through_six = matches!(module, Expr::Attribute(b) if b.attr.as_str() == "builtins"
                && matches!(b.value.as_ref(), Expr::Attribute(m) if m.attr.as_str() == "moves"
                    && is_name(&m.value, "six")));
            (through_builtins || through_six).then_some(a.attr.as_str())
        }
        _ => None,
    }
}

/// The edits replacing `node` with the builtin `new` (`builtins.new`, imported, where `new` is
/// rebound); `None` when `builtins` is bound to something else.
pub fn to_builtin(checker: &Checker, node: &impl Ranged, new: &str) -> Option<Vec<Edit>> {
    let (reference, mut edits) = builtin_reference(checker, new)?;
    edits.push(Edit::replace_node(node, reference));
    Some(edits)
}

/// A builtin Python 3 renamed: what [`rename_builtin`] needs to know.
pub struct BuiltinRename {
    pub spec: &'static FixerSpec,
    /// The Python 2 builtin, e.g. `raw_input`.
    pub old: &'static str,
    /// Its Python 3 name, e.g. `input`.
    pub new: &'static str,
    /// The `six` attribute that names it on both versions (`moves.input`), when there is one.
    pub six: Option<&'static str>,
}

/// The whole check of a fixer that renames a builtin: `old`, read where it can only be the
/// builtin, becomes `new` (`builtins.new` where `new` is rebound), or `six.<six>` under
/// `--target six`.
pub fn rename_builtin(checker: &mut Checker, expr: &Expr, rename: &BuiltinRename) {
    let BuiltinRename {
        spec,
        old,
        new,
        six,
    } = *rename;
    if !checker.reads_builtin(expr, old) {
        return;
    }
    if let (true, Some(attr)) = (checker.six(), six) {
        let fix = crate::fixers::six::six_replacement(checker, expr, attr).map(Fix::new);
        let message = format!("`{old}` is `{new}` in Python 3: `six.{attr}` runs on both");
        checker.report(spec, expr, message, fix);
        return;
    }
    let fix = to_builtin(checker, expr, new).map(Fix::new);
    checker.report(spec, expr, format!("`{old}` is `{new}` in Python 3"), fix);
}

/// Edits that wrap `node` in a call: `name(` before it and `)` after it.
pub fn wrap_in_call(node: &impl Ranged, name: &str) -> Vec<Edit> {
    let r = node.range();
    vec![
        Edit::insert(r.start().to_usize(), format!("{name}(")),
        Edit::insert(r.end().to_usize(), ")"),
    ]
}

/// Binding strength of an expression, higher binds tighter (Python's precedence table).
pub fn precedence(expr: &Expr, text: &str) -> u8 {
    match expr {
        Expr::NamedExpr(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_) => 0,
        Expr::Lambda(_) => 1,
        Expr::IfExp(_) => 2,
        Expr::BoolOp(b) => match b.op {
            BoolOp::Or => 3,
            BoolOp::And => 4,
        },
        Expr::UnaryOp(u) => match u.op {
            UnaryOp::Not => 5,
            _ => 13,
        },
        Expr::Compare(_) => 6,
        Expr::BinOp(b) => match b.op {
            Operator::BitOr => 7,
            Operator::BitXor => 8,
            Operator::BitAnd => 9,
            Operator::LShift | Operator::RShift => 10,
            Operator::Add | Operator::Sub => 11,
            Operator::Pow => 14,
            _ => 12,
        },
        Expr::Await(_) => 15,
        Expr::Tuple(_) => {
            let r = expr.range();
            let source = text.get(r.start().to_usize()..r.end().to_usize());
            if source.is_some_and(|s| s.starts_with('(') && s.ends_with(')')) {
                ATOM
            } else {
                0
            }
        }
        _ => ATOM,
    }
}

/// Precedence of atoms and primaries (names, calls, attributes, displays ...).
pub const ATOM: u8 = 16;
/// Precedence of comparisons (`in`, `==` ...).
pub const COMPARISON: u8 = 6;
/// Precedence needed for an operand of `or` (a comprehension's `if` or iterable).
pub const OR_TEST: u8 = 3;

/// The source text of `expr`, in parentheses when it binds more loosely than `min` or spans
/// several lines (its new place may not be inside brackets).
pub fn operand_text<'t>(text: &'t str, expr: &Expr, min: u8) -> Cow<'t, str> {
    let r = expr.range();
    let source = text
        .get(r.start().to_usize()..r.end().to_usize())
        .unwrap_or("");
    if precedence(expr, text) < min || (source.contains('\n') && precedence(expr, text) < ATOM) {
        Cow::Owned(format!("({source})"))
    } else {
        Cow::Borrowed(source)
    }
}

/// Offset of the `.` before the attribute name of `attr`, taken from the text (the name ends
/// the node's range; only blanks and line continuations may separate it from the dot).
pub fn attribute_dot(text: &str, attr: &ExprAttribute) -> Option<usize> {
    let name_start = attr.range.end().to_usize().checked_sub(attr.attr.len())?;
    if text.get(name_start..attr.range.end().to_usize())? != attr.attr.as_str() {
        return None;
    }
    let before = text.get(attr.value.range().end().to_usize()..name_start)?;
    let dot = before.rfind('.')?;
    let after_dot = before.get(dot + 1..)?;
    if !after_dot
        .chars()
        .all(|c| c == ' ' || c == '\t' || c == '\\' || c == '\n' || c == '\r')
    {
        return None;
    }
    attr.value.range().end().to_usize().checked_add(dot)
}

/// Offset where the attribute name of `attr` starts.
pub fn attribute_name_start(attr: &ExprAttribute) -> Option<usize> {
    attr.range.end().to_usize().checked_sub(attr.attr.len())
}

/// The text of the receiver of `value.attr`, from the start of the attribute node to just
/// before its dot, with parentheses around the receiver kept.
pub fn receiver_text<'t>(text: &'t str, attr: &ExprAttribute) -> Option<&'t str> {
    let dot = attribute_dot(text, attr)?;
    Some(
        text.get(attr.range.start().to_usize()..dot)?
            .trim_end_matches([' ', '\t', '\\', '\n', '\r', '\x0c']),
    )
}

/// Whether the call has no arguments at all: `x.keys()`.
pub fn has_no_arguments(call: &ExprCall) -> bool {
    call.args.is_empty() && call.keywords.is_empty()
}

/// The parameter of `lambda x: ...` when it has exactly one plain positional parameter
/// (no default, no `*args`, no keyword-only or `**kwargs`).
pub fn single_lambda_parameter(lambda: &ExprLambda) -> Option<&str> {
    let a = &lambda.args;
    if !a.posonlyargs.is_empty()
        || a.vararg.is_some()
        || !a.kwonlyargs.is_empty()
        || a.kwarg.is_some()
    {
        return None;
    }
    match a.args.as_slice() {
        [only] if only.default.is_none() => Some(only.def.arg.as_str()),
        _ => None,
    }
}

/// Whether `expr` is the constant `None`.
pub fn is_none(expr: &Expr) -> bool {
    matches!(expr, Expr::Constant(c) if matches!(c.value, Constant::None))
}

/// Whether any positional argument of the call is `*args`.
pub fn has_starred_argument(call: &ExprCall) -> bool {
    call.args.iter().any(|a| matches!(a, Expr::Starred(_)))
}

/// Whether the node being visited is an element of the type tuple of `isinstance(x, (...))` or
/// `issubclass(c, (...))`: renaming it may leave a duplicate there for `isinstance-duplicates`,
/// so its fix is marked [`crate::engine::Fix::cascading`].
pub fn in_isinstance_tuple(checker: &crate::engine::checker::Checker) -> bool {
    use crate::engine::checker::NodeRef;
    let mut ancestors = checker.ancestors();
    let (Some(NodeRef::Expr(Expr::Tuple(_))), Some(NodeRef::Expr(Expr::Call(call)))) =
        (ancestors.next(), ancestors.next())
    else {
        return false;
    };
    matches!(called_name(call), Some("isinstance" | "issubclass"))
}
