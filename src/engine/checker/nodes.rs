//! The nodes of a module in one flat, pre-order array, each with the index of its parent.
//!
//! The tree is flattened once with an explicit stack (no recursion, so deep expressions cannot
//! overflow the stack); fixers then see any node's chain of parents by following indices.

use rustpython_ast::{
    Arguments, Comprehension, ExceptHandler, Expr, Keyword, MatchCase, Pattern, Ranged, Stmt,
    TypeParam, WithItem,
};

/// A reference to one node of the tree, of any kind a fixer may care about as a parent.
#[derive(Clone, Copy, Debug)]
pub enum NodeRef<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    /// One `for ... in ... if ...` clause of a comprehension.
    Comprehension(&'a Comprehension),
    /// `name=value` (or `**value`) in a call or class bases.
    Keyword(&'a Keyword),
    /// The parameters of a `def` or `lambda` (parent of defaults and annotations).
    Arguments(&'a Arguments),
    ExceptHandler(&'a ExceptHandler),
    WithItem(&'a WithItem),
    MatchCase(&'a MatchCase),
    Pattern(&'a Pattern),
}

impl<'a> NodeRef<'a> {
    /// The expression, if this node is one.
    pub fn as_expr(self) -> Option<&'a Expr> {
        match self {
            NodeRef::Expr(e) => Some(e),
            _ => None,
        }
    }

    /// The statement, if this node is one.
    pub fn as_stmt(self) -> Option<&'a Stmt> {
        match self {
            NodeRef::Stmt(s) => Some(s),
            _ => None,
        }
    }
}

/// Marks "no parent" (a top-level statement).
pub const NO_PARENT: u32 = u32::MAX;

/// One entry of the flat tree.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub node: NodeRef<'a>,
    /// Index of the parent entry, or [`NO_PARENT`].
    pub parent: u32,
}

/// Flattens `suite` in pre-order (source order), calling `visit` for each node (with its
/// parent) as it is added.
pub fn flatten<'a>(
    suite: &'a [Stmt],
    mut visit: impl FnMut(NodeRef<'a>, Option<NodeRef<'a>>),
) -> Vec<Entry<'a>> {
    // About one node per 6 bytes of code: room for all of them, not regrowth copies of a big
    // vector (capped: a huge generated module grows like any vector past that).
    let bytes = match (suite.first(), suite.last()) {
        (Some(first), Some(last)) => last
            .end()
            .to_usize()
            .saturating_sub(first.start().to_usize()),
        _ => 0,
    };
    let capacity = (bytes / 6).max(suite.len().saturating_mul(4)).min(1 << 20);
    let mut out: Vec<Entry<'a>> = Vec::with_capacity(capacity);
    let mut stack: Vec<(NodeRef<'a>, u32)> = Vec::with_capacity(64);
    let mut pusher = Pusher {
        stack: &mut stack,
        parent: NO_PARENT,
    };
    pusher.stmts(suite);
    pusher.stack.reverse();
    while let Some((node, parent)) = stack.pop() {
        let parent_node = usize::try_from(parent)
            .ok()
            .and_then(|p| out.get(p))
            .map(|e| e.node);
        visit(node, parent_node);
        let index = u32::try_from(out.len()).unwrap_or(NO_PARENT - 1);
        out.push(Entry { node, parent });
        let mark = stack.len();
        let mut pusher = Pusher {
            stack: &mut stack,
            parent: index,
        };
        pusher.children(node);
        // Children were pushed in source order; the stack pops the last first.
        if let Some(pushed) = stack.get_mut(mark..) {
            pushed.reverse();
        }
    }
    out
}

/// Pushes the children of one node, in source order, with a given parent index.
struct Pusher<'s, 'a> {
    stack: &'s mut Vec<(NodeRef<'a>, u32)>,
    parent: u32,
}

impl<'a> Pusher<'_, 'a> {
    fn node(&mut self, node: NodeRef<'a>) {
        self.stack.push((node, self.parent));
    }

    fn expr(&mut self, e: &'a Expr) {
        self.node(NodeRef::Expr(e));
    }

    fn opt(&mut self, e: &'a Option<Box<Expr>>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn exprs(&mut self, es: &'a [Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    fn stmts(&mut self, ss: &'a [Stmt]) {
        for s in ss {
            self.node(NodeRef::Stmt(s));
        }
    }

    fn patterns(&mut self, ps: &'a [Pattern]) {
        for p in ps {
            self.node(NodeRef::Pattern(p));
        }
    }

    fn type_params(&mut self, ps: &'a [TypeParam]) {
        for p in ps {
            if let TypeParam::TypeVar(v) = p {
                self.opt(&v.bound);
            }
        }
    }

    fn generators(&mut self, gens: &'a [Comprehension]) {
        for g in gens {
            self.node(NodeRef::Comprehension(g));
        }
    }

    fn children(&mut self, node: NodeRef<'a>) {
        match node {
            NodeRef::Stmt(s) => self.stmt_children(s),
            NodeRef::Expr(e) => self.expr_children(e),
            NodeRef::Comprehension(c) => {
                self.expr(&c.target);
                self.expr(&c.iter);
                self.exprs(&c.ifs);
            }
            NodeRef::Keyword(k) => self.expr(&k.value),
            NodeRef::Arguments(a) => {
                for arg in a.posonlyargs.iter().chain(&a.args) {
                    self.opt(&arg.def.annotation);
                    self.opt(&arg.default);
                }
                if let Some(v) = &a.vararg {
                    self.opt(&v.annotation);
                }
                for arg in &a.kwonlyargs {
                    self.opt(&arg.def.annotation);
                    self.opt(&arg.default);
                }
                if let Some(k) = &a.kwarg {
                    self.opt(&k.annotation);
                }
            }
            NodeRef::ExceptHandler(ExceptHandler::ExceptHandler(h)) => {
                self.opt(&h.type_);
                self.stmts(&h.body);
            }
            NodeRef::WithItem(w) => {
                self.expr(&w.context_expr);
                self.opt(&w.optional_vars);
            }
            NodeRef::MatchCase(c) => {
                self.node(NodeRef::Pattern(&c.pattern));
                self.opt(&c.guard);
                self.stmts(&c.body);
            }
            NodeRef::Pattern(p) => self.pattern_children(p),
        }
    }

    fn stmt_children(&mut self, s: &'a Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                self.exprs(&f.decorator_list);
                self.type_params(&f.type_params);
                self.node(NodeRef::Arguments(&f.args));
                self.opt(&f.returns);
                self.stmts(&f.body);
            }
            Stmt::AsyncFunctionDef(f) => {
                self.exprs(&f.decorator_list);
                self.type_params(&f.type_params);
                self.node(NodeRef::Arguments(&f.args));
                self.opt(&f.returns);
                self.stmts(&f.body);
            }
            Stmt::ClassDef(c) => {
                self.exprs(&c.decorator_list);
                self.type_params(&c.type_params);
                self.exprs(&c.bases);
                for k in &c.keywords {
                    self.node(NodeRef::Keyword(k));
                }
                self.stmts(&c.body);
            }
            Stmt::Return(r) => self.opt(&r.value),
            Stmt::Delete(d) => self.exprs(&d.targets),
            Stmt::Assign(a) => {
                self.exprs(&a.targets);
                self.expr(&a.value);
            }
            Stmt::TypeAlias(t) => {
                self.expr(&t.name);
                self.type_params(&t.type_params);
                self.expr(&t.value);
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.target);
                self.expr(&a.value);
            }
            Stmt::AnnAssign(a) => {
                self.expr(&a.target);
                self.expr(&a.annotation);
                self.opt(&a.value);
            }
            Stmt::For(f) => {
                self.expr(&f.target);
                self.expr(&f.iter);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::AsyncFor(f) => {
                self.expr(&f.target);
                self.expr(&f.iter);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.stmts(&w.body);
                self.stmts(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.stmts(&i.body);
                self.stmts(&i.orelse);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.node(NodeRef::WithItem(item));
                }
                self.stmts(&w.body);
            }
            Stmt::AsyncWith(w) => {
                for item in &w.items {
                    self.node(NodeRef::WithItem(item));
                }
                self.stmts(&w.body);
            }
            Stmt::Match(m) => {
                self.expr(&m.subject);
                for c in &m.cases {
                    self.node(NodeRef::MatchCase(c));
                }
            }
            Stmt::Raise(r) => {
                self.opt(&r.exc);
                self.opt(&r.cause);
            }
            Stmt::Try(t) => {
                self.stmts(&t.body);
                for h in &t.handlers {
                    self.node(NodeRef::ExceptHandler(h));
                }
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            Stmt::TryStar(t) => {
                self.stmts(&t.body);
                for h in &t.handlers {
                    self.node(NodeRef::ExceptHandler(h));
                }
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                self.opt(&a.msg);
            }
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::Import(_)
            | Stmt::ImportFrom(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_) => {}
        }
    }

    fn expr_children(&mut self, e: &'a Expr) {
        match e {
            Expr::BoolOp(b) => self.exprs(&b.values),
            Expr::NamedExpr(n) => {
                self.expr(&n.target);
                self.expr(&n.value);
            }
            Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => {
                self.node(NodeRef::Arguments(&l.args));
                self.expr(&l.body);
            }
            Expr::IfExp(i) => {
                self.expr(&i.body);
                self.expr(&i.test);
                self.expr(&i.orelse);
            }
            Expr::Dict(d) => {
                for (k, v) in d.keys.iter().zip(&d.values) {
                    if let Some(k) = k {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            Expr::Set(s) => self.exprs(&s.elts),
            Expr::ListComp(c) => {
                self.expr(&c.elt);
                self.generators(&c.generators);
            }
            Expr::SetComp(c) => {
                self.expr(&c.elt);
                self.generators(&c.generators);
            }
            Expr::GeneratorExp(c) => {
                self.expr(&c.elt);
                self.generators(&c.generators);
            }
            Expr::DictComp(c) => {
                self.expr(&c.key);
                self.expr(&c.value);
                self.generators(&c.generators);
            }
            Expr::Await(a) => self.expr(&a.value),
            Expr::Yield(y) => self.opt(&y.value),
            Expr::YieldFrom(y) => self.expr(&y.value),
            Expr::Compare(c) => {
                self.expr(&c.left);
                self.exprs(&c.comparators);
            }
            Expr::Call(c) => {
                self.expr(&c.func);
                self.exprs(&c.args);
                for k in &c.keywords {
                    self.node(NodeRef::Keyword(k));
                }
            }
            Expr::FormattedValue(f) => {
                self.expr(&f.value);
                self.opt(&f.format_spec);
            }
            Expr::JoinedStr(j) => self.exprs(&j.values),
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Starred(s) => self.expr(&s.value),
            Expr::List(l) => self.exprs(&l.elts),
            Expr::Tuple(t) => self.exprs(&t.elts),
            Expr::Slice(s) => {
                self.opt(&s.lower);
                self.opt(&s.upper);
                self.opt(&s.step);
            }
            Expr::Constant(_) | Expr::Name(_) => {}
        }
    }

    fn pattern_children(&mut self, p: &'a Pattern) {
        match p {
            Pattern::MatchValue(v) => self.expr(&v.value),
            Pattern::MatchSingleton(_) | Pattern::MatchStar(_) => {}
            Pattern::MatchSequence(s) => self.patterns(&s.patterns),
            Pattern::MatchMapping(m) => {
                self.exprs(&m.keys);
                self.patterns(&m.patterns);
            }
            Pattern::MatchClass(c) => {
                self.expr(&c.cls);
                self.patterns(&c.patterns);
                self.patterns(&c.kwd_patterns);
            }
            Pattern::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.node(NodeRef::Pattern(p));
                }
            }
            Pattern::MatchOr(o) => self.patterns(&o.patterns),
        }
    }
}
