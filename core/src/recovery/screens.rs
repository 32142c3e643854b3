//! What a screen shows, computed by the core from one snapshot: the home screen, the progress
//! screen for a range, and the export. The shells and the command line only present these.
//!
//! Pure functions of a [`Snapshot`] and the instant, like the review; the service runs them
//! over the warm journal, so a screen after unlock costs no decryption.

use super::cards::{self, CardSuggestion, CardUse, CopingCard};
use super::check_in::{streak, CheckIn, CheckInStreak};
use super::counter::{count, SoberCounter};
use super::entries::JournalEntry;
use super::journey::{day_status, DayStatus, Journey, Lapse};
use super::limits::{self, LimitProgress};
use super::milestones::{progress as milestone_progress, Milestone, MilestoneProgress};
use super::reflection::Reflection;
use super::review::{mood_series, range_dates, DayPoint, ReviewRange};
use super::settings::Settings;
use super::snapshot::Snapshot;
use super::support::{Meeting, Outreach, SupportContact};
use super::triggers::{most_logged, TriggerCategory, TriggerEvent};
use crate::error::Result;
use crate::record::RecordId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How far back the home screen looks for the person's most frequent trigger.
const RECENT_TRIGGER_DAYS: u64 = 30;
/// How many cards the home screen suggests.
const HOME_CARDS: usize = 3;

/// One journey on the home screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyToday {
    /// The journey.
    pub journey: Journey,
    /// Its counter now.
    pub counter: SoberCounter,
    /// Its current attempt's milestones: reached, and the next with the days to it.
    pub milestones: MilestoneProgress,
    /// For a limit goal: days within the limit, abstinent days, weekly totals, streaks.
    pub limit: Option<LimitProgress>,
}

/// A milestone reached and not yet celebrated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MilestoneToCelebrate {
    /// The journey it belongs to.
    pub journey_id: RecordId,
    /// The journey's name.
    pub journey_name: String,
    /// The milestone.
    pub milestone: Milestone,
}

/// The home screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Home {
    /// Today, the person's recovery day.
    pub today: NaiveDate,
    /// Every journey not archived.
    pub journeys: Vec<JourneyToday>,
    /// Today's check-in, or `None` when the person has not checked in yet today.
    pub check_in_today: Option<CheckIn>,
    /// The check-in streak.
    pub check_in_streak: CheckInStreak,
    /// Milestones reached in the current attempts and not yet celebrated.
    pub to_celebrate: Vec<MilestoneToCelebrate>,
    /// The trigger category the person logged most in the last 30 days, if any.
    pub frequent_trigger: Option<TriggerCategory>,
    /// The cards most likely to help with it (or with emotions, with no recent trigger).
    pub suggested_cards: Vec<CardSuggestion>,
    /// Records that could not be read.
    pub damaged_records: i32,
    /// Records written by a newer version of Waymark that this one cannot show (kept
    /// unchanged; updating the app shows them).
    pub newer_records: i32,
    /// Records in quarantine: kept, never applied (`Recovery::quarantined` lists them).
    pub quarantined_records: i32,
}

/// One journey on the progress screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JourneyProgress {
    /// The journey.
    pub journey: Journey,
    /// Its counter now.
    pub counter: SoberCounter,
    /// Its current attempt's milestones.
    pub milestones: MilestoneProgress,
    /// Its lapses and relapses, oldest first.
    pub lapses: Vec<Lapse>,
    /// What each day of the range was, first day first (for a calendar).
    pub days: Vec<DayStatus>,
    /// For a limit goal: days within the limit, abstinent days, weekly totals, streaks.
    pub limit: Option<LimitProgress>,
}

/// The progress screen for a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgressScreen {
    /// Today, the person's recovery day.
    pub today: NaiveDate,
    /// The range's first day.
    pub from: NaiveDate,
    /// The range's last day.
    pub to: NaiveDate,
    /// Every journey not archived.
    pub journeys: Vec<JourneyProgress>,
    /// The check-in streak.
    pub check_in_streak: CheckInStreak,
    /// Mood and craving for each day of the range.
    pub days: Vec<DayPoint>,
    /// Mood and craving for the last 30 days, whatever the range (for sparklines).
    pub last_30_days: Vec<DayPoint>,
    /// Records that could not be read.
    pub damaged_records: i32,
    /// Records written by a newer version of Waymark that this one cannot show (kept
    /// unchanged; updating the app shows them).
    pub newer_records: i32,
    /// Records in quarantine: kept, never applied (`Recovery::quarantined` lists them).
    pub quarantined_records: i32,
}

