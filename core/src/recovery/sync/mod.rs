//! Sync between a person's devices through a store that cannot read: a folder or a WebDAV
//! server, or a shell's own storage through the [`SyncStore`] trait.
//!
//! **What a sync does** ([`Recovery::sync`]), in this order:
//! 1. Puts the journal's key slots in the store (blob `keys`) if they are not there, and
//!    refuses a store that holds another journal's.
//! 2. **Pulls**: applies every change set and snapshot it has not applied yet (snapshots
//!    first), each in one transaction together with the note that it was applied, by the
//!    merge rules of backups (`recovery::backup`): matched by identity, the later edit wins,
//!    deletions travel as tombstones, everything checked like input and quarantined when it
//!    breaks a rule. A blob that does not open under this journal's sync key (another
//!    journal's, changed, renamed, truncated) is **refused**, counted, never applied.
//!    **Concurrent edits**: a record this device changed and has not sent yet, met by a
//!    different version from another device, is a concurrent edit. The later one wins; text a
//!    person wrote that lost (a journal entry) is kept as a **conflict copy** (an entry with
//!    `conflict_of` set), and a day's check-in is merged field by field (mood from one
//!    device, evening review from the other). Nothing a person wrote is silently lost.
//! 3. **Pushes**: what this device wrote since its last push to this store, as one sealed
//!    change set; the first push to an empty store carries the whole journal (each store has
//!    its own id in `keys`, and this device its own state for each). A device that syncs
//!    with several stores forwards other devices' writes only to a store it starts: keep one
//!    store per journal; moving to a new one, the first sync to it carries everything.
//! 4. **Compacts**: when the store holds 16 change sets or more, writes a snapshot of the
//!    whole journal naming what it replaces, then removes those, so a new device joins from
//!    one blob. Tombstones stay in snapshots, so a device offline for a year still learns of
//!    the deletions.
//!
//! **Idempotent and resumable.** Applying a blob and noting it applied commit together; a
//! blob is written under a fresh name in one piece before this device notes it sent. A sync
//! killed at any point leaves both sides consistent, and the next one completes (at worst
//! it sends a change set again, which changes nothing where it is applied). Two devices
//! syncing at once write different names; a blob a compaction removed before another device
//! read it is in the snapshot that device reads next.
//!
//! **Joining** ([`Recovery::join`]): a new device reads `keys`, opens the data key with the
//! passphrase or the recovery code, makes its journal with the same id and slots, and syncs.
//! After `rotate-key` on one device, the others must join again (the sync key changes with
//! the data key).

mod blob;
mod folder;
mod state;
mod store;
#[cfg(feature = "webdav")]
mod webdav;

pub use folder::FolderStore;
pub use store::{is_blob_name, StoreError, SyncStore, MAX_BLOB_BYTES};
#[cfg(feature = "webdav")]
pub use webdav::WebDavStore;

use super::backup::{
    deletions_of, merge_payload_in, BackupRecord, MergeReport, MergeRules, Payload,
};
use super::clock::Clock;
use super::Recovery;
use crate::error::{Error, Result};
use crate::journal::JoinSecret;
use crate::{Journal, JournalOptions};
use blob::{Sealed, CHANGE, KEYS, SNAPSHOT};
use serde::Serialize;
use state::SyncState;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

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
    /// Blobs refused: not this journal's, changed or damaged. Never applied.
    pub refused: i64,
    /// Blobs this device replaced by a snapshot (0 when it did not compact).
    pub compacted: i64,
}

/// The store a sync writes to, with its key and id.
#[derive(Clone, Copy)]
struct Target<'a> {
    store: &'a dyn SyncStore,
    key: &'a crate::crypto::envelope::SealingKey,
    store_id: &'a [u8; 16],
    /// True when this sync put the journal's keys in an empty store.
    new_store: bool,
}

/// How far a sync has come: `done` of `total` blobs from the store applied.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

impl Recovery {
    /// Syncs with `store` (see the module docs). Needs the journal unlocked.
    pub fn sync(&self, store: &dyn SyncStore) -> Result<SyncReport> {
        self.sync_with_progress(store, &mut |_, _| {})
    }

    /// Like [`Recovery::sync`], calling `progress` before each blob it pulls.
    pub fn sync_with_progress(
        &self,
        store: &dyn SyncStore,
        progress: Progress<'_>,
    ) -> Result<SyncReport> {
        self.sync_inner(store, progress, false)
    }

