//! The AST checker: walks a parsed module once and calls each enabled AST fixer's hooks.
//!
//! [`check_module`] flattens the tree once (pre-order, explicit stack, see [`nodes`]), gathering
//! the module-wide [`Semantic`] facts on the way, then calls every enabled fixer's statement or
//! expression hook for each node. A hook sees the node, and through the [`Checker`] the source
//! text, the chain of parents of the node, the semantic facts, and where to push diagnostics.
//!
//! A hook looks at one node and its surroundings, never walks the tree itself:
//!
//! ```ignore
//! fn check(expr: &Expr, checker: &mut Checker) {
//!     let Expr::Call(call) = expr else { return };
//!     // `map` must be the builtin, and the call's result must not be merely iterated.
//!     if called_name(call) != Some("map") || !checker.semantic().is_builtin("map") {
//!         return;
//!     }
//!     if is_consumed_as_iterable(checker, expr, Consumers::default()) {
//!         return;
//!     }
//!     let fix = Fix::safe(wrap_in_call(expr, "list"));
//!     checker.report(&MAP_BUILTIN, expr, "`map()` returns an iterator", Some(fix));
//! }
//! ```
//!
//! Hooks run in pre-order: a node's hooks run before its children's. Edits are byte ranges
//! of `text`; where two fixes overlap, the engine applies one and the next round finds the
//! other again, so a fixer may rewrite a whole construct from slices of the source.

mod edits;
pub mod nodes;
pub mod scope;
pub mod semantic;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use rustpython_ast::{Expr, Ranged, Stmt};

pub use nodes::NodeRef;
pub use scope::NameSite;
pub use semantic::{Import, NameUse, Semantic};

use super::folders::Folders;
use super::spec::{expr_kinds, FixerKind, FixerSpec};
use crate::engine::spec::Target;
use crate::engine::{Diagnostic, Fix};
use nodes::{Entry, NO_PARENT};

type StmtHook = fn(&Stmt, &mut Checker);
/// The name sites of one scope, shared by the rules that ask.
type ScopeSites<'a> = Rc<Vec<NameSite<'a>>>;
type ExprHook = fn(&Expr, &mut Checker);

