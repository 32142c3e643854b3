//! The progress review: plain data for a week, a month, a year or all time that a shell can
//! chart and a person can take to their therapist.
//!
//! A pure function of a [`Snapshot`], the instant and the person's settings. Ranges end today
//! (the person's recovery day) and include it: a week is the last 7 days, a month the last 30,
//! a year the last 365; all time starts at the earliest thing recorded, of any kind. Counters,
//! streaks and the current attempt's milestones are as of today whatever the range; counts
//! and series cover the range.
//!
//! Every logged item (trigger, outreach, card use) counts on its *recovery day*: the
//! person's day-start hour applied in the zone it was logged in
//! ([`super::clock::DayReckoner`]), exactly as check-ins do. Nothing resets history: the
//! milestones reached in the range come from every attempt, each labelled with its attempt,
//! and a relapse shows with its days.

use super::cards::{self, CardStats};
use super::check_in::{streak, CheckInStreak};
use super::clock::DayReckoner;
use super::counter::{count, SoberCounter};
use super::journey::{Journey, Lapse, LapseKind};
use super::limits::{self, LimitProgress};
use super::milestones::{progress, reached_in_every_attempt, Milestone, MilestoneProgress};
use super::reflection::Reflection;
use super::settings::Settings;
use super::snapshot::Snapshot;
use super::support::{ninety_in_ninety, ContactRole, MeetingKind, NinetyInNinety};
use super::triggers::{TriggerCategory, UrgeOutcome};
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Which stretch of time a review covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReviewRange {
    /// The last 7 days, today included.
    Week,
    /// The last 30 days.
    Month,
    /// The last 365 days.
    Year,
    /// Everything since the earliest record.
    AllTime,
    /// From one local date to another, both included.
    Between {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
}

/// One day of the mood and craving series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DayPoint {
    /// The day.
    pub date: NaiveDate,
    /// That day's mood (1-5), if checked in.
    pub mood: Option<i32>,
    /// That day's craving (0-10), if checked in.
    pub craving: Option<i32>,
    /// Mean mood over the 7 days ending here (days with a check-in only).
    pub mood_avg_7: Option<f64>,
    /// Mean craving over the 7 days ending here.
    pub craving_avg_7: Option<f64>,
}

/// A count for one trigger category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CategoryCount {
    /// The category.
    pub category: TriggerCategory,
    /// Triggers logged in it.
    pub count: i32,
}

/// A count for one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TagCount {
    /// The tag, as the person wrote it (first spelling seen).
    pub tag: String,
    /// How often it appeared.
    pub count: i32,
}

/// The trigger log, summarized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TriggerSummary {
    /// Triggers logged in the range.
    pub total: i32,
    /// Counts for every category, in [`TriggerCategory::ALL`] order.
    pub by_category: Vec<CategoryCount>,
    /// Counts by local hour of day, index 0 = midnight to 1 am.
    pub by_hour: Vec<i32>,
    /// Counts by weekday, index 0 = Monday.
    pub by_weekday: Vec<i32>,
    /// The ten most frequent tags.
    pub top_tags: Vec<TagCount>,
    /// Mean intensity (0-10).
    pub mean_intensity: Option<f64>,
    /// Urges that passed.
    pub passed: i32,
    /// Urges still being struggled with when logged.
    pub still_struggling: i32,
    /// Urges that ended in a lapse.
    pub lapsed: i32,
    /// Mean minutes an urge lasted, where given.
    pub mean_urge_minutes: Option<f64>,
}

/// One journey in the review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyReview {
    /// The journey.
    pub journey: Journey,
    /// The counter as of today.
    pub counter: SoberCounter,
    /// Milestones of the current attempt: reached and next.
    pub milestones: Option<MilestoneProgress>,
    /// Milestones reached inside the range, from every attempt (each says which), oldest
    /// first.
    pub milestones_reached_in_range: Vec<Milestone>,
    /// The journey's lapses and relapses (all of them, oldest first), for calendars.
    pub lapses: Vec<Lapse>,
    /// Sober days inside the range.
    pub sober_days_in_range: i32,
    /// Money not spent inside the range, in cents.
    pub money_saved_cents_in_range: i64,
    /// Minutes regained inside the range.
    pub minutes_saved_in_range: i64,
    /// For a limit goal: days within the limit, abstinent days, weekly totals (for a
    /// limit journey, "sober days" above are days within the limit).
    pub limit: Option<LimitProgress>,
}

