//! Re-sealing every record under a new data key, in one transaction: a key rotation made
//! here (`Journal::rotate_data_key`), or adopting the key another device of the journal
//! rotated to (`Journal::adopt_data_key`, when a device left behind joins its sync store
//! again and keeps what it holds).
//!
//! Records stored under a keyed lookup id move to the id the new key gives the same natural
//! key; the journal's local state is re-sealed with them, and the old key's sync root is kept
//! (sealed) so the first sync can still open what other devices wrote under it. Every slot is
//! replaced; the journal image is erased (S11).

use super::slot_keys::{self, NewSlot};
use super::{NaturalKey, State};
use crate::crypto::keyring::{DataKey, Keyring};
use crate::error::{Error, Result};
use crate::record::{encode_payload, record_context, RecordId, FLAG_TOMBSTONE};
use crate::store::records;
use crate::store::slots::{self, SlotRow};
use crate::store::write_state::{self, WriteState};
use zeroize::Zeroizing;

/// The slots a re-sealed journal gets.
pub(super) enum NewSlots<'a> {
    /// Made here for the new key (a rotation).
    Made(Vec<NewSlot>),
    /// Shared by another device of the journal, wrapping the key it rotated to.
    Shared(&'a [SlotRow]),
}

/// What re-sealing did.
pub(super) struct Resealed {
    pub(super) records_resealed: u64,
    pub(super) damaged_records_kept: u64,
    pub(super) records_rekeyed: u64,
    pub(super) duplicates_kept: u64,
}

/// One record being re-sealed.
struct Moving {
    old_id: [u8; 16],
    new_id: [u8; 16],
    revision: u64,
    clock: u64,
    /// Set for a record that lost to a newer one with the same natural key.
    duplicate: bool,
    kind: String,
    body_version: u8,
    flags: u8,
    stamp: crate::record::Stamp,
    body: Zeroizing<Vec<u8>>,
}

/// Gives every record its id under the new key. A group of records whose natural keys now
/// name the same id keeps the newest (hybrid clock, then revision) there; the others stay
/// under an id of their own (the one they had, or the winner's old one) and are marked as
/// duplicates, to be quarantined. Returns how many were left so.
fn settle_ids(moving: &mut [Moving]) -> u64 {
    let mut by_target: std::collections::HashMap<[u8; 16], Vec<usize>> =
        std::collections::HashMap::new();
    for (i, m) in moving.iter().enumerate() {
        by_target.entry(m.new_id).or_default().push(i);
    }
    let mut kept = 0;
    for (target, mut group) in by_target {
        if group.len() < 2 {
            continue;
        }
        group.sort_by_key(|&i| std::cmp::Reverse((moving[i].clock, moving[i].revision)));
        let winner_old = moving[group[0]].old_id;
        for &i in &group[1..] {
            kept += 1;
            moving[i].duplicate = true;
            moving[i].new_id = if moving[i].old_id == target {
                winner_old
            } else {
                moving[i].old_id
            };
        }
    }
    kept
}

/// The sync roots to keep after a rotation away from `old`: the ones kept before (read
/// under `old`), then `old`'s own, at most [`super::shared_keys::KEEP_PREVIOUS_KEYS`].
fn previous_roots_after_rotation(
    conn: &rusqlite::Connection,
    old: &mut Keyring,
    journal_id: &[u8; 16],
) -> Result<Zeroizing<Vec<u8>>> {
    let kept = super::local_state::read(
        conn,
        old,
        journal_id,
        super::shared_keys::PREVIOUS_SYNC_ROOTS,
    )
    .ok()
    .flatten()
    .unwrap_or_default();
    let mut roots = Zeroizing::new(Vec::with_capacity(kept.len() + 32));
    let keep = super::shared_keys::KEEP_PREVIOUS_KEYS - 1;
    let chunks: Vec<&[u8]> = kept.chunks_exact(32).collect();
    for root in &chunks[chunks.len().saturating_sub(keep)..] {
        roots.extend_from_slice(root);
    }
    roots.extend_from_slice(crate::crypto::sync_keys::root_of(old.data_key().bytes())?.as_ref());
    Ok(roots)
}

