//! Applying fixes to a text: non-overlapping, in order, all edits of a fix or none.

use std::collections::BTreeMap;

use super::{Applicability, Diagnostic, Edit};

/// The result of applying fixes once.
#[derive(Debug, Default)]
pub struct Applied {
    pub text: String,
    /// How many fixes were applied.
    pub fixes: usize,
    /// How many applicable fixes were left out because they overlap one taken before: running
    /// the fixers again on the new text may apply them.
    pub skipped: usize,
    /// The edits applied, sorted by start, in coordinates of the input text.
    pub edits: Vec<Edit>,
}

/// Applies the fixes of `diagnostics` at or above `min` applicability. A fix whose edits overlap an
/// edit already taken is skipped (the fixpoint loop picks it up in the next round).
///
/// O(n log n) in the number of edits: taken edits live in an ordered map, and a new edit is
/// compared only with its neighbours.
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], min: Applicability) -> Applied {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability >= min && !f.edits.is_empty())
        .map(|f| f.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.start).min().unwrap_or(0));
    let mut taken: BTreeMap<(usize, usize), &Edit> = BTreeMap::new();
    let mut count = 0;
    let mut skipped = 0;
    for edits in fixes {
        let valid = edits.iter().all(|e| {
            e.start <= e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
        });
        if !valid || !edits_well_formed(edits) {
            continue;
        }
        if edits.iter().any(|e| conflicts_with_taken(&taken, e)) {
            skipped += 1;
            continue;
        }
        for e in edits {
            taken.insert((e.start, e.end), e);
        }
        count += 1;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    let mut applied = Vec::with_capacity(taken.len());
    for e in taken.into_values() {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.content);
        pos = e.end;
        applied.push(e.clone());
    }
    out.push_str(&text[pos..]);
    Applied {
        text: out,
        fixes: count,
        skipped,
        edits: applied,
    }
}

/// Whether the edits of one fix can be applied together: each range runs forwards and no two
/// of them overlap or insert at one point. A fix that fails this is a fixer's defect: it is
/// never applied, and the pipeline reports its finding as not fixed, saying so.
pub fn edits_well_formed(edits: &[Edit]) -> bool {
    edits.iter().all(|e| e.start <= e.end)
        && !edits
            .iter()
            .enumerate()
            .any(|(i, a)| edits[i + 1..].iter().any(|b| ranges_conflict(a, b)))
}

/// Whether `e` conflicts with an edit already taken. Taken edits do not overlap each other, so
/// walking back from the last one that starts before `e` ends, a few steps suffice.
fn conflicts_with_taken(taken: &BTreeMap<(usize, usize), &Edit>, e: &Edit) -> bool {
    let bound = if e.start == e.end {
        (e.end + 1, 0)
    } else {
        (e.end, 0)
    };
    for (&(start, end), t) in taken.range(..bound).rev() {
        if end < e.start || (end == e.start && start < e.start) {
            return false;
        }
        if *t != e && ranges_conflict(t, e) {
            return true;
        }
    }
    false
}

/// Two edits conflict when their ranges overlap, when both insert at the same point, or when one
/// inserts strictly inside the other's range.
fn ranges_conflict(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    let inside = |ins: &Edit, range: &Edit| {
        ins.start == ins.end && ins.start > range.start && ins.start < range.end
    };
    (a.start < b.end && b.start < a.end) || inside(a, b) || inside(b, a)
}

/// Maps offsets in the text produced by one [`apply_fixes`] round back to its input text.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// Per applied edit, sorted: (start in the new text, end in the new text, start in the old
    /// text, delta old - new after this edit).
    spans: Vec<(usize, usize, usize, isize)>,
}

impl OffsetMap {
    /// Builds the map from the sorted edits of [`Applied::edits`].
    pub fn new(edits: &[Edit]) -> Self {
        let mut delta: isize = 0;
        let spans = edits
            .iter()
            .map(|e| {
                let new_start = (e.start as isize - delta) as usize;
                let new_end = new_start + e.content.len();
                delta += (e.end - e.start) as isize - e.content.len() as isize;
                (new_start, new_end, e.start, delta)
            })
            .collect();
        OffsetMap { spans }
    }

    /// The input offset for a result offset; an offset inside replaced text maps to the edit's start.
    pub fn map_back(&self, offset: usize) -> usize {
        let i = self
            .spans
            .partition_point(|&(new_start, ..)| new_start <= offset);
        if i == 0 {
            return offset;
        }
        let (_, new_end, old_start, delta) = self.spans[i - 1];
        if offset < new_end {
            return old_start;
        }
        (offset as isize + delta).max(0) as usize
    }
}

impl OffsetMap {
    /// The input range of the result range `start..end` when no applied edit wrote into it: every
    /// edit's new text lies wholly before or after the range (an insertion or deletion strictly
    /// inside it, or at an empty range's own point, also counts as writing into it). `None`
    /// otherwise: the range holds text another fix wrote, which the input does not have.
    pub fn map_range_back(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start > end {
            return None;
        }
        // Spans starting before `end` may touch the range; those ending before `start` cannot.
        let last = self
            .spans
            .partition_point(|&(ns, ..)| ns < end.max(start + 1));
        for &(ns, ne, ..) in self.spans[..last].iter().rev() {
            if ne < start {
                break;
            }
            let touches = if ns == ne {
                (start < ns && ns < end) || (start == end && ns == start)
            } else {
                start < ne && ns < end
            };
            if touches {
                return None;
            }
        }
        // No span is inside the range: the start maps after a span ending there, the end
        // before a span starting there (a deletion at the end is not part of the range).
        let old_start = self.map_back(start);
        let old_end = self.map_back_before(end);
        (old_start <= old_end).then_some((old_start, old_end))
    }

