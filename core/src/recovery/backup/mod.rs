//! Encrypted backups of a whole journal, restoring them, and merging one journal's backup into
//! another (SECURITY.md S15).
//!
//! A backup holds every readable record (kind, id, revision, body version, stamp, body)
//! sealed under a key derived from its own passphrase with its own salt ([`file`] has the
//! byte layout; the content is the tagged encoding of `crate::codec`, or JSON in backups
//! written by Waymark 0.1). Nothing in it is readable without that passphrase, and any change
//! to the file is detected before anything is written anywhere.
//!
//! **Merging** (and restoring, which is merging into an empty journal) matches records by
//! the identity their kind gives them (`recovery::stored`, the one place that rule lives):
//! the record id for journeys, lapses, triggers, reflections, entries, cards, contacts,
//! outreach and meetings; the natural key for records kept one per something (the check-in
//! of a day, the settings, a journey's milestone acknowledgements, a card's flags, the card
//! use of a trigger), because those ids are keyed per journal. Then, per record:
//! - not in this journal: **added**;
//! - the same content: **unchanged**;
//! - different content: the copy **edited later wins** (each record carries the hybrid
//!   logical clock of its last edit); between copies without that stamp (written by Waymark
//!   0.1) the one edited more often wins; on a tie **this journal's version is kept**
//!   (counted as a conflict kept). This one rule covers every kind, natural keys included:
//!   a day's check-in, the settings, a journey's milestones, a card's flags, a trigger's
//!   card use.
//!
//! Everything that arrives is checked like input first (`stored::Valid`: dates from 1900 to
//! two days from now, zones that exist, lengths, ranges, lists), and so is its stamp (at most
//! two days ahead). A record that fails, that does not decode as its kind, or that was in
//! quarantine in the backup is **quarantined**: kept sealed under an id of its own, listed
//! (`Recovery::quarantined`), never applied. Merging it again adds nothing.
//!
//! **Deletions travel too.** Deleting a record leaves a tombstone (its id, kind and the
//! version of the deletion, and for a record kept one per something its natural key; no
//! content), and a backup carries them. So, by the same "later wins" rule:
//! - a record in the backup that was deleted here *after* its last edit there **stays
//!   deleted** (an old backup never brings back what was deleted since);
//! - a record deleted in the backup's journal after its last edit here is **deleted** here;
//!   edited here after that deletion, it is **kept**;
//! - a deletion of something this journal never had is remembered, so a still older backup
//!   merged later cannot bring it in; a deletion dated more than two days ahead is
//!   **refused**.
//!
//! Merging the same backup twice changes nothing the second time (every record is then
//! unchanged or kept). Records of kinds this build does not know keep their ids. Builds
//! before tombstones skip a backup's deletions (they are a field those builds never read).

mod file;

pub use crate::files::write_atomically;
pub use file::{FORMAT_VERSION, MAX_BACKUP_BYTES};

use super::clock::Clock;
use super::settings::Settings;
use super::stored::{self, decode, for_each_kind, StoredRecord, BODY_VERSION};
use super::Recovery;
use crate::codec::{self, Reader, Writer};
use crate::crypto::kdf::KdfParams;
use crate::crypto::recovery_code::RecoveryCode;
use crate::error::{Error, Result};
use crate::journal::Stored;
use crate::record::{QuarantineReason, RecordId, Stamp};
use crate::RecordWriter;
use crate::{Journal, JournalOptions};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The version of the decrypted content's layout (the file's own format is
/// [`FORMAT_VERSION`]): 1 is Waymark 0.1's JSON, 2 the tagged encoding.
const PAYLOAD_FORMAT: u64 = 2;

/// One record as a backup (or a sync change set) carries it.
pub(crate) struct BackupRecord {
    kind: String,
    id: RecordId,
    revision: u64,
    body_version: u8,
    pub(crate) stamp: Stamp,
    /// Set when the record was in quarantine in the journal backed up: it stays there.
    quarantine: Option<QuarantineReason>,
    body: Zeroizing<Vec<u8>>,
}

/// A record in a backup written by Waymark 0.1 (JSON content).
#[derive(Deserialize)]
struct LegacyRecord {
    kind: String,
    id: RecordId,
    revision: u64,
    body: String,
}

/// The content of a backup written by Waymark 0.1.
#[derive(Deserialize)]
struct LegacyPayload {
    format: u16,
    created_at: DateTime<Utc>,
    records: Vec<LegacyRecord>,
}

/// Tags of the tagged content.
mod tag {
    pub const FORMAT: u32 = 1;
    pub const CREATED_AT: u32 = 2;
    pub const RECORD: u32 = 3;
    /// A deletion (a tombstone); builds before it skip the tag, as they should.
    pub const DELETION: u32 = 4;
    pub const KIND: u32 = 1;
    pub const ID: u32 = 2;
    pub const REVISION: u32 = 3;
    pub const BODY_VERSION: u32 = 4;
    pub const CLOCK: u32 = 5;
    pub const DEVICE: u32 = 6;
    pub const BODY: u32 = 7;
    pub const QUARANTINE: u32 = 8;
}

