//! What CPython's compiler rejects in a text its parser accepts: the second half of the safety net.
//!
//! rustpython's parser (and ours, which builds the same trees) accepts much that `compile()`
//! rejects: `True = 1`, `f() = 1`, `import *` in a function, `return` at module level, `break`
//! outside a loop, `global x` after a use of `x`, `nonlocal x` without a binding, duplicate
//! parameters... [`check`] is one walk of the tree that finds those, with the rules of CPython
//! 3.11's `symtable.c` and `compile.c`. `tests/compile_check.rs` compares its verdicts with
//! python3's `compile(source, 'f', 'exec')` on several hundred snippets, accepted and rejected.
//!
//! Not checked (neither Python 2 code nor our fixes can produce them): `match` patterns
//! (irrefutable cases before others, names bound twice or differently by alternatives),
//! assignment expressions inside comprehensions (rebinding an iteration variable, in a class
//! body, in an iterable), more than 20 statically nested blocks, type parameters and `type`
//! aliases (Python 3.12 syntax, rejected by 3.11 and accepted here).

use rustc_hash::FxHashMap;
use rustpython_ast::{
    Arguments, Comprehension, Constant, ExceptHandler, Expr, Keyword, Pattern, Ranged, Stmt,
};

/// Why CPython 3 would not compile a text that parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// CPython's message (without its position).
    pub message: String,
    /// Byte offset of the offending node in the checked text.
    pub offset: usize,
}

/// Checks the module `suite` parsed from `text`: `Err` with CPython's reason when `compile()`
/// would reject it.
pub fn check(text: &str, suite: &[Stmt]) -> Result<(), Rejection> {
    check_module(text, suite).0
}

/// [`check`], and whether the module declares any name `global` or `nonlocal`.
fn check_module(text: &str, suite: &[Stmt]) -> (Result<(), Rejection>, bool) {
    let mut pass = Pass {
        text,
        // Only `global` and `nonlocal` statements need the names of each scope.
        track_names: text.contains("global") || text.contains("nonlocal"),
        scopes: Vec::new(),
        stack: Vec::new(),
        has_nonlocal: false,
        declarations: false,
        error: None,
        future_ok: future_positions(suite),
    };
    pass.push(ScopeKind::Module);
    pass.body(suite);
    pass.pop();
    if pass.error.is_none() && pass.has_nonlocal {
        pass.resolve_nonlocals(0, None);
    }
    let verdict = match pass.error {
        Some(e) => Err(e),
        None => Ok(()),
    };
    (verdict, pass.declarations)
}

/// What [`check_edited`] can tell without parsing the new text whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Compiles,
    /// Rejected, at an offset of the new text.
    Rejected(Rejection),
    /// Parse the new text and [`check`] it.
    Unknown,
}

/// The verdict on a new text made by edits of `old_text` (parsed into `old_suite`), when
/// [`super::verify`] proved it parses from its re-parsed edited statements (`chunks`), without a
/// parse of the whole new text: the old tree passes [`check`] and each edited statement passes
/// it in the context its old version had (its scope, the loops around it). `Unknown` where that
/// argument does not hold: a `global` or `nonlocal` statement in either (their checks look
/// across statements), an edit among the `__future__` imports or in an async function (whose
/// `return` depends on a `yield` elsewhere), or an old text that does not pass.
pub fn check_edited(
    old_text: &str,
    old_suite: &[Stmt],
    chunks: &[super::verify::Chunk],
) -> Verdict {
    // The first statement (a docstring?) and the `__future__` imports after it.
    let futures_end = old_suite
        .iter()
        .enumerate()
        .take_while(|(i, s)| *i == 0 || matches!(s, Stmt::ImportFrom(f) if is_future(f)))
        .last()
        .map_or(0, |(_, s)| s.end().to_usize());
    match check_module(old_text, old_suite) {
        (Ok(()), false) => {}
        _ => return Verdict::Unknown,
    }
    for chunk in chunks {
        if chunk.old_start < futures_end || chunk.text.contains("__future__") {
            return Verdict::Unknown;
        }
        let Some((scope, blocks)) = context_of(old_suite, chunk.old_start) else {
            return Verdict::Unknown;
        };
        if scope == (ScopeKind::Function { is_async: true }) {
            return Verdict::Unknown;
        }
        let mut pass = Pass {
            text: &chunk.text,
            track_names: false,
            scopes: Vec::new(),
            stack: Vec::new(),
            has_nonlocal: false,
            declarations: false,
            error: None,
            future_ok: Vec::new(),
        };
        pass.push(scope);
        pass.scope_mut().blocks = blocks;
        pass.body(&chunk.suite);
        pass.pop();
        if pass.declarations {
            return Verdict::Unknown;
        }
        if let Some(mut rejection) = pass.error {
            rejection.offset = chunk.to_new(rejection.offset);
            return Verdict::Rejected(rejection);
        }
    }
    Verdict::Compiles
}

