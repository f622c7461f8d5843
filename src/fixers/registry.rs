//! The table of every fixer: code -> spec. The engine knows fixers only through this table.

use std::sync::LazyLock;

use super::grammar::statements::Code;
use crate::config::Target;
use crate::engine::Diagnostic;
use crate::tokens::Token;

/// Everything a token fixer may read.
pub struct TokenContext<'a> {
    /// The whole decoded text.
    pub text: &'a str,
    /// Its lossless tokens (concatenated, they give back `text`).
    pub tokens: &'a [Token],
    /// The significant tokens grouped into statements, built once for all token fixers.
    pub code: Code<'a>,
    /// `from __future__ import print_function` is in effect.
    pub print_function: bool,
    /// This is the first round over the file's own text (later rounds see what earlier ones
    /// wrote, which a fixer may not be able to tell from Python 2 code).
    pub first_round: bool,
    /// What the fixed code must run on (Python 3 only, or Python 2.7 and 3 through `six`).
    pub target: Target,
}

impl<'a> TokenContext<'a> {
    /// Groups the tokens of `text` into statements once, for every token fixer of a round.
    pub fn new(text: &'a str, tokens: &'a [Token]) -> Self {
        let code = Code::new(text, tokens);
        let print_function = super::grammar::has_future_import_in(&code, "print_function");
        TokenContext {
            text,
            tokens,
            code,
            print_function,
            first_round: true,
            target: Target::Py3,
        }
    }
}

/// How a fixer hooks into the engine.
#[derive(Clone, Copy)]
pub enum FixerKind {
    /// Runs once per file over the token stream.
    Tokens(fn(&TokenContext, &mut Vec<Diagnostic>)),
    /// Called by the AST checker for every statement / expression.
    Ast(AstHooks),
}

/// The node kinds an AST fixer wants, with the function called for each.
#[derive(Clone, Copy, Default)]
pub struct AstHooks {
    pub stmt: Option<fn(&rustpython_ast::Stmt, &mut crate::engine::checker::Checker)>,
    pub expr: Option<fn(&rustpython_ast::Expr, &mut crate::engine::checker::Checker)>,
    /// The expression kinds `expr` looks at ([`expr_kinds`] bits); `0` means every kind. The
    /// checker calls the hook only for those: most hooks want calls, attributes or names.
    pub expr_kinds: u32,
    /// Whether `expr` can fire at all in a module, from its [`Semantic`] facts (e.g. the module
    /// mentions the name `long`): a hook that cannot is not called for any node of that module.
    /// `None`: always called. It must answer `true` whenever the hook could report something.
    ///
    /// [`Semantic`]: crate::engine::checker::Semantic
    pub expr_relevant: Option<fn(&crate::engine::checker::Semantic) -> bool>,
}

/// Bits for [`AstHooks::expr_kinds`].
pub mod expr_kinds {
    use rustpython_ast::Expr;

    pub const CALL: u32 = 1 << 0;
    pub const ATTRIBUTE: u32 = 1 << 1;
    pub const NAME: u32 = 1 << 2;
    pub const CONSTANT: u32 = 1 << 3;
    pub const LIST_COMP: u32 = 1 << 4;
    pub const SUBSCRIPT: u32 = 1 << 5;
    /// Every other kind of expression.
    pub const OTHER: u32 = 1 << 6;
    /// How many kinds there are.
    pub const COUNT: usize = 7;

    /// The bit of `expr`'s kind.
    pub fn of(expr: &Expr) -> u32 {
        match expr {
            Expr::Call(_) => CALL,
            Expr::Attribute(_) => ATTRIBUTE,
            Expr::Name(_) => NAME,
            Expr::Constant(_) => CONSTANT,
            Expr::ListComp(_) => LIST_COMP,
            Expr::Subscript(_) => SUBSCRIPT,
            _ => OTHER,
        }
    }
}

/// A fixer (and lint rule): its identity, docs and entry point.
#[derive(Clone, Copy)]
pub struct FixerSpec {
    /// Stable code, e.g. `PY001`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `print-statement`.
    pub name: &'static str,
    /// One line for listings.
    pub summary: &'static str,
    /// Full documentation (from the doc comment): what it does, why, example.
    pub doc: &'static str,
    /// Groups it belongs to, e.g. `["2to3", "grammar"]`; `--select GROUP` takes them.
    pub groups: &'static [&'static str],
    /// Whether it runs without being selected.
    pub default_on: bool,
    /// Whether it can produce an edit (`py2to3 rules` prints `yes`/`no`). Report-only rules set
    /// it to `false`; [`declare_fixer!`](crate::declare_fixer) defaults it to `true`.
    pub fixable: bool,
    /// How it hooks into the engine.
    pub kind: FixerKind,
}

