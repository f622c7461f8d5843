use rustpython_ast::{Constant, Expr, ExprCall, ExprContext};

use super::codec_methods::bytes_prefix_edits;
use super::util::{assigned_values, Target};
use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::nodes::flatten;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Makes the str literal given to a `base64` function that needs bytes a bytes literal:
    /// `base64.decodestring("...")` (and `decodebytes`, `encodestring`, `encodebytes`,
    /// `b64encode`, `standard_b64encode`, `urlsafe_b64encode`, `b32encode`, `b16encode`,
    /// `a85encode`, `b85encode`) gets `b"..."`. The literal may be written in the call, or
    /// be the only value of a name (`DATA = "..."`) or class attribute (`DATA = "..."` in a
    /// class body, read as `self.DATA`) whose every read in the module is such an argument.
    /// The function may also be called through a name bound once to it
    /// (`decode = getattr(base64, 'decodebytes', base64.decodestring)`, `f = base64.b64encode`).
    ///
    /// ## Why
    /// In Python 2 these functions took `str`, which was bytes. In Python 3 they take bytes
    /// only and raise `TypeError: expected bytes-like object, not str`.
    ///
    /// ## Example
    /// ```python
    /// class Test(unittest.TestCase):
    ///     ZONE = """VFppZgAAAAAAAAAAAAAAAAAAAAAAAAAEAAAABAAAAAAAAADrAAAABAAAABCeph5w"""
    ///     def test(self):
    ///         data = base64.decodestring(self.ZONE)
    /// ```
    /// becomes (with `base64-encodestring`)
    /// ```python
    /// class Test(unittest.TestCase):
    ///     ZONE = b"""VFppZgAAAAAAAAAAAAAAAAAAAAAAAAAEAAAABAAAAAAAAADrAAAABAAAABCeph5w"""
    ///     def test(self):
    ///         data = base64.decodebytes(self.ZONE)
    /// ```
    ///
    /// ## Limits
    /// Only literals written in ASCII (escapes are fine) without a `u`/`f` prefix; a name or attribute also read elsewhere
    /// (as text, maybe) is left alone. `base64` must be the module (`import base64 [as b]`).
    pub BASE64_BYTES_ARGUMENT = FixerSpec {
        code: "PY326",
        name: "base64-bytes-argument",
        summary: "base64.encodebytes/decodebytes(\"str\") -> (b\"...\")",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: Some(|s| BYTES_ONLY.iter().any(|f| s.may_call(f))) }),
    }
}

/// The `base64` functions that take bytes only in Python 3.
const BYTES_ONLY: &[&str] = &[
    "decodestring",
    "decodebytes",
    "encodestring",
    "encodebytes",
    "b64encode",
    "standard_b64encode",
    "urlsafe_b64encode",
    "b32encode",
    "b16encode",
    "a85encode",
    "b85encode",
];

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Some(function) = bytes_only_function(checker, call) else {
        return;
    };
    let Some(arg) = call.args.first() else { return };
    let literal = match arg {
        Expr::Constant(_) => Some(arg),
        Expr::Name(n) => shared_literal(checker, Target::Name(n.id.as_str()), false),
        Expr::Attribute(a) => shared_literal(checker, Target::Name(a.attr.as_str()), true),
        _ => None,
    };
    let Some(literal) = literal else { return };
    let Some(edits) = bytes_prefix_edits(checker.text, literal) else {
        return;
    };
    let message = format!("`base64.{function}()` takes bytes in Python 3: use a bytes literal");
    checker.report(&BASE64_BYTES_ARGUMENT, arg, message, Some(Fix::safe(edits)));
}

/// The name of the bytes-only `base64` function `call` calls, if it does.
fn bytes_only_function(checker: &Checker, call: &ExprCall) -> Option<String> {
    let semantic = checker.semantic();
    let name = match call.func.as_ref() {
        Expr::Attribute(a) => {
            let Expr::Name(m) = a.value.as_ref() else {
                return None;
            };
            semantic
                .is_module_alias("base64", m.id.as_str())
                .then(|| a.attr.to_string())?
        }
        Expr::Name(n) => {
            let id = n.id.as_str();
            let imported = semantic
                .imported_from("base64", id)
                .is_some_and(|i| i.name == id);
            if imported && semantic.bindings(id) == 1 {
                id.to_string()
            } else {
                // `decode = getattr(base64, 'decodebytes', base64.decodestring)`, `f = base64.b64encode`
                bound_base64_function(checker, id)?
            }
        }
        _ => return None,
    };
    BYTES_ONLY.contains(&name.as_str()).then_some(name)
}

/// The str literal that is the only value of the name `target` (a module or class-body
/// variable), when every read of it in the module (`name`, or `obj.name` when `attribute`)
/// is the first argument of a bytes-only `base64` function.
/// The base64 function a name is bound to once: `getattr(base64, 'decodebytes', ...)` or
/// `base64.decodebytes`.
fn bound_base64_function(checker: &Checker, name: &str) -> Option<String> {
    let semantic = checker.semantic();
    let value = super::util::only_assigned_value(checker, Target::Name(name))?;
    let is_base64 =
        |e: &Expr| matches!(e, Expr::Name(m) if semantic.is_module_alias("base64", m.id.as_str()));
    match value {
        Expr::Attribute(a) if is_base64(&a.value) => Some(a.attr.to_string()),
        Expr::Call(c) => match (c.func.as_ref(), c.args.as_slice()) {
            (Expr::Name(g), [module, Expr::Constant(attr), ..])
                if g.id.as_str() == "getattr"
                    && checker.is_builtin("getattr")
                    && is_base64(module) =>
            {
                match &attr.value {
                    Constant::Str(s) => Some(s.clone()),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

fn shared_literal<'a>(checker: &Checker<'a>, target: Target, attribute: bool) -> Option<&'a Expr> {
    let Target::Name(name) = target else {
        return None;
    };
    let suite = checker.module();
    let semantic = checker.semantic();
    let facts = semantic.name_use(name);
    if facts.bindings != 1 || facts.attribute_stores != 0 {
        return None;
    }
    let values = assigned_values(suite, target);
    let [value] = values.as_slice() else {
        return None;
    };
    if !matches!(value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))) {
        return None;
    }
    let entries = flatten(suite, |_, _| {});
    let mut reads = 0usize;
    for entry in &entries {
        let is_read = match entry.node {
            NodeRef::Expr(Expr::Name(n)) => {
                !attribute && n.id.as_str() == name && matches!(n.ctx, ExprContext::Load)
            }
            NodeRef::Expr(Expr::Attribute(a)) => {
                attribute && a.attr.as_str() == name && matches!(a.ctx, ExprContext::Load)
            }
            _ => false,
        };
        if !is_read {
            continue;
        }
        reads += 1;
        let NodeRef::Expr(read) = entry.node else {
            return None;
        };
        let parent = usize::try_from(entry.parent)
            .ok()
            .and_then(|p| entries.get(p));
        let as_argument = matches!(parent.map(|p| p.node), Some(NodeRef::Expr(Expr::Call(c)))
            if c.args.first().is_some_and(|first| std::ptr::eq(first, read))
                && bytes_only_function(checker, c).is_some());
        if !as_argument {
            return None;
        }
    }
    (reads > 0).then_some(*value)
}
