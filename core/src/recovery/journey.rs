//! Journeys (what a person is recovering from), lapses, and the attempts derived from them.
//!
//! A journey starts on a local date (and optional time) in the time zone it began in. Each
//! lapse or relapse ends the attempt running at that date and starts a new one on its
//! `sober_again_from` date (by default the next day). Attempts are never stored: they are
//! derived from the journey and its lapses, so backdating, editing or undoing a lapse can
//! never leave history inconsistent, and nothing ever erases an earlier attempt.

use super::clock::{parse_zone, start_instant, Zone};
use super::limits::Limit;
use super::validate;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// Something a person is recovering from, and when they began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Journey {
    /// The journey's id.
    pub id: RecordId,
    /// What it is: "alcohol", "gambling", "self-harm", anything the person names.
    pub name: String,
    /// The local date the first attempt began.
    pub sober_since: NaiveDate,
    /// The local time it began, if the person gave one.
    pub sober_since_time: Option<NaiveTime>,
    /// The IANA time zone it began in.
    pub time_zone: String,
    /// What the habit cost per day, in cents of the person's currency.
    pub daily_cost_cents: Option<i64>,
    /// Minutes per day the habit took.
    pub daily_minutes: Option<i32>,
    /// The person's own milestones, in days (7, 14, 100...).
    pub custom_milestone_days: Vec<i32>,
    /// Archived journeys stay in history but leave the daily views.
    pub archived: bool,
    /// A limit goal ("at most 2 drinks a day") instead of abstinence; `None` for an
    /// abstinence journey. See [`super::limits`].
    #[serde(default)]
    pub limit: Option<Limit>,
    /// The limits it had before the current one, each with the last day it applied, oldest
    /// first: a changed goal applies from the day it changed, never to the days before.
    #[serde(default)]
    pub earlier_limits: Vec<EarlierLimit>,
}

/// A limit a journey had until a day (see [`Journey::earlier_limits`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EarlierLimit {
    /// The last day it applied.
    pub until: NaiveDate,
    /// The limit.
    pub limit: Limit,
}

/// What a person gives to start or edit a journey.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyInput {
    /// What it is.
    pub name: String,
    /// The local date the first attempt began.
    pub sober_since: NaiveDate,
    /// The local time, if known.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sober_since_time: Option<NaiveTime>,
    /// The IANA time zone it began in.
    pub time_zone: String,
    /// Cost per day in cents.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub daily_cost_cents: Option<i64>,
    /// Minutes per day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub daily_minutes: Option<i32>,
    /// The person's own milestones, in days.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom_milestone_days: Vec<i32>,
    /// A limit goal instead of abstinence (`None`: abstinence).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<Limit>,
}

impl JourneyInput {
    /// Checks every field; a start in the future (relative to `now`) is refused.
    pub(crate) fn validate(&self, now: DateTime<Utc>) -> Result<()> {
        validate::required_text("name", &self.name, validate::SHORT_TEXT)?;
        let zone = parse_zone("time_zone", &self.time_zone)?;
        if start_instant(self.sober_since, None, &zone) > now {
            return Err(Error::invalid("sober_since", "must not be in the future"));
        }
        if start_instant(self.sober_since, self.sober_since_time, &zone) > now {
            return Err(Error::invalid(
                "sober_since_time",
                "must not be later than now on a start day that is today",
            ));
        }
        if self.sober_since.year() < 1900 {
            return Err(Error::invalid("sober_since", "must be in 1900 or later"));
        }
        if let Some(cost) = self.daily_cost_cents {
            validate::in_range("daily_cost_cents", cost, 0, 100_000_000)?;
        }
        if let Some(minutes) = self.daily_minutes {
            validate::in_range("daily_minutes", minutes, 0, 1_440)?;
        }
        if self.custom_milestone_days.len() > validate::MAX_LIST {
            return Err(Error::invalid(
                "custom_milestone_days",
                "must have at most 20 items",
            ));
        }
        for days in &self.custom_milestone_days {
            validate::in_range("custom_milestone_days", *days, 1, 36_500)?;
        }
        if let Some(limit) = &self.limit {
            limit.validate()?;
        }
        Ok(())
    }

    pub(crate) fn into_journey(self, id: RecordId) -> Journey {
        let mut custom = self.custom_milestone_days;
        custom.sort_unstable();
        custom.dedup();
        Journey {
            id,
            name: self.name,
            sober_since: self.sober_since,
            sober_since_time: self.sober_since_time,
            time_zone: self.time_zone,
            daily_cost_cents: self.daily_cost_cents,
            daily_minutes: self.daily_minutes,
            custom_milestone_days: custom,
            archived: false,
            limit: self.limit,
            earlier_limits: Vec::new(),
        }
    }
}

