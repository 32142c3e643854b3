//! What a stored record of each kind must satisfy to be applied when it arrives from outside
//! this journal (a backup being merged or restored, an import, later sync). The same limits
//! as the verbs' inputs (`recovery::validate`), plus what keeps every screen's arithmetic in
//! range: dates from 1900 to two days from now (time zones and a peer's clock skew), time
//! zones that exist, counts and lists within the verbs' limits. A record that fails is not
//! applied; the merge quarantines it (`journal::quarantine`).

use super::super::cards::{CardState, CardUse, StoredCard};
use super::super::check_in::CheckIn;
use super::super::clock::parse_zone;
use super::super::entries::JournalEntry;
use super::super::journey::{Journey, Lapse, LapseKind};
use super::super::limits::{UseLog, MAX_AMOUNT, MAX_EARLIER_LIMITS};
use super::super::reflection::Reflection;
use super::super::reminders::ReminderPrefs;
use super::super::safety_plan::{check_plan, SafetyPlan};
use super::super::settings::{MilestoneAcks, Settings};
use super::super::support::{Meeting, Outreach, SupportContact};
use super::super::triggers::TriggerEvent;
use super::super::urge::UrgeSession;
use super::super::validate::{
    self, in_range, optional_text, required_text, text_list, MAX_LIST, NOTE_TEXT, SHORT_TEXT,
};
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

/// The longest card id (built-in ids are short words; custom ones are record ids).
const CARD_ID: usize = 64;
/// The most milestone acknowledgements one journey can hold (a century of milestones).
const MAX_ACKS: usize = 1_000;

/// A stored record's own checks, relative to `now`.
pub(crate) trait Valid {
    /// `Ok` when the record may be applied; otherwise the field and the rule it broke.
    fn check(&self, now: DateTime<Utc>) -> Result<()>;
}

/// The latest date a record may carry: two days after `now`.
fn latest(now: DateTime<Utc>) -> NaiveDate {
    let today = now.date_naive();
    today.checked_add_days(Days::new(2)).unwrap_or(today)
}

fn date(field: &'static str, value: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    if value.year() < 1900 {
        return Err(Error::invalid(field, "must be in 1900 or later"));
    }
    if value > latest(now) {
        return Err(Error::invalid(field, "must not be in the future"));
    }
    Ok(())
}

fn instant(field: &'static str, value: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    date(field, value.date_naive(), now)
}

fn zone(field: &'static str, name: &str) -> Result<()> {
    parse_zone(field, name).map(|_| ())
}

fn card_id(field: &'static str, value: &str) -> Result<()> {
    required_text(field, value, CARD_ID)
}

impl Valid for Settings {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        self.validate()?;
        if let Some(from) = self.ninety_in_ninety_from {
            date("ninety_in_ninety_from", from, now)?;
        }
        Ok(())
    }
}

impl Valid for Journey {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        required_text("name", &self.name, SHORT_TEXT)?;
        zone("time_zone", &self.time_zone)?;
        date("sober_since", self.sober_since, now)?;
        if let Some(cost) = self.daily_cost_cents {
            in_range("daily_cost_cents", cost, 0, 100_000_000)?;
        }
        if let Some(minutes) = self.daily_minutes {
            in_range("daily_minutes", minutes, 0, 1_440)?;
        }
        if self.custom_milestone_days.len() > MAX_LIST {
            return Err(Error::invalid(
                "custom_milestone_days",
                "must have at most 20 items",
            ));
        }
        for days in &self.custom_milestone_days {
            in_range("custom_milestone_days", *days, 1, 36_500)?;
        }
        if let Some(limit) = &self.limit {
            limit.validate()?;
        }
        if self.earlier_limits.len() > MAX_EARLIER_LIMITS {
            return Err(Error::invalid(
                "earlier_limits",
                "must have at most 1000 items",
            ));
        }
        for earlier in &self.earlier_limits {
            date("earlier_limits", earlier.until, now)?;
            earlier.limit.validate()?;
        }
        Ok(())
    }
}

impl Valid for Lapse {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        if self.kind == LapseKind::OverLimit {
            return Err(Error::invalid("kind", "over-limit days are never stored"));
        }
        date("date", self.date, now)?;
        date("sober_again_from", self.sober_again_from, now)?;
        if self.sober_again_from < self.date {
            return Err(Error::invalid(
                "sober_again_from",
                "must not be before the lapse",
            ));
        }
        if let Some(name) = &self.time_zone {
            zone("time_zone", name)?;
        }
        optional_text("note", self.note.as_deref(), NOTE_TEXT)
    }
}

impl Valid for MilestoneAcks {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        if self.acknowledged.len() > MAX_ACKS {
            return Err(Error::invalid(
                "acknowledged",
                "must have at most 1000 milestones",
            ));
        }
        for (attempt, key) in &self.acknowledged {
            date("acknowledged", *attempt, now)?;
            required_text("acknowledged", key, 16)?;
        }
        Ok(())
    }
}

