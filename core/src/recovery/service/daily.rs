//! Daily check-ins and the trigger log.

use super::{load_in, not_found, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::cards::{CardOutcome, CardUse};
use crate::recovery::check_in::{streak, CheckIn, CheckInInput, CheckInStreak, EveningReview};
use crate::recovery::snapshot::Snapshot;
use crate::recovery::stored::{self, Identity, StoredRecord};
use crate::recovery::triggers::{
    TriggerEvent, TriggerInput, TriggerLogged, TriggerPatch, UrgeOutcome,
};
use crate::recovery::window::DatedList;
use crate::RecordWriter;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::BTreeSet;

/// How far ahead of the clock a logged trigger may be (phones disagree by a little).
const FUTURE_SLACK_MINUTES: i64 = 5;

/// The identity of the check-in of `date`.
fn check_in_identity(date: NaiveDate) -> Identity<'static> {
    Identity::Keyed {
        namespace: CheckIn::KIND,
        key: date.to_string().into_bytes().into(),
    }
}

impl Recovery {
    /// Checks in for a day (today by default). A second check-in on the same day updates it:
    /// mood, craving and HALT are how the person is now; the texts it does not give again
    /// (intention, note, gratitude, trigger tags) and an evening review already written are
    /// kept, so nothing written earlier that day is dropped.
    pub fn check_in(&self, input: CheckInInput) -> Result<CheckIn> {
        self.check_in_at(&input, self.now())
    }

    /// Checks in as if at `now`: without a date, for the recovery day `now` falls in.
    /// The input is only read (a held check-in keeps its one copy, wiped when it goes).
    pub(super) fn check_in_at(&self, input: &CheckInInput, now: DateTime<Utc>) -> Result<CheckIn> {
        input.validate()?;
        let date = match input.date {
            Some(date) => self.day_or_today(Some(date))?,
            None => self.day_at(now)?,
        };
        self.write(|w| {
            stored::update(w, &check_in_identity(date), |existing: Option<CheckIn>| {
                let earlier = existing.unwrap_or_else(|| CheckIn {
                    date,
                    mood: input.mood,
                    craving: input.craving,
                    halt: input.halt,
                    trigger_tags: Vec::new(),
                    intention: None,
                    evening_review: None,
                    gratitude: Vec::new(),
                    note: None,
                    updated_at: now,
                    review_written_at: None,
                });
                let (evening_review, review_written_at) = match input.evening_review.clone() {
                    Some(review) => (Some(review), Some(now)),
                    None => (earlier.evening_review, earlier.review_written_at),
                };
                let or_earlier = |given: Vec<String>, before: Vec<String>| {
                    if given.is_empty() {
                        before
                    } else {
                        given
                    }
                };
                Ok(CheckIn {
                    date,
                    mood: input.mood,
                    craving: input.craving,
                    halt: input.halt,
                    trigger_tags: or_earlier(input.trigger_tags.clone(), earlier.trigger_tags),
                    intention: input.intention.clone().or(earlier.intention),
                    evening_review,
                    gratitude: or_earlier(input.gratitude.clone(), earlier.gratitude),
                    note: input.note.clone().or(earlier.note),
                    updated_at: now,
                    review_written_at,
                })
            })
        })
    }

    /// Writes the evening review of a day's check-in (today by default). The day must have a
    /// check-in.
    pub fn write_evening_review(
        &self,
        date: Option<NaiveDate>,
        review: EveningReview,
    ) -> Result<CheckIn> {
        review.validate()?;
        let date = match date {
            Some(d) => d,
            None => self.today()?,
        };
        let now = self.now();
        self.write(|w| {
            stored::update(w, &check_in_identity(date), |existing: Option<CheckIn>| {
                let mut check_in = existing
                    .ok_or_else(|| Error::invalid("date", "has no check-in yet: check in first"))?;
                check_in.evening_review = Some(review);
                check_in.review_written_at = Some(now);
                Ok(check_in)
            })
        })
    }

    /// The check-in of one day, if there is one.
    pub fn check_in_on(&self, date: NaiveDate) -> Result<Option<CheckIn>> {
        self.view(|s| Ok(s.check_ins.iter().find(|c| c.date == date).cloned()))
    }