/// Re-seals every record of the journal in `state` under `new_key`, replaces `old_slots` by
/// `new_slots`, and moves the local state, all in one transaction (see the module docs).
pub(super) fn reseal_under(
    state: &mut State,
    new_key: DataKey,
    new_slots: NewSlots<'_>,
    old_slots: &[SlotRow],
    natural_key: NaturalKey<'_>,
) -> Result<Resealed> {
    let journal_id = state.journal_id;
    let generation = write_state::load(&state.conn)?.generation;
    let new_generation = generation + 1;
    let key_id = u32::try_from(new_generation)
        .map_err(|_| Error::Crypto("the key generation counter is exhausted"))?;
    let mut new_keyring = Keyring::new(new_key);
    let rows = records::all(&state.conn)?;
    let mut moving = Vec::with_capacity(rows.len());
    let mut damaged_records_kept = 0;
    let mut records_rekeyed = 0;
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
                    let view = super::records::RecordView::new(id, row.revision, p);
                    // A tombstone's body is the natural key it was deleted under, if any.
                    let new_id = if p.flags & FLAG_TOMBSTONE != 0 {
                        if p.body.is_empty() {
                            row.id
                        } else {
                            super::records::lookup(&mut new_keyring, p.kind, p.body)?.0
                        }
                    } else {
                        match natural_key(&view) {
                            Some((namespace, key)) => {
                                super::records::lookup(&mut new_keyring, namespace, &key)?.0
                            }
                            None => row.id,
                        }
                    };
                    moving.push(Moving {
                        old_id: row.id,
                        new_id,
                        revision: row.revision,
                        clock: p.stamp.clock,
                        duplicate: false,
                        kind: p.kind.to_owned(),
                        body_version: p.body_version,
                        flags: p.flags,
                        stamp: p.stamp,
                        body: Zeroizing::new(p.body.to_vec()),
                    });
                }
                Err(_) => damaged_records_kept += 1,
            }
        }
    }
    let mut duplicates_kept = settle_ids(&mut moving);
    // A tombstone that lost to a record of the same natural key has nothing to keep.
    let mut dropped = Vec::new();
    moving.retain(|m| {
        let stale = m.duplicate && m.flags & FLAG_TOMBSTONE != 0;
        if stale {
            dropped.push(m.old_id);
        }
        !stale
    });
    duplicates_kept -= dropped.len() as u64;
    let mut resealed = Vec::with_capacity(moving.len());
    for m in &moving {
        if m.new_id != m.old_id {
            records_rekeyed += 1;
        }
        let flags = if m.duplicate {
            crate::record::QuarantineReason::Duplicate.flags()
        } else {
            m.flags
        };
        let payload = encode_payload(&m.kind, m.body_version, flags, m.stamp, &m.body)?;
        let context = record_context(&journal_id, &RecordId(m.new_id), m.revision);
        let sealed = new_keyring.seal_record(key_id, &context, &payload)?;
        resealed.push((m.old_id, m.new_id, m.revision, sealed));
    }
    drop(moving);
    let records_resealed = resealed.len() as u64;
    let clock = state.write.clock;
    let super::State { conn, keyring, .. } = &mut *state;
    let old_keyring = keyring.as_mut().ok_or(Error::Locked)?;
    let previous_roots = previous_roots_after_rotation(conn, old_keyring, &journal_id)?;
    let tx = crate::store::connection::begin_write(conn)?;
    // What the journal keeps for itself moves to the new key with the records; the old
    // key's sync root is kept so the first sync can bring in what other devices wrote
    // under it (`recovery::sync`).
    super::local_state::reseal_all(&tx, old_keyring, &mut new_keyring, &journal_id)?;
    super::local_state::write(
        &tx,
        &mut new_keyring,
        &journal_id,
        super::shared_keys::PREVIOUS_SYNC_ROOTS,
        &previous_roots,
    )?;
    for old_id in &dropped {
        records::delete(&tx, old_id)?;
    }
    // Moved records leave their old rows first, so no id is ever held twice.
    for (old_id, new_id, _, _) in &resealed {
        if old_id != new_id {
            records::delete(&tx, old_id)?;
        }
    }
    for (_, new_id, revision, sealed) in &resealed {
        records::put(&tx, new_id, *revision, sealed)?;
    }
    match &new_slots {
        NewSlots::Made(made) => {
            for slot in made {
                slot_keys::insert_verified(&tx, &journal_id, slot, new_keyring.data_key())?;
            }
        }
        NewSlots::Shared(rows) => super::shared_keys::insert_shared(&tx, &journal_id, rows)?,
    }
    for old in old_slots {
        slots::delete(&tx, old.id)?;
    }
    let write = WriteState {
        generation: new_generation,
        seals: records_resealed,
        clock,
    };
    // The journal image was sealed under the old key: erased with it.
    crate::store::image::erase(&tx)?;
    write_state::replace(&tx, write)?;
    tx.commit()?;
    state.write = write;
    state.seal_budget = 0;
    state.keyring = Some(new_keyring);
    state.epoch += 1;
    state.erase_old_content()?;
    Ok(Resealed {
        records_resealed,
        damaged_records_kept,
        records_rekeyed,
        duplicates_kept,
    })
}
