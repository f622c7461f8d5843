use rustpython_ast::{Expr, Ranged, Stmt};

use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::{Edit, Fix};
use crate::fixers::semantics::util::{
    class_defines, indentation_at, methods, newline_of, next_line_start,
};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// In a class that defines `__cmp__`, adds the rich comparison methods it lacks
    /// (`__eq__`, `__ne__`, `__lt__`, `__le__`, `__gt__`, `__ge__`), each defined through
    /// `self.__cmp__(other)`, right after `__cmp__` (which stays as it is).
    ///
    /// Adding `__eq__` makes Python 3 set the class's `__hash__` to `None`. Python 2 kept the
    /// inherited hash for a class with bases (a new-style class), and made instances of a
    /// classic class (no bases) unhashable. So, when the class gets `__eq__` from this fixer
    /// and does not define `__hash__`: with exactly one base `B`, `__hash__ = B.__hash__` is
    /// added too (the hash Python 2 used); with no base nothing is added (unhashable, as in
    /// Python 2); with several bases, the class is reported without a fix (which base's hash
    /// applies depends on the method resolution order).
    ///
    /// ## Why
    /// Python 3 never calls `__cmp__`: `sorted()`, `<` and `==` on such objects raise
    /// `TypeError` or fall back to identity.
    ///
    /// ## Example
    /// ```python
    /// class Item(object):
    ///     def __cmp__(self, other):
    ///         return cmp(self.key, other.key)
    /// ```
    /// becomes
    /// ```python
    /// class Item(object):
    ///     def __cmp__(self, other):
    ///         return cmp(self.key, other.key)
    ///     def __eq__(self, other):
    ///         return self.__cmp__(other) == 0
    ///     ...
    ///     def __ge__(self, other):
    ///         return self.__cmp__(other) >= 0
    ///     __hash__ = object.__hash__
    /// ```
    /// (`cmp-builtin` then rewrites the `cmp()` call.)
    ///
    /// ## Limits
    /// Only a `def __cmp__` directly in the class body is seen. A `__cmp__` returning
    /// `NotImplemented` is not modelled.
    pub CMP_METHOD = FixerSpec {
        code: "PY401",
        name: "cmp-method",
        summary: "__cmp__ -> rich comparison methods",
        groups: &["semantics"],
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

/// The rich comparison methods and the operator each applies to `__cmp__`'s result.
const RICH: &[(&str, &str)] = &[
    ("__eq__", "=="),
    ("__ne__", "!="),
    ("__lt__", "<"),
    ("__le__", "<="),
    ("__gt__", ">"),
    ("__ge__", ">="),
];

fn check(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ClassDef(class) = stmt else { return };
    let Some(cmp) = methods(class).find(|f| f.name.as_str() == "__cmp__") else {
        return;
    };
    let missing: Vec<&(&str, &str)> = RICH
        .iter()
        .filter(|(name, _)| !class_defines(class, name))
        .collect();
    if missing.is_empty() {
        return;
    }
    let text = checker.text;
    let def_start = cmp.range.start().to_usize();
    let indent = indentation_at(text, def_start);
    // The body's indentation: the first body statement's, when it starts its own line.
    let body_indent = cmp
        .body
        .first()
        .map(|s| s.range().start().to_usize())
        .filter(|&at| {
            let line = crate::fixers::semantics::util::line_start(text, at);
            text.get(line..at)
                .is_some_and(|p| p.chars().all(|c| c == ' ' || c == '\t'))
        })
        .map(|at| indentation_at(text, at).to_string())
        .filter(|b| b.len() > indent.len() && b.starts_with(indent))
        .unwrap_or_else(|| format!("{indent}    "));
    let newline = newline_of(text);

    let adds_eq = missing.iter().any(|(name, _)| *name == "__eq__");
    let hash_line = if adds_eq && !class_defines(class, "__hash__") {
        match class.bases.as_slice() {
            [] => Some(None),
            // One base (a `metaclass=` keyword does not change which `__hash__` is inherited).
            [base @ (Expr::Name(_) | Expr::Attribute(_))]
                if class
                    .keywords
                    .iter()
                    .all(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass")) =>
            {
                Some(Some(checker.source(base).to_string()))
            }
            _ => None,
        }
    } else {
        Some(None)
    };
    let Some(hash_base) = hash_line else {
        checker.report(
            &CMP_METHOD,
            cmp,
            "`__cmp__` is never called in Python 3; with several bases, add rich comparisons \
             and choose the `__hash__` by hand",
            None,
        );
        return;
    };

    let mut added = String::new();
    for (name, op) in &missing {
        added.push_str(&format!(
            "{indent}def {name}(self, other):{newline}{body_indent}return self.__cmp__(other) {op} 0{newline}"
        ));
    }
    if let Some(base) = hash_base {
        added.push_str(&format!("{indent}__hash__ = {base}.__hash__{newline}"));
    }
    let end = cmp.range.end().to_usize();
    let at = next_line_start(text, end);
    if at == text.len() && !text.ends_with('\n') {
        added.insert_str(0, newline);
    }
    let fix = Fix::safe(vec![Edit::insert(at, added)]);
    let names: Vec<&str> = missing.iter().map(|(n, _)| *n).collect();
    checker.report(
        &CMP_METHOD,
        cmp,
        format!(
            "`__cmp__` is never called in Python 3: add {}",
            names.join(", ")
        ),
        Some(fix),
    );
}