/// One celebrated milestone, as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MilestoneCelebrated {
    /// The journey.
    pub journey_id: RecordId,
    /// The first day of the attempt it was celebrated in.
    pub attempt_start: NaiveDate,
    /// The milestone's key.
    pub key: String,
}

/// Everything a person wrote and recorded, readable: the `waymark-export/1` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Export {
    /// "waymark-export/1".
    pub format: String,
    /// When it was made.
    pub exported_at: DateTime<Utc>,
    /// The settings.
    pub settings: Settings,
    /// Journeys.
    pub journeys: Vec<Journey>,
    /// Lapses.
    pub lapses: Vec<Lapse>,
    /// Milestones celebrated.
    pub milestones_celebrated: Vec<MilestoneCelebrated>,
    /// Check-ins.
    pub check_ins: Vec<CheckIn>,
    /// Triggers.
    pub triggers: Vec<TriggerEvent>,
    /// Card uses.
    pub card_uses: Vec<CardUse>,
    /// The person's own cards, and built-in cards they marked or archived.
    pub cards: Vec<CopingCard>,
    /// Reflections.
    pub reflections: Vec<Reflection>,
    /// Journal entries.
    pub entries: Vec<JournalEntry>,
    /// Contacts.
    pub contacts: Vec<SupportContact>,
    /// Outreach.
    pub outreach: Vec<Outreach>,
    /// Meetings.
    pub meetings: Vec<Meeting>,
    /// Amounts logged against limit journeys.
    #[serde(default)]
    pub uses: Vec<crate::recovery::limits::UseLog>,
    /// The safety plan, if written.
    #[serde(default)]
    pub safety_plan: Option<crate::recovery::safety_plan::SafetyPlan>,
    /// Urge-surfing sessions.
    #[serde(default)]
    pub urge_sessions: Vec<crate::recovery::urge::UrgeSession>,
    /// Reminder preferences, if saved.
    #[serde(default)]
    pub reminder_prefs: Option<crate::recovery::reminders::ReminderPrefs>,
    /// Records that could not be read and are not in the export.
    pub damaged_records: i32,
    /// Records written by a newer version of Waymark, not in the export (kept unchanged).
    pub newer_records: i32,
    /// Records in quarantine (kept, never applied): which, and why. Their content is read
    /// with `Recovery::quarantined_content`.
    #[serde(default)]
    pub quarantined: Vec<crate::recovery::snapshot::QuarantinedRecord>,
}

/// The name of the export format.
pub const EXPORT_FORMAT: &str = "waymark-export/1";

/// A journey's counter and current milestones in `snapshot` as of `now`.
fn journey_now(
    s: &Snapshot,
    settings: &Settings,
    journey: &Journey,
    now: DateTime<Utc>,
) -> (SoberCounter, MilestoneProgress) {
    let zone = settings.zone();
    let counter = count(journey, &s.lapses, now, &zone, settings.day_starts_at);
    let acks = s.milestone_acks.iter().find(|a| a.journey_id == journey.id);
    let start = counter.attempts.last().map(|a| a.start);
    let milestones = milestone_progress(
        journey,
        &counter,
        now,
        |key| matches!((acks, start), (Some(a), Some(s)) if a.contains(s, key)),
    )
    .unwrap_or(MilestoneProgress {
        journey_id: journey.id,
        attempt_start: journey.sober_since,
        attempt: 1,
        reached: Vec::new(),
        next: None,
        days_to_next: None,
    });
    (counter, milestones)
}

