//! What this device remembers of the journal's sync, whatever store it syncs with: the
//! ledger. Kept in the journal's sealed local state (`journal::local_state`), never pruned,
//! never synced, and carried through key rotations.
//!
//! - **Sequence numbers** ([`Seqs`]): every blob a device writes carries that device's next
//!   sequence number inside its sealed part. The ledger holds, for each device, the highest
//!   number whose content this journal holds (applied here, or brought in by a snapshot that
//!   covered it), and for this device the highest it has used. A blob at or below that is
//!   never applied again: a store that replays, rolls back or forgets (a lost `keys` file, a
//!   new store id) cannot make old writes new.
//! - **What this device knows** of each device's writes ([`Known`], hybrid clocks): sent with
//!   every blob so a receiver tells a concurrent edit from a later one, and used on arrival
//!   so a version this device already knew is never taken for news.
//! - **The slot version** ([`KeysVersion`]) and digest of the key slots this device last
//!   shared or adopted, so the slots in a store only move forward.

use crate::codec::{Reader, Writer};
use crate::error::{Error, Result};
use crate::recovery::backup::Known;
use crate::RecordWriter;
use std::collections::BTreeMap;

/// The local value the ledger is kept under.
const NAME: &str = "sync_ledger";
/// At most this many devices in a vector read from anywhere.
pub(crate) const MAX_DEVICES: usize = 4096;

mod tag {
    pub const APPLIED: u32 = 1;
    pub const KNOWN: u32 = 2;
    pub const KEYS_EPOCH: u32 = 3;
    pub const KEYS_CLOCK: u32 = 4;
    pub const KEYS_DEVICE: u32 = 5;
    pub const KEYS_DIGEST: u32 = 6;
    pub const DEVICE: u32 = 1;
    pub const VALUE: u32 = 2;
}

/// For each device, a sequence number (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Seqs(pub(crate) BTreeMap<u64, u64>);

impl Seqs {
    /// The number held for `device` (0 when none).
    pub(crate) fn get(&self, device: u64) -> u64 {
        self.0.get(&device).copied().unwrap_or(0)
    }

    /// Raises `device`'s number to `seq` if it is higher.
    pub(crate) fn raise(&mut self, device: u64, seq: u64) {
        if seq > 0 {
            let held = self.0.entry(device).or_insert(0);
            *held = (*held).max(seq);
        }
    }

    /// Raises every number to `other`'s where it is higher.
    pub(crate) fn raise_all(&mut self, other: &Seqs) {
        for (&device, &seq) in &other.0 {
            self.raise(device, seq);
        }
    }

    /// The first device whose number here is above `other`'s, with both numbers.
    pub(crate) fn first_above(&self, other: &Seqs) -> Option<(u64, u64, u64)> {
        self.0
            .iter()
            .find(|(&device, &seq)| seq > other.get(device))
            .map(|(&device, &seq)| (device, seq, other.get(device)))
    }

    /// Writes each pair as a nested field `tag` of `w`.
    pub(crate) fn write(&self, w: &mut Writer, field: u32) {
        for (&device, &seq) in &self.0 {
            w.nested(field, |n| {
                n.uint(tag::DEVICE, device);
                n.uint(tag::VALUE, seq);
            });
        }
    }

    /// Reads one nested pair into `self`; `None` when malformed or past [`MAX_DEVICES`].
    pub(crate) fn read_pair(&mut self, bytes: &[u8]) -> Option<()> {
        let (device, value) = read_pair(bytes)?;
        if !self.0.contains_key(&device) && self.0.len() >= MAX_DEVICES {
            return None;
        }
        self.raise(device, value);
        Some(())
    }
}

/// Reads a nested (device, value) pair.
pub(crate) fn read_pair(bytes: &[u8]) -> Option<(u64, u64)> {
    let (mut device, mut value) = (None, None);
    let mut reader = Reader::new(bytes);
    while let Some((t, wire, _)) = reader.next_field().ok()? {
        match t {
            tag::DEVICE => device = Some(wire.varint().ok()?),
            tag::VALUE => value = Some(wire.varint().ok()?),
            _ => {}
        }
    }
    Some((device?, value?))
}

/// Writes a [`Known`] as nested (device, clock) pairs under `field`.
pub(crate) fn write_known(known: &Known, w: &mut Writer, field: u32) {
    for (&device, &clock) in &known.0 {
        w.nested(field, |n| {
            n.uint(tag::DEVICE, device);
            n.uint(tag::VALUE, clock);
        });
    }
}

/// Reads one nested (device, clock) pair into `known`; `None` when malformed or too many.
pub(crate) fn read_known_pair(known: &mut Known, bytes: &[u8]) -> Option<()> {
    let (device, clock) = read_pair(bytes)?;
    if !known.0.contains_key(&device) && known.0.len() >= MAX_DEVICES {
        return None;
    }
    known.learn(crate::Stamp { clock, device });
    Some(())
}

