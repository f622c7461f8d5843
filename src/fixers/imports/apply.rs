use rustpython_ast::Expr;

#[allow(unused_imports)]
use super::util::{builtin_call, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Edit;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_apply`: `apply(f, args)` becomes `f(*args)`, `apply(f, args, kw)` becomes `f(*args, **kw)`.
    ///
    /// ## Why
    /// Python 3 has no builtin `apply`.
    ///
    /// ## Example
    /// ```python
    /// apply(func, args, kwargs)
    /// ```
    /// becomes
    /// ```python
    /// func(*args, **kwargs)
    /// ```
    pub APPLY = FixerSpec {
        code: "PY214",
        name: "apply",
        summary: "apply(f, args, kw) -> f(*args, **kw) (2to3 fix_apply)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    use crate::fixers::util::{operand_text, ATOM};
    let Some(call) = builtin_call(checker, expr, "apply", 2, 3) else {
        return;
    };
    let text = checker.text;
    let mut parts = call.args.iter();
    let (Some(func), Some(args)) = (parts.next(), parts.next()) else {
        return;
    };
    let mut new = format!(
        "{}(*{}",
        operand_text(text, func, ATOM),
        operand_text(text, args, ATOM)
    );
    if let Some(kwargs) = parts.next() {
        new.push_str(&format!(", **{}", operand_text(text, kwargs, ATOM)));
    }
    new.push(')');
    let fix = Fix::safe(vec![Edit::replace_node(expr, new)]);
    checker.report(
        &APPLY,
        expr,
        "`apply` is gone in Python 3: call the function with `*args`",
        Some(fix),
    );
}
