//! Reminders decided in the core, delivered by the shell: what to schedule, when, and with
//! which words.
//!
//! [`ReminderPrefs`] is the person's choice (one sealed record per journal; defaults until
//! first saved). [`schedule`] turns it, the journal and the instant into the [`Reminder`]s the
//! shell should have scheduled for the next days; the shell replaces what it scheduled
//! before by [`Reminder::id`], which stays the same for the same reminder across calls.
//! Everything here is a pure function of (snapshot, preferences, now): the same inputs give
//! the same list, byte for byte.
//!
//! **What is reminded.**
//! - The daily check-in at `check_in_at`, skipped for a recovery day already checked in.
//! - The evening review at `evening_review_at`, skipped for a recovery day whose check-in
//!   already holds an evening review.
//! - Each regular meeting every week on its weekday, `meeting_lead_minutes` (real minutes)
//!   before it starts.
//! - For each journey not archived, its next milestone: one reminder the evening before it
//!   is due, at `evening_review_at` (20:00 when there is none). Only the next milestone is
//!   reminded; once it is reached, the one after becomes the next.
//! - With `risky_hours`, a gentle nudge each day [`RISKY_LEAD_MINUTES`] minutes before the
//!   person's riskiest two hours, as [`riskiest_window`] finds them in the trigger log.
//!
//! **Days and zones.** Every time is a local wall-clock time in the person's *current* zone
//! (the settings' zone, UTC when none is set), read the moment `schedule` runs: after a move
//! the reminders follow the new zone at once. A reminder keeps its wall time across a DST
//! change (09:00 stays 09:00 local; the instant in UTC shifts by an hour). A wall time that a
//! DST jump skips moves forward to the first quarter hour that exists (02:30 on the morning
//! clocks spring from 02:00 to 03:00 is delivered at 03:00, once); a wall time that happens
//! twice when clocks fall back is delivered at its first occurrence, once (see
//! [`Zone::instant_of`]). Check-ins, evening reviews and milestones belong to the person's
//! *recovery day* (their day starts at `day_starts_at`): a check-in time before the day's
//! start falls on the next calendar date. `schedule(.., days)` covers the recovery day of
//! `now` and the `days - 1` after it (`days` is clamped to 1..=[`MAX_DAYS`]), and lists only
//! reminders delivered after `now`.
//!
//! **Quiet hours** (`quiet_from`..`quiet_until`, local, may wrap midnight such as
//! 22:00-07:00; the start is inside, the end is not; equal start and end mean no quiet
//! hours). A check-in reminder that falls inside is *moved* to the end of the quiet period it
//! falls in: `quiet_until` that morning, or the next morning when it falls before midnight
//! in quiet hours that wrap. An evening review in the evening part of quiet hours comes 30
//! minutes *before* they begin instead ("how did today go?" belongs to the day it asks
//! about); in the morning part, at their end. A milestone reminder ("tomorrow: 30 days")
//! is never delivered on the day it refers to: inside quiet hours it comes 30 minutes
//! before they began, when that is still the evening before, and is *dropped* otherwise. A
//! meeting reminder or risky-hours nudge inside quiet hours is *dropped*: its moment has
//! passed by the time quiet hours end.
//!
//! **Daily cap.** At most `daily_cap` reminders are delivered on one recovery day (counted
//! where they are delivered, after quiet hours moved them). When there are more, they are
//! kept by priority: check-in, then meeting, then milestone, then evening review, then the
//! risky-hours nudge (earlier first within a kind). The cap counts the whole day, including
//! reminders whose time has already passed, so asking again later the same day never lets
//! more through.
//!
//! **Words.** With `discreet` (the default), what a lock screen shows says nothing about
//! recovery: no "sober", "relapse", "lapse", "craving", "urge", "drink", "alcohol", "drug",
//! "use", "addiction", "recovery", "meeting" or "trigger", no journey names and no meeting
//! names; the title is always "Waymark". Without it, the words are plain. Every text is
//! written in the `words` section of this file, one function per kind.

use super::clock::{instant_of, Zone};
use super::counter::count;
use super::milestones;
use super::snapshot::Snapshot;
use super::triggers::TriggerEvent;
use super::validate;
use crate::error::{Error, Result};
use chrono::{
    DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// As chrono's weekday.
    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// A meeting the person goes to every week, to be reminded of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegularMeeting {
    /// Its day.
    pub weekday: Weekday,
    /// Its local time.
    pub at: NaiveTime,
    /// Its name, shown only when reminders are not discreet.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
}