/// A deletion as a backup carries it: which record, when, and (for a record kept one per
/// something) under which natural key. No content.
pub(crate) struct BackupDeletion {
    kind: String,
    id: RecordId,
    pub(crate) stamp: Stamp,
    key: Vec<u8>,
}

/// The decrypted content of a backup file (and of a sync change set or snapshot).
pub(crate) struct Payload {
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) records: Vec<BackupRecord>,
    pub(crate) deletions: Vec<BackupDeletion>,
}

impl Payload {
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new();
        w.uint(tag::FORMAT, PAYLOAD_FORMAT);
        codec::Value::write(&self.created_at, tag::CREATED_AT, &mut w);
        for r in &self.records {
            w.nested(tag::RECORD, |inner| {
                inner.bytes_field(tag::KIND, r.kind.as_bytes());
                inner.bytes_field(tag::ID, r.id.as_bytes());
                inner.uint(tag::REVISION, r.revision);
                inner.uint(tag::BODY_VERSION, u64::from(r.body_version));
                inner.uint(tag::CLOCK, r.stamp.clock);
                inner.uint(tag::DEVICE, r.stamp.device);
                if let Some(reason) = r.quarantine {
                    inner.uint(tag::QUARANTINE, u64::from(reason.flags()));
                }
                inner.bytes_field(tag::BODY, &r.body);
            });
        }
        for d in &self.deletions {
            w.nested(tag::DELETION, |inner| {
                inner.bytes_field(tag::KIND, d.kind.as_bytes());
                inner.bytes_field(tag::ID, d.id.as_bytes());
                inner.uint(tag::CLOCK, d.stamp.clock);
                inner.uint(tag::DEVICE, d.stamp.device);
                inner.bytes_field(tag::BODY, &d.key);
            });
        }
        Zeroizing::new(w.into_bytes())
    }

    pub(crate) fn decode(plain: &[u8]) -> Result<Payload> {
        let damaged = || Error::BackupDamaged {
            detail: "its content does not parse (written by a damaged or foreign program)",
        };
        if plain.first() == Some(&b'{') {
            return Payload::decode_legacy(plain);
        }
        let mut format = None;
        let mut created_at = None;
        let mut records = Vec::new();
        let mut deletions = Vec::new();
        let mut reader = Reader::new(plain);
        while let Some((t, wire, _)) = reader.next_field().map_err(|_| damaged())? {
            match t {
                tag::FORMAT => format = Some(wire.varint().map_err(|_| damaged())?),
                tag::CREATED_AT => {
                    created_at =
                        Some(<DateTime<Utc> as codec::Value>::read(wire).map_err(|_| damaged())?);
                }
                tag::RECORD => records.push(
                    BackupRecord::decode(wire.bytes().map_err(|_| damaged())?)
                        .ok_or_else(damaged)?,
                ),
                tag::DELETION => deletions.push(
                    BackupDeletion::decode(wire.bytes().map_err(|_| damaged())?)
                        .ok_or_else(damaged)?,
                ),
                _ => {}
            }
        }
        match format {
            Some(PAYLOAD_FORMAT) => {}
            Some(found) => {
                return Err(Error::UnsupportedVersion {
                    what: "backup content",
                    found: u32::try_from(found).unwrap_or(u32::MAX),
                    supported: PAYLOAD_FORMAT as u32,
                })
            }
            None => return Err(damaged()),
        }
        Ok(Payload {
            created_at: created_at.ok_or_else(damaged)?,
            records,
            deletions,
        })
    }

    fn decode_legacy(plain: &[u8]) -> Result<Payload> {
        let legacy: LegacyPayload =
            serde_json::from_slice(plain).map_err(|_| Error::BackupDamaged {
                detail: "its content does not parse (written by a damaged or foreign program)",
            })?;
        if legacy.format != 1 {
            return Err(Error::UnsupportedVersion {
                what: "backup content",
                found: u32::from(legacy.format),
                supported: PAYLOAD_FORMAT as u32,
            });
        }
        Ok(Payload {
            created_at: legacy.created_at,
            records: legacy
                .records
                .into_iter()
                .map(|r| BackupRecord {
                    kind: r.kind,
                    id: r.id,
                    revision: r.revision,
                    body_version: stored::BODY_JSON,
                    stamp: Stamp::default(),
                    quarantine: None,
                    body: Zeroizing::new(r.body.into_bytes()),
                })
                .collect(),
            deletions: Vec::new(),
        })
    }
}

impl BackupRecord {
    /// A decrypted record as a backup or change set carries it.
    pub(crate) fn of(record: &crate::RecordView<'_>) -> BackupRecord {
        BackupRecord {
            kind: record.kind.to_owned(),
            id: record.id,
            revision: record.revision,
            body_version: record.body_version,
            stamp: record.stamp,
            quarantine: record.quarantine,
            body: Zeroizing::new(record.body.to_vec()),
        }
    }

