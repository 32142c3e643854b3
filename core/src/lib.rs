//! `waymark-core`: Waymark's encrypted journal store (and, in later modules, the recovery
//! domain built on it).
//!
//! A [`Journal`] is one SQLite file holding sealed records and the key slots that open them.
//! Everything a person writes is encrypted with AES-256-GCM under a random data key; the data
//! key is wrapped by a passphrase (Argon2id), a recovery code, or the phone's key store. The
//! file shows no text, dates, moods or kinds of record. See the README's "Crypto design" and
//! `shared/SECURITY.md` for the requirements each module keeps.
//!
//! This crate knows nothing of FFI or UI: the `waymark-ffi` crate binds it for Kotlin and
//! Swift, and `waymark-cli` drives it from a terminal.

pub(crate) mod codec;
pub mod crypto;
pub mod error;
#[cfg(feature = "uniffi")]
pub mod ffi_error;
pub mod files;
mod journal;
pub mod platform;
pub mod record;
pub mod recovery;
pub mod store;
#[cfg(feature = "uniffi")]
pub mod uniffi_types;

// The scaffolding must sit at the crate root; see `uniffi_types` for what it bridges.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("waymark_core");

pub use crypto::kdf::KdfParams;
pub use crypto::recovery_code::RecoveryCode;
pub use error::{Error, Result};
pub use journal::{
    JoinSecret, Journal, JournalOptions, KeyRotation, KeySlot, NaturalKey, NewRecoveryCode,
    RecordView, RecordWriter, Salvage, Upgraded, Written, CURRENT_BODY_FORMAT,
    DEFAULT_SEALS_PER_KEY, MAX_PASSPHRASE_BYTES, MIN_PASSPHRASE_CHARS,
};
pub use platform::{PlatformKeyError, PlatformKeyStore};
pub use record::{Damage, FileCheck, LoadedRecords, QuarantineReason, Record, RecordId, Stamp};
pub use store::schema::SCHEMA_VERSION;
pub use store::slots::SlotKind;