/// What the person wants to be reminded of, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderPrefs {
    /// Off switch for every reminder.
    pub enabled: bool,
    /// The daily check-in's local time (`None`: no check-in reminder).
    pub check_in_at: Option<NaiveTime>,
    /// The evening review's local time (`None`: none).
    pub evening_review_at: Option<NaiveTime>,
    /// Meetings the person goes to every week.
    pub meetings: Vec<RegularMeeting>,
    /// Minutes before a meeting to remind (0-720).
    pub meeting_lead_minutes: i32,
    /// Remind the evening before a milestone.
    pub milestones: bool,
    /// A gentle nudge before the person's riskiest hours, learned from their trigger log.
    pub risky_hours: bool,
    /// Quiet hours start (local); with `quiet_until`, nothing is delivered in between.
    pub quiet_from: Option<NaiveTime>,
    /// Quiet hours end (local).
    pub quiet_until: Option<NaiveTime>,
    /// The most reminders on one day (1-10).
    pub daily_cap: i32,
    /// Discreet words (the default): no "sober", "relapse", "craving", journey names or
    /// meeting names in what a lock screen shows.
    pub discreet: bool,
}

impl Default for ReminderPrefs {
    fn default() -> Self {
        ReminderPrefs {
            enabled: true,
            check_in_at: NaiveTime::from_hms_opt(9, 0, 0),
            evening_review_at: NaiveTime::from_hms_opt(21, 0, 0),
            meetings: Vec::new(),
            meeting_lead_minutes: 60,
            milestones: true,
            risky_hours: false,
            quiet_from: NaiveTime::from_hms_opt(22, 0, 0),
            quiet_until: NaiveTime::from_hms_opt(7, 0, 0),
            daily_cap: 4,
            discreet: true,
        }
    }
}

impl ReminderPrefs {
    /// Checks every field.
    pub(crate) fn validate(&self) -> Result<()> {
        validate::in_range("meeting_lead_minutes", self.meeting_lead_minutes, 0, 720)?;
        validate::in_range("daily_cap", self.daily_cap, 1, 10)?;
        if self.quiet_from.is_some() != self.quiet_until.is_some() {
            return Err(Error::invalid(
                "quiet_hours",
                "must give both a start and an end, or neither",
            ));
        }
        if self.meetings.len() > validate::MAX_LIST {
            return Err(Error::invalid("meetings", "must have at most 20 items"));
        }
        for m in &self.meetings {
            validate::optional_text("name", m.name.as_deref(), validate::SHORT_TEXT)?;
        }
        Ok(())
    }
}

/// The most local days one call to [`schedule`] covers.
pub const MAX_DAYS: i32 = 14;
/// How far back [`riskiest_window`] reads the trigger log, in days.
pub const RISKY_LOOKBACK_DAYS: i64 = 60;
/// The fewest triggers in the look-back before [`riskiest_window`] says anything.
pub const RISKY_MIN_TRIGGERS: u32 = 10;
/// The fewest triggers the riskiest window must hold.
pub const RISKY_MIN_IN_WINDOW: u32 = 3;
/// The smallest share of all triggers (in percent) the riskiest window must hold.
pub const RISKY_MIN_SHARE_PERCENT: u32 = 25;
/// How many minutes before the riskiest window starts the nudge comes.
pub const RISKY_LEAD_MINUTES: i64 = 30;
/// The milestone reminder's time when the person has no evening review time.
const MILESTONE_EVENING_HOUR: u32 = 20;

/// What a reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReminderKind {
    /// The daily check-in.
    CheckIn,
    /// The evening review.
    EveningReview,
    /// A regular meeting, some minutes before it starts.
    Meeting,
    /// A milestone due tomorrow.
    Milestone,
    /// A nudge before the person's riskiest hours.
    RiskyHours,
}

impl ReminderKind {
    /// Its name in ids and serialized forms ("check_in").
    pub fn key(self) -> &'static str {
        match self {
            ReminderKind::CheckIn => "check_in",
            ReminderKind::EveningReview => "evening_review",
            ReminderKind::Meeting => "meeting",
            ReminderKind::Milestone => "milestone",
            ReminderKind::RiskyHours => "risky_hours",
        }
    }

    /// Its rank under the daily cap: 0 is kept first.
    fn rank(self) -> u8 {
        match self {
            ReminderKind::CheckIn => 0,
            ReminderKind::Meeting => 1,
            ReminderKind::Milestone => 2,
            ReminderKind::EveningReview => 3,
            ReminderKind::RiskyHours => 4,
        }
    }

    /// True when quiet hours move it to their end; false when they drop it.
    fn moves_out_of_quiet_hours(self) -> bool {
        matches!(
            self,
            ReminderKind::CheckIn | ReminderKind::EveningReview | ReminderKind::Milestone
        )
    }
}

