//! Simple facts about a whole module, gathered while it is flattened: which names are bound
//! anywhere, how often they are read or called, what is imported from where, which
//! `from __future__` features are on.
//!
//! Scopes are not modelled: a name bound anywhere in the module counts as bound everywhere. That
//! is the conservative answer for fixers that must not touch a rebound builtin.

use rustc_hash::FxHashMap;

use rustpython_ast::{ExceptHandler, Expr, ExprContext, Operator, Pattern, Stmt};

use super::nodes::NodeRef;
use crate::engine::segments::{self, queried};

/// How a name is used across the module.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NameUse {
    /// Binding sites: assignment and `for`/`with`/`except` targets, `def`, `class`, imports,
    /// parameters, `global`/`nonlocal`, `del`, match captures. Methods (a `def` directly in a
    /// class body) are not counted: they bind a class attribute, not a name code can see.
    pub bindings: u32,
    /// Reads (`Name` in load context), calls included.
    pub loads: u32,
    /// Reads that are the called function of a call: `name(...)`.
    pub calls: u32,
    /// `def name(...)` anywhere, methods included.
    pub function_defs: u32,
    /// `something.name = ...` or `del something.name`.
    pub attribute_stores: u32,
    /// Uses that need a list, not just a sequence: `name.append(...)` (and the other
    /// list-only methods), `name + ...`, `name * ...`, `name[i] = ...`, `del name[i]`,
    /// `name += ...`, `shuffle(name)`.
    pub list_uses: u32,
    /// Bindings by an `import` or `from ... import` statement.
    pub imports: u32,
}

/// Methods that lists have and other sequences (`range`, tuples, views) do not.
pub const LIST_ONLY_METHODS: &[&str] = &[
    "append", "extend", "insert", "remove", "pop", "sort", "reverse", "clear",
];

/// One imported name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Import<'a> {
    /// `Some("itertools")` for `from itertools import imap`, `None` for `import itertools`.
    pub from: Option<&'a str>,
    /// The imported name: `imap`, or the module path `os.path` for `import os.path`.
    pub name: &'a str,
    /// The `as` name, if any.
    pub asname: Option<&'a str>,
    /// Relative import level (`from . import x` is 1).
    pub level: u32,
}

impl<'a> Import<'a> {
    /// The name this import binds in the module.
    pub fn bound_name(&self) -> &'a str {
        match (self.asname, self.from) {
            (Some(asname), _) => asname,
            (None, Some(_)) => self.name,
            (None, None) => self.name.split('.').next().unwrap_or(self.name),
        }
    }
}

/// Module-wide facts for fixers.
#[derive(Debug, Default)]
pub struct Semantic<'a> {
    names: FxHashMap<&'a str, NameUse>,
    /// Every attribute name read or written (`x.name`), for [`Semantic::mentions_attribute`].
    attributes: rustc_hash::FxHashSet<&'a str>,
    imports: Vec<Import<'a>>,
    futures: Vec<&'a str>,
    u_literals: bool,
}

impl<'a> Semantic<'a> {
    /// How `name` is used in the module (all zero when it never appears).
    #[inline]
    pub fn name_use(&self, name: &str) -> NameUse {
        queried(name);
        self.uses(name)
    }

    /// How many times `name` is bound in the module ([`NameUse::bindings`]).
    #[inline]
    pub fn bindings(&self, name: &str) -> u32 {
        segments::queried_binding(name);
        self.uses(name).bindings
    }

    /// How many times an import binds `name` ([`NameUse::imports`]).
    #[inline]
    pub fn imports_binding(&self, name: &str) -> u32 {
        segments::queried_binding(name);
        self.uses(name).imports
    }

    /// [`Semantic::name_use`] without telling [`segments`] (what a query of one kind reads).
    #[inline]
    fn uses(&self, name: &str) -> NameUse {
        self.names.get(name).copied().unwrap_or_default()
    }

    /// Whether `name` appears in the module as a name (read, bound or deleted), or is bound by a
    /// `def`, `class`, import or parameter.
    pub fn mentions(&self, name: &str) -> bool {
        queried(name);
        self.names.contains_key(name)
    }

    /// Whether some `x.attribute` in the module has this attribute name.
    pub fn mentions_attribute(&self, attribute: &str) -> bool {
        queried(attribute);
        self.attributes.contains(attribute)
    }

    /// Whether the module has `import module` (under any name).
    pub fn imports_module(&self, module: &str) -> bool {
        queried(module);
        self.imports
            .iter()
            .any(|i| i.from.is_none() && i.level == 0 && i.name == module)
    }

    /// Whether the module imports something called `name` from a module (under any name).
    pub fn imports_name(&self, name: &str) -> bool {
        queried(name);
        self.imports
            .iter()
            .any(|i| i.from.is_some() && i.name == name)
    }

