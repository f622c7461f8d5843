use std::collections::BTreeMap;
use std::sync::LazyLock;

use rustpython_ast::{Expr, ExprContext};

use super::util::module_attribute;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::Edit;
use crate::engine::Fix;
use crate::fixers::util::in_isinstance_tuple;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_types`: the constants of the `types` module that Python 3 removed become
    /// the builtins they named (`types.IntType` -> `int`, `types.NoneType` -> `type(None)`
    /// ...). The table is `fixers/imports/types.toml`, generated from lib2to3's, with the
    /// changes of `fixers/imports/types_extra.toml`: `types.StringType` -> `str` (2to3 writes
    /// `bytes`), as Python 2 `str` literals and the builtin `str` stay `str`.
    ///
    /// ## Why
    /// Python 3's `types` has none of these names: the attribute lookup fails.
    ///
    /// ## Example
    /// ```python
    /// isinstance(x, types.IntType)
    /// ```
    /// becomes
    /// ```python
    /// isinstance(x, int)
    /// ```
    ///
    /// ## Limits
    /// `types.StringType` and `types.UnicodeType` both become `str`: code that told Python 2
    /// byte strings from unicode strings (`if isinstance(x, types.StringType): ... elif
    /// isinstance(x, types.UnicodeType): ...`) takes the first branch for all text.
    pub TYPES = FixerSpec {
        code: "PY217",
        name: "types-constants",
        summary: "types.StringType and friends -> builtins (2to3 fix_types)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: None, expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: Some(|s| TABLE.types.keys().any(|a| s.mentions_attribute(a))) }),
    }
}

/// `[types]`: removed name -> Python 3 expression.
#[derive(serde::Deserialize, Default)]
struct TypesTable {
    types: BTreeMap<String, String>,
}

/// lib2to3's table with the entries of `fixers/imports/types_extra.toml` in place of its own.
static TABLE: LazyLock<TypesTable> = LazyLock::new(|| {
    let mut table: TypesTable =
        toml::from_str(include_str!("../../../fixers/imports/types.toml")).unwrap_or_default();
    let extra: TypesTable =
        toml::from_str(include_str!("../../../fixers/imports/types_extra.toml"))
            .unwrap_or_default();
    table.types.extend(extra.types);
    table
});

fn check(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    if !matches!(attr.ctx, ExprContext::Load) {
        return;
    }
    let Some(name) = module_attribute(checker, expr, "types") else {
        return;
    };
    let Some(new) = TABLE.types.get(name) else {
        return;
    };
    let builtin = new.split('(').next().unwrap_or(new);
    let fixable = builtin.is_empty() || checker.is_builtin(builtin);
    let cascades = in_isinstance_tuple(checker);
    let fix = fixable
        .then(|| Fix::safe(vec![Edit::replace_node(expr, new.as_str())]).cascading(cascades));
    let message = format!("`types.{name}` is `{new}` in Python 3");
    checker.report(&TYPES, expr, message, fix);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses() {
        assert_eq!(
            TABLE.types.get("StringType").map(String::as_str),
            Some("str")
        );
        assert_eq!(TABLE.types.len(), 21);
    }
}
