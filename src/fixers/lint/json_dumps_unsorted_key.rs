use rustpython_ast::{CmpOp, Constant, Expr, ExprCall};

use super::util::{in_python2_branch, last_name, refers_to_module};
use super::DATA_GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::fixers::FixerKind;

/// Modules whose `dumps` serialises to JSON.
const JSON_MODULES: &[&str] = &["json", "simplejson", "ujson"];

declare_fixer! {
    /// ## What it does
    /// Reports `json.dumps(...)` without `sort_keys=True` whose result is compared (`==`,
    /// `!=`, `in`), hashed (`hash()`, `hashlib.*()`, `.update()`), or used as a key
    /// (`cache.get(...)`/`set(...)`, `d[...]`), directly or through `.encode()`.
    ///
    /// ## Why
    /// Without `sort_keys`, the text follows the dict's iteration order: arbitrary (and
    /// randomised per process with `-R`) in Python 2, insertion order in Python 3. The same
    /// data gives a different string, hash or cache key on each side of the migration, so
    /// caches miss, checksums mismatch and change detection fires for nothing.
    ///
    /// ## Example
    /// ```python
    /// key = hashlib.sha1(json.dumps(params).encode()).hexdigest()
    /// ```
    /// Use instead:
    /// ```python
    /// key = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()
    /// ```
    pub JSON_DUMPS_UNSORTED_KEY = FixerSpec {
        code: "PY902",
        name: "json-dumps-unsorted-key",
        summary: "json.dumps without sort_keys used as a key, hash or comparison (report only)",
        groups: DATA_GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| s.may_call("dumps")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    if !is_json_dumps(checker, call) || sorts_keys(call) {
        return;
    }
    let Some(use_) = keyed_use(checker, expr) else {
        return;
    };
    if in_python2_branch(checker, expr) {
        return;
    }
    let message = format!(
        "`json.dumps` without `sort_keys=True` {use_}: key order differs between Python 2 and 3"
    );
    checker.report(&JSON_DUMPS_UNSORTED_KEY, expr, message, None);
}

fn is_json_dumps(checker: &Checker, call: &ExprCall) -> bool {
    match call.func.as_ref() {
        Expr::Attribute(a) => {
            a.attr.as_str() == "dumps" && refers_to_module(checker, &a.value, JSON_MODULES)
        }
        Expr::Name(n) if checker.semantic().imports_binding(n.id.as_str()) > 0 => {
            checker.semantic().imports().iter().any(|i| {
                i.bound_name() == n.id.as_str()
                    && i.name == "dumps"
                    && i.from.is_some_and(|f| JSON_MODULES.contains(&f))
            })
        }
        _ => false,
    }
}

/// `sort_keys=True` (or any non-constant value, or `**options`: it may be true).
fn sorts_keys(call: &ExprCall) -> bool {
    call.keywords.iter().any(|k| match &k.arg {
        None => true,
        Some(arg) if arg.as_str() == "sort_keys" => {
            !matches!(&k.value, Expr::Constant(c) if matches!(c.value, Constant::Bool(false) | Constant::None))
        }
        _ => false,
    })
}

/// How the value of the visited call is used as a key, if it is: looks through
/// `.encode(...)`.
fn keyed_use(checker: &Checker, expr: &Expr) -> Option<&'static str> {
    let mut value: &Expr = expr;
    let mut ancestors = checker.ancestors();
    let mut parent = ancestors.next()?;
    // `json.dumps(x).encode("utf-8")`: the value is the `encode` call.
    if let NodeRef::Expr(Expr::Attribute(a)) = parent {
        if a.attr.as_str() != "encode" {
            return None;
        }
        let NodeRef::Expr(call @ Expr::Call(c)) = ancestors.next()? else {
            return None;
        };
        if !std::ptr::eq(c.func.as_ref(), parent.as_expr()?) {
            return None;
        }
        value = call;
        parent = ancestors.next()?;
    }
    match parent {
        NodeRef::Expr(Expr::Compare(c)) => c
            .ops
            .iter()
            .any(|op| matches!(op, CmpOp::Eq | CmpOp::NotEq | CmpOp::In | CmpOp::NotIn))
            .then_some("is compared"),
        NodeRef::Expr(Expr::Subscript(s)) if std::ptr::eq(s.slice.as_ref(), value) => {
            Some("is used as a key")
        }
        NodeRef::Expr(Expr::Call(c)) => {
            let first = c.args.first().is_some_and(|a| std::ptr::eq(a, value));
            match c.func.as_ref() {
                Expr::Name(n) if n.id.as_str() == "hash" => Some("is hashed"),
                Expr::Attribute(a) if refers_to_module(checker, &a.value, &["hashlib"]) => {
                    Some("is hashed")
                }
                Expr::Attribute(a) if a.attr.as_str() == "update" && first => Some("is hashed"),
                Expr::Attribute(a)
                    if first
                        && matches!(
                            a.attr.as_str(),
                            "get" | "set" | "add" | "delete" | "incr" | "decr" | "setdefault"
                        )
                        && last_name(&a.value).is_some_and(|r| {
                            let r = r.to_ascii_lowercase();
                            r.contains("cache") || r.contains("memo") || r == "redis" || r == "mc"
                        }) =>
                {
                    Some("is used as a cache key")
                }
                _ => None,
            }
        }
        _ => None,
    }
}
