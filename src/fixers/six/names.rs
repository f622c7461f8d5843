//! PY551 six-names: six-converted code -> plain Python 3 (`six.text_type` -> `str`...).

use rustpython_ast::{Expr, Ranged, Stmt};

use super::{moves, six_path, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::iterators::map_builtin::equal_known_lengths;
use crate::fixers::util::{
    in_isinstance_tuple, is_consumed_as_iterable, operand_text, Consumers, ATOM,
};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Under the `py3` target, turns what `--target six` writes into plain Python 3:
    /// `six.text_type` -> `str`, `six.string_types` -> `str` in a type test (`(str,)`
    /// elsewhere), `six.integer_types` -> `int`, `six.moves.range` -> `range`,
    /// `six.moves.urllib.parse.quote` -> `urllib.parse.quote` (with its import),
    /// `six.iteritems(d)` -> `d.items()` (`iter(d.items())` where an iterator is needed),
    /// `six.reraise(E, V, T)` -> `raise V.with_traceback(T)`, `class A(six.with_metaclass(M,
    /// B))` -> `class A(B, metaclass=M)`, `six.ensure_str(data.read(), enc)` ->
    /// `data.read().decode(enc)`, `six.PY2` / `six.PY3` outside a branch -> `False` / `True`.
    /// `six.assertCountEqual(self, a, b)` -> `self.assertCountEqual(a, b)` (and `assertRegex`,
    /// `assertRaisesRegex`, `assertNotRegex`). `six.moves.map(f, a)` -> `map(f, a)`, or `iter(map(f, a))` where the result is not
    /// simply iterated, and `itertools.starmap(f, zip(a, b))` over several sequences (as
    /// `itertools-functions` writes `itertools.imap`: `map-builtin` would take a bare
    /// `map(f, a, b)` for Python 2's padding `map()`).
    ///
    /// ## Why
    /// The end of a two-version migration: Python 2 is gone, and so is the need for `six`.
    ///
    /// ## Example
    /// ```python
    /// import six
    /// for k, v in six.iteritems(d):
    ///     print(k, isinstance(v, six.string_types))
    /// ```
    /// becomes
    /// ```python
    /// for k, v in d.items():
    ///     print(k, isinstance(v, str))
    /// ```
    ///
    /// ## Limits
    /// Only `six` bound by `import six` is read. `six.ensure_str(x)` is rewritten only when `x`
    /// is a call (the bytes `--target six` wraps); other uses of six helpers are reported.
    /// Does nothing under `--target six`.
    pub SIX_NAMES = FixerSpec {
        code: "PY551",
        name: "six-names",
        summary: "six.text_type/iteritems/moves.X/reraise/with_metaclass -> plain Python 3",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_stmt), expr: Some(check_expr), expr_kinds: expr_kinds::ATTRIBUTE | expr_kinds::CALL, expr_relevant: Some(|s| s.mentions("six")) }),
    }
}

fn check_expr(expr: &Expr, checker: &mut Checker) {
    if checker.six() {
        return;
    }
    match expr {
        Expr::Call(call) => check_call(expr, call, checker),
        Expr::Attribute(_) => check_attribute(expr, checker),
        _ => {}
    }
}

/// Whether `expr` is the class argument of `isinstance`/`issubclass`, or inside its tuple.
fn in_type_test(checker: &Checker, expr: &Expr) -> bool {
    in_isinstance_tuple(checker)
        || matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(call)))
            if matches!(call.func.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "isinstance" | "issubclass"))
                && call.args.get(1).is_some_and(|a| std::ptr::eq(a, expr)))
}

