//! Choosing which items `py2to3 memcache purge` deletes: by verdict, or by what a Python cannot
//! load. Deleting happens in [`super::scan`], only for items unchanged since they were fetched.

use super::verdict::{ItemAnalysis, Verdict};

/// A set of items to purge, as named on the command line (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Selector {
    /// Items Python 3 cannot load with the default encoding (needs latin1/bytes, py2 only,
    /// unreadable).
    Py3Unloadable,
    /// Items Python 2 cannot load (py3 only, unreadable).
    Py2Unloadable,
    /// Pickles that would run code or import unusual modules when loaded.
    Dangerous,
    /// Verdict `loads_on_both`.
    LoadsOnBoth,
    /// Verdict `needs_latin1`.
    NeedsLatin1,
    /// Verdict `needs_bytes`.
    NeedsBytes,
    /// Verdict `py2_only`.
    Py2Only,
    /// Verdict `py3_only`.
    Py3Only,
    /// Verdict `unreadable`.
    Unreadable,
    /// Verdict `not_pickled`.
    NotPickled,
    /// Verdict `unknown_flags`.
    UnknownFlags,
}

impl Selector {
    /// True when the item belongs to this set.
    pub fn matches(self, analysis: &ItemAnalysis) -> bool {
        let v = analysis.verdict;
        match self {
            Selector::Py3Unloadable => matches!(
                v,
                Verdict::NeedsLatin1 | Verdict::NeedsBytes | Verdict::Py2Only | Verdict::Unreadable
            ),
            Selector::Py2Unloadable => matches!(v, Verdict::Py3Only | Verdict::Unreadable),
            Selector::Dangerous => analysis.dangerous(),
            Selector::LoadsOnBoth => v == Verdict::LoadsOnBoth,
            Selector::NeedsLatin1 => v == Verdict::NeedsLatin1,
            Selector::NeedsBytes => v == Verdict::NeedsBytes,
            Selector::Py2Only => v == Verdict::Py2Only,
            Selector::Py3Only => v == Verdict::Py3Only,
            Selector::Unreadable => v == Verdict::Unreadable,
            Selector::NotPickled => v == Verdict::NotPickled,
            Selector::UnknownFlags => v == Verdict::UnknownFlags,
        }
    }
}

/// True when the item belongs to any of `selectors`.
pub fn selected(selectors: &[Selector], analysis: &ItemAnalysis) -> bool {
    selectors.iter().any(|s| s.matches(analysis))
}
