//! Report-only rules (group `lint-only`): Python 2 constructs no fixer can safely rewrite.

use super::FixerSpec;

/// The lint-only rules, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[];
