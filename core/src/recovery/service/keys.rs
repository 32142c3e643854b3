//! Key changes that touch records: rotating the data key (records kept one per natural key
//! move to the new key's lookup ids, so a day's check-in is still found by its date).

use super::Recovery;
use crate::error::Result;
use crate::journal::KeyRotation;
use crate::platform::PlatformKeyStore;
use crate::recovery::stored;

impl Recovery {
    /// Replaces the data key (see `Journal::rotate_data_key`): every record is re-sealed under
    /// a new random key, and the records found by a natural key (a day's check-in, the
    /// settings, a journey's milestones, a card's flags, a trigger's card use) move to the id
    /// the new key gives it, in the same transaction. Needs the passphrase; a recovery slot
    /// gets a new code (in the result: show it once). The warm snapshot is rebuilt on the
    /// next read. Runs Argon2id: keep it off the UI thread.
    pub fn rotate_data_key(
        &self,
        passphrase: &str,
        platform: Option<&dyn PlatformKeyStore>,
    ) -> Result<KeyRotation> {
        self.drop_warm();
        self.journal
            .rotate_data_key(passphrase, platform, &stored::natural_key)
    }
}
