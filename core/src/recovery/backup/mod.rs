//! Encrypted backups of a whole journal, restoring them, and merging one journal's backup into
//! another (SECURITY.md S15).
//!
//! A backup holds every readable record (kind, id, revision, body) sealed under a key derived
//! from its own passphrase with its own salt ([`file`] has the byte layout). Nothing in it is
//! readable without that passphrase, and any change to the file is detected before anything is
//! written anywhere.
//!
//! **Merging** (and restoring, which is merging into an empty journal) matches records by
//! their stable identity: the record id for journeys, lapses, triggers, reflections, entries,
//! cards, contacts, outreach and meetings; the natural key for records kept one per something
//! (the check-in of a day, the settings, a journey's milestone acknowledgements, a card's
//! flags, the card use of a trigger), because those ids are keyed per journal. Then, per
//! record:
//! - not in this journal: **added**;
//! - the same content: **unchanged**;
//! - different content: the version with **more revisions wins** (each edit adds one), so an
//!   edit made on the other device replaces an older copy here; on a tie, or when this
//!   journal's copy has been edited more, **this journal's version is kept** (counted as a
//!   conflict kept).
//!
//! Merging never deletes: a record deleted here but present in the backup comes back.
//! Merging the same backup twice changes nothing the second time (every record is then
//! unchanged or kept). Records of kinds this build does not know keep their ids.

mod file;

pub use crate::files::write_atomically;
pub use file::{FORMAT_VERSION, MAX_BACKUP_BYTES};

use super::clock::Clock;
use super::service::SETTINGS_KEY;
use super::snapshot::kind;
use super::Recovery;
use crate::crypto::kdf::KdfParams;
use crate::crypto::recovery_code::RecoveryCode;
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::RecordWriter;
use crate::{Journal, JournalOptions};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The version of the decrypted content's layout (the file's own format is
/// [`FORMAT_VERSION`]).
const PAYLOAD_FORMAT: u16 = 1;

/// One record as a backup carries it.
#[derive(Serialize, Deserialize)]
struct BackupRecord {
    kind: String,
    id: RecordId,
    revision: u64,
    body: String,
}

/// The decrypted content of a backup file.
#[derive(Serialize, Deserialize)]
struct Payload {
    format: u16,
    created_at: DateTime<Utc>,
    records: Vec<BackupRecord>,
}

/// A decrypted backup, held in memory until it is restored or merged. Holds everything the
/// person wrote: drop it as soon as it has been used.
pub struct Backup {
    payload: Payload,
}

impl std::fmt::Debug for Backup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backup")
            .field("created_at", &self.payload.created_at)
            .field("records", &self.payload.records.len())
            .finish()
    }
}

impl Backup {
    /// When the backup was written.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.payload.created_at
    }

    /// How many records it holds.
    pub fn record_count(&self) -> usize {
        self.payload.records.len()
    }

    /// Makes a new journal at `path`, protected by `passphrase`, and fills it from this backup
    /// in one transaction. If filling fails, the new journal is wiped again: nothing
    /// half-restored stays behind. The journal comes back unlocked, with a new recovery code.
    pub fn restore(
        &self,
        path: &Path,
        passphrase: &str,
        options: JournalOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<Restored> {
        let (journal, recovery_code) = Journal::create(path, passphrase, options)?;
        let recovery = Recovery::new(journal, clock);
        match recovery.merge_backup(self) {
            Ok(report) => Ok(Restored {
                recovery,
                recovery_code,
                report,
            }),
            Err(error) => {
                let _ = recovery.into_journal().wipe();
                Err(error)
            }
        }
    }

    /// Reads and decrypts the backup at `path`. Every byte is authenticated before this
    /// returns; a wrong passphrase is [`Error::WrongBackupPassphrase`], a damaged, truncated
    /// or changed file [`Error::BackupDamaged`].
    pub fn read(path: &Path, passphrase: &str) -> Result<Backup> {
        let bytes = file::read_file(path)?;
        let plain = file::open_backup(&bytes, passphrase)?;
        let payload: Payload =
            serde_json::from_slice(&plain).map_err(|_| Error::BackupDamaged {
                detail: "its content does not parse (written by a damaged or foreign program)",
            })?;
        if payload.format != PAYLOAD_FORMAT {
            return Err(Error::UnsupportedVersion {
                what: "backup content",
                found: u32::from(payload.format),
                supported: u32::from(PAYLOAD_FORMAT),
            });
        }
        Ok(Backup { payload })
    }
}

/// A journal made from a backup by [`Backup::restore`].
#[derive(Debug)]
pub struct Restored {
    /// The new journal, unlocked.
    pub recovery: Recovery,
    /// Its recovery code: show it once.
    pub recovery_code: RecoveryCode,
    /// What was written into it.
    pub report: MergeReport,
}