/// The version of a set of key slots: the number of changes of secret behind it, then when
/// and by which device the last was made (so two changes made at once order the same way on
/// every device). Later is newer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KeysVersion {
    pub(crate) epoch: u64,
    pub(crate) clock: u64,
    pub(crate) device: u64,
}

/// The ledger (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ledger {
    /// For each device, the highest sequence number whose content this journal holds; for
    /// this device, the highest it has used.
    pub(crate) applied: Seqs,
    /// What this journal knows of each device's writes.
    pub(crate) known: Known,
    /// The version and digest of the key slots this device last shared or adopted; `None`
    /// before its first sync (or in a journal synced only by Waymark before the ledger).
    pub(crate) keys: Option<(KeysVersion, [u8; 32])>,
}

impl Ledger {
    /// The ledger as `w`'s transaction sees it (empty before the first sync). A ledger that
    /// does not open or parse is damage: syncing stops rather than forget what was applied.
    pub(crate) fn load(w: &mut RecordWriter<'_>) -> Result<Ledger> {
        let Some(bytes) = w.local_state(NAME)? else {
            return Ok(Ledger::default());
        };
        Ledger::decode(&bytes).ok_or(Error::CorruptJournal {
            detail: "the journal's sync record is damaged",
        })
    }

    /// Saves the ledger in `w`'s transaction.
    pub(crate) fn save(&self, w: &mut RecordWriter<'_>) -> Result<()> {
        w.set_local_state(NAME, &self.encode())
    }

    /// Loads the ledger, lets `change` change it and saves it, in `w`'s transaction.
    pub(crate) fn update<T>(
        w: &mut RecordWriter<'_>,
        change: impl FnOnce(&mut Ledger) -> T,
    ) -> Result<T> {
        let mut ledger = Ledger::load(w)?;
        let out = change(&mut ledger);
        ledger.save(w)?;
        Ok(out)
    }

    /// The ledger's encoding (sealed by the journal's local state).
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.applied.write(&mut w, tag::APPLIED);
        write_known(&self.known, &mut w, tag::KNOWN);
        if let Some((version, digest)) = &self.keys {
            w.uint(tag::KEYS_EPOCH, version.epoch);
            w.uint(tag::KEYS_CLOCK, version.clock);
            w.uint(tag::KEYS_DEVICE, version.device);
            w.bytes_field(tag::KEYS_DIGEST, digest);
        }
        w.into_bytes()
    }

    /// A ledger from its encoding; `None` when malformed. Never panics (fuzzed).
    pub(super) fn decode(bytes: &[u8]) -> Option<Ledger> {
        let mut ledger = Ledger::default();
        let mut version = KeysVersion::default();
        let mut digest = None;
        let mut reader = Reader::new(bytes);
        while let Some((t, wire, _)) = reader.next_field().ok()? {
            match t {
                tag::APPLIED => ledger.applied.read_pair(wire.bytes().ok()?)?,
                tag::KNOWN => read_known_pair(&mut ledger.known, wire.bytes().ok()?)?,
                tag::KEYS_EPOCH => version.epoch = wire.varint().ok()?,
                tag::KEYS_CLOCK => version.clock = wire.varint().ok()?,
                tag::KEYS_DEVICE => version.device = wire.varint().ok()?,
                tag::KEYS_DIGEST => digest = Some(<[u8; 32]>::try_from(wire.bytes().ok()?).ok()?),
                _ => {}
            }
        }
        ledger.keys = digest.map(|d| (version, d));
        Some(ledger)
    }

    /// Takes the next sequence number for a blob of `device` (this one), above every number
    /// of it used or seen anywhere (`seen`: what the store shows of it).
    pub(crate) fn next_seq(&mut self, device: u64, seen: u64) -> u64 {
        let next = self.applied.get(device).max(seen).saturating_add(1);
        self.applied.raise(device, next);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_round_trips() {
        let mut ledger = Ledger::default();
        ledger.applied.raise(7, 3);
        ledger.applied.raise(9, 12);
        ledger.known.learn(crate::Stamp {
            clock: 1 << 40,
            device: 7,
        });
        ledger.keys = Some((
            KeysVersion {
                epoch: 2,
                clock: 99,
                device: 9,
            },
            [5u8; 32],
        ));
        assert_eq!(Ledger::decode(&ledger.encode()), Some(ledger));
    }

    #[test]
    fn sequence_numbers_only_rise() {
        let mut seqs = Seqs::default();
        seqs.raise(1, 5);
        seqs.raise(1, 3);
        assert_eq!(seqs.get(1), 5);
        let mut ledger = Ledger::default();
        assert_eq!(ledger.next_seq(1, 0), 1);
        assert_eq!(ledger.next_seq(1, 7), 8);
        assert_eq!(ledger.next_seq(1, 0), 9);
    }
}