/// One notification for the shell to schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reminder {
    /// Stable for the same reminder across calls ("check_in-2026-11-26"), so the shell can
    /// replace what it scheduled before. Holds no text the person wrote.
    pub id: String,
    /// What it is for.
    pub kind: ReminderKind,
    /// When to deliver it.
    pub at: DateTime<Utc>,
    /// `at` as the wall-clock time in `time_zone`.
    pub local_time: NaiveDateTime,
    /// The IANA zone it was planned in (the person's current zone).
    pub time_zone: String,
    /// The notification's title (discreet unless the person opted out).
    pub title: String,
    /// The notification's text (discreet unless the person opted out).
    pub body: String,
}

/// The two hours of the day in which the person logged the most triggers lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RiskyWindow {
    /// The local hour (0-23) the window starts; it covers this hour and the next (23 covers
    /// 23:00-00:59).
    pub start_hour: i32,
    /// Triggers logged in the window in the look-back.
    pub triggers_in_window: i32,
    /// Triggers logged in the look-back.
    pub triggers_total: i32,
}

/// The person's riskiest two hours of the day, learned from the trigger log, or `None` when
/// there is not enough to say so.
///
/// The rule: take the triggers logged in the [`RISKY_LOOKBACK_DAYS`] days up to `now`
/// (later than `now` minus 60 days, not after `now`), and read each at its local hour *in
/// the zone it was logged in* (a trigger at 22:10 in Berlin counts for 22:00 wherever the
/// person is now). Each window is two consecutive hours (h and h+1, wrapping from 23 to 0);
/// the riskiest holds the most triggers. A tie goes to the window whose first hour holds
/// more (so a window never starts at an empty hour before the busy one: twelve triggers all
/// at 22:xx give the window 22-23, not 21-22), then to the earliest start hour. It is
/// returned only when at least [`RISKY_MIN_TRIGGERS`] triggers were logged and the window
/// holds at least [`RISKY_MIN_IN_WINDOW`] of them and at least [`RISKY_MIN_SHARE_PERCENT`]
/// percent of them.
pub fn riskiest_window(triggers: &[TriggerEvent], now: DateTime<Utc>) -> Option<RiskyWindow> {
    let since = now
        .checked_sub_signed(Duration::days(RISKY_LOOKBACK_DAYS))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let mut zones: HashMap<&str, Zone> = HashMap::new();
    let mut by_hour = [0u32; 24];
    let mut total = 0u32;
    for t in triggers.iter().filter(|t| t.at > since && t.at <= now) {
        let zone = zones
            .entry(t.time_zone.as_str())
            .or_insert_with(|| Zone::named_or_utc(&t.time_zone));
        let hour = zone.local(t.at).hour();
        if let Some(slot) = usize::try_from(hour).ok().and_then(|h| by_hour.get_mut(h)) {
            *slot = slot.saturating_add(1);
            total = total.saturating_add(1);
        }
    }
    if total < RISKY_MIN_TRIGGERS {
        return None;
    }
    let at = |h: usize| by_hour.get(h % 24).copied().unwrap_or(0);
    // (start hour, triggers in the window, triggers in its first hour)
    let mut best: Option<(i32, u32, u32)> = None;
    for (start, h) in (0i32..24).zip(0usize..) {
        let first = at(h);
        let in_window = first.saturating_add(at(h + 1));
        if best.is_none_or(|(_, most, most_first)| (in_window, first) > (most, most_first)) {
            best = Some((start, in_window, first));
        }
    }
    let (start_hour, in_window, _) = best?;
    let share_ok =
        u64::from(in_window) * 100 >= u64::from(total) * u64::from(RISKY_MIN_SHARE_PERCENT);
    (in_window >= RISKY_MIN_IN_WINDOW && share_ok).then_some(RiskyWindow {
        start_hour,
        triggers_in_window: i32::try_from(in_window).unwrap_or(i32::MAX),
        triggers_total: i32::try_from(total).unwrap_or(i32::MAX),
    })
}

