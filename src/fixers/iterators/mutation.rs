//! Whether a loop body may change the dict it iterates: Python 2's `d.keys()` was a copy, so
//! `for k in d.keys(): del d[k]` worked; Python 3's view raises "dictionary changed size during
//! iteration". A fixer may leave `d.keys()` unwrapped only when the body provably leaves `d` alone.
//!
//! The test is conservative: it answers "may mutate" for anything it cannot rule out from the
//! body's own text — a mutating method or a subscript store on the receiver, the receiver (or the
//! object that holds it) passed to a call, a method called on that object, a `yield` (the consumer
//! runs in the middle of the loop), and, when the dict is not a plain local variable of the
//! enclosing function, a call of a function the module defines. Code outside the module (an
//! imported function changing a module's global dict) is not followed.

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
    let text = |e: &Expr| -> String {
        checker
            .source(e)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\\')
            .collect()
    };
    let receiver_text = text(receiver);
    // The receiver and the objects that hold it: `self.d` -> ["self.d", "self"].
    let mut holders = vec![receiver_text.clone()];
    let mut chain = receiver;
    while let Expr::Attribute(a) = chain {
        chain = &a.value;
        holders.push(text(chain));
    }
    let plain_local = matches!(receiver, Expr::Name(n) if is_local(checker, n.id.as_str()));
    let entries = flatten(body, |_, _| {});
    for entry in &entries {
        let NodeRef::Expr(expr) = entry.node else {
            continue;
        };
        match expr {
            Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => return true,
            Expr::Subscript(s)
                if matches!(s.ctx, ExprContext::Store | ExprContext::Del)
                    && text(&s.value) == receiver_text =>
            {
                let same_key = matches!(s.ctx, ExprContext::Store)
                    && matches!(s.slice.as_ref(), Expr::Name(n) if Some(n.id.as_str()) == key);
                if !same_key {
                    return true;
                }
            }
            Expr::Call(call) => {
                let passes_holder = call
                    .args
                    .iter()
                    .chain(call.keywords.iter().map(|k| &k.value))
                    .map(|a| match a {
                        Expr::Starred(s) => s.value.as_ref(),
                        other => other,
                    })
                    .any(|a| holders.contains(&text(a)));
                if passes_holder {
                    return true;
                }
                match call.func.as_ref() {
                    Expr::Attribute(m) => {
                        let on = text(&m.value);
                        let method = m.attr.as_str();
                        if on == receiver_text {
                            if MUTATING.contains(&method) {
                                return true;
                            }
                        } else if holders.contains(&on) && !PURE.contains(&method) {
                            // `self.refresh()` while iterating `self.table`.
                            return true;
                        }
                    }
                    // A function of this module may change a dict that is not a local.
                    Expr::Name(f)
                        if !plain_local && checker.semantic().defines_function(f.id.as_str()) =>
                    {
                        return true;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether `name` is a local variable of the function the visited node is in: a parameter or
/// a name the function binds, not declared `global` there.
fn is_local(checker: &Checker, name: &str) -> bool {
    let Some(def) = checker.ancestors().find_map(|n| match n {
        NodeRef::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) => Some(s),
        _ => None,
    }) else {
        return false;
    };
    let (args, body) = match def {
        Stmt::FunctionDef(f) => (&f.args, &f.body),
        Stmt::AsyncFunctionDef(f) => (&f.args, &f.body),
        _ => return false,
    };
    let declared_global = flatten(body, |_, _| {}).iter().any(|e| {
        matches!(e.node, NodeRef::Stmt(Stmt::Global(g)) if g.names.iter().any(|n| n.as_str() == name))
            || matches!(e.node, NodeRef::Stmt(Stmt::Nonlocal(g)) if g.names.iter().any(|n| n.as_str() == name))
    });
    if declared_global {
        return false;
    }
    let parameter = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
        .any(|a| a.def.arg.as_str() == name)
        || args.vararg.as_ref().is_some_and(|a| a.arg.as_str() == name)
        || args.kwarg.as_ref().is_some_and(|a| a.arg.as_str() == name);
    parameter
        || checker
            .names_in_scope(body)
            .iter()
            .any(|site| site.store && site.name == name)
}

#[cfg(test)]
mod tests {
    use crate::engine::pipeline::{fix_text, Settings};
    use crate::fixers::registry;

    fn fix(source: &str) -> String {
        let enabled = registry::resolve_selection(&["dict-views-as-lists".into()], &[]).unwrap();
        fix_text(source, &Settings::new(enabled)).unwrap().text
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
            "yield k",
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
            "class C:\n    def f(self):\n        for k in self.d.values():\n            self.drop(k)\n",
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
        ] {
            assert_eq!(fix(source), source);
        }
    }
}
