use rustpython_ast::{Expr, ExprContext, Ranged};

use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::six::{is_six_attr, six_attr};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites calls of the Python 2 builtin `file(...)` as `open(...)`, and the type in
    /// `isinstance(x, file)` / `issubclass(C, (file, ...))` as `io.IOBase` (adding `import io`).
    ///
    /// ## Why
    /// Python 3 has no `file` builtin: the call raises `NameError`. The objects `open()` returns
    /// in Python 3 (`TextIOWrapper`, `BufferedReader` ...) all derive from `io.IOBase`.
    ///
    /// ## Example
    /// ```python
    /// data = file(path, "rb").read()
    /// ```
    /// becomes
    /// ```python
    /// data = open(path, "rb").read()
    /// ```
    ///
    /// ## Limits
    /// Only calls and the type argument of `isinstance`/`issubclass` are rewritten (other uses
    /// of `file` are reported), and only when neither `file` nor `open` (nor `io`, for the type)
    /// is bound otherwise in the module. `io.IOBase` is wider than Python 2's `file`: in-memory
    /// streams (`io.StringIO`, `io.BytesIO`, which `StringIO`/`cStringIO` become) and
    /// `io.open()` objects are instances too.
    ///
    /// Under `--target six` the type becomes `io.IOBase if six.PY3 else file` (adding `import
    /// six`): a Python 2 `file` object is no `io.IOBase`, and only Python 2 evaluates `file`.
    /// `--target py3` later keeps `io.IOBase` alone (six-branches).
    pub FILE_BUILTIN = FixerSpec {
        code: "PY409",
        name: "file-builtin",
        summary: "file(...) -> open(...)",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::NAME, expr_relevant: Some(|s| s.mentions("file")) }),
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Name(name) = expr else { return };
    if name.id.as_str() != "file" || !matches!(name.ctx, ExprContext::Load) {
        return;
    }
    if !checker.is_builtin("file") {
        return;
    }
    let r = expr.range();
    let (start, end) = (r.start().to_usize(), r.end().to_usize());
    let parent = checker.parent();
    let is_called = matches!(parent,
        Some(NodeRef::Expr(Expr::Call(c))) if std::ptr::eq(c.func.as_ref(), expr));
    if is_called {
        let fix = checker
            .is_builtin("open")
            .then(|| Fix::safe(vec![Edit::replace(start, end, "open")]));
        let message = "`file()` is gone in Python 3: use `open()`";
        checker.report(&FILE_BUILTIN, expr, message, fix);
        return;
    }
    if in_python2_branch(checker, expr) {
        return;
    }
    if is_type_argument(checker, expr) {
        let mut edits = Vec::new();
        let new = if checker.importer().push_module("io", &mut edits) {
            type_replacement(checker, &mut edits)
        } else {
            None
        };
        let fix = new.map(|new| {
            edits.push(Edit::replace(start, end, new));
            Fix::safe(edits)
        });
        let message = "the type `file` is gone in Python 3: its objects are `io.IOBase` instances";
        checker.report(&FILE_BUILTIN, expr, message, fix);
        return;
    }
    let message =
        "the builtin `file` is gone in Python 3 (`open()` to open, `io.IOBase` for the type)";
    checker.report(&FILE_BUILTIN, expr, message, None);
}

/// What replaces the type `file`: `io.IOBase`, or under `--target six` (a Python 2 `file` is no
/// `io.IOBase`) `io.IOBase if six.PY3 else file`, with `import six` added to `edits`; `None`
/// when the name `six` is bound to something else.
fn type_replacement(checker: &Checker, edits: &mut Vec<Edit>) -> Option<String> {
    if !checker.six() {
        return Some("io.IOBase".to_string());
    }
    let py3 = six_attr(checker, "PY3", edits)?;
    Some(format!("io.IOBase if {py3} else file"))
}

/// Whether `expr` is the side of a `six` version test that only Python 2 evaluates
/// (`io.IOBase if six.PY3 else file`, `file if six.PY2 else io.IOBase`): left alone there, and
/// `--target py3` drops that side (six-branches).
fn in_python2_branch(checker: &Checker, expr: &Expr) -> bool {
    let Some(NodeRef::Expr(Expr::IfExp(e))) = checker.parent() else {
        return false;
    };
    (std::ptr::eq(e.orelse.as_ref(), expr) && is_six_attr(checker, &e.test, "PY3"))
        || (std::ptr::eq(e.body.as_ref(), expr) && is_six_attr(checker, &e.test, "PY2"))
}

/// Whether `expr`, the node being visited, is the second argument of a call of the builtin
/// `isinstance` or `issubclass`, or an element of a tuple that is.
fn is_type_argument(checker: &Checker, expr: &Expr) -> bool {
    let mut ancestors = checker.ancestors();
    let mut child: &Expr = expr;
    let mut parent = ancestors.next();
    if let Some(NodeRef::Expr(tuple @ Expr::Tuple(t))) = parent {
        if !t.elts.iter().any(|e| std::ptr::eq(e, expr)) {
            return false;
        }
        child = tuple;
        parent = ancestors.next();
    }
    let Some(NodeRef::Expr(Expr::Call(call))) = parent else {
        return false;
    };
    let is_check = matches!(call.func.as_ref(), Expr::Name(f)
        if matches!(f.id.as_str(), "isinstance" | "issubclass")
            && checker.is_builtin(f.id.as_str()));
    is_check
        && call.keywords.is_empty()
        && call.args.len() == 2
        && std::ptr::eq(&call.args[1], child)
}
