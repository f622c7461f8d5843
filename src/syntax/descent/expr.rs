//! Expressions: from `Test` down to `Atom`, calls, subscripts, displays, comprehensions,
//! lambdas and parameter lists, each mirroring its rule in rustpython's grammar.

use rustpython_parser::ast::{
    self, Arg, ArgWithDefault, Arguments, BoolOp, CmpOp, Comprehension, Constant, Expr,
    ExprContext, Keyword, Operator, Ranged, UnaryOp,
};
use rustpython_parser::text_size::{TextRange, TextSize};
use rustpython_parser::Tok;

use super::Parser;

/// A Load-context tuple.
fn tuple(elts: Vec<Expr>, range: TextRange) -> Expr {
    Expr::Tuple(ast::ExprTuple {
        elts,
        ctx: ExprContext::Load,
        range,
    })
}

/// A constant without a kind.
fn constant(value: Constant, range: TextRange) -> Expr {
    Expr::Constant(ast::ExprConstant {
        value,
        kind: None,
        range,
    })
}

/// `AddOp` / `MulOp` / `ShiftOp` and the bitwise operators, by the level they belong to.
#[derive(Clone, Copy)]
enum Level {
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Arith,
    Term,
}

impl Level {
    /// The operator `tok` stands for at this level.
    #[inline]
    fn operator(self, tok: &Tok) -> Option<Operator> {
        Some(match (self, tok) {
            (Level::BitOr, Tok::Vbar) => Operator::BitOr,
            (Level::BitXor, Tok::CircumFlex) => Operator::BitXor,
            (Level::BitAnd, Tok::Amper) => Operator::BitAnd,
            (Level::Shift, Tok::LeftShift) => Operator::LShift,
            (Level::Shift, Tok::RightShift) => Operator::RShift,
            (Level::Arith, Tok::Plus) => Operator::Add,
            (Level::Arith, Tok::Minus) => Operator::Sub,
            (Level::Term, Tok::Star) => Operator::Mult,
            (Level::Term, Tok::Slash) => Operator::Div,
            (Level::Term, Tok::DoubleSlash) => Operator::FloorDiv,
            (Level::Term, Tok::Percent) => Operator::Mod,
            (Level::Term, Tok::At) => Operator::MatMult,
            _ => return None,
        })
    }

    /// The level of the operands.
    #[inline]
    fn next(self) -> Option<Level> {
        match self {
            Level::BitOr => Some(Level::BitXor),
            Level::BitXor => Some(Level::BitAnd),
            Level::BitAnd => Some(Level::Shift),
            Level::Shift => Some(Level::Arith),
            Level::Arith => Some(Level::Term),
            Level::Term => None,
        }
    }
}

