use rustpython_ast::{CmpOp, Expr, Operator, Stmt};

use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::nodes::flatten;
use crate::engine::checker::semantic::LIST_ONLY_METHODS;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::util::{called_builtin, called_name, wrap_in_builtin};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Wraps `range(...)` in `list()` where the code visibly needs a list: `range(n) + [x]`,
    /// `range(n) * 2`, `range(n).append(x)`, `range(n) == [...]`, and `r = range(n)` when a
    /// name `r` is used as a list somewhere in the module (`r.append()`, `r.sort()`,
    /// `r[i] = x`, `r + ...`, `shuffle(r)` ...) or printed (bound once, `print(r[1:3])`),
    /// `range(n)` printed (an argument of `print`,
    /// `str` or `repr`, sliced or not), and `return range(n)` in a module-level function whose
    /// calls the module prints, concatenates, changes or compares with `==`.
    ///
    /// ## Why
    /// Python 3's `range` is a lazy sequence: it supports iteration, `len()`, indexing,
    /// slicing and `in` like a list, but not changes, concatenation or comparison with lists.
    ///
    /// ## Example
    /// ```python
    /// order = range(n)
    /// random.shuffle(order)
    /// ```
    /// becomes
    /// ```python
    /// order = list(range(n))
    /// random.shuffle(order)
    /// ```
    ///
    /// In a file that shows Python 2 grammar (a `print` statement, `except E, e`, backticks,
    /// `10L`...), every `range(n)` the author wrote is a Python 2 list: there it is wrapped
    /// wherever a lazy range could differ (`show(range(3))`, `r = range(3)`, `return
    /// range(3)`), as 2to3 does, and left alone where only iteration happens (`for`,
    /// comprehensions, `in`, indexing, `sorted()`, `len()`, `sum()`, `enumerate()`...).
    ///
    /// ## Limits
    /// In a file without Python 2 grammar, a `range(n)` handed to other code
    /// (`show(range(3))`) is left lazy: it cannot be told from a converted `xrange(n)`,
    /// which must stay lazy, so wrapping it would make a second run change the first one's
    /// output. There this fixer wraps only on the evidence above, so that former `xrange`
    /// calls and Python 3 code are left alone. Tuples
    /// are followed one level: `a, b = range(n), x` with `a` used as a list, and
    /// `return range(n), x` when the module unpacks some call's result as `a, b = f(...)`
    /// with `a` used as a list (the callee is not resolved: any such unpacking counts). A
    /// range returned by a method, or passed to a function that changes it, is not found.
    /// A printed range is wrapped even in Python 3 code (where it printed `range(0, n)`), and
    /// so is a former `xrange` printed (Python 2 printed `xrange(n)`).
    pub RANGE_LIST = FixerSpec {
        code: "PY107",
        name: "range-list",
        summary: "range(...) -> list(range(...)) where a list is needed",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

/// `a, b = range(n), x` where `a` is used as a list; `return range(n), x` where the module
/// unpacks a call into a same-length tuple whose name at that place is used as a list.
fn tuple_element_needs_list(checker: &Checker, elements: &[Expr], expr: &Expr) -> bool {
    let Some(position) = elements.iter().position(|e| std::ptr::eq(e, expr)) else {
        return false;
    };
    let semantic = checker.semantic();
    let list_name = |targets: &[Expr]| {
        targets.len() == elements.len()
            && matches!(targets.get(position), Some(Expr::Name(n))
                if semantic.name_use(n.id.as_str()).list_uses > 0)
    };
    match checker.ancestors().nth(1) {
        Some(NodeRef::Stmt(Stmt::Assign(a))) => match a.targets.as_slice() {
            [Expr::Tuple(t)] => list_name(&t.elts),
            [Expr::List(l)] => list_name(&l.elts),
            _ => false,
        },
        Some(NodeRef::Stmt(Stmt::Return(_))) => {
            let suite = checker.module();
            // A rare trigger: scan the module for `a, b = call(...)`.
            flatten(suite, |_, _| {}).iter().any(|entry| {
                matches!(entry.node, NodeRef::Stmt(Stmt::Assign(a))
                    if matches!(a.value.as_ref(), Expr::Call(_))
                        && matches!(a.targets.as_slice(), [Expr::Tuple(t)] if list_name(&t.elts)))
            })
        }
        _ => false,
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if called_name(call) != Some("range") {
        return;
    }
    let semantic = checker.semantic();
    if !checker.is_builtin("range") {
        return;
    }
    // `r = range(10)[::-1]`: a slice of a range is a range; the slice's place decides.
    let parent = match checker.parent() {
        Some(NodeRef::Expr(Expr::Subscript(sub)))
            if std::ptr::eq(sub.value.as_ref(), expr)
                && matches!(sub.slice.as_ref(), Expr::Slice(_)) =>
        {
            checker.ancestors().nth(1)
        }
        other => other,
    };
    let needs_list = match parent {
        Some(NodeRef::Expr(Expr::BinOp(b))) => matches!(b.op, Operator::Add | Operator::Mult),
        Some(NodeRef::Expr(Expr::Attribute(a))) => {
            std::ptr::eq(a.value.as_ref(), expr) && LIST_ONLY_METHODS.contains(&a.attr.as_str())
        }
        Some(NodeRef::Expr(Expr::Compare(cmp))) => {
            let position = if std::ptr::eq(cmp.left.as_ref(), expr) {
                Some(0)
            } else {
                cmp.comparators
                    .iter()
                    .position(|c| std::ptr::eq(c, expr))
                    .map(|p| p + 1)
            };
            // The operators on either side of the operand at `position`.
            position.is_some_and(|p| {
                let before = p.checked_sub(1).and_then(|i| cmp.ops.get(i));
                let after = cmp.ops.get(p);
                [before, after].into_iter().flatten().any(|op| {
                    matches!(
                        op,
                        CmpOp::Eq | CmpOp::NotEq | CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE
                    )
                })
            })
        }
        Some(NodeRef::Stmt(Stmt::Assign(a))) => match a.targets.as_slice() {
            [Expr::Name(target)] => {
                let name = target.id.as_str();
                semantic.name_use(name).list_uses > 0
                    || (semantic.bindings(name) == 1 && name_is_printed(checker, name))
            }
            _ => false,
        },
        Some(NodeRef::Expr(Expr::Tuple(t))) => tuple_element_needs_list(checker, &t.elts, expr),
        Some(NodeRef::Stmt(Stmt::Return(_))) => returned_to_list_use(checker),
        _ => is_printed(checker, expr),
    };
    let needs_list =
        needs_list || (checker.is_python2_original() && !lazy_is_enough(checker, parent, expr));
    if !needs_list {
        return;
    }
    let message =
        "`range()` is a lazy sequence in Python 3 and a list is needed here: wrap it in `list()`";
    checker.report(
        &RANGE_LIST,
        expr,
        message,
        wrap_in_builtin(checker, expr, "list").map(Fix::safe),
    );
}

/// Builtins that only iterate over their argument (or take its `len`), so a lazy range gives
/// what the Python 2 list gave.
const ITERATING_BUILTINS: &[&str] = &[
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "len",
    "sum",
    "min",
    "max",
    "any",
    "all",
    "enumerate",
    "zip",
    "map",
    "filter",
    "reversed",
    "iter",
    "dict",
];

/// Whether a lazy `range` at this place does what the Python 2 list did: iterated by `for`
/// or a comprehension, tested with `in`, indexed, unpacked with `*`, or handed to a builtin
/// that only iterates (`sorted(range(n))`, `len(range(n))`, `''.join(...)`). `parent` is the
/// node holding `expr` (or its slice).
fn lazy_is_enough(checker: &Checker, parent: Option<NodeRef>, expr: &Expr) -> bool {
    match parent {
        Some(NodeRef::Stmt(Stmt::For(f))) => {
            std::ptr::eq(f.iter.as_ref(), expr) || is_slice_of(&f.iter, expr)
        }
        Some(NodeRef::Comprehension(c)) => {
            std::ptr::eq(&c.iter, expr) || is_slice_of(&c.iter, expr)
        }
        Some(NodeRef::Expr(Expr::Compare(cmp))) => cmp
            .ops
            .iter()
            .all(|op| matches!(op, CmpOp::In | CmpOp::NotIn)),
        Some(NodeRef::Expr(Expr::Subscript(s))) => !std::ptr::eq(s.slice.as_ref(), expr),
        Some(NodeRef::Expr(Expr::Starred(_))) => true,
        Some(NodeRef::Expr(Expr::Call(c))) => {
            let in_args = c
                .args
                .iter()
                .any(|a| std::ptr::eq(a, expr) || is_slice_of(a, expr));
            if !in_args {
                return false;
            }
            if let Some(builtin) = called_builtin(checker, c.func.as_ref()) {
                // `list(range(n))`, also as `builtins.list(...)` where `list` is rebound.
                return ITERATING_BUILTINS.contains(&builtin);
            }
            match c.func.as_ref() {
                // `', '.join(range(n))` fails either way; `random.choice(range(n))` indexes.
                Expr::Attribute(a) => matches!(a.attr.as_str(), "join" | "choice" | "sample"),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether `outer` is a slice of `inner` (`range(10)[::2]`).
fn is_slice_of(outer: &Expr, inner: &Expr) -> bool {
    matches!(outer, Expr::Subscript(s) if std::ptr::eq(s.value.as_ref(), inner) && matches!(s.slice.as_ref(), Expr::Slice(_)))
}

/// Whether the range call `expr`, the node being visited, is printed: an argument of the
/// builtin `print`, `str` or `repr`, directly or sliced (`print(range(5)[1:3])`). Python 2
/// showed the list; Python 3 shows `range(0, 5)`.
fn is_printed(checker: &Checker, expr: &Expr) -> bool {
    let mut ancestors = checker.ancestors();
    let mut node = expr;
    let mut parent = ancestors.next();
    if let Some(NodeRef::Expr(sub @ Expr::Subscript(s))) = parent {
        if !std::ptr::eq(s.value.as_ref(), node) || !matches!(s.slice.as_ref(), Expr::Slice(_)) {
            return false;
        }
        node = sub;
        parent = ancestors.next();
    }
    matches!(parent, Some(NodeRef::Expr(Expr::Call(c)))
        if printing_call(checker, c) && c.args.iter().any(|a| std::ptr::eq(a, node)))
}

/// Whether some read of `name` in the module is printed, directly or sliced (`r = range(10)`
/// then `print(r[1:3])`): Python 2 showed a list.
fn name_is_printed(checker: &Checker, name: &str) -> bool {
    checker.memo(printed_names).0.contains(name)
}

/// The names read, directly or sliced, as an argument of `print`, `str` or `repr` (a
/// [`Checker::memo`] fact: one scan of the module).
struct PrintedNames(std::collections::HashSet<String>);

fn printed_names(checker: &Checker) -> PrintedNames {
    let entries = crate::engine::checker::nodes::flatten(checker.module(), |_, _| {});
    let parent_of = |i: usize| {
        entries
            .get(i)
            .and_then(|e| usize::try_from(e.parent).ok())
            .and_then(|p| entries.get(p).map(|e| (p, e.node)))
    };
    let printed = entries.iter().enumerate().filter_map(|(i, e)| {
        let NodeRef::Expr(read @ Expr::Name(n)) = e.node else {
            return None;
        };
        let mut node = read;
        let mut parent = parent_of(i);
        if let Some((p, NodeRef::Expr(sub @ Expr::Subscript(s)))) = parent {
            if !std::ptr::eq(s.value.as_ref(), node) || !matches!(s.slice.as_ref(), Expr::Slice(_))
            {
                return None;
            }
            node = sub;
            parent = parent_of(p);
        }
        matches!(parent, Some((_, NodeRef::Expr(Expr::Call(c))))
            if printing_call(checker, c) && c.args.iter().any(|a| std::ptr::eq(a, node)))
        .then(|| n.id.to_string())
    });
    PrintedNames(printed.collect())
}

/// Whether `call` is a call of the builtin `print`, `str` or `repr`.
fn printing_call(checker: &Checker, call: &rustpython_ast::ExprCall) -> bool {
    called_name(call)
        .is_some_and(|name| matches!(name, "print" | "str" | "repr") && checker.is_builtin(name))
}

/// `return range(n)` in a module-level function `f` (bound only by its `def`) whose result
/// the module prints, concatenates, changes in place or compares with `==`: `print(f(3))`.
/// A rare trigger: the module is scanned for the calls of `f`.
fn returned_to_list_use(checker: &Checker) -> bool {
    let Some(NodeRef::Stmt(Stmt::FunctionDef(def))) = checker.ancestors().find(|n| {
        matches!(
            n,
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
                | NodeRef::Expr(Expr::Lambda(_))
        )
    }) else {
        return false;
    };
    let module = checker.module();
    let name = def.name.as_str();
    let top_level = module
        .iter()
        .any(|s| matches!(s, Stmt::FunctionDef(f) if std::ptr::eq(f, def)));
    if !top_level || checker.semantic().bindings(name) != 1 {
        return false;
    }
    let entries = flatten(module, |_, _| {});
    entries.iter().any(|entry| {
        let NodeRef::Expr(call @ Expr::Call(c)) = entry.node else {
            return false;
        };
        if called_name(c) != Some(name) {
            return false;
        }
        let parent = usize::try_from(entry.parent)
            .ok()
            .and_then(|p| entries.get(p))
            .map(|e| e.node);
        match parent {
            Some(NodeRef::Expr(Expr::Call(p))) => {
                printing_call(checker, p) && p.args.iter().any(|a| std::ptr::eq(a, call))
            }
            Some(NodeRef::Expr(Expr::BinOp(b))) => matches!(b.op, Operator::Add | Operator::Mult),
            Some(NodeRef::Expr(Expr::Attribute(a))) => {
                std::ptr::eq(a.value.as_ref(), call) && LIST_ONLY_METHODS.contains(&a.attr.as_str())
            }
            Some(NodeRef::Expr(Expr::Compare(cmp))) => cmp
                .ops
                .iter()
                .any(|op| matches!(op, CmpOp::Eq | CmpOp::NotEq)),
            _ => false,
        }
    })
}