/// Runs the enabled AST fixers over one parsed module and returns their diagnostics.
///
/// `text` is the text `suite` was parsed from: node ranges are byte offsets into it.
pub fn check_module(text: &str, suite: &[Stmt], enabled: &[&'static FixerSpec]) -> Vec<Diagnostic> {
    check_module_at(text, suite, enabled, None)
}

/// [`check_module`] for the file at `path` (when known), which fixers can read through
/// [`Checker::path`] (e.g. to look for sibling modules next to it).
pub fn check_module_at(
    text: &str,
    suite: &[Stmt],
    enabled: &[&'static FixerSpec],
    path: Option<&Path>,
) -> Vec<Diagnostic> {
    check_module_for(text, suite, enabled, path, Target::Py3)
}

/// [`check_module_at`] for code that must run on `target` (see [`Checker::target`]).
pub fn check_module_for(
    text: &str,
    suite: &[Stmt],
    enabled: &[&'static FixerSpec],
    path: Option<&Path>,
    target: Target,
) -> Vec<Diagnostic> {
    let facts = FileFacts {
        path,
        target,
        ..FileFacts::default()
    };
    check_module_with(text, suite, enabled, facts)
}

/// What the pipeline knows about a file beyond the text the AST fixers see.
#[derive(Clone, Copy, Default)]
pub struct FileFacts<'a> {
    /// The path of the file, when the text comes from one.
    pub path: Option<&'a Path>,
    /// What the folders next to it hold, as the run layer listed them (the relative-import
    /// rule and the module renames read them through [`Checker::folders`]).
    pub folders: Option<&'a dyn Folders>,
    /// What the fixed code must run on.
    pub target: Target,
    /// The author's text had Python-2-only grammar (a `print` statement, backticks, `<>`,
    /// `except E, e`, `raise E, V`, an `exec` statement, `10L`, `0777`, `ur''`...) that the
    /// grammar fixers rewrote, and every `range(...)` call in the text checked is one the author
    /// wrote (the first round of AST fixes, or any round of a file without `xrange`). A second
    /// run on the output never sees this, so a fixer may act on it without making the second
    /// run differ (see [`Checker::is_python2_original`]).
    pub python2_original: bool,
}

/// [`check_module_at`] with everything the pipeline knows about the file.
pub fn check_module_with(
    text: &str,
    suite: &[Stmt],
    enabled: &[&'static FixerSpec],
    facts: FileFacts,
) -> Vec<Diagnostic> {
    let path = facts.path;
    let target = facts.target;
    let ast_hooks = || {
        enabled.iter().filter_map(|spec| match spec.kind {
            FixerKind::Ast(hooks) => Some(hooks),
            FixerKind::Tokens(_) => None,
        })
    };
    if ast_hooks().all(|h| h.stmt.is_none() && h.expr.is_none()) {
        return Vec::new();
    }
    let mut semantic = Semantic::default();
    // In a run of one segment of a big file: what the segment's own nodes tell the model.
    let mut part = crate::engine::segments::PartFacts::new(suite);
    let entries = nodes::flatten(suite, |node, parent| {
        semantic.observe(node, parent);
        part.observe(node, parent);
    });
    part.record();
    let mut stmt_hooks: Vec<StmtHook> = Vec::new();
    // The expression hooks for each kind of expression (see `AstHooks::expr_kinds`), less
    // those that cannot fire in this module (see `AstHooks::expr_relevant`).
    let mut by_kind: [Vec<ExprHook>; expr_kinds::COUNT] = Default::default();
    for hooks in ast_hooks() {
        stmt_hooks.extend(hooks.stmt);
        // A hint, not a decision: a hook that could report on a node runs (see `segments`).
        let relevant = |relevant: fn(&Semantic) -> bool| {
            crate::engine::segments::unrecorded(|| relevant(&semantic))
        };
        if hooks.expr_relevant.is_some_and(|r| !relevant(r)) {
            continue;
        }
        if let Some(hook) = hooks.expr {
            for (bit, list) in by_kind.iter_mut().enumerate() {
                if hooks.expr_kinds == 0 || hooks.expr_kinds & (1 << bit) != 0 {
                    list.push(hook);
                }
            }
        }
    }
    let mut checker = Checker {
        text,
        diagnostics: Vec::new(),
        suite,
        semantic: &semantic,
        entries: &entries,
        current: 0,
        enabled,
        scopes: RefCell::new(HashMap::new()),
        memos: RefCell::new(HashMap::new()),
        path,
        folders: facts.folders,
        python2_original: facts.python2_original,
        target,
    };
    for (index, entry) in entries.iter().enumerate() {
        checker.current = index;
        match entry.node {
            NodeRef::Stmt(s) => {
                for hook in &stmt_hooks {
                    hook(s, &mut checker);
                }
            }
            NodeRef::Expr(e) => {
                let bit = expr_kinds::of(e).trailing_zeros() as usize;
                for hook in by_kind.get(bit).into_iter().flatten() {
                    hook(e, &mut checker);
                }
            }
            _ => {}
        }
    }
    checker.diagnostics
}

/// State shared with AST fixers during the single walk of a module.
pub struct Checker<'a> {
    /// The text that was parsed.
    pub text: &'a str,
    /// Findings collected so far.
    pub diagnostics: Vec<Diagnostic>,
    suite: &'a [Stmt],
    semantic: &'a Semantic<'a>,
    entries: &'a [Entry<'a>],
    current: usize,
    enabled: &'a [&'static FixerSpec],
    /// [`Checker::names_in_scope`] results, by the address and length of the scope's body.
    scopes: RefCell<HashMap<(usize, usize), ScopeSites<'a>>>,
    /// [`Checker::memo`] results, by type.
    memos: RefCell<HashMap<std::any::TypeId, Rc<dyn std::any::Any>>>,
    path: Option<&'a Path>,
    folders: Option<&'a dyn Folders>,
    python2_original: bool,
    target: Target,
}

impl<'a> Checker<'a> {
    /// What the fixed code must run on: [`Target::Six`] asks for code valid on Python 2.7 and 3
    /// (`six`, `from __future__` imports), [`Target::Py3`] for plain Python 3.
    #[inline]
    pub fn target(&self) -> Target {
        self.target
    }

