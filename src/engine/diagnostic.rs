//! What a fixer returns: a [`Diagnostic`] at a byte range, with an optional [`Fix`] made of [`Edit`]s.
//!
//! Ranges are byte offsets into the text the fixer was given; lines and columns are computed only
//! when printing.

use rustpython_ast::text_size::TextRange;
use rustpython_ast::Ranged;

/// Replace `start..end` of the text with `content` (an insertion when `start == end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

impl Edit {
    pub fn replace(start: usize, end: usize, content: impl Into<String>) -> Self {
        Edit {
            start,
            end,
            content: content.into(),
        }
    }
    /// Replaces the text of `range` (e.g. a node's `.range()`) with `content`.
    pub fn replace_range(range: TextRange, content: impl Into<String>) -> Self {
        Edit::replace(range.start().to_usize(), range.end().to_usize(), content)
    }
    /// Replaces the whole text of `node` with `content`.
    pub fn replace_node(node: &impl Ranged, content: impl Into<String>) -> Self {
        Edit::replace_range(node.range(), content)
    }
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit {
            start: at,
            end: at,
            content: content.into(),
        }
    }
    pub fn delete(start: usize, end: usize) -> Self {
        Edit {
            start,
            end,
            content: String::new(),
        }
    }
}

/// How safe a fix is to apply without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Only shown (report-only rules).
    DisplayOnly,
    /// May change behaviour; applied only when asked for.
    Unsafe,
    /// Keeps behaviour; applied by `fix`.
    Safe,
}

/// A set of edits applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
    /// Applying it may give another fixer work in the next round (e.g. `unicode` -> `str` inside
    /// `isinstance(x, (str, unicode))` makes a duplicate): the pipeline then re-parses and
    /// re-checks the whole file instead of ending after the round.
    pub cascades: bool,
}

impl Fix {
    /// Edits as safe as their fixer declares ([`crate::engine::spec::FixerSpec::applicability`]):
    /// the checker lowers the fix to the spec's applicability when it is reported.
    pub fn new(edits: Vec<Edit>) -> Self {
        Fix::safe(edits)
    }

    /// Edits that keep behaviour: applied by `fix`.
    pub fn safe(edits: Vec<Edit>) -> Self {
        Fix {
            edits,
            applicability: Applicability::Safe,
            cascades: false,
        }
    }

    /// Edits that may change behaviour: applied only with `--unsafe-fixes`.
    pub fn unsafe_edits(edits: Vec<Edit>) -> Self {
        Fix {
            edits,
            applicability: Applicability::Unsafe,
            cascades: false,
        }
    }

    /// Marks the fix as one whose result another fixer may rewrite (see [`Fix::cascades`]).
    pub fn cascading(mut self, cascades: bool) -> Self {
        self.cascades = cascades;
        self
    }
}

/// One finding of one fixer/rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `PY001`.
    pub code: &'static str,
    /// Kebab-case fixer name, e.g. `print-statement`.
    pub name: &'static str,
    pub message: String,
    /// Byte range of the construct in the text the fixer saw.
    pub start: usize,
    pub end: usize,
    pub fix: Option<Fix>,
}
