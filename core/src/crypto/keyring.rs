//! The one place key bytes live while a journal is unlocked.
//!
//! [`DataKey`] is the journal's random 256-bit data key (S1). [`Keyring`] holds it with the
//! record-content subkeys derived from it (S4), seals and opens records, and wraps the data key
//! for key slots. The rest of the crate asks the keyring to seal and open; it never reads key
//! bytes.
//!
//! Keys leave memory on lock: the data key lives in one heap box that is zeroized when it is
//! dropped and never moved by value; the lookup key is derived once into the keyring; `ring`'s
//! key objects (which do not wipe themselves) are boxed and overwritten in place with a key of
//! zeros before they are freed; and [`scrub_stack`] overwrites the stack that key derivation
//! and sealing used, where copies are left in dead frames (hash block buffers, key schedules
//! built before they were boxed). `Journal::lock` and the unlock calls run it.

use super::envelope::{self, Envelope, SealingKey};
use super::subkeys::{derive_subkey, LABEL_RECORD_CONTENT};
use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// The key id written into key-slot envelopes (slot keys are single-purpose, never rotated in
/// place: a changed secret makes a new slot).
pub(crate) const SLOT_KEY_ID: u32 = 0;

/// How much stack [`scrub_stack`] overwrites: far more than any key-handling call uses.
const STACK_SCRUB_BYTES: usize = 64 * 1024;

/// Overwrites the stack below the caller's frame with zeros, where dead frames of key
/// derivation and sealing keep copies of key bytes that nothing else clears. Call it when
/// those calls have returned.
#[inline(never)]
pub(crate) fn scrub_stack() {
    let mut area = [0u8; STACK_SCRUB_BYTES];
    zeroize::Zeroize::zeroize(&mut area[..]);
    std::hint::black_box(&area);
}

/// The journal's data key: 32 random bytes in one heap box, wiped when dropped, never moved
/// by value, never printed.
pub(crate) struct DataKey(Box<Zeroizing<[u8; 32]>>);

impl DataKey {
    /// A fresh data key from the system random number generator.
    pub(crate) fn generate() -> Result<Self> {
        let mut key = DataKey(Box::new(Zeroizing::new([0u8; 32])));
        super::fill_random(key.0.as_mut_slice())?;
        Ok(key)
    }

    /// The key bytes, for deriving subkeys.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Wraps this data key under a key-encryption key, binding `context`.
    pub(crate) fn wrap(&self, kek: &[u8; 32], context: &[u8]) -> Result<Vec<u8>> {
        let key = SealingKey::new(kek, SLOT_KEY_ID)?;
        envelope::seal(&key, context, &self.0[..])
    }

    /// Unwraps a data key sealed by [`DataKey::wrap`]; `None` when the key-encryption key or
    /// the context is wrong or the bytes were altered.
    pub(crate) fn unwrap(kek: &[u8; 32], wrapped: &[u8], context: &[u8]) -> Option<Self> {
        let key = SealingKey::new(kek, SLOT_KEY_ID).ok()?;
        let mut buffer = Zeroizing::new(wrapped.to_vec());
        let range = envelope::open_in_place(&key, buffer.as_mut_slice(), context)?;
        let mut key = DataKey(Box::new(Zeroizing::new([0u8; 32])));
        if range.len() != key.0.len() {
            return None;
        }
        key.0.copy_from_slice(&buffer[range]);
        Some(key)
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

/// An unlocked journal's keys: the data key, the record-content keys derived from it (one
/// per key generation, created on first use) and the lookup key (derived once).
pub(crate) struct Keyring {
    data_key: DataKey,
    /// Record-content keys by generation: a journal has one or a few, so a list beats a map
    /// on the path every record takes. Boxed so they can be overwritten where they live.
    content_keys: Vec<(u32, Box<SealingKey>)>,
    /// The lookup-index HMAC key, derived on first use.
    lookup: Option<Box<ring::hmac::Key>>,
    /// The key of the journal's sealed local state, derived on first use.
    local_state: Option<Box<SealingKey>>,
}

impl Drop for Keyring {
    /// `ring`'s keys do not wipe themselves: each is overwritten in its box with a key made
    /// from zeros before the box is freed. The data key's box zeroizes itself.
    fn drop(&mut self) {
        for (_, key) in &mut self.content_keys {
            if let Ok(zeros) = SealingKey::new(&[0u8; 32], 0) {
                **key = zeros;
            }
        }
        if let Some(key) = &mut self.lookup {
            **key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[0u8; 32]);
        }
        if let Some(key) = &mut self.local_state {
            if let Ok(zeros) = SealingKey::new(&[0u8; 32], 0) {
                **key = zeros;
            }
        }
    }
}

impl Keyring {
    /// A keyring around an unwrapped data key.
    pub(crate) fn new(data_key: DataKey) -> Self {
        Keyring {
            data_key,
            content_keys: Vec::new(),
            lookup: None,
            local_state: None,
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
                    self.data_key.bytes(),
                    LABEL_RECORD_CONTENT,
                    &generation.to_be_bytes(),
                )?;
                self.content_keys
                    .push((generation, Box::new(SealingKey::new(&bytes, generation)?)));
                self.content_keys.len() - 1
            }
        };
        self.content_keys
            .get(index)
            .map(|(_, key)| &**key)
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

