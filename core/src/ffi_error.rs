//! The one error type that crosses the FFI: `WaymarkException` in Kotlin, `WaymarkError` in
//! Swift (compiled only with the `uniffi` feature). Each variant is something a shell can
//! catch or switch on and act upon; `summary` is the core's sentence for a person (it never
//! contains anything a person wrote).
//!
//! It lives in the core, not in the FFI crate, so that a value the shells pass which cannot
//! be lifted (a record id that is not 32 hex digits, in an argument or inside a record) is
//! refused as this type's `InvalidInput` from the custom-type bridges of `uniffi_types`:
//! uniffi hands a failed lift to the function's error type only when it is exactly that
//! type, and an internal error otherwise.

use crate::Error as CoreError;

/// Everything that can go wrong, as the shells see it.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum WaymarkError {
    /// The passphrase, recovery code or device key does not open this journal, or the
    /// backup passphrase does not open a backup (the summary says which).
    #[error("{summary}")]
    WrongSecret {
        /// What to show.
        summary: String,
    },
    /// The journal is locked: unlock it first.
    #[error("{summary}")]
    Locked {
        /// What to show.
        summary: String,
    },
    /// An input broke a rule: `field` names it, `rule` says what is allowed.
    #[error("{summary}")]
    InvalidInput {
        /// The field that was rejected (the Rust name, such as `sober_since`).
        field: String,
        /// The rule it broke.
        rule: String,
        /// What to show.
        summary: String,
    },
    /// Nothing with that id exists.
    #[error("{summary}")]
    NotFound {
        /// What was looked for ("journey", "lapse", "record"...).
        what: String,
        /// The id looked for.
        id: String,
        /// What to show.
        summary: String,
    },
    /// One record is damaged; every other record still loads.
    #[error("{summary}")]
    CorruptRecord {
        /// The damaged record's id.
        id: String,
        /// What to show.
        summary: String,
    },
    /// The journal file's own structure is damaged.
    #[error("{summary}")]
    CorruptJournal {
        /// What to show.
        summary: String,
    },
    /// The recovery code has a typo (its checksum does not match).
    #[error("{summary}")]
    RecoveryCodeTypo {
        /// What to show.
        summary: String,
    },
    /// Removing this slot would leave no way to open the journal.
    #[error("{summary}")]
    LastKeySlot {
        /// What to show.
        summary: String,
    },
    /// The device key could not be used; unlock with the passphrase or recovery code.
    #[error("{summary}")]
    PlatformKeyUnavailable {
        /// What the platform reported.
        reason: String,
        /// What to show.
        summary: String,
    },
    /// The file was written by a newer Waymark.
    #[error("{summary}")]
    UnsupportedVersion {
        /// What to show.
        summary: String,
    },
    /// A journal already exists at that path.
    #[error("{summary}")]
    AlreadyExists {
        /// What to show.
        summary: String,
    },
    /// No journal exists at that path.
    #[error("{summary}")]
    NoJournal {
        /// What to show.
        summary: String,
    },
    /// The file at that path is a journal whose creation never finished: it holds no key and
    /// nothing the person wrote. `createJournal`/`restoreJournal` replace it;
    /// `removeUnfinishedJournal` removes it.
    #[error("{summary}")]
    UnfinishedJournal {
        /// What to show.
        summary: String,
    },
    /// A backup file is not a Waymark backup, is truncated, or was changed after it was
    /// written; nothing was written anywhere.
    #[error("{summary}")]
    BackupDamaged {
        /// What to show.
        summary: String,
    },
    /// The journal was wiped through this object; open or create another.
    #[error("{summary}")]
    Wiped {
        /// What to show.
        summary: String,
    },
    /// A sync store could not be read or written, or holds another journal; what failed was
    /// not applied, and syncing again resumes.
    #[error("{summary}")]
    SyncFailed {
        /// What to show.
        summary: String,
    },
    /// The journal's key was changed (rotated) on another device: this device can no longer
    /// sync with the store. Join it to the store again with the current passphrase or
    /// recovery code; nothing was synced.
    #[error("{summary}")]
    SyncKeyChanged {
        /// What to show.
        summary: String,
    },
    /// The sync store shows less than it did at an earlier sync (rolled back, restored from
    /// an older copy, or still receiving files). Nothing was changed; `syncResending`
    /// repairs a store restored on purpose.
    #[error("{summary}")]
    SyncRolledBack {
        /// What to show.
        summary: String,
    },
    /// The disk is full; the write was rolled back and nothing changed.
    #[error("{summary}")]
    DiskFull {
        /// What to show.
        summary: String,
    },
    /// Storage, the file system or cryptography failed.
    #[error("{summary}")]
    Storage {
        /// What to show.
        summary: String,
    },
}

impl From<CoreError> for WaymarkError {
    fn from(error: CoreError) -> Self {
        let summary = error.to_string();
        match error {
            CoreError::WrongSecret | CoreError::WrongBackupPassphrase => {
                WaymarkError::WrongSecret { summary }
            }
            CoreError::DiskFull => WaymarkError::DiskFull { summary },
            CoreError::OverlapsLapse { id } => WaymarkError::InvalidInput {
                field: "date".to_owned(),
                rule: format!("overlaps lapse {id} of this journey: edit or undo that one instead"),
                summary,
            },
            CoreError::Locked => WaymarkError::Locked { summary },
            CoreError::InvalidInput { field, rule } => WaymarkError::InvalidInput {
                field: field.to_owned(),
                rule,
                summary,
            },
            CoreError::NotFound { what, id } => WaymarkError::NotFound {
                what: what.to_owned(),
                id,
                summary,
            },
            CoreError::CorruptRecord { id } => WaymarkError::CorruptRecord { id, summary },
            CoreError::CorruptJournal { .. } => WaymarkError::CorruptJournal { summary },
            CoreError::RecoveryCodeTypo => WaymarkError::RecoveryCodeTypo { summary },
            CoreError::LastKeySlot => WaymarkError::LastKeySlot { summary },
            CoreError::PlatformKeyUnavailable { reason } => {
                WaymarkError::PlatformKeyUnavailable { reason, summary }
            }
            CoreError::UnsupportedVersion { .. } => WaymarkError::UnsupportedVersion { summary },
            CoreError::AlreadyExists { .. } => WaymarkError::AlreadyExists { summary },
            CoreError::NoJournal { .. } => WaymarkError::NoJournal { summary },
            CoreError::UnfinishedJournal { .. } => WaymarkError::UnfinishedJournal { summary },
            CoreError::BackupDamaged { .. } => WaymarkError::BackupDamaged { summary },
            CoreError::SyncStore { .. } => WaymarkError::SyncFailed { summary },
            CoreError::SyncKeyChanged => WaymarkError::SyncKeyChanged { summary },
            CoreError::SyncRolledBack { .. } => WaymarkError::SyncRolledBack { summary },
            _ => WaymarkError::Storage { summary },
        }
    }
}
