//! What this device remembers of one sync store (by the store's id, in its `keys` blob):
//! which blobs it has opened there and who wrote them, which it refused, what it last sent
//! there, and the most it has ever seen there of each device (to notice a store rolled back).
//!
//! Kept in the journal's sealed local state. Unlike the ledger it is only a cache and a
//! watermark: losing it (a new store id) costs downloads, never a replay, because what was
//! applied is decided by the ledger.

use super::ledger::{self, Seqs};
use crate::codec::{Reader, Writer};
use crate::crypto::envelope::{self, SealingKey};
use crate::error::Result;
use crate::recovery::backup::Known;
use crate::RecordWriter;
use std::collections::{BTreeMap, BTreeSet};
use zeroize::Zeroizing;

/// The local value of a store's state: this, then the store's id in hex.
const NAME: &str = "sync_store_";
/// The settings row of a store's state before the sync epochs (sealed under the old sync
/// key); read once to move a store to the new format.
const LEGACY_SETTING: &str = "sync_state_";
const LEGACY_CONTEXT: &[u8] = b"waymark sync state v1";
/// At most this many names remembered per set.
const MAX_NAMES: usize = 100_000;

mod tag {
    pub const SEEN: u32 = 1;
    pub const SENT: u32 = 2;
    pub const LAST_SEQ: u32 = 3;
    pub const REFUSED: u32 = 4;
    pub const FRONTIER: u32 = 5;
    pub const FOREIGN: u32 = 6;
    pub const LEGACY_SEEN: u32 = 7;
    pub const NAME: u32 = 1;
    pub const ORIGIN: u32 = 2;
    pub const SEQ: u32 = 3;
    pub const PREV: u32 = 4;
    pub const APPLIED: u32 = 5;
    pub const OLD_KEY: u32 = 6;
    pub const KEY_ID: u32 = 7;
}

fn hex(store_id: &[u8; 16]) -> String {
    store_id.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a blob this device opened told of itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BlobInfo {
    /// The writing device (0 for a blob from before the sync epochs).
    pub(crate) origin: u64,
    /// Its sequence number (0 for a blob from before the sync epochs).
    pub(crate) seq: u64,
    /// The writer's previous blob in this store.
    pub(crate) prev: u64,
    /// What the writer held of every device's blobs.
    pub(crate) applied: Seqs,
    /// Sealed under a key the journal has rotated away from.
    pub(crate) old_key: bool,
}

impl BlobInfo {
    /// True for a blob written before the sync epochs.
    pub(crate) fn is_legacy(&self) -> bool {
        self.seq == 0
    }
}

/// This device's state with one store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StoreState {
    /// Blobs opened here (applied, already held, or written by this device), by name.
    pub(crate) seen: BTreeMap<String, BlobInfo>,
    /// Blobs that name one of this journal's keys but do not open: never applied, never
    /// removed by a compaction, reported at every sync while they are in the store.
    pub(crate) refused: BTreeSet<String>,
    /// Blobs under a key this device does not hold, with the envelope's key id.
    pub(crate) foreign: BTreeMap<String, u32>,
    /// Blobs from before the sync epochs applied here (moving a store to the new format).
    pub(crate) legacy_seen: BTreeSet<String>,
    /// The clock of this device's last write that went out to this store.
    pub(crate) sent: u64,
    /// The sequence number of this device's last blob in this store.
    pub(crate) last_seq: u64,
    /// The most this device has seen in this store of each device's blobs.
    pub(crate) frontier: Seqs,
}

impl StoreState {
    /// The state of the store `store_id` as `w`'s transaction sees it (empty when none).
    pub(crate) fn load(w: &mut RecordWriter<'_>, store_id: &[u8; 16]) -> Result<StoreState> {
        let name = format!("{NAME}{}", hex(store_id));
        Ok(match w.local_state(&name)? {
            // A cache: a damaged one is started again (what was applied is in the ledger).
            Some(bytes) => StoreState::decode(&bytes).unwrap_or_default(),
            None => StoreState::default(),
        })
    }

