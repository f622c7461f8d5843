//! Helpers shared by the lint-only rules: Python 2 only branches, names of the builtins, methods
//! of a class, the scope around a node and the names used in it.

use rustpython_ast::{CmpOp, Constant, Expr, Ranged, Stmt, UnaryOp};

use crate::engine::checker::nodes::NodeRef;
pub use crate::engine::checker::scope::{names_in_scope, NameSite};
use crate::engine::checker::{Checker, Semantic};

/// Whether the node being visited only runs on Python 2: inside the body of `if six.PY2:`,
/// `if sys.version_info[0] == 2:`, `if sys.version_info < (3,):` ..., or in the `else:` of
/// `if six.PY3:` / `if sys.version_info >= (3,):` ... Such code is compatibility code that
/// Python 3 never runs, and the rules stay quiet there.
/// `node` is the node being visited.
pub fn in_python2_branch(checker: &Checker, node: &impl Ranged) -> bool {
    let own = node.range().start().to_usize();
    checker.ancestors().any(|node| {
        let NodeRef::Stmt(Stmt::If(stmt)) = node else {
            return false;
        };
        let in_orelse = stmt
            .orelse
            .first()
            .is_some_and(|s| s.range().start().to_usize() <= own);
        let in_body = !in_orelse
            && stmt
                .body
                .first()
                .is_some_and(|s| s.range().start().to_usize() <= own);
        match version_test(&stmt.test) {
            Some(Major::Two) => in_body,
            Some(Major::Three) => in_orelse,
            None => false,
        }
    }) || checker.ancestors().any(|node| {
        // `x if six.PY2 else y`.
        let NodeRef::Expr(Expr::IfExp(e)) = node else {
            return false;
        };
        let body = e.body.range();
        let orelse = e.orelse.range();
        match version_test(&e.test) {
            Some(Major::Two) => body.start().to_usize() <= own && own < body.end().to_usize(),
            Some(Major::Three) => orelse.start().to_usize() <= own,
            None => false,
        }
    })
}

/// The Python major version a test selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Major {
    Two,
    Three,
}