    fn decode(bytes: &[u8]) -> Option<BackupRecord> {
        let mut kind = None;
        let mut id = None;
        let mut revision = None;
        let mut body_version = 0u8;
        let mut stamp = Stamp::default();
        let mut quarantine = None;
        let mut body = None;
        let mut reader = Reader::new(bytes);
        while let Some((t, wire, _)) = reader.next_field().ok()? {
            match t {
                tag::KIND => kind = Some(std::str::from_utf8(wire.bytes().ok()?).ok()?.to_owned()),
                tag::ID => {
                    id = Some(RecordId::from_bytes(wire.bytes().ok()?.try_into().ok()?));
                }
                tag::REVISION => revision = Some(wire.varint().ok()?),
                tag::BODY_VERSION => body_version = u8::try_from(wire.varint().ok()?).ok()?,
                tag::CLOCK => stamp.clock = wire.varint().ok()?,
                tag::DEVICE => stamp.device = wire.varint().ok()?,
                tag::QUARANTINE => {
                    let flags = u8::try_from(wire.varint().ok()?).ok()?;
                    quarantine =
                        QuarantineReason::from_flags(flags).or(Some(QuarantineReason::Other));
                }
                tag::BODY => body = Some(Zeroizing::new(wire.bytes().ok()?.to_vec())),
                _ => {}
            }
        }
        let kind = kind?;
        crate::record::validate_kind(&kind).ok()?;
        Some(BackupRecord {
            kind,
            id: id?,
            revision: revision?.max(1),
            body_version,
            stamp,
            quarantine,
            body: body?,
        })
    }
}

impl BackupDeletion {
    fn decode(bytes: &[u8]) -> Option<BackupDeletion> {
        let mut kind = None;
        let mut id = None;
        let mut stamp = Stamp::default();
        let mut key = Vec::new();
        let mut reader = Reader::new(bytes);
        while let Some((t, wire, _)) = reader.next_field().ok()? {
            match t {
                tag::KIND => kind = Some(std::str::from_utf8(wire.bytes().ok()?).ok()?.to_owned()),
                tag::ID => {
                    id = Some(RecordId::from_bytes(wire.bytes().ok()?.try_into().ok()?));
                }
                tag::CLOCK => stamp.clock = wire.varint().ok()?,
                tag::DEVICE => stamp.device = wire.varint().ok()?,
                tag::BODY => {
                    let bytes = wire.bytes().ok()?;
                    if bytes.len() > MAX_DELETION_KEY {
                        return None;
                    }
                    key = bytes.to_vec();
                }
                _ => {}
            }
        }
        let kind = kind?;
        crate::record::validate_kind(&kind).ok()?;
        Some(BackupDeletion {
            kind,
            id: id?,
            stamp,
            key,
        })
    }
}

/// Every deletion `journal` remembers, as a backup carries it.
pub(crate) fn deletions_of(journal: &Journal) -> Result<Vec<BackupDeletion>> {
    let mut deletions = Vec::new();
    journal.visit_deletions(|d| {
        deletions.push(BackupDeletion {
            kind: d.kind,
            id: d.id,
            stamp: d.stamp,
            key: d.key,
        })
    })?;
    Ok(deletions)
}

/// The longest natural key a deletion may carry (a date, a journey's or card's id).
const MAX_DELETION_KEY: usize = 256;

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
    /// in one transaction, all under a temporary name: the journal appears at `path` only
    /// complete (S19). If anything fails, nothing is left behind. The journal comes back
    /// unlocked, with a new recovery code.
    pub fn restore(
        &self,
        path: &Path,
        passphrase: &str,
        options: JournalOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<Restored> {
        let (journal, recovery_code) = Journal::create_unpublished(path, passphrase, options)?;
        let filling = Recovery::new(journal, clock.clone());
        let report = match filling.merge_backup(self) {
            Ok(report) => report,
            Err(error) => {
                filling.into_journal().discard_unpublished();
                return Err(error);
            }
        };
        let journal = filling.into_journal().publish(path)?;
        Ok(Restored {
            recovery: Recovery::new(journal, clock),
            recovery_code,
            report,
        })
    }

    /// Reads and decrypts the backup at `path`. Every byte is authenticated before this
    /// returns; a wrong passphrase is [`Error::WrongBackupPassphrase`], a damaged, truncated
    /// or changed file [`Error::BackupDamaged`].
    pub fn read(path: &Path, passphrase: &str) -> Result<Backup> {
        let bytes = file::read_file(path)?;
        let plain = file::open_backup(&bytes, passphrase)?;
        Ok(Backup {
            payload: Payload::decode(&plain)?,
        })
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
    pub records: i64,
    /// Records of this journal that could not be read and are not in the backup.
    pub damaged: i64,
    /// Size of the backup file in bytes.
    pub bytes: i64,
}

/// What a merge (or a restore) did, record by record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MergeReport {
    /// Records that were not in the journal and were added.
    pub added: i64,
    /// Records whose backup version replaced this journal's (more revisions).
    pub updated: i64,
    /// Records identical on both sides.
    pub unchanged: i64,
    /// Records that differ where this journal's version was kept (edited later, or as late).
    pub conflicts_kept: i64,
    /// Records that broke a rule of their kind (or were in quarantine in the backup): kept in
    /// quarantine, never applied (`waymark quarantine` lists them).
    pub quarantined: i64,
    /// Records deleted here because the backup's journal deleted them after their last edit
    /// here.
    pub deleted: i64,
    /// Records in the backup that this journal deleted after their last edit there: they
    /// stay deleted.
    pub stayed_deleted: i64,
    /// Deletions the backup dated more than two days ahead of now: not applied.
    pub refused: i64,
    /// Sync only: text written on this device that another device changed or deleted at the
    /// same time, kept as a conflict copy (an entry with `conflict_of` set) instead of lost.
    pub conflict_copies: i64,
}

