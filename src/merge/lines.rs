//! The three-way line merge: `ours + (theirs - base)`.
//!
//! Both sides are diffed against the base with `similar` (patience), each diff becoming a
//! list of hunks (a base range and the lines that replace it). The hunks of both sides are
//! walked in base order:
//!
//! - a hunk no hunk of the other side overlaps is applied as it is;
//! - hunks that overlap (share a base line, or one inserts strictly inside the other's range)
//!   merge cleanly when both sides made the same change, and are a conflict otherwise;
//! - touching is not overlapping: two insertions at the same place keep both, ours first
//!   (the person's new tests before a capability's new test block at the end of a file), and
//!   an insertion of ours next to a change of theirs comes after that change.
//!
//! A conflict is written between `<<<<<<< yours`, `=======` and `>>>>>>> <label>` lines,
//! ours first.

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// The opening conflict marker line.
pub const OURS_MARKER: &str = "<<<<<<< yours";
/// The line between the two sides of a conflict.
pub const SEPARATOR: &str = "=======";
/// The closing conflict marker, followed by a space and the label (the generator version).
pub const THEIRS_MARKER: &str = ">>>>>>>";

/// The outcome of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged text, with conflict markers where the sides disagree.
    pub text: String,
    /// How many conflicting regions it holds.
    pub conflicts: usize,
}

impl Merged {
    /// Whether the merge needed no conflict markers.
    pub fn is_clean(&self) -> bool {
        self.conflicts == 0
    }
}

/// Which side a hunk comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Theirs,
}

/// One change of one side: base lines `start..end` become `lines`.
#[derive(Debug, Clone)]
struct Hunk<'a> {
    side: Side,
    start: usize,
    end: usize,
    lines: &'a [&'a str],
}

impl Hunk<'_> {
    fn is_insertion(&self) -> bool {
        self.start == self.end
    }

    /// The order of hunks starting at the same base line, for the rules in the module
    /// comment: a change of theirs, then an insertion of ours, then an insertion of theirs,
    /// then a change of ours.
    fn tie_rank(&self) -> u8 {
        match (self.side, self.is_insertion()) {
            (Side::Theirs, false) => 0,
            (Side::Ours, true) => 1,
            (Side::Theirs, true) => 2,
            (Side::Ours, false) => 3,
        }
    }
}

/// Splits text into lines that keep their line ending, so joining them gives the text back.
pub fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Merges `ours` and `theirs`, two edits of `base`; conflict markers name `label`.
pub fn merge(base: &str, ours: &str, theirs: &str, label: &str) -> Merged {
    if ours == theirs || theirs == base {
        return Merged {
            text: ours.to_owned(),
            conflicts: 0,
        };
    }
    if ours == base {
        return Merged {
            text: theirs.to_owned(),
            conflicts: 0,
        };
    }
    let base_lines = split_lines(base);
    let ours_lines = split_lines(ours);
    let theirs_lines = split_lines(theirs);
    let mut hunks = hunks_of(Side::Ours, &base_lines, &ours_lines);
    hunks.extend(hunks_of(Side::Theirs, &base_lines, &theirs_lines));
    hunks.sort_by_key(|h| (h.start, h.tie_rank()));

    let mut out = String::with_capacity(ours.len().max(theirs.len()) + 64);
    let mut conflicts = 0;
    let mut pos = 0;
    let mut next = 0;
    while next < hunks.len() {
        // A cluster: this hunk and every later one that overlaps the range so far.
        let (mut start, mut end) = (hunks[next].start, hunks[next].end);
        let mut last = next + 1;
        while last < hunks.len() && overlaps(start, end, &hunks[last]) {
            start = start.min(hunks[last].start);
            end = end.max(hunks[last].end);
            last += 1;
        }
        let cluster = &hunks[next..last];
        next = last;
        if start > pos {
            base_lines[pos..start].iter().for_each(|l| out.push_str(l));
        }
        pos = pos.max(end);
        let one_side = cluster.iter().all(|h| h.side == cluster[0].side);
        if one_side {
            cluster
                .iter()
                .for_each(|h| h.lines.iter().for_each(|l| out.push_str(l)));
            continue;
        }
        let mine = side_text(&base_lines, cluster, Side::Ours, start, end);
        let template = side_text(&base_lines, cluster, Side::Theirs, start, end);
        if mine == template {
            out.push_str(&mine);
            continue;
        }
        conflicts += 1;
        push_conflict(&mut out, &mine, &template, label);
    }
    if pos < base_lines.len() {
        base_lines[pos..].iter().for_each(|l| out.push_str(l));
    }
    Merged {
        text: out,
        conflicts,
    }
}

