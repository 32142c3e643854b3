//! Records as the rest of the crate sees them: an id, a kind, a revision, a versioned body,
//! and the padded payload format sealed inside each envelope.
//!
//! Payload layout (inside the ciphertext), version 2:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | payload version (2) |
//! | 1 | kind length K |
//! | K | kind (ASCII, `a-z0-9_`) |
//! | 1 | body version (0 opaque, 1 JSON, 2 tagged) |
//! | 1 | flags (bit 0: a tombstone, no body) |
//! | 8 | the write's version: a hybrid logical clock, big-endian |
//! | 8 | the device (journal file) that wrote it |
//! | 4 | body length, big-endian |
//! | n | body |
//! | .. | zero padding |
//!
//! Version 1 (Waymark 0.1) is version 2 without the body version, flags, clock and device;
//! it is still read (its bodies are JSON: body version 1, with a zero stamp).
//!
//! **Padding.** Every payload is padded to at least 256 bytes and then to the Padmé length
//! of its size (Nikitin et al., PETS 2019): at most 12% overhead, and a length reveals only
//! O(log log L) bits. A check-in, a lapse, a trigger and a short note all seal to the same
//! 256 bytes, so the file does not tell them apart (S10); what sizes still reveal is the
//! rough size of long writing (an entry of a few kilobytes against one of a few hundred
//! bytes), never its kind.
//!
//! The kind is authenticated because it is inside the sealed payload; the envelope's
//! associated data binds the journal id, the record id and the revision (S8).

use crate::crypto::random_array;
use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;
use zeroize::Zeroizing;

/// The payload format version this build writes.
pub const PAYLOAD_VERSION: u8 = 2;
/// The first payload format, still read.
const PAYLOAD_V1: u8 = 1;
/// The largest record body accepted (journal entries are capped well below this).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The longest record kind name.
pub const MAX_KIND_LEN: usize = 32;
/// Every payload is at least this long.
const MIN_PAYLOAD: usize = 256;
/// The flag of a tombstone: a deletion that remembers its version, with no content.
pub(crate) const FLAG_TOMBSTONE: u8 = 1;
/// The flag of a quarantined record: kept sealed and listed, never applied. The reason is in
/// the flags' high four bits ([`QuarantineReason`]).
pub(crate) const FLAG_QUARANTINED: u8 = 2;

/// Why a record is in quarantine: kept (sealed, like every record), counted and listed, but
/// never part of what the screens show or count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum QuarantineReason {
    /// It arrived from outside (a backup, an import) and broke a rule of its kind: a date
    /// out of range, a text too long, a zone that does not exist...
    Invalid,
    /// A data-key rotation found a newer record with the same natural key (a second
    /// check-in for one day, left by an older build).
    Duplicate,
    /// A reason a newer Waymark gave.
    Other,
}

impl QuarantineReason {
    /// The payload flags of a record quarantined for this reason.
    pub(crate) fn flags(self) -> u8 {
        let code = match self {
            QuarantineReason::Invalid => 1,
            QuarantineReason::Duplicate => 2,
            QuarantineReason::Other => 15,
        };
        FLAG_QUARANTINED | (code << 4)
    }

    /// The reason in a payload's `flags`, if the record is quarantined.
    pub(crate) fn from_flags(flags: u8) -> Option<QuarantineReason> {
        if flags & FLAG_QUARANTINED == 0 {
            return None;
        }
        Some(match flags >> 4 {
            1 => QuarantineReason::Invalid,
            2 => QuarantineReason::Duplicate,
            _ => QuarantineReason::Other,
        })
    }
}

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

/// The version stamped on every write: a hybrid logical clock (milliseconds since 1970 in
/// the high 48 bits, a counter in the low 16) and the device that wrote it. Later writes
/// have larger clocks; two devices order their writes by (clock, device).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    /// The hybrid logical clock.
    pub clock: u64,
    /// The writing device (a random id per journal file).
    pub device: u64,
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
    /// The body's version, chosen by the layer above (0 for opaque bodies).
    pub body_version: u8,
    /// When and where it was written.
    pub stamp: Stamp,
    /// Set when the record is in quarantine (never applied; see [`QuarantineReason`]).
    pub quarantine: Option<QuarantineReason>,
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
    /// Ids of records that are damaged; each is skipped, nothing else is affected (the same
    /// as `damage.records`).
    pub damaged: Vec<RecordId>,
    /// Everything that could not be read.
    pub damage: Damage,
}

/// What [`crate::Journal::check`] found in the file itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCheck {
    /// Live records that decrypted.
    pub records: u64,
    /// What could not be read.
    pub damage: Damage,
    /// Whether SQLite's own check of the file's structure (every table and index, the
    /// journal image included) passed.
    pub structure_ok: bool,
    /// Records whose rows no longer opened and were rewritten from the journal image's good
    /// copy before the check (they are whole again, and counted in `records`).
    pub repaired: u64,
}

impl FileCheck {
    /// Whether anything is wrong with the file.
    pub fn is_damaged(&self) -> bool {
        self.damage.count() > 0 || !self.structure_ok
    }
}

/// What a full read of a journal could not read. Each part is skipped; everything else loads
/// (S12).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Damage {
    /// Records that did not decrypt, or whose sealed payload is malformed, by id.
    pub records: Vec<RecordId>,
    /// Rows that are not records at all (an id that is not 16 bytes, a revision that is not
    /// a positive integer, an envelope that is not a blob), by SQLite row id.
    pub malformed_rows: Vec<i64>,
    /// Rows lost on damaged pages of the file: an upper bound (the row ids skipped to get
    /// past the damage).
    pub lost_rows: u64,
}

