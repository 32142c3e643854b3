//! What a sync store holds, and how it is sealed.
//!
//! - `keys`: the journal id and its passphrase and recovery-code slots (wrapped copies of
//!   the data key: the passphrase opens one through Argon2id, the recovery code the other),
//!   so a new device can join. Readable without a key, and nothing in it is readable
//!   without the passphrase or the code; the slots carry their own checksums.
//! - `c-` followed by 32 random hex digits: a **change set**, the records and deletions one
//!   device wrote since its last sync.
//! - `s-` and 32 random hex digits: a **snapshot**, a whole journal and the names of the
//!   change sets and snapshots it replaces (compaction).
//!
//! Change sets and snapshots are sealed with AES-256-GCM under the sync key (HKDF of the
//! data key with its own label, the same on every device of the journal), with the blob's
//! name as associated data (a blob renamed is refused), and padded to a Padmé length of at
//! least 4 KiB, so neither names nor sizes tell what is inside: no dates, kinds, device
//! names or counts.

use crate::codec::{Reader, Writer};
use crate::crypto::envelope::{self, SealingKey};
use crate::error::{Error, Result};
use crate::journal::SharedSlots;
use crate::record::RecordId;
use crate::recovery::backup::{Known, Payload};
use crate::store::slots::{SlotKind, SlotRow};
use crate::Stamp;
use zeroize::Zeroizing;

/// The name of the blob holding the key slots.
pub(crate) const KEYS: &str = "keys";
/// The prefix of a change set's name.
pub(crate) const CHANGE: &str = "c-";
/// The prefix of a snapshot's name.
pub(crate) const SNAPSHOT: &str = "s-";

/// The first bytes of the keys blob.
const KEYS_MAGIC: &[u8; 8] = b"WMSKEYS1";
/// The layout version inside a sealed blob.
const SEALED_VERSION: u8 = 1;
/// The smallest padded plaintext of a sealed blob.
const MIN_SEALED: usize = 4096;
/// At most this many slots in a keys blob (a journal has two or three).
const MAX_SLOTS: usize = 16;
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

/// What a sealed blob holds.
pub(crate) struct Sealed {
    /// The records and deletions.
    pub(crate) payload: Payload,
    /// For a snapshot: the names it replaces.
    pub(crate) covers: Vec<String>,
    /// What the sending device knew when it sent this (see [`Known`]).
    pub(crate) known: Known,
}

mod tag {
    pub const PAYLOAD: u32 = 1;
    pub const COVERS: u32 = 2;
    pub const KNOWN: u32 = 3;
    pub const DEVICE: u32 = 1;
    pub const CLOCK: u32 = 2;
}

/// At most this many devices in a version vector.
const MAX_DEVICES: usize = 4096;

/// The associated data of the blob named `name`.
fn context(name: &str) -> Vec<u8> {
    let mut out = b"waymark sync blob v1:".to_vec();
    out.extend_from_slice(name.as_bytes());
    out
}

