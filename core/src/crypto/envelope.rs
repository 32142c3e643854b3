//! The versioned envelope every sealed blob is stored in (SECURITY.md S7-S9).
//!
//! Layout, version 1:
//!
//! | bytes  | field                                   |
//! |--------|-----------------------------------------|
//! | 0      | envelope version (1)                    |
//! | 1      | algorithm (1 = AES-256-GCM)             |
//! | 2..6   | key id, big-endian `u32`                |
//! | 6..18  | nonce, 96 random bits                   |
//! | 18..   | ciphertext followed by the 16-byte tag  |
//!
//! The six header bytes are always part of the associated data, so a changed version,
//! algorithm or key id fails authentication. Callers add their own binding (record id,
//! revision, slot id) through [`seal`]'s and [`open`]'s `context`.
//!
//! [`Envelope::parse`] never panics on any input (a property test feeds it arbitrary bytes).

use crate::error::{Error, Result};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use zeroize::Zeroizing;

/// The envelope version this build writes and the newest it reads.
pub const ENVELOPE_VERSION: u8 = 1;
/// The only algorithm id defined so far: AES-256-GCM.
pub const ALGORITHM_AES_256_GCM: u8 = 1;
/// Length of the header (version, algorithm, key id).
pub const HEADER_LEN: usize = 6;
/// Length of the GCM tag.
pub const TAG_LEN: usize = 16;
/// The shortest valid envelope: header, nonce and tag around an empty plaintext.
pub const MIN_LEN: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;

/// Why an envelope could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Shorter than [`MIN_LEN`].
    Truncated,
    /// A version this build does not know.
    UnknownVersion(u8),
    /// An algorithm this build does not know.
    UnknownAlgorithm(u8),
}

impl From<EnvelopeError> for Error {
    fn from(e: EnvelopeError) -> Self {
        match e {
            EnvelopeError::UnknownVersion(found) => Error::UnsupportedVersion {
                what: "record envelope",
                found: found.into(),
                supported: ENVELOPE_VERSION.into(),
            },
            EnvelopeError::UnknownAlgorithm(found) => Error::UnsupportedVersion {
                what: "encryption algorithm",
                found: found.into(),
                supported: ALGORITHM_AES_256_GCM.into(),
            },
            EnvelopeError::Truncated => Error::Crypto("a sealed blob is truncated"),
        }
    }
}

/// A parsed view of an envelope's fields, borrowing the stored bytes.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Which key sealed it (a key generation for records, a slot's own key for slots).
    pub key_id: u32,
    header: &'a [u8],
    nonce: [u8; NONCE_LEN],
    sealed: &'a [u8],
}

impl<'a> Envelope<'a> {
    /// Splits stored bytes into the envelope's fields, rejecting unknown versions and
    /// algorithms and anything too short to hold a tag.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, EnvelopeError> {
        if bytes.len() < MIN_LEN {
            return Err(EnvelopeError::Truncated);
        }
        let (header, rest) = bytes.split_at(HEADER_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        if header[0] != ENVELOPE_VERSION {
            return Err(EnvelopeError::UnknownVersion(header[0]));
        }
        if header[1] != ALGORITHM_AES_256_GCM {
            return Err(EnvelopeError::UnknownAlgorithm(header[1]));
        }
        let key_id = u32::from_be_bytes([header[2], header[3], header[4], header[5]]);
        let mut nonce_bytes = [0u8; NONCE_LEN];
        nonce_bytes.copy_from_slice(nonce);
        Ok(Envelope {
            key_id,
            header,
            nonce: nonce_bytes,
            sealed,
        })
    }

    /// Length of the plaintext inside (ciphertext less the tag).
    pub fn plaintext_len(&self) -> usize {
        self.sealed.len() - TAG_LEN
    }
}

/// An AES-256-GCM key with the id written into every envelope it seals.
pub struct SealingKey {
    key: LessSafeKey,
    key_id: u32,
}

impl SealingKey {
    /// Builds a sealing key from 32 key bytes. The bytes are copied into `ring`'s key
    /// schedule; the caller keeps (and zeroizes) its own copy.
    pub fn new(key_bytes: &[u8; 32], key_id: u32) -> Result<Self> {
        let unbound = UnboundKey::new(&AES_256_GCM, key_bytes)
            .map_err(|_| Error::Crypto("AES-256-GCM rejected the key"))?;
        Ok(SealingKey {
            key: LessSafeKey::new(unbound),
            key_id,
        })
    }