    /// [`OffsetMap::map_back`] that, at a point where text was deleted (an edit with no new
    /// text), answers the position before the deleted text instead of after it.
    fn map_back_before(&self, offset: usize) -> usize {
        let i = self.spans.partition_point(|&(ns, ..)| ns < offset);
        match i.checked_sub(1).map(|j| self.spans[j]) {
            None => offset,
            Some((_, ne, old_start, _)) if offset < ne => old_start,
            Some((.., delta)) => (offset as isize + delta).max(0) as usize,
        }
    }
}

/// Maps an offset in the edited text back to the input text of one [`apply_fixes`] round.
pub fn map_back(edits: &[Edit], offset: usize) -> usize {
    OffsetMap::new(edits).map_back(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Fix;

    fn diag(edits: Vec<Edit>) -> Diagnostic {
        Diagnostic {
            code: "T",
            name: "t",
            message: String::new(),
            start: 0,
            end: 0,
            fix: Some(Fix::safe(edits)),
        }
    }

    #[test]
    fn applies_non_overlapping_and_skips_overlaps() {
        let text = "a <> b";
        let d = vec![
            diag(vec![Edit::replace(2, 4, "!=")]),
            diag(vec![Edit::replace(3, 5, "x")]),
        ];
        let applied = apply_fixes(text, &d, Applicability::Safe);
        assert_eq!(applied.text, "a != b");
        assert_eq!(applied.fixes, 1);
    }

    #[test]
    fn maps_offsets_back() {
        let text = "print x\ny";
        let d = vec![diag(vec![Edit::replace(5, 6, "("), Edit::insert(7, ")")])];
        let applied = apply_fixes(text, &d, Applicability::Safe);
        assert_eq!(applied.text, "print(x)\ny");
        assert_eq!(map_back(&applied.edits, 9), 8); // `y`
        assert_eq!(map_back(&applied.edits, 6), 6); // `x`
    }

    #[test]
    fn many_fixes_apply_in_n_log_n() {
        let text = "a <> b\n".repeat(200_000);
        let d: Vec<Diagnostic> = (0..200_000)
            .map(|i| diag(vec![Edit::replace(i * 7 + 2, i * 7 + 4, "!=")]))
            .collect();
        let applied = apply_fixes(&text, &d, Applicability::Safe);
        assert_eq!(applied.fixes, 200_000);
        assert_eq!(applied.text, "a != b\n".repeat(200_000));
    }

    #[test]
    fn ranges_map_back_only_when_no_edit_wrote_into_them() {
        // "0777 + d" -> "0o777 + dd": one replacement, one insertion, one deletion.
        let text = "0777 + d;x";
        let d = vec![
            diag(vec![Edit::replace(0, 4, "0o777")]),
            diag(vec![Edit::insert(8, "d")]),
            diag(vec![Edit::delete(8, 10)]),
        ];
        let applied = apply_fixes(text, &d, Applicability::Safe);
        let map = OffsetMap::new(&applied.edits);
        assert_eq!(applied.text, "0o777 + dd");
        // `+` sits between edits.
        assert_eq!(map.map_range_back(6, 7), Some((5, 6)));
        // The whole `0o777` is another fix's text.
        assert_eq!(map.map_range_back(0, 5), None);
        assert_eq!(map.map_range_back(2, 2), None);
        // Just after it: maps to just after `0777`.
        assert_eq!(map.map_range_back(5, 5), Some((4, 4)));
        // `d` of the original, up to the insertion point (excluded).
        assert_eq!(map.map_range_back(8, 9), Some((7, 8)));
        assert_eq!(map.map_range_back(9, 10), None);
    }

    #[test]
    fn insert_inside_a_replacement_conflicts() {
        let d = vec![
            diag(vec![Edit::replace(0, 4, "x")]),
            diag(vec![Edit::insert(2, "y")]),
            diag(vec![Edit::insert(4, "z")]),
        ];
        let applied = apply_fixes("abcdef", &d, Applicability::Safe);
        assert_eq!(applied.text, "xzef");
    }

    #[test]
    fn a_fix_whose_own_edits_overlap_is_never_applied() {
        let broken = vec![Edit::insert(1, "x"), Edit::insert(1, "y")];
        assert!(!edits_well_formed(&broken));
        assert!(!edits_well_formed(&[
            Edit::replace(0, 3, "a"),
            Edit::replace(2, 4, "b")
        ]));
        assert!(edits_well_formed(&[
            Edit::replace(0, 2, "a"),
            Edit::insert(2, "b")
        ]));
        let applied = apply_fixes("abc", &[diag(broken)], Applicability::Safe);
        assert_eq!((applied.text.as_str(), applied.fixes), ("abc", 0));
    }
}