/// An optional field of a journey that a [`JourneyPatch`] can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum JourneyField {
    /// The time of day it began.
    SoberSinceTime,
    /// The daily cost.
    DailyCost,
    /// The minutes per day.
    DailyMinutes,
    /// The person's own milestones.
    CustomMilestones,
    /// The limit goal (the journey becomes an abstinence journey).
    Limit,
}

/// A change to a journey: every field given replaces the stored one, every field left
/// `None` keeps it, and the fields named in `clear` are emptied. Editing never moves a
/// journey to the person's current zone unless `time_zone` says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyPatch {
    /// A new name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// A new first sober day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sober_since: Option<NaiveDate>,
    /// A new time of day it began.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sober_since_time: Option<NaiveTime>,
    /// A new zone it began in.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub time_zone: Option<String>,
    /// A new daily cost, in minor units of the person's currency.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub daily_cost_cents: Option<i64>,
    /// New minutes per day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub daily_minutes: Option<i32>,
    /// New milestones of the person's own (replacing all of them).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom_milestone_days: Option<Vec<i32>>,
    /// A new limit goal.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<Limit>,
    /// Optional fields to empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clear: Vec<JourneyField>,
}

impl JourneyPatch {
    /// The journey's fields with this patch applied, ready to validate.
    pub(crate) fn apply(self, journey: &Journey) -> JourneyInput {
        let cleared = |field| self.clear.contains(&field);
        JourneyInput {
            name: self.name.unwrap_or_else(|| journey.name.clone()),
            sober_since: self.sober_since.unwrap_or(journey.sober_since),
            sober_since_time: if cleared(JourneyField::SoberSinceTime) {
                None
            } else {
                self.sober_since_time.or(journey.sober_since_time)
            },
            time_zone: self.time_zone.unwrap_or_else(|| journey.time_zone.clone()),
            daily_cost_cents: if cleared(JourneyField::DailyCost) {
                None
            } else {
                self.daily_cost_cents.or(journey.daily_cost_cents)
            },
            daily_minutes: if cleared(JourneyField::DailyMinutes) {
                None
            } else {
                self.daily_minutes.or(journey.daily_minutes)
            },
            custom_milestone_days: if cleared(JourneyField::CustomMilestones) {
                Vec::new()
            } else {
                self.custom_milestone_days
                    .unwrap_or_else(|| journey.custom_milestone_days.clone())
            },
            limit: if cleared(JourneyField::Limit) {
                None
            } else {
                self.limit.or_else(|| journey.limit.clone())
            },
        }
    }
}

/// A slip (a lapse) or a return to the old pattern (a relapse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LapseKind {
    /// A slip: a single use or episode.
    Lapse,
    /// A return to the old pattern.
    Relapse,
    /// A day over a limit goal's limit (derived from logged amounts by
    /// [`super::limits::over_days`]; never recorded as a lapse).
    OverLimit,
}

impl LapseKind {
    /// How a day of this kind shows in calendars.
    pub fn day_status(self) -> DayStatus {
        match self {
            LapseKind::Lapse => DayStatus::Lapse,
            LapseKind::Relapse => DayStatus::Relapse,
            LapseKind::OverLimit => DayStatus::OverLimit,
        }
    }
}

/// A recorded lapse or relapse. It ends the attempt running on `date`; the next attempt
/// starts on `sober_again_from`, at midnight in the zone the person was in when they recorded
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Lapse {
    /// The lapse's id.
    pub id: RecordId,
    /// The journey it belongs to.
    pub journey_id: RecordId,
    /// Lapse or relapse.
    pub kind: LapseKind,
    /// The local date it happened.
    pub date: NaiveDate,
    /// The local time, if the person gave one.
    pub time: Option<NaiveTime>,
    /// The local date the next attempt starts (the day after `date` unless the person says).
    pub sober_again_from: NaiveDate,
    /// What the person wants to remember about it.
    pub note: Option<String>,
    /// The trigger event that led to it, if logged.
    pub trigger_id: Option<RecordId>,
    /// The IANA zone the person was in when it was recorded: the next attempt starts at
    /// midnight of `sober_again_from` there. `None` on lapses recorded before Waymark kept it
    /// (the journey's zone is used).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// What a person gives to record a lapse.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LapseInput {
    /// The journey.
    pub journey_id: RecordId,
    /// Lapse or relapse.
    pub kind: LapseKind,
    /// The local date it happened (today, or earlier to backdate).
    pub date: NaiveDate,
    /// The local time, if known.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub time: Option<NaiveTime>,
    /// When the next attempt starts; `None` means the day after `date`.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sober_again_from: Option<NaiveDate>,
    /// A note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// The trigger that led to it.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub trigger_id: Option<RecordId>,
}

