use rustpython_ast::{Expr, ExprAttribute, Stmt};

use super::mutation::loop_may_mutate;

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::objects::util::{only_assigned_value, Target};
use crate::fixers::util::{has_no_arguments, is_consumed_as_iterable, wrap_in_builtin, Consumers};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Wraps `d.keys()`, `d.values()` and `d.items()` in `list()` where the code may need a
    /// list: indexing, sorting in place, appending, keeping it while the dict changes ...
    /// It leaves them alone where they are only iterated or queried: `for`, comprehensions,
    /// `in`, `len()`, `list()`, `sorted()`, `set()`, `tuple()`, `any()`, `all()`, `sum()`,
    /// `min()`, `max()`, `''.join()`, `enumerate()`, `zip()`, set operators, `*args` ...
    ///
    /// ## Why
    /// In Python 3 these methods return views: `d.keys()[0]` raises `TypeError`, and a view
    /// changes when the dict does.
    ///
    /// ## Example
    /// ```python
    /// first = d.keys()[0]
    /// for k in d.keys():
    ///     print k
    /// for k in d.keys():
    ///     del d[k]
    /// ```
    /// becomes
    /// ```python
    /// first = list(d.keys())[0]
    /// for k in d.keys():
    ///     print(k)
    /// for k in list(d.keys()):
    ///     del d[k]
    /// ```
    ///
    /// ## Limits
    /// Unlike 2to3, `for k in d.keys():` is not wrapped when the loop body provably leaves `d`
    /// alone (so that migrated code is left alone); a body that deletes or adds keys, passes `d`
    /// on, or (for a dict that is not a local variable) calls other code keeps `list()`.
    /// Skipped when the module rebinds `list`, or defines its own `keys`/`values`/`items`
    /// function or method, unless the receiver is certainly a dict: a name or attribute
    /// (`self.table`) whose only assignment in the module is `{...}` or `dict(...)`.
    pub DICT_VIEWS_AS_LISTS = FixerSpec {
        code: "PY102",
        name: "dict-views-as-lists",
        summary: "d.keys()/values()/items() -> list(...) where a list is needed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| ["keys", "values", "items"].iter().any(|m| s.mentions_attribute(m))) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    let method = attr.attr.as_str();
    if !matches!(method, "keys" | "values" | "items") || !has_no_arguments(call) {
        return;
    }
    let semantic = checker.semantic();
    if semantic.defines_function(method) && !is_dict(checker, &attr.value) {
        return;
    }
    let consumers = Consumers {
        membership: true,
        len: true,
        set_ops: true,
        reversed: false,
    };
    if is_consumed_as_iterable(checker, expr, consumers)
        && !loop_changes_dict(checker, expr, &attr.value, attr.attr.as_str())
    {
        return;
    }
    let message =
        format!("`.{method}()` returns a view in Python 3, not a list: wrap it in `list()`");
    let fix = wrap_in_builtin(checker, expr, "list").map(Fix::safe);
    checker.report(&DICT_VIEWS_AS_LISTS, expr, message, fix);
}

/// Whether this fixer, when enabled, would wrap `expr` once its method is renamed to
/// `method` (`keys`, `values`, `items`) because it is the iterable of a loop that changes the
/// dict: `dict-iter-methods` then writes the `list()` itself, so that a second run finds
/// nothing to do.
pub fn would_wrap(checker: &Checker, expr: &Expr, attr: &ExprAttribute, method: &str) -> bool {
    would_wrap_call(checker, expr, &attr.value, attr.attr.as_str(), method)
}

/// [`would_wrap`] for `expr` calling `old` (`iteritems`, `keys` ...) on `receiver`, written
/// `receiver.old()` or `six.old(receiver)`: whether this fixer would wrap `receiver.method()`.
pub fn would_wrap_call(
    checker: &Checker,
    expr: &Expr,
    receiver: &Expr,
    old: &str,
    method: &str,
) -> bool {
    let semantic = checker.semantic();
    checker.is_enabled(DICT_VIEWS_AS_LISTS.code)
        && checker.is_builtin("list")
        && (!semantic.defines_function(method) || is_dict(checker, receiver))
        && loop_changes_dict(checker, expr, receiver, old)
}

/// Whether `expr` (`d.keys()`, calling `old` on `receiver`) is the iterable of a `for` loop
/// whose body may add or remove keys of `d`: Python 2 iterated a copy, Python 3's view raises,
/// so the `list()` stays.
fn loop_changes_dict(checker: &Checker, expr: &Expr, receiver: &Expr, old: &str) -> bool {
    let (body, iter, target) = match checker.parent() {
        Some(NodeRef::Stmt(Stmt::For(f))) => (&f.body, f.iter.as_ref(), f.target.as_ref()),
        Some(NodeRef::Stmt(Stmt::AsyncFor(f))) => (&f.body, f.iter.as_ref(), f.target.as_ref()),
        _ => return false,
    };
    // The loop variable holding the key: `k` of `for k in d.keys()` / `for k, v in d.items()`.
    let key = match (old, target) {
        ("keys" | "iterkeys" | "viewkeys", Expr::Name(n)) => Some(n.id.as_str()),
        ("items" | "iteritems" | "viewitems", Expr::Tuple(t)) => match t.elts.first() {
            Some(Expr::Name(n)) => Some(n.id.as_str()),
            _ => None,
        },
        _ => None,
    };
    std::ptr::eq(iter, expr) && loop_may_mutate(checker, body, receiver, key)
}

/// Whether `receiver` is certainly a dict: a name or attribute (`self.table`) whose only
/// assignment in the module is a dict display, a dict comprehension or `dict(...)`.
fn is_dict(checker: &Checker, receiver: &Expr) -> bool {
    let target = match receiver {
        Expr::Name(n) => Target::Name(n.id.as_str()),
        Expr::Attribute(a) => Target::Attribute(a.attr.as_str()),
        _ => return false,
    };
    match only_assigned_value(checker, target) {
        Some(Expr::Dict(_) | Expr::DictComp(_)) => true,
        Some(Expr::Call(call)) => matches!(call.func.as_ref(), Expr::Name(n)
            if n.id.as_str() == "dict" && checker.is_builtin("dict")),
        _ => false,
    }
}
