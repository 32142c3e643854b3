//! Pulling: opening what the store holds and applying what this journal does not hold yet,
//! in the order the writers' sequence numbers allow (see `ledger`).
//!
//! Each blob is fetched, opened and told about once per store (the store's state remembers
//! it). A blob at or below what the ledger holds of its writer is never applied again. A
//! snapshot above it applies (it holds everything its writer had); a change set applies once
//! its writer's previous blob in this store is held, and everything its writer held of the
//! other devices (causal order), and otherwise **waits**: it stays
//! in the store, unapplied, reported as waiting, until the blob before it arrives (a file
//! sync still delivering it) or a snapshot covers it. Before anything is applied, the store
//! is compared with the most this device has ever seen in it: less is a rollback, and the
//! sync stops with nothing changed.

use super::blob::{self, Opened, Sealed, Under, SNAPSHOT};
use super::ledger::{Ledger, Seqs};
use super::state::{take_legacy, BlobInfo, StoreState};
use super::store::get_bounded;
use super::{Progress, Session, SyncReport};
use crate::error::{Error, Result};
use crate::recovery::backup::{merge_payload_in, MergeRules};
use crate::recovery::Recovery;
use std::collections::BTreeSet;

/// Whether a blob's content is to be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// This journal holds it already (or something later of its writer that covers it).
    Held,
    /// New: apply it.
    Apply,
    /// A change set whose writer's previous blob in this store is not held yet.
    Waiting,
}

/// The one rule that decides whether a blob is applied (see the module docs): never at or
/// below what this journal holds of its writer; a snapshot above it at once; a change set
/// once this journal holds its writer's previous blob in the store and everything its
/// writer held of the other devices (so an edit never arrives before the version it
/// replaced, and a version this journal knew is always told from a concurrent one).
pub(super) fn verdict(ledger: &Ledger, name: &str, info: &BlobInfo) -> Verdict {
    let held = ledger.applied.get(info.origin);
    if info.seq <= held {
        return Verdict::Held;
    }
    if name.starts_with(SNAPSHOT) {
        return Verdict::Apply;
    }
    let depends = info
        .applied
        .0
        .iter()
        .any(|(&device, &seq)| device != info.origin && seq > ledger.applied.get(device));
    if info.prev > held || depends {
        Verdict::Waiting
    } else {
        Verdict::Apply
    }
}

/// What pulling found, for the push and the slots that follow.
#[derive(Default)]
pub(super) struct Pulled {
    /// The newest slot set the blobs under this journal's current key carry.
    pub(super) slots: Option<blob::SlotSet>,
    /// True when blobs under an earlier key, or from before the sync epochs, were applied:
    /// what they held must go out again under the current key and format.
    pub(super) relay: bool,
    /// Change sets in the store (a compaction follows at [`super::COMPACT_AFTER`]).
    pub(super) changes_listed: usize,
    /// The most the store shows of each device's blobs.
    pub(super) observed: Seqs,
}

/// A blob opened and not applied yet.
struct Pending {
    name: String,
    info: BlobInfo,
    sealed: Box<Sealed>,
}

