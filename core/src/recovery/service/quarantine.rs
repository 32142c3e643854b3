//! Records in quarantine: what arrived from outside and broke a rule of its kind, or a
//! duplicate a key rotation found. They are kept sealed like every record and never applied;
//! the person can list them, read what they hold, and discard them.

use super::Recovery;
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::snapshot::QuarantinedRecord;
use crate::recovery::stored;

impl Recovery {
    /// Every record in quarantine, with its kind and why it is there.
    pub fn quarantined(&self) -> Result<Vec<QuarantinedRecord>> {
        self.view(|s| Ok(s.quarantined.clone()))
    }

    /// What a quarantined record holds, as JSON (the same fields as an export of its kind;
    /// a body that does not decode is given as hex). `NotFound` unless `id` is in
    /// quarantine.
    pub fn quarantined_content(&self, id: &RecordId) -> Result<String> {
        let record = self.journal().get_record(id)?;
        if record.quarantine.is_none() {
            return Err(not_quarantined(id));
        }
        Ok(stored::to_json(
            &record.kind,
            record.body_version,
            &record.body,
        ))
    }

    /// Erases a quarantined record for good. `NotFound` unless `id` is in quarantine (this
    /// never erases a record that is in use).
    pub fn discard_quarantined(&self, id: &RecordId) -> Result<()> {
        let erased = self.write(|w| {
            let quarantined = w.peek(id, |view| view.quarantine.is_some())?;
            if quarantined == Some(true) {
                w.erase(id)
            } else {
                Ok(false)
            }
        })?;
        if erased {
            Ok(())
        } else {
            Err(not_quarantined(id))
        }
    }
}

fn not_quarantined(id: &RecordId) -> Error {
    Error::NotFound {
        what: "quarantined record",
        id: id.to_string(),
    }
}
