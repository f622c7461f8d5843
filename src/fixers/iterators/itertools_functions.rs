use rustpython_ast::{Expr, ExprAttribute, ExprContext};

use super::map_builtin::equal_known_lengths;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::util::{attribute_name_start, is_consumed_as_iterable, is_none, Consumers};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Replaces `itertools.imap`, `itertools.ifilter` and `itertools.izip` (also called
    /// through `import itertools as it`, or imported with `from itertools import imap`) with
    /// the builtins `map`, `filter` and `zip`, and renames `itertools.ifilterfalse` and
    /// `itertools.izip_longest` to `itertools.filterfalse` and `itertools.zip_longest`.
    /// `itertools.imap(None, a, b)` (tuples, stopping at the shortest) becomes `zip(a, b)`, and
    /// `itertools.imap(f, a, b)` becomes `itertools.starmap(f, zip(a, b))` unless `a` and `b` are displays of one length (as
    /// `map(f, a, b)`, `map-builtin` would pad them).
    /// Where the result is not simply iterated, the call becomes `iter(map(...))`, so that
    /// the `map-builtin` fixers do not take it for a Python 2 list.
    ///
    /// ## Why
    /// Python 3's `map`, `filter` and `zip` are the old lazy `itertools` versions, which are
    /// gone; the other two were renamed.
    ///
    /// ## Example
    /// ```python
    /// for a, b in itertools.izip(xs, ys):
    ///     pass
    /// rest = itertools.izip_longest(xs, ys)
    /// ```
    /// becomes
    /// ```python
    /// for a, b in zip(xs, ys):
    ///     pass
    /// rest = itertools.zip_longest(xs, ys)
    /// ```
    ///
    /// ## Limits
    /// Skipped when the builtin (`map` ...) is bound in the module, or the `itertools` name is
    /// bound by something else too. Names imported with `as` are left to the user.
    pub ITERTOOLS_FUNCTIONS = FixerSpec {
        code: "PY110",
        name: "itertools-functions",
        summary: "itertools.imap/ifilter/izip -> map/filter/zip, ifilterfalse/izip_longest renamed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: 0, expr_relevant: None }),
    }
}

/// The builtin that replaces a lazy itertools function.
pub(crate) fn builtin_for(name: &str) -> Option<&'static str> {
    match name {
        "imap" => Some("map"),
        "ifilter" => Some("filter"),
        "izip" => Some("zip"),
        _ => None,
    }
}

/// The Python 3 name of a renamed itertools function.
pub(crate) fn renamed(name: &str) -> Option<&'static str> {
    match name {
        "ifilterfalse" => Some("filterfalse"),
        "izip_longest" => Some("zip_longest"),
        _ => None,
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    match expr {
        Expr::Call(call) => {
            let (function, func_range) = match call.func.as_ref() {
                Expr::Attribute(a)
                    if builtin_for(a.attr.as_str()).is_some() && is_itertools(checker, a) =>
                {
                    (a.attr.as_str(), a.range)
                }
                Expr::Name(n)
                    if builtin_for(n.id.as_str()).is_some()
                        && is_bare_itertools_name(checker, n.id.as_str()) =>
                {
                    (n.id.as_str(), n.range)
                }
                _ => return,
            };
            let Some(builtin) = builtin_for(function) else {
                return;
            };
            if checker.six() {
                six_call(expr, call, function, checker);
                return;
            }
            if !checker.is_builtin(builtin) {
                return;
            }
            let start = func_range.start().to_usize();
            let end = func_range.end().to_usize();
            let consumed = is_consumed_as_iterable(checker, expr, Consumers::default());
            // imap(None, a, b) gave the tuples, stopping at the shortest: zip(a, b).
            if let (true, [first, rest @ ..]) = (function == "imap", call.args.as_slice()) {
                if is_none(first) && !rest.is_empty() && call.keywords.is_empty() {
                    let zip = checker.is_builtin("zip") && (consumed || checker.is_builtin("iter"));
                    let fix = zip.then(|| {
                        let seqs: Vec<&str> = rest.iter().map(|a| checker.source(a)).collect();
                        let zip = format!("zip({})", seqs.join(", "));
                        let new = if consumed {
                            zip
                        } else {
                            format!("iter({zip})")
                        };
                        let r = call.range;
                        Fix::safe(vec![Edit::replace_range(r, new)])
                    });
                    let message = "`itertools.imap(None, ...)` is `zip(...)` in Python 3 (`map(None, ...)` fails)";
                    checker.report(&ITERTOOLS_FUNCTIONS, expr, message, fix);
                    return;
                }
                // imap(f, a, b) stops at the shortest, but map-builtin takes map(f, a, b) for
                // Python 2's padding map() unless the lengths are visibly equal: write
                // itertools.starmap(f, zip(a, b)), which it leaves alone.
                if rest.len() >= 2
                    && call.keywords.is_empty()
                    && !rest.iter().any(|a| matches!(a, Expr::Starred(_)))
                    && !equal_known_lengths(checker, rest)
                    && checker.is_builtin("zip")
                {
                    let mut edits = Vec::new();
                    let module = match call.func.as_ref() {
                        Expr::Attribute(a) => Some(checker.source(a.value.as_ref())),
                        _ => checker
                            .importer()
                            .push_module("itertools", &mut edits)
                            .then_some("itertools"),
                    };
                    let fix = module.map(|module| {
                        let seqs: Vec<&str> = rest.iter().map(|a| checker.source(a)).collect();
                        let new = format!(
                            "{module}.starmap({}, zip({}))",
                            checker.source(first),
                            seqs.join(", ")
                        );
                        let r = call.range;
                        edits.push(Edit::replace_range(r, new));
                        Fix::safe(edits)
                    });
                    let message = "`itertools.imap(f, a, b)` is `itertools.starmap(f, zip(a, b))` in Python 3";
                    checker.report(&ITERTOOLS_FUNCTIONS, expr, message, fix);
                    return;
                }
            }
            let fix = if consumed {
                Some(Fix::safe(vec![Edit::replace(start, end, builtin)]))
            } else if checker.is_builtin("iter") {
                Some(Fix::safe(vec![
                    Edit::replace(start, end, format!("iter({builtin}")),
                    Edit::insert(call.range.end().to_usize(), ")"),
                ]))
            } else {
                None
            };
            let message = format!("`itertools.{function}` is the builtin `{builtin}` in Python 3");
            checker.report(&ITERTOOLS_FUNCTIONS, expr, message, fix);
        }
        Expr::Attribute(a)
            if matches!(a.ctx, ExprContext::Load)
                && (renamed(a.attr.as_str()).is_some()
                    || builtin_for(a.attr.as_str()).is_some())
                && is_itertools(checker, a) =>
        {
            let function = a.attr.as_str();
            if checker.six() {
                // `six.moves.zip_longest`, `six.moves.map`...: the iterator on both versions.
                let called = matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c)))
                    if std::ptr::eq(c.func.as_ref(), expr));
                let new = renamed(function)
                    .or_else(|| (!called).then(|| builtin_for(function)).flatten());
                if let Some(new) = new {
                    let fix =
                        crate::fixers::six::six_replacement(checker, expr, &format!("moves.{new}"))
                            .map(Fix::safe);
                    let message = format!(
                        "`itertools.{function}` is not in Python 3: `six.moves.{new}` runs on both"
                    );
                    checker.report(&ITERTOOLS_FUNCTIONS, expr, message, fix);
                }
                return;
            }
            if let Some(new) = renamed(function) {
                let fix = attribute_name_start(a).map(|start| {
                    Fix::safe(vec![Edit::replace(start, a.range.end().to_usize(), new)])
                });
                let message = format!("`itertools.{function}` is `itertools.{new}` in Python 3");
                checker.report(&ITERTOOLS_FUNCTIONS, expr, message, fix);
                return;
            }
            let Some(builtin) = builtin_for(function) else {
                return;
            };
            let called = matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c)))
                if std::ptr::eq(c.func.as_ref(), expr));
            if called || !checker.is_builtin(builtin) {
                return;
            }
            let r = a.range;
            let fix = Fix::safe(vec![Edit::replace_range(r, builtin)]);
            let message = format!("`itertools.{function}` is the builtin `{builtin}` in Python 3");
            checker.report(&ITERTOOLS_FUNCTIONS, expr, message, Some(fix));
        }
        _ => {}
    }
}

