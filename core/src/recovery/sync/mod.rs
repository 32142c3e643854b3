//! Sync between a person's devices through a store that cannot read: a folder or a WebDAV
//! server, or a shell's own storage through the [`SyncStore`] trait.
//!
//! **What a sync does** ([`Recovery::sync`]), in this order:
//! 1. Reads the store's `keys` file ([`keys_file`]) and tells whose it is: this journal's
//!    under its current key (its HMAC verified), under a key this device rotated away from
//!    (the first sync after `rotate-key`), under a later key (the key was rotated on another
//!    device: [`Error::SyncKeyChanged`], nothing synced), another journal's (refused), or
//!    missing or altered (written again, under a new store id).
//! 2. **Pulls** ([`pull`]): opens what it has not opened in this store, refuses to go on if
//!    the store shows less than it did before ([`Error::SyncRolledBack`]), and applies what
//!    is new by the writers' sequence numbers ([`ledger`]): never anything this journal holds
//!    already, so no replayed, restored or re-listed blob is applied twice. Applying merges
//!    by the rules of backups (`recovery::backup`): matched by identity, the later edit
//!    wins, deletions travel as tombstones, everything checked like input. **Concurrent
//!    edits** (a version the sender had not seen this journal's edit of, and this journal
//!    had not seen before) keep what a person wrote: a journal entry or reflection as a
//!    **conflict copy**, a day's check-in field by field, a safety plan or card item by item.
//!    A blob that does not open is **refused**, counted, never applied.
//! 3. **The key slots** ([`secrets`]): the newest verified set wins on every device; a
//!    newer one from another device is adopted here and the person told what changed.
//! 4. **Pushes** ([`push`]): what this device wrote since its last push to this store as one
//!    change set, or everything as a snapshot when the store is new, when resending, after a
//!    key rotation, after bringing in blobs under an earlier key, or when the store holds 16
//!    change sets (then the snapshot replaces what it covers: a compaction).
//! 5. Writes `keys` when the store's is missing, altered or older, then removes what a
//!    snapshot replaced.
//!
//! **Idempotent and resumable.** Applying a blob and noting it in the ledger commit
//! together; a blob's sequence number is saved before the blob is written, and a blob is
//! written whole under a fresh name before this device notes it sent. A sync killed at any
//! point leaves both sides consistent, and the next one completes.
//!
//! **Joining** ([`Recovery::join`]): a new device reads `keys`, opens the data key with the
//! passphrase or the recovery code, makes its journal with the same id and slots, checks the
//! file's HMAC, and syncs; a secret another device has replaced since does not join.

mod blob;
mod folder;
mod join;
mod keys_file;
mod ledger;
mod pull;
mod push;
mod secrets;
mod state;
mod store;
#[cfg(feature = "webdav")]
mod webdav;

pub use folder::FolderStore;
pub use secrets::SecretChange;
pub use store::{is_blob_name, StoreError, SyncStore, MAX_BLOB_BYTES};
#[cfg(feature = "webdav")]
pub use webdav::WebDavStore;

use super::backup::MergeReport;
use super::Recovery;
use crate::crypto::sync_keys::{SyncKeys, LEGACY_ENVELOPE_ID};
use crate::error::{Error, Result};
use crate::Journal;
use blob::SlotSet;
use keys_file::KEYS;
use ledger::{KeysVersion, Ledger};
use push::Push;
use serde::Serialize;
use state::StoreState;

