//! Change sets and snapshots: what a sync store holds besides `keys`, and how they are
//! sealed.
//!
//! - `c-` followed by 32 random hex digits: a **change set**, the records and deletions one
//!   device wrote since its last push to this store.
//! - `s-` and 32 random hex digits: a **snapshot**, everything a device's journal holds, and
//!   the names of the blobs it replaces (a compaction).
//!
//! Each is sealed with AES-256-GCM under the blob key of the sync keys (`crypto::sync_keys`),
//! whose public commitment names the envelope's key id, with the blob's name as associated
//! data (a renamed blob is refused), and padded to a Padmé length of at least 4 KiB: neither
//! names nor sizes tell what is inside (no dates, kinds, device names or counts). Inside,
//! besides the records:
//! - the writing device, its **sequence number** for this blob and the one of its previous
//!   blob in this store (see `ledger`), and what it held of every device's blobs;
//! - what it knew of every device's writes (hybrid clocks);
//! - the key slots it held and their version, so a device that meets a lost or older `keys`
//!   file still learns the newest slots.
//!
//! Blobs written before the sync epochs (envelope key id 1, no sequence numbers) are still
//! opened, to move a store to this format once.

use super::keys_file::{self, decode_slot, write_slot, MAX_SLOTS};
use super::ledger::{self, KeysVersion, Seqs};
use crate::codec::{Reader, Writer};
use crate::crypto::envelope::{self, Envelope, SealingKey};
use crate::crypto::sync_keys::{SyncKeys, LEGACY_ENVELOPE_ID};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::backup::{Known, Payload};
use crate::store::slots::SlotRow;
use zeroize::Zeroizing;

/// The prefix of a change set's name.
pub(crate) const CHANGE: &str = "c-";
/// The prefix of a snapshot's name.
pub(crate) const SNAPSHOT: &str = "s-";

/// The layout version inside a blob written before the sync epochs.
const LEGACY_VERSION: u8 = 1;
/// The layout version inside a blob.
const SEALED_VERSION: u8 = 2;
/// The smallest padded plaintext of a sealed blob.
const MIN_SEALED: usize = 4096;
/// At most this many names a snapshot replaces.
const MAX_COVERS: usize = 100_000;

/// A fresh name for a change set or snapshot: the prefix and 32 random hex digits.
pub(crate) fn fresh_name(prefix: &str) -> Result<String> {
    Ok(format!("{prefix}{}", RecordId::random()?))
}

/// True for the name of a change set or snapshot (as opposed to `keys` or a stranger).
pub(crate) fn is_sealed_name(name: &str) -> bool {
    let hex = |rest: &str| rest.len() == 32 && rest.bytes().all(|b| b.is_ascii_hexdigit());
    name.strip_prefix(CHANGE).is_some_and(hex) || name.strip_prefix(SNAPSHOT).is_some_and(hex)
}

/// The key slots a device held when it wrote a blob, and their version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SlotSet {
    pub(crate) version: KeysVersion,
    pub(crate) rows: Vec<SlotRow>,
}

/// Who wrote a blob, and what it held then (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Header {
    /// The writing device.
    pub(crate) origin: u64,
    /// Its sequence number for this blob.
    pub(crate) seq: u64,
    /// The sequence number of its previous blob in this store (0: none).
    pub(crate) prev: u64,
    /// For each device, the highest sequence number whose content the writer held.
    pub(crate) applied: Seqs,
    /// The key slots it held.
    pub(crate) slots: Option<SlotSet>,
}

/// What a sealed blob holds.
pub(crate) struct Sealed {
    /// Who wrote it; `None` for a blob written before the sync epochs.
    pub(crate) header: Option<Header>,
    /// The records and deletions.
    pub(crate) payload: Payload,
    /// For a snapshot: the names it replaces.
    pub(crate) covers: Vec<String>,
    /// What the writer knew of each device's writes when it wrote this.
    pub(crate) known: Known,
}

mod tag {
    pub const PAYLOAD: u32 = 1;
    pub const COVERS: u32 = 2;
    pub const KNOWN: u32 = 3;
    pub const ORIGIN: u32 = 4;
    pub const SEQ: u32 = 5;
    pub const PREV: u32 = 6;
    pub const APPLIED: u32 = 7;
    pub const SLOTS: u32 = 8;
    pub const SLOT_VERSION: u32 = 1;
    pub const SLOT: u32 = 2;
}

