//! Statements: the program and suites, simple statements and compound statements, each
//! mirroring its rule in rustpython's grammar, plus the `set_context` of assignment targets.

use rustpython_parser::ast::{self, Expr, ExprContext, Operator, Ranged, Stmt};
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::Tok;

use super::Parser;

/// rustpython's `set_context` for an assignment, `for`, `with` or comprehension target, when
/// CPython accepts it as one (a name, attribute, subscript, or a tuple or list of targets with at
/// most one starred): rustpython itself takes any expression, so anything else gives up.
pub(super) fn store_target(expr: Expr) -> Option<Expr> {
    if expr.is_starred_expr() {
        return None;
    }
    set_context(expr, ExprContext::Store)
}

/// `set_context` with the checks of [`store_target`] (`Del`: no starred elements).
fn set_context(expr: Expr, ctx: ExprContext) -> Option<Expr> {
    Some(match expr {
        Expr::Name(ast::ExprName { id, range, .. }) => Expr::Name(ast::ExprName { id, ctx, range }),
        Expr::Attribute(ast::ExprAttribute {
            value, attr, range, ..
        }) => Expr::Attribute(ast::ExprAttribute {
            value,
            attr,
            ctx,
            range,
        }),
        Expr::Subscript(ast::ExprSubscript {
            value,
            slice,
            range,
            ..
        }) => Expr::Subscript(ast::ExprSubscript {
            value,
            slice,
            ctx,
            range,
        }),
        Expr::Tuple(ast::ExprTuple { elts, range, .. }) => Expr::Tuple(ast::ExprTuple {
            elts: elements_context(elts, ctx)?,
            ctx,
            range,
        }),
        Expr::List(ast::ExprList { elts, range, .. }) => Expr::List(ast::ExprList {
            elts: elements_context(elts, ctx)?,
            ctx,
            range,
        }),
        _ => return None,
    })
}

/// `set_context` on the elements of a tuple or list target.
fn elements_context(elts: Vec<Expr>, ctx: ExprContext) -> Option<Vec<Expr>> {
    let starred = elts.iter().filter(|e| e.is_starred_expr()).count();
    if starred > usize::from(ctx == ExprContext::Store) {
        return None;
    }
    elts.into_iter()
        .map(|elt| match elt {
            Expr::Starred(ast::ExprStarred { value, range, .. }) => {
                Some(Expr::Starred(ast::ExprStarred {
                    value: Box::new(store_target(*value)?),
                    ctx,
                    range,
                }))
            }
            elt => set_context(elt, ctx),
        })
        .collect()
}

/// `set_context` for an augmented or annotated assignment, whose target CPython wants single.
fn single_target(expr: Expr) -> Option<Expr> {
    match expr {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {
            set_context(expr, ExprContext::Store)
        }
        _ => None,
    }
}

/// `AugAssign`: the operator of an augmented assignment token.
fn aug_assign(tok: &Tok) -> Option<Operator> {
    Some(match tok {
        Tok::PlusEqual => Operator::Add,
        Tok::MinusEqual => Operator::Sub,
        Tok::StarEqual => Operator::Mult,
        Tok::AtEqual => Operator::MatMult,
        Tok::SlashEqual => Operator::Div,
        Tok::PercentEqual => Operator::Mod,
        Tok::AmperEqual => Operator::BitAnd,
        Tok::VbarEqual => Operator::BitOr,
        Tok::CircumflexEqual => Operator::BitXor,
        Tok::LeftShiftEqual => Operator::LShift,
        Tok::RightShiftEqual => Operator::RShift,
        Tok::DoubleStarEqual => Operator::Pow,
        Tok::DoubleSlashEqual => Operator::FloorDiv,
        _ => return None,
    })
}

/// Where a block ends: its last statement's end.
fn end_of(body: &[Stmt]) -> Option<TextSize> {
    body.last().map(|s| s.range().end())
}