    /// Opens a sealed blob held in `buffer` in place, with the content key its envelope
    /// names: the plaintext's range in `buffer`, or `Ok(None)` when it does not open (the
    /// caller clears `buffer`, which then holds plaintext).
    pub(crate) fn open_in_place(
        &mut self,
        buffer: &mut [u8],
        context: &[u8],
    ) -> Result<Option<std::ops::Range<usize>>> {
        let key_id = match Envelope::parse(buffer) {
            Ok(envelope) => envelope.key_id,
            Err(envelope::EnvelopeError::Truncated) => return Ok(None),
            Err(other) => return Err(other.into()),
        };
        let key = self.content_key(key_id)?;
        Ok(envelope::open_in_place(key, buffer, context))
    }

    /// The key that seals the journal's local state (`journal::local_state`), derived on
    /// first use.
    pub(crate) fn local_state_key(&mut self) -> Result<&SealingKey> {
        if self.local_state.is_none() {
            let bytes = derive_subkey(
                self.data_key.bytes(),
                super::subkeys::LABEL_LOCAL_STATE,
                &[],
            )?;
            self.local_state = Some(Box::new(SealingKey::new(&bytes, 0)?));
        }
        self.local_state
            .as_deref()
            .ok_or(Error::Crypto("the local-state key could not be derived"))
    }

    /// The keys this journal's devices share a sync store with (see `crypto::sync_keys`).
    pub(crate) fn sync_keys(&self) -> Result<super::sync_keys::SyncKeys> {
        let root = super::sync_keys::root_of(self.data_key.bytes())?;
        super::sync_keys::SyncKeys::from_root(&root)
    }

    /// A keyed HMAC-SHA256 tag over `namespace` and `key` under the lookup-index subkey, so
    /// stable lookups never put plaintext on disk (S10).
    pub(crate) fn lookup_tag(&mut self, namespace: &[u8], key: &[u8]) -> Result<[u8; 32]> {
        if self.lookup.is_none() {
            let subkey = derive_subkey(
                self.data_key.bytes(),
                super::subkeys::LABEL_LOOKUP_INDEX,
                &[],
            )?;
            self.lookup = Some(Box::new(ring::hmac::Key::new(
                ring::hmac::HMAC_SHA256,
                subkey.as_ref(),
            )));
        }
        let hmac_key = self
            .lookup
            .as_deref()
            .ok_or(Error::Crypto("the lookup key could not be derived"))?;
        let mut context = ring::hmac::Context::with_key(hmac_key);
        context.update(&(namespace.len() as u64).to_be_bytes());
        context.update(namespace);
        context.update(key);
        let tag = context.sign();
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        Ok(out)
    }
}
