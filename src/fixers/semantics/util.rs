//! Helpers shared by the semantics fixers: line positions and indentation taken from the
//! source text, class bodies, and adding a module import.

use rustpython_ast::{Expr, Ranged, Stmt, StmtClassDef, StmtFunctionDef};

use crate::engine::checker::{Checker, NodeRef};
use crate::engine::Edit;

/// Offset of the start of the line that holds `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Offset just after the newline that ends the line holding `offset` (the text's length when
/// that line is the last one and has no newline).
pub fn next_line_start(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| offset + i + 1)
}

/// The blanks that start the line holding `offset`.
pub fn indentation_at(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let line = text.get(start..).unwrap_or("");
    let end = line
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(line.len());
    line.get(..end).unwrap_or("")
}

/// The newline the text uses (`\r\n` when its first line ends so, else `\n`).
pub fn newline_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// The `def` statements directly in a class body (not nested in `if` blocks).
pub fn methods(class: &StmtClassDef) -> impl Iterator<Item = &StmtFunctionDef> {
    class.body.iter().filter_map(|s| match s {
        Stmt::FunctionDef(f) => Some(f),
        _ => None,
    })
}

/// Whether the class body binds `name` directly: `def name`, `name = ...`, `name: T = ...`,
/// or binds it inside an `if`/`try` block of the body.
pub fn class_defines(class: &StmtClassDef, name: &str) -> bool {
    block_defines(&class.body, name)
}

fn block_defines(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|s| match s {
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::AsyncFunctionDef(f) => f.name.as_str() == name,
        Stmt::Assign(a) => a.targets.iter().any(|t| names(t, name)),
        Stmt::AnnAssign(a) => names(&a.target, name),
        Stmt::If(i) => block_defines(&i.body, name) || block_defines(&i.orelse, name),
        Stmt::Try(t) => {
            block_defines(&t.body, name)
                || block_defines(&t.orelse, name)
                || block_defines(&t.finalbody, name)
        }
        _ => false,
    })
}

fn names(target: &Expr, name: &str) -> bool {
    match target {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Tuple(t) => t.elts.iter().any(|e| names(e, name)),
        Expr::List(l) => l.elts.iter().any(|e| names(e, name)),
        _ => false,
    }
}

/// The module's statements, found from the node being visited (through its top-level
/// statement's enclosing block).
pub fn module_suite<'a>(checker: &Checker<'a>) -> Option<&'a [Stmt]> {
    let top = checker
        .ancestors()
        .filter_map(NodeRef::as_stmt)
        .last()
        .or_else(|| checker.current_statement())?;
    checker.enclosing_block(top)
}

/// An edit adding `import module` to the module, after its docstring and its
/// `from __future__` imports; `None` when `module` is already imported under its own name
/// (or the suite cannot be found).
pub fn add_module_import(checker: &Checker, module: &str) -> Option<Edit> {
    if checker.semantic().is_module_alias(module, module) {
        return None;
    }
    let suite = module_suite(checker)?;
    let text = checker.text;
    let newline = newline_of(text);
    let mut after = None;
    for (i, stmt) in suite.iter().enumerate() {
        let is_docstring = i == 0
            && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(),
                Expr::Constant(c) if c.value.is_str()));
        let is_future = matches!(stmt, Stmt::ImportFrom(f)
            if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
        if is_docstring || is_future {
            after = Some(stmt.range().end().to_usize());
        } else {
            break;
        }
    }
    Some(match after {
        Some(end) => {
            let at = next_line_start(text, end);
            if at == text.len() && !text.ends_with('\n') {
                Edit::insert(at, format!("{newline}import {module}{newline}"))
            } else {
                Edit::insert(at, format!("import {module}{newline}"))
            }
        }
        None => {
            // Before the first statement, keeping a shebang / coding comment above it.
            let at = suite.first().map_or(text.len(), |s| {
                line_start(text, s.range().start().to_usize())
            });
            Edit::insert(at, format!("import {module}{newline}"))
        }
    })
}