/// What the device that sent a sync blob knew when it sent it: for each device, the latest
/// clock of that device's writes it had (a version vector). A record here written after
/// what the sender knew of its device is one the sender never saw: an edit it meets is a
/// concurrent one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Known(pub(crate) std::collections::BTreeMap<u64, u64>);

impl Known {
    /// True when the write stamped `stamp` was not known to the sender.
    pub(crate) fn missed(&self, stamp: Stamp) -> bool {
        self.0.get(&stamp.device).copied().unwrap_or(0) < stamp.clock
    }

    /// Learns `stamp`.
    pub(crate) fn learn(&mut self, stamp: Stamp) {
        let clock = self.0.entry(stamp.device).or_insert(0);
        *clock = (*clock).max(stamp.clock);
    }

    /// Learns everything `other` knows.
    pub(crate) fn learn_all(&mut self, other: &Known) {
        for (&device, &clock) in &other.0 {
            self.learn(Stamp { clock, device });
        }
    }
}

/// How a merge runs: the time now (for checks) and, for a sync, what the sender knew (so
/// concurrent edits are told from later ones).
#[derive(Debug, Clone)]
pub(crate) struct MergeRules {
    pub(crate) now: DateTime<Utc>,
    pub(crate) sender_knew: Option<Known>,
    /// In a sync: what this journal knew of every device's writes before this merge, and
    /// its own device id.
    pub(crate) receiver_knew: Option<(Known, u64)>,
}

impl MergeRules {
    fn is_sync(&self) -> bool {
        self.sender_knew.is_some()
    }

    /// True in a sync when the sender had not seen the local write stamped `stamp`.
    fn concurrent(&self, stamp: Stamp) -> bool {
        self.sender_knew.as_ref().is_some_and(|k| k.missed(stamp))
    }

    /// True in a sync when this journal knew the write stamped `stamp` before (it wrote it,
    /// or applied it or something later of its device): whatever it holds now already
    /// settled it, so it is never news and never a concurrent edit (a version that arrives
    /// again through another device's snapshot does not bring a deleted record back as a
    /// conflict copy).
    fn old_news(&self, stamp: Stamp) -> bool {
        self.receiver_knew
            .as_ref()
            .is_some_and(|(known, me)| stamp.device == *me || !known.missed(stamp))
    }
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
        let damaged = self
            .journal()
            .visit_records(|record| records.push(BackupRecord::of(&record)))?;
        let deletions = deletions_of(self.journal())?;
        let payload = Payload {
            created_at: self.now(),
            records,
            deletions,
        };
        let plain = payload.encode();
        let sealed = file::seal_backup(&plain, passphrase, kdf)?;
        write_atomically(path, &sealed)?;
        Ok(BackupWritten {
            records: i64::try_from(payload.records.len()).unwrap_or(i64::MAX),
            damaged: i64::try_from(damaged.count()).unwrap_or(i64::MAX),
            bytes: i64::try_from(sealed.len()).unwrap_or(i64::MAX),
        })
    }

    /// Merges `backup` into this journal in one transaction, by the rule in the module docs.
    /// Restoring is merging into a new, empty journal.
    ///
    /// Into a journal that holds nothing yet but its settings (a fresh `init`), a backup that
    /// holds a journal's content brings its settings whole: its zone, currency and day start
    /// are the person's, the fresh ones only what the new journal was made with.
    pub fn merge_backup(&self, backup: &Backup) -> Result<MergeReport> {
        let rules = MergeRules {
            now: self.now(),
            sender_knew: None,
            receiver_knew: None,
        };
        let fresh = backup
            .payload
            .records
            .iter()
            .any(|r| r.kind != Settings::KIND)
            && self.holds_only_settings()?;
        self.write(|w| {
            let mut report = MergeReport::default();
            if fresh
                && backup
                    .payload
                    .records
                    .iter()
                    .any(|r| r.kind == Settings::KIND)
            {
                let id = stored::id_for(w, &Settings::default().identity())?;
                w.erase(&id)?;
            }
            merge_payload_in(w, &backup.payload, &rules, &mut report)?;
            Ok(report)
        })
    }

    /// True when the journal holds no record but its settings, and remembers no deletion.
    fn holds_only_settings(&self) -> Result<bool> {
        let mut others = 0usize;
        self.journal().visit_records(|r| {
            if r.kind != Settings::KIND {
                others += 1;
            }
        })?;
        Ok(others == 0 && deletions_of(self.journal())?.is_empty())
    }
}