/// The associated data of the blob named `name` in `version`.
fn context(version: u8, name: &str) -> Vec<u8> {
    let mut out = if version == LEGACY_VERSION {
        b"waymark sync blob v1:".to_vec()
    } else {
        b"waymark sync blob v2:".to_vec()
    };
    out.extend_from_slice(name.as_bytes());
    out
}

/// Seals `sealed` (which must have a header) for the blob named `name` under `keys`.
pub(crate) fn seal(keys: &SyncKeys, name: &str, sealed: &Sealed) -> Result<Vec<u8>> {
    envelope::seal(
        keys.blobs(),
        &context(SEALED_VERSION, name),
        &plaintext(sealed)?,
    )
}

/// The padded plaintext of `sealed` (which must have a header), as it is sealed.
pub(super) fn plaintext(sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>> {
    let header = sealed
        .header
        .as_ref()
        .ok_or(Error::Crypto("a sync blob needs its writer"))?;
    let mut w = Writer::new();
    w.bytes_field(tag::PAYLOAD, &sealed.payload.encode());
    for covered in &sealed.covers {
        w.bytes_field(tag::COVERS, covered.as_bytes());
    }
    ledger::write_known(&sealed.known, &mut w, tag::KNOWN);
    w.uint(tag::ORIGIN, header.origin);
    w.uint(tag::SEQ, header.seq);
    w.uint(tag::PREV, header.prev);
    header.applied.write(&mut w, tag::APPLIED);
    if let Some(slots) = &header.slots {
        w.nested(tag::SLOTS, |s| {
            s.nested(tag::SLOT_VERSION, |v| {
                keys_file::write_version(v, &slots.version)
            });
            for row in &slots.rows {
                write_slot(s, tag::SLOT, row);
            }
        });
    }
    let content = Zeroizing::new(w.into_bytes());
    let len = u32::try_from(content.len())
        .map_err(|_| Error::invalid("sync blob", "must be smaller than 4 GiB"))?;
    let padded = crate::record::size_class(content.len().max(MIN_SEALED) + 5);
    let mut plain = Zeroizing::new(Vec::with_capacity(padded));
    plain.push(SEALED_VERSION);
    plain.extend_from_slice(&len.to_be_bytes());
    plain.extend_from_slice(&content);
    plain.resize(padded, 0);
    Ok(plain)
}

/// Which of a device's keys a blob opened under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Under {
    /// The journal's current key.
    Current,
    /// A key the journal rotated away from (the index into its previous keys).
    Previous(usize),
}

/// What opening a blob found.
pub(crate) enum Opened {
    /// It opened: a blob of this journal under one of its keys (legacy blobs have no
    /// header).
    Sealed(Box<Sealed>, Under),
    /// It names one of this device's keys but does not open or parse: changed, truncated,
    /// renamed, or damaged.
    Damaged,
    /// It was sealed under a key this device does not hold (the envelope's key id): another
    /// journal's, or this journal's under a key from before this device joined.
    Foreign(u32),
}

/// Opens the blob named `name` with this device's `current` keys or one of its `previous`
/// ones, whichever its envelope names.
pub(crate) fn open(
    current: &SyncKeys,
    previous: &[SyncKeys],
    name: &str,
    bytes: Vec<u8>,
) -> Opened {
    let Ok(envelope) = Envelope::parse(&bytes) else {
        return Opened::Damaged;
    };
    let id = envelope.key_id;
    let mut candidates: Vec<(&SealingKey, Under, u8)> = Vec::new();
    if id == current.envelope_id() {
        candidates.push((current.blobs(), Under::Current, SEALED_VERSION));
    }
    for (i, keys) in previous.iter().enumerate() {
        if id == keys.envelope_id() {
            candidates.push((keys.blobs(), Under::Previous(i), SEALED_VERSION));
        }
    }
    if id == LEGACY_ENVELOPE_ID {
        candidates.push((current.legacy(), Under::Current, LEGACY_VERSION));
        for (i, keys) in previous.iter().enumerate() {
            candidates.push((keys.legacy(), Under::Previous(i), LEGACY_VERSION));
        }
    }
    if candidates.is_empty() {
        return Opened::Foreign(id);
    }
    let mut buffer = Zeroizing::new(bytes);
    for (key, under, version) in candidates {
        let mut attempt = Zeroizing::new(buffer.to_vec());
        if let Some(range) = envelope::open_in_place(key, &mut attempt, &context(version, name)) {
            buffer = attempt;
            return match parse(version, &buffer[range]) {
                Some(sealed) => Opened::Sealed(Box::new(sealed), under),
                None => Opened::Damaged,
            };
        }
    }
    Opened::Damaged
}

