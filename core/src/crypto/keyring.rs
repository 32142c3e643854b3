//! The one place key bytes live while a journal is unlocked.
//!
//! [`DataKey`] is the journal's random 256-bit data key (S1). [`Keyring`] holds it with the
//! record-content subkeys derived from it (S4), seals and opens records, and wraps the data key
//! for key slots. The rest of the crate asks the keyring to seal and open; it never reads key
//! bytes. Dropping the keyring (on `lock()`) zeroizes the data key and every derived key copy
//! this crate holds.

use super::envelope::{self, Envelope, SealingKey};
use super::subkeys::{derive_subkey, LABEL_RECORD_CONTENT};
use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// The key id written into key-slot envelopes (slot keys are single-purpose, never rotated in
/// place: a changed secret makes a new slot).
pub(crate) const SLOT_KEY_ID: u32 = 0;

/// The journal's data key: 32 random bytes, wiped when dropped, never printed.
pub(crate) struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh data key from the system random number generator.
    pub(crate) fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        super::fill_random(bytes.as_mut())?;
        Ok(DataKey(bytes))
    }

    /// Wraps this data key under a key-encryption key, binding `context`.
    pub(crate) fn wrap(&self, kek: &[u8; 32], context: &[u8]) -> Result<Vec<u8>> {
        let key = SealingKey::new(kek, SLOT_KEY_ID)?;
        envelope::seal(&key, context, self.0.as_ref())
    }

    /// Unwraps a data key sealed by [`DataKey::wrap`]; `None` when the key-encryption key or
    /// the context is wrong or the bytes were altered.
    pub(crate) fn unwrap(kek: &[u8; 32], wrapped: &[u8], context: &[u8]) -> Option<Self> {
        let key = SealingKey::new(kek, SLOT_KEY_ID).ok()?;
        let mut buffer = Zeroizing::new(wrapped.to_vec());
        let range = envelope::open_in_place(&key, buffer.as_mut_slice(), context)?;
        let mut bytes = Zeroizing::new([0u8; 32]);
        if range.len() != bytes.len() {
            return None;
        }
        bytes.copy_from_slice(&buffer[range]);
        Some(DataKey(bytes))
    }

    /// True when both are the same key. Compares every byte (no early exit), so the time
    /// taken does not depend on where two keys differ.
    pub(crate) fn same_as(&self, other: &DataKey) -> bool {
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

/// An unlocked journal's keys: the data key and the record-content keys derived from it, one
/// per key generation, created on first use.
pub(crate) struct Keyring {
    data_key: DataKey,
    /// Record-content keys by generation: a journal has one or a few, so a list beats a map
    /// on the path every record takes.
    content_keys: Vec<(u32, SealingKey)>,
}

impl Keyring {
    /// A keyring around an unwrapped data key.
    pub(crate) fn new(data_key: DataKey) -> Self {
        Keyring {
            data_key,
            content_keys: Vec::new(),
        }
    }

    /// The data key, for wrapping into a new slot.
    pub(crate) fn data_key(&self) -> &DataKey {
        &self.data_key
    }

    fn content_key(&mut self, generation: u32) -> Result<&SealingKey> {
        let index = match self.content_keys.iter().position(|(g, _)| *g == generation) {
            Some(index) => index,
            None => {
                let bytes = derive_subkey(
                    &self.data_key.0,
                    LABEL_RECORD_CONTENT,
                    &generation.to_be_bytes(),
                )?;
                self.content_keys
                    .push((generation, SealingKey::new(&bytes, generation)?));
                self.content_keys.len() - 1
            }
        };
        self.content_keys
            .get(index)
            .map(|(_, key)| key)
            .ok_or(Error::Crypto("a record-content key could not be derived"))
    }

    /// Seals a record payload under the content key of `generation`.
    pub(crate) fn seal_record(
        &mut self,
        generation: u32,
        context: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        let key = self.content_key(generation)?;
        envelope::seal(key, context, plaintext)
    }

    /// Opens a sealed record with the content key its envelope names. The envelope is copied
    /// into `scratch` (a buffer reused across records, wiped when the caller drops it) and
    /// decrypted there; the plaintext's range in `scratch` is returned. Unknown versions are
    /// an error of their own; any other failure is `Ok(None)`.
    pub(crate) fn open_record(
        &mut self,
        sealed: &[u8],
        context: &[u8],
        scratch: &mut Zeroizing<Vec<u8>>,
    ) -> Result<Option<std::ops::Range<usize>>> {
        let key_id = match Envelope::parse(sealed) {
            Ok(envelope) => envelope.key_id,
            Err(envelope::EnvelopeError::Truncated) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        let key = self.content_key(key_id)?;
        scratch.clear();
        scratch.extend_from_slice(sealed);
        Ok(envelope::open_in_place(
            key,
            scratch.as_mut_slice(),
            context,
        ))
    }

    /// A keyed HMAC-SHA256 tag over `namespace` and `key` under the lookup-index subkey, so
    /// stable lookups never put plaintext on disk (S10).
    pub(crate) fn lookup_tag(&mut self, namespace: &[u8], key: &[u8]) -> Result<[u8; 32]> {
        let subkey = derive_subkey(&self.data_key.0, super::subkeys::LABEL_LOOKUP_INDEX, &[])?;
        let hmac_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, subkey.as_ref());
        let mut context = ring::hmac::Context::with_key(&hmac_key);
        context.update(&(namespace.len() as u64).to_be_bytes());
        context.update(namespace);
        context.update(key);
        let tag = context.sign();
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        Ok(out)
    }
}