/// Merges every record and deletion of `payload` inside the transaction `w`.
pub(crate) fn merge_payload_in(
    w: &mut RecordWriter<'_>,
    payload: &Payload,
    rules: &MergeRules,
    report: &mut MergeReport,
) -> Result<()> {
    for record in &payload.records {
        merge_record(w, record, rules, report)?;
    }
    for deletion in &payload.deletions {
        let merged = merge_deletion(w, deletion, rules, report)?;
        report.count(merged);
    }
    Ok(())
}

/// What happened to one record.
enum Merged {
    Added,
    Updated,
    Unchanged,
    Kept,
    Quarantined,
    Deleted,
    StayedDeleted,
    Refused,
}

impl MergeReport {
    fn count(&mut self, merged: Merged) {
        match merged {
            Merged::Added => self.added += 1,
            Merged::Updated => self.updated += 1,
            Merged::Unchanged => self.unchanged += 1,
            Merged::Kept => self.conflicts_kept += 1,
            Merged::Quarantined => self.quarantined += 1,
            Merged::Deleted => self.deleted += 1,
            Merged::StayedDeleted => self.stayed_deleted += 1,
            Merged::Refused => self.refused += 1,
        }
    }
}

/// Merges one record: a kind of the recovery domain by its identity, anything else (a kind
/// a newer Waymark stores) under its own id, as it is. A record that was in quarantine, or
/// whose stamp lies in the future, goes into quarantine.
fn merge_record(
    w: &mut RecordWriter<'_>,
    record: &BackupRecord,
    rules: &MergeRules,
    report: &mut MergeReport,
) -> Result<()> {
    let now = rules.now;
    if let Some(reason) = record.quarantine {
        report.count(quarantine(w, record, reason)?);
        return Ok(());
    }
    if record.stamp.clock > latest_clock(now) {
        report.count(quarantine(w, record, QuarantineReason::Invalid)?);
        return Ok(());
    }
    macro_rules! try_kind {
        ($t:ty) => {
            if record.kind == <$t as StoredRecord>::KIND {
                let merged = merge_typed::<$t>(w, record, rules, report)?;
                report.count(merged);
                return Ok(());
            }
        };
    }
    for_each_kind!(try_kind);
    report.count(merge_raw(w, record, rules)?);
    Ok(())
}

/// The latest hybrid-clock value an incoming stamp may carry: two days after now (clocks
/// on two devices disagree; a stamp further ahead would win every later merge). Stamps are
/// made from the system clock, so "now" is the later of it and the service's clock.
fn latest_clock(now: DateTime<Utc>) -> u64 {
    let now = now.max(Utc::now());
    let millis = now.timestamp_millis().saturating_add(2 * 86_400_000);
    u64::try_from(millis).unwrap_or(0) << 16
}

/// Which copy of a record wins: the one edited later (its stamp's hybrid clock, the time of
/// the edit, then the device, so every device picks the same one), and between copies
/// without stamps (from Waymark 0.1) the one edited more often. A tie keeps this journal's.
fn incoming_wins(incoming: &BackupRecord, local_stamp: Stamp, local_revision: u64) -> bool {
    if incoming.stamp.clock == 0 && local_stamp.clock == 0 {
        return incoming.revision > local_revision;
    }
    (incoming.stamp.clock, incoming.stamp.device) > (local_stamp.clock, local_stamp.device)
}

/// Keeps `record` in quarantine: sealed under an id of its own (the same for the same record
/// and content, so merging twice adds it once), never applied.
fn quarantine(
    w: &mut RecordWriter<'_>,
    record: &BackupRecord,
    reason: QuarantineReason,
) -> Result<Merged> {
    let digest = ring::digest::digest(&ring::digest::SHA256, &record.body);
    let mut key = Vec::with_capacity(16 + 1 + 32 + record.kind.len());
    key.extend_from_slice(record.id.as_bytes());
    key.push(record.body_version);
    key.extend_from_slice(digest.as_ref());
    key.extend_from_slice(record.kind.as_bytes());
    let id = w.lookup_id("quarantine", &key)?;
    if w.peek(&id, |_| ())?.is_some() {
        return Ok(Merged::Unchanged);
    }
    w.put_quarantined(
        &id,
        &record.kind,
        record.body_version,
        record.stamp,
        reason,
        &record.body,
    )?;
    Ok(Merged::Quarantined)
}

