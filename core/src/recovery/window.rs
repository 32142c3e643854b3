//! Lists over a span of days, and what a span leaves out.
//!
//! Check-ins, triggers, journal entries, meetings and outreach are listed for the days from
//! `from` to `to` (a screen's default is the last 30). A person who sees an empty or short
//! list must not read it as "it is gone": [`OutsideWindow`] counts what lies before and after
//! the span, with the first and last of those days, so the list can say "none in the last 30
//! days; 12 earlier (from 2025-01-01)". Each list's days are decided by the one rule its list
//! uses ([`DatedList`]).

use chrono::NaiveDate;
use serde::Serialize;

/// A list over days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DatedList {
    /// Check-ins, by their day.
    CheckIns,
    /// Triggers, by the recovery day they were logged on where they happened.
    Triggers,
    /// Journal entries, by their day.
    Entries,
    /// Meetings attended, by their day.
    Meetings,
    /// Outreach, by the recovery day it happened on where it happened.
    Outreach,
}

/// What a span of days leaves out of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutsideWindow {
    /// The first day of the span.
    pub from: NaiveDate,
    /// The last day of the span.
    pub to: NaiveDate,
    /// How many the span holds.
    pub inside: i32,
    /// How many fall before it.
    pub earlier: i32,
    /// The first day of those (to show them all: from here).
    pub earliest: Option<NaiveDate>,
    /// How many fall after it.
    pub later: i32,
    /// The last day of those.
    pub latest: Option<NaiveDate>,
}

impl OutsideWindow {
    /// What the span `from..=to` holds and leaves out of a list whose items fall on `days`.
    pub fn of(days: impl IntoIterator<Item = NaiveDate>, from: NaiveDate, to: NaiveDate) -> Self {
        let mut out = OutsideWindow {
            from,
            to,
            ..OutsideWindow::default()
        };
        for day in days {
            if day < from {
                out.earlier = out.earlier.saturating_add(1);
                out.earliest = Some(out.earliest.map_or(day, |d| d.min(day)));
            } else if day > to {
                out.later = out.later.saturating_add(1);
                out.latest = Some(out.latest.map_or(day, |d| d.max(day)));
            } else {
                out.inside = out.inside.saturating_add(1);
            }
        }
        out
    }

    /// True when the list has items outside the span.
    pub fn leaves_out_anything(&self) -> bool {
        self.earlier > 0 || self.later > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_falls_before_inside_and_after() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let days = [d(1, 3), d(1, 9), d(3, 1), d(3, 2), d(5, 1)];
        let out = OutsideWindow::of(days, d(2, 1), d(3, 31));
        assert_eq!((out.earlier, out.inside, out.later), (2, 2, 1));
        assert_eq!((out.earliest, out.latest), (Some(d(1, 3)), Some(d(5, 1))));
        assert!(out.leaves_out_anything());
        assert!(!OutsideWindow::of([d(3, 1)], d(2, 1), d(3, 31)).leaves_out_anything());
    }
}