fn check_attribute(expr: &Expr, checker: &mut Checker) {
    let Some(path) = six_path(checker, expr) else {
        return;
    };
    // Only the whole dotted name: `six.moves.urllib.parse.quote`, not its parts; but a member
    // six carries alone is a class or function: `six.moves.UserDict.__getitem__` is
    // `collections.UserDict.__getitem__`.
    let member = path
        .strip_prefix("moves.")
        .is_some_and(|moved| moves::python3_member(moved).is_some());
    if let Some(NodeRef::Expr(Expr::Attribute(parent))) = checker.parent() {
        if std::ptr::eq(parent.value.as_ref(), expr) && !member {
            return;
        }
    }
    // `six.moves.UserDict.__getitem__` itself: the member's node does the work.
    let below_member = path
        .strip_prefix("moves.")
        .and_then(|moved| moved.split_once('.'))
        .is_some_and(|(head, _)| moves::python3_member(head).is_some());
    if below_member {
        return;
    }
    if lazy_builtin(&path).is_some() && is_called(checker, expr) {
        // `six.moves.map(f, a)`: the whole call is check_call's (`lazy_call`).
        return;
    }
    let mut edits = Vec::new();
    let replacement: Option<String> = match path.as_str() {
        "text_type" => Some("str".into()),
        "binary_type" => Some("bytes".into()),
        "string_types" if in_type_test(checker, expr) => Some("str".into()),
        "string_types" => Some("(str,)".into()),
        "integer_types" if in_type_test(checker, expr) => Some("int".into()),
        "integer_types" => Some("(int,)".into()),
        "class_types" if in_type_test(checker, expr) => Some("type".into()),
        "class_types" => Some("(type,)".into()),
        "unichr" => builtin(checker, "chr"),
        "next" | "advance_iterator" => builtin(checker, "next"),
        "callable" => builtin(checker, "callable"),
        "print_" => builtin(checker, "print"),
        "PY2" | "PY3" => {
            // `if six.PY2:` and `x if six.PY2 else y` are six-branches' work.
            let tested = matches!(checker.parent(), Some(NodeRef::Stmt(Stmt::If(i))) if std::ptr::eq(i.test.as_ref(), expr))
                || matches!(checker.parent(), Some(NodeRef::Expr(Expr::IfExp(i))) if std::ptr::eq(i.test.as_ref(), expr));
            if tested {
                return;
            }
            Some(if path == "PY3" { "True" } else { "False" }.into())
        }
        _ => path
            .strip_prefix("moves.")
            .and_then(|moved| python3_name(checker, moved, &mut edits)),
    };
    let message = format!("`six.{path}` in Python 3 code");
    let fix = replacement.map(|new| {
        let r = expr.range();
        edits.push(Edit::replace_range(r, new));
        Fix::safe(edits).cascading(true)
    });
    if fix.is_some() || !is_helper_call(checker, expr) {
        checker.report(&SIX_NAMES, expr, message, fix);
    }
}

/// Whether `expr` is the function of a call.
fn is_called(checker: &Checker, expr: &Expr) -> bool {
    matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c))) if std::ptr::eq(c.func.as_ref(), expr))
}

/// The builtin that `six.moves.<path>` is in Python 3 when it is one of the lazy `map`,
/// `filter` and `zip` (Python 2's `itertools.imap`...).
fn lazy_builtin(path: &str) -> Option<&'static str> {
    match path {
        "moves.map" => Some("map"),
        "moves.filter" => Some("filter"),
        "moves.zip" => Some("zip"),
        _ => None,
    }
}

/// `six.moves.map(f, a)` -> `map(f, a)` where it is only iterated, `iter(map(f, a))`
/// elsewhere, `itertools.starmap(f, zip(a, b))` over several sequences: the forms `itertools-functions` writes for `itertools.imap`,
/// which `map-builtin` does not take for Python 2's list-making, padding `map()`.
fn lazy_call(
    expr: &Expr,
    call: &rustpython_ast::ExprCall,
    builtin_name: &str,
    checker: &mut Checker,
) {
    let message = format!("`six.moves.{builtin_name}` is the builtin `{builtin_name}` in Python 3");
    let plain =
        call.keywords.is_empty() && !call.args.iter().any(|a| matches!(a, Expr::Starred(_)));
    let consumed = is_consumed_as_iterable(checker, expr, Consumers::default());
    let r = expr.range();
    let (start, end) = (r.start().to_usize(), r.end().to_usize());
    let mut edits = Vec::new();
    let mut new = None;
    if let (true, "map", [first, rest @ ..]) = (plain, builtin_name, call.args.as_slice()) {
        let seqs: Vec<&str> = rest.iter().map(|a| checker.source(a)).collect();
        if rest.len() >= 2
            && !equal_known_lengths(checker, rest)
            && checker.is_builtin("zip")
            && checker.importer().push_module("itertools", &mut edits)
        {
            new = Some(format!(
                "itertools.starmap({}, zip({}))",
                checker.source(first),
                seqs.join(", ")
            ));
        }
    }
    let new = match new {
        Some(new) => Some(new),
        None => builtin(checker, builtin_name).map(|name| {
            let func = call.func.range();
            let args = checker
                .text
                .get(func.end().to_usize()..end)
                .unwrap_or_default();
            format!("{name}{args}")
        }),
    };
    let new = match new {
        Some(new) if consumed => Some(new),
        Some(new) => builtin(checker, "iter").map(|iter| format!("{iter}({new})")),
        None => None,
    };
    let fix = new.map(|new| {
        edits.push(Edit::replace(start, end, new));
        Fix::safe(edits).cascading(true)
    });
    checker.report(&SIX_NAMES, expr, message, fix);
}

