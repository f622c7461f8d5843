//! 2to3's `fix_operator`: the `operator` functions Python 3 removed.

use std::collections::HashMap;
use std::sync::LazyLock;

use rustpython_ast::Expr;

use super::util::{module_attribute, module_name_is_free};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Rewrites calls of the `operator` functions Python 3 removed (2to3's `fix_operator`):
    /// `operator.isCallable(x)` -> `callable(x)`, `operator.sequenceIncludes(a, b)` ->
    /// `operator.contains(a, b)`, `operator.repeat` / `irepeat` -> `mul` / `imul`, and
    /// `operator.isSequenceType(x)` / `isMappingType(x)` / `isNumberType(x)` ->
    /// `isinstance(x, collections.abc.Sequence)` / `collections.abc.Mapping` /
    /// `numbers.Number`, adding the import. The table is `fixers/imports/operator.toml`.
    ///
    /// ## Why
    /// Each raises `AttributeError` in Python 3. The `is*Type` functions answered from the
    /// C-level type slots; the abstract base classes are what Python 3 offers instead (they
    /// also accept registered classes, as the slots did not).
    ///
    /// ## Example
    /// ```python
    /// if operator.isCallable(handler) and operator.isSequenceType(args):
    ///     ...
    /// ```
    /// becomes
    /// ```python
    /// import collections.abc
    /// if callable(handler) and isinstance(args, collections.abc.Sequence):
    ///     ...
    /// ```
    ///
    /// Under `--target six` the abstract base classes come from a `collections_abc` name that a
    /// `try: import collections.abc as collections_abc` / `except ImportError: import
    /// collections as collections_abc` block binds (Python 2.7 has no `collections.abc`, and
    /// six 1.16 no `six.moves.collections_abc`).
    pub OPERATOR_FUNCTIONS = FixerSpec {
        code: "PY216",
        name: "operator-functions",
        summary: "operator.isCallable(x) -> callable(x) ... (2to3 fix_operator)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::CALL, expr_relevant: None }),
    }
}

/// One row of `fixers/imports/operator.toml`.
#[derive(serde::Deserialize)]
struct Rewrite {
    kind: String,
    new: String,
    #[serde(default)]
    module: Option<String>,
}

static TABLE: LazyLock<HashMap<String, Rewrite>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../fixers/imports/operator.toml")).unwrap_or_default()
});

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Call(call) = expr else { return };
    let Some(old) = module_attribute(checker, &call.func, "operator") else {
        return;
    };
    let Some(rewrite) = TABLE.get(old) else {
        return;
    };
    let plain =
        call.keywords.is_empty() && !call.args.iter().any(|a| matches!(a, Expr::Starred(_)));
    let fix = match rewrite.kind.as_str() {
        "rename" => {
            let Expr::Attribute(attr) = call.func.as_ref() else {
                return;
            };
            crate::fixers::util::attribute_name_start(attr).map(|start| {
                Fix::safe(vec![Edit::replace(
                    start,
                    attr.range.end().to_usize(),
                    rewrite.new.as_str(),
                )])
            })
        }
        "builtin" if plain && call.args.len() == 1 && checker.is_builtin(&rewrite.new) => {
            Some(Fix::safe(vec![Edit::replace_node(
                call.func.as_ref(),
                rewrite.new.as_str(),
            )]))
        }
        "isinstance" if plain && call.args.len() == 1 && checker.is_builtin("isinstance") => {
            isinstance_fix(checker, call, rewrite)
        }
        _ => None,
    };
    let message = format!("`operator.{old}` does not exist in Python 3");
    checker.report(&OPERATOR_FUNCTIONS, expr, message, fix);
}

/// `operator.isSequenceType(x)` -> `isinstance(x, collections.abc.Sequence)` with the import.
fn isinstance_fix(
    checker: &Checker,
    call: &rustpython_ast::ExprCall,
    rewrite: &Rewrite,
) -> Option<Fix> {
    let module = rewrite.module.as_deref()?;
    if checker.six() && module == "collections.abc" {
        return collections_abc_fix(checker, call, rewrite);
    }
    let top = module.split('.').next().unwrap_or(module);
    if !module_name_is_free(checker, top) {
        return None;
    }
    let mut edits = checker.importer().module_edits(module)?;
    let arg = checker.source(call.args.first()?);
    edits.push(Edit::replace_node(
        call,
        format!("isinstance({arg}, {})", rewrite.new),
    ));
    Some(Fix::safe(edits))
}

/// The name `--target six` binds to `collections.abc` (Python 3) or `collections` (Python 2).
pub const COLLECTIONS_ABC: &str = "collections_abc";

/// `--target six`: `operator.isSequenceType(x)` -> `isinstance(x, collections_abc.Sequence)`,
/// with the import Python 2.7 (`collections.Sequence`) and Python 3.10+ (only
/// `collections.abc.Sequence`) both run, added once:
/// ```python
/// try:
///     import collections.abc as collections_abc
/// except ImportError:  # Python 2
///     import collections as collections_abc
/// ```
/// `None` when the name `collections_abc` is bound by something else.
fn collections_abc_fix(
    checker: &Checker,
    call: &rustpython_ast::ExprCall,
    rewrite: &Rewrite,
) -> Option<Fix> {
    let semantic = checker.semantic();
    let imports = semantic
        .imports()
        .iter()
        .filter(|i| {
            i.bound_name() == COLLECTIONS_ABC
                && i.from.is_none()
                && matches!(i.name, "collections.abc" | "collections")
        })
        .count();
    let bindings = semantic.name_use(COLLECTIONS_ABC).bindings;
    let mut edits = Vec::new();
    if bindings == 0 {
        let nl = crate::fixers::semantics::util::newline_of(checker.text);
        let block = [
            "try:",
            "    import collections.abc as collections_abc",
            "except ImportError:  # Python 2",
            "    import collections as collections_abc",
        ]
        .join(nl);
        edits.push(checker.importer().line(&block)?);
    } else if imports != 2 || u32::try_from(imports).ok() != Some(bindings) {
        return None;
    }
    let arg = checker.source(call.args.first()?);
    let class = rewrite.new.rsplit('.').next()?;
    edits.push(Edit::replace_node(
        call,
        format!("isinstance({arg}, {COLLECTIONS_ABC}.{class})"),
    ));
    Some(Fix::safe(edits))
}
