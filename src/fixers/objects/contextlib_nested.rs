use rustpython_ast::{Expr, Ranged, Stmt};

use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

/// The name the exact rewrite gives its `ExitStack`.
const STACK: &str = "_nested_stack";

declare_fixer! {
    /// ## What it does
    /// Rewrites `with contextlib.nested(A, B) as (a, b):`, which Python 3 removed. When every
    /// manager after the first is a plain name or a constant, it becomes `with A as a, B as b:`.
    /// Otherwise it keeps `nested()`'s order (every manager built before the first is entered):
    /// `with contextlib.ExitStack() as _nested_stack,
    /// contextlib.nullcontext(list(map(_nested_stack.enter_context, (A(), B())))) as (a, b):`.
    ///
    /// ## Why
    /// `contextlib.nested` raises `AttributeError` in Python 3. A `with` statement with several
    /// managers enters each one before building the next, so it is the same only when building
    /// the later ones has no effects.
    ///
    /// ## Example
    /// ```python
    /// with contextlib.nested(src, dst) as (a, b):
    ///     copy(a, b)
    /// ```
    /// becomes
    /// ```python
    /// with src as a, dst as b:
    ///     copy(a, b)
    /// ```
    ///
    /// ## Limits
    /// Only `contextlib.nested(...)` (the module by any import name) as the single item of a
    /// `with` statement, with positional managers and a target that is absent, a name, or a
    /// tuple of targets; other uses, and a `nested` imported by name, are reported.
    ///
    /// Under `--target six` (Python 2.7 has no `ExitStack`) the order-keeping form builds the
    /// managers in a statement before the `with`: `_nested_managers = (A(), B())`, then
    /// `with _nested_managers[0] as a, _nested_managers[1] as b:`; a single-name target
    /// (`as both`) is then reported.
    pub CONTEXTLIB_NESTED = FixerSpec {
        code: "PY332",
        name: "contextlib-nested",
        summary: "with contextlib.nested(A, B) as (a, b) -> with A as a, B as b (or an ExitStack)",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE | expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("nested") || s.mentions_attribute("nested")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let module_alias = match expr {
        Expr::Attribute(a) if a.attr.as_str() == "nested" => match a.value.as_ref() {
            Expr::Name(m)
                if checker
                    .semantic()
                    .is_module_alias("contextlib", m.id.as_str()) =>
            {
                Some(m.id.as_str())
            }
            _ => return,
        },
        Expr::Name(n) if n.id.as_str() == "nested" => {
            let imported = checker
                .semantic()
                .imported_from("contextlib", "nested")
                .is_some_and(|i| i.asname.is_none());
            if !imported {
                return;
            }
            None
        }
        _ => return,
    };
    let fix = module_alias.and_then(|alias| rewrite(checker, expr, alias));
    let message = "`contextlib.nested` is gone in Python 3: use one `with` statement with \
                   several managers (or `contextlib.ExitStack`)";
    checker.report(&CONTEXTLIB_NESTED, expr, message, fix.map(Fix::safe));
}

/// The edit rewriting the `with` item whose manager is the call of `func` (`contextlib.nested`
/// bound as `alias`), when it is the only item of its statement.
fn rewrite(checker: &Checker, func: &Expr, alias: &str) -> Option<Vec<Edit>> {
    let mut ancestors = checker.ancestors();
    let Some(NodeRef::Expr(call_expr @ Expr::Call(call))) = ancestors.next() else {
        return None;
    };
    let Some(NodeRef::WithItem(_)) = ancestors.next() else {
        return None;
    };
    let Some(NodeRef::Stmt(with_stmt @ Stmt::With(with))) = ancestors.next() else {
        return None;
    };
    let [item] = with.items.as_slice() else {
        return None;
    };
    if !std::ptr::eq(&item.context_expr, call_expr)
        || !std::ptr::eq(call.func.as_ref(), func)
        || !call.keywords.is_empty()
        || call.args.is_empty()
        || call.args.iter().any(|a| matches!(a, Expr::Starred(_)))
    {
        return None;
    }
    let text = checker.text;
    let start = call_expr.range().start().to_usize();
    let call_end = call_expr.range().end().to_usize();
    // The header ends at the first `:` after the call; between them only ` as <targets>`.
    let colon = call_end + text.get(call_end..)?.find(':')?;
    let between = text.get(call_end..colon)?;
    if !between
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || " \t,()[].".contains(c))
    {
        return None;
    }
    let managers: Vec<&str> = call.args.iter().map(|a| checker.source(a)).collect();
    let simple_later = call
        .args
        .iter()
        .skip(1)
        .all(|a| matches!(a, Expr::Name(_) | Expr::Constant(_)));
    let targets: Option<Vec<&str>> = match item.optional_vars.as_deref() {
        None => Some(Vec::new()),
        Some(Expr::Tuple(t)) if t.elts.len() == managers.len() => {
            Some(t.elts.iter().map(|e| checker.source(e)).collect())
        }
        Some(Expr::List(l)) if l.elts.len() == managers.len() => {
            Some(l.elts.iter().map(|e| checker.source(e)).collect())
        }
        _ => None,
    };
    if checker.six() {
        // No `ExitStack` in Python 2.7: the managers are built before the `with`, or (a
        // single-name target, which receives the list of values) the use is reported.
        let targets = targets.clone()?;
        if !simple_later {
            return six_hoisted(checker, with_stmt, start, colon, &managers, targets);
        }
    }
    let new = match targets {
        Some(targets) if simple_later => managers
            .iter()
            .enumerate()
            .map(|(i, m)| match targets.get(i) {
                Some(t) => format!("{m} as {t}"),
                None => m.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => {
            let semantic = checker.semantic();
            if semantic.mentions(STACK) {
                return None;
            }
            let comma = if managers.len() == 1 { "," } else { "" };
            let target = item
                .optional_vars
                .as_deref()
                .map(|t| format!(" as {}", checker.source(t)))
                .unwrap_or_default();
            format!(
                "{alias}.ExitStack() as {STACK}, {alias}.nullcontext(list(map({STACK}.enter_context, ({}{comma})))){target}",
                managers.join(", ")
            )
        }
    };
    Some(vec![Edit::replace(start, colon, new)])
}

/// `--target six` (no `ExitStack` in Python 2.7), when a later manager is not a plain name or
/// a constant: the managers are built first, in a statement before the `with`, then entered in
/// order, as `nested()` did:
/// ```python
/// _nested_managers = (A(), B())
/// with _nested_managers[0] as a, _nested_managers[1] as b:
/// ```
/// `start..colon` is the span of the `with` header from the call to the colon.
fn six_hoisted(
    checker: &Checker,
    with: &Stmt,
    start: usize,
    colon: usize,
    managers: &[&str],
    targets: Vec<&str>,
) -> Option<Vec<Edit>> {
    if checker.semantic().mentions(MANAGERS) {
        return None;
    }
    let text = checker.text;
    let indent = crate::fixers::imports::util::statement_indent(text, with)?;
    let nl = crate::fixers::semantics::util::newline_of(text);
    let comma = if managers.len() == 1 { "," } else { "" };
    let hoisted = format!("{MANAGERS} = ({}{comma}){nl}{indent}", managers.join(", "));
    let items: Vec<String> = (0..managers.len())
        .map(|i| match targets.get(i) {
            Some(t) => format!("{MANAGERS}[{i}] as {t}"),
            None => format!("{MANAGERS}[{i}]"),
        })
        .collect();
    Some(vec![
        Edit::insert(with.range().start().to_usize(), hoisted),
        Edit::replace(start, colon, items.join(", ")),
    ])
}

/// The name the `--target six` rewrite gives the tuple of managers.
const MANAGERS: &str = "_nested_managers";
