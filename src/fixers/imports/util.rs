//! Helpers shared by the import fixers: adding an import a fix needs, finding the module name in
//! a `from` import, module-alias checks and whole-statement removal.

use rustpython_ast::{Constant, Expr, Ranged, Stmt};

use crate::engine::checker::{Checker, NodeRef};
use crate::engine::Edit;
use crate::fixers::semantics::util::newline_of;

/// The statements of the module being checked (found through the top-level statement that
/// holds the node being visited).
pub fn module_suite<'a>(checker: &Checker<'a>) -> Option<&'a [Stmt]> {
    let top = checker
        .ancestors()
        .filter_map(NodeRef::as_stmt)
        .last()
        .or_else(|| checker.current_statement())?;
    checker.enclosing_block(top)
}

/// Whether `import module` (without `as`) is in the module.
pub fn has_plain_import(checker: &Checker, module: &str) -> bool {
    checker
        .semantic()
        .imports()
        .iter()
        .any(|i| i.from.is_none() && i.name == module && i.asname.is_none())
}

/// An edit adding the line `statement` (e.g. `import sys`) after the module docstring and the
/// `from __future__` imports; `None` when the module cannot be found.
pub fn add_import_line(checker: &Checker, statement: &str) -> Option<Edit> {
    let suite = module_suite(checker)?;
    let mut after: Option<&Stmt> = None;
    for (i, stmt) in suite.iter().enumerate() {
        let docstring = i == 0
            && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(),
                Expr::Constant(c) if matches!(c.value, Constant::Str(_))));
        let future = matches!(stmt, Stmt::ImportFrom(f)
            if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
        if docstring || future {
            after = Some(stmt);
        } else {
            break;
        }
    }
    let text = checker.text;
    let nl = newline_of(text);
    let Some(last) = after else {
        // Before the first statement, below a `#!` line, a coding cookie and leading comments.
        let at = suite.first().map_or(text.len(), |s| {
            let start = s.range().start().to_usize();
            text.get(..start)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |i| i + 1)
        });
        return Some(Edit::insert(at, format!("{statement}{nl}")));
    };
    let end = last.range().end().to_usize();
    let rest = text.get(end..)?;
    Some(match rest.find('\n') {
        Some(p) => Edit::insert(
            end.checked_add(p)?.checked_add(1)?,
            format!("{statement}{nl}"),
        ),
        None => Edit::insert(text.len(), format!("{nl}{statement}{nl}")),
    })
}

/// The edit adding `import module` unless the module already has it.
pub fn ensure_import(checker: &Checker, module: &str) -> Option<Vec<Edit>> {
    if has_plain_import(checker, module) {
        return Some(Vec::new());
    }
    add_import_line(checker, &format!("import {module}")).map(|e| vec![e])
}

/// Whether `name` is a plain module alias bound only by `import module` statements (every
/// binding of the name in the file is one of them), so a rename of its uses is safe.
pub fn is_only_module(checker: &Checker, module: &str, name: &str) -> bool {
    let semantic = checker.semantic();
    let imports = semantic
        .imports()
        .iter()
        .filter(|i| i.from.is_none() && i.name == module && i.bound_name() == name)
        .count();
    imports > 0 && u32::try_from(imports).ok() == Some(semantic.bindings(name))
}

/// Byte range of the module name in `from module import ...` (absolute imports only).
pub fn from_module_range(text: &str, stmt: &Stmt, module: &str) -> Option<(usize, usize)> {
    let start = stmt.range().start().to_usize();
    let rest = text.get(start..)?.strip_prefix("from")?;
    let skipped = rest.len()
        - rest
            .trim_start_matches([' ', '\t', '\\', '\n', '\r', '\x0c'])
            .len();
    let name_start = start.checked_add(4)?.checked_add(skipped)?;
    let name_end = name_start.checked_add(module.len())?;
    if text.get(name_start..name_end)? != module {
        return None;
    }
    let next = text.get(name_end..)?.chars().next();
    if next.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        return None;
    }
    Some((name_start, name_end))
}

/// Removes a whole statement: its lines when it is alone on them and not alone in its block,
/// else replaces it with `pass`.
pub fn remove_statement(checker: &Checker, stmt: &Stmt) -> Edit {
    let text = checker.text;
    let r = stmt.range();
    let (start, end) = (r.start().to_usize(), r.end().to_usize());
    let pass = Edit::replace(start, end, "pass");
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |p| p + 1);
    let before = text.get(line_start..start).unwrap_or("x");
    let rest = text.get(end..).unwrap_or("");
    let line_end = rest.find('\n').map_or(text.len(), |p| end + p + 1);
    let after = text.get(end..line_end).unwrap_or("x");
    let after_code = after.split('#').next().unwrap_or("");
    let alone_on_line = before.trim().is_empty() && after_code.trim().is_empty();
    let alone_in_block = checker.enclosing_block(stmt).is_none_or(|b| b.len() <= 1);
    if alone_on_line && !alone_in_block {
        Edit::delete(line_start, line_end)
    } else {
        pass
    }
}

/// The indentation of the line where `stmt` starts, when only blanks precede it there.
pub fn statement_indent<'t>(text: &'t str, stmt: &Stmt) -> Option<&'t str> {
    let start = stmt.range().start().to_usize();
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |p| p + 1);
    let indent = text.get(line_start..start)?;
    indent
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some(indent)
}

/// `module.attr` where `module` is a name bound only by `import module`: the attribute name.
pub fn module_attribute<'e>(checker: &Checker, expr: &'e Expr, module: &str) -> Option<&'e str> {
    let Expr::Attribute(a) = expr else {
        return None;
    };
    let Expr::Name(n) = a.value.as_ref() else {
        return None;
    };
    (n.id.as_str() == module && is_only_module(checker, module, module)).then(|| a.attr.as_str())
}

/// The call `name(...)` of a builtin never rebound in the file, without `*args`, `**kwargs` or
/// keywords, with between `min` and `max` arguments.
pub fn builtin_call<'e>(
    checker: &Checker,
    expr: &'e Expr,
    name: &str,
    min: usize,
    max: usize,
) -> Option<&'e rustpython_ast::ExprCall> {
    let Expr::Call(call) = expr else { return None };
    let Expr::Name(func) = call.func.as_ref() else {
        return None;
    };
    let plain = call.keywords.is_empty()
        && !call.args.iter().any(|a| matches!(a, Expr::Starred(_)))
        && (min..=max).contains(&call.args.len());
    (func.id.as_str() == name && checker.is_builtin(name) && plain).then_some(call)
}

/// Whether `name` may be used for a module the fix imports: unbound, or bound only by
/// `import name`.
pub fn module_name_is_free(checker: &Checker, name: &str) -> bool {
    !checker.semantic().is_bound(name) || is_only_module(checker, name, name)
}

/// Replaces the whole range of `node` with `content`.
pub fn replace_node(node: &impl Ranged, content: impl Into<String>) -> Edit {
    let r = node.range();
    Edit::replace(r.start().to_usize(), r.end().to_usize(), content)
}

/// Replaces the attribute name of `value.attr` (not the receiver) with `new`.
pub fn attribute_name_edit(
    text: &str,
    attr: &rustpython_ast::ExprAttribute,
    new: &str,
) -> Option<Edit> {
    crate::fixers::util::attribute_dot(text, attr)?;
    let start = crate::fixers::util::attribute_name_start(attr)?;
    Some(Edit::replace(start, attr.range.end().to_usize(), new))
}
