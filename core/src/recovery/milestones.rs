//! Milestones: the common recovery chips and the person's own.
//!
//! Standard chips: 24 hours; 30, 60 and 90 days; 6 and 9 months; 1 year; 18 months; then
//! every year. The person's own are counted in days (7, 14, 100...). Milestones belong to an
//! attempt: after a lapse the 30-day chip can be earned again, and each is celebrated once per
//! attempt (the acknowledged flag). Every milestone reached in an earlier attempt stays in
//! the history ([`reached_in_every_attempt`]), labelled with its attempt: a lapse never takes
//! a milestone away.
//!
//! Month milestones count calendar months from the start date. When the target month is
//! shorter, the milestone falls on its last day: **31 January plus one month is 28 February
//! (29 in a leap year)**, and 31 August plus six months is 28/29 February. 24 hours is
//! counted from the exact start moment (the attempt's start date and time in the zone it
//! started in) and is reached 24 real hours later, whatever the zone is now; day milestones
//! fall on start date + N days. An attempt that a lapse ended reached a day or month
//! milestone when it fell on or before the lapse day, and an hour milestone when its moment
//! came before the lapse (the start of the lapse day when the lapse has no time).
//!
//! Keys are what a person types: `24h`, `30d`, `6m`, `1y`, `18m`, `2y`, and `100d` for their
//! own. [`MilestoneSpan::parse_key`] also accepts `12m` for `1y` and `c100` for `100d`.
//!
//! All date arithmetic is checked: a milestone that would fall beyond the calendar's end is
//! simply never due, so no stored value can make this module panic.

