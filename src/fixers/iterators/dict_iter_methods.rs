use rustpython_ast::{Expr, Stmt};

use super::{dict_views_as_lists, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::nodes::flatten;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::objects::util::{only_assigned_value, Target};
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
    /// When a class of the module defines a method of that name without the Python 3 one
    /// (`iteritems` but no `items`), the call may be that class's: it is fixed only when the
    /// receiver is visibly a dict (a display, `dict(...)`, a name or attribute assigned only
    /// one, or a parameter of a module function that every call in the module gives one),
    /// and reported otherwise. A
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
    if !has_no_arguments(call) {
        return;
    }
    if checker.semantic().defines_function(old) && some_class_lacks(checker, old, new) {
        // The call may be that class's, unless the receiver is visibly a dict.
        if !is_dict(checker, &attr.value, 0, true) {
            if is_own_call(checker, &attr.value, old) {
                return;
            }
            let message = format!(
                "`.{old}()` does not exist on Python 3 dicts (not fixed: a class of this module \
                 defines `{old}` without `{new}`, and this call may be its)"
            );
            checker.report(&DICT_ITER_METHODS, expr, message, None);
            return;
        }
    }
    if checker.six() {
        // `six.iteritems(d)`: an iterator (a view for `viewitems`) on both versions.
        let receiver = rustpython_ast::Ranged::range(attr.value.as_ref());
        let Some(receiver_text) = checker
            .text
            .get(receiver.start().to_usize()..receiver.end().to_usize())
        else {
            return;
        };
        let mut edits = Vec::new();
        let fix = crate::fixers::six::six_attr(checker, old, &mut edits).map(|function| {
            let r = call.range;
            edits.push(Edit::replace_range(
                r,
                format!("{function}({receiver_text})"),
            ));
            Fix::safe(edits)
        });
        let message = format!("`.{old}()` does not exist in Python 3: `six.{old}(d)` runs on both");
        checker.report(&DICT_ITER_METHODS, expr, message, fix);
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
    // Where the result is only iterated the rename is enough, unless the loop changes the dict:
    // Python 2's iterator (or view) raised then, and so does `iter(d.items())`, which
    // dict-views-as-lists also leaves alone on a later run. Elsewhere `iter()` keeps an iterator.
    let wrap_in_iter = if is_consumed_as_iterable(checker, expr, consumers) {
        Some(dict_views_as_lists::would_wrap(checker, expr, attr, new))
    } else {
        (is_iter && checker.is_builtin("iter")).then_some(true)
    };
    let fix = wrap_in_iter.map(|wrap| {
        let r = call.range;
        if wrap {
            Fix::safe(vec![
                Edit::insert(r.start().to_usize(), "iter("),
                rename,
                Edit::insert(r.end().to_usize(), ")"),
            ])
        } else {
            Fix::safe(vec![rename])
        }
    });
    checker.report(&DICT_ITER_METHODS, expr, message, fix);
}

/// Whether `expr` is visibly a dict: a dict display or comprehension, a call of the builtin
/// `dict`, a name or attribute whose only assigned value in the module is one, or a parameter
/// of a module-level function that every call in the module gives one (`parameters`: only
/// for the receiver itself, whose enclosing function is the visited node's; `depth` bounds the
/// chase through assignments).
fn is_dict(checker: &Checker, expr: &Expr, depth: u32, parameters: bool) -> bool {
    if depth > 3 {
        return false;
    }
    match expr {
        Expr::Dict(_) | Expr::DictComp(_) => true,
        Expr::Call(c) => matches!(c.func.as_ref(), Expr::Name(f)
            if f.id.as_str() == "dict" && checker.is_builtin("dict")),
        Expr::Attribute(a) => only_assigned_value(checker, Target::Attribute(a.attr.as_str()))
            .is_some_and(|v| is_dict(checker, v, depth + 1, false)),
        Expr::Name(n) => {
            let name = n.id.as_str();
            if let Some(value) = only_assigned_value(checker, Target::Name(name)) {
                return is_dict(checker, value, depth + 1, false);
            }
            parameters && parameter_always_dict(checker, name, depth)
        }
        _ => false,
    }
}

/// Whether `name` is a positional parameter of the module-level function enclosing the node
/// being visited, bound nowhere else, and every use of that function is a call passing a
/// dict (by [`is_dict`]) at its position.
fn parameter_always_dict(checker: &Checker, name: &str, depth: u32) -> bool {
    let semantic = checker.semantic();
    if semantic.bindings(name) != 1 {
        return false;
    }
    let Some(def) = checker.ancestors().find_map(|n| match n {
        NodeRef::Stmt(Stmt::FunctionDef(f)) => Some(f),
        _ => None,
    }) else {
        return false;
    };
    let module = checker.module();
    let top_level = module
        .iter()
        .any(|s| matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, def)));
    let function = def.name.as_str();
    let uses = semantic.name_use(function);
    if !top_level || uses.bindings != 1 || uses.loads != uses.calls || uses.calls == 0 {
        return false;
    }
    let args = &def.args;
    let Some(position) = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .position(|a| a.def.arg.as_str() == name)
    else {
        return false;
    };
    flatten(module, |_, _| {}).iter().all(|entry| match entry.node {
        NodeRef::Expr(Expr::Call(c))
            if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == function) =>
        {
            !c.args.iter().any(|a| matches!(a, Expr::Starred(_)))
                && c.args
                    .get(position)
                    .is_some_and(|a| is_dict(checker, a, depth + 1, false))
        }
        _ => true,
    })
}

/// Whether the receiver is visibly an object of a class of the module that defines `old`:
/// `self` in a method of such a class, or `Class()`. Its call is the user's method.
fn is_own_call(checker: &Checker, receiver: &Expr, old: &str) -> bool {
    let defines_old = |class: &rustpython_ast::StmtClassDef| {
        class
            .body
            .iter()
            .any(|s| matches!(s, Stmt::FunctionDef(f) if f.name.as_str() == old))
    };
    match receiver {
        Expr::Name(n) if n.id.as_str() == "self" => checker
            .ancestors()
            .any(|a| matches!(a, NodeRef::Stmt(Stmt::ClassDef(c)) if defines_old(c))),
        Expr::Call(c) => match c.func.as_ref() {
            Expr::Name(f) => checker.module().iter().any(
                |s| matches!(s, Stmt::ClassDef(class) if class.name == f.id && defines_old(class)),
            ),
            _ => false,
        },
        _ => false,
    }
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
