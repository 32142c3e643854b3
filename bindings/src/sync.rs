//! Sync from the phones (the rules are the core's `waymark_core::recovery::sync`): the
//! journal's `sync` and [`join_journal`], with a store the shell gives. A shell plugs in its
//! platform's own storage by implementing [`SyncStorage`] (a Google Drive app folder, a
//! CloudKit asset store, a WebDAV client); [`folder_sync_storage`] is the built-in one for a
//! folder (an iCloud Drive or Files folder, a shared folder on a desktop). Every call here
//! reads and writes the store, and `join_journal` runs Argon2id: keep them off the UI thread.

use crate::error::{Result, WaymarkError};
use crate::journal::{clock_of, options, WaymarkJournal};
use crate::platform::ShellClock;
use std::path::Path;
use std::sync::Arc;
use waymark_core::recovery::sync::{FolderStore, StoreError, SyncReport, SyncStore};
use waymark_core::recovery::Recovery;
use waymark_core::{JoinSecret, KdfParams};

/// Why a sync storage could not do what was asked, in the platform's words (never a blob's
/// content).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum SyncStorageFailure {
    /// The storage failed: no network, no permission, no space...
    #[error("{reason}")]
    Failed {
        /// What the platform said.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for SyncStorageFailure {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        SyncStorageFailure::Failed {
            reason: error.reason,
        }
    }
}

/// A place that keeps named blobs for sync: the shell implements it over its platform's
/// storage, or takes [`folder_sync_storage`]. Names are 1 to 64 of `a-z`, `0-9` and `-`;
/// blobs are opaque bytes (encrypted, padded). `put` replaces a blob whole, and a reader must
/// see either the old or the new bytes, never a part (write then rename, or the platform's
/// atomic upload). `get` of a blob that is gone gives `null`/`nil`; `delete` of one is fine.
#[uniffi::export(with_foreign)]
pub trait SyncStorage: Send + Sync {
    /// The names of every blob.
    fn list(&self) -> std::result::Result<Vec<String>, SyncStorageFailure>;
    /// A blob's bytes, or none when it is gone.
    fn get(&self, name: String) -> std::result::Result<Option<Vec<u8>>, SyncStorageFailure>;
    /// Writes a blob whole, replacing one of the same name.
    fn put(&self, name: String, bytes: Vec<u8>) -> std::result::Result<(), SyncStorageFailure>;
    /// Removes a blob.
    fn delete(&self, name: String) -> std::result::Result<(), SyncStorageFailure>;
}

/// The built-in folder storage (see [`SyncStorage`]).
struct FolderStorage(FolderStore);

fn failure(e: StoreError) -> SyncStorageFailure {
    SyncStorageFailure::Failed { reason: e.0 }
}

impl SyncStorage for FolderStorage {
    fn list(&self) -> std::result::Result<Vec<String>, SyncStorageFailure> {
        self.0.list().map_err(failure)
    }
    fn get(&self, name: String) -> std::result::Result<Option<Vec<u8>>, SyncStorageFailure> {
        self.0.get(&name).map_err(failure)
    }
    fn put(&self, name: String, bytes: Vec<u8>) -> std::result::Result<(), SyncStorageFailure> {
        self.0.put(&name, &bytes).map_err(failure)
    }
    fn delete(&self, name: String) -> std::result::Result<(), SyncStorageFailure> {
        self.0.delete(&name).map_err(failure)
    }
}

/// A sync storage in the folder at `path` (made owner-only if missing): each blob one file,
/// written under a temporary name and renamed.
#[uniffi::export]
pub fn folder_sync_storage(path: String) -> Result<Arc<dyn SyncStorage>> {
    let store = FolderStore::new(Path::new(&path)).map_err(waymark_core::Error::from)?;
    Ok(Arc::new(FolderStorage(store)))
}

/// Adapts a shell's [`SyncStorage`] to the core's store.
struct ForeignStore(Arc<dyn SyncStorage>);

fn store_error(e: SyncStorageFailure) -> StoreError {
    match e {
        SyncStorageFailure::Failed { reason } => StoreError(reason),
    }
}

