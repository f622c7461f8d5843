//! Helpers shared by the semantics fixers: line positions and indentation taken from the
//! source text, and class bodies.

use rustpython_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};

pub use crate::source::first_newline as newline_of;

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
