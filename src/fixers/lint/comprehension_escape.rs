use rustpython_ast::{Expr, ExprContext, Ranged};

use super::util::{contains_word, enclosing_scope, in_python2_branch, is_python3_builtin};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Diagnostic;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports a loop variable of a list comprehension read after the comprehension, in the
    /// same scope, when nothing else binds that name there.
    ///
    /// ## Why
    /// Python 2 list comprehensions leaked their loop variable into the enclosing scope:
    /// after `[x for x in items]`, `x` was the last item. Python 3 comprehensions have their own
    /// scope, so the later read is a `NameError` (or reads an outer `x`).
    ///
    /// ## Example
    /// ```python
    /// names = [user.name for user in users]
    /// print(user)
    /// ```
    /// Use instead: `user = users[-1]` (what Python 2 gave), or a `for` loop.
    pub COMPREHENSION_ESCAPE = FixerSpec {
        code: "PY813",
        name: "comprehension-escape",
        summary: "list comprehension variable used after it: not leaked in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::LIST_COMP, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::ListComp(comp) = expr else { return };
    let mut targets: Vec<&str> = Vec::new();
    for generator in &comp.generators {
        collect_targets(&generator.target, &mut targets);
    }
    let semantic = checker.semantic();
    // Cheap filter before scanning the scope: the name must be read somewhere.
    targets.retain(|t| semantic.name_use(t).loads > 0 && !is_python3_builtin(t));
    if targets.is_empty() || in_python2_branch(checker, expr) {
        return;
    }
    let Some((body, params)) = enclosing_scope(checker) else {
        return;
    };
    let comp_end = expr.range().end().to_usize();
    // Walking the scope is costly (a module-level comprehension walks the module): first make
    // sure a target is written somewhere after the comprehension, in the scope's text.
    let scope_end = body.last().map_or(0, |s| s.range().end().to_usize());
    let after = checker.text.get(comp_end..scope_end).unwrap_or("");
    targets.retain(|t| contains_word(after, t));
    if targets.is_empty() {
        return;
    }
    let in_function = checker.ancestors().any(|n| {
        matches!(
            n,
            NodeRef::Stmt(
                rustpython_ast::Stmt::FunctionDef(_) | rustpython_ast::Stmt::AsyncFunctionDef(_)
            )
        )
    });
    let sites = checker.names_in_scope(body);
    let globals = in_function.then(|| checker.names_in_scope(checker.module()));
    let mut found = Vec::new();
    for name in targets {
        let bound_otherwise = params.contains(&name)
            || globals.as_ref().is_some_and(|g| {
                g.iter()
                    .any(|s| s.name == name && s.store && !s.in_comprehension)
            })
            || sites
                .iter()
                .any(|s| s.name == name && s.store && !s.in_comprehension);
        if bound_otherwise {
            continue;
        }
        // The first read after the comprehension is enough to point at the problem.
        if let Some(site) = sites
            .iter()
            .find(|s| s.name == name && !s.store && !s.in_comprehension && s.start >= comp_end)
        {
            found.push(Diagnostic {
                code: COMPREHENSION_ESCAPE.code,
                name: COMPREHENSION_ESCAPE.name,
                message: format!(
                    "`{name}` was leaked by a list comprehension in Python 2; it is not defined here in Python 3"
                ),
                start: site.start,
                end: site.end,
                fix: None,
            });
        }
    }
    checker.diagnostics.extend(found);
}

/// The names a comprehension target binds: `x`, `(k, v)`, `[a, (b, c)]`.
fn collect_targets<'a>(target: &'a Expr, out: &mut Vec<&'a str>) {
    match target {
        Expr::Name(n) if matches!(n.ctx, ExprContext::Store) => out.push(n.id.as_str()),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| collect_targets(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| collect_targets(e, out)),
        Expr::Starred(s) => collect_targets(&s.value, out),
        _ => {}
    }
}