/// A lapse in the range with what was learned from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LapseReview {
    /// The lapse.
    pub lapse: Lapse,
    /// The name of its journey.
    pub journey_name: String,
    /// Days it covered: 1 for a slip, from its date to the day before sober again for a
    /// relapse.
    pub days: i32,
    /// Its reflections (drafts included).
    pub reflections: Vec<Reflection>,
}

/// Check-ins in the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckInSummary {
    /// Check-ins in the range.
    pub count: i32,
    /// Days in the range.
    pub days: i32,
    /// The first check-in ever, if any.
    pub first_check_in: Option<NaiveDate>,
    /// Days in the range from the first check-in on: the days a check-in was possible.
    pub possible_days: i32,
    /// Streak and missed days as of today.
    pub streak: CheckInStreak,
    /// Mean mood in the range.
    pub mean_mood: Option<f64>,
    /// Mean craving in the range.
    pub mean_craving: Option<f64>,
}

/// A count for one meeting kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingKindCount {
    /// The kind.
    pub kind: MeetingKind,
    /// Meetings of that kind.
    pub count: i32,
}

/// A count for one contact role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoleCount {
    /// The role.
    pub role: ContactRole,
    /// Times reached out to someone in it.
    pub count: i32,
}

/// Community and support in the range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupportSummary {
    /// Meetings in the range.
    pub meetings: i32,
    /// Meetings by kind (kinds with none left out).
    pub meetings_by_kind: Vec<MeetingKindCount>,
    /// "90 in 90" as of today.
    pub ninety_in_ninety: NinetyInNinety,
    /// Times the person reached out.
    pub outreach: i32,
    /// Outreach by the contact's role.
    pub outreach_by_role: Vec<RoleCount>,
    /// Outreach the person marked as helpful.
    pub outreach_helped: i32,
}

/// The whole review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgressReview {
    /// The range asked for.
    pub range: ReviewRange,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day (today, unless a later end was asked for).
    pub to: NaiveDate,
    /// Today, the person's recovery day.
    pub today: NaiveDate,
    /// Every journey not archived, with its counter and milestones.
    pub journeys: Vec<JourneyReview>,
    /// Check-ins.
    pub check_ins: CheckInSummary,
    /// Mood and craving, one point per day of the range.
    pub mood_series: Vec<DayPoint>,
    /// The trigger log.
    pub triggers: TriggerSummary,
    /// Cards used in the range, most helpful first (at most ten).
    pub most_helpful_cards: Vec<CardStats>,
    /// Lapses in the range with their reflections.
    pub lapses: Vec<LapseReview>,
    /// Meetings and outreach.
    pub support: SupportSummary,
    /// Money not spent in the range over every journey, in cents.
    pub money_saved_cents_in_range: i64,
    /// Minutes regained in the range over every journey.
    pub minutes_saved_in_range: i64,
    /// Records that could not be read (they are left out of every figure).
    pub damaged_records: i32,
}

/// The earliest recovery day among items sorted by instant: only those within two days of
/// the first can be earlier than it (no zone is more than a day from another).
fn earliest_logged<T>(
    items: &[T],
    reckoner: &DayReckoner,
    at: impl Fn(&T) -> (DateTime<Utc>, Option<&str>),
) -> Option<NaiveDate> {
    let first = at(items.first()?).0;
    let horizon = first + chrono::Duration::days(2);
    items
        .iter()
        .map(&at)
        .take_while(|(instant, _)| *instant <= horizon)
        .map(|(instant, zone)| reckoner.day_of(instant, zone))
        .min()
}

/// The earliest recovery day anything was recorded on, of any kind (or `today`).
fn earliest(snapshot: &Snapshot, reckoner: &DayReckoner, today: NaiveDate) -> NaiveDate {
    let dates = snapshot
        .journeys
        .iter()
        .map(|j| j.sober_since)
        .chain(snapshot.lapses.iter().map(|l| l.date))
        .chain(snapshot.check_ins.first().map(|c| c.date))
        .chain(earliest_logged(&snapshot.triggers, reckoner, |t| {
            (t.at, Some(t.time_zone.as_str()))
        }))
        .chain(earliest_logged(&snapshot.outreach, reckoner, |o| {
            (o.at, o.time_zone.as_deref())
        }))
        .chain(earliest_logged(&snapshot.card_uses, reckoner, |u| {
            (u.at, u.time_zone.as_deref())
        }))
        .chain(earliest_logged(&snapshot.reflections, reckoner, |r| {
            (r.created_at, None)
        }))
        .chain(snapshot.entries.first().map(|e| e.date))
        .chain(snapshot.meetings.first().map(|m| m.date));
    dates.min().unwrap_or(today).min(today)
}

