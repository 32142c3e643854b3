//! What a journal shares with the person's other devices through a sync store, and a journal
//! made on a new device from it.
//!
//! Every device of one journal holds the same data key (so keyed record ids and the sync key
//! agree) and the same journal id (so the key slots, which are bound to it, can be copied as
//! they are). The store holds the passphrase and recovery-code slots: wrapped copies of the
//! data key, opened only by the passphrase (through Argon2id) or the recovery code. The data
//! key itself is never written anywhere in clear. Device-key slots stay on their device.

use super::{slot_keys, staging, Journal, State};
use crate::crypto::envelope::SealingKey;
use crate::crypto::keyring::{DataKey, Keyring};
use crate::crypto::recovery_code::RecoveryCode;
use crate::crypto::subkeys;
use crate::error::{Error, Result};
use crate::store::connection::{self, Mode};
use crate::store::slots::{self, SlotKind, SlotRow};
use crate::store::write_state;
use crate::store::{schema, settings};
use crate::JournalOptions;
use rusqlite::TransactionBehavior;
use std::path::Path;
use std::sync::Mutex;

/// The label of the key that seals what a journal puts in a sync store.
pub(crate) const LABEL_SYNC: &[u8] = b"waymark/v1/sync";

/// A journal's id and the key slots a new device joins with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SharedSlots {
    pub(crate) journal_id: [u8; 16],
    pub(crate) rows: Vec<SlotRow>,
}

/// The secret a person joins a new device with.
#[derive(Debug, Clone, Copy)]
pub enum JoinSecret<'a> {
    /// The journal's passphrase.
    Passphrase(&'a str),
    /// The journal's recovery code, as typed (case, spaces and dashes are forgiven).
    RecoveryCode(&'a str),
}

impl Journal {
    /// The journal id and its passphrase and recovery-code slots (intact ones only).
    pub(crate) fn shared_slots(&self) -> Result<SharedSlots> {
        let state = self.state();
        let rows = slots::all(&state.conn)?
            .into_iter()
            .filter(|r| r.kind != SlotKind::Platform && r.is_intact(&state.journal_id))
            .collect();
        Ok(SharedSlots {
            journal_id: state.journal_id,
            rows,
        })
    }

    /// The key that seals what this journal puts in a sync store: derived from the data key
    /// under its own label, the same on every device of the journal. Needs it unlocked.
    pub(crate) fn sync_key(&self) -> Result<SealingKey> {
        let mut state = self.state();
        let data_key = state.keyring()?.data_key().bytes();
        let key = subkeys::derive_subkey(data_key, LABEL_SYNC, &[])?;
        SealingKey::new(&key, 1)
    }

    /// This file's device id (stamped on every write it makes).
    pub(crate) fn device(&self) -> u64 {
        self.state().device
    }

    /// Makes this device's journal at `path` from the slots another device shared: opens the
    /// data key with `secret` (Argon2id for a passphrase: slow), then builds the journal
    /// under a temporary name with the same journal id and copies of the slots, and puts it
    /// in place complete (S19). It comes back unlocked and empty: a sync fills it. A wrong
    /// secret is [`Error::WrongSecret`] and leaves nothing behind.
    pub(crate) fn create_joined(
        path: &Path,
        shared: &SharedSlots,
        secret: JoinSecret<'_>,
        options: JournalOptions,
    ) -> Result<Journal> {
        options.validate()?;
        let data_key = open_shared(shared, secret)?;
        Journal::clear_the_way(path)?;
        let staging = staging::staging_path(path)?;
        let mut conn =
            connection::open(&staging, Mode::Create).map_err(|e| super::explain_io(&staging, e))?;
        let built = (|| {
            schema::migrate(&mut conn, &staging)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            Journal::begin(&tx, &shared.journal_id)?;
            for row in &shared.rows {
                slots::insert(
                    &tx,
                    &shared.journal_id,
                    row.kind,
                    &row.label,
                    &row.salt,
                    &row.params,
                    &row.wrapped_key,
                )?;
            }
            tx.commit()?;
            let write = write_state::load(&conn)?;
            let device = settings::device_id(&conn)?;
            Ok::<_, Error>((write, device))
        })();
        let (write, device) = match built {
            Ok(done) => done,
            Err(e) => {
                drop(conn);
                let _ = super::wipe::remove_files(&staging);
                return Err(super::explain_io(&staging, e));
            }
        };
        let journal = Journal {
            path: staging,
            options,
            state: Mutex::new(State::new(
                conn,
                shared.journal_id,
                Some(Keyring::new(data_key)),
                write,
                device,
                1,
            )),
        };
        journal.publish(path)
    }
}

/// Opens the data key from shared slots with `secret`.
fn open_shared(shared: &SharedSlots, secret: JoinSecret<'_>) -> Result<DataKey> {
    let (kind, code) = match secret {
        JoinSecret::Passphrase(_) => (SlotKind::Passphrase, None),
        JoinSecret::RecoveryCode(typed) => {
            (SlotKind::RecoveryCode, Some(RecoveryCode::parse(typed)?))
        }
    };
    let (intact, damaged) = slot_keys::intact_of_kind(&shared.rows, kind, &shared.journal_id);
    for row in &intact {
        let opened = match (secret, &code) {
            (JoinSecret::Passphrase(p), _) => {
                slot_keys::open_with_passphrase(row, &shared.journal_id, p)?
            }
            (JoinSecret::RecoveryCode(_), Some(code)) => {
                slot_keys::open_with_recovery_code(row, &shared.journal_id, code)?
            }
            (JoinSecret::RecoveryCode(_), None) => None,
        };
        if let Some(key) = opened {
            return Ok(key);
        }
    }
    Err(slot_keys::nothing_opened(intact.len(), damaged))
}