/// Every reminder to deliver after `now` (exclusive) on the recovery day of `now` and the
/// `days - 1` days after it (`days` clamped to 1..=[`MAX_DAYS`]), sorted by delivery time
/// (then by kind, then by id). Empty when `prefs.enabled` is false. The rules (zones and DST,
/// quiet hours, the daily cap, discreet words) are in the module documentation. Never
/// panics, whatever the snapshot, preferences or instant.
pub fn schedule(
    s: &Snapshot,
    prefs: &ReminderPrefs,
    now: DateTime<Utc>,
    days: i32,
) -> Vec<Reminder> {
    if !prefs.enabled {
        return Vec::new();
    }
    let settings = s.settings.clone().unwrap_or_default();
    let zone = settings.zone();
    let day_start = settings.day_starts_at;
    let days = days.clamp(1, MAX_DAYS);
    // The rule of `clock::recovery_day`, with checked arithmetic (any instant may arrive).
    let Some(today) = recovery_day_of(zone.local(now), day_start) else {
        return Vec::new();
    };
    let last = today
        .checked_add_days(Days::new(u64::from(days.unsigned_abs() - 1)))
        .unwrap_or(NaiveDate::MAX);
    // Planned a day either side of the window: quiet hours and meeting leads can carry a
    // reminder across midnight, into the window or out of it.
    let first = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let end = last.checked_add_days(Days::new(1)).unwrap_or(last);
    let dates: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= end).collect();

    let mut plan = Plan {
        zone: &zone,
        quiet: Quiet::of(prefs),
        discreet: prefs.discreet,
        day_start,
        planned: Vec::new(),
    };
    plan.check_ins_and_reviews(s, prefs, &dates);
    plan.meetings(prefs, &dates);
    if prefs.milestones {
        plan.milestones(s, prefs, now);
    }
    if prefs.risky_hours {
        if let Some(window) = riskiest_window(&s.triggers, now) {
            plan.risky_hours(window, &dates);
        }
    }

    // One reminder per id (two meetings at the same day and time are one reminder).
    let mut planned = plan.planned;
    planned.sort_by(order);
    let mut seen = BTreeSet::new();
    planned.retain(|p| seen.insert(p.id.clone()));

    // The daily cap over each whole recovery day in the window, by priority.
    let mut by_day: BTreeMap<NaiveDate, Vec<Planned>> = BTreeMap::new();
    for p in planned {
        let Some(day) = recovery_day_of(p.local, day_start) else {
            continue;
        };
        if day >= today && day <= last {
            by_day.entry(day).or_default().push(p);
        }
    }
    let cap = usize::try_from(prefs.daily_cap).unwrap_or(0);
    let mut kept: Vec<Planned> = Vec::new();
    for (_, mut on_day) in by_day {
        on_day.sort_by(|a, b| (a.kind.rank(), a.at, &a.id).cmp(&(b.kind.rank(), b.at, &b.id)));
        on_day.truncate(cap);
        kept.extend(on_day.into_iter().filter(|p| p.at > now));
    }
    kept.sort_by(order);
    kept.into_iter()
        .map(|p| Reminder {
            id: p.id,
            kind: p.kind,
            at: p.at,
            local_time: p.local,
            time_zone: zone.name().to_owned(),
            title: p.words.title,
            body: p.words.body,
        })
        .collect()
}

/// The final order: by delivery time, then by priority, then by id.
fn order(a: &Planned, b: &Planned) -> std::cmp::Ordering {
    (a.at, a.kind.rank(), &a.id).cmp(&(b.at, b.kind.rank(), &b.id))
}

/// A reminder placed in time, before the cap.
struct Planned {
    id: String,
    kind: ReminderKind,
    at: DateTime<Utc>,
    /// `at` in the person's zone.
    local: NaiveDateTime,
    words: Words,
}

/// Quiet hours: from `from` (inside) to `until` (outside), wrapping midnight when `from` is
/// later than `until`.
#[derive(Debug, Clone, Copy)]
struct Quiet {
    from: NaiveTime,
    until: NaiveTime,
}

impl Quiet {
    /// The person's quiet hours, if they set both ends and the ends differ.
    fn of(prefs: &ReminderPrefs) -> Option<Quiet> {
        match (prefs.quiet_from, prefs.quiet_until) {
            (Some(from), Some(until)) if from != until => Some(Quiet { from, until }),
            _ => None,
        }
    }

    fn contains(self, t: NaiveTime) -> bool {
        if self.from < self.until {
            t >= self.from && t < self.until
        } else {
            t >= self.from || t < self.until
        }
    }

    /// The end of the quiet period `local` falls in: `quiet_until` the same date, or the
    /// next date when `local` is before midnight in quiet hours that wrap. `None` when
    /// `local` is not in quiet hours (or the calendar ends).
    fn end_of_period(self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        let t = local.time();
        if !self.contains(t) {
            return None;
        }
        if t < self.until {
            Some(local.date().and_time(self.until))
        } else {
            local
                .date()
                .checked_add_days(Days::new(1))
                .map(|d| d.and_time(self.until))
        }
    }
}