impl Valid for CheckIn {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        date("date", self.date, now)?;
        in_range("mood", self.mood, 1, 5)?;
        in_range("craving", self.craving, 0, 10)?;
        validate::tags("trigger_tags", &self.trigger_tags)?;
        optional_text("intention", self.intention.as_deref(), SHORT_TEXT * 2)?;
        if let Some(review) = &self.evening_review {
            review.validate()?;
        }
        text_list("gratitude", &self.gratitude, SHORT_TEXT * 2)?;
        optional_text("note", self.note.as_deref(), NOTE_TEXT)?;
        if let Some(at) = self.review_written_at {
            instant("review_written_at", at, now)?;
        }
        instant("updated_at", self.updated_at, now)
    }
}

impl Valid for TriggerEvent {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        instant("at", self.at, now)?;
        zone("time_zone", &self.time_zone)?;
        in_range("intensity", self.intensity, 0, 10)?;
        validate::tags("tags", &self.tags)?;
        optional_text("situation", self.situation.as_deref(), NOTE_TEXT)?;
        if let Some(card) = &self.card_id {
            card_id("card_id", card)?;
        }
        if let Some(minutes) = self.urge_minutes {
            in_range("urge_minutes", minutes, 0, 1_440)?;
        }
        Ok(())
    }
}

impl Valid for StoredCard {
    fn check(&self, _now: DateTime<Utc>) -> Result<()> {
        required_text("title", &self.title, SHORT_TEXT)?;
        if self.steps.is_empty() {
            return Err(Error::invalid("steps", "must have at least one step"));
        }
        text_list("steps", &self.steps, SHORT_TEXT * 2)?;
        if self.helps_with.len() > MAX_LIST {
            return Err(Error::invalid("helps_with", "must have at most 20 items"));
        }
        crate::recovery::items::check_marks(&self.step_marks)
    }
}

impl Valid for CardState {
    fn check(&self, _now: DateTime<Utc>) -> Result<()> {
        card_id("card_id", &self.card_id)
    }
}

impl Valid for CardUse {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        card_id("card_id", &self.card_id)?;
        instant("at", self.at, now)?;
        if let Some(name) = &self.time_zone {
            zone("time_zone", name)?;
        }
        Ok(())
    }
}

impl Valid for Reflection {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        instant("created_at", self.created_at, now)?;
        instant("updated_at", self.updated_at, now)?;
        self.body.validate(!self.draft)
    }
}

impl Valid for JournalEntry {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        date("date", self.date, now)?;
        optional_text("title", self.title.as_deref(), SHORT_TEXT)?;
        if self.body.len() > validate::ENTRY_BODY_BYTES {
            return Err(Error::invalid("body", "must be at most 64 KiB"));
        }
        if let Some(mood) = self.mood {
            in_range("mood", mood, 1, 5)?;
        }
        validate::tags("tags", &self.tags)?;
        instant("created_at", self.created_at, now)?;
        instant("updated_at", self.updated_at, now)
    }
}

impl Valid for SupportContact {
    fn check(&self, _now: DateTime<Utc>) -> Result<()> {
        required_text("name", &self.name, SHORT_TEXT)?;
        optional_text("phone", self.phone.as_deref(), 40)?;
        optional_text("note", self.note.as_deref(), NOTE_TEXT)
    }
}

impl Valid for Outreach {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        instant("at", self.at, now)?;
        if let Some(name) = &self.time_zone {
            zone("time_zone", name)?;
        }
        optional_text("note", self.note.as_deref(), NOTE_TEXT)
    }
}

impl Valid for Meeting {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        date("date", self.date, now)?;
        optional_text("name", self.name.as_deref(), SHORT_TEXT)?;
        optional_text("note", self.note.as_deref(), NOTE_TEXT)
    }
}

impl Valid for SafetyPlan {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        check_plan(self)?;
        if let Some(at) = self.updated_at {
            instant("updated_at", at, now)?;
        }
        Ok(())
    }
}

impl Valid for UrgeSession {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        instant("started_at", self.started_at, now)?;
        zone("time_zone", &self.time_zone)?;
        for value in [self.intensity_start, self.intensity_end]
            .into_iter()
            .flatten()
        {
            in_range("intensity", value, 0, 10)?;
        }
        if let Some(end) = self.ended_at {
            instant("ended_at", end, now)?;
            if end < self.started_at {
                return Err(Error::invalid("ended_at", "must not be before the start"));
            }
        }
        if let Some(card) = &self.card_id {
            card_id("card_id", card)?;
        }
        Ok(())
    }
}

impl Valid for ReminderPrefs {
    fn check(&self, _now: DateTime<Utc>) -> Result<()> {
        self.validate()
    }
}

impl Valid for UseLog {
    fn check(&self, now: DateTime<Utc>) -> Result<()> {
        date("date", self.date, now)?;
        in_range("amount", self.amount_hundredths, 0, MAX_AMOUNT)?;
        instant("logged_at", self.logged_at, now)
    }
}