/// Does nothing: the placeholder hook of [`SPEC_DEFAULTS`].
fn no_tokens(_: &TokenContext, _: &mut Vec<Diagnostic>) {}

/// The values [`declare_fixer!`](crate::declare_fixer) takes for fields a spec leaves out.
///
/// Only `fixable` (default `true`) is meant to be left out; the other fields are placeholders,
/// and a test checks that no registered spec keeps them.
pub const SPEC_DEFAULTS: FixerSpec = FixerSpec {
    code: "",
    name: "",
    summary: "",
    doc: "",
    groups: &[],
    default_on: false,
    fixable: true,
    kind: FixerKind::Tokens(no_tokens),
};

/// Every fixer, in the order they run: each family folder lists its own.
pub fn all() -> &'static [&'static FixerSpec] {
    static ALL: LazyLock<Vec<&'static FixerSpec>> = LazyLock::new(|| {
        let families: &[&[&'static FixerSpec]] = &[
            super::grammar::FIXERS,
            super::iterators::FIXERS,
            super::imports::FIXERS,
            super::objects::FIXERS,
            super::semantics::FIXERS,
            super::lint::FIXERS,
            super::six::FIXERS,
        ];
        // range-list first: it reads the author's Python 2 grammar as evidence that a `range()`
        // was a list (see its doc), so run one fixer at a time in this order it comes before the
        // grammar fixers remove that evidence, and before xrange writes `range` calls.
        let first = &super::iterators::range_list::RANGE_LIST;
        std::iter::once(first)
            .chain(
                families
                    .iter()
                    .flat_map(|f| f.iter().copied())
                    .filter(|s| s.code != first.code),
            )
            .collect()
    });
    &ALL
}

/// Finds a fixer by code or name.
pub fn find(code_or_name: &str) -> Option<&'static FixerSpec> {
    all()
        .iter()
        .copied()
        .find(|s| s.code.eq_ignore_ascii_case(code_or_name) || s.name == code_or_name)
}

/// Whether `selector` names `spec`: `ALL`, its code or a code prefix of at least two characters
/// (`PY1`; case-insensitive), its name, or one of its groups.
pub fn selector_matches(selector: &str, spec: &FixerSpec) -> bool {
    let selector = selector.trim();
    selector.eq_ignore_ascii_case("ALL")
        || spec.name == selector
        || spec.groups.contains(&selector)
        || (selector.len() >= 2
            && selector.chars().all(|c| c.is_ascii_alphanumeric())
            && spec
                .code
                .get(..selector.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(selector)))
}

/// The fixers `--select` / `--ignore` leave on (defaults when `select` is empty). Unknown
/// selectors are an error naming them.
pub fn resolve_selection(
    select: &[String],
    ignore: &[String],
) -> Result<Vec<&'static FixerSpec>, String> {
    for s in select.iter().chain(ignore) {
        if !s.trim().eq_ignore_ascii_case("ALL")
            && !all().iter().any(|spec| selector_matches(s, spec))
        {
            return Err(format!(
                "unknown fixer, code or group: {s:?} (see `py2to3 fix --list-fixers`)"
            ));
        }
    }
    Ok(all()
        .iter()
        .copied()
        .filter(|spec| {
            if select.is_empty() {
                spec.default_on
            } else {
                select.iter().any(|s| selector_matches(s, spec))
            }
        })
        .filter(|spec| !ignore.iter().any(|s| selector_matches(s, spec)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    type TokenHook = fn(&TokenContext, &mut Vec<Diagnostic>);

    #[test]
    fn every_spec_sets_its_own_identity() {
        for spec in all() {
            assert!(!spec.code.is_empty(), "a spec without a code");
            assert!(!spec.name.is_empty(), "{} has no name", spec.code);
            assert!(!spec.summary.is_empty(), "{} has no summary", spec.code);
            assert!(
                !spec.doc.trim().is_empty(),
                "{} has no doc comment",
                spec.code
            );
            assert!(
                !matches!(spec.kind, FixerKind::Tokens(f) if std::ptr::fn_addr_eq(f, no_tokens as TokenHook)),
                "{} has no hook",
                spec.code
            );
        }
    }

    #[test]
    fn lint_only_rules_are_not_fixable_and_fixers_are() {
        for spec in all() {
            let lint_only = spec.groups.contains(&"lint-only");
            assert_eq!(spec.fixable, !lint_only, "{} ({})", spec.code, spec.name);
        }
    }
}