/// The recovery day a local wall-clock time belongs to (the rule of
/// [`super::clock::recovery_day`], for a time already read in its zone).
fn recovery_day_of(local: NaiveDateTime, day_start: i32) -> Option<NaiveDate> {
    local
        .checked_sub_signed(Duration::hours(i64::from(day_start)))
        .map(|l| l.date())
}

/// The local wall-clock time `time` on recovery day `day`: the same date when `time` is at
/// or after the day's start, the next date when it is before.
fn on_recovery_day(day: NaiveDate, time: NaiveTime, day_start: i32) -> Option<NaiveDateTime> {
    (0..3u64).find_map(|offset| {
        let local = day.checked_add_days(Days::new(offset))?.and_time(time);
        (recovery_day_of(local, day_start) == Some(day)).then_some(local)
    })
}

/// How long before quiet hours an evening review that would fall in them comes.
const EVENING_BEFORE_QUIET_MINUTES: i64 = 30;

/// The reminders being planned, in the person's zone.
struct Plan<'a> {
    zone: &'a Zone,
    quiet: Option<Quiet>,
    discreet: bool,
    day_start: i32,
    planned: Vec<Planned>,
}

impl Plan<'_> {
    /// Plans a reminder meant for the instant `at`, applying quiet hours: moved to their end
    /// or dropped, by kind.
    fn add(&mut self, kind: ReminderKind, id: String, at: DateTime<Utc>, words: Words) {
        let local = self.zone.local(at);
        let (at, local) = match self.quiet.map(|q| (q, q.end_of_period(local))) {
            None | Some((_, None)) => (at, local),
            // "How did today go?" the next morning would ask about the wrong day: an evening
            // review that falls in the evening part of quiet hours comes half an hour before
            // they begin instead.
            Some((q, Some(_))) if kind == ReminderKind::EveningReview && local.time() >= q.from => {
                let Some(before) = local
                    .date()
                    .and_time(q.from)
                    .checked_sub_signed(Duration::minutes(EVENING_BEFORE_QUIET_MINUTES))
                else {
                    return;
                };
                let at = instant_of(before, self.zone);
                (at, self.zone.local(at))
            }
            // "Tomorrow: 30 days" on the day itself would be wrong: the milestone reminder
            // comes before the quiet period began, if that is still the evening before.
            Some((q, Some(_))) if kind == ReminderKind::Milestone => {
                let began_on = if local.time() >= q.from {
                    Some(local.date())
                } else {
                    local.date().pred_opt()
                };
                let Some(before) = began_on.and_then(|d| {
                    d.and_time(q.from)
                        .checked_sub_signed(Duration::minutes(EVENING_BEFORE_QUIET_MINUTES))
                }) else {
                    return;
                };
                if recovery_day_of(before, self.day_start) != recovery_day_of(local, self.day_start)
                {
                    return;
                }
                let at = instant_of(before, self.zone);
                (at, self.zone.local(at))
            }
            Some((_, Some(end))) if kind.moves_out_of_quiet_hours() => {
                let at = instant_of(end, self.zone);
                (at, self.zone.local(at))
            }
            Some((_, Some(_))) => return,
        };
        self.planned.push(Planned {
            id,
            kind,
            at,
            local,
            words,
        });
    }

    /// Plans a reminder meant for a local wall-clock time.
    fn add_local(&mut self, kind: ReminderKind, id: String, local: NaiveDateTime, words: Words) {
        let at = instant_of(local, self.zone);
        self.add(kind, id, at, words);
    }

    fn check_ins_and_reviews(&mut self, s: &Snapshot, prefs: &ReminderPrefs, days: &[NaiveDate]) {
        let (Some(&from), Some(&to)) = (days.first(), days.last()) else {
            return;
        };
        // Recovery day -> whether its check-in holds an evening review.
        let done: BTreeMap<NaiveDate, bool> = s
            .check_ins
            .iter()
            .filter(|c| c.date >= from && c.date <= to)
            .map(|c| (c.date, c.evening_review.is_some()))
            .collect();
        for &day in days {
            if let Some(time) = prefs.check_in_at {
                if !done.contains_key(&day) {
                    if let Some(local) = on_recovery_day(day, time, self.day_start) {
                        let id = format!("{}-{day}", ReminderKind::CheckIn.key());
                        self.add_local(
                            ReminderKind::CheckIn,
                            id,
                            local,
                            words::check_in(self.discreet),
                        );
                    }
                }
            }
            if let Some(time) = prefs.evening_review_at {
                if done.get(&day) != Some(&true) {
                    if let Some(local) = on_recovery_day(day, time, self.day_start) {
                        let id = format!("{}-{day}", ReminderKind::EveningReview.key());
                        self.add_local(
                            ReminderKind::EveningReview,
                            id,
                            local,
                            words::evening_review(self.discreet),
                        );
                    }
                }
            }
        }
    }

    /// Each regular meeting on the calendar dates `dates`, `meeting_lead_minutes` real
    /// minutes before it starts.
    fn meetings(&mut self, prefs: &ReminderPrefs, dates: &[NaiveDate]) {
        let lead = Duration::minutes(i64::from(prefs.meeting_lead_minutes));
        for &date in dates {
            for m in prefs
                .meetings
                .iter()
                .filter(|m| m.weekday.to_chrono() == date.weekday())
            {
                let starts = instant_of(date.and_time(m.at), self.zone);
                let Some(at) = starts.checked_sub_signed(lead) else {
                    continue;
                };
                let id = format!(
                    "{}-{date}-{}",
                    ReminderKind::Meeting.key(),
                    m.at.format("%H%M")
                );
                let words = words::meeting(self.discreet, m.at, m.name.as_deref());
                self.add(ReminderKind::Meeting, id, at, words);
            }
        }
    }

    /// Each journey's next milestone, the evening before it is due.
    fn milestones(&mut self, s: &Snapshot, prefs: &ReminderPrefs, now: DateTime<Utc>) {
        let evening = prefs
            .evening_review_at
            .or_else(|| NaiveTime::from_hms_opt(MILESTONE_EVENING_HOUR, 0, 0))
            .unwrap_or(NaiveTime::MIN);
        for journey in s.journeys.iter().filter(|j| !j.archived) {
            let counter = count(journey, &s.lapses, now, self.zone, self.day_start);
            let Some(next) =
                milestones::progress(journey, &counter, now, |_| false).and_then(|p| p.next)
            else {
                continue;
            };
            let Some(local) = next
                .due_on
                .checked_sub_days(Days::new(1))
                .and_then(|eve| on_recovery_day(eve, evening, self.day_start))
            else {
                continue;
            };
            let id = format!(
                "{}-{}-{}",
                ReminderKind::Milestone.key(),
                journey.id,
                next.key
            );
            let words = words::milestone(
                self.discreet,
                &next.label,
                &journey.name,
                journey.limit.is_some(),
            );
            self.add_local(ReminderKind::Milestone, id, local, words);
        }
    }

    /// A nudge [`RISKY_LEAD_MINUTES`] before the window starts, on each calendar date.
    fn risky_hours(&mut self, window: RiskyWindow, dates: &[NaiveDate]) {
        let Some(starts) =
            NaiveTime::from_hms_opt(window.start_hour.clamp(0, 23).unsigned_abs(), 0, 0)
        else {
            return;
        };
        for &date in dates {
            let Some(local) = date
                .and_time(starts)
                .checked_sub_signed(Duration::minutes(RISKY_LEAD_MINUTES))
            else {
                continue;
            };
            let id = format!("{}-{date}", ReminderKind::RiskyHours.key());
            let words = words::risky_hours(self.discreet, window.start_hour);
            self.add_local(ReminderKind::RiskyHours, id, local, words);
        }
    }
}

