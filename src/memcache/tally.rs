//! Counting verdicts: per server, per key prefix, with a few sample keys for each problem.
//! Memory stays bounded: at most [`MAX_PREFIXES`] prefixes and [`MAX_SAMPLES`] keys a verdict.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use serde::Serialize;

use super::convention::is_known_layout;
use super::keys::display_key;
use super::verdict::{ItemAnalysis, Verdict};

/// Most distinct key prefixes counted separately; later ones are counted under
/// [`OTHER_PREFIXES`].
pub const MAX_PREFIXES: usize = 10_000;
/// Name of the group that collects prefixes beyond [`MAX_PREFIXES`].
pub const OTHER_PREFIXES: &str = "(other prefixes)";
/// Sample keys kept for each problem verdict.
pub const MAX_SAMPLES: usize = 5;

/// Item counts. The verdict counts (`loads_on_both` .. `unknown_flags`) partition
/// `items_scanned`; `py2_loadable`, `py3_loadable*` and `dangerous` count pickled items with
/// that property.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Items fetched and classified.
    pub items_scanned: u64,
    /// Pickled items (flag says pickle).
    pub pickled: u64,
    /// Pickles Python 2 loads.
    pub py2_loadable: u64,
    /// Pickles Python 3 loads with the default encoding (`ASCII`).
    pub py3_loadable: u64,
    /// Pickles Python 3 loads with `encoding="latin1"`.
    pub py3_loadable_latin1: u64,
    /// Pickles Python 3 loads with `encoding="bytes"`.
    pub py3_loadable_bytes: u64,
    /// Pickles that would run code or import unusual modules when loaded.
    pub dangerous: u64,
    /// Items stored zlib-compressed.
    pub compressed: u64,
    /// Verdict: loads on Python 2 and Python 3 (default encoding).
    pub loads_on_both: u64,
    /// Verdict: Python 3 needs `encoding="latin1"`.
    pub needs_latin1: u64,
    /// Verdict: Python 3 needs `encoding="bytes"`.
    pub needs_bytes: u64,
    /// Verdict: Python 2 only.
    pub py2_only: u64,
    /// Verdict: Python 3 only.
    pub py3_only: u64,
    /// Verdict: cannot be read at all.
    pub unreadable: u64,
    /// Verdict: stored raw, as int, long, bool or text.
    pub not_pickled: u64,
    /// Verdict: flags no known Python client writes.
    pub unknown_flags: u64,
}

impl Counts {
    /// Counts one analysed item.
    pub fn add(&mut self, analysis: &ItemAnalysis) {
        self.items_scanned += 1;
        if analysis.compressed {
            self.compressed += 1;
        }
        if let Some(audit) = analysis.audit.as_ref().filter(|a| a.error.is_none()) {
            self.pickled += 1;
            self.py2_loadable += u64::from(audit.py2_loadable);
            self.py3_loadable += u64::from(audit.py3_loadable.ascii);
            self.py3_loadable_latin1 += u64::from(audit.py3_loadable.latin1);
            self.py3_loadable_bytes += u64::from(audit.py3_loadable.bytes);
            self.dangerous += u64::from(audit.dangerous);
        } else if analysis.kind == super::convention::ValueKind::Pickle {
            // A pickle the auditor could not read, or could not be given (bad zlib, too large).
            self.pickled += 1;
        }
        *self.verdict_mut(analysis.verdict) += 1;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Counts) {
        self.items_scanned += other.items_scanned;
        self.pickled += other.pickled;
        self.py2_loadable += other.py2_loadable;
        self.py3_loadable += other.py3_loadable;
        self.py3_loadable_latin1 += other.py3_loadable_latin1;
        self.py3_loadable_bytes += other.py3_loadable_bytes;
        self.dangerous += other.dangerous;
        self.compressed += other.compressed;
        for verdict in Verdict::ALL {
            *self.verdict_mut(verdict) += other.verdict(verdict);
        }
    }

    /// The count for one verdict.
    pub fn verdict(&self, verdict: Verdict) -> u64 {
        let mut copy = *self;
        *copy.verdict_mut(verdict)
    }

    fn verdict_mut(&mut self, verdict: Verdict) -> &mut u64 {
        match verdict {
            Verdict::LoadsOnBoth => &mut self.loads_on_both,
            Verdict::NeedsLatin1 => &mut self.needs_latin1,
            Verdict::NeedsBytes => &mut self.needs_bytes,
            Verdict::Py2Only => &mut self.py2_only,
            Verdict::Py3Only => &mut self.py3_only,
            Verdict::Unreadable => &mut self.unreadable,
            Verdict::NotPickled => &mut self.not_pickled,
            Verdict::UnknownFlags => &mut self.unknown_flags,
        }
    }
}