/// The dates a range covers as of `today`.
pub fn range_dates(
    range: ReviewRange,
    snapshot: &Snapshot,
    reckoner: &DayReckoner,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let back = |days: u64| {
        today
            .checked_sub_days(chrono::Days::new(days - 1))
            .unwrap_or(NaiveDate::MIN)
    };
    Ok(match range {
        ReviewRange::Week => (back(7), today),
        ReviewRange::Month => (back(30), today),
        ReviewRange::Year => (back(365), today),
        ReviewRange::AllTime => (earliest(snapshot, reckoner, today), today),
        ReviewRange::Between { from, to } => {
            if from > to {
                return Err(Error::invalid("range", "from must not be after to"));
            }
            if (to - from).num_days() > 36_600 {
                return Err(Error::invalid("range", "must span at most 100 years"));
            }
            (from, to)
        }
    })
}

fn mean(sum: f64, n: i32) -> Option<f64> {
    (n > 0).then(|| sum / f64::from(n))
}

pub(crate) fn mood_series(snapshot: &Snapshot, from: NaiveDate, to: NaiveDate) -> Vec<DayPoint> {
    let lead = from.checked_sub_days(chrono::Days::new(6)).unwrap_or(from);
    let span = usize::try_from((to - lead).num_days() + 1).unwrap_or(0);
    let mut days: Vec<Option<(i32, i32)>> = vec![None; span];
    for c in &snapshot.check_ins {
        if c.date >= lead && c.date <= to {
            if let Ok(i) = usize::try_from((c.date - lead).num_days()) {
                days[i] = Some((c.mood, c.craving));
            }
        }
    }
    let (mut mood_sum, mut craving_sum, mut n) = (0i32, 0i32, 0i32);
    let mut out = Vec::with_capacity(span.saturating_sub(6));
    for i in 0..span {
        if let Some((m, c)) = days[i] {
            mood_sum += m;
            craving_sum += c;
            n += 1;
        }
        if i >= 7 {
            if let Some((m, c)) = days[i - 7] {
                mood_sum -= m;
                craving_sum -= c;
                n -= 1;
            }
        }
        if date_at(lead, i) >= from {
            out.push(DayPoint {
                date: date_at(lead, i),
                mood: days[i].map(|d| d.0),
                craving: days[i].map(|d| d.1),
                mood_avg_7: mean(f64::from(mood_sum), n),
                craving_avg_7: mean(f64::from(craving_sum), n),
            });
        }
    }
    out
}

/// The day `i` days after `lead`.
fn date_at(lead: NaiveDate, i: usize) -> NaiveDate {
    lead.checked_add_days(chrono::Days::new(i as u64))
        .unwrap_or(NaiveDate::MAX)
}

fn trigger_summary(
    snapshot: &Snapshot,
    reckoner: &DayReckoner,
    from: NaiveDate,
    to: NaiveDate,
) -> TriggerSummary {
    let mut by_category: HashMap<TriggerCategory, i32> = HashMap::new();
    let mut by_hour = vec![0i32; 24];
    let mut by_weekday = vec![0i32; 7];
    let mut tags: HashMap<String, (String, i32)> = HashMap::new();
    let (mut total, mut intensity, mut passed, mut struggling, mut lapsed) = (0i32, 0i32, 0, 0, 0);
    let (mut minutes, mut with_minutes) = (0i64, 0i32);
    for t in &snapshot.triggers {
        let (local, day) = reckoner.local_and_day(t.at, Some(&t.time_zone));
        if day < from || day > to {
            continue;
        }
        total += 1;
        *by_category.entry(t.category).or_default() += 1;
        by_hour[local.hour() as usize] += 1;
        by_weekday[day.weekday().num_days_from_monday() as usize] += 1;
        intensity += t.intensity;
        match t.outcome {
            Some(UrgeOutcome::Passed) => passed += 1,
            Some(UrgeOutcome::StillStruggling) => struggling += 1,
            Some(UrgeOutcome::Lapsed) => lapsed += 1,
            None => {}
        }
        if let Some(m) = t.urge_minutes {
            minutes += i64::from(m);
            with_minutes += 1;
        }
        for tag in &t.tags {
            // Most tags are already lower case: count them without a new string.
            if let Some(entry) = tags.get_mut(tag.as_str()) {
                entry.1 += 1;
                continue;
            }
            let entry = tags
                .entry(tag.to_lowercase())
                .or_insert_with(|| (tag.clone(), 0));
            entry.1 += 1;
        }
    }
    let mut top_tags: Vec<TagCount> = tags
        .into_values()
        .map(|(tag, count)| TagCount { tag, count })
        .collect();
    top_tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.tag.cmp(&b.tag)));
    top_tags.truncate(10);
    TriggerSummary {
        total,
        by_category: TriggerCategory::ALL
            .iter()
            .map(|c| CategoryCount {
                category: *c,
                count: by_category.get(c).copied().unwrap_or(0),
            })
            .collect(),
        by_hour,
        by_weekday,
        top_tags,
        mean_intensity: mean(f64::from(intensity), total),
        passed,
        still_struggling: struggling,
        lapsed,
        mean_urge_minutes: mean(minutes as f64, with_minutes),
    }
}