/// `name` when it is the builtin there.
fn builtin(checker: &Checker, name: &str) -> Option<String> {
    checker.is_builtin(name).then(|| name.to_string())
}

/// Whether `expr` is the function of a call that [`check_call`] handles.
fn is_helper_call(checker: &Checker, expr: &Expr) -> bool {
    matches!(checker.parent(), Some(NodeRef::Expr(Expr::Call(c))) if std::ptr::eq(c.func.as_ref(), expr))
        || matches!(checker.parent(), Some(NodeRef::Stmt(_)))
}

/// The Python 3 spelling of `six.moves.<moved>`, with the import it needs pushed to `edits`.
fn python3_name(checker: &Checker, moved: &str, edits: &mut Vec<Edit>) -> Option<String> {
    if let Some((module, name)) = moves::python3_member(moved) {
        if module == "builtins" {
            return builtin(checker, name);
        }
        return checker
            .importer()
            .push_module(module, edits)
            .then(|| format!("{module}.{name}"));
    }
    // A whole module, maybe followed by a member: the longest known prefix.
    let parts: Vec<&str> = moved.split('.').collect();
    for cut in (1..=parts.len()).rev() {
        let head = parts[..cut].join(".");
        if let Some(module) = moves::python3_module(&head) {
            if !checker.importer().push_module(module, edits) {
                return None;
            }
            let rest = parts[cut..].join(".");
            return Some(if rest.is_empty() {
                module.to_string()
            } else {
                format!("{module}.{rest}")
            });
        }
    }
    None
}

fn check_call(expr: &Expr, call: &rustpython_ast::ExprCall, checker: &mut Checker) {
    let Some(path) = six_path(checker, &call.func) else {
        return;
    };
    if let Some(builtin_name) = lazy_builtin(&path) {
        lazy_call(expr, call, builtin_name, checker);
        return;
    }
    let text = checker.text;
    let method = match path.as_str() {
        "iteritems" | "viewitems" => "items",
        "iterkeys" | "viewkeys" => "keys",
        "itervalues" | "viewvalues" => "values",
        "ensure_str" => {
            ensure_str(expr, call, checker);
            return;
        }
        "assertCountEqual" | "assertRaisesRegex" | "assertRegex" | "assertNotRegex" => {
            test_case_method(expr, call, &path, checker);
            return;
        }
        _ => return,
    };
    let [dict] = call.args.as_slice() else { return };
    if !call.keywords.is_empty() {
        return;
    }
    let receiver = operand_text(text, dict, ATOM);
    let mut new = format!("{receiver}.{method}()");
    let consumers = Consumers {
        membership: true,
        ..Consumers::default()
    };
    // Where the result is only iterated the method is enough, unless the loop changes the
    // dict: there Python 2 raised, and so does `iter(d.items())`, which `dict-views-as-lists`
    // leaves alone (it would make `d.items()` a list that no longer raises).
    let iterated = is_consumed_as_iterable(checker, expr, consumers);
    let loop_changes_dict = iterated
        && crate::fixers::iterators::dict_views_as_lists::would_wrap_call(
            checker, expr, dict, &path, method,
        );
    if (path.starts_with("iter") && !iterated) || loop_changes_dict {
        new = format!("iter({new})");
    }
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, new)]).cascading(true);
    let message = format!("`six.{path}(d)` is `d.{method}()` in Python 3");
    checker.report(&SIX_NAMES, expr, message, Some(fix));
}

