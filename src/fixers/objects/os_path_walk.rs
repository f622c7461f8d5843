use rustpython_ast::{Expr, Ranged, Stmt};

use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

/// The names the loop binds (skipped when the module uses any of them).
const DIR: &str = "_walk_dir";
const SUBDIRS: &str = "_walk_subdirs";
const NAMES: &str = "_walk_names";
const FILES: &str = "_walk_files";

declare_fixer! {
    /// ## What it does
    /// Rewrites the statement `os.path.walk(top, visit, arg)`, which Python 3 removed, as a
    /// loop over `os.walk(top)` that calls `visit(arg, dirname, names)` for each directory
    /// with `names = os.listdir(dirname)` (Python 2's list, in its order), then descends into
    /// the entries of `names` that are directories and not symbolic links, in that order, as
    /// Python 2 did (so `visit` can still prune `names` in place).
    ///
    /// ## Why
    /// `os.path.walk` raises `AttributeError` in Python 3; `os.walk` is a generator with
    /// another interface.
    ///
    /// ## Example
    /// ```python
    /// os.path.walk(root, visit, found)
    /// ```
    /// becomes
    /// ```python
    /// for _walk_dir, _walk_subdirs, _walk_files in os.walk(root):
    ///     _walk_names = os.listdir(_walk_dir)
    ///     visit(found, _walk_dir, _walk_names)
    ///     _walk_subdirs[:] = [n for n in _walk_names if os.path.isdir(os.path.join(_walk_dir, n)) and not os.path.islink(os.path.join(_walk_dir, n))]
    /// ```
    ///
    /// ## Limits
    /// Only a statement of its own line(s), outside class bodies, whose `visit` and `arg` are
    /// names or constants (the loop reads them once per directory), with `os` the module;
    /// other uses are reported. A directory removed between `os.walk` listing it and the
    /// loop's `os.listdir` raises where Python 2 skipped it.
    pub OS_PATH_WALK = FixerSpec {
        code: "PY333",
        name: "os-path-walk",
        summary: "os.path.walk(top, visit, arg) -> a loop over os.walk(top)",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| s.mentions_attribute("walk") && s.imports_module("os")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(walk) = expr else { return };
    if walk.attr.as_str() != "walk" {
        return;
    }
    let Expr::Attribute(path) = walk.value.as_ref() else {
        return;
    };
    let Expr::Name(os) = path.value.as_ref() else {
        return;
    };
    if path.attr.as_str() != "path" || !is_os_module(checker, os.id.as_str()) {
        return;
    }
    let fix = rewrite(checker, expr, os.id.as_str()).map(Fix::safe);
    let message = "`os.path.walk` is gone in Python 3: loop over `os.walk(top)`";
    checker.report(&OS_PATH_WALK, expr, message, fix);
}

/// Whether `name` is bound only by `import os` / `import os.path` (`import os as name`).
fn is_os_module(checker: &Checker, name: &str) -> bool {
    let semantic = checker.semantic();
    let imports = semantic
        .imports()
        .iter()
        .filter(|i| i.from.is_none() && i.level == 0 && i.bound_name() == name)
        .collect::<Vec<_>>();
    let os_only = imports
        .iter()
        .all(|i| i.name == "os" || (i.name == "os.path" && i.asname.is_none()));
    !imports.is_empty()
        && os_only
        && u32::try_from(imports.len()).ok() == Some(semantic.bindings(name))
}

/// The edit replacing the statement `os.path.walk(top, visit, arg)` (the call of `func`) with
/// the loop; `None` when it is not such a statement or the loop would not be the same.
fn rewrite(checker: &Checker, func: &Expr, os: &str) -> Option<Vec<Edit>> {
    let mut ancestors = checker.ancestors();
    let Some(NodeRef::Expr(call_expr @ Expr::Call(call))) = ancestors.next() else {
        return None;
    };
    let Some(NodeRef::Stmt(stmt @ Stmt::Expr(statement))) = ancestors.next() else {
        return None;
    };
    if !std::ptr::eq(statement.value.as_ref(), call_expr)
        || !std::ptr::eq(call.func.as_ref(), func)
        || !call.keywords.is_empty()
    {
        return None;
    }
    let [top, visit, arg] = call.args.as_slice() else {
        return None;
    };
    let plain = |e: &Expr| matches!(e, Expr::Name(_) | Expr::Constant(_));
    if matches!(top, Expr::Starred(_)) || !plain(visit) || !plain(arg) {
        return None;
    }
    // A class body's comprehension cannot see the loop's names.
    if matches!(ancestors.next(), Some(NodeRef::Stmt(Stmt::ClassDef(_)))) {
        return None;
    }
    let semantic = checker.semantic();
    if [DIR, SUBDIRS, NAMES, FILES]
        .iter()
        .any(|n| semantic.mentions(n))
    {
        return None;
    }
    let text = checker.text;
    let start = stmt.range().start().to_usize();
    let end = stmt.range().end().to_usize();
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..start)?;
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let rest = text.get(end..)?;
    let tail = rest.get(..rest.find('\n').unwrap_or(rest.len()))?;
    let tail = tail.trim_start_matches([' ', '\t', '\r']);
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    let nl = crate::fixers::semantics::util::newline_of(text);
    let (top, visit, arg) = (
        checker.source(top),
        checker.source(visit),
        checker.source(arg),
    );
    let join = format!("{os}.path.join({DIR}, n)");
    let lines = [
        format!("for {DIR}, {SUBDIRS}, {FILES} in {os}.walk({top}):"),
        format!("{indent}{unit}{NAMES} = {os}.listdir({DIR})"),
        format!("{indent}{unit}{visit}({arg}, {DIR}, {NAMES})"),
        format!(
            "{indent}{unit}{SUBDIRS}[:] = [n for n in {NAMES} if {os}.path.isdir({join}) and not {os}.path.islink({join})]"
        ),
    ];
    Some(vec![Edit::replace(start, end, lines.join(nl))])
}
