//! The catalogue: every fixer, in the order they run, found by code or name. The commands hand
//! it to the engine ([`crate::engine::pipeline::Settings`]); the engine never names a fixer.

use std::sync::LazyLock;

use crate::engine::spec::FixerSpec;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::spec::{no_tokens, FixerKind, TokenContext};
    use crate::engine::Diagnostic;

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
            // Declared once: report-only by `fixable`, unsafe by `applicability`.
            assert!(
                !spec.groups.contains(&"lint-only") && !spec.groups.contains(&"unsafe"),
                "{} declares an implied group",
                spec.code
            );
            assert_eq!(spec.fixable, !spec.in_group("lint-only"), "{}", spec.code);
        }
    }
}