    /// Check-ins from `from` to `to` (both included), oldest first.
    pub fn check_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        self.view(|s| {
            let days = super::window::days_of(s, DatedList::CheckIns);
            Ok(super::window::between(&s.check_ins, &days, from, to))
        })
    }

    /// Deletes a day's check-in.
    pub fn delete_check_in(&self, date: NaiveDate) -> Result<()> {
        let deleted = self.write(|w| {
            let id = stored::id_for(w, &check_in_identity(date))?;
            stored::delete::<CheckIn>(w, &id)
        })?;
        if deleted {
            Ok(())
        } else {
            Err(Error::invalid("date", "has no check-in"))
        }
    }

    /// The check-in streak and missed days, as of today.
    pub fn check_in_streak(&self) -> Result<CheckInStreak> {
        self.view(|s| Ok(streak_in(s, self.now())))
    }

    /// Logs a trigger as it happens. With a card and an outcome, the card's use is recorded
    /// too (in the same transaction), so suggestions learn from it. An outcome of "lapsed"
    /// comes back with `offer_to_record_lapse`.
    pub fn log_trigger(&self, input: TriggerInput) -> Result<TriggerLogged> {
        let id = RecordId::random()?;
        let event = self.view(|s| self.checked_trigger(s, id, input))?;
        self.write(|w| save_trigger(w, &event))?;
        Ok(TriggerLogged {
            id: event.id,
            offer_to_record_lapse: event.outcome == Some(UrgeOutcome::Lapsed),
        })
    }

    /// Changes a logged trigger (typically to add how it ended): the fields the patch gives
    /// change, the rest stay, and so does the zone it was logged in.
    pub fn edit_trigger(&self, id: &RecordId, patch: TriggerPatch) -> Result<TriggerLogged> {
        let event = self.view(|s| {
            let old = s
                .triggers
                .iter()
                .find(|t| t.id == *id)
                .ok_or_else(|| not_found("trigger", id))?;
            let mut event = self.checked_trigger(s, *id, patch.apply(old))?;
            event.time_zone = old.time_zone.clone();
            Ok(event)
        })?;
        self.write(|w| save_trigger(w, &event))?;
        Ok(TriggerLogged {
            id: event.id,
            offer_to_record_lapse: event.outcome == Some(UrgeOutcome::Lapsed),
        })
    }

    fn checked_trigger(
        &self,
        snapshot: &Snapshot,
        id: RecordId,
        input: TriggerInput,
    ) -> Result<TriggerEvent> {
        input.validate()?;
        let now = self.now();
        let at = input.at.unwrap_or(now);
        if at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            return Err(Error::invalid("at", "must not be in the future"));
        }
        if let Some(card) = &input.card_id {
            super::coping::require_card(snapshot, card)?;
        }
        if let Some(journey) = &input.journey_id {
            super::journeys::find_journey(snapshot, journey)?;
        }
        Ok(TriggerEvent {
            id,
            at,
            time_zone: snapshot.settings.clone().unwrap_or_default().time_zone,
            journey_id: input.journey_id,
            category: input.category,
            tags: input.tags,
            intensity: input.intensity,
            situation: input.situation,
            card_id: input.card_id,
            outcome: input.outcome,
            urge_minutes: input.urge_minutes,
        })
    }

    /// Triggers whose recovery day (the person's day-start hour, in the zone each was
    /// logged in) is from `from` to `to`, both included, oldest first.
    pub fn triggers(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<TriggerEvent>> {
        self.view(|s| {
            let days = super::window::days_of(s, DatedList::Triggers);
            Ok(super::window::between(&s.triggers, &days, from, to))
        })
    }

    /// One logged trigger.
    pub fn trigger(&self, id: &RecordId) -> Result<TriggerEvent> {
        self.view(|s| {
            s.triggers
                .iter()
                .find(|t| t.id == *id)
                .cloned()
                .ok_or_else(|| not_found("trigger", id))
        })
    }

    /// Deletes a trigger and the card use recorded with it. Anything that is not a trigger
    /// is refused as not found.
    pub fn delete_trigger(&self, id: &RecordId) -> Result<()> {
        self.write(|w| {
            let _: TriggerEvent = load_in(w, id, "trigger")?;
            stored::delete::<TriggerEvent>(w, id)?;
            let use_id = stored::id_for(w, &card_use_identity(id))?;
            stored::delete::<CardUse>(w, &use_id)?;
            Ok(())
        })
    }
}

/// The check-in streak in a snapshot, as of `now`.
pub(super) fn streak_in(s: &Snapshot, now: chrono::DateTime<chrono::Utc>) -> CheckInStreak {
    let today = s.settings.clone().unwrap_or_default().reckoner().today(now);
    let dates: BTreeSet<NaiveDate> = s.check_ins.iter().map(|c| c.date).collect();
    streak(&dates, today)
}

/// The identity of the card use a trigger recorded.
fn card_use_identity(trigger: &RecordId) -> Identity<'static> {
    Identity::Keyed {
        namespace: CardUse::KIND,
        key: trigger.as_bytes().to_vec().into(),
    }
}

/// Saves a trigger and keeps its card use in step: one use per trigger that names a card and
/// an outcome, under an id derived from the trigger's.
pub(super) fn save_trigger(w: &mut RecordWriter<'_>, event: &TriggerEvent) -> Result<()> {
    stored::save(w, event)?;
    match (&event.card_id, event.outcome) {
        (Some(card), Some(outcome)) => {
            let use_id = stored::id_for(w, &card_use_identity(&event.id))?;
            let card_use = CardUse {
                id: use_id,
                card_id: card.clone(),
                at: event.at,
                category: Some(event.category),
                trigger_id: Some(event.id),
                outcome: CardOutcome::from_urge(outcome),
                time_zone: Some(event.time_zone.clone()),
            };
            stored::save(w, &card_use)?;
            Ok(())
        }
        _ => {
            let use_id = stored::id_for(w, &card_use_identity(&event.id))?;
            stored::delete::<CardUse>(w, &use_id).map(|_| ())
        }
    }
}
