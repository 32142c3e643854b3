//! Journeys, lapses, the counter and milestones.

use super::{load_in, not_found, save, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::clock::recovery_day;
use crate::recovery::counter::{count, SoberCounter};
use crate::recovery::journey::{
    validate_lapse, Journey, JourneyInput, JourneyPatch, Lapse, LapseInput, LapsePatch,
};
use crate::recovery::milestones::{
    canonical_key, progress, reached_in_every_attempt, Milestone, MilestoneProgress,
};
use crate::recovery::reflection::Reflection;
use crate::recovery::settings::MilestoneAcks;
use crate::recovery::snapshot::{kind, Snapshot};

/// What the milestones of a journey are computed from.
const MILESTONE_KINDS: &[&str] = &[
    kind::JOURNEY,
    kind::LAPSE,
    kind::SETTINGS,
    kind::MILESTONE_ACKS,
];

impl Recovery {
    /// Starts tracking a journey. A start in the future is refused.
    pub fn add_journey(&self, input: JourneyInput) -> Result<Journey> {
        input.validate(self.now())?;
        let journey = input.into_journey(RecordId::random()?);
        self.journal
            .write(|w| save(w, &journey.id, kind::JOURNEY, &journey))?;
        Ok(journey)
    }

    /// Edits a journey: the fields the patch gives change, the rest stay as they are. Its
    /// start must not move after its first lapse.
    pub fn edit_journey(&self, id: &RecordId, patch: JourneyPatch) -> Result<Journey> {
        let snapshot = Snapshot::load_only(&self.journal, &[kind::JOURNEY, kind::LAPSE])?;
        let old = find_journey(&snapshot, id)?;
        let input = patch.apply(old);
        input.validate(self.now())?;
        let first_lapse = snapshot
            .lapses
            .iter()
            .filter(|l| l.journey_id == *id)
            .map(|l| l.date)
            .min();
        if first_lapse.is_some_and(|first| input.sober_since > first) {
            return Err(Error::invalid(
                "sober_since",
                "must not be after the journey's first lapse",
            ));
        }
        let mut journey = input.into_journey(*id);
        journey.archived = old.archived;
        self.journal
            .write(|w| save(w, id, kind::JOURNEY, &journey))?;
        Ok(journey)
    }

    /// Archives (or restores) a journey: it leaves the daily views and the review, and keeps
    /// its whole history.
    pub fn archive_journey(&self, id: &RecordId, archived: bool) -> Result<Journey> {
        self.journal.write(|w| {
            let mut journey: Journey = load_in(w, id, kind::JOURNEY)?;
            journey.archived = archived;
            save(w, id, kind::JOURNEY, &journey)?;
            Ok(journey)
        })
    }

    /// Deletes a journey with its lapses and milestone record, erasing them from disk.
    /// Reflections on its lapses are kept and unlinked (they are the person's writing);
    /// entries and triggers that named it keep an id that no longer resolves.
    pub fn delete_journey(&self, id: &RecordId) -> Result<()> {
        let snapshot = Snapshot::load_only(
            &self.journal,
            &[kind::JOURNEY, kind::LAPSE, kind::REFLECTION],
        )?;
        find_journey(&snapshot, id)?;
        let lapses: Vec<RecordId> = snapshot
            .lapses
            .iter()
            .filter(|l| l.journey_id == *id)
            .map(|l| l.id)
            .collect();
        self.journal.write(|w| {
            for lapse in &lapses {
                w.delete(lapse)?;
                unlink_reflections(w, &snapshot.reflections, lapse)?;
            }
            let acks = w.lookup_id(kind::MILESTONE_ACKS, id.as_bytes())?;
            w.delete(&acks)?;
            w.delete(id)?;
            Ok(())
        })
    }

    /// Every journey, archived ones included, oldest first.
    pub fn journeys(&self) -> Result<Vec<Journey>> {
        Ok(Snapshot::load_only(&self.journal, &[kind::JOURNEY])?.journeys)
    }

    /// Records a lapse or relapse: it ends the attempt running on its date and starts the next
    /// on `sober_again_from` (the next day by default). Backdating works: the date may be any
    /// day since the journey began, as long as it does not overlap another lapse.
    pub fn record_lapse(&self, input: LapseInput) -> Result<Lapse> {
        let snapshot =
            Snapshot::load_only(&self.journal, &[kind::JOURNEY, kind::LAPSE, kind::SETTINGS])?;
        let lapse = self.checked_lapse(&snapshot, RecordId::random()?, input, None)?;
        self.journal
            .write(|w| save(w, &lapse.id, kind::LAPSE, &lapse))?;
        Ok(lapse)
    }

    /// Edits a lapse: the fields the patch gives change (its date, kind, time, note, linked
    /// trigger, or when the next attempt starts), the rest stay. The zone it was recorded in
    /// stays too.
    pub fn edit_lapse(&self, id: &RecordId, patch: LapsePatch) -> Result<Lapse> {
        let snapshot =
            Snapshot::load_only(&self.journal, &[kind::JOURNEY, kind::LAPSE, kind::SETTINGS])?;
        let old = snapshot
            .lapses
            .iter()
            .find(|l| l.id == *id)
            .ok_or_else(|| not_found("lapse", id))?;
        let zone = old.time_zone.clone();
        let input = patch.apply(old);
        let mut lapse = self.checked_lapse(&snapshot, *id, input, Some(id))?;
        lapse.time_zone = zone;
        self.journal.write(|w| save(w, id, kind::LAPSE, &lapse))?;
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
        let today = recovery_day(self.now(), &settings.zone(), settings.day_starts_at);
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
        let snapshot = Snapshot::load_only(&self.journal, MILESTONE_KINDS)?;
        let journey = find_journey(&snapshot, journey_id)?;
        let settings = snapshot.settings.clone().unwrap_or_default();
        let now = self.now();
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
            .find(|a| a.journey_id == *journey_id);
        Ok(reached_in_every_attempt(
            journey,
            &counter,
            &snapshot.lapses,
            now,
            &zone,
            |start, key| acks.is_some_and(|a| a.contains(start, key)),
        ))
    }

    /// Undoes a lapse recorded by mistake: the attempts on either side join again and the
    /// streak is restored. Reflections on it are kept, unlinked.
    pub fn undo_lapse(&self, id: &RecordId) -> Result<()> {
        let snapshot = Snapshot::load_only(&self.journal, &[kind::LAPSE, kind::REFLECTION])?;
        if !snapshot.lapses.iter().any(|l| l.id == *id) {
            return Err(not_found("lapse", id));
        }
        self.journal.write(|w| {
            w.delete(id)?;
            unlink_reflections(w, &snapshot.reflections, id)
        })
    }

    /// The lapses of a journey, oldest first.
    pub fn lapses(&self, journey_id: &RecordId) -> Result<Vec<Lapse>> {
        let snapshot = Snapshot::load_only(&self.journal, &[kind::LAPSE])?;
        Ok(snapshot
            .lapses
            .into_iter()
            .filter(|l| l.journey_id == *journey_id)
            .collect())
    }

    /// The counter of a journey, now, in the person's current zone.
    pub fn counter(&self, journey_id: &RecordId) -> Result<SoberCounter> {
        let snapshot =
            Snapshot::load_only(&self.journal, &[kind::JOURNEY, kind::LAPSE, kind::SETTINGS])?;
        let journey = find_journey(&snapshot, journey_id)?;
        let settings = snapshot.settings.clone().unwrap_or_default();
        Ok(count(
            journey,
            &snapshot.lapses,
            self.now(),
            &settings.zone(),
            settings.day_starts_at,
        ))
    }

    /// The milestones of a journey's current attempt: reached (with dates and whether they
    /// were celebrated) and the next.
    pub fn milestones(&self, journey_id: &RecordId) -> Result<MilestoneProgress> {
        let snapshot = Snapshot::load_only(&self.journal, MILESTONE_KINDS)?;
        self.milestones_in(&snapshot, journey_id)
    }

    fn milestones_in(
        &self,
        snapshot: &Snapshot,
        journey_id: &RecordId,
    ) -> Result<MilestoneProgress> {
        let journey = find_journey(snapshot, journey_id)?;
        let settings = snapshot.settings.clone().unwrap_or_default();
        let now = self.now();
        let counter = count(
            journey,
            &snapshot.lapses,
            now,
            &settings.zone(),
            settings.day_starts_at,
        );
        let acks = snapshot
            .milestone_acks
            .iter()
            .find(|a| a.journey_id == *journey_id);
        let start = counter.attempts.last().map(|a| a.start);
        progress(
            journey,
            &counter,
            now,
            &settings.zone(),
            |key| matches!((acks, start), (Some(a), Some(s)) if a.contains(s, key)),
        )
        .ok_or_else(|| not_found("journey", journey_id))
    }

    /// Marks a reached milestone of the current attempt as celebrated, so the shell shows it
    /// once. Acknowledging twice is harmless.
    pub fn acknowledge_milestone(&self, journey_id: &RecordId, key: &str) -> Result<()> {
        let snapshot = Snapshot::load_only(&self.journal, MILESTONE_KINDS)?;
        let progress = self.milestones_in(&snapshot, journey_id)?;
        let key = canonical_key(key);
        let key = key.as_str();
        if !progress.reached.iter().any(|m| m.key == key) {
            return Err(Error::invalid(
                "key",
                "must name a milestone reached in the current attempt (keys such as 24h, 30d, 6m or 1y)",
            ));
        }
        let start = progress.attempt_start;
        self.journal.write(|w| {
            let id = w.lookup_id(kind::MILESTONE_ACKS, journey_id.as_bytes())?;
            let mut acks = match load_in::<MilestoneAcks>(w, &id, kind::MILESTONE_ACKS) {
                Ok(acks) => acks,
                Err(Error::NotFound { .. }) => MilestoneAcks {
                    journey_id: *journey_id,
                    acknowledged: Vec::new(),
                },
                Err(e) => return Err(e),
            };
            if !acks.contains(start, key) {
                acks.acknowledged.push((start, key.to_owned()));
                save(w, &id, kind::MILESTONE_ACKS, &acks)?;
            }
            Ok(())
        })
    }
}

pub(super) fn find_journey<'a>(snapshot: &'a Snapshot, id: &RecordId) -> Result<&'a Journey> {
    snapshot
        .journeys
        .iter()
        .find(|j| j.id == *id)
        .ok_or_else(|| not_found("journey", id))
}

fn unlink_reflections(
    w: &mut crate::RecordWriter<'_>,
    reflections: &[Reflection],
    lapse: &RecordId,
) -> Result<()> {
    for reflection in reflections.iter().filter(|r| r.lapse_id == Some(*lapse)) {
        let mut kept = reflection.clone();
        kept.lapse_id = None;
        save(w, &kept.id, kind::REFLECTION, &kept)?;
    }
    Ok(())
}