use super::clock::{recovery_day, start_instant, Zone};
use super::counter::SoberCounter;
use super::journey::{Attempt, Journey, Lapse};
use chrono::{DateTime, Days, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How a milestone is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MilestoneSpan {
    /// Hours from the start moment.
    Hours(i32),
    /// Days from the start date.
    Days(i32),
    /// Calendar months from the start date.
    Months(i32),
}

impl MilestoneSpan {
    /// The key a person types: "24h", "30d", "6m", "1y", "18m", "2y".
    pub fn key(&self) -> String {
        match *self {
            MilestoneSpan::Hours(h) => format!("{h}h"),
            MilestoneSpan::Days(d) => format!("{d}d"),
            MilestoneSpan::Months(m) if m % 12 == 0 && m > 0 => format!("{}y", m / 12),
            MilestoneSpan::Months(m) => format!("{m}m"),
        }
    }

    /// Reads a key: `24h`, `30d`, `6m`, `1y`, and the other spellings people and older
    /// versions used (`12m` for a year, `c100` or a bare `100` for the person's own 100
    /// days), ignoring case and surrounding spaces.
    pub fn parse_key(text: &str) -> Option<MilestoneSpan> {
        let text = text.trim().to_ascii_lowercase();
        let text = text.strip_prefix('c').unwrap_or(&text);
        let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            Some((i, _)) => text.split_at(i),
            None => (text, "d"),
        };
        if number.is_empty() || number.len() > 6 {
            return None;
        }
        let n: i32 = number.parse().ok()?;
        if n == 0 {
            return None;
        }
        match unit {
            "h" => Some(MilestoneSpan::Hours(n)),
            "d" => Some(MilestoneSpan::Days(n)),
            "m" => Some(MilestoneSpan::Months(n)),
            "y" => n.checked_mul(12).map(MilestoneSpan::Months),
            _ => None,
        }
    }

    /// How a person reads it for a journey of `limit` kind: "24 hours", "30 days" for
    /// staying away; "24 hours within your limit", "30 days within your limit" for a limit
    /// goal, where the days are ones kept within the limit, not days without.
    pub fn label_for(&self, limit: bool) -> String {
        if limit {
            format!("{} within your limit", self.label())
        } else {
            self.label()
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

/// The canonical form of a milestone key (see [`MilestoneSpan::parse_key`]), or the text
/// unchanged when it is not a key.
pub(crate) fn canonical_key(key: &str) -> String {
    MilestoneSpan::parse_key(key).map_or_else(|| key.to_owned(), |span| span.key())
}

/// A milestone of one attempt.
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
    /// The attempt it belongs to (1 for the first).
    pub attempt: i32,
}

/// The milestones of a journey's current attempt: those reached, and the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MilestoneProgress {
    /// The journey.
    pub journey_id: crate::record::RecordId,
    /// The local date the current attempt started (or starts, when it has not begun yet).
    pub attempt_start: NaiveDate,
    /// The current attempt's number.
    pub attempt: i32,
    /// Reached milestones, oldest first.
    pub reached: Vec<Milestone>,
    /// The next milestone.
    pub next: Option<Milestone>,
    /// Days from today to the next milestone.
    pub days_to_next: Option<i32>,
}

/// The standard chips that fall within the first `years` years, in order.
pub fn standard_spans(years: i32) -> Vec<MilestoneSpan> {
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
    out.extend((2..=years.clamp(2, 200)).map(|y| MilestoneSpan::Months(12 * y)));
    out
}

/// The moment an hour milestone is reached, if the calendar has room for it.
fn hour_moment(start: DateTime<Utc>, hours: i32) -> Option<DateTime<Utc>> {
    if hours < 0 {
        return None;
    }
    start.checked_add_signed(Duration::hours(i64::from(hours)))
}

/// The local date a span is reached, for an attempt starting on `start` at `start_moment`;
/// `None` when it would fall beyond the calendar.
fn due_on(
    span: MilestoneSpan,
    start: NaiveDate,
    start_moment: DateTime<Utc>,
    zone: &Zone,
) -> Option<NaiveDate> {
    match span {
        MilestoneSpan::Hours(h) => hour_moment(start_moment, h).map(|at| recovery_day(at, zone, 0)),
        MilestoneSpan::Days(d) => start.checked_add_days(Days::new(u64::try_from(d).ok()?)),
        MilestoneSpan::Months(m) => start.checked_add_months(Months::new(u32::try_from(m).ok()?)),
    }
}

/// Where an attempt stands when its milestones are judged.
enum AttemptEnd {
    /// Still running: reached by `today` (days) and `now` (hours).
    Running {
        today: NaiveDate,
        now: DateTime<Utc>,
    },
    /// Ended by a lapse on `day`, at `moment` (the start of that day without a time).
    Ended {
        day: NaiveDate,
        moment: DateTime<Utc>,
    },
}

/// Every milestone of one attempt, sorted by date, with `reached` set. Custom milestones
/// that a standard one already covers are dropped.
fn attempt_milestones(
    journey: &Journey,
    attempt: &Attempt,
    end: &AttemptEnd,
    acknowledged: &dyn Fn(&str) -> bool,
) -> Vec<Milestone> {
    let start_moment = attempt.start_instant;
    // An hour milestone's date is read where the attempt began: "24 hours" after a lapse in
    // Berlin falls on the day after the fresh start there, wherever the person is now.
    let attempt_zone = Zone::named_or_utc(&attempt.start_zone);
    let years_so_far = attempt.sober_days / 365 + 2;
    let standard = standard_spans(years_so_far);
    let standard_len = standard.len();
    let spans = standard.into_iter().chain(
        journey
            .custom_milestone_days
            .iter()
            .map(|d| MilestoneSpan::Days(*d)),
    );
    let mut all: Vec<Milestone> = spans
        .enumerate()
        .filter_map(|(i, span)| {
            let due = due_on(span, attempt.start, start_moment, &attempt_zone)?;
            let reached = match (span, end) {
                (_, _) if attempt.pending => false,
                (MilestoneSpan::Hours(h), AttemptEnd::Running { now, .. }) => {
                    hour_moment(start_moment, h).is_some_and(|at| *now >= at)
                }
                (MilestoneSpan::Hours(h), AttemptEnd::Ended { moment, .. }) => {
                    hour_moment(start_moment, h).is_some_and(|at| *moment >= at)
                }
                (_, AttemptEnd::Running { today, .. }) => *today >= due,
                (_, AttemptEnd::Ended { day, .. }) => *day >= due,
            };
            let key = span.key();
            Some(Milestone {
                acknowledged: reached && acknowledged(&key),
                key,
                label: span.label_for(journey.limit.is_some()),
                custom: i >= standard_len,
                due_on: due,
                reached,
                span,
                attempt: attempt.number,
            })
        })
        .collect();
    all.sort_by_key(|m| (m.due_on, m.custom));
    all.dedup_by(|a, b| a.key == b.key);
    all
}

/// The current attempt's milestones. `acknowledged` tells whether a key was celebrated in
/// this attempt.
pub fn progress(
    journey: &Journey,
    counter: &SoberCounter,
    now: DateTime<Utc>,
    acknowledged: impl Fn(&str) -> bool,
) -> Option<MilestoneProgress> {
    let attempt = counter.attempts.last()?;
    let end = AttemptEnd::Running {
        today: counter.today,
        now,
    };
    let all = attempt_milestones(journey, attempt, &end, &acknowledged);
    let (reached, pending): (Vec<_>, Vec<_>) = all.into_iter().partition(|m| m.reached);
    let next = pending.into_iter().next();
    let days_to_next = next
        .as_ref()
        .map(|m| super::counts::of_span((m.due_on - counter.today).num_days()));
    Some(MilestoneProgress {
        journey_id: journey.id,
        attempt_start: attempt.start,
        attempt: attempt.number,
        reached,
        next,
        days_to_next,
    })
}

/// Every milestone reached in every attempt of a journey, oldest first, each labelled with
/// its attempt. `acknowledged(attempt_start, key)` tells whether it was celebrated.
pub fn reached_in_every_attempt(
    journey: &Journey,
    counter: &SoberCounter,
    lapses: &[Lapse],
    now: DateTime<Utc>,
    acknowledged: impl Fn(NaiveDate, &str) -> bool,
) -> Vec<Milestone> {
    let mut out = Vec::new();
    for attempt in &counter.attempts {
        let end = match (attempt.end, attempt.ended_by) {
            (Some(day), ended_by) => {
                let lapse = ended_by.and_then(|id| lapses.iter().find(|l| l.id == id));
                let lapse_zone = Zone::named_or_utc(
                    lapse
                        .and_then(|l| l.time_zone.as_deref())
                        .unwrap_or(&journey.time_zone),
                );
                AttemptEnd::Ended {
                    day,
                    moment: start_instant(day, lapse.and_then(|l| l.time), &lapse_zone),
                }
            }
            (None, _) => AttemptEnd::Running {
                today: counter.today,
                now,
            },
        };
        let celebrated = |key: &str| acknowledged(attempt.start, key);
        out.extend(
            attempt_milestones(journey, attempt, &end, &celebrated)
                .into_iter()
                .filter(|m| m.reached),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_what_a_person_types_and_old_spellings_still_read() {
        assert_eq!(MilestoneSpan::Months(12).key(), "1y");
        assert_eq!(MilestoneSpan::Months(24).key(), "2y");
        assert_eq!(MilestoneSpan::Months(18).key(), "18m");
        for (text, span) in [
            ("1y", MilestoneSpan::Months(12)),
            ("12m", MilestoneSpan::Months(12)),
            (" 2Y ", MilestoneSpan::Months(24)),
            ("c100", MilestoneSpan::Days(100)),
            ("100d", MilestoneSpan::Days(100)),
            ("100", MilestoneSpan::Days(100)),
            ("24h", MilestoneSpan::Hours(24)),
        ] {
            assert_eq!(MilestoneSpan::parse_key(text), Some(span), "{text}");
        }
        for bad in ["", "y", "0d", "12x", "9999999d", "-3d", "1.5y"] {
            assert_eq!(MilestoneSpan::parse_key(bad), None, "{bad}");
        }
        assert_eq!(canonical_key("12m"), "1y");
    }
}
