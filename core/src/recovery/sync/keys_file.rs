//! The store's `keys` blob: what a new device joins with, authenticated so the slots in a
//! store only move forward.
//!
//! It holds the journal id, the store's own random id, the journal's passphrase and
//! recovery-code slots (wrapped copies of the data key, each with its checksum), and since
//! the sync epochs (`WMSKEYS2`):
//! - the **key id**, a public commitment to the data key the slots wrap (`crypto::sync_keys`),
//!   so a device tells at once whether the file belongs to its key, to an earlier key it
//!   rotated away from, or to a later one (the key was rotated on another device);
//! - the **slot version** ([`KeysVersion`]: how many changes of secret, then when and by
//!   which device), sealed so the store cannot read it;
//! - an **HMAC** over everything before it, under a key only holders of the data key
//!   derive. A device never trusts a file whose HMAC fails, never writes a version older
//!   than one it has seen over a newer one, and adopts a newer one.
//!
//! Files of Waymark before the epochs (`WMSKEYS1`, no HMAC) are still read, once, to move a
//! store to the new format.

use super::ledger::KeysVersion;
use crate::codec::{Reader, Writer};
use crate::crypto::envelope;
use crate::crypto::sync_keys::SyncKeys;
use crate::error::{Error, Result};
use crate::store::slots::{SlotKind, SlotRow};
use zeroize::Zeroizing;

/// The name of the blob holding the key slots.
pub(crate) const KEYS: &str = "keys";
/// The first bytes of a keys blob written before the sync epochs.
const MAGIC_V1: &[u8; 8] = b"WMSKEYS1";
/// The first bytes of a keys blob with a key id, a slot version and an HMAC.
const MAGIC_V2: &[u8; 8] = b"WMSKEYS2";
/// At most this many slots in a keys blob (a journal has two or three).
pub(crate) const MAX_SLOTS: usize = 16;

mod tag {
    pub const JOURNAL_ID: u32 = 1;
    pub const SLOT: u32 = 2;
    pub const STORE_ID: u32 = 3;
    pub const KEY_ID: u32 = 4;
    pub const VERSION: u32 = 5;
    pub const MAC: u32 = 15;
    pub const KIND: u32 = 1;
    pub const LABEL: u32 = 2;
    pub const SALT: u32 = 3;
    pub const PARAMS: u32 = 4;
    pub const WRAPPED: u32 = 5;
    pub const CHECKSUM: u32 = 6;
    pub const EPOCH: u32 = 1;
    pub const CLOCK: u32 = 2;
    pub const DEVICE: u32 = 3;
}

/// A keys blob as read, before anything in it is trusted.
pub(crate) struct KeysFile {
    pub(crate) journal_id: [u8; 16],
    pub(crate) store_id: [u8; 16],
    pub(crate) rows: Vec<SlotRow>,
    /// `None` for a file written before the sync epochs.
    pub(crate) signed: Option<Signed>,
}

/// What a `WMSKEYS2` file adds.
pub(crate) struct Signed {
    pub(crate) key_id: [u8; 16],
    sealed_version: Vec<u8>,
    /// The bytes the HMAC covers, and the HMAC.
    covered: Vec<u8>,
    mac: Vec<u8>,
}

impl KeysFile {
    /// The slot version, when the file's HMAC verifies under `keys` (which must be the keys
    /// of the data key the file names) and its sealed version opens; `None` otherwise
    /// (altered, or another key's).
    pub(crate) fn verified_version(&self, keys: &SyncKeys) -> Option<KeysVersion> {
        let signed = self.signed.as_ref()?;
        if signed.key_id != keys.id() || !keys.verify(&signed.covered, &signed.mac) {
            return None;
        }
        let mut buffer = Zeroizing::new(signed.sealed_version.clone());
        let range = envelope::open_in_place(
            keys.blobs(),
            &mut buffer,
            &version_context(&self.journal_id, &self.store_id),
        )?;
        decode_version(&buffer[range])
    }
}

fn version_context(journal_id: &[u8; 16], store_id: &[u8; 16]) -> Vec<u8> {
    let mut out = b"waymark sync keys version v2:".to_vec();
    out.extend_from_slice(journal_id);
    out.extend_from_slice(store_id);
    out
}

