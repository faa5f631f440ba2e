use super::*;
use proptest::prelude::*;

fn merged(base: &str, ours: &str, theirs: &str) -> Merged {
    merge(base, ours, theirs, "dpone-connectors 9.9.9")
}

#[test]
fn a_side_that_did_not_change_takes_the_other() {
    assert_eq!(merged("a\n", "a\n", "b\n").text, "b\n");
    assert_eq!(merged("a\n", "b\n", "a\n").text, "b\n");
    assert_eq!(merged("a\n", "b\n", "b\n").text, "b\n");
}

#[test]
fn changes_to_different_lines_both_apply() {
    let m = merged("a\nb\nc\nd\n", "A\nb\nc\nd\n", "a\nb\nc\nD\n");
    assert_eq!(
        m,
        Merged {
            text: "A\nb\nc\nD\n".into(),
            conflicts: 0
        }
    );
}

#[test]
fn both_appending_at_the_end_keeps_both_the_persons_first() {
    let m = merged("a\n", "a\nmine\n", "a\ntemplate\n");
    assert_eq!(m.text, "a\nmine\ntemplate\n");
    assert!(m.is_clean());
}

#[test]
fn an_insertion_next_to_a_template_change_follows_it() {
    // The person inserted after `b`; the template changed `c`, the line after.
    let m = merged("a\nb\nc\nd\n", "a\nb\nmine\nc\nd\n", "a\nb\nC\nd\n");
    assert_eq!(m.text, "a\nb\nC\nmine\nd\n");
    assert!(m.is_clean());
    // The template changed `b`, the line before.
    let m = merged("a\nb\nc\nd\n", "a\nb\nmine\nc\nd\n", "a\nB\nc\nd\n");
    assert_eq!(m.text, "a\nB\nmine\nc\nd\n");
    assert!(m.is_clean());
}

#[test]
fn touching_changes_are_not_conflicts() {
    let m = merged("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n");
    assert_eq!(m.text, "A\nB\nc\n");
    assert!(m.is_clean());
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let m = merged("a\nb\nc\n", "a\nX\nc\nmine\n", "a\nX\nc\n");
    assert_eq!(m.text, "a\nX\nc\nmine\n");
    assert!(m.is_clean());
}

#[test]
fn changes_to_the_same_lines_conflict_with_markers() {
    let m = merged("a\nb\nc\n", "a\nmine\nc\n", "a\ntheirs\nc\n");
    assert_eq!(m.conflicts, 1);
    assert_eq!(
        m.text,
        "a\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> dpone-connectors 9.9.9\nc\n"
    );
}

#[test]
fn an_insertion_inside_a_changed_range_conflicts() {
    let m = merged("a\nb\nc\nd\n", "a\nB\nC\nd\n", "a\nb\nnew\nc\nd\n");
    assert_eq!(m.conflicts, 1);
    assert!(
        m.text
            .contains("<<<<<<< yours\nB\nC\n=======\nb\nnew\nc\n>>>>>>>"),
        "{}",
        m.text
    );
}

#[test]
fn a_last_line_without_newline_still_gets_markers_on_their_own_lines() {
    let m = merged("a\nb", "a\nmine", "a\ntheirs");
    assert_eq!(m.conflicts, 1);
    assert_eq!(
        m.text,
        "a\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> dpone-connectors 9.9.9\n"
    );
}

#[test]
fn an_empty_base_is_an_insertion_on_both_sides() {
    let m = merged("", "mine\n", "theirs\n");
    assert_eq!(m.text, "mine\ntheirs\n");
}

#[test]
fn differences_are_marked_one_region_each() {
    let m = mark_differences("a\nmine\nc\nd\n", "a\nb\nc\n", "v");
    assert_eq!(m.conflicts, 2);
    assert_eq!(
        m.text,
        "a\n<<<<<<< yours\nmine\n=======\nb\n>>>>>>> v\nc\n<<<<<<< yours\nd\n=======\n>>>>>>> v\n"
    );
    assert!(mark_differences("same\n", "same\n", "v").is_clean());
}

/// What a side does to one base line.
#[derive(Debug, Clone, Copy)]
enum Edit {
    Keep,
    Delete,
    Replace,
}

/// Random edits of a base of unique lines: for each line, who edits it (nobody, the person
/// or the template) and how, and for each gap whether the person and the template insert.
/// (lines, each line's (owner, edit), each gap's (person inserts, template inserts)).
type Scenario = (usize, Vec<(u8, Edit)>, Vec<(bool, bool)>);

fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..30).prop_flat_map(|n| {
        let edit = prop_oneof![Just(Edit::Keep), Just(Edit::Delete), Just(Edit::Replace)];
        (
            Just(n),
            proptest::collection::vec((0u8..3, edit), n),
            proptest::collection::vec((proptest::bool::ANY, proptest::bool::ANY), n + 1),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Edits that do not overlap the template's never conflict, and every line the person
    /// added (or kept and the template did not change) survives, in the person's order.
    #[test]
    fn non_overlapping_edits_merge_cleanly_and_keep_every_line(
        (n, owners, gaps) in scenario()
    ) {
        let touched = |who: u8, i: usize| owners[i].0 == who && !matches!(owners[i].1, Edit::Keep);
        let (mut base, mut ours, mut theirs) = (String::new(), String::new(), String::new());
        let (mut ours_added, mut theirs_added) = (Vec::new(), Vec::new());
        for i in 0..=n {
            // An insertion strictly inside the other side's changed range would overlap it.
            let inside = |who: u8| i > 0 && i < n && touched(who, i - 1) && touched(who, i);
            let (mine, template) = gaps[i];
            if mine && !inside(2) {
                let line = format!("ours insert {i}\n");
                ours.push_str(&line);
                ours_added.push(line);
            }
            if template && !inside(1) {
                theirs.push_str(&format!("theirs insert {i}\n"));
                theirs_added.push(format!("theirs insert {i}\n"));
            }
            if i == n {
                break;
            }
            let line = format!("base {i}\n");
            base.push_str(&line);
            let (who, edit) = owners[i];
            for (side, me, added) in [
                (&mut ours, 1u8, &mut ours_added),
                (&mut theirs, 2u8, &mut theirs_added),
            ] {
                match (who == me, edit) {
                    (true, Edit::Delete) => {}
                    (true, Edit::Replace) => {
                        let new = format!("side {me} changed {i}\n");
                        side.push_str(&new);
                        added.push(new);
                    }
                    _ => side.push_str(&line),
                }
            }
        }
        let m = merged(&base, &ours, &theirs);
        prop_assert!(m.is_clean(), "conflict:\n{}", m.text);
        let out = split_lines(&m.text);
        let mut at = 0;
        for line in &ours_added {
            let found = out[at..].iter().position(|l| l == line);
            prop_assert!(found.is_some(), "lost or reordered {line:?} in\n{}", m.text);
            at += found.unwrap() + 1;
        }
        for line in &theirs_added {
            prop_assert!(out.contains(&line.as_str()), "template's {line:?} lost");
        }
        for (i, (who, edit)) in owners.iter().enumerate() {
            let line = format!("base {i}\n");
            let kept = matches!(edit, Edit::Keep) || *who == 0;
            prop_assert_eq!(out.contains(&line.as_str()), kept, "base line {}", i);
        }
    }

    /// Merging is total: any three texts give a result that, without conflicts, keeps
    /// every line the person added when the template did not change the file.
    #[test]
    fn an_unchanged_template_keeps_the_persons_file(base in ".{0,60}", ours in ".{0,60}") {
        let m = merged(&base, &ours, &base);
        prop_assert_eq!(m.text, ours);
    }
}
