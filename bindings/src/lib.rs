//! `waymark-ffi`: the Waymark core bound for Kotlin and Swift with uniffi (proc-macros,
//! library mode).
//!
//! The surface is small: one object, [`WaymarkJournal`] (a journal file: its secrets, its
//! lifecycle, encrypted backups and every verb of the recovery domain), the [`create_journal`]
//! and [`restore_journal`] functions, one error
//! enum ([`WaymarkError`]: `WaymarkException` subclasses in Kotlin, a Swift `Error` enum), and
//! two traits the shells implement: [`PlatformKeySlot`] (the Android Keystore / iOS Keychain
//! key slot) and [`ShellClock`] (to pin time in tests). The domain's records and enums are the
//! core's own types, derived for uniffi in place (namespace `waymark_core`).
//!
//! Threading: `WaymarkJournal` is `Send + Sync`; call it from any thread. See
//! [`journal`] for the calls that are slow on purpose and must stay off a UI thread. No call
//! can unwind across the FFI: uniffi catches a Rust panic and raises it as an internal error,
//! and the core has no panicking paths that input can reach.

mod backup;
#[cfg(feature = "bench")]
mod bench;
mod error;
mod help;
pub mod journal;
mod platform;
mod recovery;
mod sync;

pub use backup::restore_journal;
pub use error::WaymarkError;
pub use help::parse_limit_amount;
pub use journal::{
    create_journal, is_unfinished_journal, remove_unfinished_journal, CreatedJournal,
    KeyRotationReport, WaymarkJournal,
};
pub use platform::{PlatformKeyFailure, PlatformKeySlot, ShellClock};
pub use sync::{folder_sync_storage, join_journal, JoinedJournal, SyncStorage, SyncStorageFailure};

uniffi::setup_scaffolding!("waymark");

// The core bridges chrono's dates, times and instants (see `waymark_core::uniffi_types`);
// these lines let this crate's functions take and return them too.
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use waymark_core::uniffi_types::Timestamp;
uniffi::use_remote_type!(waymark_core::NaiveDate);
uniffi::use_remote_type!(waymark_core::NaiveTime);
uniffi::use_remote_type!(waymark_core::NaiveDateTime);
uniffi::use_remote_type!(waymark_core::Timestamp);