impl Recovery {
    /// Opens every blob of the store this device has not opened yet, refuses a rollback,
    /// and applies what is new (see the module docs). `state` is this device's state with
    /// the store, updated as blobs are opened.
    pub(super) fn pull(
        &self,
        session: &Session<'_>,
        state: &mut StoreState,
        report: &mut SyncReport,
        progress: Progress<'_>,
    ) -> Result<Pulled> {
        let store = session.store;
        let listed: BTreeSet<String> = store
            .list()?
            .into_iter()
            .filter(|n| blob::is_sealed_name(n))
            .collect();
        state.seen.retain(|n, _| listed.contains(n));
        state.refused.retain(|n| listed.contains(n));
        state.legacy_seen.retain(|n| listed.contains(n));
        let ours = session.envelope_ids();
        // A blob under a key this device has come to hold since (after joining again) is
        // opened again.
        state
            .foreign
            .retain(|n, id| listed.contains(n) && !ours.contains(id));
        let hint = self.write(Ledger::load)?;
        let legacy = session.legacy_store && hint.keys.is_none();
        if legacy {
            if let Some(old) =
                self.write(|w| take_legacy(w, session.keys.legacy(), &session.store_id))?
            {
                state.legacy_seen.extend(old.seen);
                state.sent = state.sent.max(old.sent);
                self.write(|w| Ledger::update(w, |l| l.known.learn_all(&old.known)))?;
            }
        }

        let to_open: Vec<&String> = listed
            .iter()
            .filter(|n| {
                !state.seen.contains_key(*n)
                    && !state.refused.contains(*n)
                    && !state.foreign.contains_key(*n)
                    && !state.legacy_seen.contains(*n)
            })
            .collect();
        let mut pending = Vec::new();
        let mut legacy_pending = Vec::new();
        let mut pulled = Pulled {
            changes_listed: listed
                .iter()
                .filter(|n| n.starts_with(blob::CHANGE))
                .count(),
            ..Pulled::default()
        };
        let total = to_open.len();
        for (done, name) in to_open.into_iter().enumerate() {
            progress(done, total);
            let Some(bytes) = get_bounded(store, name)? else {
                continue; // removed meanwhile by another device's compaction
            };
            match blob::open(&session.keys, &session.previous, name, bytes) {
                Opened::Damaged => {
                    state.refused.insert(name.clone());
                }
                Opened::Foreign(id) => {
                    state.foreign.insert(name.clone(), id);
                }
                Opened::Sealed(sealed, under) => {
                    let old_key = under != Under::Current;
                    let Some(header) = &sealed.header else {
                        // From before the sync epochs: applied only while moving a store
                        // this device never synced in the new format.
                        if legacy {
                            legacy_pending.push((name.clone(), sealed, old_key));
                        } else {
                            state.note(
                                name,
                                &BlobInfo {
                                    old_key,
                                    ..BlobInfo::default()
                                },
                            );
                        }
                        continue;
                    };
                    if !old_key {
                        if let Some(slots) = &header.slots {
                            if pulled
                                .slots
                                .as_ref()
                                .is_none_or(|best| best.version < slots.version)
                            {
                                pulled.slots = Some(slots.clone());
                            }
                        }
                    }
                    let info = BlobInfo {
                        origin: header.origin,
                        seq: header.seq,
                        prev: header.prev,
                        applied: header.applied.clone(),
                        old_key,
                    };
                    if verdict(&hint, name, &info) == Verdict::Held {
                        state.note(name, &info);
                    } else {
                        pending.push(Pending {
                            name: name.clone(),
                            info,
                            sealed,
                        });
                    }
                }
            }
        }
        progress(total, total);

        if session.keys_missing && !state.foreign.is_empty() {
            return Err(Error::SyncStore {
                detail: format!(
                    "the store has no key file and holds {} this journal cannot open (another \
                     journal's, or this journal's after its key was changed on another device): \
                     join it again with the current passphrase, or remove {} ({}) if {} not this \
                     journal's",
                    if state.foreign.len() == 1 {
                        "a file"
                    } else {
                        "files"
                    },
                    if state.foreign.len() == 1 {
                        "it"
                    } else {
                        "them"
                    },
                    state
                        .foreign
                        .keys()
                        .take(3)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if state.foreign.len() == 1 {
                        "it is"
                    } else {
                        "they are"
                    },
                ),
            });
        }
        // What the store shows of each device, against the most this device ever saw there.
        let mut observed = Seqs::default();
        for info in state.seen.values().chain(pending.iter().map(|p| &p.info)) {
            observed.raise(info.origin, info.seq);
            observed.raise_all(&info.applied);
        }
        if !session.resend {
            if let Some((device, _, _)) = state.frontier.first_above(&observed) {
                // Files of this device's own can only come back from it: said so, since
                // resending on another device does not bring them.
                let own = state.frontier.get(session.me) > observed.get(session.me);
                return Err(Error::SyncRolledBack {
                    detail: if observed.0.is_empty() {
                        "none of the files this device saw there before is left"
                    } else if own || device == session.me {
                        "files this device wrote there are gone, and nothing that replaced them is there: only this device can send them again"
                    } else {
                        "files another device wrote there are gone, and nothing that replaced them is there"
                    },
                });
            }
        }
        pulled.observed = observed;
        let classified = state.clone();
        *state = self.write(|w| {
            StoreState::update(w, &session.store_id, |s| {
                s.seen.retain(|n, _| listed.contains(n));
                s.refused = classified.refused.clone();
                s.foreign = classified.foreign.clone();
                s.legacy_seen.extend(classified.legacy_seen.iter().cloned());
                s.sent = s.sent.max(classified.sent);
                for (name, info) in &classified.seen {
                    s.note(name, info);
                }
            })
        })?;

        pulled.relay |= self.apply_legacy(session, state, legacy_pending, report)?;
        pulled.relay |= self.apply_in_order(session, state, pending, report)?;
        report.refused = crate::recovery::counts::of_len(state.refused.len()).into();
        report.foreign = crate::recovery::counts::of_len(state.foreign.len()).into();
        Ok(pulled)
    }

