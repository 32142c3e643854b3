//! Lists a person adds to, merged item by item: the safety plan's steps and reasons, a
//! card's steps.
//!
//! Such a record keeps, beside its items, a mark per item ([`ItemMark`]): when it was last
//! added and last removed on any device. An item is named by a digest of its content, so
//! the same text written on two devices is one item, and an edited item is the old one
//! removed and a new one added. Two concurrent versions of the record merge by taking every
//! item either holds (the winner's order first) and dropping those whose last removal is
//! later than their last addition: a reason added on the laptop and a warning sign added on
//! the phone are both kept; an item removed on one device and untouched on the other stays
//! removed; an item edited on both devices keeps both edits. Marks hold digests and times,
//! never text.

use serde::{Deserialize, Serialize};

/// At most this many marks per record: the present items and the most recent removals.
pub(crate) const MAX_MARKS: usize = 400;

/// When an item of a list was last added and last removed (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ItemMark {
    /// The item: 16 hex digits of the SHA-256 of its content.
    pub item: String,
    /// When it was last added, in milliseconds since 1970 (0: before marks were kept).
    pub added_at: i64,
    /// When it was last removed, in milliseconds since 1970 (0: never).
    pub removed_at: i64,
}

/// The name of an item from its content's parts (each length-prefixed, so parts never run
/// into each other).
pub(crate) fn item_key(parts: &[&[u8]]) -> String {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in parts {
        context.update(&(part.len() as u64).to_be_bytes());
        context.update(part);
    }
    context.finish().as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Notes in `marks` what changed between the items `before` and `after` (by their keys) at
/// `now` (milliseconds; the later of the system clock and `now` is used, as for a record's
/// stamp): items that appeared are added, items that went are removed, each later than
/// anything marked of it before (an item removed and added again in one millisecond stays).
pub(crate) fn note_changes(
    marks: &mut Vec<ItemMark>,
    before: &[String],
    after: &[String],
    now: i64,
) {
    let now = now.max(system_millis());
    for key in after.iter().filter(|k| !before.contains(k)) {
        let m = mark(marks, key);
        m.added_at = now.max(m.removed_at.saturating_add(1));
    }
    for key in before.iter().filter(|k| !after.contains(k)) {
        let m = mark(marks, key);
        m.removed_at = now.max(m.added_at.saturating_add(1));
    }
    prune(marks, after);
}

/// The system clock in milliseconds since 1970.
fn system_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

fn mark<'a>(marks: &'a mut Vec<ItemMark>, key: &str) -> &'a mut ItemMark {
    let at = match marks.iter().position(|m| m.item == key) {
        Some(at) => at,
        None => {
            marks.push(ItemMark {
                item: key.to_owned(),
                ..ItemMark::default()
            });
            marks.len() - 1
        }
    };
    &mut marks[at]
}

/// Keeps at most [`MAX_MARKS`] marks: those of `present` items first, then the latest
/// removals.
fn prune(marks: &mut Vec<ItemMark>, present: &[String]) {
    if marks.len() <= MAX_MARKS {
        return;
    }
    marks.sort_by_key(|m| {
        (
            !present.contains(&m.item),
            std::cmp::Reverse(m.removed_at.max(m.added_at)),
        )
    });
    marks.truncate(MAX_MARKS);
}

/// Checks marks arriving from anywhere: at most [`MAX_MARKS`], each naming an item by 16
/// hex digits.
pub(crate) fn check_marks(marks: &[ItemMark]) -> crate::error::Result<()> {
    if marks.len() > MAX_MARKS
        || marks
            .iter()
            .any(|m| m.item.len() != 16 || !m.item.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err(crate::error::Error::invalid(
            "item_marks",
            "must be at most 400 marks, each naming an item by 16 hex digits",
        ));
    }
    Ok(())
}

/// The marks of two versions of a record, merged: for each item, its latest addition and
/// latest removal on either.
pub(crate) fn merge_marks(a: &[ItemMark], b: &[ItemMark]) -> Vec<ItemMark> {
    let mut out = a.to_vec();
    for theirs in b {
        let ours = mark(&mut out, &theirs.item);
        ours.added_at = ours.added_at.max(theirs.added_at);
        ours.removed_at = ours.removed_at.max(theirs.removed_at);
    }
    out
}

/// The items of two concurrent versions of a list, merged under `marks` (already merged):
/// the winner's items in order, then the loser's it lacks, each kept unless removed after it
/// was last added; at most `max` items.
pub(crate) fn merge_list<T: Clone>(
    winner: &[T],
    loser: &[T],
    key: impl Fn(&T) -> String,
    marks: &[ItemMark],
    max: usize,
) -> Vec<T> {
    let alive = |k: &str| {
        marks
            .iter()
            .find(|m| m.item == k)
            .is_none_or(|m| m.removed_at <= m.added_at)
    };
    let mut keys = Vec::new();
    let mut out = Vec::new();
    for item in winner.iter().chain(loser) {
        let k = key(item);
        if !keys.contains(&k) && alive(&k) && out.len() < max {
            keys.push(k);
            out.push(item.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(items: &[&str]) -> Vec<String> {
        items.iter().map(|i| item_key(&[i.as_bytes()])).collect()
    }

    /// A version of a list: its items and marks, changed from `base` at `now`.
    fn edit(
        base: &(Vec<&'static str>, Vec<ItemMark>),
        items: &[&'static str],
        now: i64,
    ) -> (Vec<&'static str>, Vec<ItemMark>) {
        let mut marks = base.1.clone();
        note_changes(&mut marks, &keys(&base.0), &keys(items), now);
        (items.to_vec(), marks)
    }

    fn merge(
        a: &(Vec<&'static str>, Vec<ItemMark>),
        b: &(Vec<&'static str>, Vec<ItemMark>),
    ) -> Vec<&'static str> {
        let marks = merge_marks(&a.1, &b.1);
        merge_list(&a.0, &b.0, |i| item_key(&[i.as_bytes()]), &marks, 20)
    }

    #[test]
    fn additions_on_both_sides_are_kept_and_a_removal_on_one_stays() {
        let base = (vec!["walk", "call Sam"], Vec::new());
        let laptop = edit(&base, &["walk", "call Sam", "my kids"], 10);
        let phone = edit(&base, &["walk", "call Sam", "not sleeping"], 11);
        assert_eq!(
            merge(&phone, &laptop),
            ["walk", "call Sam", "not sleeping", "my kids"]
        );
        assert_eq!(
            merge(&laptop, &phone),
            ["walk", "call Sam", "my kids", "not sleeping"]
        );
        let removed = edit(&base, &["walk"], 12);
        let untouched = edit(&base, &["walk", "call Sam", "music"], 13);
        assert_eq!(merge(&untouched, &removed), ["walk", "music"]);
        assert_eq!(merge(&removed, &untouched), ["walk", "music"]);
    }

    #[test]
    fn an_item_edited_on_both_sides_keeps_both_edits_and_a_re_added_one_returns() {
        let base = (vec!["walk"], Vec::new());
        let a = edit(&base, &["walk by the river"], 10);
        let b = edit(&base, &["walk with Sam"], 11);
        assert_eq!(merge(&a, &b), ["walk by the river", "walk with Sam"]);
        let gone = edit(&base, &[], 12);
        let back = edit(&gone, &["walk"], 13);
        assert_eq!(merge(&gone, &back), ["walk"]);
    }
}