fn journey_review(
    snapshot: &Snapshot,
    journey: &Journey,
    now: DateTime<Utc>,
    settings: &Settings,
    from: NaiveDate,
    to: NaiveDate,
) -> JourneyReview {
    let zone = settings.zone();
    let counter = count(
        journey,
        &snapshot.lapses,
        now,
        &zone,
        settings.day_starts_at,
    );
    let acks = snapshot
        .milestone_acks
        .iter()
        .find(|a| a.journey_id == journey.id);
    let attempt_start = counter.attempts.last().map(|a| a.start);
    let milestones = progress(journey, &counter, now, |key| match (acks, attempt_start) {
        (Some(a), Some(start)) => a.contains(start, key),
        _ => false,
    });
    let milestones_reached_in_range =
        reached_in_every_attempt(journey, &counter, &snapshot.lapses, now, |start, key| {
            acks.is_some_and(|a| a.contains(start, key))
        })
        .into_iter()
        .filter(|m| m.due_on >= from && m.due_on <= to)
        .collect();
    // A sober day is a completed day inside an attempt (the lapse day itself is not sober):
    // count days d with max(from, start) <= d < min(to + 1, today, end).
    let upper_bound = to.succ_opt().unwrap_or(NaiveDate::MAX).min(counter.today);
    let sober_days_in_range: i32 = counter
        .attempts
        .iter()
        .map(|a| {
            let upper = a.end.map_or(upper_bound, |end| end.min(upper_bound));
            let lower = a.start.max(from);
            super::counts::of_span((upper - lower).num_days())
        })
        .sum();
    JourneyReview {
        money_saved_cents_in_range: journey
            .daily_cost_cents
            .unwrap_or(0)
            .saturating_mul(i64::from(sober_days_in_range)),
        minutes_saved_in_range: i64::from(journey.daily_minutes.unwrap_or(0))
            .saturating_mul(i64::from(sober_days_in_range)),
        lapses: snapshot
            .lapses
            .iter()
            .filter(|l| l.journey_id == journey.id)
            .cloned()
            .collect(),
        limit: limits::progress(journey, &snapshot.uses, counter.today),
        journey: journey.clone(),
        counter,
        milestones,
        milestones_reached_in_range,
        sober_days_in_range,
    }
}

/// The first sober day after the most recent lapse of any journey, up to `today`.
pub(crate) fn fresh_start(lapses: &[Lapse], today: NaiveDate) -> Option<NaiveDate> {
    lapses
        .iter()
        .filter(|l| l.date <= today && l.kind != LapseKind::OverLimit)
        .max_by_key(|l| (l.date, l.time))
        .map(|l| l.sober_again_from)
}