    /// Applies blobs from before the sync epochs by the rules of their time (snapshots
    /// first, a snapshot whose every replaced blob was applied is skipped); returns whether
    /// any was applied.
    fn apply_legacy(
        &self,
        session: &Session<'_>,
        state: &mut StoreState,
        mut pending: Vec<(String, Box<Sealed>, bool)>,
        report: &mut SyncReport,
    ) -> Result<bool> {
        pending.sort_by_key(|(n, _, _)| !n.starts_with(SNAPSHOT));
        let mut applied = false;
        for (name, sealed, old_key) in pending {
            if state.legacy_seen.contains(&name) {
                continue; // in a snapshot applied meanwhile
            }
            let skip = name.starts_with(SNAPSHOT)
                && !sealed.covers.is_empty()
                && sealed.covers.iter().all(|c| state.legacy_seen.contains(c));
            let merged = &mut report.merged;
            let now = self.now();
            *state = self.write(|w| {
                let mut ledger = Ledger::load(w)?;
                if !skip {
                    let rules = sync_rules(now, &sealed, &ledger, session.me);
                    merge_payload_in(w, &sealed.payload, &rules, merged)?;
                }
                if name.starts_with(SNAPSHOT) {
                    ledger.known.learn_all(&sealed.known);
                }
                learn_stamps(&mut ledger, &sealed);
                ledger.save(w)?;
                StoreState::update(w, &session.store_id, |s| {
                    s.legacy_seen.insert(name.clone());
                    s.legacy_seen.extend(sealed.covers.iter().cloned());
                    s.note(
                        &name,
                        &BlobInfo {
                            old_key,
                            ..BlobInfo::default()
                        },
                    );
                })
            })?;
            report.received += 1;
            applied = true;
        }
        Ok(applied)
    }

    /// Applies the pending blobs in the order their sequence numbers allow: snapshots first
    /// (the one holding most first), then each device's change sets in order, again until
    /// nothing more applies; what is left waits. Returns whether any blob under an earlier
    /// key was applied.
    fn apply_in_order(
        &self,
        session: &Session<'_>,
        state: &mut StoreState,
        mut pending: Vec<Pending>,
        report: &mut SyncReport,
    ) -> Result<bool> {
        let weight = |p: &Pending| -> u64 {
            p.info
                .applied
                .0
                .values()
                .fold(0, |a, b| a.saturating_add(*b))
        };
        pending.sort_by(|a, b| {
            let snapshot = |p: &Pending| p.name.starts_with(SNAPSHOT);
            snapshot(b)
                .cmp(&snapshot(a))
                .then_with(|| weight(b).cmp(&weight(a)))
                .then_with(|| (a.info.origin, a.info.seq).cmp(&(b.info.origin, b.info.seq)))
        });
        let mut ledger = self.write(Ledger::load)?;
        let mut relay = false;
        loop {
            let mut progressed = false;
            let mut waiting = Vec::new();
            for p in pending {
                match verdict(&ledger, &p.name, &p.info) {
                    Verdict::Waiting => waiting.push(p),
                    _ => {
                        let (after, applied) = self.apply_one(session, &p, &mut report.merged)?;
                        ledger = after;
                        if applied {
                            report.received += 1;
                            relay |= p.info.old_key;
                        }
                        state.note(&p.name, &p.info);
                        progressed = true;
                    }
                }
            }
            pending = waiting;
            if !progressed || pending.is_empty() {
                break;
            }
        }
        report.waiting = crate::recovery::counts::of_len(pending.len()).into();
        Ok(relay)
    }

    /// Applies one blob in one transaction with the note that it was applied (or, when the
    /// ledger shows it held meanwhile, only the note); returns the ledger after and whether
    /// it was applied.
    fn apply_one(
        &self,
        session: &Session<'_>,
        p: &Pending,
        merged: &mut crate::recovery::backup::MergeReport,
    ) -> Result<(Ledger, bool)> {
        let now = self.now();
        self.write(|w| {
            let mut ledger = Ledger::load(w)?;
            let apply = verdict(&ledger, &p.name, &p.info) == Verdict::Apply;
            if apply {
                let rules = sync_rules(now, &p.sealed, &ledger, session.me);
                merge_payload_in(w, &p.sealed.payload, &rules, merged)?;
                ledger.applied.raise(p.info.origin, p.info.seq);
                if p.name.starts_with(SNAPSHOT) {
                    ledger.applied.raise_all(&p.info.applied);
                    ledger.known.learn_all(&p.sealed.known);
                }
                learn_stamps(&mut ledger, &p.sealed);
                ledger.save(w)?;
            }
            StoreState::update(w, &session.store_id, |s| s.note(&p.name, &p.info))?;
            Ok((ledger, apply))
        })
    }
}

/// The merge rules of a sync: what the sender of `sealed` knew, and what this journal
/// (device `me`) knew before it.
fn sync_rules(
    now: chrono::DateTime<chrono::Utc>,
    sealed: &Sealed,
    ledger: &Ledger,
    me: u64,
) -> MergeRules {
    MergeRules {
        now,
        sender_knew: Some(sealed.known.clone()),
        receiver_knew: Some((ledger.known.clone(), me)),
    }
}

/// Learns the stamp of every record and deletion `sealed` carries.
fn learn_stamps(ledger: &mut Ledger, sealed: &Sealed) {
    for r in &sealed.payload.records {
        ledger.known.learn(r.stamp);
    }
    for d in &sealed.payload.deletions {
        ledger.known.learn(d.stamp);
    }
}