/// Which major version `test` is true on, when it is a recognised version test.
fn version_test(test: &Expr) -> Option<Major> {
    match test {
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::Not) => match version_test(&u.operand)? {
            Major::Two => Some(Major::Three),
            Major::Three => Some(Major::Two),
        },
        // `six.PY2`, `PY2`, `six.PY3`, `PY3`, `compat.PY2` ...
        Expr::Name(_) | Expr::Attribute(_) => match last_name(test)? {
            "PY2" | "IS_PY2" | "PYTHON2" | "py2" => Some(Major::Two),
            "PY3" | "IS_PY3" | "PYTHON3" | "py3" => Some(Major::Three),
            _ => None,
        },
        Expr::Compare(c) => {
            let ([op], [right]) = (c.ops.as_slice(), c.comparators.as_slice()) else {
                return None;
            };
            if !is_version_info(&c.left) {
                return None;
            }
            let major = first_int(right)?;
            // Is the version below 3 when the test is true?
            match (op, major) {
                (CmpOp::Eq, 2) | (CmpOp::Lt, 3) | (CmpOp::LtE, 2) => Some(Major::Two),
                (CmpOp::Eq, 3) | (CmpOp::GtE, 3) | (CmpOp::Gt, 2) | (CmpOp::NotEq, 2) => {
                    Some(Major::Three)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `sys.version_info`, `sys.version_info[0]`, `sys.version_info.major`, `version_info[:2]`.
fn is_version_info(expr: &Expr) -> bool {
    match expr {
        Expr::Subscript(s) => is_version_info(&s.value),
        Expr::Attribute(a) if a.attr.as_str() == "major" => is_version_info(&a.value),
        _ => last_name(expr) == Some("version_info"),
    }
}

/// The major version in `2`, `(2, 7)`, `(3,)`.
fn first_int(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Tuple(t) => first_int(t.elts.first()?),
        Expr::Constant(c) => int_value(&c.value),
        _ => None,
    }
}

/// The value of an integer constant that fits an `i64`.
pub fn int_value(value: &Constant) -> Option<i64> {
    match value {
        Constant::Int(i) => i.to_string().parse().ok(),
        _ => None,
    }
}

/// `name` for `name` and `a.b.name`.
pub fn last_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// Whether `stmt`, the statement being visited, is a method: a `def` directly in a class body.
pub fn is_method(checker: &Checker) -> bool {
    matches!(checker.parent(), Some(NodeRef::Stmt(Stmt::ClassDef(_))))
}

/// Whether `expr` names the module `module` through an import in this file (`import pickle`,
/// `import cPickle as pickle`), or is literally that name when it is not bound otherwise.
pub fn refers_to_module(checker: &Checker, expr: &Expr, modules: &[&str]) -> bool {
    let Expr::Name(n) = expr else { return false };
    let name = n.id.as_str();
    let semantic = checker.semantic();
    // One hash lookup before scanning the imports: most names are bound by none.
    let imported = semantic.imports_binding(name) > 0
        && semantic.imports().iter().any(|i| {
            i.bound_name() == name
                && i.level == 0
                && match i.from {
                    None => modules.contains(&i.name),
                    // `from six.moves import cPickle`
                    Some(from) => {
                        modules.contains(&i.name) && (from == "six.moves" || from == "future.moves")
                    }
                }
        });
    imported || (modules.contains(&name) && semantic.bindings(name) == 0)
}

/// Whether the bare name `name` is imported from one of `modules` (`from pickle import dumps`).
pub fn imported_from_any(checker: &Checker, name: &str, modules: &[&str]) -> Option<&'static str> {
    let semantic = checker.semantic();
    if semantic.imports_binding(name) == 0 {
        return None;
    }
    let import = semantic
        .imports()
        .iter()
        .find(|i| i.level == 0 && i.bound_name() == name && i.from.is_some())?;
    let from = import.from?;
    modules
        .iter()
        .find(|m| **m == from)
        .map(|_| leak_free_name(import.name))
}

/// Maps an imported name to the static name of the same spelling that rules compare against.
fn leak_free_name(name: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "dump",
        "dumps",
        "Pickler",
        "HIGHEST_PROTOCOL",
        "DEFAULT_PROTOCOL",
    ];
    KNOWN.iter().find(|k| **k == name).copied().unwrap_or("")
}

/// The statements of the scope that holds the node being visited: the body of the nearest
/// enclosing `def`, or the whole module; with the names of the `def`'s parameters.
pub fn enclosing_scope<'a>(checker: &Checker<'a>) -> Option<(&'a [Stmt], Vec<&'a str>)> {
    let mut top: Option<&'a Stmt> = checker.current_statement();
    for node in checker.ancestors() {
        match node {
            NodeRef::Stmt(Stmt::FunctionDef(f)) => return Some((&f.body, parameters(&f.args))),
            NodeRef::Stmt(Stmt::AsyncFunctionDef(f)) => {
                return Some((&f.body, parameters(&f.args)))
            }
            // A class body is its own scope, but names used after code in it are rare: the
            // class body is what we scan.
            NodeRef::Stmt(Stmt::ClassDef(c)) => return Some((&c.body, Vec::new())),
            NodeRef::Expr(Expr::Lambda(_)) => return None,
            NodeRef::Stmt(s) => top = Some(s),
            _ => {}
        }
    }
    let top = top?;
    checker.enclosing_block(top).map(|b| (b, Vec::new()))
}

fn parameters(args: &rustpython_ast::Arguments) -> Vec<&str> {
    let mut out: Vec<&str> = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
        .map(|a| a.def.arg.as_str())
        .collect();
    out.extend(
        args.vararg
            .iter()
            .chain(&args.kwarg)
            .map(|a| a.arg.as_str()),
    );
    out
}