/// The home screen of `snapshot` as of `now`.
pub fn home(s: &Snapshot, now: DateTime<Utc>) -> Home {
    let settings = s.settings.clone().unwrap_or_default();
    let reckoner = settings.reckoner();
    let today = reckoner.today(now);
    let mut journeys = Vec::new();
    let mut to_celebrate = Vec::new();
    for journey in s.journeys.iter().filter(|j| !j.archived) {
        let (counter, milestones) = journey_now(s, &settings, journey, now);
        to_celebrate.extend(
            milestones
                .reached
                .iter()
                .filter(|m| !m.acknowledged)
                .map(|m| MilestoneToCelebrate {
                    journey_id: journey.id,
                    journey_name: journey.name.clone(),
                    milestone: m.clone(),
                }),
        );
        journeys.push(JourneyToday {
            journey: journey.clone(),
            counter,
            milestones,
            limit: limits::progress(journey, &s.uses, today),
        });
    }
    let dates: BTreeSet<NaiveDate> = s.check_ins.iter().map(|c| c.date).collect();
    let since = today
        .checked_sub_days(chrono::Days::new(RECENT_TRIGGER_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let recent = s
        .triggers
        .iter()
        .rev()
        .map(|t| (t, reckoner.day_of(t.at, Some(&t.time_zone))))
        .take_while(|(_, day)| *day >= since)
        .filter(|(_, day)| *day <= today)
        .map(|(t, _)| t);
    let frequent_trigger = most_logged(recent).map(|(category, _)| category);
    let mut suggested_cards = cards::suggest(
        &s.deck(),
        &s.card_uses,
        frequent_trigger.unwrap_or(TriggerCategory::Emotions),
    );
    suggested_cards.truncate(HOME_CARDS);
    Home {
        today,
        check_in_today: s.check_ins.iter().rev().find(|c| c.date == today).cloned(),
        check_in_streak: streak(&dates, today),
        journeys,
        to_celebrate,
        frequent_trigger,
        suggested_cards,
        damaged_records: s.damaged_count(),
        newer_records: s.newer_count(),
        quarantined_records: super::counts::of_len(s.quarantined.len()),
    }
}

/// The progress screen of `snapshot` over `range` as of `now`.
pub fn progress(s: &Snapshot, range: ReviewRange, now: DateTime<Utc>) -> Result<ProgressScreen> {
    let settings = s.settings.clone().unwrap_or_default();
    let reckoner = settings.reckoner();
    let today = reckoner.today(now);
    let (from, to) = range_dates(range, s, &reckoner, today)?;
    let span: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
    let journeys = s
        .journeys
        .iter()
        .filter(|j| !j.archived)
        .map(|journey| {
            let (counter, milestones) = journey_now(s, &settings, journey, now);
            let lapses: Vec<Lapse> = s
                .lapses
                .iter()
                .filter(|l| l.journey_id == journey.id)
                .cloned()
                .collect();
            let days = span
                .iter()
                .map(|d| day_status(&counter.attempts, &lapses, *d, today))
                .collect();
            JourneyProgress {
                journey: journey.clone(),
                counter,
                milestones,
                lapses,
                days,
                limit: limits::progress(journey, &s.uses, today),
            }
        })
        .collect();
    let dates: BTreeSet<NaiveDate> = s.check_ins.iter().map(|c| c.date).collect();
    let month_from = today
        .checked_sub_days(chrono::Days::new(29))
        .unwrap_or(today);
    Ok(ProgressScreen {
        today,
        from,
        to,
        journeys,
        check_in_streak: streak(&dates, today),
        days: mood_series(s, from, to),
        last_30_days: mood_series(s, month_from, today),
        damaged_records: s.damaged_count(),
        newer_records: s.newer_count(),
        quarantined_records: super::counts::of_len(s.quarantined.len()),
    })
}

/// Everything in `snapshot`, readable, as exported at `now`.
pub fn export(s: &Snapshot, now: DateTime<Utc>) -> Export {
    Export {
        format: EXPORT_FORMAT.to_owned(),
        exported_at: now,
        settings: s.settings.clone().unwrap_or_default(),
        journeys: s.journeys.clone(),
        lapses: s
            .lapses
            .iter()
            .filter(|l| l.kind != super::journey::LapseKind::OverLimit)
            .cloned()
            .collect(),
        milestones_celebrated: s
            .milestone_acks
            .iter()
            .flat_map(|a| {
                a.acknowledged
                    .iter()
                    .map(move |(start, key)| MilestoneCelebrated {
                        journey_id: a.journey_id,
                        attempt_start: *start,
                        key: super::milestones::canonical_key(key),
                    })
            })
            .collect(),
        check_ins: s.check_ins.clone(),
        triggers: s.triggers.clone(),
        card_uses: s.card_uses.clone(),
        cards: s
            .deck()
            .into_iter()
            .filter(|c| !c.built_in || c.favourite || c.archived)
            .collect(),
        reflections: s.reflections.clone(),
        entries: s.entries.clone(),
        contacts: s.contacts.clone(),
        outreach: s.outreach.clone(),
        meetings: s.meetings.clone(),
        uses: s.uses.clone(),
        safety_plan: s.safety_plan.clone(),
        urge_sessions: s.urge_sessions.clone(),
        reminder_prefs: s.reminder_prefs.clone(),
        damaged_records: s.damaged_count(),
        newer_records: s.newer_count(),
        quarantined: s.quarantined.clone(),
    }
}
