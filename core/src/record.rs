//! Records as the rest of the crate sees them: an id, a kind, a revision and a body of bytes,
//! and the padded payload format sealed inside each envelope.
//!
//! Payload layout (inside the ciphertext): payload version (1 byte), kind length (1 byte),
//! kind (ASCII), body length (4 bytes, big-endian), body, then zero padding up to a size class.
//! Size classes are 512, 1024, 2048 and 4096 bytes, then multiples of 4096: a lapse, a
//! check-in and a short note all seal to the same length, so the file does not tell them
//! apart (S10).
//!
//! The kind is authenticated because it is inside the sealed payload; the envelope's
//! associated data binds the journal id, the record id and the revision (S8).

use crate::crypto::random_array;
use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;
use zeroize::Zeroizing;

/// The payload format version this build writes and reads.
pub const PAYLOAD_VERSION: u8 = 1;
/// The largest record body accepted (journal entries are capped well below this).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The longest record kind name.
pub const MAX_KIND_LEN: usize = 32;
const MIN_SIZE_CLASS: usize = 512;
const PAGE_SIZE_CLASS: usize = 4096;

/// A record's random 128-bit id, shown as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub(crate) [u8; 16]);

impl RecordId {
    /// A fresh random id.
    pub fn random() -> Result<Self> {
        Ok(RecordId(random_array()?))
    }

    /// The id's 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// An id from its 16 bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        RecordId(bytes)
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

impl FromStr for RecordId {
    type Err = Error;

    /// Parses 32 hex digits.
    fn from_str(s: &str) -> Result<Self> {
        let rule = || Error::invalid("record id", "must be 32 hexadecimal digits");
        if s.len() != 32 || !s.is_ascii() {
            return Err(rule());
        }
        let mut out = [0u8; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| rule())?;
        }
        Ok(RecordId(out))
    }
}

impl serde::Serialize for RecordId {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for RecordId {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom("a record id is 32 hex digits"))
    }
}

/// A decrypted record. The body is wiped from memory when the record is dropped, and `Debug`
/// shows only the id, kind, revision and body length.
#[derive(Clone, PartialEq, Eq)]
pub struct Record {
    /// The record's id.
    pub id: RecordId,
    /// What the record is ("check_in", "lapse"...), chosen by the layer above.
    pub kind: String,
    /// Starts at 1 and grows by one with every change.
    pub revision: u64,
    /// The record's content, as the layer above serialized it.
    pub body: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("revision", &self.revision)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The records that loaded and the ids of those that could not be decrypted (S12).
#[derive(Debug, Default)]
pub struct LoadedRecords {
    /// Every record that decrypted and decoded.
    pub records: Vec<Record>,
    /// Ids of records that are damaged; each is skipped, nothing else is affected.
    pub damaged: Vec<RecordId>,
}

/// Checks a kind name: 1 to 32 characters of `a-z`, `0-9` and `_`.
pub fn validate_kind(kind: &str) -> Result<()> {
    let ok = !kind.is_empty()
        && kind.len() <= MAX_KIND_LEN
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "record kind",
            "must be 1 to 32 characters of a-z, 0-9 and _",
        ))
    }
}

/// The padded length of a payload holding `len` bytes.
pub(crate) fn size_class(len: usize) -> usize {
    if len <= MIN_SIZE_CLASS {
        MIN_SIZE_CLASS
    } else if len <= PAGE_SIZE_CLASS {
        len.next_power_of_two()
    } else {
        len.div_ceil(PAGE_SIZE_CLASS) * PAGE_SIZE_CLASS
    }
}

/// Builds the padded plaintext sealed for a record.
pub(crate) fn encode_payload(kind: &str, body: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    validate_kind(kind)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::invalid("record body", "must be at most 256 KiB"));
    }
    let body_len = u32::try_from(body.len())
        .map_err(|_| Error::invalid("record body", "must be at most 256 KiB"))?;
    let content_len = 2 + kind.len() + 4 + body.len();
    let mut out = Zeroizing::new(Vec::with_capacity(size_class(content_len)));
    out.push(PAYLOAD_VERSION);
    out.push(kind.len() as u8); // validate_kind capped it at 32
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(&body_len.to_be_bytes());
    out.extend_from_slice(body);
    out.resize(size_class(content_len), 0);
    Ok(out)
}

/// Reads a payload built by [`encode_payload`]: its kind and the body within it. `None` for
/// anything malformed.
pub(crate) fn decode_payload(payload: &[u8]) -> Option<(&str, &[u8])> {
    let (&version, rest) = payload.split_first()?;
    if version != PAYLOAD_VERSION {
        return None;
    }
    let (&kind_len, rest) = rest.split_first()?;
    let (kind, rest) = rest.split_at_checked(usize::from(kind_len))?;
    let kind = std::str::from_utf8(kind).ok()?;
    validate_kind(kind).ok()?;
    let (len_bytes, rest) = rest.split_at_checked(4)?;
    let body_len = usize::try_from(u32::from_be_bytes(len_bytes.try_into().ok()?)).ok()?;
    Some((kind, rest.get(..body_len)?))
}

/// The associated data binding a record envelope to its journal, id and revision.
pub(crate) fn record_context(journal_id: &[u8; 16], id: &RecordId, revision: u64) -> [u8; 48] {
    let mut out = [0u8; 48];
    out[..8].copy_from_slice(b"wm-recrd");
    out[8..24].copy_from_slice(journal_id);
    out[24..40].copy_from_slice(&id.0);
    out[40..48].copy_from_slice(&revision.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn size_classes_hide_small_differences() {
        assert_eq!(size_class(1), 512);
        assert_eq!(size_class(512), 512);
        assert_eq!(size_class(513), 1024);
        assert_eq!(size_class(4096), 4096);
        assert_eq!(size_class(4097), 8192);
        assert_eq!(size_class(9000), 12288);
    }

    #[test]
    fn record_ids_round_trip_through_hex() {
        let id = RecordId::random().unwrap();
        assert_eq!(id.to_string().parse::<RecordId>().unwrap(), id);
        assert!("xyz".parse::<RecordId>().is_err());
        assert!("é".repeat(16).parse::<RecordId>().is_err());
    }

    proptest! {
        #[test]
        fn payloads_round_trip(kind in "[a-z_]{1,32}", body in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let payload = encode_payload(&kind, &body).unwrap();
            prop_assert_eq!(payload.len(), size_class(payload.len()));
            let (k, b) = decode_payload(&payload).unwrap();
            prop_assert_eq!(k, kind);
            prop_assert_eq!(b, &body[..]);
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = decode_payload(&bytes);
        }
    }
}
