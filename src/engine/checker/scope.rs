//! Scope analysis on demand: the uses and bindings of names in one scope (a module or a function
//! body), without looking into nested scopes. Rules that ask "is this name bound elsewhere in the
//! scope?" share one computation per scope through [`super::Checker::names_in_scope`].

use rustpython_ast::{ExceptHandler, Expr, ExprContext, Ranged, Stmt};

use super::nodes::{flatten, NodeRef};

/// One use of a name inside a scope.
#[derive(Debug, Clone, Copy)]
pub struct NameSite<'a> {
    pub name: &'a str,
    /// Byte range of the use.
    pub start: usize,
    pub end: usize,
    /// A binding (assignment target, `def`, `import`, `global` ...) rather than a read.
    pub store: bool,
    /// Bound by an `except ... as name:` handler.
    pub handler: bool,
    /// Inside a comprehension (its target, its element, its conditions).
    pub in_comprehension: bool,
    /// Inside an `except` handler that binds the same name.
    pub in_own_handler: bool,
}

/// Every use of a name in `body`, in source order, without looking into nested functions,
/// classes or lambdas (their own names count as bindings of this scope).
pub fn names_in_scope(body: &[Stmt]) -> Vec<NameSite<'_>> {
    let mut sites: Vec<NameSite> = Vec::new();
    // Per flattened entry: (skipped as nested scope, inside a comprehension, handler name).
    let mut flags: Vec<(bool, bool, Option<&str>)> = Vec::new();
    let entries = flatten(body, |_, _| {});
    for entry in &entries {
        let parent = usize::try_from(entry.parent)
            .ok()
            .and_then(|p| Some((flags.get(p).copied()?, entries.get(p)?.node)));
        let (mut nested, mut in_comp, mut handler_name) = (false, false, None);
        if let Some(((p_nested, p_comp, p_handler), p_node)) = parent {
            nested = p_nested
                || matches!(
                    p_node,
                    NodeRef::Stmt(
                        Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
                    ) | NodeRef::Expr(Expr::Lambda(_))
                        | NodeRef::Arguments(_)
                );
            in_comp = p_comp
                || matches!(
                    p_node,
                    NodeRef::Expr(
                        Expr::ListComp(_)
                            | Expr::SetComp(_)
                            | Expr::DictComp(_)
                            | Expr::GeneratorExp(_)
                    )
                );
            handler_name = p_handler;
            if let NodeRef::ExceptHandler(ExceptHandler::ExceptHandler(h)) = p_node {
                if let Some(n) = &h.name {
                    handler_name = Some(n.as_str());
                }
            }
        }
        flags.push((nested, in_comp, handler_name));
        if nested {
            continue;
        }
        match entry.node {
            NodeRef::Expr(Expr::Name(n)) => sites.push(NameSite {
                name: n.id.as_str(),
                start: n.range.start().to_usize(),
                end: n.range.end().to_usize(),
                store: !matches!(n.ctx, ExprContext::Load),
                handler: false,
                in_comprehension: in_comp,
                in_own_handler: handler_name == Some(n.id.as_str()),
            }),
            NodeRef::ExceptHandler(ExceptHandler::ExceptHandler(h)) => {
                if let Some(name) = &h.name {
                    sites.push(binding(name.as_str(), h.range, true, in_comp));
                }
            }
            NodeRef::Stmt(s) => {
                for name in statement_bindings(s) {
                    sites.push(binding(name, s.range(), false, in_comp));
                }
            }
            _ => {}
        }
    }
    sites
}

fn binding(
    name: &str,
    range: rustpython_ast::text_size::TextRange,
    handler: bool,
    in_comprehension: bool,
) -> NameSite<'_> {
    NameSite {
        name,
        start: range.start().to_usize(),
        end: range.end().to_usize(),
        store: true,
        handler,
        in_comprehension,
        in_own_handler: false,
    }
}

/// Names a statement binds by itself (not through `Name` targets): `def`, `class`, imports,
/// `global`, `nonlocal`.
fn statement_bindings(stmt: &Stmt) -> Vec<&str> {
    match stmt {
        Stmt::FunctionDef(f) => vec![f.name.as_str()],
        Stmt::AsyncFunctionDef(f) => vec![f.name.as_str()],
        Stmt::ClassDef(c) => vec![c.name.as_str()],
        Stmt::Import(i) => i
            .names
            .iter()
            .map(|a| match &a.asname {
                Some(asname) => asname.as_str(),
                None => a.name.as_str().split('.').next().unwrap_or(""),
            })
            .collect(),
        Stmt::ImportFrom(i) => i
            .names
            .iter()
            .map(|a| a.asname.as_ref().unwrap_or(&a.name).as_str())
            .collect(),
        Stmt::Global(g) => g.names.iter().map(|n| n.as_str()).collect(),
        Stmt::Nonlocal(n) => n.names.iter().map(|n| n.as_str()).collect(),
        _ => Vec::new(),
    }
}
