//! Limit goals: a journey that aims at "at most N units per day (or per week)" instead of
//! abstinence, the amounts the person logs, and how the days add up.
//!
//! **The rule, in one place.** Amounts are kept in hundredths of the journey's unit (1.5
//! drinks is 150) and summed per recovery day. A day is *over* the limit when
//! - per day: its total is above the limit;
//! - per week (weeks start on Monday): it has an amount and the week's running total up to
//!   and including it is above the limit (the day the week went over, and every later day of
//!   that week with an amount).
//!
//! Every other day since the goal began is *within* the limit; a day with nothing logged is
//! also *abstinent*. An over day ends the running streak of days within the limit, exactly as
//! a lapse ends an attempt on an abstinence journey: the attempts, counter, milestones,
//! calendars, review and report of a limit journey are those of its over days
//! ([`over_days`] turns them into lapses of kind [`LapseKind::OverLimit`], never stored).

use super::journey::{Journey, Lapse, LapseKind};
use super::validate;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most earlier limits a journey keeps (a change a day for almost three years); past it
/// the oldest goes.
pub const MAX_EARLIER_LIMITS: usize = 1_000;

/// The most a limit or one logged amount can be, in hundredths (100,000 units).
pub const MAX_AMOUNT: i32 = 10_000_000;

/// What a limit is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LimitPeriod {
    /// At most the amount on each day.
    Day,
    /// At most the amount in each week (Monday to Sunday).
    Week,
}

/// A journey's limit: at most `amount` (hundredths of `unit`) per `per`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Limit {
    /// The most, in hundredths of the unit (2 drinks: 200). 0 means none at all that day
    /// or week.
    pub amount_hundredths: i32,
    /// Per day or per week.
    pub per: LimitPeriod,
    /// What is counted ("drinks", "cigarettes", "€"), 1-40 characters.
    pub unit: String,
}

impl Limit {
    /// Checks the amount and the unit.
    pub(crate) fn validate(&self) -> Result<()> {
        validate::in_range("limit", self.amount_hundredths, 0, MAX_AMOUNT)?;
        validate::required_text("unit", &self.unit, validate::TAG_TEXT)
    }

    /// The limit over one week (seven days' worth of a daily limit).
    pub fn per_week(&self) -> i32 {
        match self.per {
            LimitPeriod::Day => self.amount_hundredths.saturating_mul(7),
            LimitPeriod::Week => self.amount_hundredths,
        }
    }
}

/// An amount the person logged against a limit journey, for a recovery day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UseLog {
    /// The entry's id.
    pub id: RecordId,
    /// The limit journey.
    pub journey_id: RecordId,
    /// The recovery day it counts for.
    pub date: NaiveDate,
    /// How much, in hundredths of the journey's unit.
    pub amount_hundredths: i32,
    /// When it was logged.
    pub logged_at: DateTime<Utc>,
}

/// One week's total against the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WeekTotal {
    /// Its Monday.
    pub week_start: NaiveDate,
    /// Everything logged in it, in hundredths.
    pub total_hundredths: i32,
    /// The limit for the week, in hundredths (seven times a daily limit).
    pub limit_hundredths: i32,
    /// Days of it over the limit.
    pub days_over: i32,
    /// True when the week's total is above its limit.
    pub over: bool,
}

/// How a limit journey is going, as of a recovery day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LimitProgress {
    /// The limit.
    pub limit: Limit,
    /// Completed days since the goal began (today is still going and not counted here or
    /// in the figures below; see `today_hundredths`).
    pub days_tracked: i32,
    /// Of those, days within the limit.
    pub days_within: i32,
    /// Of those, days with nothing logged.
    pub days_abstinent: i32,
    /// Days over the limit.
    pub days_over: i32,
    /// `days_within` as a share of `days_tracked`, 0-100.
    pub percent_within: f64,
    /// `days_abstinent` as a share of `days_tracked`, 0-100.
    pub percent_abstinent: f64,
    /// Completed days within the limit in a row, up to yesterday (0 when today is already
    /// over the limit): the counter's current streak.
    pub current_streak_days: i32,
    /// The longest such run.
    pub longest_streak_days: i32,
    /// Logged today, in hundredths.
    pub today_hundredths: i32,
    /// Logged this week so far, in hundredths.
    pub this_week_hundredths: i32,
    /// What is left today before the limit (for a weekly limit, left this week), in
    /// hundredths; 0 when it is reached or passed.
    pub left_hundredths: i32,
    /// Every week since the goal began, oldest first (the last is this week so far).
    pub weeks: Vec<WeekTotal>,
}

/// The Monday of `day`'s week.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

