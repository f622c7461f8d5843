use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::semantics::util::{line_start, newline_of, next_line_start};
use crate::fixers::util::{called_name, operand_text, COMPARISON};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites the Python 2 builtin `cmp(a, b)` as `(a > b) - (a < b)`.
    ///
    /// ## Why
    /// Python 3 has no `cmp` builtin: the call raises `NameError`.
    ///
    /// ## Example
    /// ```python
    /// return cmp(self.dt, other.dt)
    /// ```
    /// becomes
    /// ```python
    /// return (self.dt > other.dt) - (self.dt < other.dt)
    /// ```
    ///
    /// ## Limits
    /// Skipped when `cmp` is bound anywhere in the module. Each operand is evaluated twice by
    /// the rewrite, so where an operand is not a plain name, attribute, constant or subscript of
    /// those (a call, say), or where `cmp` itself is passed around (`sorted(xs, cmp=cmp)`), the
    /// module gets its own `def cmp(a, b): return (a > b) - (a < b)` after its imports instead,
    /// and the calls stay as they are.
    pub CMP_BUILTIN = FixerSpec {
        code: "PY403",
        name: "cmp-builtin",
        summary: "cmp(a, b) -> (a > b) - (a < b)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL | expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("cmp")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if !checker.is_builtin("cmp") {
        return;
    }
    let call = match expr {
        Expr::Call(call) if called_name(call) == Some("cmp") => call,
        // `sorted(xs, cmp=cmp)`, `functools.cmp_to_key(cmp)`: the function itself is used.
        Expr::Name(n) if n.id.as_str() == "cmp" && matches!(n.ctx, ExprContext::Load) => {
            if matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c)))
                if std::ptr::eq(c.func.as_ref(), expr))
            {
                return;
            }
            let fix = helper_definition(checker).map(|e| Fix::safe(vec![e]));
            checker.report(&CMP_BUILTIN, expr, "`cmp` is gone in Python 3", fix);
            return;
        }
        _ => return,
    };
    let [a, b] = call.args.as_slice() else { return };
    if !call.keywords.is_empty() {
        return;
    }
    if !is_pure(a) || !is_pure(b) {
        // Inline, the operands would run twice: define the Python 2 function once instead.
        let fix = helper_definition(checker).map(|e| Fix::safe(vec![e]));
        checker.report(&CMP_BUILTIN, expr, "`cmp()` is gone in Python 3", fix);
        return;
    }
    let text = checker.text;
    let a = operand_text(text, a, COMPARISON + 1);
    let b = operand_text(text, b, COMPARISON + 1);
    let mut replacement = format!("({a} > {b}) - ({a} < {b})");
    let bare = match checker.parent() {
        None | Some(NodeRef::Stmt(_) | NodeRef::Keyword(_)) => true,
        Some(NodeRef::Expr(Expr::Call(c))) => c.args.iter().any(|x| std::ptr::eq(x, expr)),
        Some(NodeRef::Expr(Expr::List(_) | Expr::Tuple(_) | Expr::Set(_))) => true,
        _ => false,
    };
    if !bare {
        replacement = format!("({replacement})");
    }
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, replacement)]);
    checker.report(&CMP_BUILTIN, expr, "`cmp()` is gone in Python 3", Some(fix));
}

/// The edit that defines Python 2's `cmp` at the top of the module, after its docstring and its
/// leading imports (every fix that needs it makes the same edit, which the engine applies once).
fn helper_definition(checker: &Checker) -> Option<Edit> {
    let suite = checker.module();
    let text = checker.text;
    let nl = newline_of(text);
    let body = format!("def cmp(a, b):{nl}    return (a > b) - (a < b){nl}");
    let mut after = None;
    for (i, stmt) in suite.iter().enumerate() {
        let docstring = i == 0
            && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(),
                Expr::Constant(c) if c.value.is_str()));
        if docstring || matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
            after = Some(stmt.range().end().to_usize());
        } else {
            break;
        }
    }
    match after {
        Some(end) => {
            let rest = text.get(end..)?;
            let line = rest.split('\n').next().unwrap_or("");
            let tail = line.trim_start_matches([' ', '\t', '\r', '\x0c']);
            if !(tail.is_empty() || tail.starts_with('#')) {
                return None;
            }
            let at = next_line_start(text, end);
            let lead = if at == text.len() && !text.ends_with('\n') {
                format!("{nl}{nl}{nl}")
            } else {
                format!("{nl}{nl}")
            };
            Some(Edit::insert(at, format!("{lead}{body}{nl}")))
        }
        None => {
            let first = suite.first()?;
            let at = line_start(text, first.range().start().to_usize());
            Some(Edit::insert(at, format!("{body}{nl}{nl}")))
        }
    }
}

fn is_pure(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) | Expr::Constant(_) => true,
        Expr::Attribute(a) => is_pure(&a.value),
        Expr::Subscript(s) => is_pure(&s.value) && is_pure(&s.slice),
        Expr::UnaryOp(u) => is_pure(&u.operand),
        Expr::Tuple(t) => t.elts.iter().all(is_pure),
        _ => false,
    }
}
