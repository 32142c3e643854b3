//! The one error type of `waymark-core`.
//!
//! Every variant carries what a person (or the shell showing them a message) needs to act,
//! and nothing a user wrote: no record text, no passphrase, no recovery code. Record ids are
//! random and safe to show. Field names and rules are fixed strings chosen by this crate.

use std::path::PathBuf;

/// The result type of every fallible call in `waymark-core`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the journal store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No key slot opened with the secret given. Deliberately one uniform error for a wrong
    /// passphrase, a wrong recovery code and a platform key that unwrapped to the wrong bytes,
    /// so an attacker learns nothing from which one failed.
    #[error("the passphrase, recovery code or device key does not open this journal")]
    WrongSecret,

    /// The journal is locked: unlock it with a passphrase, the recovery code or the device key.
    #[error("the journal is locked: unlock it first")]
    Locked,

    /// Nothing with that id exists (it was never written, or it was deleted). The message
    /// does not repeat the id: it is what was typed, and a person may have typed anything.
    #[error("no {what} with that id (it was never written here, or it was deleted)")]
    NotFound {
        /// What was looked for, such as "record" or "key slot".
        what: &'static str,
        /// The id that was looked for (random, never user-written).
        id: String,
    },

    /// A record failed to decrypt or decode. Only this record is affected; every other record
    /// still loads.
    #[error("record {id} is damaged and cannot be read; other records are unaffected")]
    CorruptRecord {
        /// The id of the damaged record.
        id: String,
    },

    /// The file at `path` is a journal whose creation never finished (an older build stopped
    /// while creating or restoring it): no key was ever saved in it, so nothing in it can be
    /// opened or lost. Create the journal again (which replaces it) or remove it
    /// (`Journal::remove_unfinished`).
    #[error("the journal at {path} was never finished: create it again, or remove it")]
    UnfinishedJournal {
        /// The file.
        path: PathBuf,
    },

    /// The journal's own structure (its key slots or settings) is damaged.
    #[error("the journal file is damaged: {detail}")]
    CorruptJournal {
        /// Which part is damaged, in this crate's words.
        detail: &'static str,
    },

    /// An input broke a rule. Names the field and the rule, never the value.
    #[error("invalid {field}: {rule}")]
    InvalidInput {
        /// The name of the field that was rejected.
        field: &'static str,
        /// The rule it broke, such as "must be at least 8 characters".
        rule: String,
    },

    /// A lapse's dates overlap another lapse of the same journey. The other lapse is the one
    /// to edit or undo.
    #[error("invalid date: it overlaps lapse {id} of this journey; edit or undo that one instead")]
    OverlapsLapse {
        /// The id of the lapse it overlaps (random, never user-written).
        id: String,
    },

    /// A recovery code was well-formed but its checksum does not match: almost certainly a
    /// typing mistake rather than a wrong code.
    #[error("the recovery code has a typo: its checksum does not match (check each group against the written copy)")]
    RecoveryCodeTypo,

    /// The request would leave the journal with no way to open it.
    #[error("cannot remove the last key slot: add another way to unlock first")]
    LastKeySlot,

    /// The phone's key store could not unwrap the device key (a restored phone, new
    /// biometrics, or a cancelled prompt). The journal is untouched: unlock it with the
    /// passphrase or the recovery code instead.
    #[error(
        "the device key is not available ({reason}); unlock with your passphrase or recovery code"
    )]
    PlatformKeyUnavailable {
        /// What the platform reported, in the shell's words.
        reason: String,
    },

    /// The file or a record was written by a newer (or unknown) version of Waymark.
    #[error("{what} version {found} is not supported (this build supports up to {supported}); update Waymark")]
    UnsupportedVersion {
        /// What carries the version: "journal schema", "record envelope", "key slot".
        what: &'static str,
        /// The version found.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },

    /// A journal already exists where a new one was to be created.
    #[error("a journal already exists at {path}")]
    AlreadyExists {
        /// Where the journal is.
        path: PathBuf,
    },

    /// No journal file exists at the path given.
    #[error("no journal at {path}")]
    NoJournal {
        /// Where a journal was expected.
        path: PathBuf,
    },

    /// A backup file is not a Waymark backup, is truncated, or was changed after it was
    /// written. Nothing was read from it and nothing was written.
    #[error("the backup cannot be used: {detail}")]
    BackupDamaged {
        /// What is wrong with it, in this crate's words.
        detail: &'static str,
    },

    /// A file operation failed.
    #[error("{action} failed for {path}: {source}")]
    Io {
        /// What was being done, such as "removing the journal file".
        action: &'static str,
        /// The file involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The backup passphrase given does not open this backup (the backup's own passphrase,
    /// not the journal's). Nothing was read and nothing was written.
    #[error("the backup passphrase does not open this backup (it is the passphrase chosen when the backup was written, not the journal's)")]
    WrongBackupPassphrase,

    /// A sync store could not be read or written, or holds something that is not this
    /// journal's. Nothing was applied from what failed; syncing again resumes.
    #[error("sync failed: {detail}")]
    SyncStore {
        /// What went wrong, in the store's or this crate's words (never content).
        detail: String,
    },

    /// The sync store's key file was written under a newer key of this journal (the key was
    /// rotated on another device): this device can no longer read or write the store.
    /// Nothing was synced; join this device to the store again with the journal's current
    /// passphrase or recovery code.
    #[error("the journal's key was changed on another device: join this device to the sync store again with the current passphrase or recovery code (nothing was synced)")]
    SyncKeyChanged,

    /// The sync store shows less than this device saw in it before: it was rolled back or
    /// restored from an older copy, files were removed from it, or files another device wrote
    /// have not all arrived yet. Nothing was changed here or in the store.
    #[error("the sync store shows less than it did at an earlier sync ({detail}): it was rolled back or restored from an older copy, or files are still arriving; nothing was changed (if the store was restored on purpose, sync again sending this device's whole journal)")]
    SyncRolledBack {
        /// What is missing, in this crate's words (never content).
        detail: &'static str,
    },

    /// The disk (or the space the system allows) is full. The write was rolled back:
    /// nothing changed.
    #[error("the disk is full: nothing was changed")]
    DiskFull,

    /// SQLite reported an error. SQLite's messages name tables and constraints, never bound
    /// values, so no user text can appear here.
    #[error("database error: {0}")]
    Database(rusqlite::Error),

    /// The system random number generator or a cryptographic primitive failed.
    #[error("cryptography failed: {0}")]
    Crypto(&'static str),
}

impl From<rusqlite::Error> for Error {
    /// Damage SQLite detects (a malformed page, a file that is not a database, a value of
    /// the wrong type where the schema promises another) becomes [`Error::CorruptJournal`],
    /// a full disk [`Error::DiskFull`]; anything else stays a database error.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => {
                return Error::CorruptJournal {
                    detail: "its database structure is malformed",
                }
            }
            Some(ErrorCode::NotADatabase) => {
                return Error::CorruptJournal {
                    detail: "the file is not a Waymark journal, or its header is damaged",
                }
            }
            Some(ErrorCode::DiskFull) => return Error::DiskFull,
            _ => {}
        }
        match e {
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => Error::CorruptJournal {
                detail: "a stored value has the wrong type",
            },
            other => Error::Database(other),
        }
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: &'static str, rule: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            rule: rule.into(),
        }
    }

    /// Shorthand for [`Error::Io`].
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}