impl Parser<'_> {
    /// `Test<"all">`: a lambda, a conditional expression or an `OrTest`.
    pub(super) fn test(&mut self) -> Option<Expr> {
        self.enter()?;
        let expr = if self.at(&Tok::Lambda) {
            self.lambdef()?
        } else {
            let start = self.start();
            let body = self.or_test()?;
            if self.at(&Tok::If) {
                self.bump();
                let test = self.or_test()?;
                self.expect(&Tok::Else)?;
                let orelse = self.test()?;
                Expr::IfExp(ast::ExprIfExp {
                    test: Box::new(test),
                    body: Box::new(body),
                    orelse: Box::new(orelse),
                    range: self.range(start),
                })
            } else {
                body
            }
        };
        self.leave();
        Some(expr)
    }

    /// Whether a `NamedExpression` (`name := value`) starts here.
    #[inline]
    fn at_named_expression(&self) -> bool {
        matches!(self.peek(), Tok::Name { .. }) && matches!(self.peek_at(1), Tok::ColonEqual)
    }

    /// `NamedExpressionTest`: a walrus or a `Test`.
    pub(super) fn named_expression_test(&mut self) -> Option<Expr> {
        if self.at_named_expression() {
            self.named_expression()
        } else {
            self.test()
        }
    }

    /// `NamedExpression`: `name := Test`, ranging to the end of the value's node.
    fn named_expression(&mut self) -> Option<Expr> {
        let start = self.start();
        let id = self.identifier()?;
        let target_range = self.range(start);
        self.expect(&Tok::ColonEqual)?;
        let value = self.test()?;
        let range = TextRange::new(start, value.range().end());
        Some(Expr::NamedExpr(ast::ExprNamedExpr {
            target: Box::new(Expr::Name(ast::ExprName {
                id,
                ctx: ExprContext::Store,
                range: target_range,
            })),
            value: Box::new(value),
            range,
        }))
    }

    /// `TestOrStarNamedExpr`: a starred expression, a walrus or a `Test`.
    pub(super) fn test_or_star_named(&mut self) -> Option<Expr> {
        if self.at(&Tok::Star) {
            self.star_expr()
        } else {
            self.named_expression_test()
        }
    }

    /// `TestOrStarExpr`: a starred expression or a `Test`.
    pub(super) fn test_or_star(&mut self) -> Option<Expr> {
        if self.at(&Tok::Star) {
            self.star_expr()
        } else {
            self.test()
        }
    }

    /// `ExpressionOrStarExpression`: a starred expression or an `Expression<"all">`.
    pub(super) fn expr_or_star(&mut self) -> Option<Expr> {
        if self.at(&Tok::Star) {
            self.star_expr()
        } else {
            self.expr()
        }
    }

    /// `StarExpr`: `* Expression<"all">`.
    fn star_expr(&mut self) -> Option<Expr> {
        let start = self.start();
        self.bump();
        let value = self.expr()?;
        Some(Expr::Starred(ast::ExprStarred {
            value: Box::new(value),
            ctx: ExprContext::Load,
            range: self.range(start),
        }))
    }

    /// `TestList` (`GenericList<TestOrStarExpr>`): one element, or a tuple ranging over the
    /// elements and any trailing comma. A lone starred element gives up (rustpython would take
    /// it; CPython refuses it).
    pub(super) fn test_list(&mut self) -> Option<Expr> {
        self.generic_list(Self::test_or_star)
    }

    /// `ExpressionList` (`GenericList<ExpressionOrStarExpression>`): the targets of `for`.
    pub(super) fn expression_list(&mut self) -> Option<Expr> {
        self.generic_list(Self::expr_or_star)
    }

    /// `GenericList<Element>`.
    fn generic_list(&mut self, element: fn(&mut Self) -> Option<Expr>) -> Option<Expr> {
        let start = self.start();
        let first = element(self)?;
        if !self.at(&Tok::Comma) {
            return (!first.is_starred_expr()).then_some(first);
        }
        let mut elts = vec![first];
        while self.at(&Tok::Comma) {
            self.bump();
            if !self.starts_expr() {
                break;
            }
            elts.push(element(self)?);
        }
        Some(tuple(elts, self.range(start)))
    }

    /// `TestListOrYieldExpr`: the right-hand side of an assignment.
    pub(super) fn test_list_or_yield(&mut self) -> Option<Expr> {
        if self.at(&Tok::Yield) {
            self.yield_expr()
        } else {
            self.test_list()
        }
    }

    /// `YieldExpr`: `yield [TestList]` or `yield from Test`.
    pub(super) fn yield_expr(&mut self) -> Option<Expr> {
        let start = self.start();
        self.expect(&Tok::Yield)?;
        if self.at(&Tok::From) {
            self.bump();
            let value = self.test()?;
            return Some(Expr::YieldFrom(ast::ExprYieldFrom {
                value: Box::new(value),
                range: self.range(start),
            }));
        }
        let value = if self.starts_expr() {
            Some(Box::new(self.test_list()?))
        } else {
            None
        };
        Some(Expr::Yield(ast::ExprYield {
            value,
            range: self.range(start),
        }))
    }

    /// `OrTest<"all">`: `and` tests joined by `or`, flattened into one `BoolOp`.
    pub(super) fn or_test(&mut self) -> Option<Expr> {
        self.bool_chain(Tok::Or, BoolOp::Or, Self::and_test)
    }

    /// `AndTest<"all">`: `not` tests joined by `and`, flattened into one `BoolOp`.
    fn and_test(&mut self) -> Option<Expr> {
        self.bool_chain(Tok::And, BoolOp::And, Self::not_test)
    }

    /// Operands of `operand` joined by `joiner`: the operand alone, or one `BoolOp` of them all.
    fn bool_chain(
        &mut self,
        joiner: Tok,
        op: BoolOp,
        operand: fn(&mut Self) -> Option<Expr>,
    ) -> Option<Expr> {
        let start = self.start();
        let first = operand(self)?;
        if !self.at(&joiner) {
            return Some(first);
        }
        let mut values = vec![first];
        while self.at(&joiner) {
            self.bump();
            values.push(operand(self)?);
        }
        Some(Expr::BoolOp(ast::ExprBoolOp {
            op,
            values,
            range: self.range(start),
        }))
    }

    /// `NotTest<"all">`: `not NotTest` or a comparison.
    fn not_test(&mut self) -> Option<Expr> {
        if !self.at(&Tok::Not) {
            return self.comparison();
        }
        self.enter()?;
        let start = self.start();
        self.bump();
        let operand = self.not_test()?;
        self.leave();
        Some(Expr::UnaryOp(ast::ExprUnaryOp {
            op: UnaryOp::Not,
            operand: Box::new(operand),
            range: self.range(start),
        }))
    }

    /// `Comparison<"all">`: an expression and any chain of `CompOp Expression`.
    fn comparison(&mut self) -> Option<Expr> {
        let start = self.start();
        let left = self.expr()?;
        let Some(op) = self.comp_op() else {
            return Some(left);
        };
        let mut ops = vec![op];
        let mut comparators = vec![self.expr()?];
        while let Some(op) = self.comp_op() {
            ops.push(op);
            comparators.push(self.expr()?);
        }
        Some(Expr::Compare(ast::ExprCompare {
            left: Box::new(left),
            ops,
            comparators,
            range: self.range(start),
        }))
    }

    /// `CompOp`, consumed when present.
    fn comp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek() {
            Tok::EqEqual => CmpOp::Eq,
            Tok::NotEqual => CmpOp::NotEq,
            Tok::Less => CmpOp::Lt,
            Tok::LessEqual => CmpOp::LtE,
            Tok::Greater => CmpOp::Gt,
            Tok::GreaterEqual => CmpOp::GtE,
            Tok::In => CmpOp::In,
            Tok::Not if matches!(self.peek_at(1), Tok::In) => {
                self.bump();
                CmpOp::NotIn
            }
            Tok::Is if matches!(self.peek_at(1), Tok::Not) => {
                self.bump();
                CmpOp::IsNot
            }
            Tok::Is => CmpOp::Is,
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    /// `Expression<"all">`: the `|` level, under which every nested expression passes (the
    /// depth guard's main post).
    pub(super) fn expr(&mut self) -> Option<Expr> {
        self.enter()?;
        let expr = self.binary(Level::BitOr)?;
        self.leave();
        Some(expr)
    }

    /// The left-associative binary levels from `|` down to `Term`: a loop per level, each
    /// `BinOp` ranging from the first operand's first token.
    fn binary(&mut self, level: Level) -> Option<Expr> {
        let start = self.start();
        let mut left = self.operand(level)?;
        while let Some(op) = level.operator(self.peek()) {
            self.bump();
            let right = self.operand(level)?;
            left = Expr::BinOp(ast::ExprBinOp {
                left: Box::new(left),
                op,
                right: Box::new(right),
                range: self.range(start),
            });
        }
        Some(left)
    }

    /// An operand of `level`: the next level down, or a `Factor` under `Term`.
    #[inline]
    fn operand(&mut self, level: Level) -> Option<Expr> {
        match level.next() {
            Some(next) => self.binary(next),
            None => self.factor(),
        }
    }

    /// `Factor<"all">`: unary `+`, `-`, `~` or a `Power`.
    fn factor(&mut self) -> Option<Expr> {
        let op = match self.peek() {
            Tok::Plus => UnaryOp::UAdd,
            Tok::Minus => UnaryOp::USub,
            Tok::Tilde => UnaryOp::Invert,
            _ => return self.power(),
        };
        self.enter()?;
        let start = self.start();
        self.bump();
        let operand = self.factor()?;
        self.leave();
        Some(Expr::UnaryOp(ast::ExprUnaryOp {
            op,
            operand: Box::new(operand),
            range: self.range(start),
        }))
    }

    /// `Power<"all">`: `AtomExpr ** Factor` (right-associative through `Factor`).
    fn power(&mut self) -> Option<Expr> {
        let start = self.start();
        let base = self.atom_expr()?;
        if !self.at(&Tok::DoubleStar) {
            return Some(base);
        }
        self.bump();
        self.enter()?;
        let exponent = self.factor()?;
        self.leave();
        Some(Expr::BinOp(ast::ExprBinOp {
            left: Box::new(base),
            op: Operator::Pow,
            right: Box::new(exponent),
            range: self.range(start),
        }))
    }

    /// `AtomExpr<"all">`: `await AtomExpr2` or an `AtomExpr2`.
    fn atom_expr(&mut self) -> Option<Expr> {
        if !self.at(&Tok::Await) {
            return self.atom_expr2();
        }
        let start = self.start();
        self.bump();
        let value = self.atom_expr2()?;
        Some(Expr::Await(ast::ExprAwait {
            value: Box::new(value),
            range: self.range(start),
        }))
    }

    /// `AtomExpr2<"all">`: an atom and its trailers (calls, subscripts, attributes), each
    /// ranging from the atom's first token.
    fn atom_expr2(&mut self) -> Option<Expr> {
        let start = self.start();
        let mut expr = self.atom()?;
        loop {
            expr = match self.peek() {
                Tok::Lpar => {
                    self.bump();
                    let (args, keywords) = self.arguments()?;
                    self.expect(&Tok::Rpar)?;
                    Expr::Call(ast::ExprCall {
                        func: Box::new(expr),
                        args,
                        keywords,
                        range: self.range(start),
                    })
                }
                Tok::Lsqb => {
                    self.bump();
                    let slice = self.subscript_list()?;
                    self.expect(&Tok::Rsqb)?;
                    Expr::Subscript(ast::ExprSubscript {
                        value: Box::new(expr),
                        slice: Box::new(slice),
                        ctx: ExprContext::Load,
                        range: self.range(start),
                    })
                }
                Tok::Dot => {
                    self.bump();
                    let attr = self.identifier()?;
                    Expr::Attribute(ast::ExprAttribute {
                        value: Box::new(expr),
                        attr,
                        ctx: ExprContext::Load,
                        range: self.range(start),
                    })
                }
                _ => return Some(expr),
            };
        }
    }

    /// `SubscriptList`: one subscript, or a tuple of them ranging over any trailing comma.
    fn subscript_list(&mut self) -> Option<Expr> {
        let start = self.start();
        let first = self.subscript()?;
        if !self.at(&Tok::Comma) {
            return Some(first);
        }
        let mut elts = vec![first];
        while self.at(&Tok::Comma) {
            self.bump();
            if self.at(&Tok::Rsqb) {
                break;
            }
            elts.push(self.subscript()?);
        }
        Some(tuple(elts, self.range(start)))
    }

    /// `Subscript`: `TestOrStarNamedExpr` or a slice `[Test] : [Test] [: [Test]]`.
    fn subscript(&mut self) -> Option<Expr> {
        let start = self.start();
        let lower = match self.peek() {
            Tok::Colon => None,
            Tok::Star => return self.star_expr(),
            _ if self.at_named_expression() => return self.named_expression(),
            _ => {
                let lower = self.test()?;
                if !self.at(&Tok::Colon) {
                    return Some(lower);
                }
                Some(Box::new(lower))
            }
        };
        self.bump();
        let upper = if matches!(self.peek(), Tok::Colon | Tok::Comma | Tok::Rsqb) {
            None
        } else {
            Some(Box::new(self.test()?))
        };
        let step = if self.at(&Tok::Colon) {
            self.bump();
            if matches!(self.peek(), Tok::Comma | Tok::Rsqb) {
                None
            } else {
                Some(Box::new(self.test()?))
            }
        } else {
            None
        };
        Some(Expr::Slice(ast::ExprSlice {
            lower,
            upper,
            step,
            range: self.range(start),
        }))
    }

    /// `ArgumentList` after a call's or class's `(`, up to (not including) its `)`, with
    /// `parse_args`'s checks: no positional argument after a keyword, no `*` after `**`, no
    /// repeated keyword.
    pub(super) fn arguments(&mut self) -> Option<(Vec<Expr>, Vec<Keyword>)> {
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let mut double_starred = false;
        while !self.at(&Tok::Rpar) {
            let start = self.start();
            match self.peek() {
                Tok::Star => {
                    self.bump();
                    let value = self.test()?;
                    if double_starred {
                        return None;
                    }
                    args.push(Expr::Starred(ast::ExprStarred {
                        value: Box::new(value),
                        ctx: ExprContext::Load,
                        range: self.range(start),
                    }));
                }
                Tok::DoubleStar => {
                    self.bump();
                    let value = self.test()?;
                    double_starred = true;
                    keywords.push(Keyword {
                        arg: None,
                        value,
                        range: self.range(start),
                    });
                }
                Tok::Name { .. } if matches!(self.peek_at(1), Tok::Equal) => {
                    let name = self.identifier()?;
                    self.bump();
                    let value = self.test()?;
                    if keywords.iter().any(|k| k.arg.as_ref() == Some(&name)) {
                        return None;
                    }
                    keywords.push(Keyword {
                        arg: Some(name),
                        value,
                        range: self.range(start),
                    });
                }
                _ => {
                    let expr = self.named_expression_test()?;
                    let expr = if self.at_comp_for() {
                        let generators = self.comp_for()?;
                        Expr::GeneratorExp(ast::ExprGeneratorExp {
                            elt: Box::new(expr),
                            generators,
                            range: self.range(start),
                        })
                    } else {
                        expr
                    };
                    if !keywords.is_empty() {
                        return None;
                    }
                    args.push(expr);
                }
            }
            if !self.at(&Tok::Comma) {
                break;
            }
            self.bump();
        }
        Some((args, keywords))
    }

    /// `Atom<"all">`: literals, names and the bracketed forms.
    fn atom(&mut self) -> Option<Expr> {
        let start = self.start();
        let value = match self.tok_mut()? {
            Tok::String { .. } => return self.strings(),
            Tok::Name { name } => {
                let id = ast::Identifier::new(std::mem::take(name));
                self.bump();
                return Some(Expr::Name(ast::ExprName {
                    id,
                    ctx: ExprContext::Load,
                    range: self.range(start),
                }));
            }
            Tok::Int { value } => Constant::Int(std::mem::take(value)),
            Tok::Float { value } => Constant::Float(*value),
            Tok::Complex { real, imag } => Constant::Complex {
                real: *real,
                imag: *imag,
            },
            Tok::True => Constant::Bool(true),
            Tok::False => Constant::Bool(false),
            Tok::None => Constant::None,
            Tok::Ellipsis => Constant::Ellipsis,
            Tok::Lpar => return self.paren_atom(),
            Tok::Lsqb => return self.list_atom(),
            Tok::Lbrace => return self.brace_atom(),
            _ => return None,
        };
        self.bump();
        Some(constant(value, self.range(start)))
    }

    /// The `(` forms of `Atom`: the empty tuple, a parenthesized yield, a generator expression,
    /// a parenthesized expression (its own node and range) or a tuple (ranging over the
    /// parentheses).
    fn paren_atom(&mut self) -> Option<Expr> {
        let start = self.start();
        self.bump();
        self.enter()?;
        match self.peek() {
            Tok::Rpar => {
                self.bump();
                self.leave();
                return Some(tuple(Vec::new(), self.range(start)));
            }
            Tok::Yield => {
                let expr = self.yield_expr()?;
                self.expect(&Tok::Rpar)?;
                self.leave();
                return Some(expr);
            }
            _ => {}
        }
        let first = self.test_or_star_named()?;
        let expr = if self.at_comp_for() {
            if first.is_starred_expr() {
                return None;
            }
            let generators = self.comp_for()?;
            self.expect(&Tok::Rpar)?;
            Expr::GeneratorExp(ast::ExprGeneratorExp {
                elt: Box::new(first),
                generators,
                range: self.range(start),
            })
        } else if self.at(&Tok::Rpar) {
            self.bump();
            if first.is_starred_expr() {
                return None;
            }
            first
        } else {
            let elts = self.elements_after(first, Tok::Rpar)?;
            tuple(elts, self.range(start))
        };
        self.leave();
        Some(expr)
    }

    /// The rest of a comma-separated `TestOrStarNamedExpr` list after its `first` element, with
    /// an optional trailing comma, through the `closer`.
    fn elements_after(&mut self, first: Expr, closer: Tok) -> Option<Vec<Expr>> {
        let mut elts = vec![first];
        while self.at(&Tok::Comma) {
            self.bump();
            if self.at(&closer) {
                break;
            }
            elts.push(self.test_or_star_named()?);
        }
        self.expect(&closer)?;
        Some(elts)
    }

    /// The `[` forms of `Atom`: a list display or a list comprehension.
    fn list_atom(&mut self) -> Option<Expr> {
        let start = self.start();
        self.bump();
        self.enter()?;
        if self.at(&Tok::Rsqb) {
            self.bump();
            self.leave();
            return Some(Expr::List(ast::ExprList {
                elts: Vec::new(),
                ctx: ExprContext::Load,
                range: self.range(start),
            }));
        }
        let first = self.test_or_star_named()?;
        let expr = if self.at_comp_for() {
            if first.is_starred_expr() {
                return None;
            }
            let generators = self.comp_for()?;
            self.expect(&Tok::Rsqb)?;
            Expr::ListComp(ast::ExprListComp {
                elt: Box::new(first),
                generators,
                range: self.range(start),
            })
        } else {
            let elts = self.elements_after(first, Tok::Rsqb)?;
            Expr::List(ast::ExprList {
                elts,
                ctx: ExprContext::Load,
                range: self.range(start),
            })
        };
        self.leave();
        Some(expr)
    }

    /// The `{` forms of `Atom`: dict and set displays and comprehensions.
    fn brace_atom(&mut self) -> Option<Expr> {
        let start = self.start();
        self.bump();
        self.enter()?;
        if self.at(&Tok::Rbrace) {
            self.bump();
            self.leave();
            return Some(Expr::Dict(ast::ExprDict {
                keys: Vec::new(),
                values: Vec::new(),
                range: self.range(start),
            }));
        }
        let expr = if self.at(&Tok::DoubleStar) {
            self.bump();
            let value = self.expr()?;
            self.dict_after(None, value, start)?
        } else {
            // Only a `Test` can be a key; a set element may also be starred or a walrus.
            let plain = !self.at(&Tok::Star) && !self.at_named_expression();
            let first = self.test_or_star_named()?;
            if self.at(&Tok::Colon) {
                if !plain {
                    return None;
                }
                self.bump();
                let value = self.test()?;
                if self.at_comp_for() {
                    let generators = self.comp_for()?;
                    self.expect(&Tok::Rbrace)?;
                    Expr::DictComp(ast::ExprDictComp {
                        key: Box::new(first),
                        value: Box::new(value),
                        generators,
                        range: self.range(start),
                    })
                } else {
                    self.dict_after(Some(first), value, start)?
                }
            } else if self.at_comp_for() {
                if first.is_starred_expr() {
                    return None;
                }
                let generators = self.comp_for()?;
                self.expect(&Tok::Rbrace)?;
                Expr::SetComp(ast::ExprSetComp {
                    elt: Box::new(first),
                    generators,
                    range: self.range(start),
                })
            } else {
                let elts = self.elements_after(first, Tok::Rbrace)?;
                Expr::Set(ast::ExprSet {
                    elts,
                    range: self.range(start),
                })
            }
        };
        self.leave();
        Some(expr)
    }

    /// `DictLiteralValues` after the first element, through the `}`.
    fn dict_after(&mut self, key: Option<Expr>, value: Expr, start: TextSize) -> Option<Expr> {
        let mut keys = vec![key];
        let mut values = vec![value];
        while self.at(&Tok::Comma) {
            self.bump();
            if self.at(&Tok::Rbrace) {
                break;
            }
            if self.at(&Tok::DoubleStar) {
                self.bump();
                keys.push(None);
                values.push(self.expr()?);
            } else {
                keys.push(Some(self.test()?));
                self.expect(&Tok::Colon)?;
                values.push(self.test()?);
            }
        }
        self.expect(&Tok::Rbrace)?;
        Some(Expr::Dict(ast::ExprDict {
            keys,
            values,
            range: self.range(start),
        }))
    }

    /// Whether a `SingleForComprehension` starts here.
    #[inline]
    pub(super) fn at_comp_for(&self) -> bool {
        match self.peek() {
            Tok::For => true,
            Tok::Async => matches!(self.peek_at(1), Tok::For),
            _ => false,
        }
    }

    /// `CompFor`: one or more `[async] for ExpressionList in OrTest (if OrTest)*`.
    fn comp_for(&mut self) -> Option<Vec<Comprehension>> {
        let mut generators = Vec::new();
        while self.at_comp_for() {
            let start = self.start();
            let is_async = self.at(&Tok::Async);
            if is_async {
                self.bump();
            }
            self.expect(&Tok::For)?;
            let target = super::stmt::store_target(self.expression_list()?)?;
            self.expect(&Tok::In)?;
            let iter = self.or_test()?;
            let mut ifs = Vec::new();
            while self.at(&Tok::If) {
                self.bump();
                ifs.push(self.or_test()?);
            }
            generators.push(Comprehension {
                target,
                iter,
                ifs,
                is_async,
                range: self.range(start),
            });
        }
        Some(generators)
    }

    /// `LambdaDef`: `lambda [ParameterList] : Test`; without parameters, the empty
    /// `Arguments` range over the whole lambda.
    fn lambdef(&mut self) -> Option<Expr> {
        let start = self.start();
        self.bump();
        let params = if self.at(&Tok::Colon) {
            None
        } else {
            Some(self.parameter_list(false)?)
        };
        self.expect(&Tok::Colon)?;
        let body = self.test()?;
        let range = self.range(start);
        let args = params.unwrap_or_else(|| Arguments::empty(range));
        Some(Expr::Lambda(ast::ExprLambda {
            args: Box::new(args),
            body: Box::new(body),
            range,
        }))
    }

    /// `ParameterList<...>` of a `def` (`typed`: annotations allowed, ends at `)`) or a lambda
    /// (ends at `:`), ranging over any trailing comma, with `validate_pos_params` and
    /// `validate_arguments`: no parameter without default after one with, no repeated name.
    pub(super) fn parameter_list(&mut self, typed: bool) -> Option<Arguments> {
        let start = self.start();
        let closer = if typed { Tok::Rpar } else { Tok::Colon };
        let mut posonlyargs = Vec::new();
        let mut args = Vec::new();
        let mut kwonlyargs = Vec::new();
        let mut vararg = None;
        let mut kwarg = None;
        let (mut star, mut slash, mut bare_star) = (false, false, false);
        loop {
            match self.peek() {
                Tok::Name { .. } => {
                    let param = self.parameter_def(typed)?;
                    if star {
                        bare_star = false;
                        kwonlyargs.push(param);
                    } else {
                        args.push(param);
                    }
                }
                Tok::Slash if !star && !slash && !args.is_empty() => {
                    self.bump();
                    slash = true;
                    posonlyargs = std::mem::take(&mut args);
                }
                Tok::Star if !star => {
                    self.bump();
                    star = true;
                    if matches!(self.peek(), Tok::Name { .. }) {
                        vararg = Some(Box::new(self.star_parameter(typed)?));
                    } else {
                        bare_star = true;
                    }
                }
                Tok::DoubleStar => {
                    self.bump();
                    kwarg = Some(Box::new(self.kwarg_parameter(typed)?));
                    if self.at(&Tok::Comma) {
                        self.bump();
                    }
                    break;
                }
                _ => return None,
            }
            if !self.at(&Tok::Comma) {
                break;
            }
            self.bump();
            if self.at(&closer) {
                break;
            }
        }
        if bare_star && kwarg.is_none() {
            return None;
        }
        let mut seen_default = false;
        for param in posonlyargs.iter().chain(&args) {
            if param.default.is_some() {
                seen_default = true;
            } else if seen_default {
                return None;
            }
        }
        let names: Vec<&str> = posonlyargs
            .iter()
            .chain(&args)
            .chain(&kwonlyargs)
            .map(|p| &p.def)
            .chain(vararg.as_deref())
            .chain(kwarg.as_deref())
            .map(|a: &Arg| a.arg.as_str())
            .collect();
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return None;
            }
        }
        Some(Arguments {
            posonlyargs,
            args,
            vararg,
            kwonlyargs,
            kwarg,
            range: self.range(start),
        })
    }

    /// `ParameterDef`: `TypedParameter` / `UntypedParameter` and an optional default; the
    /// ranges of both the `Arg` and the `ArgWithDefault` leave the default out.
    fn parameter_def(&mut self, typed: bool) -> Option<ArgWithDefault> {
        let start = self.start();
        let arg = self.identifier()?;
        let annotation = if typed && self.at(&Tok::Colon) {
            self.bump();
            Some(Box::new(self.test()?))
        } else {
            None
        };
        let range = self.range(start);
        let default = if self.at(&Tok::Equal) {
            self.bump();
            Some(Box::new(self.test()?))
        } else {
            None
        };
        Some(ArgWithDefault {
            def: Arg {
                arg,
                annotation,
                type_comment: None,
                range,
            },
            default,
            range,
        })
    }

    /// `StarTypedParameter` / `StarUntypedParameter`: the name after `*` (its annotation may
    /// be starred).
    fn star_parameter(&mut self, typed: bool) -> Option<Arg> {
        let start = self.start();
        let arg = self.identifier()?;
        let annotation = if typed && self.at(&Tok::Colon) {
            self.bump();
            Some(Box::new(self.test_or_star()?))
        } else {
            None
        };
        Some(Arg {
            arg,
            annotation,
            type_comment: None,
            range: self.range(start),
        })
    }

    /// `KwargParameter`: the name after `**` (a bare `**` gives up).
    fn kwarg_parameter(&mut self, typed: bool) -> Option<Arg> {
        let start = self.start();
        let arg = self.identifier()?;
        let annotation = if typed && self.at(&Tok::Colon) {
            self.bump();
            Some(Box::new(self.test()?))
        } else {
            None
        };
        Some(Arg {
            arg,
            annotation,
            type_comment: None,
            range: self.range(start),
        })
    }
}