/// What writing a backup did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BackupWritten {
    /// Records in the backup.
    pub records: u64,
    /// Records of this journal that could not be read and are not in the backup.
    pub damaged: u64,
    /// Size of the backup file in bytes.
    pub bytes: u64,
}

/// What a merge (or a restore) did, record by record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MergeReport {
    /// Records that were not in the journal and were added.
    pub added: u64,
    /// Records whose backup version replaced this journal's (more revisions).
    pub updated: u64,
    /// Records identical on both sides.
    pub unchanged: u64,
    /// Records that differ where this journal's version was kept (same or more revisions).
    pub conflicts_kept: u64,
}

impl Recovery {
    /// Writes an encrypted backup of every readable record to `path` (atomically: a crash
    /// leaves the old file or the new one), protected by `passphrase` through Argon2id with
    /// `kdf` and a fresh salt.
    pub fn write_backup(
        &self,
        path: &Path,
        passphrase: &str,
        kdf: &KdfParams,
    ) -> Result<BackupWritten> {
        crate::journal::validate_passphrase_for("backup passphrase", passphrase)?;
        let mut records = Vec::new();
        let mut unreadable = 0u64;
        let damaged =
            self.journal()
                .visit_records(|record| match std::str::from_utf8(record.body) {
                    Ok(body) => records.push(BackupRecord {
                        kind: record.kind.to_owned(),
                        id: record.id,
                        revision: record.revision,
                        body: body.to_owned(),
                    }),
                    Err(_) => unreadable += 1,
                })?;
        let payload = Payload {
            format: PAYLOAD_FORMAT,
            created_at: self.now(),
            records,
        };
        let plain = Zeroizing::new(
            serde_json::to_vec(&payload).map_err(|_| Error::Crypto("serializing the backup"))?,
        );
        let sealed = file::seal_backup(&plain, passphrase, kdf)?;
        write_atomically(path, &sealed)?;
        Ok(BackupWritten {
            records: payload.records.len() as u64,
            damaged: damaged.len() as u64 + unreadable,
            bytes: sealed.len() as u64,
        })
    }

    /// Merges `backup` into this journal in one transaction, by the rule in the module docs.
    /// Restoring is merging into a new, empty journal.
    pub fn merge_backup(&self, backup: &Backup) -> Result<MergeReport> {
        self.journal().write(|w| {
            let mut report = MergeReport::default();
            for record in &backup.payload.records {
                let id = identity(w, record)?;
                match w.get(&id) {
                    Err(Error::NotFound { .. }) => {
                        w.put(&id, &record.kind, record.body.as_bytes())?;
                        report.added += 1;
                    }
                    Err(other) => return Err(other),
                    Ok(local) => {
                        if local.kind == record.kind
                            && local.body.as_slice() == record.body.as_bytes()
                        {
                            report.unchanged += 1;
                        } else if record.revision > local.revision {
                            w.put(&id, &record.kind, record.body.as_bytes())?;
                            report.updated += 1;
                        } else {
                            report.conflicts_kept += 1;
                        }
                    }
                }
            }
            Ok(report)
        })
    }
}

/// The id a backed-up record has in the journal being merged into: its own id, or for records
/// kept one per something, the lookup id of that something in this journal.
fn identity(w: &mut RecordWriter<'_>, record: &BackupRecord) -> Result<RecordId> {
    fn key<T: for<'de> Deserialize<'de>>(record: &BackupRecord) -> Result<T> {
        serde_json::from_str(&record.body).map_err(|_| Error::BackupDamaged {
            detail: "a record in it does not parse as its kind",
        })
    }
    #[derive(Deserialize)]
    struct ByDate {
        date: NaiveDate,
    }
    #[derive(Deserialize)]
    struct ByJourney {
        journey_id: RecordId,
    }
    #[derive(Deserialize)]
    struct ByCard {
        card_id: String,
    }
    #[derive(Deserialize)]
    struct ByTrigger {
        trigger_id: Option<RecordId>,
    }
    match record.kind.as_str() {
        kind::SETTINGS => w.lookup_id(kind::SETTINGS, SETTINGS_KEY),
        kind::CHECK_IN => {
            let k: ByDate = key(record)?;
            w.lookup_id(kind::CHECK_IN, k.date.to_string().as_bytes())
        }
        kind::MILESTONE_ACKS => {
            let k: ByJourney = key(record)?;
            w.lookup_id(kind::MILESTONE_ACKS, k.journey_id.as_bytes())
        }
        kind::CARD_STATE => {
            let k: ByCard = key(record)?;
            w.lookup_id(kind::CARD_STATE, k.card_id.as_bytes())
        }
        kind::CARD_USE => match key::<ByTrigger>(record)?.trigger_id {
            Some(trigger) => w.lookup_id(kind::CARD_USE, trigger.as_bytes()),
            None => Ok(record.id),
        },
        _ => Ok(record.id),
    }
}
