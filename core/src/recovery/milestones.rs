//! Milestones: the common recovery chips and the person's own.
//!
//! Standard chips: 24 hours; 30, 60 and 90 days; 6 and 9 months; 1 year; 18 months; then
//! every year. The person's own are counted in days (7, 14, 100...). Milestones belong to an
//! attempt: after a lapse the 30-day chip can be earned again, and each is celebrated once per
//! attempt (the acknowledged flag).
//!
//! Month milestones count calendar months from the start date. When the target month is
//! shorter, the milestone falls on its last day: **31 January plus one month is 28 February
//! (29 in a leap year)**, and 31 August plus six months is 28/29 February. 24 hours is
//! counted from the exact start moment; day milestones fall on start date + N days.

use super::clock::recovery_day;
use super::clock::Zone;
use super::counter::SoberCounter;
use super::journey::{attempt_start_instant, Journey};
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How a milestone is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MilestoneSpan {
    /// Hours from the start moment.
    Hours(u32),
    /// Days from the start date.
    Days(u32),
    /// Calendar months from the start date.
    Months(u32),
}

impl MilestoneSpan {
    /// A stable key, such as "24h", "30d", "6m" or "12m".
    pub fn key(&self) -> String {
        match self {
            MilestoneSpan::Hours(h) => format!("{h}h"),
            MilestoneSpan::Days(d) => format!("{d}d"),
            MilestoneSpan::Months(m) => format!("{m}m"),
        }
    }

    /// How a person reads it: "24 hours", "30 days", "6 months", "1 year", "18 months".
    pub fn label(&self) -> String {
        match *self {
            MilestoneSpan::Hours(h) => format!("{h} hours"),
            MilestoneSpan::Days(1) => "1 day".into(),
            MilestoneSpan::Days(d) => format!("{d} days"),
            MilestoneSpan::Months(12) => "1 year".into(),
            MilestoneSpan::Months(m) if m % 12 == 0 && m > 12 => format!("{} years", m / 12),
            MilestoneSpan::Months(m) => format!("{m} months"),
        }
    }
}

/// A milestone within the current attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Milestone {
    /// How it is measured.
    pub span: MilestoneSpan,
    /// Stable key ("30d").
    pub key: String,
    /// What a person reads ("30 days").
    pub label: String,
    /// True for the person's own milestones.
    pub custom: bool,
    /// The local date it is (or was) reached.
    pub due_on: NaiveDate,
    /// True once reached.
    pub reached: bool,
    /// True once the shell has celebrated it (reached milestones only).
    pub acknowledged: bool,
}

/// The milestones of a journey's current attempt: those reached, and the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MilestoneProgress {
    /// The journey.
    pub journey_id: crate::record::RecordId,
    /// The local date the current attempt started.
    pub attempt_start: NaiveDate,
    /// Reached milestones, oldest first.
    pub reached: Vec<Milestone>,
    /// The next milestone.
    pub next: Option<Milestone>,
    /// Days from today to the next milestone.
    pub days_to_next: Option<u32>,
}

/// The standard chips that fall within the first `years` years, in order.
pub fn standard_spans(years: u32) -> Vec<MilestoneSpan> {
    let mut out = vec![
        MilestoneSpan::Hours(24),
        MilestoneSpan::Days(30),
        MilestoneSpan::Days(60),
        MilestoneSpan::Days(90),
        MilestoneSpan::Months(6),
        MilestoneSpan::Months(9),
        MilestoneSpan::Months(12),
        MilestoneSpan::Months(18),
    ];
    out.extend((2..=years.max(2)).map(|y| MilestoneSpan::Months(12 * y)));
    out
}

/// The local date a span is reached, for an attempt starting on `start` at `start_instant`.
fn due_on(
    span: MilestoneSpan,
    start: NaiveDate,
    start_instant: DateTime<Utc>,
    zone: &Zone,
) -> NaiveDate {
    match span {
        MilestoneSpan::Hours(h) => {
            recovery_day(start_instant + Duration::hours(i64::from(h)), zone, 0)
        }
        MilestoneSpan::Days(d) => start + Duration::days(i64::from(d)),
        MilestoneSpan::Months(m) => start
            .checked_add_months(Months::new(m))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// The current attempt's milestones. `acknowledged` tells whether a key was celebrated in
/// this attempt.
pub fn progress(
    journey: &Journey,
    counter: &SoberCounter,
    now: DateTime<Utc>,
    zone: &Zone,
    acknowledged: impl Fn(&str) -> bool,
) -> Option<MilestoneProgress> {
    let attempt = counter.attempts.last()?;
    let start_instant = attempt_start_instant(journey, attempt);
    let years_so_far = counter.current_streak_days / 365 + 2;
    let mut spans = standard_spans(years_so_far);
    spans.extend(
        journey
            .custom_milestone_days
            .iter()
            .map(|d| MilestoneSpan::Days(*d)),
    );
    let mut all: Vec<Milestone> = spans
        .into_iter()
        .enumerate()
        .map(|(i, span)| {
            let due = due_on(span, attempt.start, start_instant, zone);
            let reached = match span {
                MilestoneSpan::Hours(h) => now >= start_instant + Duration::hours(i64::from(h)),
                _ => counter.today >= due,
            };
            let key = span.key();
            Milestone {
                acknowledged: reached && acknowledged(&key),
                key,
                label: span.label(),
                custom: i >= standard_spans(years_so_far).len(),
                due_on: due,
                reached,
                span,
            }
        })
        .collect();
    all.sort_by_key(|m| (m.due_on, m.custom));
    all.dedup_by(|a, b| a.key == b.key);
    let (reached, pending): (Vec<_>, Vec<_>) = all.into_iter().partition(|m| m.reached);
    let next = pending.into_iter().next();
    let days_to_next = next
        .as_ref()
        .map(|m| u32::try_from((m.due_on - counter.today).num_days()).unwrap_or(0));
    Some(MilestoneProgress {
        journey_id: journey.id,
        attempt_start: attempt.start,
        reached,
        next,
        days_to_next,
    })
}
