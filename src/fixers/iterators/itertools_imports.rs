use rustpython_ast::{Expr, ExprContext, Stmt};

use super::itertools_functions::{builtin_for, is_bare_itertools_name, renamed};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// In `from itertools import ...`, drops `imap`, `ifilter` and `izip` (their calls become
    /// the builtins, see `itertools-functions`) and renames `ifilterfalse` and
    /// `izip_longest` to `filterfalse` and `zip_longest`, along with their uses. An import
    /// left empty is removed (or becomes `pass` where a statement is required).
    ///
    /// ## Why
    /// These names do not exist in Python 3's `itertools`: the import fails.
    ///
    /// ## Example
    /// ```python
    /// from itertools import imap, izip_longest, chain
    /// pairs = izip_longest(a, b)
    /// ```
    /// becomes
    /// ```python
    /// from itertools import zip_longest, chain
    /// pairs = zip_longest(a, b)
    /// ```
    ///
    /// ## Limits
    /// A name is dropped only when every use of it is a call that `itertools-functions` (which
    /// must be enabled) rewrites; names imported with `as` are only reported.
    pub ITERTOOLS_IMPORTS = FixerSpec {
        code: "PY111",
        name: "itertools-imports",
        summary: "from itertools import imap/izip/... fixed for Python 3",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_import), expr: Some(check_name), expr_kinds: expr_kinds::NAME, expr_relevant: None }),
    }
}

/// What to do with one imported name.
enum Action {
    Keep,
    Remove,
    Rename(&'static str),
}

fn check_import(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ImportFrom(import) = stmt else {
        return;
    };
    let is_itertools = import
        .module
        .as_ref()
        .is_some_and(|m| m.as_str() == "itertools")
        && import.level.map_or(0, |l| l.to_u32()) == 0;
    if !is_itertools {
        return;
    }
    if checker.six() {
        check_import_six(stmt, import, checker);
        return;
    }
    let semantic = checker.semantic();
    let mut unfixable = false;
    let actions: Vec<Action> = import
        .names
        .iter()
        .map(|alias| {
            let name = alias.name.as_str();
            let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
            let uses = semantic.name_use(bound);
            if let Some(new) = renamed(name) {
                if alias.asname.is_some() || uses.bindings == 1 {
                    return Action::Rename(new);
                }
            } else if let Some(builtin) = builtin_for(name) {
                let calls_rewritten = uses.loads == uses.calls
                    && checker.is_builtin(builtin)
                    && checker.is_enabled(super::itertools_functions::ITERTOOLS_FUNCTIONS.code);
                if alias.asname.is_none()
                    && (uses.loads == 0 || (uses.bindings == 1 && calls_rewritten))
                {
                    return Action::Remove;
                }
            } else {
                return Action::Keep;
            }
            unfixable = true;
            Action::Keep
        })
        .collect();
    if actions.iter().all(|a| matches!(a, Action::Keep)) {
        if unfixable {
            let message = "this name is not in Python 3's `itertools`";
            checker.report(&ITERTOOLS_IMPORTS, stmt, message, None);
        }
        return;
    }
    let mut edits = Vec::new();
    if actions.iter().all(|a| matches!(a, Action::Remove)) {
        edits.push(checker.remove_statement(stmt));
    } else {
        let aliases = &import.names;
        for (i, (alias, action)) in aliases.iter().zip(&actions).enumerate() {
            let start = alias.range.start().to_usize();
            let end = alias.range.end().to_usize();
            match action {
                Action::Keep => {}
                Action::Rename(new) => {
                    edits.push(Edit::replace(start, start + alias.name.len(), *new))
                }
                Action::Remove => {
                    let kept_after = actions
                        .get(i + 1..)
                        .is_some_and(|rest| rest.iter().any(|a| !matches!(a, Action::Remove)));
                    match (
                        kept_after,
                        aliases.get(i + 1),
                        i.checked_sub(1).and_then(|p| aliases.get(p)),
                    ) {
                        (true, Some(next), _) => {
                            edits.push(Edit::delete(start, next.range.start().to_usize()));
                        }
                        (false, _, Some(previous)) => {
                            edits.push(Edit::delete(previous.range.end().to_usize(), end));
                        }
                        _ => return,
                    }
                }
            }
        }
    }
    let message = if unfixable {
        "some of these names are not in Python 3's `itertools`"
    } else {
        "`imap`, `ifilter`, `izip`, `ifilterfalse`, `izip_longest` are not in Python 3's `itertools`"
    };
    checker.report(&ITERTOOLS_IMPORTS, stmt, message, Some(Fix::safe(edits)));
}

fn check_name(expr: &Expr, checker: &mut Checker) {
    // Under `--target six` the names keep theirs (see `check_import_six`).
    if checker.six() {
        return;
    }
    let Expr::Name(name) = expr else { return };
    let id = name.id.as_str();
    let Some(new) = renamed(id) else { return };
    if !matches!(name.ctx, ExprContext::Load) || !is_bare_itertools_name(checker, id) {
        return;
    }
    let r = name.range;
    let fix = Fix::safe(vec![Edit::replace_range(r, new)]);
    let message = format!("`itertools.{id}` is `itertools.{new}` in Python 3");
    checker.report(&ITERTOOLS_IMPORTS, expr, message, Some(fix));
}

/// `--target six`: `from itertools import imap, chain` -> `from itertools import chain` and
/// `from six.moves import map as imap`: the names stay, bound to the iterator of both versions.
fn check_import_six(stmt: &Stmt, import: &rustpython_ast::StmtImportFrom, checker: &mut Checker) {
    let text = checker.text;
    let mut kept = Vec::new();
    let mut moved = Vec::new();
    for alias in &import.names {
        let name = alias.name.as_str();
        let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
        match renamed(name).or_else(|| builtin_for(name)) {
            Some(new) if new == bound => moved.push(new.to_string()),
            Some(new) => moved.push(format!("{new} as {bound}")),
            None => kept.push(checker.source(alias).to_string()),
        }
    }
    if moved.is_empty() {
        return;
    }
    let Some(indent) = crate::fixers::imports::util::statement_indent(text, stmt) else {
        return;
    };
    let mut lines = Vec::new();
    if !kept.is_empty() {
        lines.push(format!("from itertools import {}", kept.join(", ")));
    }
    lines.push(format!("from six.moves import {}", moved.join(", ")));
    let nl = crate::fixers::semantics::util::newline_of(text);
    let r = rustpython_ast::Ranged::range(stmt);
    let fix = Fix::safe(vec![Edit::replace_range(
        r,
        lines.join(&format!("{nl}{indent}")),
    )]);
    let message = "these names are not in Python 3's `itertools`: `six.moves` has them on both";
    checker.report(&ITERTOOLS_IMPORTS, stmt, message, Some(fix));
}