/// Reads an amount a person typed ("2", "1.5", "0,75") as hundredths: up to two decimals, a
/// point or a comma, at most [`MAX_AMOUNT`]. Errors name `field`, never the text.
pub fn parse_amount(field: &'static str, text: &str) -> Result<i32> {
    let rule = "must be a number from 0 to 100000 with at most two decimals";
    let text = text.trim();
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > 2
        || whole.len() > 6
    {
        return Err(Error::invalid(field, rule));
    }
    let whole: i32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| Error::invalid(field, rule))?
    };
    let mut hundredths: i32 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().map_err(|_| Error::invalid(field, rule))?
    };
    if fraction.len() == 1 {
        hundredths *= 10;
    }
    let value = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(hundredths))
        .filter(|v| *v <= MAX_AMOUNT)
        .ok_or_else(|| Error::invalid(field, rule))?;
    Ok(value)
}

/// A limit from the parts a person typed, over `current` (the journey's limit when
/// editing): `amount` as [`parse_amount`] reads it, `per` (default: the current one, else a
/// day) and `unit` (default: the current one; required for a new limit). `Ok(None)` when no
/// part is given and there is no current limit; a `per` or `unit` without an amount and
/// without a current limit is refused naming `limit`.
pub fn limit_from_parts(
    amount: Option<&str>,
    per: Option<LimitPeriod>,
    unit: Option<&str>,
    current: Option<&Limit>,
) -> Result<Option<Limit>> {
    if amount.is_none() && per.is_none() && unit.is_none() {
        return Ok(current.cloned());
    }
    let amount_hundredths = match (amount, current) {
        (Some(text), _) => parse_amount("limit", text)?,
        (None, Some(current)) => current.amount_hundredths,
        (None, None) => {
            return Err(Error::invalid("limit", "must be given with per and unit"));
        }
    };
    let unit = match (unit, current) {
        (Some(unit), _) => unit.trim().to_owned(),
        (None, Some(current)) => current.unit.clone(),
        (None, None) => {
            return Err(Error::invalid(
                "limit",
                "must come with a unit: what is counted, such as drinks",
            ))
        }
    };
    let limit = Limit {
        amount_hundredths,
        per: per.or(current.map(|c| c.per)).unwrap_or(LimitPeriod::Day),
        unit,
    };
    limit.validate()?;
    Ok(Some(limit))
}

/// An amount in hundredths as a person reads it: "2", "1.5", "0.25".
pub fn format_amount(hundredths: i32) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// Keeps the history of a limit goal when `old` is edited into `new` on the recovery day
/// `today`: a different limit applies from today, so the old one is kept for the days up to
/// yesterday (several edits on one day keep only the last). Earlier limits are carried over.
pub(crate) fn carry_history(old: &Journey, new: &mut Journey, today: NaiveDate) {
    new.earlier_limits = old.earlier_limits.clone();
    let (Some(before), Some(after)) = (&old.limit, &new.limit) else {
        return;
    };
    let Some(yesterday) = today.pred_opt() else {
        return;
    };
    let covered = new
        .earlier_limits
        .last()
        .is_some_and(|e| e.until >= yesterday);
    if before != after && yesterday >= new.sober_since && !covered {
        if new.earlier_limits.len() >= MAX_EARLIER_LIMITS {
            new.earlier_limits.remove(0);
        }
        new.earlier_limits.push(super::journey::EarlierLimit {
            until: yesterday,
            limit: before.clone(),
        });
    }
}

/// The limit that applied on `day`.
fn limit_on<'a>(journey: &'a Journey, current: &'a Limit, day: NaiveDate) -> &'a Limit {
    journey
        .earlier_limits
        .iter()
        .find(|e| day <= e.until)
        .map_or(current, |e| &e.limit)
}

