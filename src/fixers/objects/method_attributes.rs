use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use super::util::{mentions_renamed_attribute, rename_attribute};
use super::PARITY;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames the bound-method attributes: `m.im_func` -> `m.__func__`,
    /// `m.im_self` -> `m.__self__`, `m.im_class` -> `m.__self__.__class__`. On a method
    /// read from a class of the module (an unbound method in Python 2, a plain function in
    /// Python 3): `A.m.im_func` -> `A.m`, `A.m.im_class` -> `A`.
    ///
    /// ## Why
    /// Python 3 has only the dunder names, and no unbound methods (so no `im_class`).
    ///
    /// ## Example
    /// ```python
    /// target = callback.im_self
    /// ```
    /// becomes
    /// ```python
    /// target = callback.__self__
    /// ```
    ///
    /// ## Limits
    /// Like 2to3, any `x.im_func` is renamed, whatever `x` is, except `A.m.im_...` where `A`
    /// is a class of the module (bound once, by a module-level `class`): fixed as above when
    /// its body defines `m` with a plain `def`, renamed for a `@classmethod`, reported only
    /// otherwise (`m` inherited or bound another way, and `A.m.im_self`, which was `None`).
    /// An assignment to `x.im_class` is left alone (reported only).
    pub METHOD_ATTRIBUTES = FixerSpec {
        code: "PY309",
        name: "method-attributes",
        summary: "m.im_func/im_self/im_class -> m.__func__/__self__/__self__.__class__",
        groups: PARITY,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| mentions_renamed_attribute(s, "method_attributes")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    if !check_unbound(expr, checker) {
        rename_attribute(checker, &METHOD_ATTRIBUTES, expr, "method_attributes");
    }
}

/// What `Class.name` is, for a class of the module.
enum ClassMember {
    /// A plain `def name` in the class body: an unbound method in Python 2, a function in 3.
    Function,
    /// A `@classmethod`: a bound method in both.
    ClassMethod,
    /// Something else, or not found in the body (inherited?): unknown.
    Unknown,
}

/// Handles `Class.m.im_func` / `im_class` / `im_self` when `Class` is a class of the module
/// (bound once, by its `class` statement at module level); false when `expr` is not one.
/// `A.m` was an unbound method in Python 2, and is the plain function in Python 3:
/// `A.m.im_func` -> `A.m`, `A.m.im_class` -> `A`; `A.m.im_self` (None) is reported.
fn check_unbound(expr: &Expr, checker: &mut Checker) -> bool {
    let Expr::Attribute(attr) = expr else {
        return false;
    };
    let old = attr.attr.as_str();
    if !matches!(old, "im_func" | "im_class" | "im_self")
        || !matches!(attr.ctx, ExprContext::Load)
        || checker.semantic().defines_function(old)
    {
        return false;
    }
    let Expr::Attribute(method) = attr.value.as_ref() else {
        return false;
    };
    let Expr::Name(class) = method.value.as_ref() else {
        return false;
    };
    let Some(member) = class_member(checker, class.id.as_str(), method.attr.as_str()) else {
        return false;
    };
    let new = match (member, old) {
        (ClassMember::ClassMethod, _) => return false,
        (ClassMember::Function, "im_func") => Some(checker.source(method).to_string()),
        (ClassMember::Function, "im_class") => Some(class.id.to_string()),
        _ => None,
    };
    let r = expr.range();
    let fix = new.map(|new| Fix::safe(vec![Edit::replace_range(r, new)]));
    let message = match &fix {
        Some(_) => format!(
            "`{}` is a plain function in Python 3 (no unbound methods): it has no `.{old}`",
            checker.source(method)
        ),
        None => format!(
            "`.{old}` of `{}`: Python 3 has no unbound methods (a plain function, or an inherited \
             member this tool cannot see)",
            checker.source(method)
        ),
    };
    checker.report(&METHOD_ATTRIBUTES, expr, message, fix);
    true
}

/// What `class_name.member` is, when `class_name` is bound once, by a module-level `class`
/// statement; `None` when it is not such a class.
fn class_member(checker: &Checker, class_name: &str, member: &str) -> Option<ClassMember> {
    if checker.semantic().bindings(class_name) != 1 {
        return None;
    }
    let class = checker.module().iter().find_map(|s| match s {
        Stmt::ClassDef(c) if c.name.as_str() == class_name => Some(c),
        _ => None,
    })?;
    let mut found = ClassMember::Unknown;
    for stmt in &class.body {
        match stmt {
            Stmt::FunctionDef(f) if f.name.as_str() == member => {
                let classmethod = matches!(f.decorator_list.as_slice(),
                    [Expr::Name(d)] if d.id.as_str() == "classmethod");
                found = if f.decorator_list.is_empty() {
                    ClassMember::Function
                } else if classmethod {
                    ClassMember::ClassMethod
                } else {
                    ClassMember::Unknown
                };
            }
            // `m = other` (or anything else binding the name) after the def: unknown.
            _ if binds_name(stmt, member) => found = ClassMember::Unknown,
            _ => {}
        }
    }
    Some(found)
}

/// Whether the class-body statement `stmt` binds `name` other than by a `def`.
fn binds_name(stmt: &Stmt, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| match t {
            Expr::Tuple(t) => t.elts.iter().any(is_name),
            t => is_name(t),
        }),
        Stmt::AnnAssign(a) => is_name(&a.target),
        Stmt::AugAssign(a) => is_name(&a.target),
        Stmt::ClassDef(c) => c.name.as_str() == name,
        Stmt::AsyncFunctionDef(f) => f.name.as_str() == name,
        Stmt::Import(_)
        | Stmt::ImportFrom(_)
        | Stmt::If(_)
        | Stmt::Try(_)
        | Stmt::For(_)
        | Stmt::With(_)
        | Stmt::While(_) => true,
        _ => false,
    }
}