/// `itertools.<name>` where `itertools` (or its alias) names the module.
fn is_itertools(checker: &Checker, attr: &ExprAttribute) -> bool {
    match attr.value.as_ref() {
        Expr::Name(m) => checker
            .semantic()
            .is_module_alias("itertools", m.id.as_str()),
        _ => false,
    }
}

/// A bare `imap`, `ifilter`, `izip` ... that can only be the itertools function: imported
/// with `from itertools import imap` (and bound nowhere else), or bound nowhere at all (a
/// star import, or an import already removed by `itertools-imports`).
pub(crate) fn is_bare_itertools_name(checker: &Checker, name: &str) -> bool {
    let semantic = checker.semantic();
    match semantic.bindings(name) {
        0 => true,
        1 => semantic
            .imported_from("itertools", name)
            .is_some_and(|i| i.asname.is_none()),
        _ => false,
    }
}

/// `--target six`: `itertools.imap(f, a)` -> `six.moves.map(f, a)` (lazy, stopping at the
/// shortest input, on both versions), `imap(None, a, b)` -> `six.moves.zip(a, b)`, `izip` ->
/// `six.moves.zip`, `ifilter` -> `six.moves.filter`. A name imported from itertools keeps its
/// name (itertools-imports imports it from `six.moves`).
fn six_call(expr: &Expr, call: &rustpython_ast::ExprCall, function: &str, checker: &mut Checker) {
    if matches!(call.func.as_ref(), Expr::Name(_)) {
        return;
    }
    let mut edits = Vec::new();
    let none_first = function == "imap"
        && call.args.len() >= 2
        && call.args.first().is_some_and(is_none)
        && call.keywords.is_empty();
    let attr = match function {
        "imap" if none_first => "moves.zip",
        "imap" => "moves.map",
        "izip" => "moves.zip",
        "ifilter" => "moves.filter",
        _ => return,
    };
    let fix = crate::fixers::six::six_attr(checker, attr, &mut edits).map(|name| {
        let r = rustpython_ast::Ranged::range(call.func.as_ref());
        let mut end = r.end().to_usize();
        if none_first {
            // Drop the `None, ` argument.
            end = call
                .args
                .get(1)
                .map_or(end, |a| rustpython_ast::Ranged::range(a).start().to_usize());
            edits.push(Edit::replace(r.start().to_usize(), end, format!("{name}(")));
        } else {
            edits.push(Edit::replace(r.start().to_usize(), end, name));
        }
        Fix::safe(edits)
    });
    let message = format!("`itertools.{function}` is not in Python 3: `six.{attr}` runs on both");
    checker.report(&ITERTOOLS_FUNCTIONS, expr, message, fix);
}