/// Merges a record of a known kind: decoded (from any body version), checked against its
/// kind's rules (a record that breaks one is quarantined), matched by identity, compared in
/// this build's encoding; the copy edited later wins ([`incoming_wins`]).
fn merge_typed<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    record: &BackupRecord,
    rules: &MergeRules,
    report: &mut MergeReport,
) -> Result<Merged> {
    let now = rules.now;
    let (value, unknown) = match decode::<T>(record.body_version, &record.body) {
        Ok(decoded) => decoded,
        Err(stored::BodyError::Newer(_)) => return merge_raw(w, record, rules),
        Err(stored::BodyError::Damaged) => return quarantine(w, record, QuarantineReason::Invalid),
    };
    if value.check(now).is_err() {
        return quarantine(w, record, QuarantineReason::Invalid);
    }
    let id = stored::id_for(w, &value.identity())?;
    let incoming = value.to_body(&unknown);
    let local = w.peek_state(&id, |view| {
        (
            view.kind == T::KIND
                && view.body_version == BODY_VERSION
                && view.body == incoming.as_slice()
                && view.quarantine.is_none(),
            view.kind == T::KIND && view.quarantine.is_none(),
            view.stamp,
            view.revision,
        )
    })?;
    let old_news = rules.old_news(record.stamp);
    let local = match local {
        Stored::Absent => None,
        // A version this journal knew before it deleted the record (or settled since) never
        // brings it back.
        Stored::Deleted(_) if old_news => return Ok(Merged::StayedDeleted),
        // In a sync, a version sent by a device that had not seen the deletion here is a
        // concurrent edit: the deletion stands (nothing deleted comes back) and text a person
        // wrote is kept as a conflict copy. A kind that keeps no copy (a check-in, a
        // meeting, a trigger) would lose the edit, so there the later of the two wins, as in
        // a backup. One sent after the deletion (a day checked in again) is new and applies.
        Stored::Deleted(deleted) if rules.concurrent(deleted) => {
            if record.stamp > deleted && !value.keeps_conflict_copies(&id) {
                w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
                return Ok(Merged::Added);
            }
            let of = CopyOf::Deleted {
                deletion: deleted,
                writer: record.stamp.device,
            };
            keep_copy(w, &id, &value, of, report)?;
            return Ok(Merged::StayedDeleted);
        }
        Stored::Deleted(_) if rules.is_sync() => {
            w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
            return Ok(Merged::Added);
        }
        Stored::Deleted(deleted) if record.stamp <= deleted => return Ok(Merged::StayedDeleted),
        Stored::Deleted(_) => {
            w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
            return Ok(Merged::Added);
        }
        Stored::Live(local) => Some(local),
    };
    match local {
        None => {
            w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
            Ok(Merged::Added)
        }
        // The same content: a later stamp of it is taken, so this journal's stamp of every
        // record is the newest version it holds (an older edit arriving after must lose).
        Some((true, _, stamp, _)) => {
            if record.stamp.clock != 0
                && (record.stamp.clock, record.stamp.device) > (stamp.clock, stamp.device)
            {
                w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
            }
            Ok(Merged::Unchanged)
        }
        // Another kind (or a quarantined record) under a keyed id is damage or a collision:
        // the local record stays, the incoming one is quarantined rather than lost.
        Some((false, false, _, _)) => quarantine(w, record, QuarantineReason::Invalid),
        Some((false, true, stamp, revision)) => {
            let wins = incoming_wins(record, stamp, revision);
            if rules.concurrent(stamp) && !old_news {
                let loser = if wins { stamp } else { record.stamp };
                if merge_concurrent::<T>(w, &id, value, wins, loser, report)? {
                    w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
                }
            } else if wins {
                w.put_stamped(&id, T::KIND, BODY_VERSION, record.stamp, &incoming)?;
            }
            Ok(if wins { Merged::Updated } else { Merged::Kept })
        }
    }
}

/// Which version a conflict copy keeps, which decides its id: two devices that keep the same
/// version make one copy, not two.
#[derive(Clone, Copy)]
enum CopyOf {
    /// The version stamped so, which lost to a concurrent edit.
    Version(Stamp),
    /// The versions one device wrote of a record another device deleted without seeing
    /// them (the deletion stamped `deletion`): one copy, holding the latest of them (they
    /// arrive in their writer's order).
    Deleted { deletion: Stamp, writer: u64 },
}