    /// Whether the fixed code must run on Python 2.7 as well as 3 (`--target six`).
    #[inline]
    pub fn six(&self) -> bool {
        self.target == Target::Six
    }

    /// What the folders next to the file hold (see [`FileFacts::folders`]); `None` when the
    /// run did not hand them in (a text without a file, a library call).
    pub fn folders(&self) -> Option<&'a dyn Folders> {
        self.folders
    }

    /// The path of the file being checked, when the text comes from a file.
    pub fn path(&self) -> Option<&'a Path> {
        self.path
    }

    /// Whether the text is the author's Python 2 code with only its grammar rewritten (see
    /// [`FileFacts::python2_original`]): every `range(...)` in it was written as a Python 2
    /// call, none comes from a converted `xrange`. False in Python 3 code, in rounds after a
    /// round that may have converted `xrange`, and in a second run.
    pub fn is_python2_original(&self) -> bool {
        self.python2_original
    }

    /// Module-wide facts: bound names, imports, `__future__` features.
    #[inline]
    pub fn semantic(&self) -> &'a Semantic<'a> {
        self.semantic
    }

    /// The parent of the node being visited (`None` for a top-level statement).
    #[inline]
    pub fn parent(&self) -> Option<NodeRef<'a>> {
        self.ancestors().next()
    }

    /// The parents of the node being visited, nearest first, up to the top-level statement.
    pub fn ancestors(&self) -> Ancestors<'a> {
        let parent = self
            .entries
            .get(self.current)
            .map_or(NO_PARENT, |e| e.parent);
        Ancestors {
            entries: self.entries,
            next: parent,
        }
    }

    /// The nodes inside the parent of the node being visited (the node itself and its
    /// siblings' subtrees included), in source order. A slice scan of the flat tree: no walk.
    pub fn parent_subtree(&self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        let parent = self
            .entries
            .get(self.current)
            .map_or(NO_PARENT, |e| e.parent);
        let entries = self.entries;
        let start = usize::try_from(parent)
            .ok()
            .filter(|p| *p < entries.len())
            .map_or(entries.len(), |p| p + 1);
        let rest = entries.get(start..).unwrap_or(&[]);
        // In pre-order, the subtree ends at the first entry whose parent comes before it.
        rest.iter()
            .take_while(move |e| e.parent >= parent && e.parent != NO_PARENT)
            .map(|e| e.node)
    }

    /// The nearest enclosing statement of the node being visited (itself if it is one).
    pub fn current_statement(&self) -> Option<&'a Stmt> {
        let own = self
            .entries
            .get(self.current)
            .and_then(|e| e.node.as_stmt());
        own.or_else(|| self.ancestors().find_map(NodeRef::as_stmt))
    }

    /// The statements of the block that holds `stmt` (the module, a body, an `else:` ...),
    /// when `stmt` is the statement being visited or one of its parents.
    pub fn enclosing_block(&self, stmt: &Stmt) -> Option<&'a [Stmt]> {
        let holds = |block: &'a [Stmt]| block.iter().any(|s| std::ptr::eq(s, stmt));
        let own = self.entries.get(self.current).map(|e| e.node);
        let mut chain = own.into_iter().chain(self.ancestors());
        // Find `stmt` in the chain, then look in its parent's blocks.
        chain.find(|n| matches!(n, NodeRef::Stmt(s) if std::ptr::eq(*s, stmt)))?;
        let blocks: Vec<&'a [Stmt]> = match chain.next() {
            None => {
                crate::engine::segments::note(crate::engine::segments::Flag::ModuleRead);
                vec![self.suite]
            }
            Some(NodeRef::Stmt(parent)) => statement_blocks(parent),
            Some(NodeRef::ExceptHandler(rustpython_ast::ExceptHandler::ExceptHandler(h))) => {
                vec![&h.body]
            }
            Some(NodeRef::MatchCase(c)) => vec![&c.body],
            Some(_) => Vec::new(),
        };
        blocks.into_iter().find(|b| holds(b))
    }

    /// Every use and binding of a name in the scope whose statements are `body` (see
    /// [`scope::names_in_scope`]), computed once per scope and file whatever the number of rules
    /// and nodes that ask.
    pub fn names_in_scope(&self, body: &'a [Stmt]) -> Rc<Vec<NameSite<'a>>> {
        let key = (body.as_ptr() as usize, body.len());
        if let Some(found) = self.scopes.borrow().get(&key) {
            return Rc::clone(found);
        }
        let sites = Rc::new(scope::names_in_scope(body));
        self.scopes.borrow_mut().insert(key, Rc::clone(&sites));
        sites
    }

    /// A module-wide fact a rule computes once per file (e.g. the names bound to files opened
    /// in binary mode), whatever the number of nodes that ask: `compute` runs on the first call,
    /// later calls get the same value. Each fact has its own type `T`.
    pub fn memo<T: 'static>(&self, compute: impl FnOnce(&Self) -> T) -> Rc<T> {
        let key = std::any::TypeId::of::<T>();
        if let Some(found) = self.memos.borrow().get(&key) {
            if let Ok(value) = Rc::clone(found).downcast::<T>() {
                return value;
            }
        }
        let value = Rc::new(compute(self));
        self.memos
            .borrow_mut()
            .insert(key, Rc::clone(&value) as Rc<dyn std::any::Any>);
        value
    }

    /// Whether `expr` reads the builtin `name`: the name `name` in load context that can only
    /// mean the builtin where it stands ([`Checker::is_builtin`]). The one "this name is the
    /// builtin" test for fixers.
    pub fn reads_builtin(&self, expr: &Expr, name: &str) -> bool {
        matches!(expr, Expr::Name(n) if n.id.as_str() == name
            && matches!(n.ctx, rustpython_ast::ExprContext::Load))
            && self.is_builtin(name)
    }

    /// Whether `name`, read where the visited node is, can only mean the builtin of that name:
    /// bound neither at module level nor in an enclosing function (its parameters included) or
    /// class body, as Python resolves names. A module that declares `global name` anywhere
    /// falls back to the module-wide answer ([`Semantic::is_builtin`]), as do names bound
    /// nowhere (the fast path).
    pub fn is_builtin(&self, name: &str) -> bool {
        // The module-level bindings below count too.
        crate::engine::segments::queried_binding(name);
        if self.semantic.is_builtin(name) {
            return true;
        }
        if self.declared_global(name) {
            return false;
        }
        if self
            .names_in_scope(self.suite)
            .iter()
            .any(|site| site.store && site.name == name)
        {
            return false;
        }
        !self.bound_in_enclosing_scope(name)
    }

    /// Whether a `global name` statement appears anywhere in the module.
    pub fn declared_global(&self, name: &str) -> bool {
        self.memo(global_names).0.iter().any(|g| g == name)
    }

    /// Whether a function (its parameters included), lambda or class body around the visited
    /// node binds `name`, so that a read of `name` here does not reach the module scope. A class
    /// body counts for its own statements only, not for the methods in it.
    pub fn bound_in_enclosing_scope(&self, name: &str) -> bool {
        let binds = |body: &'a [Stmt]| {
            self.names_in_scope(body)
                .iter()
                .any(|site| site.store && site.name == name)
        };
        let mut in_function = false;
        for node in self.ancestors() {
            match node {
                NodeRef::Stmt(Stmt::FunctionDef(f)) => {
                    if has_parameter(&f.args, name) || binds(&f.body) {
                        return true;
                    }
                    in_function = true;
                }
                NodeRef::Stmt(Stmt::AsyncFunctionDef(f)) => {
                    if has_parameter(&f.args, name) || binds(&f.body) {
                        return true;
                    }
                    in_function = true;
                }
                // A class body is a scope for its own statements, not for its methods.
                NodeRef::Stmt(Stmt::ClassDef(c)) if !in_function && binds(&c.body) => {
                    return true;
                }
                NodeRef::Expr(Expr::Lambda(l)) => {
                    if has_parameter(&l.args, name) {
                        return true;
                    }
                    in_function = true;
                }
                _ => {}
            }
        }
        false
    }

    /// The first statement of the module being checked.
    pub fn first_statement(&self) -> Option<&'a Stmt> {
        crate::engine::segments::note(crate::engine::segments::Flag::FirstStatement);
        self.suite.first()
    }

    /// The statements of the module being checked.
    pub fn module(&self) -> &'a [Stmt] {
        crate::engine::segments::note(crate::engine::segments::Flag::ModuleRead);
        self.suite
    }

    /// Whether the fixer with this code is enabled in this run.
    pub fn is_enabled(&self, code: &str) -> bool {
        self.enabled.iter().any(|s| s.code == code)
    }

    /// The source text of a node (empty when the range is not in the text).
    pub fn source(&self, node: &impl Ranged) -> &'a str {
        let r = node.range();
        self.text
            .get(r.start().to_usize()..r.end().to_usize())
            .unwrap_or("")
    }

    /// Pushes a diagnostic of `spec` over `node`'s range; its fix is no safer than the spec
    /// declares ([`FixerSpec::applicability`]).
    pub fn report(
        &mut self,
        spec: &FixerSpec,
        node: &impl Ranged,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        let r = node.range();
        let fix = fix.map(|mut fix| {
            fix.applicability = fix.applicability.min(spec.applicability);
            fix
        });
        self.diagnostics.push(Diagnostic {
            code: spec.code,
            name: spec.name,
            message: message.into(),
            start: r.start().to_usize(),
            end: r.end().to_usize(),
            fix,
        });
    }
}