/// A notification's title and text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Words {
    title: String,
    body: String,
}

/// Every text a reminder shows, one function per kind. With `discreet`, none says anything
/// about recovery or names anything the person wrote (the unit tests check every discreet
/// text against its `FORBIDDEN_WHEN_DISCREET` list).
mod words {
    use super::Words;
    use chrono::NaiveTime;

    /// What a discreet text never contains, compared without case and as substrings.
    #[cfg(test)]
    pub(super) const FORBIDDEN_WHEN_DISCREET: &[&str] = &[
        "sober",
        "relapse",
        "lapse",
        "craving",
        "urge",
        "drink",
        "alcohol",
        "drug",
        "use",
        "addiction",
        "recovery",
        "meeting",
        "trigger",
    ];

    const DISCREET_TITLE: &str = "Waymark";

    fn words(title: &str, body: String) -> Words {
        Words {
            title: title.to_owned(),
            body,
        }
    }

    pub(super) fn check_in(discreet: bool) -> Words {
        if discreet {
            words(DISCREET_TITLE, "A moment for today's note?".into())
        } else {
            words(
                "Check-in",
                "How are you today? Mood, craving, an intention.".into(),
            )
        }
    }

    pub(super) fn evening_review(discreet: bool) -> Words {
        if discreet {
            words(DISCREET_TITLE, "How did today go?".into())
        } else {
            words("Evening review", "How did today go?".into())
        }
    }

