//! The keys a journal's devices share a sync store with, all derived from the data key (S4,
//! S21): one key seals blobs, one authenticates the store's key file, and a public
//! commitment names which data key they come from.
//!
//! Every device of a journal holds the same data key, so they derive the same keys. A key
//! rotation gives a new data key and so new sync keys; the device that rotated keeps the
//! previous ones (sealed in its journal, see `journal::sync_keys`) to bring in what the other
//! devices wrote under them.
//!
//! Like the keyring's keys, these live in boxes that are overwritten with zero keys before
//! they are freed (`ring`'s key objects do not wipe themselves), and never print.

use super::envelope::SealingKey;
use super::subkeys::derive_subkey;
use crate::error::Result;
use zeroize::Zeroizing;

/// The label of the sync root: every sync key is derived from it (and, in Waymark before
/// the sync epochs, it sealed blobs itself, under envelope key id 1).
pub(crate) const LABEL_SYNC: &[u8] = b"waymark/v1/sync";
/// Under the root: the key that seals change sets and snapshots.
const LABEL_BLOBS: &[u8] = b"waymark/v2/sync-blobs";
/// Under the root: the key that authenticates the store's key file.
const LABEL_KEYS_MAC: &[u8] = b"waymark/v2/sync-keys-mac";
/// Under the root: the public commitment naming the data key.
const LABEL_KEY_ID: &[u8] = b"waymark/v2/sync-key-id";
/// The envelope key id of blobs sealed by Waymark before the sync epochs.
pub(crate) const LEGACY_ENVELOPE_ID: u32 = 1;

/// The sync root of a data key: the one secret every other sync key comes from.
pub(crate) fn root_of(data_key: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
    derive_subkey(data_key, LABEL_SYNC, &[])
}

/// The sync keys of one data key.
pub(crate) struct SyncKeys {
    blobs: Box<SealingKey>,
    legacy: Box<SealingKey>,
    mac: Box<ring::hmac::Key>,
    id: [u8; 16],
}

impl Drop for SyncKeys {
    /// Overwrites each key where it lives, as the keyring does.
    fn drop(&mut self) {
        if let Ok(zeros) = SealingKey::new(&[0u8; 32], 0) {
            *self.blobs = zeros;
        }
        if let Ok(zeros) = SealingKey::new(&[0u8; 32], 0) {
            *self.legacy = zeros;
        }
        *self.mac = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[0u8; 32]);
    }
}

impl SyncKeys {
    /// The sync keys derived from a sync `root` (see [`root_of`]).
    pub(crate) fn from_root(root: &[u8; 32]) -> Result<SyncKeys> {
        let commitment = derive_subkey(root, LABEL_KEY_ID, &[])?;
        let mut id = [0u8; 16];
        id.copy_from_slice(&commitment[..16]);
        let blobs = derive_subkey(root, LABEL_BLOBS, &[])?;
        let mac = derive_subkey(root, LABEL_KEYS_MAC, &[])?;
        Ok(SyncKeys {
            blobs: Box::new(SealingKey::new(&blobs, envelope_id(&id))?),
            legacy: Box::new(SealingKey::new(root, LEGACY_ENVELOPE_ID)?),
            mac: Box::new(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, mac.as_ref())),
            id,
        })
    }

    /// The key that seals change sets and snapshots; its envelope key id is
    /// [`SyncKeys::envelope_id`].
    pub(crate) fn blobs(&self) -> &SealingKey {
        &self.blobs
    }

    /// The key blobs were sealed with before the sync epochs (envelope key id 1).
    pub(crate) fn legacy(&self) -> &SealingKey {
        &self.legacy
    }

    /// The public commitment to the data key these keys come from: equal on every device
    /// holding that key, and telling nothing about it.
    pub(crate) fn id(&self) -> [u8; 16] {
        self.id
    }

    /// The key id this data key's blobs carry in their envelope header (never 0 or 1).
    pub(crate) fn envelope_id(&self) -> u32 {
        self.blobs.key_id()
    }

    /// HMAC-SHA256 of `data` under the key-file key.
    pub(crate) fn mac(&self, data: &[u8]) -> [u8; 32] {
        let tag = ring::hmac::sign(&self.mac, data);
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }

    /// True when `tag` is the HMAC of `data` (compared in constant time).
    pub(crate) fn verify(&self, data: &[u8], tag: &[u8]) -> bool {
        ring::hmac::verify(&self.mac, data, tag).is_ok()
    }
}

/// The envelope key id of a commitment: its first four bytes, moved off 0 and 1 (which name
/// other keys).
fn envelope_id(commitment: &[u8; 16]) -> u32 {
    let id = u32::from_be_bytes([commitment[0], commitment[1], commitment[2], commitment[3]]);
    if id <= LEGACY_ENVELOPE_ID {
        id + 2
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_root_gives_the_same_keys_and_another_root_others() {
        let a = SyncKeys::from_root(&[7u8; 32]).unwrap();
        let b = SyncKeys::from_root(&[7u8; 32]).unwrap();
        let c = SyncKeys::from_root(&[8u8; 32]).unwrap();
        assert_eq!(a.id(), b.id());
        assert_ne!(a.id(), c.id());
        assert_eq!(a.mac(b"x"), b.mac(b"x"));
        assert!(a.verify(b"x", &b.mac(b"x")));
        assert!(!a.verify(b"x", &c.mac(b"x")));
        assert!(a.envelope_id() > LEGACY_ENVELOPE_ID);
    }
}
