//! The sober-day counter: a pure function of a journey, its lapses, the instant and the
//! person's current time zone and day start.
//!
//! - *Elapsed* is the exact time since the current attempt's start moment (its start date
//!   and time in the zone it started in: the journey's zone for the first attempt, the zone
//!   the lapse before it was recorded in for later ones), in days, hours and minutes; it is
//!   0, never negative, when the clock says "before the start".
//! - *After a lapse* recorded today the next attempt starts tomorrow: until then the counter
//!   says so (`next_attempt_starts_on`) instead of counting from a date in the future, and
//!   what stays (total sober days, the longest streak) is unchanged.
//! - *Sober days* count local calendar days in the person's **current** zone: the recovery
//!   day of `now` minus the attempt's start date. They move by exactly one when the recovery
//!   day turns, whatever DST does to the length of that day; a clock that goes backwards
//!   clamps at zero.
//! - Longest streak, total sober days and the 30/90/365-day windows look at every attempt,
//!   so a lapse never erases the history behind it.

use super::clock::recovery_day;
use super::clock::Zone;
use super::journey::{attempts, Attempt, Journey, Lapse};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Everything the counter reports for one journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SoberCounter {
    /// The journey.
    pub journey_id: crate::record::RecordId,
    /// The recovery day the figures are for.
    pub today: NaiveDate,
    /// Whole days since the current attempt's start moment.
    pub elapsed_days: i32,
    /// Hours past those days (0-23).
    pub elapsed_hours: i32,
    /// Minutes past those hours (0-59).
    pub elapsed_minutes: i32,
    /// Sober days in the current attempt (local calendar days); also the current streak.
    pub current_streak_days: i32,
    /// The longest attempt so far, in sober days.
    pub longest_streak_days: i32,
    /// Sober days over every attempt.
    pub total_sober_days: i32,
    /// Sober days among the 30 completed days before today.
    pub sober_days_last_30: i32,
    /// Sober days among the 90 completed days before today.
    pub sober_days_last_90: i32,
    /// Sober days among the 365 completed days before today.
    pub sober_days_last_365: i32,
    /// Money not spent in the current attempt, in cents.
    pub money_saved_cents_current: i64,
    /// Money not spent over every attempt, in cents.
    pub money_saved_cents_total: i64,
    /// Minutes regained in the current attempt.
    pub minutes_saved_current: i64,
    /// Minutes regained over every attempt.
    pub minutes_saved_total: i64,
    /// Every attempt, oldest first; the last is the current one.
    pub attempts: Vec<Attempt>,
    /// When the current attempt has not begun yet (a lapse today starts it tomorrow): the
    /// day it begins. Elapsed time and the current streak are 0 until then.
    pub next_attempt_starts_on: Option<NaiveDate>,
}

fn sober_days_in_window(attempts: &[Attempt], today: NaiveDate, days: u64) -> i32 {
    let window_start = today
        .checked_sub_days(chrono::Days::new(days))
        .unwrap_or(NaiveDate::MIN);
    attempts
        .iter()
        .filter(|a| !a.pending)
        .map(|a| {
            let end = a.end.unwrap_or(today).min(today);
            let start = a.start.max(window_start);
            super::counts::of_span((end - start).num_days())
        })
        .fold(0i32, i32::saturating_add)
}

/// Counts a journey as of `now`, for a person now in `zone` whose day starts at
/// `day_starts_at` o'clock.
///
/// ```
/// use chrono::NaiveDate;
/// use waymark_core::recovery::clock::Zone;
/// use waymark_core::RecordId;
/// use waymark_core::recovery::counter::count;
/// use waymark_core::recovery::journey::Journey;
///
/// let berlin: Zone = "Europe/Berlin".parse()?;
/// let journey = Journey {
///     id: RecordId::from_bytes([1; 16]),
///     name: "alcohol".into(),
///     sober_since: NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(),
///     sober_since_time: None,
///     time_zone: "Europe/Berlin".into(),
///     daily_cost_cents: Some(1_000),
///     daily_minutes: None,
///     custom_milestone_days: vec![],
///     archived: false,
///     limit: None,
///     earlier_limits: vec![],
/// };
/// // Just after midnight on 30 March, across the night the clocks went forward.
/// let now = berlin.instant_of(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap().and_hms_opt(0, 30, 0).unwrap());
/// let counter = count(&journey, &[], now, &berlin, 0);
/// assert_eq!(counter.current_streak_days, 2);            // two local calendar days
/// assert_eq!((counter.elapsed_days, counter.elapsed_hours), (1, 23)); // 47.5 real hours
/// assert_eq!(counter.money_saved_cents_total, 2_000);
/// # Ok::<(), waymark_core::Error>(())
/// ```
pub fn count(
    journey: &Journey,
    lapses: &[Lapse],
    now: DateTime<Utc>,
    zone: &Zone,
    day_starts_at: i32,
) -> SoberCounter {
    let today = recovery_day(now, zone, day_starts_at);
    let mut attempts = attempts(journey, lapses, today, day_starts_at);
    // An attempt whose start moment has not come yet (a start with a time, later today or
    // tomorrow; the phone's calendar may already be on the start's date or past it) counts no
    // day: a person who sets "from 22:00" sees 0 until 22:00.
    if let Some(last) = attempts.last_mut() {
        last.pending = now < last.start_instant;
        if last.pending {
            last.sober_days = 0;
        }
    }
    let current = attempts.last().cloned();
    let (current_days, elapsed) = match &current {
        Some(a) if !a.pending => {
            let since = now - a.start_instant;
            (a.sober_days, since.max(Duration::zero()))
        }
        _ => (0, Duration::zero()),
    };
    let next_attempt_starts_on = current.as_ref().filter(|a| a.pending).map(|a| a.start);
    let total: i32 = attempts.iter().map(|a| a.sober_days).sum();
    let longest = attempts.iter().map(|a| a.sober_days).max().unwrap_or(0);
    let per_day_cents = journey.daily_cost_cents.unwrap_or(0);
    let per_day_minutes = i64::from(journey.daily_minutes.unwrap_or(0));
    let minutes = elapsed.num_minutes();
    SoberCounter {
        journey_id: journey.id,
        today,
        elapsed_days: i32::try_from(minutes / 1440).unwrap_or(i32::MAX),
        elapsed_hours: i32::try_from((minutes / 60) % 24).unwrap_or(0),
        elapsed_minutes: i32::try_from(minutes % 60).unwrap_or(0),
        current_streak_days: current_days,
        longest_streak_days: longest,
        total_sober_days: total,
        sober_days_last_30: sober_days_in_window(&attempts, today, 30),
        sober_days_last_90: sober_days_in_window(&attempts, today, 90),
        sober_days_last_365: sober_days_in_window(&attempts, today, 365),
        money_saved_cents_current: per_day_cents.saturating_mul(i64::from(current_days)),
        money_saved_cents_total: per_day_cents.saturating_mul(i64::from(total)),
        minutes_saved_current: per_day_minutes.saturating_mul(i64::from(current_days)),
        minutes_saved_total: per_day_minutes.saturating_mul(i64::from(total)),
        attempts,
        next_attempt_starts_on,
    }
}
