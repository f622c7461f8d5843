//! Whether a loop body may change the dict it iterates: Python 2's `d.keys()` was a copy, so
//! `for k in d.keys(): del d[k]` worked; Python 3's view raises "dictionary changed size during
//! iteration". A fixer may leave `d.keys()` unwrapped only when the body provably leaves `d` alone.
//!
//! The test is conservative: it answers "may mutate" for anything it cannot rule out from the
//! body's own text — a mutating method or a subscript store on the receiver, the receiver (or the
//! object that holds it) passed to a call — or, one call deep, from the module's own code: a
//! method of the holder (`self.expire(k)` while iterating `self.entries`) or a function of the
//! module, called or passed on (`apply(f, args)`), whose body changes the dict under the same name
//! (a global, or a local a nested function closes over).
//! Code outside the module and deeper calls are not followed, nor is a generator's consumer.

use rustpython_ast::{Expr, ExprContext, Stmt};

use crate::engine::checker::nodes::flatten;
use crate::engine::checker::{Checker, NodeRef};

/// Methods that change a dict in place.
const MUTATING: &[&str] = &[
    "pop",
    "popitem",
    "clear",
    "update",
    "setdefault",
    "__setitem__",
    "__delitem__",
    "__init__",
];

/// Methods that, called on some other object, cannot reach the dict being iterated.
const PURE: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "get",
    "has_key",
    "keys",
    "values",
    "items",
    "iterkeys",
    "itervalues",
    "iteritems",
    "copy",
    "count",
    "index",
    "format",
    "join",
    "split",
    "rsplit",
    "splitlines",
    "strip",
    "lstrip",
    "rstrip",
    "startswith",
    "endswith",
    "lower",
    "upper",
    "title",
    "replace",
    "encode",
    "decode",
    "find",
    "rfind",
    "isdigit",
    "isalpha",
    "write",
    "sort",
];

/// Whether the statements `body`, run once per item while `receiver` (the dict of
/// `receiver.keys()`) is iterated, may add or remove keys of that dict.
///
/// `key` is the loop variable that holds the current key (`k` in `for k in d.keys()` or
/// `for k, v in d.items()`), if any: `d[k] = value` only replaces a value and keeps the size.
pub fn loop_may_mutate(
    checker: &Checker,
    body: &[Stmt],
    receiver: &Expr,
    key: Option<&str>,
) -> bool {
    let receiver_text = compact(checker.source(receiver));
    // The receiver and the object that holds it: `self.d` -> ["self.d", "self"].
    let mut holders = vec![receiver_text.clone()];
    if let Expr::Attribute(a) = receiver {
        holders.push(compact(checker.source(a.value.as_ref())));
    }
    let entries = flatten(body, |_, _| {});
    for entry in &entries {
        let NodeRef::Expr(expr) = entry.node else {
            continue;
        };
        if changes(checker, expr, &receiver_text, key) {
            return true;
        }
        let Expr::Call(call) = expr else { continue };
        let passes_holder = call
            .args
            .iter()
            .chain(call.keywords.iter().map(|k| &k.value))
            .map(|a| match a {
                Expr::Starred(s) => s.value.as_ref(),
                other => other,
            })
            .any(|a| holders.contains(&compact(checker.source(a))));
        if passes_holder {
            return true;
        }
        // One level into the module's own code: a function or a method of the dict's holder (`self.expire(k)` while iterating `self.entries`)
        // whose body changes the dict under the same name.
        // A function passed on is called too: `apply(f, args)`, `map(f, xs)`.
        let passed = call.args.iter().find_map(|a| match a {
            Expr::Name(f) if checker.semantic().defines_function(f.id.as_str()) => {
                Some(f.id.as_str())
            }
            _ => None,
        });
        let callee = match call.func.as_ref() {
            // A local dict is reached by a nested function closing over it.
            Expr::Name(f) => Some(f.id.as_str()),
            Expr::Attribute(m)
                if holders.get(1) == Some(&compact(checker.source(m.value.as_ref())))
                    && !PURE.contains(&m.attr.as_str()) =>
            {
                Some(m.attr.as_str())
            }
            _ => None,
        };
        for name in callee.into_iter().chain(passed) {
            if checker.semantic().defines_function(name)
                && function_bodies(checker, name).iter().any(|b| {
                    flatten(b, |_, _| {}).iter().any(|e| {
                        matches!(e.node, NodeRef::Expr(x) if changes(checker, x, &receiver_text, None))
                    })
                })
            {
                return true;
            }
        }
    }
    false
}