impl SyncStore for ForeignStore {
    fn list(&self) -> std::result::Result<Vec<String>, StoreError> {
        self.0.list().map_err(store_error)
    }
    fn get(&self, name: &str) -> std::result::Result<Option<Vec<u8>>, StoreError> {
        self.0.get(name.to_owned()).map_err(store_error)
    }
    fn put(&self, name: &str, bytes: &[u8]) -> std::result::Result<(), StoreError> {
        self.0
            .put(name.to_owned(), bytes.to_vec())
            .map_err(store_error)
    }
    fn delete(&self, name: &str) -> std::result::Result<(), StoreError> {
        self.0.delete(name.to_owned()).map_err(store_error)
    }
}

#[uniffi::export]
impl WaymarkJournal {
    /// Syncs with `storage`: applies what the other devices sent, sends what was written
    /// here, compacts when the store is long (see the core's `recovery::sync`). A storage
    /// failure is `SyncFailed` with nothing half-applied; syncing again resumes. Slow (the
    /// storage's speed).
    pub fn sync(&self, storage: Arc<dyn SyncStorage>) -> Result<SyncReport> {
        self.with(|r| r.sync(&ForeignStore(storage)))
    }

    /// Like [`WaymarkJournal::sync`], sending the whole journal again as one snapshot and
    /// going on where the storage shows less than before: after `SyncRolledBack` for a
    /// storage the person restored from an older copy on purpose, or when another device
    /// reports files it cannot read (`refused`) or change sets that keep waiting.
    pub fn sync_resending(&self, storage: Arc<dyn SyncStorage>) -> Result<SyncReport> {
        self.with(|r| r.sync_resending(&ForeignStore(storage), &mut |_, _| {}))
    }

    /// Joins this journal to `storage` again after its key was rotated on another device
    /// (`SyncKeyChanged`), keeping everything it holds: opened with the journal's current
    /// `passphrase` or `recovery_code` (give exactly one), it moves this journal to the new
    /// key and syncs (`report.key_adopted`). Device-key slots are dropped: enrol the device
    /// key again. Slow: Argon2id for a passphrase, re-sealing every record, then a sync.
    #[uniffi::method(default(passphrase = None, recovery_code = None))]
    pub fn join_again(
        &self,
        storage: Arc<dyn SyncStorage>,
        passphrase: Option<String>,
        recovery_code: Option<String>,
    ) -> Result<SyncReport> {
        let secret = one_secret(&passphrase, &recovery_code)?;
        self.with(|r| r.join_again(&ForeignStore(storage), secret))
    }
}

/// The one secret of a join: the passphrase or the recovery code.
fn one_secret<'a>(
    passphrase: &'a Option<String>,
    recovery_code: &'a Option<String>,
) -> Result<JoinSecret<'a>> {
    match (passphrase, recovery_code) {
        (Some(p), None) => Ok(JoinSecret::Passphrase(p)),
        (None, Some(c)) => Ok(JoinSecret::RecoveryCode(c)),
        _ => Err(WaymarkError::from(waymark_core::Error::invalid(
            "passphrase",
            "give the journal's passphrase or its recovery code (one of them)",
        ))),
    }
}

/// A journal made on this device from the journal in a sync storage, and its first sync.
#[derive(uniffi::Record)]
pub struct JoinedJournal {
    /// The journal, unlocked.
    pub journal: Arc<WaymarkJournal>,
    /// What the first sync brought in.
    pub report: SyncReport,
}

/// Makes this device's journal at `path` from the journal in `storage`, opened with its
/// `passphrase` or its `recovery_code` (give exactly one): same journal, same secrets, every
/// record synced in. A wrong secret is `WrongSecret` and leaves nothing at `path`; a storage
/// without a journal is `SyncFailed`. Slow: Argon2id for a passphrase, then a full sync.
#[uniffi::export(default(passphrase = None, recovery_code = None, kdf = None, clock = None))]
pub fn join_journal(
    path: String,
    storage: Arc<dyn SyncStorage>,
    passphrase: Option<String>,
    recovery_code: Option<String>,
    kdf: Option<KdfParams>,
    clock: Option<Arc<dyn ShellClock>>,
) -> Result<JoinedJournal> {
    let secret = one_secret(&passphrase, &recovery_code)?;
    let (recovery, report): (Recovery, SyncReport) = Recovery::join(
        Path::new(&path),
        &ForeignStore(storage),
        secret,
        options(kdf)?,
        clock_of(clock),
    )?;
    Ok(JoinedJournal {
        journal: Arc::new(WaymarkJournal::from_recovery(recovery)),
        report,
    })
}
