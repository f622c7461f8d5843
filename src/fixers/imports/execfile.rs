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
    /// 2to3's `fix_execfile`: `execfile(fn, g, l)` becomes `exec(compile(open(fn, "rb").read(), fn, 'exec'), g, l)`.
    ///
    /// ## Why
    /// Python 3 has no builtin `execfile`.
    ///
    /// ## Example
    /// ```python
    /// execfile("setup.py", ns)
    /// ```
    /// becomes
    /// ```python
    /// exec(compile(open("setup.py", "rb").read(), "setup.py", 'exec'), ns)
    /// ```
    pub EXECFILE = FixerSpec {
        code: "PY213",
        name: "execfile",
        summary: "execfile(fn) -> exec(compile(open(fn).read(), ...)) (2to3 fix_execfile)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Some(call) = builtin_call(checker, expr, "execfile", 1, 3) else {
        return;
    };
    let mut args = call.args.iter().map(|a| checker.source(a));
    let Some(file) = args.next() else { return };
    let mut new = format!("exec(compile(open({file}, \"rb\").read(), {file}, 'exec')");
    for rest in args {
        new.push_str(", ");
        new.push_str(rest);
    }
    new.push(')');
    let fix = Fix::safe(vec![Edit::replace_node(expr, new)]);
    checker.report(&EXECFILE, expr, "`execfile` is gone in Python 3", Some(fix));
}