    /// Like [`Recovery::sync_with_progress`], but sends the whole journal again, not only
    /// what was written since the last sync: for when another device reported a damaged
    /// file in the store (what it held reaches the others again). Changes nothing anywhere
    /// else: every device already holding a record finds it unchanged.
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
        let journal = self.journal();
        let key = journal.sync_key()?;
        let (store_id, new_store) = self.share_keys(store)?;
        let listed: BTreeSet<String> = store
            .list()?
            .into_iter()
            .filter(|n| blob::is_sealed_name(n))
            .collect();
        let mut state = self.write(|w| SyncState::load(w, &key, &store_id))?;
        state.seen.retain(|n| listed.contains(n));
        state.refused.retain(|n| listed.contains(n));
        let mut report = SyncReport::default();

        let mut pending: Vec<&String> =
            listed.iter().filter(|n| !state.seen.contains(*n)).collect();
        pending.sort_by_key(|n| !n.starts_with(SNAPSHOT));
        let total = pending.len();
        for (done, name) in pending.into_iter().enumerate() {
            progress(done, total);
            if state.seen.contains(name) {
                continue; // in a snapshot applied meanwhile
            }
            let Some(bytes) = store::get_bounded(store, name)? else {
                continue; // removed by a compaction: its snapshot comes next time
            };
            let mut next = state.clone();
            next.seen.insert(name.clone());
            match blob::open(&key, name, bytes) {
                None => {
                    next.refused.insert(name.clone());
                    self.write(|w| next.save(w, &key, &store_id))?;
                }
                Some(sealed) => {
                    let applied_already = name.starts_with(SNAPSHOT)
                        && !sealed.covers.is_empty()
                        && sealed.covers.iter().all(|c| state.seen.contains(c));
                    next.seen.extend(sealed.covers.iter().cloned());
                    // A snapshot holds everything its device knew; a change set only what its
                    // device wrote, so only that is learnt from it.
                    if name.starts_with(SNAPSHOT) {
                        next.known.learn_all(&sealed.known);
                    }
                    for r in &sealed.payload.records {
                        next.known.learn(r.stamp);
                    }
                    for d in &sealed.payload.deletions {
                        next.known.learn(d.stamp);
                    }
                    let rules = MergeRules {
                        now: self.now(),
                        sender_knew: Some(sealed.known.clone()),
                    };
                    let merged = &mut report.merged;
                    self.write(|w| {
                        if !applied_already {
                            merge_payload_in(w, &sealed.payload, &rules, merged)?;
                        }
                        next.save(w, &key, &store_id)
                    })?;
                    report.received += 1;
                }
            }
            state = next;
        }
        progress(total, total);
        report.refused = crate::recovery::counts::of_len(state.refused.len()).into();

