//! What a fixer is, as the engine sees it: its [`FixerSpec`] (identity, docs, groups, hooks),
//! the [`TokenContext`] a token fixer reads, the [`AstHooks`] the checker calls, the
//! [`declare_fixer!`](crate::declare_fixer) macro every fixer file uses, and the [`Target`] the
//! fixed code must run on. The catalogue itself (`crate::fixers`) sits on top of this module and
//! is handed to the engine; nothing here names a fixer.

use serde::Deserialize;

use super::{Applicability, Diagnostic};
use crate::tokens::statements::{has_future_import, Code};
use crate::tokens::Token;

/// What fixed code targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Plain Python 3.
    #[default]
    Py3,
    /// Code that runs on Python 2 and 3, using `six`.
    Six,
}

impl Target {
    /// The name used in configuration files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Py3 => "py3",
            Target::Six => "six",
        }
    }
}

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
        let print_function = has_future_import(&code, "print_function");
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
    pub stmt: Option<fn(&rustpython_ast::Stmt, &mut super::checker::Checker)>,
    pub expr: Option<fn(&rustpython_ast::Expr, &mut super::checker::Checker)>,
    /// The expression kinds `expr` looks at ([`expr_kinds`] bits); `0` means every kind. The
    /// checker calls the hook only for those: most hooks want calls, attributes or names.
    pub expr_kinds: u32,
    /// Whether `expr` can fire at all in a module, from its [`Semantic`] facts (e.g. the module
    /// mentions the name `long`): a hook that cannot is not called for any node of that module.
    /// `None`: always called. It must answer `true` whenever the hook could report something.
    ///
    /// [`Semantic`]: super::checker::Semantic
    pub expr_relevant: Option<fn(&super::checker::Semantic) -> bool>,
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
    /// How safe its fixes are at best: `Unsafe` for a fixer whose every fix may change
    /// behaviour (applied only with `--unsafe-fixes`; the fixer is then in the `unsafe` group).
    /// The checker lowers each fix it reports to this ([`super::checker::Checker::report`]).
    pub applicability: Applicability,
    /// Whether it can produce an edit (`py2to3 rules` prints `yes`/`no`). Report-only rules set
    /// it to `false`; [`declare_fixer!`](crate::declare_fixer) defaults it to `true`.
    pub fixable: bool,
    /// How it hooks into the engine.
    pub kind: FixerKind,
    /// Runs in the first round of AST fixes only: it reads what the author wrote, never the code
    /// other fixes write (relative-import: an import another fix wrote is absolute already).
    pub first_round_only: bool,
    /// A file that stays Python 2 after this fixer's edits (a partial selection) needs
    /// `from __future__ import <feature>` to keep reading them alike (print-statement:
    /// `print_function`).
    pub python2_future: Option<&'static str>,
    /// A last edit on the whole fixed file, made after every round (relative-import: the
    /// `absolute_import` marker).
    pub finish: Option<FinishHook>,
}

impl FixerSpec {
    /// Whether `group` names this fixer: one of its declared groups, or a group its declaration
    /// implies: `lint-only` (report-only: `fixable: false`) and `unsafe` (`applicability:
    /// Unsafe`). Those two are never declared in `groups`, so they cannot disagree.
    pub fn in_group(&self, group: &str) -> bool {
        self.all_groups().contains(&group)
    }

    /// Its declared groups, then the implied ones (see [`FixerSpec::in_group`]).
    pub fn all_groups(&self) -> Vec<&'static str> {
        let mut groups = self.groups.to_vec();
        if self.applicability == Applicability::Unsafe {
            groups.push("unsafe");
        }
        if !self.fixable {
            groups.push("lint-only");
        }
        groups
    }
}

/// A fixer's last word on a whole fixed file (see [`FixerSpec::finish`]).
#[derive(Clone, Copy)]
pub struct FinishHook {
    /// Whether the file at this path (in folders like these) may need the edit: a quick test
    /// on the text alone.
    pub may_apply: fn(&str, &std::path::Path, &dyn super::folders::Folders) -> bool,
    /// The edit for the text (parsed into the suite) of the file at the path, if any.
    pub edit: fn(
        &str,
        &[rustpython_ast::Stmt],
        &std::path::Path,
        &dyn super::folders::Folders,
    ) -> Option<super::Edit>,
}

/// Does nothing: the placeholder hook of [`SPEC_DEFAULTS`].
pub(crate) fn no_tokens(_: &TokenContext, _: &mut Vec<Diagnostic>) {}

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
    applicability: Applicability::Safe,
    kind: FixerKind::Tokens(no_tokens),
    first_round_only: false,
    python2_future: None,
    finish: None,
};

/// Declares a fixer's [`FixerSpec`] constant; the doc comment becomes its `doc` text as well.
/// `fixable` may be left out (it is then `true`); every other field must be given.
///
/// ```ignore
/// declare_fixer! {
///     /// ## What it does
///     /// Rewrites `a <> b` as `a != b`.
///     pub NOT_EQUAL = FixerSpec { code: "PY006", name: "ne-operator", ... doc: "" }
/// }
/// ```
#[macro_export]
macro_rules! declare_fixer {
    ($(#[doc = $doc:expr])* $vis:vis $name:ident = FixerSpec { $($field:ident : $value:expr),* $(,)? }) => {
        $(#[doc = $doc])*
        #[allow(clippy::needless_update)]
        $vis const $name: $crate::engine::spec::FixerSpec = $crate::engine::spec::FixerSpec {
            doc: concat!($($doc, "\n"),*),
            $($field: $value,)*
            ..$crate::engine::spec::SPEC_DEFAULTS
        };
    };
}

/// Runs the enabled token fixers over one tokenized text.
pub fn run_token_fixers(
    cx: &TokenContext,
    enabled: &[&'static FixerSpec],
    out: &mut Vec<Diagnostic>,
) {
    for spec in enabled {
        if let FixerKind::Tokens(f) = spec.kind {
            f(cx, out);
        }
    }
}
