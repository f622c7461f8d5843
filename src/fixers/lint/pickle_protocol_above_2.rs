use rustpython_ast::{Constant, Expr, ExprCall, UnaryOp};

use super::util::{imported_from_any, in_python2_branch, int_value, refers_to_module};
use super::DATA_GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

/// Modules whose `dump`/`dumps`/`Pickler` write pickles.
const PICKLE_MODULES: &[&str] = &["pickle", "cPickle", "_pickle"];

declare_fixer! {
    /// ## What it does
    /// Reports `pickle.dump`/`dumps`/`Pickler` (and `cPickle`'s) called with
    /// `protocol=pickle.HIGHEST_PROTOCOL`, `pickle.DEFAULT_PROTOCOL`, `-1` or a number above 2.
    ///
    /// ## Why
    /// Python 2 reads pickle protocols 0 to 2 only. While Python 2 and Python 3 processes
    /// share data (a cache, a queue, files on disk) during a migration, a Python 3 writer using
    /// protocol 3 or more (`HIGHEST_PROTOCOL` is 5 on Python 3.8+, `DEFAULT_PROTOCOL` is 3 or
    /// 4) makes every Python 2 reader fail with `ValueError: unsupported pickle protocol`.
    /// `py2to3 pickle audit` finds such pickles in stored data; this rule finds their writers.
    ///
    /// ## Example
    /// ```python
    /// cache.set(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    /// ```
    /// Use instead, until no Python 2 reader is left:
    /// ```python
    /// cache.set(key, pickle.dumps(value, protocol=2))
    /// ```
    pub PICKLE_PROTOCOL_ABOVE_2 = FixerSpec {
        code: "PY901",
        name: "pickle-protocol-above-2",
        summary: "pickle written with a protocol Python 2 cannot read (report only)",
        groups: DATA_GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| ["dump", "dumps", "Pickler"].iter().any(|f| s.may_call(f))) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Some(function) = pickling_function(checker, call) else {
        return;
    };
    // Position of the protocol argument: dump(obj, file, protocol), dumps(obj, protocol),
    // Pickler(file, protocol).
    let position = match function {
        "dump" => 2,
        _ => 1,
    };
    let protocol = call
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "protocol"))
        .map(|k| &k.value)
        .or_else(|| call.args.get(position));
    let Some(protocol) = protocol else { return };
    let Some(what) = unreadable_by_python2(checker, protocol) else {
        return;
    };
    if in_python2_branch(checker, expr) {
        return;
    }
    let message = format!(
        "`{function}` with {what}: Python 2 cannot read the pickle (use `protocol=2` while Python 2 readers remain)"
    );
    checker.report(&PICKLE_PROTOCOL_ABOVE_2, expr, message, None);
}

/// `dump`, `dumps` or `Pickler` when the call is one of the pickle modules' writers.
fn pickling_function(checker: &Checker, call: &ExprCall) -> Option<&'static str> {
    const FUNCTIONS: [&str; 3] = ["dump", "dumps", "Pickler"];
    let name = match call.func.as_ref() {
        // The attribute's name first: a string compare before any lookup.
        Expr::Attribute(a)
            if FUNCTIONS.contains(&a.attr.as_str())
                && refers_to_module(checker, &a.value, PICKLE_MODULES) =>
        {
            a.attr.as_str()
        }
        Expr::Name(n) => imported_from_any(checker, n.id.as_str(), PICKLE_MODULES)?,
        _ => return None,
    };
    FUNCTIONS.into_iter().find(|f| *f == name)
}

/// Describes `protocol` when it selects a protocol above 2.
fn unreadable_by_python2(checker: &Checker, protocol: &Expr) -> Option<String> {
    match protocol {
        Expr::Constant(c) => match int_value(&c.value) {
            Some(n) if n > 2 => Some(format!("protocol {n}")),
            _ => None,
        },
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub) => match &*u.operand {
            Expr::Constant(c) if matches!(c.value, Constant::Int(_)) => {
                Some("a negative protocol (the highest)".to_string())
            }
            _ => None,
        },
        Expr::Attribute(a)
            if matches!(a.attr.as_str(), "HIGHEST_PROTOCOL" | "DEFAULT_PROTOCOL")
                && refers_to_module(checker, &a.value, PICKLE_MODULES) =>
        {
            Some(format!("`{}`", a.attr.as_str()))
        }
        Expr::Name(n) => match imported_from_any(checker, n.id.as_str(), PICKLE_MODULES)? {
            name @ ("HIGHEST_PROTOCOL" | "DEFAULT_PROTOCOL") => Some(format!("`{name}`")),
            _ => None,
        },
        _ => None,
    }
}