/// Whether `name` occurs in `text` as a whole identifier (not inside a longer one). A cheap
/// textual filter before walking a scope: a name that is not written cannot be read.
pub fn contains_word(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let is_ident = |c: char| c == '_' || c.is_alphanumeric();
    text.match_indices(name).any(|(at, _)| {
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = at
            .checked_add(name.len())
            .and_then(|end| text.get(end..))
            .and_then(|t| t.chars().next());
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Python 3's builtin names that Python code commonly shadows in comprehensions.
pub fn is_python3_builtin(name: &str) -> bool {
    const BUILTINS: &[&str] = &[
        "abs",
        "all",
        "any",
        "ascii",
        "bin",
        "bool",
        "breakpoint",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "compile",
        "complex",
        "copyright",
        "credits",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "exec",
        "exit",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "help",
        "hex",
        "id",
        "input",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "license",
        "list",
        "locals",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "print",
        "property",
        "quit",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "vars",
        "zip",
        "__import__",
        "__name__",
        "__file__",
        "__doc__",
        "None",
        "True",
        "False",
    ];
    BUILTINS.contains(&name)
}

/// Whether `expr` is a string literal, an f-string, or `"..." % x` / `"..." + x`.
pub fn is_string_expression(expr: &Expr) -> bool {
    match expr {
        Expr::Constant(c) => matches!(c.value, Constant::Str(_) | Constant::Bytes(_)),
        Expr::JoinedStr(_) => true,
        Expr::BinOp(b) => is_string_expression(&b.left),
        _ => false,
    }
}

/// The name of the method `stmt` defines, when `stmt` is a method whose name is in `names`
/// and the method is not in a Python 2 only branch.
pub fn method_named<'s>(checker: &Checker, stmt: &'s Stmt, names: &[&str]) -> Option<&'s str> {
    let name = match stmt {
        Stmt::FunctionDef(f) => f.name.as_str(),
        Stmt::AsyncFunctionDef(f) => f.name.as_str(),
        _ => return None,
    };
    (names.contains(&name) && is_method(checker) && !in_python2_branch(checker, stmt))
        .then_some(name)
}

/// The attributes Python 3 removed, from `fixers/lint/removed_attributes.tsv`: by attribute
/// name, each with its module and what to use instead.
type RemovedByName = rustc_hash::FxHashMap<&'static str, Vec<(&'static str, &'static str)>>;

static REMOVED_ATTRIBUTES: std::sync::LazyLock<RemovedByName> = std::sync::LazyLock::new(|| {
    let mut by_name = RemovedByName::default();
    for line in include_str!("../../../fixers/lint/removed_attributes.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut parts = line.splitn(3, '\t');
        let (Some(module), Some(attr), Some(advice)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("fixers/lint/removed_attributes.tsv: MODULE<TAB>NAME<TAB>ADVICE rows (a unit test reads them): {line:?}");
        };
        by_name.entry(attr).or_default().push((module, advice));
    }
    by_name
});

/// Whether the module has an attribute named like one Python 3 removed from `module` (the
/// hooks of [`removed_attribute`] cannot fire otherwise).
pub fn mentions_removed_attribute(semantic: &Semantic, module: &str) -> bool {
    REMOVED_ATTRIBUTES.iter().any(|(attr, modules)| {
        modules.iter().any(|(m, _)| *m == module) && semantic.mentions_attribute(attr)
    })
}

/// Whether `expr` is `top.sub` for the dotted `module` "top.sub", `top` being that module
/// (`os.path` after `import os`).
fn refers_to_submodule(checker: &Checker, expr: &Expr, module: &str) -> bool {
    let Some((top, sub)) = module.split_once('.') else {
        return false;
    };
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == sub
        && refers_to_module(checker, &a.value, &[top]))
}

/// When the node being visited, `expr`, is `module.attribute` (the module imported under any
/// name) with an attribute Python 3 removed from `module`: the attribute and the advice.
pub fn removed_attribute<'e>(
    checker: &Checker,
    expr: &'e Expr,
    module: &str,
) -> Option<(&'e str, &'static str)> {
    let Expr::Attribute(attr) = expr else {
        return None;
    };
    let name = attr.attr.as_str();
    let (_, advice) = REMOVED_ATTRIBUTES
        .get(name)?
        .iter()
        .find(|(m, _)| *m == module)?;
    let refers = refers_to_module(checker, &attr.value, &[module])
        || refers_to_submodule(checker, &attr.value, module);
    if !refers || in_python2_branch(checker, expr) {
        return None;
    }
    // `hasattr(sys, "exc_clear")`-style feature tests read the attribute on purpose.
    Some((name, advice))
}

#[cfg(test)]
mod tests {
    use super::contains_word;

    #[test]
    fn the_removed_attributes_table_parses() {
        assert!(super::REMOVED_ATTRIBUTES.len() > 10);
    }

    #[test]
    fn whole_identifiers_only() {
        assert!(contains_word("print x\n", "x"));
        assert!(contains_word("(x)", "x"));
        assert!(!contains_word("xs = ax + x_1 + éx", "x"));
        assert!(contains_word("ax + x", "x"));
        assert!(!contains_word("", "x"));
        assert!(!contains_word("x", ""));
    }
}