/// An optional field of a lapse that a [`LapsePatch`] can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LapseField {
    /// The time of day.
    Time,
    /// A later fresh start: the next attempt starts the day after again.
    SoberAgainFrom,
    /// The note.
    Note,
    /// The linked trigger.
    Trigger,
}

/// A change to a lapse: fields given replace, `None` keeps, `clear` empties. When the date
/// moves and the next attempt started the day after, it still starts the day after the new
/// date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LapsePatch {
    /// Lapse or relapse.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kind: Option<LapseKind>,
    /// A new date.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub date: Option<NaiveDate>,
    /// A new time of day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub time: Option<NaiveTime>,
    /// A new first day of the next attempt.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sober_again_from: Option<NaiveDate>,
    /// A new note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// A trigger to link.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub trigger_id: Option<RecordId>,
    /// Optional fields to empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clear: Vec<LapseField>,
}

impl LapsePatch {
    /// The lapse's fields with this patch applied, ready to validate.
    pub(crate) fn apply(self, lapse: &Lapse) -> LapseInput {
        let cleared = |field| self.clear.contains(&field);
        let date = self.date.unwrap_or(lapse.date);
        let was_default = lapse.date.succ_opt() == Some(lapse.sober_again_from);
        // A relapse made a single slip starts again the day after, unless told otherwise.
        let now_a_slip = self.kind == Some(LapseKind::Lapse) && lapse.kind == LapseKind::Relapse;
        let sober_again_from = if cleared(LapseField::SoberAgainFrom)
            || (now_a_slip && self.sober_again_from.is_none())
        {
            None
        } else if self.sober_again_from.is_some() {
            self.sober_again_from
        } else if was_default {
            None
        } else {
            Some(lapse.sober_again_from)
        };
        LapseInput {
            journey_id: lapse.journey_id,
            kind: self.kind.unwrap_or(lapse.kind),
            date,
            time: if cleared(LapseField::Time) {
                None
            } else {
                self.time.or(lapse.time)
            },
            sober_again_from,
            note: if cleared(LapseField::Note) {
                None
            } else {
                self.note.or_else(|| lapse.note.clone())
            },
            trigger_id: if cleared(LapseField::Trigger) {
                None
            } else {
                self.trigger_id.or(lapse.trigger_id)
            },
        }
    }
}

/// One attempt: a run of sober days from a start to the lapse that ended it (or to now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Attempt {
    /// 1 for the first attempt, counting up.
    pub number: i32,
    /// The local date it started.
    pub start: NaiveDate,
    /// The local time it started, if known.
    pub start_time: Option<NaiveTime>,
    /// The local date of the lapse that ended it; `None` for the current attempt.
    pub end: Option<NaiveDate>,
    /// The lapse that ended it.
    pub ended_by: Option<RecordId>,
    /// Sober days in it: completed local days from start to end (or to today).
    pub sober_days: i32,
    /// The IANA zone its start moment is read in: the journey's for the first attempt, the
    /// zone the lapse before it was recorded in for later ones.
    pub start_zone: String,
    /// The exact moment it began: its start date at its start time, or at the hour the
    /// person's day starts when no time was given, in its start zone.
    pub start_instant: DateTime<Utc>,
    /// True for a current attempt whose start moment has not come yet (a lapse recorded
    /// today starts the next attempt at midnight): nothing is counted in it yet. Set by the
    /// counter, which knows the instant.
    pub pending: bool,
}

/// What one calendar day was for a journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DayStatus {
    /// Before the journey began.
    BeforeStart,
    /// A completed sober day.
    Sober,
    /// Today, sober so far.
    Today,
    /// The day of a lapse (a single slip).
    Lapse,
    /// A day of a relapse: from its date until the day before sober again.
    Relapse,
    /// A day over a limit goal's limit. On a limit journey, `Sober` and `Today` mean
    /// within the limit.
    OverLimit,
    /// After today.
    Future,
}