/// The scope and the blocks around the statement of `suite` that starts at `start`.
fn context_of(suite: &[Stmt], start: usize) -> Option<(ScopeKind, Vec<Block>)> {
    let mut scope = ScopeKind::Module;
    let mut blocks: Vec<Block> = Vec::new();
    let mut body = suite;
    loop {
        let stmt = body
            .iter()
            .find(|s| s.start().to_usize() <= start && start < s.end().to_usize())?;
        if stmt.start().to_usize() == start {
            return Some((scope, blocks));
        }
        let holds = |b: &[Stmt]| {
            b.first().is_some_and(|f| f.start().to_usize() <= start)
                && b.last().is_some_and(|l| start < l.end().to_usize())
        };
        let (next, entered, block): (&[Stmt], Option<ScopeKind>, Option<Block>) = match stmt {
            Stmt::FunctionDef(f) => (&f.body, Some(ScopeKind::Function { is_async: false }), None),
            Stmt::AsyncFunctionDef(f) => {
                (&f.body, Some(ScopeKind::Function { is_async: true }), None)
            }
            Stmt::ClassDef(c) => (&c.body, Some(ScopeKind::Class), None),
            Stmt::For(rustpython_ast::StmtFor { body, orelse, .. })
            | Stmt::AsyncFor(rustpython_ast::StmtAsyncFor { body, orelse, .. })
            | Stmt::While(rustpython_ast::StmtWhile { body, orelse, .. }) => {
                if holds(body) {
                    (body, None, Some(Block::Loop))
                } else {
                    (orelse, None, None)
                }
            }
            Stmt::If(i) => (if holds(&i.body) { &i.body } else { &i.orelse }, None, None),
            Stmt::With(w) => (&w.body, None, None),
            Stmt::AsyncWith(w) => (&w.body, None, None),
            Stmt::Match(m) => (
                m.cases
                    .iter()
                    .map(|c| c.body.as_slice())
                    .find(|b| holds(b))?,
                None,
                None,
            ),
            Stmt::Try(rustpython_ast::StmtTry {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            })
            | Stmt::TryStar(rustpython_ast::StmtTryStar {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            }) => {
                let star = matches!(stmt, Stmt::TryStar(_));
                let handler = handlers.iter().find_map(|h| {
                    let ExceptHandler::ExceptHandler(h) = h;
                    holds(&h.body).then_some(h.body.as_slice())
                });
                match handler {
                    Some(b) => (b, None, star.then_some(Block::ExceptStar)),
                    None if holds(body) => (body, None, None),
                    None if holds(orelse) => (orelse, None, None),
                    None => (finalbody, None, None),
                }
            }
            _ => return None,
        };
        if let Some(kind) = entered {
            scope = kind;
            blocks.clear();
        }
        blocks.extend(block);
        body = next;
    }
}

/// Parses `text` and runs [`check`]: `Err` with the reason when CPython 3 would not compile it.
pub fn check_source(text: &str) -> Result<(), String> {
    let suite = crate::syntax::parse::parse_module(text).map_err(|e| e.message)?;
    check(text, &suite).map_err(|r| r.message)
}

/// The `__future__` features Python 3 knows (`braces` has its own answer).
const FUTURE_FEATURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// Start offsets of the `from __future__` imports that are where CPython allows them: at the
/// top of the module, after at most a docstring and other `__future__` imports.
fn future_positions(suite: &[Stmt]) -> Vec<usize> {
    let mut allowed = Vec::new();
    for (i, stmt) in suite.iter().enumerate() {
        match stmt {
            Stmt::Expr(e)
                if i == 0
                    && matches!(e.value.as_ref(),
                        Expr::Constant(c) if matches!(c.value, Constant::Str(_))) => {}
            Stmt::ImportFrom(f) if is_future(f) => allowed.push(stmt.start().to_usize()),
            _ => break,
        }
    }
    allowed
}

fn is_future(import: &rustpython_ast::StmtImportFrom) -> bool {
    // CPython does not look at the level: `from .__future__ import x` is a future import too.
    import
        .module
        .as_ref()
        .is_some_and(|m| m.as_str() == "__future__")
}

/// Name flags of a scope, as CPython's symbol table keeps them.
mod flag {
    pub const USE: u8 = 1;
    /// Assigned, deleted, defined (`def`, `class`), bound by `for`, `with`, `except`.
    pub const LOCAL: u8 = 2;
    pub const PARAM: u8 = 4;
    pub const GLOBAL: u8 = 8;
    pub const NONLOCAL: u8 = 16;
    pub const ANNOT: u8 = 32;
    pub const IMPORT: u8 = 64;
    /// What binds a name in its scope.
    pub const BOUND: u8 = LOCAL | PARAM | IMPORT;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Comprehension(CompKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

impl CompKind {
    fn name(self) -> &'static str {
        match self {
            CompKind::List => "list comprehension",
            CompKind::Set => "set comprehension",
            CompKind::Dict => "dict comprehension",
            CompKind::Generator => "generator expression",
        }
    }
}

/// What `break`, `continue` and `return` unwind through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Loop,
    ExceptStar,
}