        let target = Target {
            store,
            key: &key,
            store_id: &store_id,
            new_store: new_store || resend,
        };
        self.push(&target, &mut state, &mut report)?;
        let changes = listed.iter().filter(|n| n.starts_with(CHANGE)).count();
        if changes >= COMPACT_AFTER {
            self.compact(&target, &mut state, &mut report)?;
        }
        Ok(report)
    }

    /// Puts this journal's key slots in the store (keeping the store's id), or refuses a
    /// store of another journal; returns the store's id, and whether the store was empty.
    fn share_keys(&self, store: &dyn SyncStore) -> Result<([u8; 16], bool)> {
        let shared = self.journal().shared_slots()?;
        let (store_id, current) = match store::get_bounded(store, KEYS)? {
            Some(theirs) => {
                let keys = blob::decode_keys(&theirs)?;
                if keys.shared.journal_id != shared.journal_id {
                    return Err(Error::SyncStore {
                        detail: "the store holds another journal: join it from a new journal \
                                 (`waymark join`), or sync to an empty folder"
                            .into(),
                    });
                }
                (keys.store_id, Some(theirs))
            }
            None => {
                self.claim_keyless(store)?;
                (crate::crypto::random_array()?, None)
            }
        };
        let encoded = blob::encode_keys(&blob::Keys { shared, store_id });
        // New, or this device's slots are newer (a passphrase changed here): share them.
        if current.as_deref() != Some(encoded.as_slice()) {
            store.put(KEYS, &encoded)?;
        }
        Ok((store_id, current.is_none()))
    }

    /// A store without `keys` is only this journal's to take when it holds no change set or
    /// snapshot, or when one of them opens under this journal's key (its `keys` was lost):
    /// another journal's files are never compacted away.
    fn claim_keyless(&self, store: &dyn SyncStore) -> Result<()> {
        let key = self.journal().sync_key()?;
        let sealed: Vec<String> = store
            .list()?
            .into_iter()
            .filter(|n| blob::is_sealed_name(n))
            .collect();
        if sealed.is_empty() {
            return Ok(());
        }
        for name in sealed.iter().take(8) {
            if let Some(bytes) = store::get_bounded(store, name)? {
                if blob::open(&key, name, bytes).is_some() {
                    return Ok(());
                }
            }
        }
        Err(Error::SyncStore {
            detail: "the folder holds another journal's sync files but no keys: use an empty \
                     folder for this journal"
                .into(),
        })
    }

    /// Sends what this device wrote since its last push as one change set.
    fn push(
        &self,
        target: &Target<'_>,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<()> {
        let journal = self.journal();
        let device = journal.device();
        let since = state.sent;
        // The first push to a store this sync found empty carries the whole journal (a new
        // store, or a second one); every other push what this device wrote since the last.
        let everything = target.new_store;
        let mine =
            |stamp: crate::Stamp| everything || (stamp.device == device && stamp.clock > since);
        let mut latest = since;
        let mut records = Vec::new();
        journal.visit_records(|r| {
            if mine(r.stamp) && r.quarantine.is_none() {
                if r.stamp.device == device {
                    latest = latest.max(r.stamp.clock);
                }
                records.push(BackupRecord::of(&r));
            }
        })?;
        let mut deletions = deletions_of(journal)?;
        deletions.retain(|d| mine(d.stamp));
        for d in deletions.iter().filter(|d| d.stamp.device == device) {
            latest = latest.max(d.stamp.clock);
        }

        if records.is_empty() && deletions.is_empty() {
            return Ok(());
        }
        report.sent = crate::recovery::counts::of_len(records.len()).into();
        report.sent_deletions = crate::recovery::counts::of_len(deletions.len()).into();
        let name = blob::fresh_name(CHANGE)?;
        let mut known = state.known.clone();
        known.learn(crate::Stamp {
            clock: latest,
            device,
        });
        let sealed = Sealed {
            payload: Payload {
                created_at: self.now(),
                records,
                deletions,
            },
            covers: Vec::new(),
            known: known.clone(),
        };
        let mut next = state.clone();
        next.sent = latest;
        next.known = known;
        self.send(target, &name, &sealed, next, state)
    }

    /// Writes `sealed` to the store as the blob `name`, and only then saves `next` (with the
    /// blob noted as seen) as this device's state for the store.
    fn send(
        &self,
        target: &Target<'_>,
        name: &str,
        sealed: &Sealed,
        mut next: SyncState,
        state: &mut SyncState,
    ) -> Result<()> {
        target
            .store
            .put(name, &blob::seal(target.key, name, sealed)?)?;
        next.seen.insert(name.to_owned());
        self.write(|w| next.save(w, target.key, target.store_id))?;
        *state = next;
        Ok(())
    }

    /// Replaces every blob this device has applied (or written) by one snapshot.
    fn compact(
        &self,
        target: &Target<'_>,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<()> {
        let journal = self.journal();
        let mut records = Vec::new();
        journal.visit_records(|r| {
            if r.quarantine.is_none() {
                records.push(BackupRecord::of(&r));
            }
        })?;
        let covers: Vec<String> = state
            .seen
            .iter()
            .filter(|n| !state.refused.contains(*n))
            .cloned()
            .collect();
        let name = blob::fresh_name(SNAPSHOT)?;
        let sealed = Sealed {
            payload: Payload {
                created_at: self.now(),
                records,
                deletions: deletions_of(journal)?,
            },
            covers,
            known: state.known.clone(),
        };
        self.send(target, &name, &sealed, state.clone(), state)?;
        for covered in &sealed.covers {
            target.store.delete(covered)?;
        }
        report.compacted = crate::recovery::counts::of_len(sealed.covers.len()).into();
        Ok(())
    }

    /// Makes this device's journal at `path` from the journal in `store`: reads its key
    /// slots, opens the data key with `secret` (a passphrase runs Argon2id: slow), creates
    /// the journal with the same id and slots (complete or not at all), and syncs it full.
    /// A store without a journal is [`Error::SyncStore`]; a wrong secret
    /// [`Error::WrongSecret`], leaving nothing at `path`.
    pub fn join(
        path: &Path,
        store: &dyn SyncStore,
        secret: JoinSecret<'_>,
        options: JournalOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<(Recovery, SyncReport)> {
        let keys = store::get_bounded(store, KEYS)?.ok_or_else(|| Error::SyncStore {
            detail: "the store holds no journal yet: sync a device that has one to it first".into(),
        })?;
        let keys = blob::decode_keys(&keys)?;
        let journal = crate::journal::unlock_scrubbed(|| {
            Journal::create_joined(path, &keys.shared, secret, options)
        })?;
        let recovery = Recovery::new(journal, clock);
        let report = recovery.sync(store)?;
        Ok((recovery, report))
    }
}
