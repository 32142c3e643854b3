//! Managing the ways a journal opens: listing, adding and removing key slots, changing the
//! passphrase, replacing the recovery code and rotating the data key (S2, S5).
//!
//! Every change is one transaction in which the new slot is written, read back and
//! test-opened before the old one is retired, so a crash at any point leaves either the old or
//! the new secret working. Changing a secret re-wraps the data key only: record ciphertexts
//! are not touched. After each change the write-ahead log is checkpointed and truncated, so a
//! retired slot does not linger in `-wal` (S11).

use super::{slot_keys, Journal};
use crate::crypto::kdf::KdfParams;
use crate::crypto::keyring::DataKey;
use crate::crypto::recovery_code::RecoveryCode;
use crate::error::{Error, Result};
use crate::platform::PlatformKeyStore;
use crate::store::slots::{self, SlotKind};
use crate::RecordView;

/// A key slot as the shells list it: never any key material.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct KeySlot {
    /// The slot's id, for [`Journal::remove_slot`].
    pub id: i64,
    /// What opens it.
    pub kind: SlotKind,
    /// The shell's name for a platform slot; empty for other kinds.
    pub label: String,
    /// The Argon2id parameters of a passphrase slot.
    pub kdf: Option<KdfParams>,
}

/// A recovery code just added beside the old one (see [`Journal::add_recovery_code`]).
pub struct NewRecoveryCode {
    /// The code: show it once.
    pub code: RecoveryCode,
    /// Its slot, for [`Journal::retire_recovery_codes_except`].
    pub slot_id: i64,
}

/// What rotating the data key changed.
pub struct KeyRotation {
    /// The new recovery code, if the journal had a recovery slot: show it once; the old code
    /// no longer opens the journal.
    pub recovery_code: Option<RecoveryCode>,
    /// Records re-sealed under the new key.
    pub records_resealed: u64,
    /// Records that were already damaged and could not be re-sealed; they are kept as they
    /// were (and stay unreadable) rather than deleted.
    pub damaged_records_kept: u64,
    /// Platform slots dropped because no platform key store was given to re-wrap them; the
    /// shell should enrol the device key again.
    pub platform_slots_removed: u64,
    /// Records found under a keyed id (a day's check-in, the settings...) that moved to the
    /// new key's id for the same natural key.
    pub records_rekeyed: u64,
    /// Records left under an id of their own because a newer record had the same natural key
    /// (a day with two check-ins, from a rotation by an older build): quarantined
    /// ([`crate::QuarantineReason::Duplicate`]), never dropped.
    pub duplicates_kept: u64,
}

/// What a record's id is derived from, if it is a keyed lookup id: `(namespace, natural
/// key)`, as given to [`Journal::lookup_id`]. The recovery domain answers this for its kinds
/// (`Recovery::rotate_data_key`); `None` keeps the record's id.
pub type NaturalKey<'a> = &'a dyn Fn(&RecordView<'_>) -> Option<(&'static str, Vec<u8>)>;

impl Journal {
    /// Every key slot, oldest first. Works while locked.
    pub fn slots(&self) -> Result<Vec<KeySlot>> {
        let state = self.state();
        slots::all(&state.conn)?
            .into_iter()
            .map(|row| {
                let kdf = match row.kind {
                    SlotKind::Passphrase => Some(KdfParams::from_bytes(&row.params)?),
                    _ => None,
                };
                Ok(KeySlot {
                    id: row.id,
                    kind: row.kind,
                    // A passphrase slot's label names its passphrase for sync; the shells
                    // only name platform slots.
                    label: if row.kind == SlotKind::Platform {
                        row.label
                    } else {
                        String::new()
                    },
                    kdf,
                })
            })
            .collect()
    }