impl Parser<'_> {
    /// `Program`: statements and empty lines up to the last token.
    pub(super) fn program(&mut self) -> Option<Vec<Stmt>> {
        let mut body = Vec::new();
        while self.pos < self.toks.len() {
            if self.at(&Tok::Newline) {
                self.bump();
                continue;
            }
            self.statement(&mut body)?;
        }
        Some(body)
    }

    /// One compound statement, or one line of simple statements, appended to `out`.
    fn statement(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        match self.peek() {
            Tok::If
            | Tok::While
            | Tok::For
            | Tok::Try
            | Tok::With
            | Tok::Def
            | Tok::Class
            | Tok::At
            | Tok::Async => {
                let stmt = self.compound_statement()?;
                out.push(stmt);
                Some(())
            }
            _ => self.simple_statements(out),
        }
    }

    /// `SmallStatement (";" SmallStatement)* ";"? "\n"`.
    fn simple_statements(&mut self, out: &mut Vec<Stmt>) -> Option<()> {
        loop {
            let stmt = self.small_statement()?;
            out.push(stmt);
            match self.peek() {
                Tok::Newline => {
                    self.bump();
                    return Some(());
                }
                Tok::Semi => {
                    self.bump();
                    if self.at(&Tok::Newline) {
                        self.bump();
                        return Some(());
                    }
                }
                _ => return None,
            }
        }
    }

    /// `Suite`: simple statements on the header's line, or an indented block of statements.
    fn suite(&mut self) -> Option<Vec<Stmt>> {
        let mut body = Vec::new();
        if !self.at(&Tok::Newline) {
            self.simple_statements(&mut body)?;
            return Some(body);
        }
        self.bump();
        self.expect(&Tok::Indent)?;
        self.enter()?;
        loop {
            self.statement(&mut body)?;
            if self.at(&Tok::Dedent) {
                self.bump();
                break;
            }
        }
        self.leave();
        Some(body)
    }

    /// `SmallStatement`.
    fn small_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        Some(match self.peek() {
            Tok::Pass => {
                self.bump();
                Stmt::Pass(ast::StmtPass {
                    range: self.range(start),
                })
            }
            Tok::Break => {
                self.bump();
                Stmt::Break(ast::StmtBreak {
                    range: self.range(start),
                })
            }
            Tok::Continue => {
                self.bump();
                Stmt::Continue(ast::StmtContinue {
                    range: self.range(start),
                })
            }
            Tok::Del => self.del_statement()?,
            Tok::Return => {
                self.bump();
                let value = if self.starts_expr() {
                    Some(Box::new(self.test_list()?))
                } else {
                    None
                };
                Stmt::Return(ast::StmtReturn {
                    value,
                    range: self.range(start),
                })
            }
            Tok::Yield => {
                let value = self.yield_expr()?;
                Stmt::Expr(ast::StmtExpr {
                    value: Box::new(value),
                    range: self.range(start),
                })
            }
            Tok::Raise => self.raise_statement()?,
            Tok::Import => self.import_statement()?,
            Tok::From => self.import_from_statement()?,
            Tok::Global | Tok::Nonlocal => self.global_statement()?,
            Tok::Assert => {
                self.bump();
                let test = self.test()?;
                let msg = if self.at(&Tok::Comma) {
                    self.bump();
                    Some(Box::new(self.test()?))
                } else {
                    None
                };
                Stmt::Assert(ast::StmtAssert {
                    test: Box::new(test),
                    msg,
                    range: self.range(start),
                })
            }
            _ => self.expression_statement()?,
        })
    }

    /// `ExpressionStatement`: an expression, an assignment (chained: every value but the last
    /// is a target), an augmented assignment or an annotated one.
    fn expression_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        let expr = self.test_list()?;
        if self.at(&Tok::Equal) {
            let mut targets = vec![store_target(expr)?];
            self.bump();
            let mut value = self.test_list_or_yield()?;
            while self.at(&Tok::Equal) {
                self.bump();
                targets.push(store_target(value)?);
                value = self.test_list_or_yield()?;
            }
            return Some(Stmt::Assign(ast::StmtAssign {
                targets,
                value: Box::new(value),
                type_comment: None,
                range: self.range(start),
            }));
        }
        if let Some(op) = aug_assign(self.peek()) {
            self.bump();
            let target = single_target(expr)?;
            let value = self.test_list_or_yield()?;
            return Some(Stmt::AugAssign(ast::StmtAugAssign {
                target: Box::new(target),
                op,
                value: Box::new(value),
                range: self.range(start),
            }));
        }
        if self.at(&Tok::Colon) {
            self.bump();
            let simple = expr.is_name_expr();
            let target = single_target(expr)?;
            let annotation = self.test()?;
            let value = if self.at(&Tok::Equal) {
                self.bump();
                Some(Box::new(self.test_list_or_yield()?))
            } else {
                None
            };
            return Some(Stmt::AnnAssign(ast::StmtAnnAssign {
                target: Box::new(target),
                annotation: Box::new(annotation),
                value,
                simple,
                range: self.range(start),
            }));
        }
        Some(Stmt::Expr(ast::StmtExpr {
            value: Box::new(expr),
            range: self.range(start),
        }))
    }

    /// `DelStatement`: `del ExpressionList2`, each target in Del context.
    fn del_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let mut targets = Vec::new();
        loop {
            let expr = self.expr_or_star()?;
            targets.push(set_context(expr, ExprContext::Del)?);
            if !self.at(&Tok::Comma) {
                break;
            }
            self.bump();
            if !self.starts_expr() {
                break;
            }
        }
        Some(Stmt::Delete(ast::StmtDelete {
            targets,
            range: self.range(start),
        }))
    }

    /// `RaiseStatement`: `raise [Test [from Test]]`.
    fn raise_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let (mut exc, mut cause) = (None, None);
        if self.starts_expr() {
            exc = Some(Box::new(self.test()?));
            if self.at(&Tok::From) {
                self.bump();
                cause = Some(Box::new(self.test()?));
            }
        }
        Some(Stmt::Raise(ast::StmtRaise {
            exc,
            cause,
            range: self.range(start),
        }))
    }

    /// `GlobalStatement` / `NonlocalStatement`: names separated by commas.
    fn global_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        let global = self.at(&Tok::Global);
        self.bump();
        let mut names = vec![self.identifier()?];
        while self.at(&Tok::Comma) {
            self.bump();
            names.push(self.identifier()?);
        }
        let range = self.range(start);
        Some(if global {
            Stmt::Global(ast::StmtGlobal { names, range })
        } else {
            Stmt::Nonlocal(ast::StmtNonlocal { names, range })
        })
    }

    /// `DottedName`: `a.b.c` joined into one identifier.
    fn dotted_name(&mut self) -> Option<ast::Identifier> {
        let mut name = self.take_name_string()?;
        while self.at(&Tok::Dot) {
            self.bump();
            name.push('.');
            name.push_str(&self.take_name_string()?);
        }
        Some(ast::Identifier::new(name))
    }

    /// `ImportAsAlias<I>`: a (dotted) name and an optional `as` name.
    fn import_alias(&mut self, dotted: bool) -> Option<ast::Alias> {
        let start = self.start();
        let name = if dotted {
            self.dotted_name()?
        } else {
            self.identifier()?
        };
        let asname = if self.at(&Tok::As) {
            self.bump();
            Some(self.identifier()?)
        } else {
            None
        };
        Some(ast::Alias {
            name,
            asname,
            range: self.range(start),
        })
    }

    /// `import DottedName [as name], ...`.
    fn import_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let mut names = vec![self.import_alias(true)?];
        while self.at(&Tok::Comma) {
            self.bump();
            names.push(self.import_alias(true)?);
        }
        Some(Stmt::Import(ast::StmtImport {
            names,
            range: self.range(start),
        }))
    }

    /// `from ImportFromLocation import ImportAsNames`: dots (`...` counts three), an optional
    /// module, then `*`, names, or parenthesized names with an optional trailing comma.
    fn import_from_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let mut level = 0u32;
        loop {
            match self.peek() {
                Tok::Dot => level += 1,
                Tok::Ellipsis => level += 3,
                _ => break,
            }
            self.bump();
        }
        let module = if matches!(self.peek(), Tok::Name { .. }) {
            Some(self.dotted_name()?)
        } else if level == 0 {
            return None;
        } else {
            None
        };
        self.expect(&Tok::Import)?;
        let names = match self.peek() {
            Tok::Star => {
                let star = self.start();
                self.bump();
                vec![ast::Alias {
                    name: ast::Identifier::new("*"),
                    asname: None,
                    range: self.range(star),
                }]
            }
            Tok::Lpar => {
                self.bump();
                let mut names = vec![self.import_alias(false)?];
                while self.at(&Tok::Comma) {
                    self.bump();
                    if self.at(&Tok::Rpar) {
                        break;
                    }
                    names.push(self.import_alias(false)?);
                }
                self.expect(&Tok::Rpar)?;
                names
            }
            _ => {
                let mut names = vec![self.import_alias(false)?];
                while self.at(&Tok::Comma) {
                    self.bump();
                    names.push(self.import_alias(false)?);
                }
                names
            }
        };
        Some(Stmt::ImportFrom(ast::StmtImportFrom {
            module,
            names,
            level: Some(ast::Int::new(level)),
            range: self.range(start),
        }))
    }

    /// `CompoundStatement` (without `match`), decorators included.
    fn compound_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        match self.peek() {
            Tok::If => self.if_statement(),
            Tok::While => self.while_statement(),
            Tok::For => self.for_statement(start, false),
            Tok::Try => self.try_statement(),
            Tok::With => self.with_statement(start, false),
            Tok::Def => self.funcdef(Vec::new(), start, false),
            Tok::Class => self.classdef(Vec::new(), start),
            Tok::At => self.decorated(),
            Tok::Async => {
                self.bump();
                match self.peek() {
                    Tok::Def => self.funcdef(Vec::new(), start, true),
                    Tok::For => self.for_statement(start, true),
                    Tok::With => self.with_statement(start, true),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `":" Suite` after a header.
    fn block(&mut self) -> Option<Vec<Stmt>> {
        self.expect(&Tok::Colon)?;
        self.suite()
    }

    /// An optional `else : Suite`.
    fn else_block(&mut self) -> Option<Vec<Stmt>> {
        if self.at(&Tok::Else) {
            self.bump();
            self.block()
        } else {
            Some(Vec::new())
        }
    }

    /// `IfStatement`: `elif`s nest as `If`s in `orelse`, each ranging from its `elif` to the
    /// end of the whole statement.
    fn if_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let test = self.named_expression_test()?;
        let body = self.block()?;
        let mut elifs = Vec::new();
        while self.at(&Tok::Elif) {
            let elif_start = self.start();
            self.bump();
            let test = self.named_expression_test()?;
            let body = self.block()?;
            elifs.push((elif_start, test, body));
        }
        let mut orelse = self.else_block()?;
        let end = end_of(&orelse)
            .or_else(|| elifs.last().and_then(|(_, _, body)| end_of(body)))
            .or_else(|| end_of(&body))?;
        for (elif_start, test, body) in elifs.into_iter().rev() {
            orelse = vec![Stmt::If(ast::StmtIf {
                test: Box::new(test),
                body,
                orelse,
                range: TextRange::new(elif_start, end),
            })];
        }
        Some(Stmt::If(ast::StmtIf {
            test: Box::new(test),
            body,
            orelse,
            range: TextRange::new(start, end),
        }))
    }

    /// `WhileStatement`.
    fn while_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let test = self.named_expression_test()?;
        let body = self.block()?;
        let orelse = self.else_block()?;
        let end = end_of(&orelse).or_else(|| end_of(&body))?;
        Some(Stmt::While(ast::StmtWhile {
            test: Box::new(test),
            body,
            orelse,
            range: TextRange::new(start, end),
        }))
    }

    /// `ForStatement`: `[async] for ExpressionList in TestList : Suite [else : Suite]`.
    fn for_statement(&mut self, start: TextSize, is_async: bool) -> Option<Stmt> {
        self.expect(&Tok::For)?;
        let target = Box::new(store_target(self.expression_list()?)?);
        self.expect(&Tok::In)?;
        let iter = Box::new(self.test_list()?);
        let body = self.block()?;
        let orelse = self.else_block()?;
        let range = TextRange::new(start, end_of(&orelse).or_else(|| end_of(&body))?);
        let type_comment = None;
        Some(if is_async {
            Stmt::AsyncFor(ast::StmtAsyncFor {
                target,
                iter,
                body,
                orelse,
                type_comment,
                range,
            })
        } else {
            Stmt::For(ast::StmtFor {
                target,
                iter,
                body,
                orelse,
                type_comment,
                range,
            })
        })
    }

    /// `TryStatement` with `except` clauses (not `except*`) and/or `finally`.
    fn try_statement(&mut self) -> Option<Stmt> {
        let start = self.start();
        self.bump();
        let body = self.block()?;
        let mut handlers = Vec::new();
        while self.at(&Tok::Except) {
            handlers.push(self.except_clause()?);
        }
        let orelse = if handlers.is_empty() {
            Vec::new()
        } else {
            self.else_block()?
        };
        let finalbody = if self.at(&Tok::Finally) {
            self.bump();
            self.block()?
        } else {
            Vec::new()
        };
        let end = end_of(&finalbody)
            .or_else(|| end_of(&orelse))
            .or_else(|| handlers.last().map(|h| h.range().end()))?;
        Some(Stmt::Try(ast::StmtTry {
            body,
            handlers,
            orelse,
            finalbody,
            range: TextRange::new(start, end),
        }))
    }

    /// `ExceptClause`: `except [Test [as name]] : Suite`, ranging to its body's end.
    fn except_clause(&mut self) -> Option<ast::ExceptHandler> {
        let start = self.start();
        self.bump();
        let (mut type_, mut name) = (None, None);
        if !self.at(&Tok::Colon) {
            type_ = Some(Box::new(self.test()?));
            if self.at(&Tok::As) {
                self.bump();
                name = Some(self.identifier()?);
            }
        }
        let body = self.block()?;
        let end = end_of(&body)?;
        Some(ast::ExceptHandler::ExceptHandler(
            ast::ExceptHandlerExceptHandler {
                type_,
                name,
                body,
                range: TextRange::new(start, end),
            },
        ))
    }

    /// `WithStatement` whose items do not start with `(` (rustpython reads those specially).
    fn with_statement(&mut self, start: TextSize, is_async: bool) -> Option<Stmt> {
        self.expect(&Tok::With)?;
        if self.at(&Tok::Lpar) {
            return None;
        }
        let mut items = Vec::new();
        loop {
            let item_start = self.start();
            let context_expr = self.test()?;
            let optional_vars = if self.at(&Tok::As) {
                self.bump();
                Some(Box::new(store_target(self.expr()?)?))
            } else {
                None
            };
            items.push(ast::WithItem {
                context_expr,
                optional_vars,
                range: self.range(item_start),
            });
            if !self.at(&Tok::Comma) {
                break;
            }
            self.bump();
        }
        let body = self.block()?;
        let range = TextRange::new(start, end_of(&body)?);
        let type_comment = None;
        Some(if is_async {
            Stmt::AsyncWith(ast::StmtAsyncWith {
                items,
                body,
                type_comment,
                range,
            })
        } else {
            Stmt::With(ast::StmtWith {
                items,
                body,
                type_comment,
                range,
            })
        })
    }

    /// `Decorator*` then the function or class they decorate (which starts after them).
    fn decorated(&mut self) -> Option<Stmt> {
        let mut decorators = Vec::new();
        while self.at(&Tok::At) {
            self.bump();
            decorators.push(self.named_expression_test()?);
            self.expect(&Tok::Newline)?;
        }
        let start = self.start();
        match self.peek() {
            Tok::Def => self.funcdef(decorators, start, false),
            Tok::Class => self.classdef(decorators, start),
            Tok::Async if matches!(self.peek_at(1), Tok::Def) => {
                self.bump();
                self.funcdef(decorators, start, true)
            }
            _ => None,
        }
    }

    /// `FuncDef` (without type parameters): `Parameters` range over the parentheses when
    /// empty, else over the parameters.
    fn funcdef(
        &mut self,
        decorator_list: Vec<Expr>,
        start: TextSize,
        is_async: bool,
    ) -> Option<Stmt> {
        self.expect(&Tok::Def)?;
        let name = self.identifier()?;
        let params_start = self.start();
        self.expect(&Tok::Lpar)?;
        let args = if self.at(&Tok::Rpar) {
            self.bump();
            ast::Arguments::empty(self.range(params_start))
        } else {
            let args = self.parameter_list(true)?;
            self.expect(&Tok::Rpar)?;
            args
        };
        let returns = if self.at(&Tok::Rarrow) {
            self.bump();
            Some(Box::new(self.test()?))
        } else {
            None
        };
        let body = self.block()?;
        let range = TextRange::new(start, end_of(&body)?);
        let args = Box::new(args);
        let (type_comment, type_params) = (None, Vec::new());
        Some(if is_async {
            Stmt::AsyncFunctionDef(ast::StmtAsyncFunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                type_comment,
                type_params,
                range,
            })
        } else {
            Stmt::FunctionDef(ast::StmtFunctionDef {
                name,
                args,
                body,
                decorator_list,
                returns,
                type_comment,
                type_params,
                range,
            })
        })
    }

    /// `ClassDef` (without type parameters): bases and keywords from an `ArgumentList`.
    fn classdef(&mut self, decorator_list: Vec<Expr>, start: TextSize) -> Option<Stmt> {
        self.expect(&Tok::Class)?;
        let name = self.identifier()?;
        let (bases, keywords) = if self.at(&Tok::Lpar) {
            self.bump();
            let arguments = self.arguments()?;
            self.expect(&Tok::Rpar)?;
            arguments
        } else {
            (Vec::new(), Vec::new())
        };
        let body = self.block()?;
        let range = TextRange::new(start, end_of(&body)?);
        Some(Stmt::ClassDef(ast::StmtClassDef {
            name,
            bases,
            keywords,
            body,
            decorator_list,
            type_params: Vec::new(),
            range,
        }))
    }
}
