//! The days each dated list is over, in one place: the lists and what their span leaves out
//! ([`crate::recovery::window`]) are decided by the same rule.

use super::Recovery;
use crate::error::Result;
use crate::recovery::snapshot::Snapshot;
use crate::recovery::support::Outreach;
use crate::recovery::window::{DatedList, OutsideWindow};
use chrono::NaiveDate;

/// The day of every item of `list` in `s`: a check-in's, entry's or meeting's own day; the
/// recovery day a trigger or an outreach happened on, where it happened.
pub(super) fn days_of(s: &Snapshot, list: DatedList) -> Vec<NaiveDate> {
    let reckoner = s.settings.clone().unwrap_or_default().reckoner();
    match list {
        DatedList::CheckIns => s.check_ins.iter().map(|c| c.date).collect(),
        DatedList::Entries => s.entries.iter().map(|e| e.date).collect(),
        DatedList::Meetings => s.meetings.iter().map(|m| m.date).collect(),
        DatedList::Triggers => s
            .triggers
            .iter()
            .map(|t| reckoner.day_of(t.at, Some(&t.time_zone)))
            .collect(),
        DatedList::Outreach => s
            .outreach
            .iter()
            .map(|o| reckoner.day_of(o.at, o.time_zone.as_deref()))
            .collect(),
    }
}

/// The items of `items` whose day (in the same order, from [`days_of`]) is in `from..=to`.
pub(super) fn between<T: Clone>(
    items: &[T],
    days: &[NaiveDate],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<T> {
    items
        .iter()
        .zip(days)
        .filter(|(_, day)| **day >= from && **day <= to)
        .map(|(item, _)| item.clone())
        .collect()
}

impl Recovery {
    /// What the days `from..=to` leave out of `list` (how many earlier and later, and from
    /// and to which day), by the same rule the list uses: for a list that says "none in the
    /// last 30 days; 12 earlier" instead of an empty table.
    pub fn outside_window(
        &self,
        list: DatedList,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<OutsideWindow> {
        self.view(|s| Ok(OutsideWindow::of(days_of(s, list), from, to)))
    }

    /// Outreach on the recovery days `from..=to` (where each happened).
    pub fn outreach_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Outreach>> {
        self.view(|s| {
            let days = days_of(s, DatedList::Outreach);
            Ok(between(&s.outreach, &days, from, to))
        })
    }
}
