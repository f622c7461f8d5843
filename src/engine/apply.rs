//! Applying fixes to a text: non-overlapping, in order, all edits of a fix or none.

use super::{Applicability, Diagnostic, Edit};

/// The result of applying fixes once.
#[derive(Debug, Default)]
pub struct Applied {
    pub text: String,
    /// How many fixes were applied.
    pub fixes: usize,
    /// The edits applied, sorted by start, in coordinates of the input text.
    pub edits: Vec<Edit>,
}

/// Applies the fixes of `diagnostics` at or above `min` applicability. A fix whose edits overlap an
/// edit already taken is skipped (the fixpoint loop picks it up in the next round).
pub fn apply_fixes(text: &str, diagnostics: &[Diagnostic], min: Applicability) -> Applied {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability >= min && !f.edits.is_empty())
        .map(|f| f.edits.as_slice())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.start).min().unwrap_or(0));
    let mut taken: Vec<Edit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let overlaps = edits.iter().any(|e| {
            e.end > text.len()
                || e.start > e.end
                || !text.is_char_boundary(e.start)
                || !text.is_char_boundary(e.end)
                || taken.iter().any(|t| ranges_conflict(t, e))
        });
        if overlaps {
            continue;
        }
        taken.extend(edits.iter().cloned());
        count += 1;
    }
    taken.sort_by_key(|e| (e.start, e.end));
    taken.dedup();
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in &taken {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.content);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    Applied {
        text: out,
        fixes: count,
        edits: taken,
    }
}

/// Two edits conflict when their ranges overlap, or both insert at the same point.
fn ranges_conflict(a: &Edit, b: &Edit) -> bool {
    if a == b {
        return false;
    }
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
        || (a.start == a.end && a.start > b.start && a.start < b.end)
        || (b.start == b.end && b.start > a.start && b.start < a.end)
}

/// Maps an offset in the edited text back to the input text of one [`apply_fixes`] round.
pub fn map_back(edits: &[Edit], offset: usize) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        let new_start = (e.start as isize + delta) as usize;
        let new_end = new_start + e.content.len();
        if offset < new_start {
            break;
        }
        if offset < new_end {
            return e.start;
        }
        delta += e.content.len() as isize - (e.end - e.start) as isize;
    }
    (offset as isize - delta).max(0) as usize
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
}