    /// `at` is the meeting's own time (not the reminder's).
    pub(super) fn meeting(discreet: bool, at: NaiveTime, name: Option<&str>) -> Words {
        let time = at.format("%H:%M");
        if discreet {
            return words(DISCREET_TITLE, format!("Something you planned at {time}"));
        }
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => words("Meeting", format!("Meeting at {time}: {name}")),
            None => words("Meeting", format!("Meeting at {time}")),
        }
    }

    /// `label` is the milestone's ("30 days"); `limit` tells a limit goal from abstinence.
    pub(super) fn milestone(discreet: bool, label: &str, journey: &str, limit: bool) -> Words {
        if discreet {
            words(
                DISCREET_TITLE,
                "Tomorrow marks something worth noticing".into(),
            )
        } else if limit {
            words(
                "Milestone tomorrow",
                format!("Tomorrow: {label} within your limit for {journey}"),
            )
        } else {
            words(
                "Milestone tomorrow",
                format!("Tomorrow: {label} sober from {journey}"),
            )
        }
    }

    /// `start_hour` is the riskiest window's first hour.
    pub(super) fn risky_hours(discreet: bool, start_hour: i32) -> Words {
        if discreet {
            words(DISCREET_TITLE, "A good moment to take a breath".into())
        } else {
            words(
                "A heads-up",
                format!(
                    "Your hardest hours often start around {start_hour:02}:00. Your plan is one tap away."
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::words::{self, FORBIDDEN_WHEN_DISCREET};
    use super::*;

    fn every_discreet_text() -> Vec<Words> {
        let at = NaiveTime::from_hms_opt(19, 30, 0).unwrap_or(NaiveTime::MIN);
        let mut all = vec![
            words::check_in(true),
            words::evening_review(true),
            words::meeting(true, at, None),
            words::meeting(true, at, Some("Tuesday sober drinkers meeting")),
            words::milestone(true, "30 days", "alcohol", false),
            words::milestone(true, "30 days", "drugs", true),
        ];
        all.extend((0..24).map(|h| words::risky_hours(true, h)));
        all
    }

    #[test]
    fn no_discreet_text_says_anything_about_recovery_or_names_anything() {
        for w in every_discreet_text() {
            for text in [&w.title, &w.body] {
                let lower = text.to_lowercase();
                for word in FORBIDDEN_WHEN_DISCREET {
                    assert!(!lower.contains(word), "a discreet text contains {word:?}");
                }
                for name in ["alcohol", "drugs", "tuesday", "drinkers"] {
                    assert!(!lower.contains(name), "a discreet text names something");
                }
            }
            assert_eq!(w.title, "Waymark");
        }
    }

    #[test]
    fn plain_texts_say_what_they_are_for() {
        let at = NaiveTime::from_hms_opt(19, 30, 0).unwrap_or(NaiveTime::MIN);
        assert_eq!(
            words::meeting(false, at, Some(" Harbour group ")).body,
            "Meeting at 19:30: Harbour group"
        );
        assert_eq!(
            words::meeting(false, at, Some("  ")).body,
            "Meeting at 19:30"
        );
        assert_eq!(
            words::milestone(false, "30 days", "alcohol", false).body,
            "Tomorrow: 30 days sober from alcohol"
        );
        assert_eq!(
            words::risky_hours(false, 7).body,
            "Your hardest hours often start around 07:00. Your plan is one tap away."
        );
    }

    #[test]
    fn quiet_hours_wrap_midnight_and_move_to_their_end() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        let day = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap_or(NaiveDate::MIN);
        let next = NaiveDate::from_ymd_opt(2026, 6, 11).unwrap_or(NaiveDate::MIN);
        let wrap = Quiet {
            from: t(22, 0),
            until: t(7, 0),
        };
        assert!(wrap.contains(t(22, 0)) && wrap.contains(t(23, 59)) && wrap.contains(t(6, 59)));
        assert!(!wrap.contains(t(7, 0)) && !wrap.contains(t(21, 59)));
        assert_eq!(
            wrap.end_of_period(day.and_time(t(6, 30))),
            Some(day.and_time(t(7, 0)))
        );
        assert_eq!(
            wrap.end_of_period(day.and_time(t(23, 0))),
            Some(next.and_time(t(7, 0)))
        );
        assert_eq!(wrap.end_of_period(day.and_time(t(12, 0))), None);
        let afternoon = Quiet {
            from: t(13, 0),
            until: t(15, 0),
        };
        assert!(afternoon.contains(t(14, 0)) && !afternoon.contains(t(23, 0)));
        assert_eq!(
            afternoon.end_of_period(day.and_time(t(13, 0))),
            Some(day.and_time(t(15, 0)))
        );
    }

    #[test]
    fn a_time_before_the_day_start_falls_on_the_next_date() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap_or(NaiveDate::MIN);
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        assert_eq!(on_recovery_day(day, t(9), 4), Some(day.and_time(t(9))));
        assert_eq!(
            on_recovery_day(day, t(2), 4).map(|l| l.date()),
            day.checked_add_days(Days::new(1))
        );
        assert_eq!(on_recovery_day(day, t(0), 0), Some(day.and_time(t(0))));
    }

    /// Triggers logged in UTC at the given hours, one a day going back from `now`.
    fn triggers_at(hours: &[u32], now: DateTime<Utc>) -> Vec<TriggerEvent> {
        hours
            .iter()
            .zip(1i64..)
            .map(|(&h, n)| {
                let day = (now - Duration::days(n)).date_naive();
                let at = day
                    .and_time(NaiveTime::from_hms_opt(h, 10, 0).unwrap_or(NaiveTime::MIN))
                    .and_utc();
                TriggerEvent {
                    id: crate::record::RecordId::from_bytes([0; 16]),
                    at,
                    time_zone: "UTC".into(),
                    journey_id: None,
                    category: super::super::triggers::TriggerCategory::Emotions,
                    tags: Vec::new(),
                    intensity: 5,
                    situation: None,
                    card_id: None,
                    outcome: None,
                    urge_minutes: None,
                }
            })
            .collect()
    }

    #[test]
    fn the_riskiest_window_needs_enough_triggers_and_a_real_share_of_them() {
        let now = DateTime::UNIX_EPOCH + Duration::days(20_000);
        let window = |hours: &[u32]| riskiest_window(&triggers_at(hours, now), now);
        // Nine is too few, ten is enough.
        assert_eq!(window(&[22; 9]), None);
        assert_eq!(
            window(&[22; 10]),
            Some(RiskyWindow {
                start_hour: 22,
                triggers_in_window: 10,
                triggers_total: 10,
            })
        );
        // The window wraps midnight.
        let late = [23, 0, 23, 0, 23, 0, 5, 9, 13, 17];
        assert_eq!(window(&late).map(|w| w.start_hour), Some(23));
        // Three of twelve is a quarter: enough. Three of thirteen is not.
        let mut quarter = vec![20, 21, 20];
        quarter.extend([0, 2, 4, 6, 8, 10, 12, 14, 16]);
        assert_eq!(window(&quarter).map(|w| w.triggers_in_window), Some(3));
        quarter.push(18);
        assert_eq!(window(&quarter), None);
        // Two in the busiest window is never enough.
        assert_eq!(window(&[0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21]), None);
        // Ties go to the busier first hour, then the earliest.
        assert_eq!(
            window(&[3, 3, 3, 4, 4, 4, 4, 4, 4, 4]).map(|w| w.start_hour),
            Some(3)
        );
        assert_eq!(window(&[4; 10]).map(|w| w.start_hour), Some(4));
        // Only the last 60 days count, and nothing after now.
        let mut old = triggers_at(&[22; 10], now);
        for t in &mut old {
            t.at -= Duration::days(60);
        }
        assert_eq!(riskiest_window(&old, now), None);
        let future = triggers_at(&[22; 10], now + Duration::days(11));
        assert_eq!(riskiest_window(&future, now), None);
    }

    #[test]
    fn extreme_instants_and_days_never_panic() {
        let journey = super::super::journey::Journey {
            id: crate::record::RecordId::from_bytes([1; 16]),
            name: "x".into(),
            sober_since: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or(NaiveDate::MIN),
            sober_since_time: None,
            time_zone: "Europe/Berlin".into(),
            daily_cost_cents: None,
            daily_minutes: None,
            custom_milestone_days: vec![i32::MAX],
            archived: false,
            limit: None,
            earlier_limits: Vec::new(),
        };
        let mut s = Snapshot::default();
        s.journeys.push(journey);
        s.triggers = triggers_at(&[22; 12], DateTime::UNIX_EPOCH);
        s.settings = Some(super::super::settings::Settings {
            time_zone: "Pacific/Kiritimati".into(),
            day_starts_at: 23,
            ..Default::default()
        });
        let prefs = ReminderPrefs {
            risky_hours: true,
            meetings: vec![RegularMeeting {
                weekday: Weekday::Mon,
                at: NaiveTime::MIN,
                name: None,
            }],
            meeting_lead_minutes: 720,
            ..ReminderPrefs::default()
        };
        for now in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            DateTime::UNIX_EPOCH,
        ] {
            for days in [i32::MIN, -1, 0, 1, 14, i32::MAX] {
                let _ = schedule(&s, &prefs, now, days);
            }
            assert_eq!(riskiest_window(&[], now), None);
        }
    }
}
