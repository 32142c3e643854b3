//! Pushing: what this device sends to a store, and compaction.
//!
//! A **change set** carries what this device wrote since its last push to the store; a
//! **snapshot** carries everything its journal holds and names the blobs it replaces. Each
//! takes the device's next sequence number (reserved and saved before the blob is written,
//! so a number is never used twice, even across a crash) and names the device's previous
//! blob in the store. A blob is written under a fresh name in one piece before this device
//! notes it sent; blobs a snapshot replaces are removed only after it is written.

use super::blob::{self, Header, Sealed, SlotSet, CHANGE, SNAPSHOT};
use super::ledger::Ledger;
use super::state::{BlobInfo, StoreState};
use super::{Session, SyncReport};
use crate::error::Result;
use crate::recovery::backup::{deletions_of, BackupRecord, Payload};
use crate::recovery::Recovery;
use crate::Stamp;

/// What a push sends.
pub(super) enum Push {
    /// What this device wrote since its last push to the store (nothing when it wrote
    /// nothing).
    Changes,
    /// The same, sent even when it is empty (to carry new key slots).
    ChangesAlways,
    /// Everything, replacing the blobs named (which this journal holds).
    Snapshot(Vec<String>),
}

impl Recovery {
    /// Sends one change set or snapshot (see the module docs); returns the names a snapshot
    /// replaced, for the caller to remove once everything else is in place.
    pub(super) fn push(
        &self,
        session: &Session<'_>,
        state: &mut StoreState,
        slots: &SlotSet,
        what: Push,
        report: &mut SyncReport,
    ) -> Result<Vec<String>> {
        let journal = self.journal();
        let me = session.me;
        let since = state.sent;
        let everything = matches!(what, Push::Snapshot(_));
        let mine = |stamp: Stamp| everything || (stamp.device == me && stamp.clock > since);
        let mut latest = since;
        let mut records = Vec::new();
        journal.visit_records(|r| {
            if mine(r.stamp) && r.quarantine.is_none() {
                if r.stamp.device == me {
                    latest = latest.max(r.stamp.clock);
                }
                records.push(BackupRecord::of(&r));
            }
        })?;
        let mut deletions = deletions_of(journal)?;
        deletions.retain(|d| mine(d.stamp));
        for d in deletions.iter().filter(|d| d.stamp.device == me) {
            latest = latest.max(d.stamp.clock);
        }
        if matches!(what, Push::Changes) && records.is_empty() && deletions.is_empty() {
            return Ok(Vec::new());
        }
        report.sent = crate::recovery::counts::of_len(records.len()).into();
        report.sent_deletions = crate::recovery::counts::of_len(deletions.len()).into();

        // The sequence number is taken and saved before the blob exists.
        let seen_of_me = state.frontier.get(me);
        let ledger = self.write(|w| {
            Ledger::update(w, |l| {
                l.next_seq(me, seen_of_me);
                l.clone()
            })
        })?;
        let seq = ledger.applied.get(me);
        let mut known = ledger.known.clone();
        known.learn(Stamp {
            clock: latest,
            device: me,
        });
        let covers = match what {
            Push::Snapshot(covers) => covers,
            Push::Changes | Push::ChangesAlways => Vec::new(),
        };
        let header = Header {
            origin: me,
            seq,
            prev: state.last_seq.min(seq - 1),
            applied: ledger.applied.clone(),
            slots: Some(slots.clone()),
        };
        let info = BlobInfo {
            origin: me,
            seq,
            prev: header.prev,
            applied: header.applied.clone(),
            old_key: false,
        };
        let sealed = Sealed {
            header: Some(header),
            payload: Payload {
                created_at: self.now(),
                records,
                deletions,
            },
            covers,
            known: known.clone(),
        };
        let name = blob::fresh_name(if everything { SNAPSHOT } else { CHANGE })?;
        session
            .store
            .put(&name, &blob::seal(&session.keys, &name, &sealed)?)?;
        *state = self.write(|w| {
            Ledger::update(w, |l| l.known.learn_all(&known))?;
            StoreState::update(w, &session.store_id, |s| {
                s.note(&name, &info);
                s.sent = s.sent.max(latest);
                s.last_seq = s.last_seq.max(seq);
            })
        })?;
        Ok(sealed.covers)
    }

    /// The blobs in the store whose content this journal holds (and so a snapshot may
    /// replace): every one at or below what the ledger holds of its writer, and those from
    /// before the sync epochs once they were applied here. Never a refused or foreign blob,
    /// and never one still waiting.
    pub(super) fn replaceable(&self, state: &StoreState) -> Result<Vec<String>> {
        let ledger = self.write(Ledger::load)?;
        let mut names: Vec<String> = state
            .seen
            .iter()
            .filter(|(_, info)| info.is_legacy() || info.seq <= ledger.applied.get(info.origin))
            .map(|(name, _)| name.clone())
            .collect();
        names.extend(
            state
                .legacy_seen
                .iter()
                .filter(|n| !state.seen.contains_key(*n))
                .cloned(),
        );
        Ok(names)
    }
}
