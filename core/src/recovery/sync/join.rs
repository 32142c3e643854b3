//! Joining: a new device made from the journal in a store, and a device left behind by a
//! key rotation joining its store again while keeping what it holds.

use super::keys_file::{self, KeysFile, KEYS};
use super::ledger::Ledger;
use super::{secrets, store, SyncReport, SyncStore};
use crate::crypto::sync_keys::{root_of, SyncKeys};
use crate::error::{Error, Result};
use crate::journal::{JoinSecret, SharedSlots};
use crate::recovery::clock::Clock;
use crate::recovery::Recovery;
use crate::store::slots::SlotRow;
use crate::{Journal, JournalOptions};
use std::path::Path;
use std::sync::Arc;

/// The store's keys file, or the error a person reads when there is none.
fn keys_of(store: &dyn SyncStore) -> Result<KeysFile> {
    let bytes = store::get_bounded(store, KEYS)?.ok_or_else(|| Error::SyncStore {
        detail: "the store holds no journal yet: sync a device that has one to it first".into(),
    })?;
    keys_file::decode(&bytes)
}

/// The error for a keys file whose HMAC fails under the key its slots open.
fn altered() -> Error {
    Error::SyncStore {
        detail: "the store's key file was changed by someone without the journal's key: \
                 nothing was joined"
            .into(),
    }
}

impl Recovery {
    /// Makes this device's journal at `path` from the journal in `store`: reads its key
    /// slots, opens the data key with `secret` (a passphrase runs Argon2id: slow), creates
    /// the journal with the same id and slots (complete or not at all), checks the store's
    /// key file, and syncs it full. A store without a journal is [`Error::SyncStore`]; a
    /// wrong secret, or one another device has replaced since, [`Error::WrongSecret`],
    /// leaving nothing at `path`.
    pub fn join(
        path: &Path,
        store: &dyn SyncStore,
        secret: JoinSecret<'_>,
        options: JournalOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<(Recovery, SyncReport)> {
        let file = keys_of(store)?;
        let shared = SharedSlots {
            journal_id: file.journal_id,
            rows: file.rows.clone(),
        };
        let (journal, opened) = crate::journal::unlock_scrubbed(|| {
            Journal::create_joined(path, &shared, secret, options)
        })?;
        let recovery = Recovery::new(journal, clock);
        match recovery.first_sync(store, &file, &opened) {
            Ok(report) => Ok((recovery, report)),
            Err(e) => {
                // Nothing of a join that failed stays behind.
                let _ = recovery.into_journal().wipe();
                Err(e)
            }
        }
    }

    /// The sync that fills a journal just joined: the store's key file must verify under the
    /// key its slots opened, and the slot that opened must still be one of the journal's
    /// after the sync (a store showing an older key file cannot let a replaced passphrase
    /// or recovery code join).
    fn first_sync(
        &self,
        store: &dyn SyncStore,
        file: &KeysFile,
        opened: &SlotRow,
    ) -> Result<SyncReport> {
        if file.signed.is_some() {
            let keys = self.journal().sync_keys()?;
            let version = file
                .verified_version(&keys)
                .ok_or_else(|| Error::SyncStore {
                    detail:
                        "the store's key file was changed by someone without the journal's key: \
                         nothing was joined"
                            .into(),
                })?;
            let digest = secrets::digest(&file.rows);
            self.write(|w| Ledger::update(w, |l| l.keys = Some((version, digest))))?;
        }
        let report = self.sync(store)?;
        let still_opens = self
            .journal()
            .shared_slots()?
            .rows
            .iter()
            .any(|r| r.salt == opened.salt && r.wrapped_key == opened.wrapped_key);
        if !still_opens {
            return Err(Error::WrongSecret);
        }
        Ok(report)
    }

    /// Joins this journal to `store` again after the journal's key was rotated on another
    /// device ([`Error::SyncKeyChanged`]), keeping everything it holds: opens the store's key
    /// with `secret` (the journal's current passphrase or recovery code; Argon2id for a
    /// passphrase: slow), checks the store's key file under it, re-seals this journal under
    /// that key with the store's slots (device-key slots are dropped: enrol the device key
    /// again), and syncs, so what was written here and never sent goes out too. A journal
    /// already on the store's key simply syncs.
    pub fn join_again(&self, store: &dyn SyncStore, secret: JoinSecret<'_>) -> Result<SyncReport> {
        let file = keys_of(store)?;
        let journal = self.journal();
        if file.journal_id != journal.shared_slots()?.journal_id {
            return Err(Error::SyncStore {
                detail: "the store holds another journal: join it from a new journal".into(),
            });
        }
        let on_store_key = match &file.signed {
            None => true,
            Some(signed) => signed.key_id == journal.sync_keys()?.id(),
        };
        if on_store_key {
            return self.sync(store);
        }
        let shared = SharedSlots {
            journal_id: file.journal_id,
            rows: file.rows.clone(),
        };
        let (key, _) = Journal::open_shared_key(&shared, secret)?;
        let root = root_of(key.bytes())?;
        let keys = SyncKeys::from_root(&root)?;
        let version = file.verified_version(&keys).ok_or_else(altered)?;
        drop(keys);
        self.drop_warm();
        journal.adopt_data_key(key, &file.rows, &crate::recovery::stored::natural_key)?;
        let digest = secrets::digest(&file.rows);
        self.write(|w| Ledger::update(w, |l| l.keys = Some((version, digest))))?;
        let mut report = self.sync(store)?;
        report.key_adopted = true;
        Ok(report)
    }
}