/// A store holding this many change sets or more is compacted into a snapshot.
pub const COMPACT_AFTER: usize = 16;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Records this device sent: written here since its last sync.
    pub sent: i64,
    /// Deletions this device sent.
    pub sent_deletions: i64,
    /// Change sets and snapshots from other devices applied.
    pub received: i64,
    /// What applying them did: records added, updated, deleted, kept; conflict copies made;
    /// records quarantined.
    pub merged: MergeReport,
    /// Blobs refused: they name this journal's key but do not open (changed, truncated,
    /// renamed or damaged). Never applied.
    pub refused: i64,
    /// Blobs sealed under a key this device does not hold: another journal's, or this
    /// journal's from before a key change. Never applied (the device that changed the key
    /// brings in what they hold).
    pub foreign: i64,
    /// Change sets waiting for an earlier change set of the same device that the store does
    /// not show yet (still arriving, or withheld): applied once it arrives.
    pub waiting: i64,
    /// Blobs this device replaced by a snapshot (0 when it did not compact).
    pub compacted: i64,
    /// Changes of secret made on another device and adopted here.
    pub secrets_changed: Vec<SecretChange>,
    /// True when this sync moved the store to the key `rotate-key` made here: everything was
    /// sent again under it, and what was under the old key removed once covered.
    pub key_changed_in_store: bool,
    /// True when the store's key file was missing or altered and was written again.
    pub keys_repaired: bool,
    /// True when this device moved to the key the journal was rotated to on another device
    /// ([`Recovery::join_again`]); its device-key slots were dropped: enrol it again.
    pub key_adopted: bool,
}

/// How far a sync has come: `done` of `total` blobs from the store opened.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// What the store's `keys` file told.
enum StoreKeys {
    /// None, or one whose HMAC fails under this journal's key: written again.
    Missing { altered: bool },
    /// A file from before the sync epochs.
    Legacy { store_id: [u8; 16] },
    /// This journal's under its current key.
    Current { store_id: [u8; 16], slots: SlotSet },
    /// This journal's under a key it rotated away from.
    Previous {
        store_id: [u8; 16],
        version: KeysVersion,
    },
}

/// One sync with one store: what every step needs.
pub(crate) struct Session<'a> {
    store: &'a dyn SyncStore,
    keys: SyncKeys,
    previous: Vec<SyncKeys>,
    store_id: [u8; 16],
    me: u64,
    /// The store's keys are from before the sync epochs.
    legacy_store: bool,
    /// The store had no (valid) keys file.
    keys_missing: bool,
    /// Send everything and skip the rollback check (the person restored the store on
    /// purpose, or another device reported a damaged file).
    resend: bool,
}

impl Session<'_> {
    /// The envelope key ids of every key this device holds.
    fn envelope_ids(&self) -> Vec<u32> {
        let mut ids = vec![self.keys.envelope_id(), LEGACY_ENVELOPE_ID];
        ids.extend(self.previous.iter().map(SyncKeys::envelope_id));
        ids
    }
}

impl Recovery {
    /// Syncs with `store` (see the module docs). Needs the journal unlocked.
    pub fn sync(&self, store: &dyn SyncStore) -> Result<SyncReport> {
        self.sync_with_progress(store, &mut |_, _| {})
    }

    /// Like [`Recovery::sync`], calling `progress` before each blob it opens.
    pub fn sync_with_progress(
        &self,
        store: &dyn SyncStore,
        progress: Progress<'_>,
    ) -> Result<SyncReport> {
        self.sync_inner(store, progress, false)
    }

    /// Like [`Recovery::sync_with_progress`], but sends the whole journal again as one
    /// snapshot, and goes on where the store shows less than before: for a store restored
    /// from an older copy on purpose, or when another device reported a damaged file (what
    /// it held reaches the others again). Every device already holding a record finds it
    /// unchanged.
    pub fn sync_resending(
        &self,
        store: &dyn SyncStore,
        progress: Progress<'_>,
    ) -> Result<SyncReport> {
        self.sync_inner(store, progress, true)
    }

    fn sync_inner(
        &self,
        store: &dyn SyncStore,
        progress: Progress<'_>,
        resend: bool,
    ) -> Result<SyncReport> {
        let out = self.sync_session(store, progress, resend);
        // The sync keys were dropped (and overwritten) with the session; what deriving and
        // using them left on the stack goes too (S6).
        crate::crypto::keyring::scrub_stack();
        out
    }