fn support_summary(
    snapshot: &Snapshot,
    settings: &Settings,
    reckoner: &DayReckoner,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> SupportSummary {
    let in_range: Vec<_> = snapshot
        .meetings
        .iter()
        .filter(|m| m.date >= from && m.date <= to)
        .collect();
    let meetings_by_kind = MeetingKind::ALL
        .iter()
        .map(|k| MeetingKindCount {
            kind: *k,
            count: super::counts::of_len(in_range.iter().filter(|m| m.kind == *k).count()),
        })
        .filter(|c| c.count > 0)
        .collect();
    let roles: HashMap<_, _> = snapshot.contacts.iter().map(|c| (c.id, c.role)).collect();
    let mut by_role: HashMap<ContactRole, i32> = HashMap::new();
    let (mut outreach, mut helped) = (0i32, 0i32);
    for o in &snapshot.outreach {
        let date = reckoner.day_of(o.at, o.time_zone.as_deref());
        if date < from || date > to {
            continue;
        }
        outreach += 1;
        helped += i32::from(o.helped == Some(true));
        *by_role
            .entry(
                roles
                    .get(&o.contact_id)
                    .copied()
                    .unwrap_or(ContactRole::Other),
            )
            .or_default() += 1;
    }
    let mut outreach_by_role: Vec<RoleCount> = by_role
        .into_iter()
        .map(|(role, count)| RoleCount { role, count })
        .collect();
    outreach_by_role.sort_by_key(|r| r.role);
    SupportSummary {
        meetings: super::counts::of_len(in_range.len()),
        meetings_by_kind,
        ninety_in_ninety: ninety_in_ninety(
            &snapshot.meetings,
            today,
            fresh_start(&snapshot.lapses, today),
            settings.ninety_in_ninety_from,
        ),
        outreach,
        outreach_by_role,
        outreach_helped: helped,
    }
}

/// Reviews `snapshot` over `range` as of `now`.
pub fn review(
    snapshot: &Snapshot,
    range: ReviewRange,
    now: DateTime<Utc>,
    settings: &Settings,
) -> Result<ProgressReview> {
    let reckoner = settings.reckoner();
    let today = reckoner.today(now);
    let (from, to) = range_dates(range, snapshot, &reckoner, today)?;
    let journeys: Vec<JourneyReview> = snapshot
        .journeys
        .iter()
        .filter(|j| !j.archived)
        .map(|j| journey_review(snapshot, j, now, settings, from, to))
        .collect();
    let dates: BTreeSet<NaiveDate> = snapshot.check_ins.iter().map(|c| c.date).collect();
    let (mut mood, mut craving, mut n) = (0i32, 0i32, 0i32);
    for c in snapshot
        .check_ins
        .iter()
        .filter(|c| c.date >= from && c.date <= to)
    {
        mood += c.mood;
        craving += c.craving;
        n += 1;
    }
    let first_check_in = dates.first().copied();
    let possible_from = first_check_in.map_or(to.succ_opt().unwrap_or(to), |f| f.max(from));
    let check_ins = CheckInSummary {
        count: n,
        days: super::counts::of_span((to - from).num_days() + 1),
        first_check_in,
        possible_days: super::counts::of_span((to - possible_from).num_days() + 1),
        streak: streak(&dates, today),
        mean_mood: mean(f64::from(mood), n),
        mean_craving: mean(f64::from(craving), n),
    };
    let deck = snapshot.deck();
    let uses_in_range: Vec<_> = snapshot
        .card_uses
        .iter()
        .filter(|u| {
            let d = reckoner.day_of(u.at, u.time_zone.as_deref());
            d >= from && d <= to
        })
        .cloned()
        .collect();
    let mut most_helpful_cards = cards::stats(&deck, &uses_in_range);
    most_helpful_cards.truncate(10);
    let names: HashMap<_, _> = snapshot
        .journeys
        .iter()
        .map(|j| (j.id, j.name.as_str()))
        .collect();
    let lapses = snapshot
        .lapses
        .iter()
        .filter(|l| l.date >= from && l.date <= to)
        .map(|l| LapseReview {
            lapse: l.clone(),
            journey_name: names
                .get(&l.journey_id)
                .map_or_else(String::new, |n| (*n).to_owned()),
            days: i32::try_from((l.sober_again_from - l.date).num_days())
                .unwrap_or(1)
                .max(1),
            reflections: snapshot
                .reflections
                .iter()
                .filter(|r| r.lapse_id == Some(l.id))
                .cloned()
                .collect(),
        })
        .collect();
    Ok(ProgressReview {
        range,
        from,
        to,
        today,
        money_saved_cents_in_range: journeys.iter().map(|j| j.money_saved_cents_in_range).sum(),
        minutes_saved_in_range: journeys.iter().map(|j| j.minutes_saved_in_range).sum(),
        journeys,
        check_ins,
        mood_series: mood_series(snapshot, from, to),
        triggers: trigger_summary(snapshot, &reckoner, from, to),
        most_helpful_cards,
        lapses,
        support: support_summary(snapshot, settings, &reckoner, from, to, today),
        damaged_records: snapshot.damaged_count(),
    })
}
