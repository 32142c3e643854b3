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
use crate::crypto::keyring::{DataKey, Keyring};
use crate::crypto::recovery_code::RecoveryCode;
use crate::error::{Error, Result};
use crate::platform::PlatformKeyStore;
use crate::record::{encode_payload, record_context, RecordId};
use crate::store::slots::{self, SlotKind};
use crate::store::write_state::{self, WriteState};
use crate::store::{connection, records};
use rusqlite::TransactionBehavior;
use zeroize::Zeroizing;

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
}

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
                    label: row.label,
                    kdf,
                })
            })
            .collect()
    }

    /// Replaces the passphrase. Needs the current passphrase (whether or not the journal is
    /// unlocked); a wrong one is [`Error::WrongSecret`] and changes nothing. Record ciphertexts
    /// are untouched. Runs Argon2id twice: keep it off the UI thread.
    pub fn change_passphrase(&self, current: &str, new: &str) -> Result<()> {
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
        let new_slot = slot_keys::passphrase_slot(new, &self.options().kdf)?;
        let tx = state
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        slot_keys::insert_verified(&tx, &journal_id, &new_slot, &data_key)?;
        slots::delete(&tx, old_slot)?;
        tx.commit()?;
        connection::checkpoint_truncate(&state.conn)
    }

    /// Adds a passphrase to a journal that has none (for example after it was removed in
    /// favour of the device key). Needs the journal unlocked.
    pub fn add_passphrase(&self, passphrase: &str) -> Result<i64> {
        let new_slot = slot_keys::passphrase_slot(passphrase, &self.options().kdf)?;
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
    /// "android-keystore"). Needs the journal unlocked.
    pub fn add_platform_slot(&self, platform: &dyn PlatformKeyStore, label: &str) -> Result<i64> {
        let mut state = self.state();
        state.keyring()?;
        let new_slot = slot_keys::platform_slot(platform, label)?;
        self.insert_slot(&mut state, &new_slot, None)
    }

    /// Makes a new recovery code, replacing the old one (which stops working) in one
    /// transaction. Show the returned code once. Needs the journal unlocked.
    pub fn replace_recovery_code(&self) -> Result<RecoveryCode> {
        let code = RecoveryCode::generate()?;
        let new_slot = slot_keys::recovery_slot(&code)?;
        let mut state = self.state();
        let old: Vec<i64> = slots::all(&state.conn)?
            .iter()
            .filter(|r| r.kind == SlotKind::RecoveryCode)
            .map(|r| r.id)
            .collect();
        self.insert_slot(&mut state, &new_slot, Some(&old))?;
        Ok(code)
    }

    fn insert_slot(
        &self,
        state: &mut super::State,
        new_slot: &slot_keys::NewSlot,
        retire: Option<&[i64]>,
    ) -> Result<i64> {
        let journal_id = state.journal_id;
        let keyring = state.keyring.as_ref().ok_or(Error::Locked)?;
        let tx = state
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = slot_keys::insert_verified(&tx, &journal_id, new_slot, keyring.data_key())?;
        for old in retire.unwrap_or_default() {
            slots::delete(&tx, *old)?;
        }
        tx.commit()?;
        connection::checkpoint_truncate(&state.conn)?;
        Ok(id)
    }

    /// Removes a key slot. Needs the journal unlocked; refuses to remove the last slot
    /// ([`Error::LastKeySlot`]).
    pub fn remove_slot(&self, slot_id: i64) -> Result<()> {
        let mut state = self.state();
        state.keyring()?;
        let tx = state
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
        connection::checkpoint_truncate(&state.conn)
    }

    /// Replaces the data key with a new random one: every record is re-sealed under it and
    /// every slot re-made, all in one transaction. Needs the journal unlocked and its
    /// passphrase (which must open the current passphrase slot). Platform slots are re-wrapped
    /// through `platform`, or removed when it is `None`; a recovery slot gets a new code,
    /// returned in [`KeyRotation::recovery_code`]. Runs Argon2id: keep it off the UI thread.
    pub fn rotate_data_key(
        &self,
        passphrase: &str,
        platform: Option<&dyn PlatformKeyStore>,
    ) -> Result<KeyRotation> {
        let mut state = self.state();
        let journal_id = state.journal_id;
        let old_slots = slots::all(&state.conn)?;
        {
            let keyring = state.keyring.as_ref().ok_or(Error::Locked)?;
            Journal::verify_passphrase(&state, passphrase, keyring.data_key())?;
        }
        let new_key = DataKey::generate()?;
        let mut new_slots = vec![slot_keys::passphrase_slot(passphrase, &self.options().kdf)?];
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

        let generation = write_state::load(&state.conn)?.generation;
        let new_generation = generation + 1;
        let key_id = u32::try_from(new_generation)
            .map_err(|_| Error::Crypto("the key generation counter is exhausted"))?;
        let mut new_keyring = Keyring::new(new_key);
        let rows = records::all(&state.conn)?;
        let mut resealed = Vec::with_capacity(rows.len());
        let mut damaged_records_kept = 0;
        {
            let keyring = state.keyring()?;
            let mut scratch = Zeroizing::new(Vec::new());
            for row in rows {
                let id = RecordId(row.id);
                match super::records::open_in_place(
                    keyring,
                    &journal_id,
                    &id,
                    row.revision,
                    &row.envelope,
                    &mut scratch,
                ) {
                    Ok(p) => {
                        let payload =
                            encode_payload(p.kind, p.body_version, p.flags, p.stamp, p.body)?;
                        let context = record_context(&journal_id, &id, row.revision);
                        let sealed = new_keyring.seal_record(key_id, &context, &payload)?;
                        resealed.push((row.id, row.revision, sealed));
                    }
                    Err(_) => damaged_records_kept += 1,
                }
            }
        }
        let records_resealed = resealed.len() as u64;
        let clock = state.write.clock;
        let tx = state
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (id, revision, sealed) in &resealed {
            records::put(&tx, id, *revision, sealed)?;
        }
        for slot in &new_slots {
            slot_keys::insert_verified(&tx, &journal_id, slot, new_keyring.data_key())?;
        }
        for old in &old_slots {
            slots::delete(&tx, old.id)?;
        }
        let write = WriteState {
            generation: new_generation,
            seals: records_resealed,
            clock,
        };
        write_state::replace(&tx, write)?;
        tx.commit()?;
        state.write = write;
        state.keyring = Some(new_keyring);
        state.epoch += 1;
        connection::checkpoint_truncate(&state.conn)?;
        Ok(KeyRotation {
            recovery_code,
            records_resealed,
            damaged_records_kept,
            platform_slots_removed,
        })
    }
}