    fn sync_session(
        &self,
        store: &dyn SyncStore,
        progress: Progress<'_>,
        resend: bool,
    ) -> Result<SyncReport> {
        let journal = self.journal();
        let keys = journal.sync_keys()?;
        let previous = journal.previous_sync_keys()?;
        let ledger = self.write(Ledger::load)?;
        let found = read_keys(store, journal, &keys, &previous, &ledger)?;
        let (store_id, legacy_store, keys_missing) = match &found {
            StoreKeys::Missing { .. } => (crate::crypto::random_array()?, false, true),
            StoreKeys::Legacy { store_id } => (*store_id, true, false),
            StoreKeys::Current { store_id, .. } | StoreKeys::Previous { store_id, .. } => {
                (*store_id, false, false)
            }
        };
        let session = Session {
            store,
            keys,
            previous,
            store_id,
            me: journal.device(),
            legacy_store,
            keys_missing,
            resend,
        };
        let mut report = SyncReport {
            keys_repaired: matches!(found, StoreKeys::Missing { altered: true }),
            ..SyncReport::default()
        };
        let mut state = self.write(|w| StoreState::load(w, &session.store_id))?;
        let pulled = self.pull(&session, &mut state, &mut report, progress)?;
        // A folder with files and no key file had one: it is written again, and said so.
        report.keys_repaired |= keys_missing && !state.seen.is_empty();

        let slots = self.settle_slots(&session, &found, pulled.slots.clone(), &mut report)?;
        let transition = matches!(found, StoreKeys::Previous { .. });
        let full = keys_missing
            || resend
            || transition
            || legacy_store
            || pulled.relay
            || pulled.changes_listed >= COMPACT_AFTER;
        let publish = match &found {
            StoreKeys::Current { slots: theirs, .. } => theirs.version < slots.version,
            _ => true,
        };
        let what = if full {
            Push::Snapshot(self.replaceable(&state)?)
        } else if publish {
            // New slots also travel in a blob, even with nothing else to send: a store that
            // puts an older key file back cannot hide them from a device that joins.
            Push::ChangesAlways
        } else {
            Push::Changes
        };
        let replaced = self.push(&session, &mut state, &slots, what, &mut report)?;
        if publish {
            let bytes = keys_file::encode(
                &journal.shared_slots()?.journal_id,
                &session.store_id,
                &slots.rows,
                &session.keys,
                &slots.version,
            )?;
            store.put(KEYS, &bytes)?;
        }
        for name in &replaced {
            store.delete(name)?;
        }
        report.compacted = crate::recovery::counts::of_len(replaced.len()).into();
        report.key_changed_in_store = transition;
        Ok(report)
    }

    /// Settles which key slots are the journal's (see [`secrets`]): this device's own, or a
    /// newer set another device shared (adopted here); returns the set, with its version.
    fn settle_slots(
        &self,
        session: &Session<'_>,
        found: &StoreKeys,
        from_blobs: Option<SlotSet>,
        report: &mut SyncReport,
    ) -> Result<SlotSet> {
        let journal = self.journal();
        let local = journal.shared_slots()?.rows;
        let ledger = self.write(Ledger::load)?;
        let mut newest: Option<SlotSet> = from_blobs;
        let mut highest_epoch = newest.as_ref().map_or(0, |s| s.version.epoch);
        match found {
            StoreKeys::Current { slots, .. } => {
                highest_epoch = highest_epoch.max(slots.version.epoch);
                if newest.as_ref().is_none_or(|n| n.version < slots.version) {
                    newest = Some(slots.clone());
                }
            }
            StoreKeys::Previous { version, .. } => highest_epoch = highest_epoch.max(version.epoch),
            StoreKeys::Missing { .. } | StoreKeys::Legacy { .. } => {}
        }
        let now = u64::try_from(self.now().timestamp_millis()).unwrap_or(0);
        let mine = SlotSet {
            version: secrets::local_version(&ledger, &local, highest_epoch, now, session.me),
            rows: local.clone(),
        };
        match newest {
            Some(newer) if newer.version > mine.version && !newer.rows.is_empty() => {
                let changed = self.write(|w| secrets::adopt(w, &local, &newer))?;
                report.secrets_changed = changed;
                Ok(newer)
            }
            _ => {
                let digest = secrets::digest(&mine.rows);
                let version = mine.version;
                self.write(|w| Ledger::update(w, |l| l.keys = Some((version, digest))))?;
                Ok(mine)
            }
        }
    }
}