/// Seals `sealed` for the blob named `name`.
pub(crate) fn seal(key: &SealingKey, name: &str, sealed: &Sealed) -> Result<Vec<u8>> {
    let mut w = Writer::new();
    w.bytes_field(tag::PAYLOAD, &sealed.payload.encode());
    for covered in &sealed.covers {
        w.bytes_field(tag::COVERS, covered.as_bytes());
    }
    for (&device, &clock) in &sealed.known.0 {
        w.nested(tag::KNOWN, |k| {
            k.uint(tag::DEVICE, device);
            k.uint(tag::CLOCK, clock);
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
    envelope::seal(key, &context(name), &plain)
}

/// Opens the blob named `name`; `None` when it does not authenticate (another journal's, or
/// changed, renamed or truncated) or does not parse.
pub(crate) fn open(key: &SealingKey, name: &str, bytes: Vec<u8>) -> Option<Sealed> {
    let mut buffer = Zeroizing::new(bytes);
    let range = envelope::open_in_place(key, &mut buffer, &context(name))?;
    let plain = &buffer[range];
    let (&version, rest) = plain.split_first()?;
    if version != SEALED_VERSION {
        return None;
    }
    let (len, rest) = rest.split_at_checked(4)?;
    let len = usize::try_from(u32::from_be_bytes(len.try_into().ok()?)).ok()?;
    let content = rest.get(..len)?;
    let mut payload = None;
    let mut covers = Vec::new();
    let mut known = Known::default();
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
            tag::KNOWN => {
                if known.0.len() >= MAX_DEVICES {
                    return None;
                }
                let (mut device, mut clock) = (None, None);
                let mut inner = Reader::new(wire.bytes().ok()?);
                while let Some((t, wire, _)) = inner.next_field().ok()? {
                    match t {
                        tag::DEVICE => device = Some(wire.varint().ok()?),
                        tag::CLOCK => clock = Some(wire.varint().ok()?),
                        _ => {}
                    }
                }
                known.learn(Stamp {
                    device: device?,
                    clock: clock?,
                });
            }
            _ => {}
        }
    }
    Some(Sealed {
        payload: payload?,
        covers,
        known,
    })
}

mod keys_tag {
    pub const JOURNAL_ID: u32 = 1;
    pub const SLOT: u32 = 2;
    pub const STORE_ID: u32 = 3;
    pub const KIND: u32 = 1;
    pub const LABEL: u32 = 2;
    pub const SALT: u32 = 3;
    pub const PARAMS: u32 = 4;
    pub const WRAPPED: u32 = 5;
    pub const CHECKSUM: u32 = 6;
}

/// What the keys blob holds: the slots, and the store's own random id (so a device keeps a
/// separate sync state for each store it syncs with).
pub(crate) struct Keys {
    pub(crate) shared: SharedSlots,
    pub(crate) store_id: [u8; 16],
}

/// The keys blob of `keys`.
pub(crate) fn encode_keys(keys: &Keys) -> Vec<u8> {
    let shared = &keys.shared;
    let mut w = Writer::new();
    w.bytes_field(keys_tag::JOURNAL_ID, &shared.journal_id);
    w.bytes_field(keys_tag::STORE_ID, &keys.store_id);
    for row in &shared.rows {
        w.nested(keys_tag::SLOT, |s| {
            s.uint(keys_tag::KIND, u64::try_from(row.kind.to_db()).unwrap_or(0));
            s.bytes_field(keys_tag::LABEL, row.label.as_bytes());
            s.bytes_field(keys_tag::SALT, &row.salt);
            s.bytes_field(keys_tag::PARAMS, &row.params);
            s.bytes_field(keys_tag::WRAPPED, &row.wrapped_key);
            if let Some(sum) = &row.checksum {
                s.bytes_field(keys_tag::CHECKSUM, sum);
            }
        });
    }
    let mut out = KEYS_MAGIC.to_vec();
    out.extend_from_slice(&w.into_bytes());
    out
}

/// Reads a keys blob; refuses one that is not Waymark's or is malformed.
pub(crate) fn decode_keys(bytes: &[u8]) -> Result<Keys> {
    let refused = || Error::SyncStore {
        detail: "the store's key blob is not a Waymark journal's (or is damaged)".into(),
    };
    let body = bytes
        .strip_prefix(KEYS_MAGIC.as_slice())
        .ok_or_else(refused)?;
    let mut journal_id = None;
    let mut store_id = [0u8; 16];
    let mut rows = Vec::new();
    let mut reader = Reader::new(body);
    while let Some((t, wire, _)) = reader.next_field().map_err(|_| refused())? {
        match t {
            keys_tag::JOURNAL_ID => {
                journal_id = Some(
                    <[u8; 16]>::try_from(wire.bytes().map_err(|_| refused())?)
                        .map_err(|_| refused())?,
                );
            }
            keys_tag::STORE_ID => {
                store_id = <[u8; 16]>::try_from(wire.bytes().map_err(|_| refused())?)
                    .map_err(|_| refused())?;
            }
            keys_tag::SLOT => {
                if rows.len() >= MAX_SLOTS {
                    return Err(refused());
                }
                rows.push(decode_slot(wire.bytes().map_err(|_| refused())?).ok_or_else(refused)?);
            }
            _ => {}
        }
    }
    Ok(Keys {
        shared: SharedSlots {
            journal_id: journal_id.ok_or_else(refused)?,
            rows,
        },
        store_id,
    })
}

fn decode_slot(bytes: &[u8]) -> Option<SlotRow> {
    let mut kind = None;
    let mut label = String::new();
    let mut salt = Vec::new();
    let mut params = Vec::new();
    let mut wrapped_key = Vec::new();
    let mut checksum = None;
    let mut reader = Reader::new(bytes);
    let small = |b: &[u8]| (b.len() <= 1024).then(|| b.to_vec());
    while let Some((t, wire, _)) = reader.next_field().ok()? {
        match t {
            keys_tag::KIND => {
                kind = match wire.varint().ok()? {
                    1 => Some(SlotKind::Passphrase),
                    2 => Some(SlotKind::RecoveryCode),
                    _ => return None,
                }
            }
            keys_tag::LABEL => {
                label = std::str::from_utf8(&small(wire.bytes().ok()?)?)
                    .ok()?
                    .to_owned()
            }
            keys_tag::SALT => salt = small(wire.bytes().ok()?)?,
            keys_tag::PARAMS => params = small(wire.bytes().ok()?)?,
            keys_tag::WRAPPED => wrapped_key = small(wire.bytes().ok()?)?,
            keys_tag::CHECKSUM => checksum = Some(small(wire.bytes().ok()?)?),
            _ => {}
        }
    }
    Some(SlotRow {
        id: 0,
        kind: kind?,
        label,
        salt,
        params,
        wrapped_key,
        checksum: Some(checksum?),
    })
}