struct Scope<'a> {
    kind: ScopeKind,
    parent: Option<usize>,
    names: FxHashMap<&'a str, u8>,
    /// `nonlocal` declarations, with their statement's offset.
    nonlocals: Vec<(&'a str, usize)>,
    blocks: Vec<Block>,
    has_yield: bool,
    /// Offset of the first `return value`.
    return_value: Option<usize>,
    /// A comprehension with `async for` or `await` of its own.
    coroutine: bool,
}

struct Pass<'a> {
    text: &'a str,
    track_names: bool,
    /// Every scope met, in order of entry (the module first).
    scopes: Vec<Scope<'a>>,
    /// The scopes enclosing the walk, innermost last (indexes into `scopes`).
    stack: Vec<usize>,
    has_nonlocal: bool,
    /// A `global` or `nonlocal` statement was met.
    declarations: bool,
    /// The first rejection found.
    error: Option<Rejection>,
    future_ok: Vec<usize>,
}

impl<'a> Pass<'a> {
    fn push(&mut self, kind: ScopeKind) {
        let parent = self.stack.last().copied();
        self.scopes.push(Scope {
            kind,
            parent,
            names: FxHashMap::default(),
            nonlocals: Vec::new(),
            blocks: Vec::new(),
            has_yield: false,
            return_value: None,
            coroutine: false,
        });
        self.stack.push(self.scopes.len() - 1);
    }

    fn pop(&mut self) {
        let Some(index) = self.stack.pop() else {
            return;
        };
        let scope = &self.scopes[index];
        match scope.kind {
            ScopeKind::Function { is_async: true } if scope.has_yield => {
                if let Some(at) = scope.return_value {
                    self.reject(at, "'return' with value in async generator");
                }
            }
            _ => {}
        }
    }