/// Counts for a scan: overall, by key prefix, and sample keys.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Overall counts.
    pub counts: Counts,
    /// Counts by key prefix (raw prefix bytes). Fx hashing: looked up once per item, and
    /// SipHash was a visible part of the scan's CPU time.
    pub by_prefix: FxHashMap<Vec<u8>, Counts>,
    /// Up to [`MAX_SAMPLES`] keys (as displayed) per problem: a verdict name or `dangerous`.
    pub samples: BTreeMap<&'static str, Vec<String>>,
    /// How many items carry each client-flags value (at most [`MAX_FLAG_VALUES`] values).
    pub flags_seen: BTreeMap<u32, u64>,
}

/// Most distinct flag values counted in [`Tally::flags_seen`].
pub const MAX_FLAG_VALUES: usize = 64;

/// What the flags say about the client library that wrote the items. python-memcached,
/// pymemcache and pylibmc share one layout (see [`super::convention`]), so flags can only tell
/// whether some items come from something else.
pub fn detect_client(flags_seen: &BTreeMap<u32, u64>) -> &'static str {
    if flags_seen.is_empty() {
        "no items"
    } else if flags_seen.keys().all(|&f| is_known_layout(f)) {
        "python-memcached, pymemcache or pylibmc (one shared flag layout)"
    } else {
        "some items carry flags no supported Python client writes"
    }
}

impl Tally {
    /// Counts one item with its key prefix.
    pub fn add(&mut self, key: &[u8], prefix: &[u8], flags: u32, analysis: &ItemAnalysis) {
        self.counts.add(analysis);
        self.count_flags(flags, 1);
        match self.by_prefix.get_mut(prefix) {
            Some(counts) => counts.add(analysis),
            None => {
                let group = if self.by_prefix.len() < MAX_PREFIXES {
                    prefix.to_vec()
                } else {
                    OTHER_PREFIXES.as_bytes().to_vec()
                };
                self.by_prefix.entry(group).or_default().add(analysis);
            }
        }
        if analysis.verdict.is_problem() {
            self.sample(analysis.verdict.name(), key);
        }
        if analysis.dangerous() {
            self.sample("dangerous", key);
        }
    }

    fn count_flags(&mut self, flags: u32, n: u64) {
        if let Some(count) = self.flags_seen.get_mut(&flags) {
            *count += n;
        } else if self.flags_seen.len() < MAX_FLAG_VALUES {
            self.flags_seen.insert(flags, n);
        }
    }

    fn sample(&mut self, problem: &'static str, key: &[u8]) {
        if self
            .samples
            .get(problem)
            .is_some_and(|keys| keys.len() >= MAX_SAMPLES)
        {
            return;
        }
        let keys = self.samples.entry(problem).or_default();
        if keys.len() < MAX_SAMPLES {
            keys.push(display_key(key));
        }
    }

    /// Adds `other` into this tally.
    pub fn merge(&mut self, other: &Tally) {
        self.counts.merge(&other.counts);
        for (prefix, counts) in &other.by_prefix {
            let group =
                if self.by_prefix.contains_key(prefix) || self.by_prefix.len() < MAX_PREFIXES {
                    prefix.clone()
                } else {
                    OTHER_PREFIXES.as_bytes().to_vec()
                };
            self.by_prefix.entry(group).or_default().merge(counts);
        }
        for (&flags, &n) in &other.flags_seen {
            self.count_flags(flags, n);
        }
        for (problem, keys) in &other.samples {
            let mine = self.samples.entry(problem).or_default();
            for key in keys {
                if mine.len() < MAX_SAMPLES {
                    mine.push(key.clone());
                }
            }
        }
    }

    /// Prefix counts with printable names, sorted by name.
    pub fn prefixes_for_display(&self) -> BTreeMap<String, Counts> {
        self.by_prefix
            .iter()
            .map(|(prefix, counts)| (display_key(prefix), *counts))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_detection_from_flags() {
        let seen = |flags: &[u32]| flags.iter().map(|&f| (f, 1)).collect::<BTreeMap<_, _>>();
        assert!(detect_client(&seen(&[0, 1, 9, 24])).starts_with("python-memcached"));
        assert!(detect_client(&seen(&[1, 256])).starts_with("some items"));
    }
}