/// Whether `expr` itself changes the size of the dict written `receiver` (compacted): a
/// subscript store or `del` on it (a store under the loop's own `key` keeps the size), or a
/// mutating method called on it.
fn changes(checker: &Checker, expr: &Expr, receiver: &str, key: Option<&str>) -> bool {
    match expr {
        Expr::Subscript(s)
            if matches!(s.ctx, ExprContext::Store | ExprContext::Del)
                && compact(checker.source(s.value.as_ref())) == receiver =>
        {
            let same_key = matches!(s.ctx, ExprContext::Store)
                && matches!(s.slice.as_ref(), Expr::Name(n) if Some(n.id.as_str()) == key);
            !same_key
        }
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(m)
            if MUTATING.contains(&m.attr.as_str()) && compact(checker.source(m.value.as_ref())) == receiver),
        _ => false,
    }
}

/// The bodies of the functions and methods named `name` in the module.
fn function_bodies<'a>(checker: &Checker<'a>, name: &str) -> Vec<&'a [Stmt]> {
    flatten(checker.module(), |_, _| {})
        .iter()
        .filter_map(|e| match e.node {
            NodeRef::Stmt(Stmt::FunctionDef(f)) if f.name.as_str() == name => {
                Some(f.body.as_slice())
            }
            NodeRef::Stmt(Stmt::AsyncFunctionDef(f)) if f.name.as_str() == name => {
                Some(f.body.as_slice())
            }
            _ => None,
        })
        .collect()
}

/// The source of an expression without blanks or line continuations, for comparing two
/// mentions of the same object.
fn compact(source: &str) -> String {
    source
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::engine::pipeline::{fix_text, Settings};
    use crate::fixers::registry;

    fn fix(source: &str) -> String {
        let enabled = vec![registry::find("dict-views-as-lists").unwrap()];
        fix_text(source, &Settings::new(registry::all(), enabled))
            .unwrap()
            .text
    }

    #[test]
    fn loops_that_change_the_dict_keep_a_list() {
        for body in [
            "del d[k]",
            "d.pop(k)",
            "d[k + 1] = 0",
            "d.update({})",
            "forget(d, k)",
            "d.setdefault(k, 1)",
        ] {
            let source = format!("def f(d):\n    for k in d.keys():\n        {body}\n");
            let fixed = fix(&source);
            assert!(fixed.contains("in list(d.keys()):"), "{body}:\n{fixed}");
        }
    }

    #[test]
    fn loops_over_shared_dicts_that_call_code_keep_a_list() {
        for source in [
            "def forget(k):\n    del d[k]\nfor k in d.keys():\n    forget(k)\n",
            "class C:\n    def f(self):\n        for k in self.d.values():\n            self.drop(k)\n    def drop(self, k):\n        self.d.pop(k)\n",
        ] {
            let fixed = fix(source);
            assert!(fixed.contains("in list("), "{source}:\n{fixed}");
        }
    }

    #[test]
    fn loops_that_leave_the_dict_alone_are_not_wrapped() {
        for source in [
            "def f(d):\n    out = []\n    for k in d.keys():\n        out.append(d[k])\n        print(k)\n",
            "def f(d, e):\n    for k in d.keys():\n        e[k] = d.get(k)\n",
            "def f(d):\n    for k, v in d.items():\n        d[k] = v.strip()\n",
            "for k in d.keys():\n    print(k, d[k])\n",
            "def f(d):\n    for k in d.keys():\n        yield k\n",
            "class C:\n    def f(self):\n        for k in self.d.values():\n            self.show(k)\n    def show(self, k):\n        print(self.d[k])\n",
        ] {
            assert_eq!(fix(source), source);
        }
    }
}
