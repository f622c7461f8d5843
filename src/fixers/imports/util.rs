//! Helpers shared by the import fixers: adding an import a fix needs, finding the module name in
//! a `from` import, module-alias checks and whole-statement removal.

use rustpython_ast::{Expr, Ranged, Stmt};

use crate::engine::checker::Checker;
use crate::engine::Edit;

/// Whether `import module` (without `as`) is in the module.
pub fn has_plain_import(checker: &Checker, module: &str) -> bool {
    checker
        .semantic()
        .imports()
        .iter()
        .any(|i| i.from.is_none() && i.name == module && i.asname.is_none())
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