/// The attempts of `journey` given its lapses (in any order), as of the recovery day `today`,
/// for a person whose day starts at `day_starts_at` o'clock (an attempt without a start time
/// begins at that hour).
pub fn attempts(
    journey: &Journey,
    lapses: &[Lapse],
    today: NaiveDate,
    day_starts_at: i32,
) -> Vec<Attempt> {
    let mut mine: Vec<&Lapse> = lapses
        .iter()
        .filter(|l| l.journey_id == journey.id)
        .collect();
    mine.sort_by_key(|l| (l.date, l.time));
    let day_start = NaiveTime::from_hms_opt(day_starts_at.clamp(0, 23).unsigned_abs(), 0, 0);
    let moment = |date: NaiveDate, time: Option<NaiveTime>, zone: &str| {
        start_instant(date, time.or(day_start), &Zone::named_or_utc(zone))
    };
    let mut out = Vec::with_capacity(mine.len() + 1);
    let mut start = journey.sober_since;
    let mut start_time = journey.sober_since_time;
    let mut start_zone = journey.time_zone.clone();
    for lapse in mine {
        out.push(Attempt {
            number: super::counts::of_len(out.len()).saturating_add(1),
            start,
            start_time,
            end: Some(lapse.date),
            ended_by: Some(lapse.id),
            sober_days: days_between(start, lapse.date.min(today)),
            pending: false,
            start_instant: moment(start, start_time, &start_zone),
            start_zone,
        });
        start = lapse.sober_again_from;
        start_time = None;
        start_zone = lapse
            .time_zone
            .clone()
            .unwrap_or_else(|| journey.time_zone.clone());
    }
    out.push(Attempt {
        number: super::counts::of_len(out.len()).saturating_add(1),
        start,
        start_time,
        end: None,
        ended_by: None,
        sober_days: days_between(start, today),
        pending: false,
        start_instant: moment(start, start_time, &start_zone),
        start_zone,
    });
    out
}

/// What `day` was for a journey with these `lapses` and `attempts`, as of `today`: the one
/// rule the calendars, the review and the report share.
pub fn day_status(
    attempts: &[Attempt],
    lapses: &[Lapse],
    day: NaiveDate,
    today: NaiveDate,
) -> DayStatus {
    if day > today {
        return DayStatus::Future;
    }
    for attempt in attempts {
        if attempt.end == Some(day) {
            let kind = attempt
                .ended_by
                .and_then(|id| lapses.iter().find(|l| l.id == id))
                .map_or(LapseKind::Lapse, |l| l.kind);
            return kind.day_status();
        }
    }
    if attempts
        .iter()
        .any(|a| a.start <= day && a.end.is_none_or(|end| day < end))
    {
        return if day == today {
            DayStatus::Today
        } else {
            DayStatus::Sober
        };
    }
    // Between a lapse and the next attempt's start: the rest of a relapse (or of a slip
    // whose person chose a later fresh start).
    let gap = attempts
        .windows(2)
        .find(|pair| pair[0].end.is_some_and(|end| end < day) && day < pair[1].start);
    if let Some(pair) = gap {
        let kind = pair[0]
            .ended_by
            .and_then(|id| lapses.iter().find(|l| l.id == id))
            .map_or(LapseKind::Relapse, |l| l.kind);
        return kind.day_status();
    }
    DayStatus::BeforeStart
}

/// Whole days from `start` to `end`, never negative.
pub(crate) fn days_between(start: NaiveDate, end: NaiveDate) -> i32 {
    super::counts::of_span((end - start).num_days())
}

/// Checks a lapse against its journey and the journey's other lapses.
pub(crate) fn validate_lapse(
    input: &LapseInput,
    journey: &Journey,
    others: &[Lapse],
    today: NaiveDate,
) -> Result<NaiveDate> {
    if input.kind == LapseKind::OverLimit {
        return Err(Error::invalid(
            "kind",
            "days over a limit come from the amounts logged: change those instead",
        ));
    }
    validate::optional_text("note", input.note.as_deref(), validate::NOTE_TEXT)?;
    if input.date < journey.sober_since {
        return Err(Error::invalid(
            "date",
            "must not be before the journey began",
        ));
    }
    if input.date > today {
        return Err(Error::invalid("date", "must not be in the future"));
    }
    let again = input
        .sober_again_from
        .unwrap_or_else(|| input.date.succ_opt().unwrap_or(input.date));
    if again < input.date {
        return Err(Error::invalid(
            "sober_again_from",
            "must not be before the lapse",
        ));
    }
    if again > today.succ_opt().unwrap_or(today) {
        return Err(Error::invalid(
            "sober_again_from",
            "must not be later than tomorrow",
        ));
    }
    for other in others.iter().filter(|l| l.journey_id == journey.id) {
        let overlaps = input.date < other.sober_again_from && other.date < again;
        let same_day = input.date == other.date;
        if overlaps || same_day {
            return Err(Error::OverlapsLapse {
                id: other.id.to_string(),
            });
        }
    }
    Ok(again)
}
