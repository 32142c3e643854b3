//! Unlocking: trying a secret on the journal's key slots of the matching kind.
//!
//! A wrong passphrase, a wrong recovery code and a platform key that opens nothing all give
//! the same [`Error::WrongSecret`], and a failed attempt writes nothing: the file stays
//! byte-identical. A platform key store that cannot unwrap at all gives
//! [`Error::PlatformKeyUnavailable`] and leaves every slot in place (S16).

use super::{slot_keys, Journal};
use crate::crypto::keyring::{DataKey, Keyring};
use crate::crypto::recovery_code::RecoveryCode;
use crate::error::Result;
use crate::platform::PlatformKeyStore;
use crate::store::slots::{self, SlotKind};

/// Runs `f`, then overwrites the stack it used (key copies in dead frames).
pub(crate) fn scrubbed<T>(f: impl FnOnce() -> T) -> T {
    let out = f();
    crate::crypto::keyring::scrub_stack();
    out
}

impl Journal {
    /// Unlocks with the passphrase. If the slot it opened was made with weaker Argon2id
    /// parameters than this journal's options, the data key is re-wrapped under the stronger
    /// ones before returning (S3). Runs Argon2id: keep it off the UI thread.
    pub fn unlock_with_passphrase(&self, passphrase: &str) -> Result<()> {
        scrubbed(|| self.unlock_with_passphrase_here(passphrase))
            .map_err(|e| super::explain_io(&self.path, e))
    }

    /// The journal's id and its slot rows, read under the state lock, which is released
    /// before any key derivation or platform call: `is_unlocked`, `lock` and every other call
    /// answer at once while Argon2id runs or a biometric prompt waits.
    fn slots_to_try(&self) -> Result<([u8; 16], Vec<slots::SlotRow>)> {
        let state = self.state();
        Ok((state.journal_id, slots::all(&state.conn)?))
    }

    /// Installs a data key opened from a slot read by [`Journal::slots_to_try`], after
    /// `before` ran under the state lock with it (a slot upgrade). The slots may have changed
    /// meanwhile (another thread changed a secret): `before` checks what it relies on.
    fn install(
        &self,
        journal_id: &[u8; 16],
        data_key: DataKey,
        before: impl FnOnce(&mut super::State, &DataKey) -> Result<()>,
    ) -> Result<()> {
        let mut state = self.state();
        if &state.journal_id != journal_id {
            return Err(crate::error::Error::Locked);
        }
        before(&mut state, &data_key)?;
        state.keyring = Some(Keyring::new(data_key));
        state.epoch += 1;
        Ok(())
    }

    fn unlock_with_passphrase_here(&self, passphrase: &str) -> Result<()> {
        let (journal_id, rows) = self.slots_to_try()?;
        let (intact, damaged) = slot_keys::intact_of_kind(&rows, SlotKind::Passphrase, &journal_id);
        for row in &intact {
            if let Some(data_key) = slot_keys::open_with_passphrase(row, &journal_id, passphrase)? {
                let params = crate::crypto::kdf::KdfParams::from_bytes(&row.params)?;
                // A passphrase too short for today's rules still opens its old slot; it just
                // cannot be re-wrapped until it is changed.
                let upgraded = if params.is_weaker_than(&self.options().kdf) {
                    slot_keys::passphrase_slot(passphrase, &self.options().kdf, Some(&row.label))
                        .ok()
                } else {
                    None
                };
                self.install(&journal_id, data_key, |state, key| {
                    let Some(upgraded) = upgraded else {
                        return Ok(());
                    };
                    if state.salvage.is_some() {
                        return Ok(()); // a journal that can only be read keeps its slot
                    }
                    // Re-wrapped only if the slot is still there (no secret changed while
                    // Argon2id ran).
                    if slots::all(&state.conn)?.iter().any(|r| r.id == row.id) {
                        let tx = crate::store::connection::begin_write(&mut state.conn)?;
                        slot_keys::insert_verified(&tx, &journal_id, &upgraded, key)?;
                        slots::delete(&tx, row.id)?;
                        tx.commit()?;
                        state.erase_old_content()?;
                    }
                    Ok(())
                })?;
                return Ok(());
            }
        }
        Err(slot_keys::nothing_opened(intact.len(), damaged))
    }

    /// Unlocks with the recovery code as the person typed it. A code with a typo is reported
    /// as [`Error::RecoveryCodeTypo`] before any slot is tried.
    pub fn unlock_with_recovery_code(&self, typed: &str) -> Result<()> {
        scrubbed(|| self.unlock_with_recovery_code_here(typed))
    }

    fn unlock_with_recovery_code_here(&self, typed: &str) -> Result<()> {
        let code = RecoveryCode::parse(typed)?;
        let (journal_id, rows) = self.slots_to_try()?;
        let (intact, damaged) =
            slot_keys::intact_of_kind(&rows, SlotKind::RecoveryCode, &journal_id);
        for row in &intact {
            if let Some(data_key) = slot_keys::open_with_recovery_code(row, &journal_id, &code)? {
                self.install(&journal_id, data_key, |_, _| Ok(()))?;
                return Ok(());
            }
        }
        Err(slot_keys::nothing_opened(intact.len(), damaged))
    }

    /// Unlocks with the phone's key store. If the platform cannot unwrap any platform slot,
    /// the error says why and nothing changes: fall back to the passphrase or recovery code.
    /// The platform is called without any lock held: a biometric prompt marshalled to the main
    /// thread never waits on a call from it.
    pub fn unlock_with_platform(&self, platform: &dyn PlatformKeyStore) -> Result<()> {
        scrubbed(|| self.unlock_with_platform_here(platform))
    }

    fn unlock_with_platform_here(&self, platform: &dyn PlatformKeyStore) -> Result<()> {
        let (journal_id, rows) = self.slots_to_try()?;
        let mut platform_failure = None;
        let (intact, damaged) = slot_keys::intact_of_kind(&rows, SlotKind::Platform, &journal_id);
        for row in &intact {
            match slot_keys::open_with_platform(row, &journal_id, platform) {
                Ok(Some(data_key)) => {
                    self.install(&journal_id, data_key, |_, _| Ok(()))?;
                    return Ok(());
                }
                Ok(None) => {}
                Err(e) => platform_failure = Some(e),
            }
        }
        match platform_failure {
            Some(failure) => Err(slot_keys::platform_error(failure)),
            None => Err(slot_keys::nothing_opened(intact.len(), damaged)),
        }
    }

    /// Confirms `passphrase` opens a passphrase slot holding the same key as `current`.
    pub(crate) fn verify_passphrase(
        state: &super::State,
        passphrase: &str,
        current: &DataKey,
    ) -> Result<Vec<i64>> {
        let mut matching = Vec::new();
        let rows = slots::all(&state.conn)?;
        let (intact, damaged) =
            slot_keys::intact_of_kind(&rows, SlotKind::Passphrase, &state.journal_id);
        let candidates = intact.len();
        for row in intact {
            if let Some(key) = slot_keys::open_with_passphrase(row, &state.journal_id, passphrase)?
            {
                if key.same_as(current) {
                    matching.push(row.id);
                }
            }
        }
        if matching.is_empty() {
            Err(slot_keys::nothing_opened(candidates, damaged))
        } else {
            Ok(matching)
        }
    }
}
