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
//! revision, slot id) through [`seal`]'s and [`open_in_place`]'s `context`.
//!
//! [`Envelope::parse`] never panics on any input (a property test feeds it arbitrary bytes).

use crate::error::{Error, Result};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};

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

/// An envelope's parsed header: which key sealed it, the nonce, and how long the plaintext is.
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    /// Which key sealed it (a key generation for records, a slot's own key for slots).
    pub key_id: u32,
    nonce: [u8; NONCE_LEN],
    plaintext_len: usize,
}

impl Envelope {
    /// Reads the header of stored bytes, rejecting unknown versions and algorithms and
    /// anything too short to hold a tag.
    pub fn parse(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        if bytes.len() < MIN_LEN {
            return Err(EnvelopeError::Truncated);
        }
        if bytes[0] != ENVELOPE_VERSION {
            return Err(EnvelopeError::UnknownVersion(bytes[0]));
        }
        if bytes[1] != ALGORITHM_AES_256_GCM {
            return Err(EnvelopeError::UnknownAlgorithm(bytes[1]));
        }
        let key_id = u32::from_be_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]);
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(&bytes[HEADER_LEN..HEADER_LEN + NONCE_LEN]);
        Ok(Envelope {
            key_id,
            nonce,
            plaintext_len: bytes.len() - MIN_LEN,
        })
    }

    /// Length of the plaintext inside (ciphertext less the tag).
    pub fn plaintext_len(&self) -> usize {
        self.plaintext_len
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

/// The associated data: the envelope header followed by the caller's context. Record contexts
/// fit on the stack; longer ones (key slots) spill to the heap.
enum AssociatedData {
    Inline([u8; 64], usize),
    Heap(Vec<u8>),
}

impl AsRef<[u8]> for AssociatedData {
    fn as_ref(&self) -> &[u8] {
        match self {
            AssociatedData::Inline(bytes, len) => &bytes[..*len],
            AssociatedData::Heap(bytes) => bytes,
        }
    }
}

fn associated_data(header: &[u8], context: &[u8]) -> AssociatedData {
    let len = header.len() + context.len();
    if len <= 64 {
        let mut bytes = [0u8; 64];
        bytes[..header.len()].copy_from_slice(header);
        bytes[header.len()..len].copy_from_slice(context);
        AssociatedData::Inline(bytes, len)
    } else {
        let mut bytes = Vec::with_capacity(len);
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(context);
        AssociatedData::Heap(bytes)
    }
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

/// Opens an envelope held in `buffer` in place: on success the plaintext is decrypted inside
/// `buffer` and its range returned; no other copy is made. `None` when the envelope is
/// malformed or fails authentication (unknown versions are reported by [`Envelope::parse`]).
pub fn open_in_place(
    key: &SealingKey,
    buffer: &mut [u8],
    context: &[u8],
) -> Option<std::ops::Range<usize>> {
    let (key_id, nonce) = {
        let envelope = Envelope::parse(buffer).ok()?;
        (envelope.key_id, envelope.nonce)
    };
    if key_id != key.key_id {
        return None;
    }
    let body_start = HEADER_LEN + NONCE_LEN;
    let (head, body) = buffer.split_at_mut(body_start);
    let aad = associated_data(&head[..HEADER_LEN], context);
    let len = key
        .key
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(&aad), body)
        .ok()?
        .len();
    Some(body_start..body_start + len)
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
            prop_assert!(open_in_place(&key, &mut sealed, b"ctx").is_none());
        }
    }

    #[test]
    fn round_trip_and_context_binding() {
        let key = SealingKey::new(&[9u8; 32], 42).unwrap();
        let sealed = seal(&key, b"record 1", b"hello").unwrap();
        assert_eq!(Envelope::parse(&sealed).unwrap().key_id, 42);
        let mut buffer = sealed.clone();
        let range = open_in_place(&key, &mut buffer, b"record 1").unwrap();
        assert_eq!(&buffer[range], b"hello");
        assert!(open_in_place(&key, &mut sealed.clone(), b"record 2").is_none());
        let other = SealingKey::new(&[8u8; 32], 42).unwrap();
        assert!(open_in_place(&other, &mut sealed.clone(), b"record 1").is_none());
    }

    #[test]
    fn nonces_are_fresh_for_each_seal() {
        let key = SealingKey::new(&[1u8; 32], 1).unwrap();
        let a = seal(&key, b"", b"same").unwrap();
        let b = seal(&key, b"", b"same").unwrap();
        assert_ne!(
            a[HEADER_LEN..HEADER_LEN + NONCE_LEN],
            b[HEADER_LEN..HEADER_LEN + NONCE_LEN]
        );
        assert_ne!(a, b);
    }

    #[test]
    fn unknown_version_and_algorithm_are_typed() {
        let key = SealingKey::new(&[1u8; 32], 1).unwrap();
        let mut sealed = seal(&key, b"", b"x").unwrap();
        sealed[0] = 9;
        assert_eq!(
            Envelope::parse(&sealed).unwrap_err(),
            EnvelopeError::UnknownVersion(9)
        );
        sealed[0] = 1;
        sealed[1] = 7;
        assert_eq!(
            Envelope::parse(&sealed).unwrap_err(),
            EnvelopeError::UnknownAlgorithm(7)
        );
    }
}