    /// Saves the state of the store `store_id` in `w`'s transaction.
    pub(crate) fn save(&self, w: &mut RecordWriter<'_>, store_id: &[u8; 16]) -> Result<()> {
        let name = format!("{NAME}{}", hex(store_id));
        w.set_local_state(&name, &self.encode())
    }

    /// Loads the state, lets `change` change it and saves it, in `w`'s transaction (so two
    /// syncs of one device at once never undo each other's notes).
    pub(crate) fn update(
        w: &mut RecordWriter<'_>,
        store_id: &[u8; 16],
        change: impl FnOnce(&mut StoreState),
    ) -> Result<StoreState> {
        let mut state = StoreState::load(w, store_id)?;
        change(&mut state);
        state.save(w, store_id)?;
        Ok(state)
    }

    /// Notes the blob `name`, opened with `info`, and what it shows of each device.
    pub(crate) fn note(&mut self, name: &str, info: &BlobInfo) {
        self.frontier.raise(info.origin, info.seq);
        self.frontier.raise_all(&info.applied);
        self.seen.insert(name.to_owned(), info.clone());
    }

    /// The state's encoding (sealed by the journal's local state).
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        for (name, info) in &self.seen {
            w.nested(tag::SEEN, |b| {
                b.bytes_field(tag::NAME, name.as_bytes());
                b.uint(tag::ORIGIN, info.origin);
                b.uint(tag::SEQ, info.seq);
                b.uint(tag::PREV, info.prev);
                info.applied.write(b, tag::APPLIED);
                if info.old_key {
                    b.uint(tag::OLD_KEY, 1);
                }
            });
        }
        for name in &self.refused {
            w.bytes_field(tag::REFUSED, name.as_bytes());
        }
        for (name, key_id) in &self.foreign {
            w.nested(tag::FOREIGN, |b| {
                b.bytes_field(tag::NAME, name.as_bytes());
                b.uint(tag::KEY_ID, u64::from(*key_id));
            });
        }
        for name in &self.legacy_seen {
            w.bytes_field(tag::LEGACY_SEEN, name.as_bytes());
        }
        w.uint(tag::SENT, self.sent);
        w.uint(tag::LAST_SEQ, self.last_seq);
        self.frontier.write(&mut w, tag::FRONTIER);
        w.into_bytes()
    }

    /// A store's state from its encoding; `None` when malformed. Never panics (fuzzed).
    pub(super) fn decode(bytes: &[u8]) -> Option<StoreState> {
        let mut state = StoreState::default();
        let mut reader = Reader::new(bytes);
        let name = |b: &[u8]| std::str::from_utf8(b).ok().map(str::to_owned);
        while let Some((t, wire, _)) = reader.next_field().ok()? {
            let full = state.seen.len() + state.refused.len() + state.foreign.len() >= MAX_NAMES;
            match t {
                tag::SEEN if !full => {
                    let (name, info) = decode_info(wire.bytes().ok()?)?;
                    state.seen.insert(name, info);
                }
                tag::REFUSED if !full => {
                    state.refused.insert(name(wire.bytes().ok()?)?);
                }
                tag::FOREIGN if !full => {
                    let mut reader = Reader::new(wire.bytes().ok()?);
                    let (mut blob, mut key_id) = (None, 0u32);
                    while let Some((t, wire, _)) = reader.next_field().ok()? {
                        match t {
                            tag::NAME => blob = name(wire.bytes().ok()?),
                            tag::KEY_ID => key_id = u32::try_from(wire.varint().ok()?).ok()?,
                            _ => {}
                        }
                    }
                    state.foreign.insert(blob?, key_id);
                }
                tag::LEGACY_SEEN if state.legacy_seen.len() < MAX_NAMES => {
                    state.legacy_seen.insert(name(wire.bytes().ok()?)?);
                }
                tag::SENT => state.sent = wire.varint().ok()?,
                tag::LAST_SEQ => state.last_seq = wire.varint().ok()?,
                tag::FRONTIER => state.frontier.read_pair(wire.bytes().ok()?)?,
                _ => {}
            }
        }
        Some(state)
    }
}