/// The names some `global` statement of the module declares (a [`Checker::memo`] fact).
struct GlobalNames(Vec<String>);

fn global_names(checker: &Checker) -> GlobalNames {
    let mut names = Vec::new();
    nodes::flatten(checker.suite, |node, _| {
        if let NodeRef::Stmt(Stmt::Global(g)) = node {
            names.extend(g.names.iter().map(|n| n.to_string()));
        }
    });
    GlobalNames(names)
}

/// Whether a `def` or `lambda` has a parameter called `name`.
pub fn has_parameter(args: &rustpython_ast::Arguments, name: &str) -> bool {
    args.posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
        .any(|a| a.def.arg.as_str() == name)
        || args.vararg.as_ref().is_some_and(|a| a.arg.as_str() == name)
        || args.kwarg.as_ref().is_some_and(|a| a.arg.as_str() == name)
}

/// Iterator over the parents of a node, nearest first.
pub struct Ancestors<'a> {
    entries: &'a [Entry<'a>],
    next: u32,
}

impl<'a> Iterator for Ancestors<'a> {
    type Item = NodeRef<'a>;

    fn next(&mut self) -> Option<NodeRef<'a>> {
        let entry = self.entries.get(usize::try_from(self.next).ok()?)?;
        self.next = entry.parent;
        Some(entry.node)
    }
}

