//! Whole-journal operations: importing a snapshot (the generator's output, or a restored
//! backup) in one transaction.

use super::Recovery;
use crate::error::Result;
use crate::recovery::journey::LapseKind;
use crate::recovery::snapshot::Snapshot;
use crate::recovery::stored;

impl Recovery {
    /// Writes every item of `snapshot` in one transaction, each under the identity its kind
    /// gives it (`recovery::stored`): records with their own id keep it, records kept one per
    /// something (a day's check-in, the settings, a journey's milestone record, a card's
    /// flags, a trigger's card use) go under this journal's keyed id for that something. So
    /// importing the same snapshot twice changes nothing the second time beyond revisions.
    /// Returns the number of records written.
    ///
    /// The items are written as they are: this is for snapshots made by Waymark itself (the
    /// generator), not for input from outside.
    pub fn import(&self, snapshot: &Snapshot) -> Result<u64> {
        self.write(|w| {
            let mut written = 0u64;
            if let Some(settings) = &snapshot.settings {
                settings.validate()?;
                stored::save(w, settings)?;
                written += 1;
            }
            macro_rules! all {
                ($($field:ident),*) => {$(
                    for item in &snapshot.$field {
                        stored::save(w, item)?;
                        written += 1;
                    }
                )*};
            }
            for one in [
                snapshot.safety_plan.as_ref().map(|p| stored::save(w, p)),
                snapshot.reminder_prefs.as_ref().map(|p| stored::save(w, p)),
            ]
            .into_iter()
            .flatten()
            {
                one?;
                written += 1;
            }
            // Days over a limit are derived from the amounts, never stored.
            for lapse in snapshot
                .lapses
                .iter()
                .filter(|l| l.kind != LapseKind::OverLimit)
            {
                stored::save(w, lapse)?;
                written += 1;
            }
            all!(
                journeys,
                milestone_acks,
                check_ins,
                triggers,
                custom_cards,
                card_states,
                card_uses,
                reflections,
                entries,
                contacts,
                outreach,
                meetings,
                urge_sessions,
                uses
            );
            Ok(written)
        })
    }
}
