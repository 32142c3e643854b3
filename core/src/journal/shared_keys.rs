//! What a journal shares with the person's other devices through a sync store, and a journal
//! made on a new device from it.
//!
//! Every device of one journal holds the same data key (so keyed record ids and the sync key
//! agree) and the same journal id (so the key slots, which are bound to it, can be copied as
//! they are). The store holds the passphrase and recovery-code slots: wrapped copies of the
//! data key, opened only by the passphrase (through Argon2id) or the recovery code. The data
//! key itself is never written anywhere in clear. Device-key slots stay on their device.

use super::{local_state, slot_keys, staging, Journal, RecordWriter, State};
use crate::crypto::keyring::{DataKey, Keyring};
use crate::crypto::recovery_code::RecoveryCode;
use crate::crypto::sync_keys::SyncKeys;
use crate::error::{Error, Result};
use crate::store::connection::{self, Mode};
use crate::store::slots::{self, SlotKind, SlotRow};
use crate::store::write_state;
use crate::store::{schema, settings};
use crate::JournalOptions;
use rusqlite::TransactionBehavior;
use std::path::Path;
use std::sync::Mutex;

/// The local value holding the sync roots of the data keys this journal had before its
/// rotations (newest last), so the first sync after a rotation can bring in what the other
/// devices wrote under the old key.
pub(crate) const PREVIOUS_SYNC_ROOTS: &str = "previous_sync_roots";
/// How many earlier keys a journal keeps the sync roots of.
pub(crate) const KEEP_PREVIOUS_KEYS: usize = 4;

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

    /// The keys that seal and authenticate what this journal puts in a sync store: derived
    /// from the data key, the same on every device of the journal. Needs it unlocked.
    pub(crate) fn sync_keys(&self) -> Result<SyncKeys> {
        let mut state = self.state();
        state.keyring()?.sync_keys()
    }

    /// The sync keys of the data keys this journal had before its last rotations, newest
    /// first (at most [`KEEP_PREVIOUS_KEYS`]). Needs it unlocked.
    pub(crate) fn previous_sync_keys(&self) -> Result<Vec<SyncKeys>> {
        let mut state = self.state();
        let journal_id = state.journal_id;
        let super::State { conn, keyring, .. } = &mut *state;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        let Some(roots) = local_state::read(conn, keyring, &journal_id, PREVIOUS_SYNC_ROOTS)?
        else {
            return Ok(Vec::new());
        };
        roots
            .chunks_exact(32)
            .rev()
            .map(|root| {
                let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
                bytes.copy_from_slice(root);
                SyncKeys::from_root(&bytes)
            })
            .collect()
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
    ) -> Result<(Journal, SlotRow)> {
        options.validate()?;
        let (data_key, opened) = open_shared(shared, secret)?;
        Journal::clear_the_way(path)?;
        let staging = staging::staging_path(path)?;
        let mut conn =
            connection::open(&staging, Mode::Create).map_err(|e| super::explain_io(&staging, e))?;
        let built = (|| {
            schema::migrate(&mut conn, &staging)?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            Journal::begin(&tx, &shared.journal_id)?;
            insert_shared(&tx, &shared.journal_id, &shared.rows)?;
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
        Ok((journal.publish(path)?, opened))
    }
}

impl Journal {
    /// Opens the data key wrapped in `shared` (another device's slots) with `secret`; returns
    /// it with the slot that opened. Runs Argon2id for a passphrase.
    pub(crate) fn open_shared_key(
        shared: &SharedSlots,
        secret: JoinSecret<'_>,
    ) -> Result<(DataKey, SlotRow)> {
        super::unlock::scrubbed(|| open_shared(shared, secret))
    }

    /// Moves this unlocked journal to `new_key`, the key another device of the journal rotated
    /// to (opened from its `rows` by the person's secret): every record is re-sealed under it
    /// and the slots become `rows`, in one transaction, as a rotation made here would; what
    /// this journal holds stays. Device-key slots are dropped.
    pub(crate) fn adopt_data_key(
        &self,
        new_key: DataKey,
        rows: &[SlotRow],
        natural_key: super::NaturalKey<'_>,
    ) -> Result<()> {
        if rows.is_empty() || rows.iter().any(|r| r.kind == SlotKind::Platform) {
            return Err(Error::SyncStore {
                detail: "the key slots another device shared are damaged".into(),
            });
        }
        // As for a rotation made here: rows the image still holds are repaired first.
        self.repair_from_image()?;
        let adopted = super::unlock::scrubbed(|| {
            let mut state = self.state();
            if rows.iter().any(|r| !r.is_intact(&state.journal_id)) {
                return Err(Error::SyncStore {
                    detail: "the key slots another device shared are damaged".into(),
                });
            }
            let old_slots = slots::all(&state.conn)?;
            super::rekey::reseal_under(
                &mut state,
                new_key,
                super::rekey::NewSlots::Shared(rows),
                &old_slots,
                natural_key,
            )?;
            Ok(())
        });
        adopted.map_err(|e| super::explain_io(&self.path, e))
    }
}

impl RecordWriter<'_> {
    /// Replaces this journal's passphrase and recovery-code slots by `rows` (slots another
    /// device of the journal shared), in this transaction; platform slots stay. Every row
    /// must be intact for this journal and there must be at least one, or nothing changes.
    pub(crate) fn replace_shared_slots(&mut self, rows: &[SlotRow]) -> Result<()> {
        if rows.is_empty()
            || rows
                .iter()
                .any(|r| r.kind == SlotKind::Platform || !r.is_intact(&self.journal_id))
        {
            return Err(Error::SyncStore {
                detail: "the key slots another device shared are damaged".into(),
            });
        }
        for row in slots::all(&self.tx)? {
            if row.kind != SlotKind::Platform {
                slots::delete(&self.tx, row.id)?;
            }
        }
        insert_shared(&self.tx, &self.journal_id, rows)?;
        // The retired slots must not linger in the write-ahead log (S11).
        self.deleted = true;
        Ok(())
    }
}

/// Inserts slot rows another device shared, as they are (each gets a new id and checksum for
/// this file; the wrap is bound to the journal id, not to the row).
pub(super) fn insert_shared(
    conn: &rusqlite::Connection,
    journal_id: &[u8; 16],
    rows: &[SlotRow],
) -> Result<()> {
    for row in rows {
        slots::insert(
            conn,
            journal_id,
            row.kind,
            &row.label,
            &row.salt,
            &row.params,
            &row.wrapped_key,
        )?;
    }
    Ok(())
}

/// Opens the data key from shared slots with `secret`; returns it with the slot that opened.
fn open_shared(shared: &SharedSlots, secret: JoinSecret<'_>) -> Result<(DataKey, SlotRow)> {
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
            return Ok((key, (*row).clone()));
        }
    }
    Err(slot_keys::nothing_opened(intact.len(), damaged))
}