    fn scope(&self) -> &Scope<'a> {
        &self.scopes[self.current()]
    }

    fn scope_mut(&mut self) -> &mut Scope<'a> {
        let i = self.current();
        &mut self.scopes[i]
    }

    fn current(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }

    fn reject(&mut self, offset: usize, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(Rejection {
                message: message.into(),
                offset,
            });
        }
    }

    fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Marks `name` in the current scope.
    fn mark(&mut self, name: &'a str, flags: u8) {
        if self.track_names {
            *self.scope_mut().names.entry(name).or_default() |= flags;
        }
    }

    /// Binds `name` by assignment at `at` (a `__debug__` is rejected).
    fn bind(&mut self, name: &'a str, flags: u8, at: usize) {
        if name == "__debug__" {
            self.reject(at, "cannot assign to __debug__");
        }
        self.mark(name, flags);
    }

    /// The innermost scope that is not a comprehension (where `:=` binds).
    fn binding_scope(&self) -> usize {
        self.stack
            .iter()
            .rev()
            .copied()
            .find(|&i| !matches!(self.scopes[i].kind, ScopeKind::Comprehension(_)))
            .unwrap_or(0)
    }

    // Statements.

    fn body(&mut self, stmts: &'a [Stmt]) {
        for stmt in stmts {
            if self.failed() {
                return;
            }
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        let at = stmt.start().to_usize();
        match stmt {
            Stmt::FunctionDef(f) => self.function(
                &f.name,
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                false,
                at,
            ),
            Stmt::AsyncFunctionDef(f) => self.function(
                &f.name,
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                true,
                at,
            ),
            Stmt::ClassDef(c) => {
                self.exprs(&c.decorator_list);
                self.call_arguments(&c.bases, &c.keywords, at);
                for base in &c.bases {
                    let (start, end) = (base.start().to_usize(), base.end().to_usize());
                    if matches!(base, Expr::GeneratorExp(_)) && !self.parenthesized(start, end) {
                        self.reject(start, "invalid syntax");
                    }
                }
                self.bind(c.name.as_str(), flag::LOCAL, at);
                self.push(ScopeKind::Class);
                self.body(&c.body);
                self.pop();
            }
            Stmt::Return(r) => {
                match self.scope().kind {
                    ScopeKind::Function { .. } => {}
                    _ => return self.reject(at, "'return' outside function"),
                }
                if self.scope().blocks.contains(&Block::ExceptStar) {
                    return self.reject(
                        at,
                        "'break', 'continue' and 'return' cannot appear in an except* block",
                    );
                }
                if let Some(value) = &r.value {
                    let scope = self.scope_mut();
                    scope.return_value = scope.return_value.or(Some(at));
                    self.expr(value);
                }
            }
            Stmt::Delete(d) => {
                for target in &d.targets {
                    self.target(target, true);
                }
            }
            Stmt::Assign(a) => {
                for target in &a.targets {
                    self.target(target, false);
                }
                self.expr(&a.value);
            }
            Stmt::AugAssign(a) => {
                match a.target.as_ref() {
                    Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
                        self.target(&a.target, false)
                    }
                    other => {
                        let what = describe(other);
                        self.reject(
                            at,
                            format!("'{what}' is an illegal expression for augmented assignment"),
                        )
                    }
                }
                self.expr(&a.value);
            }
            Stmt::AnnAssign(a) => {
                match a.target.as_ref() {
                    Expr::Name(n) if a.simple => {
                        let name = n.id.as_str();
                        let declared = self.scope().names.get(name).copied().unwrap_or(0);
                        if self.scope().kind != ScopeKind::Module {
                            if declared & flag::GLOBAL != 0 {
                                self.reject(at, format!("annotated name '{name}' can't be global"));
                            } else if declared & flag::NONLOCAL != 0 {
                                self.reject(
                                    at,
                                    format!("annotated name '{name}' can't be nonlocal"),
                                );
                            }
                        }
                        self.bind(name, flag::ANNOT | flag::LOCAL, at);
                    }
                    Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
                        self.target(&a.target, false)
                    }
                    Expr::Tuple(_) => {
                        self.reject(at, "only single target (not tuple) can be annotated")
                    }
                    Expr::List(_) => {
                        self.reject(at, "only single target (not list) can be annotated")
                    }
                    _ => self.reject(at, "illegal target for annotation"),
                }
                self.expr(&a.annotation);
                if let Some(value) = &a.value {
                    self.expr(value);
                }
            }
            Stmt::TypeAlias(t) => {
                self.target(&t.name, false);
                self.expr(&t.value);
            }
            Stmt::For(f) => self.for_loop(&f.target, &f.iter, &f.body, &f.orelse),
            Stmt::AsyncFor(f) => {
                if !self.in_async_function() {
                    return self.reject(at, "'async for' outside async function");
                }
                self.for_loop(&f.target, &f.iter, &f.body, &f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.loop_body(&w.body);
                self.body(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.body(&i.body);
                self.body(&i.orelse);
            }
            Stmt::With(w) => self.with(&w.items, &w.body),
            Stmt::AsyncWith(w) => {
                if !self.in_async_function() {
                    return self.reject(at, "'async with' outside async function");
                }
                self.with(&w.items, &w.body);
            }
            Stmt::Match(m) => {
                self.expr(&m.subject);
                for case in &m.cases {
                    self.pattern(&case.pattern, at);
                    if let Some(guard) = &case.guard {
                        self.expr(guard);
                    }
                    self.body(&case.body);
                }
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e);
                }
                if let Some(c) = &r.cause {
                    self.expr(c);
                }
            }
            Stmt::Try(t) => self.try_stmt(&t.body, &t.handlers, &t.orelse, &t.finalbody, false),
            Stmt::TryStar(t) => self.try_stmt(&t.body, &t.handlers, &t.orelse, &t.finalbody, true),
            Stmt::Assert(a) => {
                self.expr(&a.test);
                if let Some(msg) = &a.msg {
                    self.expr(msg);
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let bound = match &alias.asname {
                        Some(asname) => asname.as_str(),
                        None => alias.name.split('.').next().unwrap_or(""),
                    };
                    self.bind(bound, flag::IMPORT, at);
                }
            }
            Stmt::ImportFrom(i) => {
                if is_future(i) {
                    if !self.future_ok.contains(&at) {
                        return self.reject(
                            at,
                            "from __future__ imports must occur at the beginning of the file",
                        );
                    }
                    for alias in &i.names {
                        let feature = alias.name.as_str();
                        if feature == "braces" {
                            return self.reject(at, "not a chance");
                        }
                        if !FUTURE_FEATURES.contains(&feature) {
                            return self
                                .reject(at, format!("future feature {feature} is not defined"));
                        }
                    }
                }
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        if self.scope().kind != ScopeKind::Module {
                            return self.reject(at, "import * only allowed at module level");
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bind(bound.as_str(), flag::IMPORT, at);
                }
            }
            Stmt::Global(g) => {
                self.declarations = true;
                for name in &g.names {
                    self.declare(name.as_str(), flag::GLOBAL, at);
                }
            }
            Stmt::Nonlocal(n) => {
                if self.scope().kind == ScopeKind::Module {
                    return self.reject(at, "nonlocal declaration not allowed at module level");
                }
                self.has_nonlocal = true;
                self.declarations = true;
                for name in &n.names {
                    self.declare(name.as_str(), flag::NONLOCAL, at);
                    self.scope_mut().nonlocals.push((name.as_str(), at));
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::Pass(_) => {}
            Stmt::Break(_) => self.jump(at, "'break' outside loop"),
            Stmt::Continue(_) => self.jump(at, "'continue' not properly in loop"),
        }
    }

    /// `global` or `nonlocal` (`which`) of `name`: not after a use, binding or annotation in
    /// the same scope, not of a parameter, and not both.
    fn declare(&mut self, name: &'a str, which: u8, at: usize) {
        let word = if which == flag::GLOBAL {
            "global"
        } else {
            "nonlocal"
        };
        let current = self.scope().names.get(name).copied().unwrap_or(0);
        let message = if current & flag::PARAM != 0 {
            Some(format!("name '{name}' is parameter and {word}"))
        } else if current & flag::USE != 0 {
            Some(format!("name '{name}' is used prior to {word} declaration"))
        } else if current & flag::ANNOT != 0 {
            Some(format!("annotated name '{name}' can't be {word}"))
        } else if current & flag::LOCAL != 0 {
            Some(format!(
                "name '{name}' is assigned to before {word} declaration"
            ))
        } else if current & (flag::GLOBAL | flag::NONLOCAL) & !which != 0 {
            Some(format!("name '{name}' is nonlocal and global"))
        } else {
            None
        };
        if let Some(message) = message {
            return self.reject(at, message);
        }
        self.mark(name, which);
    }

    fn jump(&mut self, at: usize, outside: &str) {
        match self
            .scope()
            .blocks
            .iter()
            .rev()
            .find(|b| **b == Block::Loop || **b == Block::ExceptStar)
        {
            Some(Block::Loop) => {}
            Some(Block::ExceptStar) => self.reject(
                at,
                "'break', 'continue' and 'return' cannot appear in an except* block",
            ),
            None => self.reject(at, outside),
        }
    }

    fn in_async_function(&self) -> bool {
        matches!(self.scope().kind, ScopeKind::Function { is_async: true })
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        name: &'a rustpython_ast::Identifier,
        args: &'a Arguments,
        body: &'a [Stmt],
        decorators: &'a [Expr],
        returns: Option<&'a Expr>,
        is_async: bool,
        at: usize,
    ) {
        self.exprs(decorators);
        self.argument_defaults(args);
        if let Some(returns) = returns {
            self.expr(returns);
        }
        self.bind(name.as_str(), flag::LOCAL, at);
        self.push(ScopeKind::Function { is_async });
        self.parameters(args, at);
        self.body(body);
        self.pop();
    }

    /// Defaults and annotations of a `def` or `lambda`, in the enclosing scope.
    fn argument_defaults(&mut self, args: &'a Arguments) {
        let all = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs);
        for arg in all {
            if let Some(default) = &arg.default {
                self.expr(default);
            }
            if let Some(annotation) = &arg.def.annotation {
                self.expr(annotation);
            }
        }
        // `*args: *Ts` (3.11).
        if let Some(annotation) = args.vararg.as_ref().and_then(|a| a.annotation.as_ref()) {
            self.elements(std::slice::from_ref(annotation));
        }
        if let Some(annotation) = args.kwarg.as_ref().and_then(|a| a.annotation.as_ref()) {
            self.expr(annotation);
        }
    }

    /// Binds the parameters in the new scope: no duplicates, no `__debug__`.
    fn parameters(&mut self, args: &'a Arguments, at: usize) {
        let names = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
            .map(|a| &a.def)
            .chain(args.vararg.as_deref())
            .chain(args.kwarg.as_deref());
        let mut seen: Vec<&str> = Vec::new();
        for arg in names {
            let name = arg.arg.as_str();
            if seen.contains(&name) {
                return self.reject(
                    arg.start().to_usize(),
                    format!("duplicate argument '{name}' in function definition"),
                );
            }
            seen.push(name);
            self.bind(name, flag::PARAM, at);
        }
        if args.vararg.is_none()
            && args.kwonlyargs.is_empty()
            && args.kwarg.is_some()
            && self.bare_star_before(args)
        {
            self.reject(at, "named arguments must follow bare *");
        }
    }

    /// `def f(*, **k)`: the tree has no trace of the bare `*`; the text between the last
    /// positional parameter and `**` does.
    fn bare_star_before(&self, args: &Arguments) -> bool {
        let Some(kwarg) = &args.kwarg else {
            return false;
        };
        let end = kwarg.start().to_usize();
        let start = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .last()
            .map_or(0, |a| a.end().to_usize());
        // Between them, a bare `*` reads `*,**` once white space and comments are left out.
        self.text
            .get(start..end)
            .is_some_and(|between| significant_text(between).ends_with("*,**"))
    }

    fn for_loop(&mut self, target: &'a Expr, iter: &'a Expr, body: &'a [Stmt], orelse: &'a [Stmt]) {
        self.target(target, false);
        self.expr(iter);
        self.loop_body(body);
        self.body(orelse);
    }

    fn loop_body(&mut self, body: &'a [Stmt]) {
        self.scope_mut().blocks.push(Block::Loop);
        self.body(body);
        self.scope_mut().blocks.pop();
    }

    fn with(&mut self, items: &'a [rustpython_ast::WithItem], body: &'a [Stmt]) {
        for item in items {
            self.expr(&item.context_expr);
            if let Some(vars) = &item.optional_vars {
                self.target(vars, false);
            }
        }
        self.body(body);
    }

    fn try_stmt(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
        star: bool,
    ) {
        self.body(body);
        for (i, handler) in handlers.iter().enumerate() {
            let ExceptHandler::ExceptHandler(h) = handler;
            let at = h.start().to_usize();
            match &h.type_ {
                Some(t) => self.expr(t),
                None if i + 1 < handlers.len() => {
                    return self.reject(at, "default 'except:' must be last")
                }
                None => {}
            }
            if let Some(name) = &h.name {
                self.bind(name.as_str(), flag::LOCAL, at);
            }
            if star {
                self.scope_mut().blocks.push(Block::ExceptStar);
            }
            self.body(&h.body);
            if star {
                self.scope_mut().blocks.pop();
            }
        }
        self.body(orelse);
        self.body(finalbody);
    }

    fn pattern(&mut self, pattern: &'a Pattern, at: usize) {
        match pattern {
            Pattern::MatchValue(v) => self.expr(&v.value),
            Pattern::MatchSingleton(_) => {}
            Pattern::MatchSequence(s) => {
                for p in &s.patterns {
                    self.pattern(p, at);
                }
            }
            Pattern::MatchMapping(m) => {
                self.exprs(&m.keys);
                for p in &m.patterns {
                    self.pattern(p, at);
                }
                if let Some(rest) = &m.rest {
                    self.bind(rest.as_str(), flag::LOCAL, at);
                }
            }
            Pattern::MatchClass(c) => {
                self.expr(&c.cls);
                for p in c.patterns.iter().chain(&c.kwd_patterns) {
                    self.pattern(p, at);
                }
            }
            Pattern::MatchStar(s) => {
                if let Some(name) = &s.name {
                    self.bind(name.as_str(), flag::LOCAL, at);
                }
            }
            Pattern::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.pattern(p, at);
                }
                if let Some(name) = &a.name {
                    self.bind(name.as_str(), flag::LOCAL, at);
                }
            }
            Pattern::MatchOr(o) => {
                for p in &o.patterns {
                    self.pattern(p, at);
                }
            }
        }
    }

    // Targets.

    /// An assignment (`del_` false) or `del` target.
    fn target(&mut self, target: &'a Expr, del_: bool) {
        let at = target.start().to_usize();
        let verb = if del_ { "delete" } else { "assign to" };
        match target {
            Expr::Name(n) => {
                if n.id.as_str() == "__debug__" {
                    return self.reject(at, format!("cannot {verb} __debug__"));
                }
                self.mark(n.id.as_str(), flag::LOCAL);
            }
            Expr::Attribute(a) => {
                self.expr(&a.value);
                // `del x.__debug__` compiles.
                if a.attr.as_str() == "__debug__" && !del_ {
                    self.reject(at, format!("cannot {verb} __debug__"));
                }
            }
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Tuple(rustpython_ast::ExprTuple { elts, .. })
            | Expr::List(rustpython_ast::ExprList { elts, .. }) => {
                let starred = elts
                    .iter()
                    .filter(|e| matches!(e, Expr::Starred(_)))
                    .count();
                if del_ && starred > 0 {
                    return self.reject(at, "cannot delete starred");
                }
                if starred > 1 {
                    return self.reject(at, "multiple starred expressions in assignment");
                }
                for elt in elts {
                    match elt {
                        Expr::Starred(s) => self.target(&s.value, del_),
                        other => self.target(other, del_),
                    }
                }
            }
            Expr::Starred(_) if !del_ => {
                self.reject(at, "starred assignment target must be in a list or tuple")
            }
            other => {
                let what = describe(other);
                self.reject(at, format!("cannot {verb} {what}"));
            }
        }
    }

    // Expressions.

    fn exprs(&mut self, exprs: &'a [Expr]) {
        for e in exprs {
            self.expr(e);
        }
    }

    /// Elements of a display or call, where `*x` is allowed.
    fn elements(&mut self, exprs: &'a [Expr]) {
        for e in exprs {
            match e {
                Expr::Starred(s) => self.expr(&s.value),
                other => self.expr(other),
            }
        }
    }

    fn expr(&mut self, expr: &'a Expr) {
        if self.failed() {
            return;
        }
        let at = expr.start().to_usize();
        match expr {
            Expr::BoolOp(b) => self.exprs(&b.values),
            Expr::NamedExpr(n) => {
                self.expr(&n.value);
                match n.target.as_ref() {
                    Expr::Name(name) => {
                        if name.id.as_str() == "__debug__" {
                            return self.reject(at, "cannot assign to __debug__");
                        }
                        if self.track_names {
                            let scope = self.binding_scope();
                            *self.scopes[scope]
                                .names
                                .entry(name.id.as_str())
                                .or_default() |= flag::LOCAL;
                        }
                    }
                    other => {
                        let what = describe(other);
                        self.reject(at, format!("cannot use assignment expressions with {what}"))
                    }
                }
            }
            Expr::BinOp(b) => {
                // Long chains (`a + b + c + ...`) nest to the left: walk them as a loop.
                let mut left = &b.left;
                let mut rights = vec![&b.right];
                while let Expr::BinOp(inner) = left.as_ref() {
                    rights.push(&inner.right);
                    left = &inner.left;
                }
                self.expr(left);
                for right in rights.into_iter().rev() {
                    self.expr(right);
                }
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => {
                self.argument_defaults(&l.args);
                self.push(ScopeKind::Function { is_async: false });
                self.parameters(&l.args, at);
                self.expr(&l.body);
                self.pop();
            }
            Expr::IfExp(i) => {
                self.expr(&i.test);
                self.expr(&i.body);
                self.expr(&i.orelse);
            }
            Expr::Dict(d) => {
                for (key, value) in d.keys.iter().zip(&d.values) {
                    if let Some(key) = key {
                        self.expr(key);
                    }
                    self.expr(value);
                }
            }
            Expr::Set(s) => self.elements(&s.elts),
            Expr::List(l) => self.elements(&l.elts),
            Expr::Tuple(t) => self.elements(&t.elts),
            Expr::ListComp(c) => self.comprehension(CompKind::List, &c.generators, &[&c.elt], at),
            Expr::SetComp(c) => self.comprehension(CompKind::Set, &c.generators, &[&c.elt], at),
            Expr::DictComp(c) => {
                self.comprehension(CompKind::Dict, &c.generators, &[&c.key, &c.value], at)
            }
            Expr::GeneratorExp(c) => {
                self.comprehension(CompKind::Generator, &c.generators, &[&c.elt], at)
            }
            Expr::Await(a) => {
                match self.scope().kind {
                    ScopeKind::Module | ScopeKind::Class => {
                        return self.reject(at, "'await' outside function")
                    }
                    ScopeKind::Function { is_async: false } => {
                        return self.reject(at, "'await' outside async function")
                    }
                    ScopeKind::Function { is_async: true } => {}
                    ScopeKind::Comprehension(_) => self.scope_mut().coroutine = true,
                }
                self.expr(&a.value);
            }
            Expr::Yield(rustpython_ast::ExprYield { value, .. }) => {
                self.yield_here(at, false);
                if let Some(value) = value {
                    self.expr(value);
                }
            }
            Expr::YieldFrom(y) => {
                self.yield_here(at, true);
                self.expr(&y.value);
            }
            Expr::Compare(c) => {
                self.expr(&c.left);
                self.exprs(&c.comparators);
            }
            Expr::Call(c) => {
                self.expr(&c.func);
                self.call_arguments(&c.args, &c.keywords, at);
                let count = c.args.len() + c.keywords.len();
                for arg in &c.args {
                    if let Expr::GeneratorExp(g) = arg {
                        if !self.generator_argument_ok(g, count, c.end().to_usize()) {
                            return self.reject(
                                g.start().to_usize(),
                                "Generator expression must be parenthesized",
                            );
                        }
                    }
                }
            }
            Expr::FormattedValue(f) => {
                self.expr(&f.value);
                if let Some(spec) = &f.format_spec {
                    self.expr(spec);
                }
            }
            Expr::JoinedStr(j) => self.exprs(&j.values),
            Expr::Constant(_) => {}
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                // `a[*b]`: a starred index.
                self.elements(std::slice::from_ref(&s.slice));
            }
            Expr::Starred(_) => self.reject(at, "can't use starred expression here"),
            Expr::Name(n) => self.mark(n.id.as_str(), flag::USE),
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(part);
                }
            }
        }
    }

    /// Arguments of a call or a class definition: `*x` allowed, keywords named once and never
    /// `__debug__`.
    fn call_arguments(&mut self, args: &'a [Expr], keywords: &'a [Keyword], at: usize) {
        self.elements(args);
        let mut seen: Vec<&str> = Vec::new();
        for keyword in keywords {
            if let Some(name) = &keyword.arg {
                let name = name.as_str();
                if name == "__debug__" {
                    return self.reject(at, "cannot assign to __debug__");
                }
                if seen.contains(&name) {
                    return self.reject(at, format!("keyword argument repeated: {name}"));
                }
                seen.push(name);
            }
            self.expr(&keyword.value);
        }
    }

    /// A generator expression as a call argument needs its own parentheses unless it is the
    /// only argument, without a trailing comma: `f(x for x in y)`.
    fn generator_argument_ok(
        &self,
        g: &rustpython_ast::ExprGeneratorExp,
        arguments: usize,
        call_end: usize,
    ) -> bool {
        let (start, end) = (g.start().to_usize(), g.end().to_usize());
        if self.parenthesized(start, end) {
            return true;
        }
        // The sole argument: only white space, comments and the call's `)` may follow.
        arguments == 1
            && self
                .text
                .get(end..call_end)
                .is_some_and(|rest| significant_text(rest) == ")")
    }

    /// Whether `start..end` of the text is one parenthesized group: `(` at `start` whose
    /// matching `)` ends at `end`.
    fn parenthesized(&self, start: usize, end: usize) -> bool {
        let Some(slice) = self.text.get(start..end) else {
            return false;
        };
        if !slice.starts_with('(') || !slice.ends_with(')') {
            return false;
        }
        let tokens = crate::tokens::tokenize(slice);
        let mut depth = 0usize;
        for t in &tokens {
            if t.kind != crate::tokens::TokenKind::Op {
                continue;
            }
            match t.text(slice) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return t.end() == slice.len();
                    }
                }
                _ => {}
            }
        }
        false
    }

    fn yield_here(&mut self, at: usize, from: bool) {
        match self.scope().kind {
            ScopeKind::Module | ScopeKind::Class => self.reject(at, "'yield' outside function"),
            ScopeKind::Comprehension(kind) => {
                self.reject(at, format!("'yield' inside {}", kind.name()))
            }
            ScopeKind::Function { is_async } => {
                if is_async && from {
                    return self.reject(at, "'yield from' inside async function");
                }
                self.scope_mut().has_yield = true;
            }
        }
    }

    fn comprehension(
        &mut self,
        kind: CompKind,
        generators: &'a [Comprehension],
        results: &[&'a Expr],
        at: usize,
    ) {
        let Some(first) = generators.first() else {
            return;
        };
        // The first iterable is evaluated in the enclosing scope.
        self.expr(&first.iter);
        self.push(ScopeKind::Comprehension(kind));
        for (i, generator) in generators.iter().enumerate() {
            if generator.is_async {
                self.scope_mut().coroutine = true;
            }
            self.target(&generator.target, false);
            if i > 0 {
                self.expr(&generator.iter);
            }
            self.exprs(&generator.ifs);
        }
        for result in results {
            self.expr(result);
        }
        let coroutine = self.scope().coroutine;
        self.pop();
        // An asynchronous list, set or dict comprehension runs at once: only where `await` can.
        if coroutine && kind != CompKind::Generator {
            let allowed = matches!(
                self.scope().kind,
                ScopeKind::Function { is_async: true } | ScopeKind::Comprehension(_)
            );
            if !allowed {
                self.reject(
                    at,
                    "asynchronous comprehension outside of an asynchronous function",
                );
            }
        }
    }

    // `nonlocal` declarations, once every scope's bindings are known.

    /// CPython's `analyze_block`: each scope gets the names bound in the functions around it
    /// (`bound`; `None` for the module); a `nonlocal` name must be among them.
    fn resolve_nonlocals(&mut self, index: usize, bound: Option<&Vec<&'a str>>) {
        if self.failed() {
            return;
        }
        let scope = &self.scopes[index];
        for &(name, at) in &scope.nonlocals {
            let flags = scope.names.get(name).copied().unwrap_or(0);
            let message = if flags & flag::GLOBAL != 0 {
                format!("name '{name}' is nonlocal and global")
            } else {
                match bound {
                    None => "nonlocal declaration not allowed at module level".to_string(),
                    Some(b) if b.contains(&name) => continue,
                    Some(_) => format!("no binding for nonlocal '{name}' found"),
                }
            };
            return self.reject(at, message);
        }
        let mut inner: Vec<&'a str> = bound.cloned().unwrap_or_default();
        match scope.kind {
            ScopeKind::Module => inner.clear(),
            ScopeKind::Class => inner.push("__class__"),
            ScopeKind::Function { .. } | ScopeKind::Comprehension(_) => {
                for (&name, &flags) in &scope.names {
                    if flags & flag::GLOBAL != 0 {
                        inner.retain(|n| *n != name);
                    } else if flags & flag::NONLOCAL == 0 && flags & flag::BOUND != 0 {
                        inner.push(name);
                    }
                }
            }
        }
        let children: Vec<usize> = (index + 1..self.scopes.len())
            .filter(|&i| self.scopes[i].parent == Some(index))
            .collect();
        for child in children {
            self.resolve_nonlocals(child, Some(&inner));
        }
    }
}

/// The text with white space, line continuations and comments left out.
fn significant_text(text: &str) -> String {
    crate::tokens::tokenize(text)
        .iter()
        .filter(|t| !t.is_trivia())
        .map(|t| t.text(text))
        .collect()
}

/// How CPython names an expression that cannot be assigned to.
fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::Constant(c) => match c.value {
            Constant::Bool(true) => "True",
            Constant::Bool(false) => "False",
            Constant::None => "None",
            Constant::Ellipsis => "ellipsis",
            _ => "literal",
        },
        Expr::Call(_) => "function call",
        Expr::Lambda(_) => "lambda",
        Expr::IfExp(_) => "conditional expression",
        Expr::Compare(_) => "comparison",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::Tuple(_) => "tuple",
        Expr::List(_) => "list",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::GeneratorExp(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::JoinedStr(_) | Expr::FormattedValue(_) => "f-string expression",
        Expr::NamedExpr(_) => "named expression",
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        _ => "expression",
    }
}