/// Keeps `loser` (a version of the record `id`, see [`CopyOf`]) as a conflict copy, for the
/// kinds that keep one. A copy of a record deleted elsewhere is brought up to date when a
/// later version of the same writer arrives; a copy the person deleted is never made again.
fn keep_copy<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    id: &RecordId,
    loser: &T,
    of: CopyOf,
    report: &mut MergeReport,
) -> Result<()> {
    let mut key = id.as_bytes().to_vec();
    match of {
        CopyOf::Version(stamp) => {
            key.extend_from_slice(&stamp.clock.to_be_bytes());
            key.extend_from_slice(&stamp.device.to_be_bytes());
        }
        CopyOf::Deleted { deletion, writer } => {
            key.extend_from_slice(b"deleted");
            key.extend_from_slice(&deletion.clock.to_be_bytes());
            key.extend_from_slice(&deletion.device.to_be_bytes());
            key.extend_from_slice(&writer.to_be_bytes());
        }
    }
    let copy_id = w.lookup_id("conflict_copy", &key)?;
    if let Some(copy) = loser.conflict_copy(copy_id, id) {
        // Made already (here, or by the other device), or made and deleted since by the
        // person: either way not again, but a later version of a deleted record's text
        // replaces the one kept.
        match w.peek_state(&copy_id, |_| ())? {
            Stored::Absent => {
                stored::save(w, &copy)?;
                report.conflict_copies += 1;
            }
            Stored::Live(()) if matches!(of, CopyOf::Deleted { .. }) => {
                let empty = crate::codec::Unknown::default();
                let held = stored::load::<T>(w, &copy_id)?.map(|c| c.to_body(&empty));
                if held.as_deref() != Some(copy.to_body(&empty).as_slice()) {
                    stored::save(w, &copy)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An incoming edit of a record the sender had not seen this journal's version of: the later
/// one wins, the kind merges what the loser holds into it (a day's check-in, field by
/// field), and text a person wrote that lost is kept as a conflict copy. A merged result
/// unlike the winner is written with a new stamp, so it wins on every device; returns true
/// when the incoming version itself is to be taken.
fn merge_concurrent<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    id: &RecordId,
    incoming: T,
    incoming_wins: bool,
    loser_stamp: Stamp,
    report: &mut MergeReport,
) -> Result<bool> {
    let Some(local) = stored::load::<T>(w, id)? else {
        return Ok(incoming_wins);
    };
    let (winner, loser) = if incoming_wins {
        (incoming, local.clone())
    } else {
        (local.clone(), incoming)
    };
    keep_copy(w, id, &loser, CopyOf::Version(loser_stamp), report)?;
    let empty = crate::codec::Unknown::default();
    let winner_body = winner.to_body(&empty);
    let merged = T::merge_concurrent(winner, &loser);
    if merged.to_body(&empty) != winner_body {
        // Neither device holds the merge yet: a new stamp makes it win on both.
        stored::save(w, &merged)?;
        Ok(false)
    } else {
        // The winner is the merge: the incoming version is taken as it is (with its stamp),
        // or this journal's stays.
        Ok(incoming_wins)
    }
}

/// A deletion from a device that had not seen this journal's version (stamped `edited`) of
/// the record `id`: for a kind that keeps conflict copies, that version is kept as a copy and
/// the deletion applies (true); for any other kind, a version edited after the deletion wins
/// and the deletion does not apply (false), since it would be lost.
fn before_concurrent_deletion(
    w: &mut RecordWriter<'_>,
    kind: &str,
    id: &RecordId,
    edited: Stamp,
    deletion: Stamp,
    report: &mut MergeReport,
) -> Result<bool> {
    macro_rules! try_kind {
        ($t:ty) => {
            if kind == <$t as StoredRecord>::KIND {
                let Some(local) = stored::load::<$t>(w, id)? else {
                    return Ok(true);
                };
                if !local.keeps_conflict_copies(id) {
                    return Ok(edited <= deletion);
                }
                let of = CopyOf::Deleted {
                    deletion,
                    writer: edited.device,
                };
                keep_copy(w, id, &local, of, report)?;
                return Ok(true);
            }
        };
    }
    for_each_kind!(try_kind);
    Ok(true)
}

/// Merges a record this build cannot read (another kind, or a newer body version) under its
/// own id, as it is: added when absent; when present, the copy edited later wins.
fn merge_raw(
    w: &mut RecordWriter<'_>,
    record: &BackupRecord,
    rules: &MergeRules,
) -> Result<Merged> {
    let local = match w.peek_state(&record.id, |view| {
        (
            view.body == record.body.as_slice() && view.kind == record.kind,
            view.kind == record.kind && view.quarantine.is_none(),
            view.stamp,
            view.revision,
        )
    })? {
        Stored::Absent => None,
        Stored::Deleted(_) if rules.old_news(record.stamp) => return Ok(Merged::StayedDeleted),
        Stored::Deleted(deleted) if rules.concurrent(deleted) => return Ok(Merged::StayedDeleted),
        Stored::Deleted(_) if rules.is_sync() => None,
        Stored::Deleted(deleted) if record.stamp <= deleted => return Ok(Merged::StayedDeleted),
        Stored::Deleted(_) => None,
        Stored::Live(local) => Some(local),
    };
    let put = |w: &mut RecordWriter<'_>| {
        w.put_stamped(
            &record.id,
            &record.kind,
            record.body_version,
            record.stamp,
            &record.body,
        )
    };
    match local {
        None => {
            put(w)?;
            Ok(Merged::Added)
        }
        Some((true, _, stamp, _)) => {
            if record.stamp.clock != 0
                && (record.stamp.clock, record.stamp.device) > (stamp.clock, stamp.device)
            {
                put(w)?;
            }
            Ok(Merged::Unchanged)
        }
        Some((false, false, _, _)) => quarantine(w, record, QuarantineReason::Invalid),
        Some((false, true, stamp, revision)) if incoming_wins(record, stamp, revision) => {
            put(w)?;
            Ok(Merged::Updated)
        }
        Some(_) => Ok(Merged::Kept),
    }
}

/// Merges one deletion from the backup: the record it names (by its natural key, for a
/// record kept one per something) is deleted here when it was not edited here after the
/// deletion; otherwise this journal's record stays. A deletion of something this journal
/// never had is remembered too (a tombstone), so an older backup merged later cannot bring
/// it in. A deletion dated in the future is refused.
fn merge_deletion(
    w: &mut RecordWriter<'_>,
    deletion: &BackupDeletion,
    rules: &MergeRules,
    report: &mut MergeReport,
) -> Result<Merged> {
    if deletion.stamp.clock > latest_clock(rules.now) {
        return Ok(Merged::Refused);
    }
    let id = if deletion.key.is_empty() {
        deletion.id
    } else {
        w.lookup_id(&deletion.kind, &deletion.key)?
    };
    let local = w.peek_state(&id, |view| {
        (
            view.kind == deletion.kind && view.quarantine.is_none(),
            view.stamp,
        )
    })?;
    let remember = |w: &mut RecordWriter<'_>| {
        w.put_tombstone_stamped(&id, &deletion.kind, deletion.stamp, &deletion.key)
    };
    match local {
        Stored::Absent => {
            remember(w)?;
            Ok(Merged::Unchanged)
        }
        Stored::Deleted(here) => {
            if deletion.stamp > here {
                remember(w)?;
            }
            Ok(Merged::Unchanged)
        }
        // A deletion this journal knew before settled what it holds: only a later one wins.
        Stored::Live((true, edited)) if rules.old_news(deletion.stamp) => {
            if deletion.stamp > edited {
                remember(w)?;
                Ok(Merged::Deleted)
            } else {
                Ok(Merged::Kept)
            }
        }
        // In a sync a deletion stands (no deletion comes back); an edit made here and not
        // sent yet is kept first as a conflict copy. Where the kind keeps no copy, an edit
        // made here after the deletion (not seen here) wins instead: it would be lost. From
        // a backup, the later one wins.
        Stored::Live((true, edited)) if rules.is_sync() || deletion.stamp > edited => {
            if rules.concurrent(edited)
                && !before_concurrent_deletion(
                    w,
                    &deletion.kind,
                    &id,
                    edited,
                    deletion.stamp,
                    report,
                )?
            {
                return Ok(Merged::Kept);
            }
            remember(w)?;
            Ok(Merged::Deleted)
        }
        Stored::Live(_) => Ok(Merged::Kept),
    }
}

/// Fuzzing entry points (feature `fuzzing`): the backup file's outer layer, its decrypted
/// content, and a merge of any decrypted content. None may panic, whatever the bytes.
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzz_entry {
    use super::*;

    /// The file layer: magic, version, header checksum, parameter ceilings, then (for a header
    /// that passes) Argon2id and the check envelope with a fixed passphrase.
    pub(crate) fn backup_file(bytes: &[u8]) {
        let _ = file::open_backup(bytes, "a backup passphrase");
    }

    /// The decrypted content, as if it had authenticated.
    pub(crate) fn payload(plain: &[u8]) {
        if let Ok(payload) = Payload::decode(plain) {
            let _ = payload.encode();
        }
    }

    /// Merges decrypted content, as if it had authenticated, into `recovery`; then every
    /// screen must still answer.
    pub(crate) fn merge(recovery: &Recovery, plain: &[u8]) {
        let Ok(payload) = Payload::decode(plain) else {
            return;
        };
        let _ = recovery.merge_backup(&Backup { payload });
        let _ = recovery.home();
        let _ = recovery.progress(crate::recovery::review::ReviewRange::AllTime);
        let _ = recovery.review_progress(crate::recovery::review::ReviewRange::AllTime);
        let _ = recovery.export();
    }

    /// The decrypted content of a backup of `recovery`: a seed for the corpus.
    pub(crate) fn payload_of(recovery: &Recovery) -> Vec<u8> {
        let mut records = Vec::new();
        let _ = recovery
            .journal()
            .visit_records(|record| records.push(BackupRecord::of(&record)));
        let deletions = deletions_of(recovery.journal()).unwrap_or_default();
        Payload {
            created_at: recovery.now(),
            records,
            deletions,
        }
        .encode()
        .to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recovery::clock::FixedClock;
    use crate::recovery::entries::EntryInput;

    fn fast() -> JournalOptions {
        JournalOptions {
            kdf: KdfParams::new(256, 1, 1).expect("valid parameters"),
            ..JournalOptions::default()
        }
    }

    #[test]
    fn a_deletion_dated_in_the_future_is_refused_and_one_dated_now_applies() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (journal, _) =
            Journal::create(&dir.path().join("j.db"), "correct horse", fast()).expect("create");
        let now = Utc::now();
        let recovery = Recovery::new(journal, Arc::new(FixedClock::new(now)));
        let entry = recovery
            .write_entry(EntryInput {
                body: "a good walk".into(),
                ..EntryInput::default()
            })
            .expect("entry");
        let deletion = |clock: u64| Backup {
            payload: Payload {
                created_at: now,
                records: Vec::new(),
                deletions: vec![BackupDeletion {
                    kind: "entry".into(),
                    id: entry.id,
                    stamp: Stamp { clock, device: 7 },
                    key: Vec::new(),
                }],
            },
        };
        let ahead = latest_clock(now) + (1 << 16);
        let report = recovery.merge_backup(&deletion(ahead)).expect("merge");
        assert_eq!((report.refused, report.deleted), (1, 0));
        assert!(recovery.entry(&entry.id).is_ok());
        let report = recovery
            .merge_backup(&deletion(latest_clock(now) - (2 << 16)))
            .expect("merge");
        assert_eq!((report.refused, report.deleted), (0, 1));
        assert!(recovery.entry(&entry.id).is_err());
    }
}