    /// Whether a call of a function or method called `name` may be in the module: the name is
    /// mentioned, an attribute has it, or something of that name is imported (maybe renamed).
    pub fn may_call(&self, name: &str) -> bool {
        self.mentions(name) || self.mentions_attribute(name) || self.imports_name(name)
    }

    /// Whether `name` is bound anywhere in the module (so it may not be the builtin).
    #[inline]
    pub fn is_bound(&self, name: &str) -> bool {
        let bound = self.uses(name).bindings > 0;
        // Bound here, bound in any bigger module: only a "no" can change.
        if !bound {
            segments::queried_binding(name);
        }
        bound
    }

    /// Whether `name` can only mean the builtin of that name: never bound in this module.
    #[inline]
    pub fn is_builtin(&self, name: &str) -> bool {
        !self.is_bound(name)
    }

    /// Whether a function or method called `name` is defined anywhere in the module.
    pub fn defines_function(&self, name: &str) -> bool {
        queried(name);
        self.uses(name).function_defs > 0
    }

    /// Every import in the module, in source order.
    pub fn imports(&self) -> &[Import<'a>] {
        segments::note(segments::Flag::ImportsListed);
        &self.imports
    }

    /// The `from module import name [as x]` that binds `bound`, if any (absolute imports only).
    pub fn imported_from(&self, module: &str, bound: &str) -> Option<&Import<'a>> {
        // Another import binding `bound` is a binding of it.
        if self.imports_binding(bound) == 0 {
            return None;
        }
        self.imports
            .iter()
            .find(|i| i.level == 0 && i.from == Some(module) && i.bound_name() == bound)
    }

    /// Whether `bound` is a name for the module `module` (`import itertools`,
    /// `import itertools as it`) and is bound nowhere else (it may be imported more than once).
    pub fn is_module_alias(&self, module: &str, bound: &str) -> bool {
        // Every import it counts binds `bound`.
        if self.imports_binding(bound) == 0 {
            return false;
        }
        let imports = self
            .imports
            .iter()
            .filter(|i| {
                i.from.is_none() && i.name == module && i.bound_name() == bound && i.level == 0
            })
            .count();
        imports > 0 && u32::try_from(imports).ok() == Some(self.uses(bound).bindings)
    }

    /// Whether a string literal of the module has the `u` prefix (the text still tells Python 2
    /// byte strings from unicode ones).
    pub fn has_u_literals(&self) -> bool {
        segments::note(segments::Flag::ULiteralsQueried);
        self.u_literals
    }

    /// Whether `from __future__ import feature` is present.
    pub fn has_future(&self, feature: &str) -> bool {
        queried(feature);
        self.futures.contains(&feature)
    }

    /// Every string a query can match (names, attributes, import parts, `__future__` features)
    /// passed to `key`, with whether the module binds it; and whether the module imports anything and has a `u''` literal. What a
    /// segment of a big file tells the model ([`segments::PartFacts`]).
    pub(crate) fn summary(&self, mut key: impl FnMut(&str, bool)) -> (bool, bool) {
        for (name, uses) in &self.names {
            key(name, uses.bindings > 0);
        }
        for name in self.attributes.iter().chain(&self.futures) {
            key(name, false);
        }
        for import in &self.imports {
            key(import.name, false);
            key(import.bound_name(), true);
            for part in import.name.split('.').chain(import.from) {
                key(part, false);
            }
            if let Some(asname) = import.asname {
                key(asname, true);
            }
        }
        (!self.imports.is_empty(), self.u_literals)
    }

    fn entry(&mut self, name: &'a str) -> &mut NameUse {
        self.names.entry(name).or_default()
    }

    fn define_function(&mut self, name: &'a str, method: bool) {
        if !method {
            self.bind(name);
        }
        let e = self.entry(name);
        e.function_defs = e.function_defs.saturating_add(1);
    }

    fn list_use(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            let u = self.entry(n.id.as_str());
            u.list_uses = u.list_uses.saturating_add(1);
        }
    }

    fn bind(&mut self, name: &'a str) {
        let e = self.entry(name);
        e.bindings = e.bindings.saturating_add(1);
    }

    /// Records what one node tells about names.
    pub(crate) fn observe(&mut self, node: NodeRef<'a>, parent: Option<NodeRef<'a>>) {
        match node {
            NodeRef::Stmt(s) => {
                let in_class = matches!(parent, Some(NodeRef::Stmt(Stmt::ClassDef(_))));
                self.observe_stmt(s, in_class)
            }
            NodeRef::Expr(e) => {
                if let Expr::Constant(c) = e {
                    if c.kind
                        .as_deref()
                        .is_some_and(|k| k.eq_ignore_ascii_case("u"))
                    {
                        self.u_literals = true;
                    }
                }
                self.observe_expr(e)
            }
            NodeRef::Arguments(a) => {
                for arg in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
                    self.bind(arg.def.arg.as_str());
                }
                for arg in a.vararg.iter().chain(&a.kwarg) {
                    self.bind(arg.arg.as_str());
                }
            }
            NodeRef::ExceptHandler(ExceptHandler::ExceptHandler(h)) => {
                if let Some(name) = &h.name {
                    self.bind(name.as_str());
                }
            }
            NodeRef::Pattern(p) => match p {
                Pattern::MatchAs(a) => {
                    if let Some(name) = &a.name {
                        self.bind(name.as_str());
                    }
                }
                Pattern::MatchStar(s) => {
                    if let Some(name) = &s.name {
                        self.bind(name.as_str());
                    }
                }
                Pattern::MatchMapping(m) => {
                    if let Some(name) = &m.rest {
                        self.bind(name.as_str());
                    }
                }
                _ => {}
            },
            NodeRef::Comprehension(_)
            | NodeRef::Keyword(_)
            | NodeRef::WithItem(_)
            | NodeRef::MatchCase(_) => {}
        }
    }

    fn observe_stmt(&mut self, s: &'a Stmt, in_class: bool) {
        match s {
            Stmt::FunctionDef(f) => self.define_function(f.name.as_str(), in_class),
            Stmt::AsyncFunctionDef(f) => self.define_function(f.name.as_str(), in_class),
            Stmt::ClassDef(c) => self.bind(c.name.as_str()),
            Stmt::Import(i) => {
                for alias in &i.names {
                    let import = Import {
                        from: None,
                        name: alias.name.as_str(),
                        asname: alias.asname.as_ref().map(|a| a.as_str()),
                        level: 0,
                    };
                    self.bind(import.bound_name());
                    let e = self.entry(import.bound_name());
                    e.imports = e.imports.saturating_add(1);
                    self.imports.push(import);
                }
            }
            Stmt::ImportFrom(i) => {
                let module = i.module.as_ref().map_or("", |m| m.as_str());
                let level = i.level.map_or(0, |l| l.to_u32());
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        continue;
                    }
                    let import = Import {
                        from: Some(module),
                        name: alias.name.as_str(),
                        asname: alias.asname.as_ref().map(|a| a.as_str()),
                        level,
                    };
                    if module == "__future__" && level == 0 {
                        self.futures.push(alias.name.as_str());
                    }
                    self.bind(import.bound_name());
                    let e = self.entry(import.bound_name());
                    e.imports = e.imports.saturating_add(1);
                    self.imports.push(import);
                }
            }
            Stmt::AugAssign(a) if matches!(a.op, Operator::Add | Operator::Mult) => {
                self.list_use(&a.target);
            }
            Stmt::Global(g) => {
                for name in &g.names {
                    self.bind(name.as_str());
                }
            }
            Stmt::Nonlocal(n) => {
                for name in &n.names {
                    self.bind(name.as_str());
                }
            }
            _ => {}
        }
    }

    fn observe_expr(&mut self, e: &'a Expr) {
        if let Expr::Attribute(a) = e {
            self.attributes.insert(a.attr.as_str());
        }
        match e {
            Expr::Name(n) => match n.ctx {
                ExprContext::Load => {
                    let u = self.entry(n.id.as_str());
                    u.loads = u.loads.saturating_add(1);
                }
                ExprContext::Store | ExprContext::Del => self.bind(n.id.as_str()),
            },
            Expr::Call(c) => match c.func.as_ref() {
                Expr::Name(n) => {
                    let u = self.entry(n.id.as_str());
                    u.calls = u.calls.saturating_add(1);
                    if n.id.as_str() == "shuffle" {
                        if let Some(first) = c.args.first() {
                            self.list_use(first);
                        }
                    }
                }
                Expr::Attribute(a) => {
                    if LIST_ONLY_METHODS.contains(&a.attr.as_str()) {
                        self.list_use(&a.value);
                    } else if a.attr.as_str() == "shuffle" {
                        if let Some(first) = c.args.first() {
                            self.list_use(first);
                        }
                    }
                }
                _ => {}
            },
            Expr::BinOp(b) if matches!(b.op, Operator::Add | Operator::Mult) => {
                self.list_use(&b.left);
                self.list_use(&b.right);
            }
            Expr::Subscript(s) if !matches!(s.ctx, ExprContext::Load) => self.list_use(&s.value),
            Expr::Attribute(a) if !matches!(a.ctx, ExprContext::Load) => {
                let u = self.entry(a.attr.as_str());
                u.attribute_stores = u.attribute_stores.saturating_add(1);
            }
            _ => {}
        }
    }
}