fn encode_version(version: &KeysVersion) -> Vec<u8> {
    let mut w = Writer::new();
    w.uint(tag::EPOCH, version.epoch);
    w.uint(tag::CLOCK, version.clock);
    w.uint(tag::DEVICE, version.device);
    w.into_bytes()
}

/// A slot version from its encoding (inside a keys file or a sealed blob).
pub(crate) fn decode_version(bytes: &[u8]) -> Option<KeysVersion> {
    let mut version = KeysVersion::default();
    let mut reader = Reader::new(bytes);
    while let Some((t, wire, _)) = reader.next_field().ok()? {
        match t {
            tag::EPOCH => version.epoch = wire.varint().ok()?,
            tag::CLOCK => version.clock = wire.varint().ok()?,
            tag::DEVICE => version.device = wire.varint().ok()?,
            _ => {}
        }
    }
    Some(version)
}

/// Writes a slot version as the nested fields a blob carries.
pub(crate) fn write_version(w: &mut Writer, version: &KeysVersion) {
    w.uint(tag::EPOCH, version.epoch);
    w.uint(tag::CLOCK, version.clock);
    w.uint(tag::DEVICE, version.device);
}

/// Writes one slot row as a nested field `field` of `w`.
pub(crate) fn write_slot(w: &mut Writer, field: u32, row: &SlotRow) {
    w.nested(field, |s| {
        s.uint(tag::KIND, u64::try_from(row.kind.to_db()).unwrap_or(0));
        s.bytes_field(tag::LABEL, row.label.as_bytes());
        s.bytes_field(tag::SALT, &row.salt);
        s.bytes_field(tag::PARAMS, &row.params);
        s.bytes_field(tag::WRAPPED, &row.wrapped_key);
        if let Some(sum) = &row.checksum {
            s.bytes_field(tag::CHECKSUM, sum);
        }
    });
}

/// A keys blob for `rows` of `journal_id` in the store `store_id`, under `keys`, at
/// `version`.
pub(crate) fn encode(
    journal_id: &[u8; 16],
    store_id: &[u8; 16],
    rows: &[SlotRow],
    keys: &SyncKeys,
    version: &KeysVersion,
) -> Result<Vec<u8>> {
    let sealed_version = envelope::seal(
        keys.blobs(),
        &version_context(journal_id, store_id),
        &encode_version(version),
    )?;
    let mut w = Writer::new();
    w.bytes_field(tag::JOURNAL_ID, journal_id);
    w.bytes_field(tag::STORE_ID, store_id);
    for row in rows {
        write_slot(&mut w, tag::SLOT, row);
    }
    w.bytes_field(tag::KEY_ID, &keys.id());
    w.bytes_field(tag::VERSION, &sealed_version);
    let mut out = MAGIC_V2.to_vec();
    out.extend_from_slice(&w.into_bytes());
    let mac = keys.mac(&out);
    let mut tail = Writer::new();
    tail.bytes_field(tag::MAC, &mac);
    out.extend_from_slice(&tail.into_bytes());
    Ok(out)
}

fn refused() -> Error {
    Error::SyncStore {
        detail: "the store's key blob is not a Waymark journal's (or is damaged)".into(),
    }
}