/// The bodies of `except` handlers.
fn handler_bodies(handlers: &[rustpython_ast::ExceptHandler]) -> impl Iterator<Item = &[Stmt]> {
    handlers.iter().map(|h| {
        let rustpython_ast::ExceptHandler::ExceptHandler(h) = h;
        h.body.as_slice()
    })
}

/// The statement lists directly inside a compound statement, `except` handler and `case`
/// bodies included.
pub fn statement_blocks(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::FunctionDef(f) => vec![&f.body],
        Stmt::AsyncFunctionDef(f) => vec![&f.body],
        Stmt::ClassDef(c) => vec![&c.body],
        Stmt::For(f) => vec![&f.body, &f.orelse],
        Stmt::AsyncFor(f) => vec![&f.body, &f.orelse],
        Stmt::While(w) => vec![&w.body, &w.orelse],
        Stmt::If(i) => vec![&i.body, &i.orelse],
        Stmt::With(w) => vec![&w.body],
        Stmt::AsyncWith(w) => vec![&w.body],
        Stmt::Try(t) => {
            let mut blocks: Vec<&[Stmt]> = vec![&t.body, &t.orelse, &t.finalbody];
            blocks.extend(handler_bodies(&t.handlers));
            blocks
        }
        Stmt::TryStar(t) => {
            let mut blocks: Vec<&[Stmt]> = vec![&t.body, &t.orelse, &t.finalbody];
            blocks.extend(handler_bodies(&t.handlers));
            blocks
        }
        Stmt::Match(m) => m.cases.iter().map(|c| c.body.as_slice()).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::spec::AstHooks;
    use rustpython_parser::{ast, Parse};

    /// Runs `hook` on every expression of `source` and returns what it reported.
    fn run(source: &str, hook: ExprHook) -> Vec<String> {
        let spec: &'static FixerSpec = Box::leak(Box::new(FixerSpec {
            code: "T001",
            name: "test",
            summary: "",
            doc: "",
            groups: &[],
            default_on: true,
            fixable: true,
            kind: FixerKind::Ast(AstHooks {
                stmt: None,
                expr: Some(hook),
                expr_kinds: 0,
                expr_relevant: None,
            }),
            ..crate::engine::spec::SPEC_DEFAULTS
        }));
        let suite = ast::Suite::parse(source, "<test>").expect("parses");
        check_module(source, &suite, &[spec])
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    fn describe(node: NodeRef) -> &'static str {
        match node {
            NodeRef::Stmt(Stmt::For(_)) => "for",
            NodeRef::Stmt(Stmt::Assign(_)) => "assign",
            NodeRef::Stmt(Stmt::FunctionDef(_)) => "def",
            NodeRef::Stmt(_) => "stmt",
            NodeRef::Expr(Expr::Call(_)) => "call",
            NodeRef::Expr(Expr::ListComp(_)) => "listcomp",
            NodeRef::Expr(_) => "expr",
            NodeRef::Comprehension(_) => "comprehension",
            NodeRef::Keyword(_) => "keyword",
            NodeRef::Arguments(_) => "arguments",
            NodeRef::ExceptHandler(_) => "except",
            NodeRef::WithItem(_) => "with-item",
            NodeRef::MatchCase(_) => "case",
            NodeRef::Pattern(_) => "pattern",
        }
    }

    #[test]
    fn gives_the_chain_of_parents_nearest_first() {
        fn hook(expr: &Expr, checker: &mut Checker) {
            if let Expr::Name(n) = expr {
                if n.id.as_str() == "target" {
                    let chain: Vec<&str> = checker.ancestors().map(describe).collect();
                    checker.diagnostics.push(Diagnostic {
                        code: "T001",
                        name: "test",
                        message: chain.join(" < "),
                        start: 0,
                        end: 0,
                        fix: None,
                    });
                }
            }
        }
        let source = "def f():\n    for x in g([y for y in h(key=target)]):\n        pass\n";
        assert_eq!(
            run(source, hook),
            ["keyword < call < comprehension < listcomp < call < for < def"]
        );
    }

    #[test]
    fn collects_module_facts() {
        fn hook(expr: &Expr, checker: &mut Checker) {
            if !matches!(expr, Expr::Constant(_)) {
                return;
            }
            let s = checker.semantic();
            let facts = format!(
                "bound: {:?}; builtin next: {}; print_function: {}; imap from: {:?}; it is itertools: {}; list uses of r: {}",
                ["map", "a", "b", "e", "g", "k", "m", "p", "q", "w", "z", "Cls"]
                    .iter()
                    .filter(|n| s.is_bound(n))
                    .collect::<Vec<_>>(),
                s.is_builtin("next"),
                s.has_future("print_function"),
                s.imported_from("itertools", "imap").map(|i| i.name),
                s.is_module_alias("itertools", "it"),
                s.name_use("r").list_uses,
            );
            checker.diagnostics.push(Diagnostic {
                code: "T001",
                name: "test",
                message: facts,
                start: 0,
                end: 0,
                fix: None,
            });
        }
        let source = "\
from __future__ import print_function
from itertools import imap
import itertools as it
def map(a, *b, k=1, **m):
    global g
    for p in q:
        pass
class Cls:
    def next(self):
        pass
try:
    pass
except E as e:
    with w as z:
        pass
r.append(0)
x = 0
";
        assert_eq!(
            run(source, hook)[..1],
            ["bound: [\"map\", \"a\", \"b\", \"e\", \"g\", \"k\", \"m\", \"p\", \"z\", \"Cls\"]; \
              builtin next: true; print_function: true; imap from: Some(\"imap\"); \
              it is itertools: true; list uses of r: 1"]
        );
    }

    #[test]
    fn walks_deep_trees_without_recursion() {
        fn hook(_: &Expr, _: &mut Checker) {}
        // Parsing and dropping a deep tree recurse in rustpython: give them a big stack.
        let handle = std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn(|| {
                let source = format!("x = a{}\n", ".b".repeat(20_000));
                run(&source, hook).len()
            })
            .expect("thread");
        assert_eq!(handle.join().expect("no overflow"), 0);
    }
}