/// Every difference between `ours` and `theirs` as a conflict: for a file whose content is
/// not the person's to change (a contract file), where any edit must be resolved by hand.
pub fn mark_differences(ours: &str, theirs: &str, label: &str) -> Merged {
    let ours_lines = split_lines(ours);
    let theirs_lines = split_lines(theirs);
    let mut out = String::with_capacity(ours.len() + theirs.len());
    let mut conflicts = 0;
    let mut pos = 0;
    for hunk in hunks_of(Side::Theirs, &ours_lines, &theirs_lines) {
        ours_lines[pos..hunk.start]
            .iter()
            .for_each(|l| out.push_str(l));
        let mine: String = ours_lines[hunk.start..hunk.end].concat();
        push_conflict(&mut out, &mine, &hunk.lines.concat(), label);
        conflicts += 1;
        pos = hunk.end;
    }
    ours_lines[pos..].iter().for_each(|l| out.push_str(l));
    Merged {
        text: out,
        conflicts,
    }
}

/// Whether `hunk` overlaps the base range `start..end` of a cluster: they share a base line,
/// or one is an insertion strictly inside the other's range. Insertions at the same place,
/// and ranges that only touch, do not overlap.
fn overlaps(start: usize, end: usize, hunk: &Hunk<'_>) -> bool {
    if start == end && hunk.is_insertion() {
        return false;
    }
    hunk.start < end && hunk.end > start
}

/// One side's text for base lines `start..end`: the base with that side's hunks applied.
fn side_text(base: &[&str], cluster: &[Hunk<'_>], side: Side, start: usize, end: usize) -> String {
    let mut text = String::new();
    let mut pos = start;
    for hunk in cluster.iter().filter(|h| h.side == side) {
        base[pos..hunk.start].iter().for_each(|l| text.push_str(l));
        hunk.lines.iter().for_each(|l| text.push_str(l));
        pos = hunk.end;
    }
    base[pos..end].iter().for_each(|l| text.push_str(l));
    text
}

fn push_conflict(out: &mut String, mine: &str, template: &str, label: &str) {
    let end_line = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    end_line(out);
    out.push_str(OURS_MARKER);
    out.push('\n');
    out.push_str(mine);
    end_line(out);
    out.push_str(SEPARATOR);
    out.push('\n');
    out.push_str(template);
    end_line(out);
    out.push_str(THEIRS_MARKER);
    out.push(' ');
    out.push_str(label);
    out.push('\n');
}

/// The changes from `base` to `other`, consecutive operations joined into one hunk.
fn hunks_of<'a>(side: Side, base: &[&str], other: &'a [&'a str]) -> Vec<Hunk<'a>> {
    // (base start, base end, other start, other end) of each change.
    let mut ranges: Vec<(usize, usize, usize, usize)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, base, other) {
        let (old, new) = (op.old_range(), op.new_range());
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        match ranges.last_mut() {
            Some(last) if last.1 == old.start && last.3 == new.start => {
                last.1 = old.end;
                last.3 = new.end;
            }
            _ => ranges.push((old.start, old.end, new.start, new.end)),
        }
    }
    ranges
        .into_iter()
        .map(|(start, end, new_start, new_end)| Hunk {
            side,
            start,
            end,
            lines: &other[new_start..new_end],
        })
        .collect()
}

#[cfg(test)]
mod tests;
