//! Journeys, lapses, the counter and milestones.

use super::{load_in, not_found, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::counter::{count, SoberCounter};
use crate::recovery::journey::{
    validate_lapse, Journey, JourneyInput, JourneyPatch, Lapse, LapseInput, LapseKind, LapsePatch,
};
use crate::recovery::limits::UseLog;
use crate::recovery::milestones::{
    canonical_key, progress, reached_in_every_attempt, Milestone, MilestoneProgress,
};
use crate::recovery::reflection::Reflection;
use crate::recovery::settings::MilestoneAcks;
use crate::recovery::snapshot::Snapshot;
use crate::recovery::stored::{self, Identity, StoredRecord};
use crate::RecordWriter;

impl Recovery {
    /// Starts tracking a journey. A start in the future is refused.
    pub fn add_journey(&self, input: JourneyInput) -> Result<Journey> {
        input.validate(self.now())?;
        let journey = input.into_journey(RecordId::random()?);
        self.write(|w| stored::save(w, &journey))?;
        Ok(journey)
    }

    /// Edits a journey: the fields the patch gives change, the rest stay as they are. Its
    /// start must not move after its first lapse.
    pub fn edit_journey(&self, id: &RecordId, patch: JourneyPatch) -> Result<Journey> {
        let (old, first_lapse) = self.view(|s| {
            let old = find_journey(s, id)?.clone();
            let first = s
                .lapses
                .iter()
                .filter(|l| l.journey_id == *id)
                .map(|l| l.date)
                .min();
            Ok((old, first))
        })?;
        let input = patch.apply(&old);
        input.validate(self.now())?;
        if first_lapse.is_some_and(|first| input.sober_since > first) {
            return Err(Error::invalid(
                "sober_since",
                "must not be after the journey's first lapse",
            ));
        }
        let mut journey = input.into_journey(*id);
        journey.archived = old.archived;
        crate::recovery::limits::carry_history(&old, &mut journey, self.today()?);
        self.write(|w| stored::save(w, &journey))?;
        Ok(journey)
    }

    /// Archives (or restores) a journey: it leaves the daily views and the review, and keeps
    /// its whole history.
    pub fn archive_journey(&self, id: &RecordId, archived: bool) -> Result<Journey> {
        self.write(|w| {
            let mut journey: Journey = load_in(w, id, "journey")?;
            journey.archived = archived;
            stored::save(w, &journey)?;
            Ok(journey)
        })
    }

    /// Deletes a journey with its lapses, logged amounts and milestone record, erasing them
    /// from disk.
    /// Reflections on its lapses are kept and unlinked (they are the person's writing);
    /// entries and triggers that named it keep an id that no longer resolves.
    pub fn delete_journey(&self, id: &RecordId) -> Result<()> {
        let (lapses, uses, reflections) = self.view(|s| {
            find_journey(s, id)?;
            let lapses: Vec<RecordId> = s
                .lapses
                .iter()
                .filter(|l| l.journey_id == *id && l.kind != LapseKind::OverLimit)
                .map(|l| l.id)
                .collect();
            let uses: Vec<RecordId> = s
                .uses
                .iter()
                .filter(|u| u.journey_id == *id)
                .map(|u| u.id)
                .collect();
            Ok((lapses, uses, s.reflections.clone()))
        })?;
        self.write(|w| {
            for entry in &uses {
                stored::delete::<UseLog>(w, entry)?;
            }
            for lapse in &lapses {
                stored::delete::<Lapse>(w, lapse)?;
                unlink_reflections(w, &reflections, lapse)?;
            }
            let acks = stored::id_for(
                w,
                &Identity::Keyed {
                    namespace: MilestoneAcks::KIND,
                    key: id.as_bytes()[..].into(),
                },
            )?;
            stored::delete::<MilestoneAcks>(w, &acks)?;
            stored::delete::<Journey>(w, id)?;
            Ok(())
        })
    }

    /// Every journey, archived ones included, oldest first.
    pub fn journeys(&self) -> Result<Vec<Journey>> {
        self.view(|s| Ok(s.journeys.clone()))
    }

    /// Records a lapse or relapse: it ends the attempt running on its date and starts the next
    /// on `sober_again_from` (the next day by default). Backdating works: the date may be any
    /// day since the journey began, as long as it does not overlap another lapse.
    pub fn record_lapse(&self, input: LapseInput) -> Result<Lapse> {
        let id = RecordId::random()?;
        let lapse = self.view(|s| self.checked_lapse(s, id, input, None))?;
        self.write(|w| stored::save(w, &lapse))?;
        Ok(lapse)
    }

    /// Edits a lapse: the fields the patch gives change (its date, kind, time, note, linked
    /// trigger, or when the next attempt starts), the rest stay. The zone it was recorded in
    /// stays too.
    pub fn edit_lapse(&self, id: &RecordId, patch: LapsePatch) -> Result<Lapse> {
        let lapse = self.view(|s| {
            let old = s
                .lapses
                .iter()
                .find(|l| l.id == *id)
                .ok_or_else(|| not_found("lapse", id))?;
            let zone = old.time_zone.clone();
            let mut lapse = self.checked_lapse(s, *id, patch.apply(old), Some(id))?;
            lapse.time_zone = zone;
            Ok(lapse)
        })?;
        self.write(|w| stored::save(w, &lapse))?;
        Ok(lapse)
    }

    fn checked_lapse(
        &self,
        snapshot: &Snapshot,
        id: RecordId,
        input: LapseInput,
        replacing: Option<&RecordId>,
    ) -> Result<Lapse> {
        let journey = find_journey(snapshot, &input.journey_id)?;
        let settings = snapshot.settings.clone().unwrap_or_default();
        let today = settings.reckoner().today(self.now());
        if let Some(trigger) = &input.trigger_id {
            if !snapshot.triggers.iter().any(|t| t.id == *trigger) {
                return Err(Error::invalid(
                    "trigger_id",
                    "must name a logged trigger (see the trigger list)",
                ));
            }
        }
        let others: Vec<Lapse> = snapshot
            .lapses
            .iter()
            .filter(|l| Some(&l.id) != replacing)
            .cloned()
            .collect();
        let again = validate_lapse(&input, journey, &others, today)?;
        Ok(Lapse {
            id,
            journey_id: input.journey_id,
            kind: input.kind,
            date: input.date,
            time: input.time,
            sober_again_from: again,
            note: input.note,
            trigger_id: input.trigger_id,
            time_zone: Some(settings.time_zone),
        })
    }

    /// Every milestone reached in every attempt of a journey, oldest first, each labelled
    /// with its attempt: what a lapse never takes away.
    pub fn milestone_history(&self, journey_id: &RecordId) -> Result<Vec<Milestone>> {
        self.view(|s| {
            let journey = find_journey(s, journey_id)?;
            let settings = s.settings.clone().unwrap_or_default();
            let now = self.now();
            let zone = settings.zone();
            let counter = count(journey, &s.lapses, now, &zone, settings.day_starts_at);
            let acks = s
                .milestone_acks
                .iter()
                .find(|a| a.journey_id == *journey_id);
            Ok(reached_in_every_attempt(
                journey,
                &counter,
                &s.lapses,
                now,
                |start, key| acks.is_some_and(|a| a.contains(start, key)),
            ))
        })
    }

    /// Undoes a lapse recorded by mistake: the attempts on either side join again and the
    /// streak is restored. Reflections on it are kept, unlinked.
    pub fn undo_lapse(&self, id: &RecordId) -> Result<()> {
        let reflections = self.view(|s| {
            match s.lapses.iter().find(|l| l.id == *id) {
                None => return Err(not_found("lapse", id)),
                Some(l) if l.kind == LapseKind::OverLimit => {
                    return Err(Error::invalid(
                        "lapse",
                        "is a day over the limit: change the amounts logged that day instead",
                    ))
                }
                Some(_) => {}
            }
            Ok(s.reflections.clone())
        })?;
        self.write(|w| {
            stored::delete::<Lapse>(w, id)?;
            unlink_reflections(w, &reflections, id)
        })
    }

    /// The lapses of a journey, oldest first.
    pub fn lapses(&self, journey_id: &RecordId) -> Result<Vec<Lapse>> {
        self.view(|s| {
            Ok(s.lapses
                .iter()
                .filter(|l| l.journey_id == *journey_id)
                .cloned()
                .collect())
        })
    }

    /// The counter of a journey, now, in the person's current zone.
    pub fn counter(&self, journey_id: &RecordId) -> Result<SoberCounter> {
        self.view(|s| counter_in(s, journey_id, self.now()))
    }

    /// The milestones of a journey's current attempt: reached (with dates and whether they
    /// were celebrated) and the next.
    pub fn milestones(&self, journey_id: &RecordId) -> Result<MilestoneProgress> {
        self.view(|s| milestones_in(s, journey_id, self.now()))
    }

    /// Marks a reached milestone of the current attempt as celebrated, so the shell shows it
    /// once. Acknowledging twice is harmless.
    pub fn acknowledge_milestone(&self, journey_id: &RecordId, key: &str) -> Result<()> {
        let progress = self.milestones(journey_id)?;
        let key = canonical_key(key);
        let key = key.as_str();
        if !progress.reached.iter().any(|m| m.key == key) {
            return Err(Error::invalid(
                "key",
                "must name a milestone reached in the current attempt (keys such as 24h, 30d, 6m or 1y)",
            ));
        }
        let start = progress.attempt_start;
        self.write(|w| {
            let identity = Identity::Keyed {
                namespace: MilestoneAcks::KIND,
                key: journey_id.as_bytes()[..].into(),
            };
            let mut acks = stored::find::<MilestoneAcks>(w, &identity)?.unwrap_or(MilestoneAcks {
                journey_id: *journey_id,
                acknowledged: Vec::new(),
            });
            if !acks.contains(start, key) {
                acks.acknowledged.push((start, key.to_owned()));
                stored::save(w, &acks)?;
            }
            Ok(())
        })
    }
}

/// The counter of a journey in a snapshot, as of `now`.
pub(super) fn counter_in(
    s: &Snapshot,
    journey_id: &RecordId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<SoberCounter> {
    let journey = find_journey(s, journey_id)?;
    let settings = s.settings.clone().unwrap_or_default();
    Ok(count(
        journey,
        &s.lapses,
        now,
        &settings.zone(),
        settings.day_starts_at,
    ))
}

/// The current attempt's milestones of a journey in a snapshot, as of `now`.
pub(super) fn milestones_in(
    s: &Snapshot,
    journey_id: &RecordId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<MilestoneProgress> {
    let journey = find_journey(s, journey_id)?;
    let settings = s.settings.clone().unwrap_or_default();
    let counter = count(
        journey,
        &s.lapses,
        now,
        &settings.zone(),
        settings.day_starts_at,
    );
    let acks = s
        .milestone_acks
        .iter()
        .find(|a| a.journey_id == *journey_id);
    let start = counter.attempts.last().map(|a| a.start);
    progress(
        journey,
        &counter,
        now,
        |key| matches!((acks, start), (Some(a), Some(s)) if a.contains(s, key)),
    )
    .ok_or_else(|| not_found("journey", journey_id))
}

pub(super) fn find_journey<'a>(snapshot: &'a Snapshot, id: &RecordId) -> Result<&'a Journey> {
    snapshot
        .journeys
        .iter()
        .find(|j| j.id == *id)
        .ok_or_else(|| not_found("journey", id))
}

fn unlink_reflections(
    w: &mut RecordWriter<'_>,
    reflections: &[Reflection],
    lapse: &RecordId,
) -> Result<()> {
    for reflection in reflections.iter().filter(|r| r.lapse_id == Some(*lapse)) {
        let mut kept = reflection.clone();
        kept.lapse_id = None;
        stored::save(w, &kept)?;
    }
    Ok(())
}
