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
    /// `with _nested_managers[0] as a, _nested_managers[1] as b:`. A single target (`as both`),
    /// which `nested()` bound to the list of the entered values, gets each value under a name of
    /// its own and their list as the body's first statement:
    /// `with _nested_managers[0] as _nested_value0, _nested_managers[1] as _nested_value1:`
    /// then `both = [_nested_value0, _nested_value1]`.
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
    // The header ends at the first `:` after the targets (`as d['a:b']` holds one of its own),
    // or after the call when there are none; before it only spaces and a tuple's `)`.
    let after = item
        .optional_vars
        .as_deref()
        .map_or(call_end, |t| t.range().end().to_usize());
    let colon = after + text.get(after..)?.find(':')?;
    if !text.get(after..colon)?.chars().all(|c| " \t)".contains(c)) {
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
        // No `ExitStack` in Python 2.7: the managers are built before the `with` (unless the
        // later ones are plain names or constants), and a single target, which receives the
        // list of values, is assigned that list as the body's first statement.
        let header = Header {
            with: with_stmt,
            start,
            colon,
            managers: &managers,
            hoist: !simple_later,
        };
        return match (&targets, item.optional_vars.as_deref()) {
            (Some(targets), _) => six_items(checker, &header, targets),
            (None, Some(target)) => six_list_target(checker, &header, with, target),
            (None, None) => None,
        };
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

/// The parts of a `with contextlib.nested(...)` header that the `--target six` forms rewrite.
struct Header<'h> {
    /// The `with` statement.
    with: &'h Stmt,
    /// Where the call of `nested` starts.
    start: usize,
    /// Where the header's colon is (the call and its targets end there).
    colon: usize,
    /// The managers' source.
    managers: &'h [&'h str],
    /// Whether to build the managers before the `with` (a later one is not a plain name or a
    /// constant, so building it could have effects `nested()` ran before entering the first).
    hoist: bool,
}

/// `--target six` (no `ExitStack` in Python 2.7): one `with` item per manager, entered in order,
/// the `i`-th bound to `targets[i]` (none when `targets` is empty). When `header.hoist`, the
/// managers are first built in a statement before the `with`, as `nested()` received them:
/// ```python
/// _nested_managers = (A(), B())
/// with _nested_managers[0] as a, _nested_managers[1] as b:
/// ```
/// otherwise `with A as a, B as b:`.
fn six_items(checker: &Checker, header: &Header, targets: &[&str]) -> Option<Vec<Edit>> {
    let managers = header.managers;
    let mut edits = Vec::new();
    let items: Vec<String> = if header.hoist {
        if checker.semantic().mentions(MANAGERS) {
            return None;
        }
        let text = checker.text;
        let indent = crate::fixers::imports::util::statement_indent(text, header.with)?;
        let nl = crate::fixers::semantics::util::newline_of(text);
        let comma = if managers.len() == 1 { "," } else { "" };
        let hoisted = format!("{MANAGERS} = ({}{comma}){nl}{indent}", managers.join(", "));
        edits.push(Edit::insert(
            header.with.range().start().to_usize(),
            hoisted,
        ));
        (0..managers.len())
            .map(|i| format!("{MANAGERS}[{i}]"))
            .collect()
    } else {
        managers.iter().map(|m| m.to_string()).collect()
    };
    let items: Vec<String> = items
        .into_iter()
        .enumerate()
        .map(|(i, m)| match targets.get(i) {
            Some(t) => format!("{m} as {t}"),
            None => m,
        })
        .collect();
    edits.push(Edit::replace(header.start, header.colon, items.join(", ")));
    Some(edits)
}

/// `--target six`, a single target (`as both`), which `nested()` bound to the list of the values
/// the managers' `__enter__` returned: each value is bound to a name of its own
/// (`_nested_value0`, ...), and the body starts by assigning their list to the target:
/// ```python
/// with A() as _nested_value0, B() as _nested_value1:
///     both = [_nested_value0, _nested_value1]
/// ```
/// (with the managers built first when `header.hoist`, as [`six_items`] does). `None` when a
/// name is taken or the body's first statement has no place for the line before it.
fn six_list_target(
    checker: &Checker,
    header: &Header,
    with: &rustpython_ast::StmtWith,
    target: &Expr,
) -> Option<Vec<Edit>> {
    let names: Vec<String> = (0..header.managers.len())
        .map(|i| format!("{VALUE}{i}"))
        .collect();
    if names.iter().any(|n| checker.semantic().mentions(n)) {
        return None;
    }
    let text = checker.text;
    let assignment = format!("{} = [{}]", checker.source(target), names.join(", "));
    let first = with.body.first()?;
    let first_start = first.range().start().to_usize();
    let after_colon = text.get(header.colon + 1..first_start)?;
    let line = if after_colon.contains('\n') {
        // A block: a line of its own before the first statement, at its indentation. Between
        // the colon and that line only blank lines and comments (no `\` continuation).
        let indent = crate::fixers::imports::util::statement_indent(text, first)?;
        let line_start = first_start - indent.len();
        let between = text.get(header.colon + 1..line_start)?;
        if !between
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return None;
        }
        let nl = crate::fixers::semantics::util::newline_of(text);
        Edit::insert(line_start, format!("{indent}{assignment}{nl}"))
    } else {
        // The body on the header's line: `with ...: both = [...]; use(both)`.
        Edit::insert(first_start, format!("{assignment}; "))
    };
    let targets: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut edits = six_items(checker, header, &targets)?;
    edits.push(line);
    Some(edits)
}

/// The name the `--target six` rewrite gives the tuple of managers.
const MANAGERS: &str = "_nested_managers";

/// The prefix of the names the `--target six` rewrite gives the values of a single target
/// (`_nested_value0`, `_nested_value1`, ...).
const VALUE: &str = "_nested_value";
