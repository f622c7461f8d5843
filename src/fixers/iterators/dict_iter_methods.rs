use rustpython_ast::{Expr, Stmt};

use super::{dict_views_as_lists, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::nodes::flatten;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::{Edit, Fix};
use crate::fixers::registry::{expr_kinds, AstHooks};
use crate::fixers::util::{
    attribute_name_start, has_no_arguments, is_consumed_as_iterable, Consumers,
};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames `d.iterkeys()`, `d.itervalues()`, `d.iteritems()` to `d.keys()`, `d.values()`,
    /// `d.items()`, and `d.viewkeys()` ... to `d.keys()` ... . Where the result is not simply
    /// iterated (by `for`, a comprehension, `list()`, `sorted()`, `''.join()` ...), an
    /// `iter*()` call becomes `iter(d.items())` so that it stays an iterator.
    ///
    /// ## Why
    /// Python 3 dictionaries have no `iter*` or `view*` methods: `keys()`, `values()` and
    /// `items()` return views, which iterate lazily like the old `iter*` methods did.
    ///
    /// ## Example
    /// ```python
    /// for k, v in d.iteritems():
    ///     pass
    /// it = d.iterkeys()
    /// ```
    /// becomes
    /// ```python
    /// for k, v in d.items():
    ///     pass
    /// it = iter(d.keys())
    /// ```
    ///
    /// ## Limits
    /// Skipped when a class of the module defines a method of that name without the Python 3
    /// one (`iteritems` but no `items`): the call may be that class's. A
    /// `view*()` result used other than by iteration, `in`, `len()` or set operators is only
    /// reported: `d.keys()` there would later be taken for a Python 2 list.
    pub DICT_ITER_METHODS = FixerSpec {
        code: "PY101",
        name: "dict-iter-methods",
        summary: "d.iteritems()/iterkeys()/itervalues()/view*() -> d.items()/keys()/values()",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = call.func.as_ref() else {
        return;
    };
    let old = attr.attr.as_str();
    let (is_iter, new) = match old {
        "iterkeys" => (true, "keys"),
        "itervalues" => (true, "values"),
        "iteritems" => (true, "items"),
        "viewkeys" => (false, "keys"),
        "viewvalues" => (false, "values"),
        "viewitems" => (false, "items"),
        _ => return,
    };
    if !has_no_arguments(call)
        || (checker.semantic().defines_function(old) && some_class_lacks(checker, old, new))
    {
        return;
    }
    let Some(name_start) = attribute_name_start(attr) else {
        return;
    };
    let rename = Edit::replace(name_start, attr.range.end().to_usize(), new);
    let consumers = Consumers {
        membership: true,
        len: !is_iter,
        set_ops: !is_iter,
        reversed: false,
    };
    let message = format!("`.{old}()` does not exist in Python 3: use `.{new}()`");
    let fix = if is_consumed_as_iterable(checker, expr, consumers) {
        if dict_views_as_lists::would_wrap(checker, expr, attr, new) {
            // The loop changes the dict: Python 2's iterator (or view) raised then, and so does
            // `iter(d.items())`, which dict-views-as-lists also leaves alone on a later run.
            let r = call.range;
            Some(Fix::safe(vec![
                Edit::insert(r.start().to_usize(), "iter("),
                rename,
                Edit::insert(r.end().to_usize(), ")"),
            ]))
        } else {
            Some(Fix::safe(vec![rename]))
        }
    } else if is_iter && checker.semantic().is_builtin("iter") {
        let r = call.range;
        Some(Fix::safe(vec![
            Edit::insert(r.start().to_usize(), "iter("),
            rename,
            Edit::insert(r.end().to_usize(), ")"),
        ]))
    } else {
        None
    };
    checker.report(&DICT_ITER_METHODS, expr, message, fix);
}

/// Whether a class of the module defines the method `old` (`iteritems`) without `new`
/// (`items`): a call `x.iteritems()` may be that class's, which `x.items()` would not find. A
/// dict-like class that defines both, or a module-level `def iteritems(d)`, hides nothing.
fn some_class_lacks(checker: &Checker, old: &str, new: &str) -> bool {
    let classes = checker.memo(|c| {
        flatten(c.module(), |_, _| {})
            .iter()
            .filter_map(|e| match e.node {
                NodeRef::Stmt(Stmt::ClassDef(class)) => Some(
                    class
                        .body
                        .iter()
                        .filter_map(|s| match s {
                            Stmt::FunctionDef(f) => Some(f.name.to_string()),
                            _ => None,
                        })
                        .collect::<Vec<String>>(),
                ),
                _ => None,
            })
            .collect::<ClassMethods>()
    });
    classes
        .0
        .iter()
        .any(|methods| methods.iter().any(|m| m == old) && !methods.iter().any(|m| m == new))
}

/// The names of the methods each class of a module defines (a [`Checker::memo`] fact).
struct ClassMethods(Vec<Vec<String>>);

impl FromIterator<Vec<String>> for ClassMethods {
    fn from_iter<I: IntoIterator<Item = Vec<String>>>(iter: I) -> Self {
        ClassMethods(iter.into_iter().collect())
    }
}
