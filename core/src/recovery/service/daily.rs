//! Daily check-ins and the trigger log.

use super::{load_in, not_found, save, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::cards::{CardOutcome, CardUse};
use crate::recovery::check_in::{streak, CheckIn, CheckInInput, CheckInStreak, EveningReview};
use crate::recovery::snapshot::{kind, Snapshot};
use crate::recovery::triggers::{
    TriggerEvent, TriggerInput, TriggerLogged, TriggerPatch, UrgeOutcome,
};
use crate::RecordWriter;
use chrono::{Duration, NaiveDate};
use std::collections::BTreeSet;

/// How far ahead of the clock a logged trigger may be (phones disagree by a little).
const FUTURE_SLACK_MINUTES: i64 = 5;

impl Recovery {
    /// Checks in for a day (today by default). A second check-in on the same day updates it;
    /// an evening review already written is kept unless a new one is given.
    pub fn check_in(&self, input: CheckInInput) -> Result<CheckIn> {
        input.validate()?;
        let date = self.day_or_today(input.date)?;
        let now = self.now();
        self.journal.write(|w| {
            let id = check_in_id(w, date)?;
            let existing = existing_check_in(w, &id)?;
            let check_in = CheckIn {
                date,
                mood: input.mood,
                craving: input.craving,
                halt: input.halt,
                trigger_tags: input.trigger_tags,
                intention: input.intention,
                evening_review: input
                    .evening_review
                    .or_else(|| existing.and_then(|e| e.evening_review)),
                gratitude: input.gratitude,
                note: input.note,
                updated_at: now,
            };
            save(w, &id, kind::CHECK_IN, &check_in)?;
            Ok(check_in)
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
        self.journal.write(|w| {
            let id = check_in_id(w, date)?;
            let mut check_in = existing_check_in(w, &id)?
                .ok_or_else(|| Error::invalid("date", "has no check-in yet: check in first"))?;
            check_in.evening_review = Some(review);
            check_in.updated_at = now;
            save(w, &id, kind::CHECK_IN, &check_in)?;
            Ok(check_in)
        })
    }

    /// The check-in of one day, if there is one.
    pub fn check_in_on(&self, date: NaiveDate) -> Result<Option<CheckIn>> {
        self.journal.write(|w| {
            let id = check_in_id(w, date)?;
            existing_check_in(w, &id)
        })
    }

    /// Check-ins from `from` to `to` (both included), oldest first.
    pub fn check_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        let snapshot = Snapshot::load_only(&self.journal, &[kind::CHECK_IN])?;
        Ok(snapshot
            .check_ins
            .into_iter()
            .filter(|c| c.date >= from && c.date <= to)
            .collect())
    }

    /// Deletes a day's check-in.
    pub fn delete_check_in(&self, date: NaiveDate) -> Result<()> {
        let deleted = self.journal.write(|w| {
            let id = check_in_id(w, date)?;
            w.delete(&id)
        })?;
        if deleted {
            Ok(())
        } else {
            Err(Error::invalid("date", "has no check-in"))
        }
    }

    /// The check-in streak and missed days, as of today.
    pub fn check_in_streak(&self) -> Result<CheckInStreak> {
        let today = self.today()?;
        let snapshot = Snapshot::load_only(&self.journal, &[kind::CHECK_IN])?;
        let dates: BTreeSet<NaiveDate> = snapshot.check_ins.iter().map(|c| c.date).collect();
        Ok(streak(&dates, today))
    }

    /// Logs a trigger as it happens. With a card and an outcome, the card's use is recorded
    /// too (in the same transaction), so suggestions learn from it. An outcome of "lapsed"
    /// comes back with `offer_to_record_lapse`.
    pub fn log_trigger(&self, input: TriggerInput) -> Result<TriggerLogged> {
        let event = self.checked_trigger(RecordId::random()?, input)?;
        self.journal.write(|w| save_trigger(w, &event))?;
        Ok(TriggerLogged {
            id: event.id,
            offer_to_record_lapse: event.outcome == Some(UrgeOutcome::Lapsed),
        })
    }

    /// Changes a logged trigger (typically to add how it ended): the fields the patch gives
    /// change, the rest stay, and so does the zone it was logged in.
    pub fn edit_trigger(&self, id: &RecordId, patch: TriggerPatch) -> Result<TriggerLogged> {
        let old: TriggerEvent = self.load(id, kind::TRIGGER).map_err(|e| match e {
            Error::NotFound { .. } => not_found("trigger", id),
            other => other,
        })?;
        let mut event = self.checked_trigger(*id, patch.apply(&old))?;
        event.time_zone = old.time_zone;
        self.journal.write(|w| save_trigger(w, &event))?;
        Ok(TriggerLogged {
            id: event.id,
            offer_to_record_lapse: event.outcome == Some(UrgeOutcome::Lapsed),
        })
    }

    fn checked_trigger(&self, id: RecordId, input: TriggerInput) -> Result<TriggerEvent> {
        input.validate()?;
        let now = self.now();
        let at = input.at.unwrap_or(now);
        if at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            return Err(Error::invalid("at", "must not be in the future"));
        }
        let snapshot =
            Snapshot::load_only(&self.journal, &[kind::SETTINGS, kind::CARD, kind::JOURNEY])?;
        if let Some(card) = &input.card_id {
            self.require_card(&snapshot, card)?;
        }
        if let Some(journey) = &input.journey_id {
            super::journeys::find_journey(&snapshot, journey)?;
        }
        Ok(TriggerEvent {
            id,
            at,
            time_zone: snapshot.settings.unwrap_or_default().time_zone,
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
        let snapshot = Snapshot::load_only(&self.journal, &[kind::TRIGGER, kind::SETTINGS])?;
        let reckoner = snapshot.settings.clone().unwrap_or_default().reckoner();
        Ok(snapshot
            .triggers
            .into_iter()
            .filter(|t| {
                let day = reckoner.day_of(t.at, Some(&t.time_zone));
                day >= from && day <= to
            })
            .collect())
    }

    /// One logged trigger.
    pub fn trigger(&self, id: &RecordId) -> Result<TriggerEvent> {
        self.load(id, kind::TRIGGER).map_err(|e| match e {
            Error::NotFound { .. } => not_found("trigger", id),
            other => other,
        })
    }

    /// Deletes a trigger and the card use recorded with it. Anything that is not a trigger
    /// is refused as not found.
    pub fn delete_trigger(&self, id: &RecordId) -> Result<()> {
        self.journal.write(|w| {
            match load_in::<TriggerEvent>(w, id, kind::TRIGGER) {
                Ok(_) => {}
                Err(Error::NotFound { .. }) => return Err(not_found("trigger", id)),
                Err(other) => return Err(other),
            }
            w.delete(id)?;
            let use_id = w.lookup_id(kind::CARD_USE, id.as_bytes())?;
            w.delete(&use_id)?;
            Ok(())
        })
    }
}

fn check_in_id(w: &mut RecordWriter<'_>, date: NaiveDate) -> Result<RecordId> {
    w.lookup_id(kind::CHECK_IN, date.to_string().as_bytes())
}

fn existing_check_in(w: &mut RecordWriter<'_>, id: &RecordId) -> Result<Option<CheckIn>> {
    match load_in::<CheckIn>(w, id, kind::CHECK_IN) {
        Ok(c) => Ok(Some(c)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Saves a trigger and keeps its card use in step: one use per trigger that names a card and
/// an outcome, under an id derived from the trigger's.
pub(super) fn save_trigger(w: &mut RecordWriter<'_>, event: &TriggerEvent) -> Result<()> {
    save(w, &event.id, kind::TRIGGER, event)?;
    let use_id = w.lookup_id(kind::CARD_USE, event.id.as_bytes())?;
    match (&event.card_id, event.outcome) {
        (Some(card), Some(outcome)) => {
            let card_use = CardUse {
                id: use_id,
                card_id: card.clone(),
                at: event.at,
                category: Some(event.category),
                trigger_id: Some(event.id),
                outcome: CardOutcome::from_urge(outcome),
                time_zone: Some(event.time_zone.clone()),
            };
            save(w, &use_id, kind::CARD_USE, &card_use)
        }
        _ => w.delete(&use_id).map(|_| ()),
    }
}