/// The days of `journey` (a limit journey) from its start to `today`, each with its total and
/// whether it was over; empty for an abstinence journey or a start after today. Each day is
/// judged by the limit that applied on it.
fn days(journey: &Journey, uses: &[UseLog], today: NaiveDate) -> Vec<(NaiveDate, i32, bool)> {
    let Some(current) = &journey.limit else {
        return Vec::new();
    };
    let start = journey.sober_since;
    if start > today {
        return Vec::new();
    }
    let mut totals: BTreeMap<NaiveDate, i32> = BTreeMap::new();
    for u in uses
        .iter()
        .filter(|u| u.journey_id == journey.id && u.date >= start && u.date <= today)
    {
        let t = totals.entry(u.date).or_insert(0);
        *t = t.saturating_add(u.amount_hundredths);
    }
    let mut out = Vec::new();
    let mut week_total = 0i32;
    let mut day = start;
    while day <= today {
        if day.weekday().num_days_from_monday() == 0 {
            week_total = 0;
        }
        let total = totals.get(&day).copied().unwrap_or(0);
        week_total = week_total.saturating_add(total);
        let limit = limit_on(journey, current, day);
        let over = match limit.per {
            LimitPeriod::Day => total > limit.amount_hundredths,
            LimitPeriod::Week => total > 0 && week_total > limit.amount_hundredths,
        };
        out.push((day, total, over));
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// The days over the limit of a limit journey, as lapses of kind [`LapseKind::OverLimit`]
/// (each followed by a fresh start the next day), so the attempt-based views (counter,
/// milestones, calendars, review, report) read a limit journey by one rule. Their ids are
/// derived from the journey and the date (a reflection can name one); they are never
/// stored. Amounts are never logged for a day after today, so no "today" is needed.
pub fn over_days(journey: &Journey, uses: &[UseLog]) -> Vec<Lapse> {
    if journey.limit.is_none() {
        return Vec::new();
    }
    let last = uses
        .iter()
        .filter(|u| u.journey_id == journey.id)
        .map(|u| u.date)
        .max();
    let Some(last) = last else {
        return Vec::new();
    };
    days(journey, uses, last)
        .into_iter()
        .filter(|(_, _, over)| *over)
        .map(|(date, _, _)| {
            let mut id = *journey.id.as_bytes();
            let stamp = date.num_days_from_ce().to_le_bytes();
            for (i, b) in stamp.iter().enumerate() {
                id[12 + i] ^= *b;
            }
            id[0] ^= 0xa5;
            Lapse {
                id: RecordId::from_bytes(id),
                journey_id: journey.id,
                kind: LapseKind::OverLimit,
                date,
                time: None,
                sober_again_from: date.checked_add_days(Days::new(1)).unwrap_or(date),
                note: None,
                trigger_id: None,
                time_zone: None,
            }
        })
        .collect()
}

/// How a limit journey is going as of the recovery day `today`; `None` for an abstinence
/// journey.
pub fn progress(journey: &Journey, uses: &[UseLog], today: NaiveDate) -> Option<LimitProgress> {
    let limit = journey.limit.clone()?;
    let days = days(journey, uses, today);
    // Today is still going: the counts and streaks are of completed days, like the counter's.
    let completed = days.iter().filter(|d| d.0 < today);
    let tracked = super::counts::of_len(completed.clone().count());
    let within = super::counts::of_len(completed.clone().filter(|d| !d.2).count());
    let abstinent = super::counts::of_len(completed.clone().filter(|d| d.1 == 0).count());
    let (mut run, mut longest) = (0i32, 0i32);
    for (_, _, over) in completed {
        run = if *over { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    if days.last().is_some_and(|d| d.0 == today && d.2) {
        run = 0; // over the limit today: the run ended, as a lapse ends an attempt
    }
    let mut weeks: Vec<WeekTotal> = Vec::new();
    for (day, total, over) in &days {
        let monday = week_start(*day);
        if weeks.last().is_none_or(|w| w.week_start != monday) {
            weeks.push(WeekTotal {
                week_start: monday,
                total_hundredths: 0,
                limit_hundredths: limit_on(journey, &limit, *day).per_week(),
                days_over: 0,
                over: false,
            });
        }
        if let Some(week) = weeks.last_mut() {
            week.total_hundredths = week.total_hundredths.saturating_add(*total);
            // A week the goal changed in is measured against its latest limit.
            week.limit_hundredths = limit_on(journey, &limit, *day).per_week();
            week.days_over += i32::from(*over);
            week.over = week.total_hundredths > week.limit_hundredths;
        }
    }
    let today_total = days.last().filter(|d| d.0 == today).map_or(0, |d| d.1);
    let this_week = weeks
        .last()
        .filter(|w| w.week_start == week_start(today))
        .map_or(0, |w| w.total_hundredths);
    let left = match limit.per {
        LimitPeriod::Day => limit.amount_hundredths.saturating_sub(today_total).max(0),
        LimitPeriod::Week => limit.amount_hundredths.saturating_sub(this_week).max(0),
    };
    let percent = |n: i32| {
        if tracked == 0 {
            0.0
        } else {
            (f64::from(n) * 1000.0 / f64::from(tracked)).round() / 10.0
        }
    };
    Some(LimitProgress {
        limit,
        days_tracked: tracked,
        days_within: within,
        days_abstinent: abstinent,
        days_over: tracked - within,
        percent_within: percent(within),
        percent_abstinent: percent(abstinent),
        current_streak_days: run,
        longest_streak_days: longest,
        today_hundredths: today_total,
        this_week_hundredths: this_week,
        left_hundredths: left,
        weeks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_and_print_as_typed() {
        assert_eq!(parse_amount("amount", "2").ok(), Some(200));
        assert_eq!(parse_amount("amount", "1.5").ok(), Some(150));
        assert_eq!(parse_amount("amount", "0,75").ok(), Some(75));
        assert_eq!(parse_amount("amount", ".5").ok(), Some(50));
        assert_eq!(parse_amount("amount", "100000").ok(), Some(MAX_AMOUNT));
        for bad in [
            "", ".", "-1", "1.234", "1e3", "100001", "two", "1.5.2", "9999999",
        ] {
            assert!(parse_amount("amount", bad).is_err(), "{bad}");
        }
        assert_eq!(format_amount(150), "1.5");
        assert_eq!(format_amount(75), "0.75");
        assert_eq!(format_amount(300), "3");
        assert_eq!(format_amount(5), "0.05");
    }
}
