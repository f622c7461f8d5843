use rustpython_ast::{ExceptHandler, Stmt};

use super::util::{enclosing_scope, in_python2_branch};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::Diagnostic;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Reports a name bound by `except ... as e:` read after the handler, in the same scope,
    /// when nothing else binds that name there.
    ///
    /// ## Why
    /// Python 3 deletes `e` at the end of the handler (to break the traceback reference
    /// cycle): a later `log(e)` or `raise e` gets `NameError` (or `UnboundLocalError`), only
    /// on the error path, so tests rarely see it.
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     connect()
    /// except IOError as e:
    ///     pass
    /// print(e)
    /// ```
    /// Use instead:
    /// ```python
    /// error = None
    /// try:
    ///     connect()
    /// except IOError as e:
    ///     error = e
    /// print(error)
    /// ```
    pub EXCEPTION_ESCAPE = FixerSpec {
        code: "PY812",
        name: "exception-escape",
        summary: "except-bound name used after its handler: deleted in Python 3 (report only)",
        groups: GROUPS,
        default_on: true,
        fixable: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    let handlers = match stmt {
        Stmt::Try(t) => &t.handlers,
        Stmt::TryStar(t) => &t.handlers,
        _ => return,
    };
    let named: Vec<(&str, usize)> = handlers
        .iter()
        .filter_map(|h| {
            let ExceptHandler::ExceptHandler(h) = h;
            Some((h.name.as_ref()?.as_str(), h.range.end().to_usize()))
        })
        .collect();
    if named.is_empty() || in_python2_branch(checker, stmt) {
        return;
    }
    let Some((body, params)) = enclosing_scope(checker) else {
        return;
    };
    let sites = checker.names_in_scope(body);
    let mut found = Vec::new();
    for (name, handler_end) in named {
        let bound_otherwise = params.contains(&name)
            || sites
                .iter()
                .any(|s| s.name == name && s.store && !s.handler);
        if bound_otherwise {
            continue;
        }
        for site in sites.iter().filter(|s| {
            s.name == name
                && !s.store
                && !s.in_own_handler
                && !s.in_comprehension
                && s.start >= handler_end
        }) {
            found.push(Diagnostic {
                code: EXCEPTION_ESCAPE.code,
                name: EXCEPTION_ESCAPE.name,
                message: format!(
                    "`{name}` is deleted at the end of its `except` handler in Python 3"
                ),
                start: site.start,
                end: site.end,
                fix: None,
            });
        }
    }
    checker.diagnostics.extend(found);
}
