//! Whole-journal operations: the progress review, and importing a snapshot (the generator's
//! output, later a restored backup) in one transaction.

use super::{save, Recovery, SETTINGS_KEY};
use crate::error::Result;
use crate::record::RecordId;
use crate::recovery::review::{review, ProgressReview, ReviewRange};
use crate::recovery::snapshot::{kind, Snapshot};

impl Recovery {
    /// The progress review for `range`, as of now. Loads and decrypts the journal once.
    pub fn review_progress(&self, range: ReviewRange) -> Result<ProgressReview> {
        let snapshot = self.snapshot()?;
        let settings = snapshot.settings.clone().unwrap_or_default();
        review(&snapshot, range, self.now(), &settings)
    }

    /// Writes every item of `snapshot` in one transaction, keeping each item's id (an item
    /// with an id already in the journal is replaced by a new revision). Check-ins, settings,
    /// milestone records, card flags and the card use of a trigger go under their derived
    /// lookup ids, so importing the same snapshot twice changes nothing the second time
    /// beyond revisions. Returns the number of records written.
    ///
    /// The items are written as they are: this is for snapshots made by Waymark itself (the
    /// generator, a backup), not for hand-made input.
    pub fn import(&self, snapshot: &Snapshot) -> Result<u64> {
        self.journal.write(|w| {
            let mut written = 0u64;
            let mut put = |w: &mut crate::RecordWriter<'_>,
                           id: RecordId,
                           kind: &str,
                           value: &dyn erased::Value| {
                written += 1;
                value.save(w, &id, kind)
            };
            if let Some(settings) = &snapshot.settings {
                settings.validate()?;
                let id = w.lookup_id(kind::SETTINGS, SETTINGS_KEY)?;
                put(w, id, kind::SETTINGS, settings)?;
            }
            for j in &snapshot.journeys {
                put(w, j.id, kind::JOURNEY, j)?;
            }
            for l in &snapshot.lapses {
                put(w, l.id, kind::LAPSE, l)?;
            }
            for a in &snapshot.milestone_acks {
                let id = w.lookup_id(kind::MILESTONE_ACKS, a.journey_id.as_bytes())?;
                put(w, id, kind::MILESTONE_ACKS, a)?;
            }
            for c in &snapshot.check_ins {
                let id = w.lookup_id(kind::CHECK_IN, c.date.to_string().as_bytes())?;
                put(w, id, kind::CHECK_IN, c)?;
            }
            for t in &snapshot.triggers {
                put(w, t.id, kind::TRIGGER, t)?;
            }
            for c in &snapshot.custom_cards {
                put(w, c.id, kind::CARD, c)?;
            }
            for s in &snapshot.card_states {
                let id = w.lookup_id(kind::CARD_STATE, s.card_id.as_bytes())?;
                put(w, id, kind::CARD_STATE, s)?;
            }
            for u in &snapshot.card_uses {
                let mut u = u.clone();
                if let Some(trigger) = u.trigger_id {
                    u.id = w.lookup_id(kind::CARD_USE, trigger.as_bytes())?;
                }
                put(w, u.id, kind::CARD_USE, &u)?;
            }
            for r in &snapshot.reflections {
                put(w, r.id, kind::REFLECTION, r)?;
            }
            for e in &snapshot.entries {
                put(w, e.id, kind::ENTRY, e)?;
            }
            for c in &snapshot.contacts {
                put(w, c.id, kind::CONTACT, c)?;
            }
            for o in &snapshot.outreach {
                put(w, o.id, kind::OUTREACH, o)?;
            }
            for m in &snapshot.meetings {
                put(w, m.id, kind::MEETING, m)?;
            }
            Ok(written)
        })
    }
}

/// A tiny object-safe wrapper so one closure can save any serializable item.
mod erased {
    use crate::error::Result;
    use crate::record::RecordId;
    use crate::RecordWriter;

    pub(super) trait Value {
        fn save(&self, w: &mut RecordWriter<'_>, id: &RecordId, kind: &str) -> Result<()>;
    }

    impl<T: serde::Serialize> Value for T {
        fn save(&self, w: &mut RecordWriter<'_>, id: &RecordId, kind: &str) -> Result<()> {
            super::save(w, id, kind, self)
        }
    }
}