    /// The id written into envelopes this key seals.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }
}

fn associated_data(header: &[u8], context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + context.len());
    aad.extend_from_slice(header);
    aad.extend_from_slice(context);
    aad
}

/// Seals `plaintext` under `key` with a fresh random nonce. `context` is bound as associated
/// data: [`open`] succeeds only with the same context.
pub fn seal(key: &SealingKey, context: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let nonce_bytes: [u8; NONCE_LEN] = super::random_array()?;
    let mut out = Vec::with_capacity(MIN_LEN + plaintext.len());
    out.push(ENVELOPE_VERSION);
    out.push(ALGORITHM_AES_256_GCM);
    out.extend_from_slice(&key.key_id.to_be_bytes());
    out.extend_from_slice(&nonce_bytes);
    let body_start = out.len();
    out.extend_from_slice(plaintext);
    let aad = associated_data(&out[..HEADER_LEN], context);
    let (_, body) = out.split_at_mut(body_start);
    let tag = key
        .key
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(&aad),
            body,
        )
        .map_err(|_| Error::Crypto("AES-256-GCM sealing failed"))?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens an envelope sealed by [`seal`] with the same key and context. Returns `None` when
/// authentication fails: a wrong key, a different context, or altered bytes.
pub fn open(key: &SealingKey, envelope: &Envelope<'_>, context: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if envelope.key_id != key.key_id {
        return None;
    }
    let aad = associated_data(envelope.header, context);
    let mut buffer = Zeroizing::new(envelope.sealed.to_vec());
    let len = key
        .key
        .open_in_place(
            Nonce::assume_unique_for_key(envelope.nonce),
            Aad::from(&aad),
            buffer.as_mut_slice(),
        )
        .ok()?
        .len();
    buffer.truncate(len);
    Some(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Envelope::parse(&bytes);
        }

        #[test]
        fn open_never_panics_on_altered_envelopes(
            plaintext in proptest::collection::vec(any::<u8>(), 0..100),
            flip in any::<usize>(),
            bit in 0u8..8,
        ) {
            let key = SealingKey::new(&[7u8; 32], 3).unwrap();
            let mut sealed = seal(&key, b"ctx", &plaintext).unwrap();
            let i = flip % sealed.len();
            sealed[i] ^= 1 << bit;
            if let Ok(envelope) = Envelope::parse(&sealed) {
                prop_assert!(open(&key, &envelope, b"ctx").is_none());
            }
        }
    }

    #[test]
    fn round_trip_and_context_binding() {
        let key = SealingKey::new(&[9u8; 32], 42).unwrap();
        let sealed = seal(&key, b"record 1", b"hello").unwrap();
        let envelope = Envelope::parse(&sealed).unwrap();
        assert_eq!(envelope.key_id, 42);
        assert_eq!(&open(&key, &envelope, b"record 1").unwrap()[..], b"hello");
        assert!(open(&key, &envelope, b"record 2").is_none());
        let other = SealingKey::new(&[8u8; 32], 42).unwrap();
        assert!(open(&other, &envelope, b"record 1").is_none());
    }

    #[test]
    fn nonces_are_fresh_for_each_seal() {
        let key = SealingKey::new(&[1u8; 32], 1).unwrap();
        let a = seal(&key, b"", b"same").unwrap();
        let b = seal(&key, b"", b"same").unwrap();
        assert_ne!(a[HEADER_LEN..HEADER_LEN + NONCE_LEN], b[HEADER_LEN..HEADER_LEN + NONCE_LEN]);
        assert_ne!(a, b);
    }

    #[test]
    fn unknown_version_and_algorithm_are_typed() {
        let key = SealingKey::new(&[1u8; 32], 1).unwrap();
        let mut sealed = seal(&key, b"", b"x").unwrap();
        sealed[0] = 9;
        assert_eq!(Envelope::parse(&sealed).unwrap_err(), EnvelopeError::UnknownVersion(9));
        sealed[0] = 1;
        sealed[1] = 7;
        assert_eq!(Envelope::parse(&sealed).unwrap_err(), EnvelopeError::UnknownAlgorithm(7));
    }
}