    /// Replaces the passphrase. Needs the current passphrase (whether or not the journal is
    /// unlocked); a wrong one is [`Error::WrongSecret`] and changes nothing. Record ciphertexts
    /// are untouched. Runs Argon2id twice: keep it off the UI thread.
    pub fn change_passphrase(&self, current: &str, new: &str) -> Result<()> {
        self.change_passphrase_here(current, new)
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn change_passphrase_here(&self, current: &str, new: &str) -> Result<()> {
        slot_keys::validate_new_passphrase(new)?;
        let mut state = self.state();
        let journal_id = state.journal_id;
        let mut opened = None;
        let rows = slots::all(&state.conn)?;
        let (intact, damaged) = slot_keys::intact_of_kind(&rows, SlotKind::Passphrase, &journal_id);
        for row in &intact {
            if let Some(key) = slot_keys::open_with_passphrase(row, &journal_id, current)? {
                opened = Some((row.id, key));
                break;
            }
        }
        let (old_slot, data_key) =
            opened.ok_or_else(|| slot_keys::nothing_opened(intact.len(), damaged))?;
        let new_slot = slot_keys::passphrase_slot(new, &self.options().kdf, None)?;
        let tx = crate::store::connection::begin_write(&mut state.conn)?;
        slot_keys::insert_verified(&tx, &journal_id, &new_slot, &data_key)?;
        slots::delete(&tx, old_slot)?;
        tx.commit()?;
        state.erase_old_content()
    }

    /// Adds a passphrase to a journal that has none (for example after it was removed in
    /// favour of the device key). Needs the journal unlocked.
    pub fn add_passphrase(&self, passphrase: &str) -> Result<i64> {
        self.add_passphrase_here(passphrase)
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn add_passphrase_here(&self, passphrase: &str) -> Result<i64> {
        let new_slot = slot_keys::passphrase_slot(passphrase, &self.options().kdf, None)?;
        let mut state = self.state();
        if slots::all(&state.conn)?
            .iter()
            .any(|r| r.kind == SlotKind::Passphrase)
        {
            return Err(Error::invalid(
                "passphrase",
                "is already set: change it instead of adding another",
            ));
        }
        self.insert_slot(&mut state, &new_slot, None)
    }

    /// Adds a slot opened by the phone's key store under `label` (such as
    /// "android-keystore"); platform slots already under that label (the same device's
    /// earlier enrolment) are removed in the same transaction. Needs the journal unlocked.
    pub fn add_platform_slot(&self, platform: &dyn PlatformKeyStore, label: &str) -> Result<i64> {
        self.add_platform_slot_here(platform, label)
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn add_platform_slot_here(&self, platform: &dyn PlatformKeyStore, label: &str) -> Result<i64> {
        // The platform (a biometric prompt) is called without the state lock held, so the
        // shell's main thread can ask `is_unlocked` meanwhile; the journal must be unlocked
        // before and after.
        self.state().keyring()?;
        let new_slot = slot_keys::platform_slot(platform, label)?;
        let mut state = self.state();
        state.keyring()?;
        // Enrolling again under the same label (a new biometric, a recreated key) replaces
        // the device's old slot in the same transaction: a stale slot would cost a prompt
        // that can never succeed on every unlock.
        let stale: Vec<i64> = slots::all(&state.conn)?
            .iter()
            .filter(|r| r.kind == SlotKind::Platform && r.label == label)
            .map(|r| r.id)
            .collect();
        self.insert_slot(&mut state, &new_slot, Some(&stale))
    }

    /// Makes a new recovery code and replaces the old one, in the order that never leaves a
    /// person without a code they have seen: the new slot is added (and test-opened), `show`
    /// presents the code, and only when it returns `Ok` are the other recovery slots retired.
    /// If `show` fails, the new slot is removed again and the old code keeps working; a crash
    /// in between leaves both working. Needs the journal unlocked.
    pub fn replace_recovery_code(
        &self,
        show: impl FnOnce(&RecoveryCode) -> Result<()>,
    ) -> Result<()> {
        let added = self.add_recovery_code()?;
        if let Err(e) = show(&added.code) {
            // Best effort: if this fails too, an unseen random code is harmless.
            let _ = self.remove_slot(added.slot_id);
            return Err(e);
        }
        self.retire_recovery_codes_except(added.slot_id)
    }

    /// The first half of [`Journal::replace_recovery_code`] for shells that show the code on
    /// a screen: adds a recovery slot for a new code (the old code still works). Call
    /// [`Journal::retire_recovery_codes_except`] with its slot id once the person has seen
    /// it.
    pub fn add_recovery_code(&self) -> Result<NewRecoveryCode> {
        let code = RecoveryCode::generate()?;
        let new_slot = slot_keys::recovery_slot(&code)?;
        let mut state = self.state();
        let slot_id = self.insert_slot(&mut state, &new_slot, None)?;
        Ok(NewRecoveryCode { code, slot_id })
    }

    /// Retires every recovery-code slot but `keep` (the code the person was just shown): the
    /// second half of [`Journal::replace_recovery_code`]. Refuses (`NotFound`) when `keep` is
    /// not a recovery slot of this journal, so a wrong id never removes the only code.
    pub fn retire_recovery_codes_except(&self, keep: i64) -> Result<()> {
        self.retire_recovery_codes_except_here(keep)
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn retire_recovery_codes_except_here(&self, keep: i64) -> Result<()> {
        let mut state = self.state();
        state.keyring()?;
        let recovery: Vec<i64> = slots::all(&state.conn)?
            .iter()
            .filter(|r| r.kind == SlotKind::RecoveryCode)
            .map(|r| r.id)
            .collect();
        if !recovery.contains(&keep) {
            return Err(Error::NotFound {
                what: "recovery code slot",
                id: keep.to_string(),
            });
        }
        let tx = crate::store::connection::begin_write(&mut state.conn)?;
        for old in recovery.into_iter().filter(|id| *id != keep) {
            slots::delete(&tx, old)?;
        }
        tx.commit()?;
        state.erase_old_content()
    }

    fn insert_slot(
        &self,
        state: &mut super::State,
        new_slot: &slot_keys::NewSlot,
        retire: Option<&[i64]>,
    ) -> Result<i64> {
        let journal_id = state.journal_id;
        let keyring = state.keyring.as_ref().ok_or(Error::Locked)?;
        let tx = crate::store::connection::begin_write(&mut state.conn)?;
        let id = slot_keys::insert_verified(&tx, &journal_id, new_slot, keyring.data_key())?;
        for old in retire.unwrap_or_default() {
            slots::delete(&tx, *old)?;
        }
        tx.commit()?;
        state.erase_old_content()?;
        Ok(id)
    }

    /// Removes a key slot. Needs the journal unlocked; refuses to remove the last slot
    /// ([`Error::LastKeySlot`]).
    pub fn remove_slot(&self, slot_id: i64) -> Result<()> {
        self.remove_slot_here(slot_id)
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn remove_slot_here(&self, slot_id: i64) -> Result<()> {
        let mut state = self.state();
        state.keyring()?;
        let tx = crate::store::connection::begin_write(&mut state.conn)?;
        if slots::get(&tx, slot_id)?.is_none() {
            return Err(Error::NotFound {
                what: "key slot",
                id: slot_id.to_string(),
            });
        }
        if slots::count(&tx)? <= 1 {
            return Err(Error::LastKeySlot);
        }
        slots::delete(&tx, slot_id)?;
        tx.commit()?;
        state.erase_old_content()
    }

    /// Replaces the data key with a new random one: every record is re-sealed under it and
    /// every slot re-made, all in one transaction. Records stored under a keyed lookup id
    /// (`natural_key` says which, and of what) move to the id the new key gives the same
    /// natural key, so they are still found, updated and erased by it. Needs the journal
    /// unlocked and its passphrase (which must open the current passphrase slot). Platform
    /// slots are re-wrapped through `platform`, or removed when it is `None`; a recovery slot
    /// gets a new code, returned in [`KeyRotation::recovery_code`] (the old code cannot
    /// survive: it wraps the old key). Runs Argon2id: keep it off the UI thread.
    pub fn rotate_data_key(
        &self,
        passphrase: &str,
        platform: Option<&dyn PlatformKeyStore>,
        natural_key: NaturalKey<'_>,
    ) -> Result<KeyRotation> {
        super::unlock::scrubbed(|| self.rotate_data_key_here(passphrase, platform, natural_key))
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn rotate_data_key_here(
        &self,
        passphrase: &str,
        platform: Option<&dyn PlatformKeyStore>,
        natural_key: NaturalKey<'_>,
    ) -> Result<KeyRotation> {
        // A row the journal image still holds a good copy of is repaired under the old key
        // first: the rotation erases the image, and a damaged row would stay unreadable.
        self.repair_from_image()?;
        let mut state = self.state();
        let old_slots = slots::all(&state.conn)?;
        {
            let keyring = state.keyring.as_ref().ok_or(Error::Locked)?;
            Journal::verify_passphrase(&state, passphrase, keyring.data_key())?;
        }
        let new_key = DataKey::generate()?;
        // The passphrase stays the same: its slot keeps its label.
        let label = old_slots
            .iter()
            .find(|r| r.kind == SlotKind::Passphrase)
            .map(|r| r.label.clone())
            .unwrap_or_default();
        let mut new_slots = vec![slot_keys::passphrase_slot(
            passphrase,
            &self.options().kdf,
            Some(&label),
        )?];
        let mut platform_slots_removed = 0;
        for row in old_slots.iter().filter(|r| r.kind == SlotKind::Platform) {
            match platform {
                Some(p) => new_slots.push(slot_keys::platform_slot(p, &row.label)?),
                None => platform_slots_removed += 1,
            }
        }
        let recovery_code = if old_slots.iter().any(|r| r.kind == SlotKind::RecoveryCode) {
            let code = RecoveryCode::generate()?;
            new_slots.push(slot_keys::recovery_slot(&code)?);
            Some(code)
        } else {
            None
        };

        let done = super::rekey::reseal_under(
            &mut state,
            new_key,
            super::rekey::NewSlots::Made(new_slots),
            &old_slots,
            natural_key,
        )?;
        Ok(KeyRotation {
            recovery_code,
            records_resealed: done.records_resealed,
            damaged_records_kept: done.damaged_records_kept,
            platform_slots_removed,
            records_rekeyed: done.records_rekeyed,
            duplicates_kept: done.duplicates_kept,
        })
    }
}