/// Parses an opened blob's plaintext of layout `version` (1 before the sync epochs, 2 now);
/// `None` when it is malformed. Never panics, whatever the bytes (fuzzed).
pub(super) fn parse(version: u8, plain: &[u8]) -> Option<Sealed> {
    let (&found, rest) = plain.split_first()?;
    if found != version {
        return None;
    }
    let (len, rest) = rest.split_at_checked(4)?;
    let len = usize::try_from(u32::from_be_bytes(len.try_into().ok()?)).ok()?;
    let content = rest.get(..len)?;
    let mut payload = None;
    let mut covers = Vec::new();
    let mut known = Known::default();
    let mut header = Header::default();
    let mut reader = Reader::new(content);
    while let Some((t, wire, _)) = reader.next_field().ok()? {
        match t {
            tag::PAYLOAD => payload = Some(Payload::decode(wire.bytes().ok()?).ok()?),
            tag::COVERS => {
                let name = std::str::from_utf8(wire.bytes().ok()?).ok()?;
                if !is_sealed_name(name) || covers.len() >= MAX_COVERS {
                    return None;
                }
                covers.push(name.to_owned());
            }
            tag::KNOWN => ledger::read_known_pair(&mut known, wire.bytes().ok()?)?,
            tag::ORIGIN if version == SEALED_VERSION => header.origin = wire.varint().ok()?,
            tag::SEQ if version == SEALED_VERSION => header.seq = wire.varint().ok()?,
            tag::PREV if version == SEALED_VERSION => header.prev = wire.varint().ok()?,
            tag::APPLIED if version == SEALED_VERSION => {
                header.applied.read_pair(wire.bytes().ok()?)?
            }
            tag::SLOTS if version == SEALED_VERSION => {
                header.slots = Some(parse_slots(wire.bytes().ok()?)?)
            }
            _ => {}
        }
    }
    let header = if version == SEALED_VERSION {
        // Sequence numbers start at 1 and a blob's previous one is below its own.
        if header.seq == 0 || header.prev >= header.seq {
            return None;
        }
        Some(header)
    } else {
        None
    };
    Some(Sealed {
        header,
        payload: payload?,
        covers,
        known,
    })
}

fn parse_slots(bytes: &[u8]) -> Option<SlotSet> {
    let mut version = None;
    let mut rows = Vec::new();
    let mut reader = Reader::new(bytes);
    while let Some((t, wire, _)) = reader.next_field().ok()? {
        match t {
            tag::SLOT_VERSION => version = Some(keys_file::decode_version(wire.bytes().ok()?)?),
            tag::SLOT => {
                if rows.len() >= MAX_SLOTS {
                    return None;
                }
                rows.push(decode_slot(wire.bytes().ok()?)?);
            }
            _ => {}
        }
    }
    Some(SlotSet {
        version: version?,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sealed(seq: u64) -> Sealed {
        let mut applied = Seqs::default();
        applied.raise(4, seq);
        Sealed {
            header: Some(Header {
                origin: 4,
                seq,
                prev: seq - 1,
                applied,
                slots: None,
            }),
            payload: Payload {
                created_at: chrono::Utc.timestamp_opt(1_700_000_000, 0).unwrap(),
                records: Vec::new(),
                deletions: Vec::new(),
            },
            covers: Vec::new(),
            known: Known::default(),
        }
    }

    #[test]
    fn a_blob_opens_under_its_key_by_its_name_only() {
        let current = SyncKeys::from_root(&[1u8; 32]).unwrap();
        let old = SyncKeys::from_root(&[2u8; 32]).unwrap();
        let name = fresh_name(CHANGE).unwrap();
        let bytes = seal(&current, &name, &sealed(3)).unwrap();
        match open(&current, &[], &name, bytes.clone()) {
            Opened::Sealed(s, Under::Current) => assert_eq!(s.header.unwrap().seq, 3),
            _ => panic!("did not open"),
        }
        let other_name = fresh_name(CHANGE).unwrap();
        assert!(matches!(
            open(&current, &[], &other_name, bytes.clone()),
            Opened::Damaged
        ));
        assert!(matches!(
            open(&old, &[], &name, bytes.clone()),
            Opened::Foreign(_)
        ));
        let under_old = seal(&old, &name, &sealed(2)).unwrap();
        assert!(matches!(
            open(&current, &[old], &name, under_old),
            Opened::Sealed(_, Under::Previous(0))
        ));
    }
}