impl Damage {
    /// How many records could not be read, at most.
    pub fn count(&self) -> u64 {
        (self.records.len() as u64)
            .saturating_add(self.malformed_rows.len() as u64)
            .saturating_add(self.lost_rows)
    }

    /// True when everything was read.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
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

/// The padded length of a payload holding `len` bytes: at least 256, then Padmé.
pub(crate) fn size_class(len: usize) -> usize {
    if len <= MIN_PAYLOAD {
        return MIN_PAYLOAD;
    }
    let e = usize::BITS - 1 - len.leading_zeros(); // floor(log2 len)
    let s = u32::BITS - e.leading_zeros(); // floor(log2 e) + 1
    let mask = (1usize << (e - s)) - 1;
    (len + mask) & !mask
}

/// A payload's parts, borrowed from the decrypted bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Payload<'a> {
    pub(crate) kind: &'a str,
    pub(crate) body_version: u8,
    pub(crate) flags: u8,
    pub(crate) stamp: Stamp,
    pub(crate) body: &'a [u8],
}

/// Builds the padded plaintext sealed for a record.
pub(crate) fn encode_payload(
    kind: &str,
    body_version: u8,
    flags: u8,
    stamp: Stamp,
    body: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    validate_kind(kind)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::invalid("record body", "must be at most 256 KiB"));
    }
    let body_len = u32::try_from(body.len())
        .map_err(|_| Error::invalid("record body", "must be at most 256 KiB"))?;
    let content_len = 2 + kind.len() + 2 + 16 + 4 + body.len();
    let mut out = Zeroizing::new(Vec::with_capacity(size_class(content_len)));
    out.push(PAYLOAD_VERSION);
    out.push(kind.len() as u8); // validate_kind capped it at 32
    out.extend_from_slice(kind.as_bytes());
    out.push(body_version);
    out.push(flags);
    out.extend_from_slice(&stamp.clock.to_be_bytes());
    out.extend_from_slice(&stamp.device.to_be_bytes());
    out.extend_from_slice(&body_len.to_be_bytes());
    out.extend_from_slice(body);
    out.resize(size_class(content_len), 0);
    Ok(out)
}

/// Reads a payload built by [`encode_payload`] (or by Waymark 0.1): its parts. `None` for
/// anything malformed.
pub(crate) fn decode_payload(payload: &[u8]) -> Option<Payload<'_>> {
    let (&version, rest) = payload.split_first()?;
    if version != PAYLOAD_VERSION && version != PAYLOAD_V1 {
        return None;
    }
    let (&kind_len, rest) = rest.split_first()?;
    let (kind, rest) = rest.split_at_checked(usize::from(kind_len))?;
    let kind = std::str::from_utf8(kind).ok()?;
    validate_kind(kind).ok()?;
    let (body_version, flags, stamp, rest) = if version == PAYLOAD_VERSION {
        let (header, rest) = rest.split_at_checked(18)?;
        let clock = u64::from_be_bytes(header[2..10].try_into().ok()?);
        let device = u64::from_be_bytes(header[10..18].try_into().ok()?);
        (header[0], header[1], Stamp { clock, device }, rest)
    } else {
        // Waymark 0.1's bodies were JSON (body version 1), unstamped.
        (1, 0, Stamp::default(), rest)
    };
    let (len_bytes, rest) = rest.split_at_checked(4)?;
    let body_len = usize::try_from(u32::from_be_bytes(len_bytes.try_into().ok()?)).ok()?;
    Some(Payload {
        kind,
        body_version,
        flags,
        stamp,
        body: rest.get(..body_len)?,
    })
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
    fn size_classes_hide_small_differences_and_waste_little() {
        assert_eq!(size_class(1), 256);
        assert_eq!(size_class(256), 256);
        assert_eq!(size_class(257), 272);
        assert_eq!(size_class(4096), 4096);
        assert_eq!(size_class(4097), 4352);
        for len in [257, 1000, 5000, 70_000, 262_144] {
            let padded = size_class(len);
            assert!(padded >= len);
            assert!(
                padded as f64 <= len as f64 * 1.12 + 1.0,
                "{len} -> {padded}"
            );
        }
    }

    #[test]
    fn record_ids_round_trip_through_hex() {
        let id = RecordId::random().unwrap();
        assert_eq!(id.to_string().parse::<RecordId>().unwrap(), id);
        assert!("xyz".parse::<RecordId>().is_err());
        assert!("é".repeat(16).parse::<RecordId>().is_err());
    }

    #[test]
    fn version_1_payloads_still_read() {
        let mut v1 = vec![1u8, 5];
        v1.extend_from_slice(b"lapse");
        v1.extend_from_slice(&3u32.to_be_bytes());
        v1.extend_from_slice(b"{ }");
        v1.resize(512, 0);
        let p = decode_payload(&v1).unwrap();
        assert_eq!((p.kind, p.body_version, p.body), ("lapse", 1, &b"{ }"[..]));
    }

    proptest! {
        #[test]
        fn payloads_round_trip(kind in "[a-z_]{1,32}", version in any::<u8>(), clock in any::<u64>(), device in any::<u64>(), body in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let stamp = Stamp { clock, device };
            let payload = encode_payload(&kind, version, 0, stamp, &body).unwrap();
            prop_assert!(payload.len() >= 256 && payload.len() >= body.len());
            let p = decode_payload(&payload).unwrap();
            prop_assert_eq!(p.kind, kind);
            prop_assert_eq!(p.body_version, version);
            prop_assert_eq!(p.stamp, stamp);
            prop_assert_eq!(p.body, &body[..]);
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = decode_payload(&bytes);
        }
    }
}