fn decode_info(bytes: &[u8]) -> Option<(String, BlobInfo)> {
    let mut name = None;
    let mut info = BlobInfo::default();
    let mut reader = Reader::new(bytes);
    while let Some((t, wire, _)) = reader.next_field().ok()? {
        match t {
            tag::NAME => name = Some(std::str::from_utf8(wire.bytes().ok()?).ok()?.to_owned()),
            tag::ORIGIN => info.origin = wire.varint().ok()?,
            tag::SEQ => info.seq = wire.varint().ok()?,
            tag::PREV => info.prev = wire.varint().ok()?,
            tag::APPLIED => info.applied.read_pair(wire.bytes().ok()?)?,
            tag::OLD_KEY => info.old_key = wire.varint().ok()? != 0,
            _ => {}
        }
    }
    Some((name?, info))
}

/// What a store's state from before the sync epochs held: the blobs applied, the clock of
/// the last write sent, and what this device knew. `None` when there is none (or it does
/// not open).
pub(crate) struct LegacyState {
    pub(crate) seen: BTreeSet<String>,
    pub(crate) sent: u64,
    pub(crate) known: Known,
}

/// Reads (and removes, in the same transaction) the state Waymark kept of the store
/// `store_id` before the sync epochs, sealed under `legacy_key`.
pub(crate) fn take_legacy(
    w: &mut RecordWriter<'_>,
    legacy_key: &SealingKey,
    store_id: &[u8; 16],
) -> Result<Option<LegacyState>> {
    let setting = format!("{LEGACY_SETTING}{}", hex(store_id));
    let Some(sealed) = w.setting(&setting)? else {
        return Ok(None);
    };
    w.remove_setting(&setting)?;
    let mut buffer = Zeroizing::new(sealed);
    let mut context = LEGACY_CONTEXT.to_vec();
    context.extend_from_slice(store_id);
    let Some(range) = envelope::open_in_place(legacy_key, &mut buffer, &context) else {
        return Ok(None);
    };
    let mut state = LegacyState {
        seen: BTreeSet::new(),
        sent: 0,
        known: Known::default(),
    };
    let mut reader = Reader::new(&buffer[range]);
    while let Ok(Some((t, wire, _))) = reader.next_field() {
        match t {
            1 | 4 => {
                if let Some(name) = wire.bytes().ok().and_then(|b| std::str::from_utf8(b).ok()) {
                    if state.seen.len() < MAX_NAMES {
                        state.seen.insert(name.to_owned());
                    }
                }
            }
            2 => state.sent = wire.varint().unwrap_or(0),
            3 => {
                if let Ok(bytes) = wire.bytes() {
                    let _ = ledger::read_known_pair(&mut state.known, bytes);
                }
            }
            _ => {}
        }
    }
    Ok(Some(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_state_round_trips() {
        let mut state = StoreState::default();
        let mut applied = Seqs::default();
        applied.raise(3, 4);
        state.note(
            "c-00000000000000000000000000000001",
            &BlobInfo {
                origin: 3,
                seq: 5,
                prev: 2,
                applied,
                old_key: true,
            },
        );
        state
            .refused
            .insert("c-00000000000000000000000000000002".into());
        state
            .foreign
            .insert("s-00000000000000000000000000000003".into(), 77);
        state
            .legacy_seen
            .insert("c-00000000000000000000000000000004".into());
        state.sent = 1 << 40;
        state.last_seq = 9;
        assert_eq!(state.frontier.get(3), 5);
        assert_eq!(StoreState::decode(&state.encode()), Some(state));
    }
}