/// Reads a keys blob; refuses one that is not Waymark's or is malformed. Nothing in it is
/// trusted yet (see [`KeysFile::verified_version`]).
pub(crate) fn decode(bytes: &[u8]) -> Result<KeysFile> {
    let (v2, body) = if let Some(body) = bytes.strip_prefix(MAGIC_V2.as_slice()) {
        (true, body)
    } else if let Some(body) = bytes.strip_prefix(MAGIC_V1.as_slice()) {
        (false, body)
    } else {
        return Err(refused());
    };
    let mut journal_id = None;
    let mut store_id = [0u8; 16];
    let mut rows = Vec::new();
    let mut key_id = None;
    let mut sealed_version = None;
    let mut mac = None;
    let mut covered_len = None;
    let mut reader = Reader::new(body);
    while let Some((t, wire, raw)) = reader.next_field().map_err(|_| refused())? {
        if mac.is_some() {
            // Nothing may follow the HMAC.
            return Err(refused());
        }
        let value = || wire.bytes().map_err(|_| refused());
        match t {
            tag::JOURNAL_ID => {
                journal_id = Some(<[u8; 16]>::try_from(value()?).map_err(|_| refused())?);
            }
            tag::STORE_ID => {
                store_id = <[u8; 16]>::try_from(value()?).map_err(|_| refused())?;
            }
            tag::SLOT => {
                if rows.len() >= MAX_SLOTS {
                    return Err(refused());
                }
                rows.push(decode_slot(value()?).ok_or_else(refused)?);
            }
            tag::KEY_ID if v2 => {
                key_id = Some(<[u8; 16]>::try_from(value()?).map_err(|_| refused())?);
            }
            tag::VERSION if v2 => {
                let bytes = value()?;
                if bytes.len() > 1024 {
                    return Err(refused());
                }
                sealed_version = Some(bytes.to_vec());
            }
            tag::MAC if v2 => {
                let offset = raw.as_ptr() as usize - body.as_ptr() as usize;
                covered_len = Some(MAGIC_V2.len() + offset);
                mac = Some(value()?.to_vec());
            }
            _ => {}
        }
    }
    let signed = if v2 {
        let covered = bytes
            .get(..covered_len.ok_or_else(refused)?)
            .ok_or_else(refused)?;
        Some(Signed {
            key_id: key_id.ok_or_else(refused)?,
            sealed_version: sealed_version.ok_or_else(refused)?,
            covered: covered.to_vec(),
            mac: mac.ok_or_else(refused)?,
        })
    } else {
        None
    };
    Ok(KeysFile {
        journal_id: journal_id.ok_or_else(refused)?,
        store_id,
        rows,
        signed,
    })
}

/// One slot row from its nested encoding; `None` when malformed.
pub(crate) fn decode_slot(bytes: &[u8]) -> Option<SlotRow> {
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
            tag::KIND => {
                kind = match wire.varint().ok()? {
                    1 => Some(SlotKind::Passphrase),
                    2 => Some(SlotKind::RecoveryCode),
                    _ => return None,
                }
            }
            tag::LABEL => {
                label = std::str::from_utf8(&small(wire.bytes().ok()?)?)
                    .ok()?
                    .to_owned()
            }
            tag::SALT => salt = small(wire.bytes().ok()?)?,
            tag::PARAMS => params = small(wire.bytes().ok()?)?,
            tag::WRAPPED => wrapped_key = small(wire.bytes().ok()?)?,
            tag::CHECKSUM => checksum = Some(small(wire.bytes().ok()?)?),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> SlotRow {
        SlotRow {
            id: 0,
            kind: SlotKind::Passphrase,
            label: String::new(),
            salt: vec![1; 16],
            params: vec![2; 12],
            wrapped_key: vec![3; 60],
            checksum: Some(vec![4; 32]),
        }
    }

    #[test]
    fn a_keys_file_verifies_under_its_key_and_not_once_changed_or_under_another() {
        let keys = SyncKeys::from_root(&[9u8; 32]).unwrap();
        let other = SyncKeys::from_root(&[8u8; 32]).unwrap();
        let version = KeysVersion {
            epoch: 3,
            clock: 77,
            device: 5,
        };
        let bytes = encode(&[1; 16], &[2; 16], &[row()], &keys, &version).unwrap();
        let file = decode(&bytes).unwrap();
        assert_eq!(file.verified_version(&keys), Some(version));
        assert_eq!(file.verified_version(&other), None);
        assert_eq!(file.rows, vec![row()]);
        for i in 8..bytes.len() {
            let mut changed = bytes.clone();
            changed[i] ^= 1;
            if let Ok(file) = decode(&changed) {
                assert_eq!(file.verified_version(&keys), None, "byte {i}");
            }
        }
        let mut longer = bytes.clone();
        longer.extend_from_slice(&[0x0a, 0x01, 0x00]);
        assert!(decode(&longer).is_err());
    }
}