/// `six.assertCountEqual(self, a, b)` -> `self.assertCountEqual(a, b)`: the `TestCase`
/// method of that name, which Python 3 has.
fn test_case_method(
    expr: &Expr,
    call: &rustpython_ast::ExprCall,
    method: &str,
    checker: &mut Checker,
) {
    let text = checker.text;
    let message = format!("`six.{method}(self, ...)` is `self.{method}(...)` in Python 3");
    let fix = (|| {
        let first = call.args.first()?;
        if matches!(first, Expr::Starred(_))
            || call
                .keywords
                .iter()
                .any(|k| k.range.start() < first.range().start())
        {
            return None;
        }
        let receiver = operand_text(text, first, ATOM);
        // What follows the receiver up to the closing parenthesis: `, a, b`.
        let rest = text.get(first.range().end().to_usize()..call.range.end().to_usize() - 1)?;
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(',').unwrap_or(rest);
        // Arguments that started on the next line stay there.
        let layout = rest.len() - rest.trim_start().len();
        let rest = if rest[..layout].contains('\n') && !rest.trim().is_empty() {
            rest
        } else {
            rest.trim_start()
        };
        if receiver.contains('\n') {
            return None;
        }
        let r = call.range;
        Some(Fix::safe(vec![Edit::replace(
            r.start().to_usize(),
            r.end().to_usize(),
            format!("{receiver}.{method}({rest})"),
        )]))
    })();
    checker.report(&SIX_NAMES, expr, message, fix);
}

/// `six.ensure_str(data.read(), "latin-1")` -> `data.read().decode("latin-1")`: what
/// `--target six` wraps is bytes on Python 3.
fn ensure_str(expr: &Expr, call: &rustpython_ast::ExprCall, checker: &mut Checker) {
    let text = checker.text;
    let (value, encoding) = match call.args.as_slice() {
        [value] => (value, "\"utf-8\"".to_string()),
        [value, encoding] => (value, checker.source(encoding).to_string()),
        _ => return,
    };
    let fix = (matches!(value, Expr::Call(_)) && call.keywords.is_empty()).then(|| {
        let new = format!("{}.decode({encoding})", operand_text(text, value, ATOM));
        let r = expr.range();
        Fix::safe(vec![Edit::replace_range(r, new)]).cascading(true)
    });
    checker.report(&SIX_NAMES, expr, "`six.ensure_str` in Python 3 code", fix);
}

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    if checker.six() {
        return;
    }
    match stmt {
        Stmt::Expr(e) => reraise(stmt, &e.value, checker),
        Stmt::ClassDef(class) => with_metaclass(stmt, class, checker),
        _ => {}
    }
}

/// `six.reraise(E, V, T)` -> `raise V.with_traceback(T)` (`raise E().with_traceback(T)` for
/// a `None` value).
fn reraise(stmt: &Stmt, value: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = value else { return };
    if six_path(checker, &call.func).as_deref() != Some("reraise") || !call.keywords.is_empty() {
        return;
    }
    let text = checker.text;
    let new = match call.args.as_slice() {
        [tp, value, tb] if crate::fixers::util::is_none(value) => format!(
            "raise {}().with_traceback({})",
            operand_text(text, tp, ATOM),
            checker.source(tb)
        ),
        [_, value, tb] => format!(
            "raise {}.with_traceback({})",
            operand_text(text, value, ATOM),
            checker.source(tb)
        ),
        _ => return,
    };
    let r = stmt.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, new)]).cascading(true);
    checker.report(
        &SIX_NAMES,
        stmt,
        "`six.reraise` in Python 3 code",
        Some(fix),
    );
}

/// `class A(six.with_metaclass(M, B, C))` -> `class A(B, C, metaclass=M)`.
fn with_metaclass(stmt: &Stmt, class: &rustpython_ast::StmtClassDef, checker: &mut Checker) {
    let Some(last) = class.bases.last() else {
        return;
    };
    let Expr::Call(call) = last else { return };
    if six_path(checker, &call.func).as_deref() != Some("with_metaclass")
        || !call.keywords.is_empty()
        || !class.keywords.is_empty()
    {
        return;
    }
    let Some((meta, bases)) = call.args.split_first() else {
        return;
    };
    let mut parts: Vec<String> = bases
        .iter()
        .map(|b| checker.source(b).to_string())
        .collect();
    parts.push(format!("metaclass={}", checker.source(meta)));
    let r = last.range();
    let fix = Fix::safe(vec![Edit::replace_range(r, parts.join(", "))]).cascading(true);
    checker.report(
        &SIX_NAMES,
        stmt,
        "`six.with_metaclass` in Python 3 code",
        Some(fix),
    );
}