/// Reads the store's `keys` file and tells whose it is (see [`StoreKeys`]).
fn read_keys(
    store: &dyn SyncStore,
    journal: &Journal,
    keys: &SyncKeys,
    previous: &[SyncKeys],
    ledger: &Ledger,
) -> Result<StoreKeys> {
    let Some(bytes) = store::get_bounded(store, KEYS)? else {
        return Ok(StoreKeys::Missing { altered: false });
    };
    let file = keys_file::decode(&bytes)?;
    if file.journal_id != journal.shared_slots()?.journal_id {
        return Err(Error::SyncStore {
            detail: "the store holds another journal: join it from a new journal, or sync to \
                     an empty folder"
                .into(),
        });
    }
    let Some(signed) = &file.signed else {
        // A file from before the sync epochs: only a store this device never synced in the
        // new format is moved from it (a device that has would be downgraded by it).
        return Ok(if ledger.keys.is_none() {
            StoreKeys::Legacy {
                store_id: file.store_id,
            }
        } else {
            StoreKeys::Missing { altered: true }
        });
    };
    if signed.key_id == keys.id() {
        return Ok(match file.verified_version(keys) {
            Some(version) => StoreKeys::Current {
                store_id: file.store_id,
                slots: SlotSet {
                    version,
                    rows: file.rows,
                },
            },
            None => StoreKeys::Missing { altered: true },
        });
    }
    for old in previous {
        if signed.key_id == old.id() {
            return Ok(match file.verified_version(old) {
                Some(version) => StoreKeys::Previous {
                    store_id: file.store_id,
                    version,
                },
                None => StoreKeys::Missing { altered: true },
            });
        }
    }
    Err(Error::SyncKeyChanged)
}

/// Fuzzing entry points (feature `fuzzing`): everything sync reads from a store or from its
/// own sealed state, as if it had authenticated. None may panic, whatever the bytes.
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzz_entry {
    use super::*;

    /// The first byte picks what the rest is read as: a `keys` file (then checked under a
    /// fixed key), an opened blob's plaintext (both layouts), the ledger, or a store's state.
    pub(crate) fn sync_files(data: &[u8]) {
        let [pick, rest @ ..] = data else {
            return;
        };
        match pick % 4 {
            0 => {
                if let (Ok(file), Ok(keys)) =
                    (keys_file::decode(rest), SyncKeys::from_root(&[7u8; 32]))
                {
                    let _ = file.verified_version(&keys);
                }
            }
            1 => {
                for version in [1, 2] {
                    if let Some(sealed) = blob::parse(version, rest) {
                        let _ = sealed.payload.encode();
                    }
                }
            }
            2 => {
                let _ = ledger::Ledger::decode(rest).map(|l| l.encode());
            }
            _ => {
                let _ = state::StoreState::decode(rest).map(|s| s.encode());
            }
        }
    }

    /// Real inputs for [`sync_files`] (each with its picking byte): `recovery` synced to a
    /// folder in `dir`, then its keys file, a blob's plaintext, its ledger and its state with
    /// the folder.
    pub(crate) fn seeds(recovery: &Recovery, dir: &std::path::Path) -> Result<Vec<Vec<u8>>> {
        let store = FolderStore::new(dir)?;
        recovery.sync(&store)?;
        let keys = recovery.journal().sync_keys()?;
        let previous = recovery.journal().previous_sync_keys()?;
        let mut out = Vec::new();
        if let Some(bytes) = store.get(KEYS)? {
            out.push([&[0u8][..], &bytes].concat());
        }
        let file = keys_file::decode(&store.get(KEYS)?.unwrap_or_default())?;
        for name in store.list()? {
            let Some(bytes) = store.get(&name)? else {
                continue;
            };
            if let blob::Opened::Sealed(sealed, _) = blob::open(&keys, &previous, &name, bytes) {
                out.push([&[1u8][..], &blob::plaintext(&sealed)?].concat());
            }
        }
        let ledger = recovery.write(Ledger::load)?;
        out.push([&[2u8][..], &ledger.encode()].concat());
        let state = recovery.write(|w| StoreState::load(w, &file.store_id))?;
        out.push([&[3u8][..], &state.encode()].concat());
        Ok(out)
    }
}
