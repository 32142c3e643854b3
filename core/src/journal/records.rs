//! The encrypted record repository (S7-S12).
//!
//! Each record is sealed under the record-content key of the current key generation with a
//! fresh random nonce. The seal counter, the key generation and the write clock live in one
//! row that each transaction writes once (`store::write_state`); when the counter reaches
//! the journal's `seals_per_key` the next generation's key takes over (old records stay
//! readable under theirs). Every write is stamped with a hybrid logical clock and this
//! file's device id, sealed with the record. A record that fails to open is reported by id
//! and skipped; every other record still loads.
//!
//! Writes happen in [`Journal::write`]: one closure, one SQLite transaction, one durable
//! commit, so a user action made of several records lands whole or not at all (S13).

use super::{Journal, State};
use crate::crypto::keyring::Keyring;
use crate::error::{Error, Result};
use crate::record::{
    decode_payload, encode_payload, record_context, validate_kind, Damage, LoadedRecords, Payload,
    QuarantineReason, Record, RecordId, Stamp, FLAG_TOMBSTONE,
};
use crate::store::records::Scanned;
use crate::store::write_state::{self, WriteState};
use crate::store::{connection, records};
use rusqlite::Transaction;
use zeroize::Zeroizing;

/// Writes records inside one transaction of [`Journal::write`].
pub struct RecordWriter<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) keyring: &'a mut Keyring,
    pub(super) journal_id: [u8; 16],
    device: u64,
    write: WriteState,
    /// Seals reserved by this transaction in `write.generation` (added to the stored row).
    reserved_in_generation: u64,
    /// Seals reserved and not made yet, this transaction's included.
    budget: u64,
    /// See `State::clock_floor_known`.
    clock_floor_known: bool,
    seals_per_key: u64,
    pub(super) deleted: bool,
    replaced: bool,
    scratch: Zeroizing<Vec<u8>>,
    touched: Vec<Written>,
}

/// A record a transaction wrote (or erased, with no content), as a cache needs it: the
/// plaintext it sealed, so following the write never decrypts it again.
pub struct Written {
    /// The record's id.
    pub id: RecordId,
    /// What was written; `None` when the record was erased.
    pub record: Option<Record>,
}

/// What a record id holds, as [`RecordWriter::peek_state`] sees it.
pub(crate) enum Stored<T> {
    /// No row.
    Absent,
    /// A tombstone: the record was deleted by a write with this version.
    Deleted(Stamp),
    /// A live record.
    Live(T),
}

/// A deletion as a backup carries it (see [`Journal::visit_deletions`]).
pub(crate) struct Deletion {
    /// The deleted record's id.
    pub(crate) id: RecordId,
    /// Its kind.
    pub(crate) kind: String,
    /// The version of the deletion.
    pub(crate) stamp: Stamp,
    /// The natural key of a record kept one per something; empty otherwise.
    pub(crate) key: Vec<u8>,
}

/// The current time for the hybrid logical clock: milliseconds since 1970 in the high 48
/// bits.
fn physical_clock() -> u64 {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    u64::try_from(millis).unwrap_or(u64::MAX >> 16) << 16
}

impl RecordWriter<'_> {
    /// The next stamp: later than every stamp this journal has issued, and than now.
    fn next_stamp(&mut self) -> Stamp {
        self.write.clock = physical_clock().max(self.write.clock.saturating_add(1));
        Stamp {
            clock: self.write.clock,
            device: self.device,
        }
    }

    /// Seals a record's payload under the current generation's key. Seals are counted (S7) a
    /// block at a time: when this connection's reserved seals run out, it reserves the next
    /// [`SEAL_BLOCK`] (written to the row at commit), moving to the next generation when this
    /// one has reserved its share. Reserved seals a connection never makes are simply not
    /// used: the stored count is an upper bound on the seals made under each key.
    fn seal(&mut self, id: &RecordId, revision: u64, payload: &[u8]) -> Result<Vec<u8>> {
        if self.budget == 0 {
            if self.write.seals >= self.seals_per_key {
                self.write.generation += 1;
                self.write.seals = 0;
                self.reserved_in_generation = 0;
            }
            let block = SEAL_BLOCK.min(self.seals_per_key - self.write.seals);
            self.write.seals += block;
            self.reserved_in_generation += block;
            self.budget = block;
        }
        let key_id = u32::try_from(self.write.generation)
            .map_err(|_| Error::Crypto("the key generation counter is exhausted"))?;
        let context = record_context(&self.journal_id, id, revision);
        let sealed = self.keyring.seal_record(key_id, &context, payload)?;
        self.budget -= 1;
        Ok(sealed)
    }

    /// Adds a new record with a fresh random id and an opaque body; returns the id.
    pub fn insert(&mut self, kind: &str, body: &[u8]) -> Result<RecordId> {
        let id = RecordId::random()?;
        self.put_versioned(&id, kind, 0, body)?;
        Ok(id)
    }

    /// Writes a record with an opaque body under a chosen id: revision 1 if it is new,
    /// otherwise the next revision. Returns the revision written.
    pub fn put(&mut self, id: &RecordId, kind: &str, body: &[u8]) -> Result<u64> {
        self.put_versioned(id, kind, 0, body)
    }

    /// Writes a record whose body is in `body_version` of its kind's format. Returns the
    /// revision written.
    pub fn put_versioned(
        &mut self,
        id: &RecordId,
        kind: &str,
        body_version: u8,
        body: &[u8],
    ) -> Result<u64> {
        validate_kind(kind)?;
        let stamp = self.next_stamp();
        self.put_stamped(id, kind, body_version, stamp, body)
    }

    /// Writes a record with a stamp given by the caller (a merge keeps the stamp of the
    /// version it brings in); this journal's clock moves past it, so a later edit here is
    /// stamped later still. Returns the revision written.
    pub(crate) fn put_stamped(
        &mut self,
        id: &RecordId,
        kind: &str,
        body_version: u8,
        stamp: Stamp,
        body: &[u8],
    ) -> Result<u64> {
        self.write.clock = self.write.clock.max(stamp.clock);
        let previous = records::revision(&self.tx, &id.0)?;
        self.put_after(id, previous, kind, body_version, stamp, 0, body)
    }

    /// Writes a record into quarantine under `id`: sealed like any record, listed, never
    /// applied (see [`QuarantineReason`]). Returns the revision written.
    pub(crate) fn put_quarantined(
        &mut self,
        id: &RecordId,
        kind: &str,
        body_version: u8,
        stamp: Stamp,
        reason: QuarantineReason,
        body: &[u8],
    ) -> Result<u64> {
        let previous = records::revision(&self.tx, &id.0)?;
        self.put_after(
            id,
            previous,
            kind,
            body_version,
            stamp,
            reason.flags(),
            body,
        )
    }

    /// Writes a record whose current revision the caller already read (`None`: it is new),
    /// stamped now. Returns the revision written.
    pub(crate) fn put_over(
        &mut self,
        id: &RecordId,
        previous: Option<u64>,
        kind: &str,
        body_version: u8,
        body: &[u8],
    ) -> Result<u64> {
        validate_kind(kind)?;
        let stamp = self.next_stamp();
        self.put_after(id, previous, kind, body_version, stamp, 0, body)
    }

    #[allow(clippy::too_many_arguments)]
    fn put_after(
        &mut self,
        id: &RecordId,
        previous: Option<u64>,
        kind: &str,
        body_version: u8,
        stamp: Stamp,
        flags: u8,
        body: &[u8],
    ) -> Result<u64> {
        let payload = encode_payload(kind, body_version, flags, stamp, body)?;
        let revision = previous.map_or(1, |rev| rev.saturating_add(1));
        self.replaced |= previous.is_some();
        let sealed = self.seal(id, revision, &payload)?;
        records::put(&self.tx, &id.0, revision, &sealed)?;
        self.touched.push(Written {
            id: *id,
            record: Some(Record {
                id: *id,
                kind: kind.to_owned(),
                revision,
                body_version,
                stamp,
                quarantine: QuarantineReason::from_flags(flags),
                body: Zeroizing::new(body.to_vec()),
            }),
        });
        Ok(revision)
    }

    /// The ids this transaction wrote or erased so far.
    pub(super) fn touched_ids(&self) -> impl Iterator<Item = [u8; 16]> + '_ {
        self.touched.iter().map(|w| w.id.0)
    }

    /// Writes `payload` (a record as the journal image holds it) back into its row at
    /// `revision`, sealed anew: the repair of a row that no longer opens. Its old bytes are
    /// erased with the commit (S11).
    pub(super) fn rewrite(
        &mut self,
        id: &RecordId,
        revision: u64,
        payload: &Payload<'_>,
    ) -> Result<()> {
        let encoded = encode_payload(
            payload.kind,
            payload.body_version,
            payload.flags,
            payload.stamp,
            payload.body,
        )?;
        let sealed = self.seal(id, revision, &encoded)?;
        records::put(&self.tx, &id.0, revision, &sealed)?;
        self.replaced = true;
        Ok(())
    }

    /// Reads a record as this transaction sees it.
    pub fn get(&mut self, id: &RecordId) -> Result<Record> {
        read_one(&self.tx, self.keyring, &self.journal_id, id)
    }

    /// Reads a record as this transaction sees it and shows it to `read` without copying it
    /// out (the body lives in a scratch buffer wiped when the transaction ends); `None` when
    /// there is no record with that id.
    pub fn peek<T>(
        &mut self,
        id: &RecordId,
        read: impl FnOnce(RecordView<'_>) -> T,
    ) -> Result<Option<T>> {
        Ok(match self.peek_state(id, read)? {
            Stored::Live(value) => Some(value),
            Stored::Absent | Stored::Deleted(_) => None,
        })
    }

    /// Opens the row under `id` into the scratch buffer: its revision and payload (tombstones
    /// included), or `None` when there is no row.
    fn open_row(&mut self, id: &RecordId) -> Result<Option<(u64, Payload<'_>)>> {
        let Some((revision, envelope)) = records::get(&self.tx, &id.0)? else {
            return Ok(None);
        };
        let payload = open_in_place(
            self.keyring,
            &self.journal_id,
            id,
            revision,
            &envelope,
            &mut self.scratch,
        )?;
        Ok(Some((revision, payload)))
    }

    /// Like [`RecordWriter::peek`], and also gives the record's revision (`None` when there
    /// is no record under `id`, tombstones included).
    pub(crate) fn peek_with_revision<T>(
        &mut self,
        id: &RecordId,
        read: impl FnOnce(RecordView<'_>) -> T,
    ) -> Result<(Option<u64>, Option<T>)> {
        Ok(match self.open_row(id)? {
            None => (None, None),
            Some((revision, payload)) if payload.flags & FLAG_TOMBSTONE != 0 => {
                (Some(revision), None)
            }
            Some((revision, payload)) => (
                Some(revision),
                Some(read(RecordView::new(*id, revision, payload))),
            ),
        })
    }

    /// The stored revision of `id`, without decrypting it (`None`: no record).
    pub(crate) fn revision_of(&mut self, id: &RecordId) -> Result<Option<u64>> {
        records::revision(&self.tx, &id.0)
    }

    /// Deletes a record, leaving a tombstone; false when there was none with that id (or
    /// only a tombstone). See [`RecordWriter::delete_remembering`].
    pub fn delete(&mut self, id: &RecordId) -> Result<bool> {
        self.delete_remembering(id, &[])
    }

    /// Deletes a record: its content is erased (the row is overwritten, and the write-ahead
    /// log truncated after the commit, S11) and a **tombstone** takes its place, sealed and
    /// padded like any record: the kind, the version of the deletion (a fresh stamp) and
    /// `key`, the natural key of a record kept one per something (empty for a record with
    /// its own id), so a merge can tell "deleted here after it was edited there" from "never
    /// here". False when there was no live record with that id.
    pub fn delete_remembering(&mut self, id: &RecordId, key: &[u8]) -> Result<bool> {
        let (Some(revision), Some(kind)) =
            self.peek_with_revision(id, |view| view.kind.to_owned())?
        else {
            return Ok(false);
        };
        let stamp = self.next_stamp();
        self.put_tombstone(id, Some(revision), &kind, stamp, key)?;
        Ok(true)
    }

    /// Writes a tombstone under `id` with the version of a deletion made elsewhere (a merge).
    pub(crate) fn put_tombstone_stamped(
        &mut self,
        id: &RecordId,
        kind: &str,
        stamp: Stamp,
        key: &[u8],
    ) -> Result<()> {
        self.write.clock = self.write.clock.max(stamp.clock);
        let previous = records::revision(&self.tx, &id.0)?;
        self.put_tombstone(id, previous, kind, stamp, key)
    }

    fn put_tombstone(
        &mut self,
        id: &RecordId,
        previous: Option<u64>,
        kind: &str,
        stamp: Stamp,
        key: &[u8],
    ) -> Result<()> {
        let payload = encode_payload(kind, 0, FLAG_TOMBSTONE, stamp, key)?;
        let revision = previous.map_or(1, |rev| rev.saturating_add(1));
        self.deleted = true;
        let sealed = self.seal(id, revision, &payload)?;
        records::put(&self.tx, &id.0, revision, &sealed)?;
        self.touched.push(Written {
            id: *id,
            record: None,
        });
        Ok(())
    }

    /// What is stored under `id`: nothing, a tombstone (with the deletion's version), or a
    /// live record (`read` sees it).
    pub(crate) fn peek_state<T>(
        &mut self,
        id: &RecordId,
        read: impl FnOnce(RecordView<'_>) -> T,
    ) -> Result<Stored<T>> {
        Ok(match self.open_row(id)? {
            None => Stored::Absent,
            Some((_, payload)) if payload.flags & FLAG_TOMBSTONE != 0 => {
                Stored::Deleted(payload.stamp)
            }
            Some((revision, payload)) => {
                Stored::Live(read(RecordView::new(*id, revision, payload)))
            }
        })
    }

    /// A value of the journal's settings table, as this transaction sees it.
    pub(crate) fn setting(&self, name: &str) -> Result<Option<Vec<u8>>> {
        crate::store::settings::get(&self.tx, name)
    }

    /// Removes a value of the journal's settings table in this transaction.
    pub(crate) fn remove_setting(&mut self, name: &str) -> Result<()> {
        crate::store::settings::delete(&self.tx, name)
    }

    /// Erases a row outright, leaving no tombstone (a record in quarantine the person
    /// discarded: it was never part of the journal's history).
    pub(crate) fn erase(&mut self, id: &RecordId) -> Result<bool> {
        let erased = records::delete(&self.tx, &id.0)?;
        self.deleted |= erased;
        if erased {
            self.touched.push(Written {
                id: *id,
                record: None,
            });
        }
        Ok(erased)
    }

    /// The same keyed lookup id as [`Journal::lookup_id`], usable inside a transaction.
    pub fn lookup_id(&mut self, namespace: &str, key: &[u8]) -> Result<RecordId> {
        lookup(self.keyring, namespace, key)
    }

    /// Commits, writing the write state at most once: when seals were reserved, or when the
    /// clock must be stored (no full read has found the clock in the rows yet, or it runs
    /// ahead of the physical clock's millisecond). Returns whether old content must be erased from the
    /// write-ahead log (a row was deleted or replaced, which also erases the journal image in
    /// this commit: see `journal::image`), the write state, the seals left in reserve, and
    /// what was written.
    fn finish(mut self) -> Result<Finished> {
        let erases = self.deleted || self.replaced;
        if erases {
            // The image may be the only good copy of a row damaged since it was made: such
            // rows are rewritten from it before it goes.
            super::image::repair_covered(&mut self)?;
            crate::store::image::erase(&self.tx)?;
        }
        // A clock within the current millisecond is behind the physical clock of any later
        // open; one in a later millisecond (brought by another device) must be stored.
        let store_clock =
            !self.clock_floor_known || self.write.clock >> 16 > physical_clock() >> 16;
        let (write, budget) = if self.reserved_in_generation > 0 || store_clock {
            let merged = write_state::merge(&self.tx, self.write, self.reserved_in_generation)?;
            // Another connection moved to a newer generation: reserve there next time.
            let budget = if merged.generation == self.write.generation {
                self.budget
            } else {
                0
            };
            (merged, budget)
        } else {
            (self.write, self.budget)
        };
        self.tx.commit()?;
        Ok(Finished {
            erase: erases,
            write,
            budget,
            touched: self.touched,
        })
    }
}

/// How many seals a connection reserves at a time (see [`RecordWriter::seal`]).
const SEAL_BLOCK: u64 = 256;

/// What a committed transaction leaves for the journal's cached state.
struct Finished {
    erase: bool,
    write: WriteState,
    budget: u64,
    touched: Vec<Written>,
}

/// A decrypted record borrowed from the decryption buffer (see [`Journal::visit_records`]).
#[derive(Clone, Copy)]
pub struct RecordView<'a> {
    /// The record's id.
    pub id: RecordId,
    /// Its kind.
    pub kind: &'a str,
    /// Its revision.
    pub revision: u64,
    /// Its body's version (0 for opaque bodies).
    pub body_version: u8,
    /// When and where it was written.
    pub stamp: Stamp,
    /// Set when the record is in quarantine (never applied).
    pub quarantine: Option<QuarantineReason>,
    /// Its body; valid only inside the visit.
    pub body: &'a [u8],
}

impl<'a> RecordView<'a> {
    pub(super) fn new(id: RecordId, revision: u64, payload: Payload<'a>) -> Self {
        RecordView {
            id,
            kind: payload.kind,
            revision,
            body_version: payload.body_version,
            stamp: payload.stamp,
            quarantine: QuarantineReason::from_flags(payload.flags),
            body: payload.body,
        }
    }

    /// An owned copy.
    pub fn to_record(&self) -> Record {
        Record {
            id: self.id,
            kind: self.kind.to_owned(),
            revision: self.revision,
            body_version: self.body_version,
            stamp: self.stamp,
            quarantine: self.quarantine,
            body: Zeroizing::new(self.body.to_vec()),
        }
    }
}

impl std::fmt::Debug for RecordView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordView")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("revision", &self.revision)
            .field("body_version", &self.body_version)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Decrypts every row whose row id is above `after` in turn and shows each live record to
/// `visit`; see [`Journal::visit_records`]. Returns what could not be read and the highest
/// clock stamped on any row it read, tombstones included.
pub(super) fn scan_after(
    conn: &rusqlite::Connection,
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    after: i64,
    mut visit: impl FnMut(RecordView<'_>),
) -> Result<(Damage, u64)> {
    let mut damage = Damage::default();
    let mut max_clock = 0u64;
    let mut scratch = Zeroizing::new(Vec::new());
    let skipped = records::for_each_after(conn, after, |scanned| {
        let (id, revision, envelope) = match scanned {
            Scanned::Record {
                id,
                revision,
                envelope,
            } => (RecordId(id), revision, envelope),
            Scanned::Malformed { rowid } => {
                damage.malformed_rows.push(rowid);
                return Ok(());
            }
        };
        match open_in_place(keyring, journal_id, &id, revision, envelope, &mut scratch) {
            Ok(payload) => {
                max_clock = max_clock.max(payload.stamp.clock);
                if payload.flags & FLAG_TOMBSTONE == 0 {
                    visit(RecordView::new(id, revision, payload));
                }
                Ok(())
            }
            Err(Error::CorruptRecord { .. }) | Err(Error::UnsupportedVersion { .. }) => {
                damage.records.push(id);
                Ok(())
            }
            Err(other) => Err(other),
        }
    })?;
    damage.lost_rows = skipped.lost_rows;
    Ok((damage, max_clock))
}

/// Opens one stored envelope into `scratch` and returns its payload, borrowed from it, or
/// [`Error::CorruptRecord`] naming the record. The caller reuses `scratch` across records
/// and drops it (zeroized) at the end.
pub(super) fn open_in_place<'s>(
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    id: &RecordId,
    revision: u64,
    envelope: &[u8],
    scratch: &'s mut Zeroizing<Vec<u8>>,
) -> Result<Payload<'s>> {
    let context = record_context(journal_id, id, revision);
    let corrupt = || Error::CorruptRecord { id: id.to_string() };
    let range = keyring
        .open_record(envelope, &context, scratch)?
        .ok_or_else(corrupt)?;
    decode_payload(&scratch[range]).ok_or_else(corrupt)
}

fn read_one(
    conn: &rusqlite::Connection,
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    id: &RecordId,
) -> Result<Record> {
    let not_found = || Error::NotFound {
        what: "record",
        id: id.to_string(),
    };
    let (revision, envelope) = records::get(conn, &id.0)?.ok_or_else(not_found)?;
    let mut scratch = Zeroizing::new(Vec::new());
    let payload = open_in_place(keyring, journal_id, id, revision, &envelope, &mut scratch)?;
    if payload.flags & FLAG_TOMBSTONE != 0 {
        return Err(not_found());
    }
    Ok(RecordView::new(*id, revision, payload).to_record())
}

impl Journal {
    /// Runs `action` as one durable transaction: everything it writes commits together, or,
    /// if it returns an error, nothing does. Needs the journal unlocked. After a write that
    /// deleted or replaced a record, the write-ahead log is checkpointed and truncated so the
    /// old ciphertext does not linger in `-wal` (S11).
    pub fn write<T>(&self, action: impl FnOnce(&mut RecordWriter<'_>) -> Result<T>) -> Result<T> {
        self.write_tracked(action).map(|(value, _)| value)
    }

    /// Like [`Journal::write`], and also returns every record the transaction wrote or
    /// erased, in order (the same id may appear more than once; the last one counts), so a
    /// cache can follow without decrypting anything.
    pub fn write_tracked<T>(
        &self,
        action: impl FnOnce(&mut RecordWriter<'_>) -> Result<T>,
    ) -> Result<(T, Vec<Written>)> {
        self.write_tracked_here(action)
            .map_err(|e| super::explain_io(&self.path, e))
    }

    fn write_tracked_here<T>(
        &self,
        action: impl FnOnce(&mut RecordWriter<'_>) -> Result<T>,
    ) -> Result<(T, Vec<Written>)> {
        let seals_per_key = self.options().seals_per_key;
        let mut guard = self.state();
        let State {
            conn,
            journal_id,
            keyring,
            write,
            device,
            epoch,
            erase_pending,
            seal_budget,
            clock_floor_known,
            salvage: _,
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        let tx = crate::store::connection::begin_write(conn)?;
        let mut writer = RecordWriter {
            tx,
            keyring,
            journal_id: *journal_id,
            device: *device,
            write: *write,
            reserved_in_generation: 0,
            budget: *seal_budget,
            clock_floor_known: *clock_floor_known,
            seals_per_key,
            deleted: false,
            replaced: false,
            scratch: Zeroizing::new(Vec::new()),
            touched: Vec::new(),
        };
        let value = action(&mut writer)?;
        let Finished {
            erase,
            write: merged,
            budget,
            touched,
        } = writer.finish()?;
        *write = merged;
        *seal_budget = budget;
        *epoch += 1;
        if erase || *erase_pending {
            *erase_pending = !connection::checkpoint_truncate(conn)?;
        }
        Ok((value, touched))
    }

    /// Adds one record (one transaction); returns its new random id.
    pub fn insert_record(&self, kind: &str, body: &[u8]) -> Result<RecordId> {
        self.write(|w| w.insert(kind, body))
    }

    /// Creates or updates the record with `id` (one transaction); returns the revision
    /// written.
    pub fn put_record(&self, id: &RecordId, kind: &str, body: &[u8]) -> Result<u64> {
        self.write(|w| w.put(id, kind, body))
    }

    /// Erases a record: its row is deleted with `secure_delete` on and the write-ahead log is
    /// truncated, so its ciphertext does not stay on disk (S11). Not found is an error.
    pub fn delete_record(&self, id: &RecordId) -> Result<()> {
        let deleted = self.write(|w| w.delete(id))?;
        if deleted {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: "record",
                id: id.to_string(),
            })
        }
    }

    /// Reads and decrypts one record: [`Error::NotFound`] if there is none, and
    /// [`Error::CorruptRecord`] if it does not open.
    pub fn get_record(&self, id: &RecordId) -> Result<Record> {
        let mut guard = self.state();
        let State {
            conn,
            journal_id,
            keyring,
            ..
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        read_one(conn, keyring, journal_id, id)
    }

    /// Reads and decrypts every record, or only those of `kind`. Damaged records are listed
    /// in [`LoadedRecords::damage`] and skipped; they never stop the others loading.
    pub fn records(&self, kind: Option<&str>) -> Result<LoadedRecords> {
        let mut records = Vec::new();
        let damage = self.visit_records(|view| {
            if kind.is_none_or(|k| k == view.kind) {
                records.push(view.to_record());
            }
        })?;
        Ok(LoadedRecords {
            records,
            damaged: damage.records.clone(),
            damage,
        })
    }

    /// Decrypts every record in turn and shows it to `visit` without copying it out: the
    /// body lives in a buffer that is zeroized at the end. Returns what could not be read,
    /// which is skipped (S12): records that do not open, rows that are not records, rows on
    /// damaged pages of the file. This is the fast path for loading a whole journal into
    /// typed values: it reads the journal image and the rows written since it when there is
    /// one (see `journal::image`), and otherwise every row, storing a new image afterwards
    /// when nothing was damaged. [`Journal::scan_records`] always reads every row.
    pub fn visit_records(&self, mut visit: impl FnMut(RecordView<'_>)) -> Result<Damage> {
        let mut guard = self.state();
        let state = &mut *guard;
        let keyring = state.keyring.as_mut().ok_or(Error::Locked)?;
        let data_version = connection::data_version(&state.conn)?;
        let from_image = super::image::visit(&state.conn, keyring, &state.journal_id, &mut visit)?;
        let (damage, builder, max_clock) = match from_image {
            Some(read) => (read.damage, read.refresh, read.max_clock),
            None => {
                let mut builder = super::image::ImageBuilder::new();
                let (damage, max_clock) =
                    scan_after(&state.conn, keyring, &state.journal_id, i64::MIN, |view| {
                        builder.push(&view);
                        visit(view);
                    })?;
                (damage, Some(builder), max_clock)
            }
        };
        if damage.is_empty() {
            // Every row's stamp was seen: the clock is past them all (see `State`).
            state.write.clock = state.write.clock.max(max_clock);
            state.clock_floor_known = true;
        }
        if let Some(mut builder) = builder.filter(|_| damage.is_empty()) {
            super::image::store(
                state,
                self.options().seals_per_key,
                data_version,
                &mut builder,
                max_clock,
            )?;
        }
        Ok(damage)
    }

    /// Like [`Journal::visit_records`], but always decrypts every row of the file and never
    /// uses or stores the journal image: for checking the file itself.
    pub fn scan_records(&self, visit: impl FnMut(RecordView<'_>)) -> Result<Damage> {
        let mut guard = self.state();
        let state = &mut *guard;
        let keyring = state.keyring.as_mut().ok_or(Error::Locked)?;
        Ok(scan_after(&state.conn, keyring, &state.journal_id, i64::MIN, visit)?.0)
    }

    /// Rewrites, in one transaction, every row the journal image holds a good copy of that
    /// no longer opens (see `image::repair_covered`); returns how many. Run before anything
    /// that would lose such rows without going through a commit that repairs them (the
    /// re-sealing of a key rotation).
    pub(crate) fn repair_from_image(&self) -> Result<u64> {
        let ids = self.write(super::image::repair_covered)?;
        Ok(u64::try_from(ids.len()).unwrap_or(u64::MAX))
    }

    /// Checks the file itself: SQLite's structure check (`quick_check`), then every row
    /// decrypted (never the journal image, which can hide a damaged row until the rows are
    /// read again). Rows the image still holds a good copy of are first rewritten from it
    /// (counted in `repaired`); otherwise it changes nothing, and reports what it found.
    pub fn check(&self) -> Result<crate::FileCheck> {
        // First, rows the journal image still holds a good copy of are rewritten from it.
        let repaired = match self.repair_from_image() {
            Ok(n) => n,
            Err(Error::Locked) => return Err(Error::Locked),
            // A file that cannot be written now (read-only, damaged pages) is only checked.
            Err(_) => 0,
        };
        let structure_ok = {
            let state = self.state();
            let result: rusqlite::Result<String> =
                state
                    .conn
                    .query_row("PRAGMA quick_check", [], |row| row.get(0));
            match result {
                Ok(text) => text == "ok",
                Err(e) if records::is_damage(&e) => false,
                Err(e) => return Err(e.into()),
            }
        };
        let mut live = 0u64;
        let damage = self.scan_records(|_| live += 1)?;
        Ok(crate::FileCheck {
            records: live,
            damage,
            structure_ok,
            repaired,
        })
    }

    /// Every tombstone: what was deleted, when, and under which natural key. Damaged rows are
    /// skipped (`visit_records` reports them).
    pub(crate) fn visit_deletions(&self, mut visit: impl FnMut(Deletion)) -> Result<()> {
        let mut guard = self.state();
        let State {
            conn,
            journal_id,
            keyring,
            ..
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        let mut scratch = Zeroizing::new(Vec::new());
        records::for_each(conn, |scanned| {
            if let Scanned::Record {
                id,
                revision,
                envelope,
            } = scanned
            {
                let id = RecordId(id);
                match open_in_place(keyring, journal_id, &id, revision, envelope, &mut scratch) {
                    Ok(payload) if payload.flags & FLAG_TOMBSTONE != 0 => visit(Deletion {
                        id,
                        kind: payload.kind.to_owned(),
                        stamp: payload.stamp,
                        key: payload.body.to_vec(),
                    }),
                    Ok(_)
                    | Err(Error::CorruptRecord { .. })
                    | Err(Error::UnsupportedVersion { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
            Ok(())
        })?;
        Ok(())
    }

    /// How many records the journal holds (works while locked; reveals no kinds).
    pub fn record_count(&self) -> Result<u64> {
        records::count(&self.state().conn)
    }

    /// A stable record id for `key` in `namespace`, computed with a keyed HMAC so the same
    /// key always finds the same record while the file reveals nothing about the key (for
    /// example one check-in per local date). Needs the journal unlocked.
    pub fn lookup_id(&self, namespace: &str, key: &[u8]) -> Result<RecordId> {
        let mut state = self.state();
        lookup(state.keyring()?, namespace, key)
    }
}

pub(super) fn lookup(keyring: &mut Keyring, namespace: &str, key: &[u8]) -> Result<RecordId> {
    let tag = keyring.lookup_tag(namespace.as_bytes(), key)?;
    let mut id = [0u8; 16];
    id.copy_from_slice(&tag[..16]);
    Ok(RecordId(id))
}

#[cfg(test)]
mod tests {
    //! The write state is written only when it must be: a block of seals reserved, or a clock
    //! the rows cannot give back.
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{JournalOptions, KdfParams};
    use std::path::Path;

    const PASSPHRASE: &str = "correct horse battery staple";

    fn options() -> JournalOptions {
        JournalOptions {
            kdf: KdfParams::new(256, 1, 1).unwrap(),
            ..JournalOptions::default()
        }
    }

    fn reopen(path: &Path) -> Journal {
        let journal = Journal::open(path, options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        journal
    }

    /// The stored (generation, seals, clock).
    fn stored(path: &Path) -> (i64, i64, i64) {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT generation, seals, clock FROM write_state",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    }

    fn stamp_of(journal: &Journal, id: &RecordId) -> u64 {
        journal.get_record(id).unwrap().stamp.clock
    }

    #[test]
    fn seals_are_reserved_a_block_at_a_time_by_each_connection() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let (a, _) = Journal::create(&path, PASSPHRASE, options()).unwrap();
        a.records(None).unwrap();
        a.insert_record("note", b"first").unwrap();
        let (generation, seals, _) = stored(&path);
        for i in 0..20u8 {
            a.insert_record("note", &[i]).unwrap();
        }
        // 21 seals from the block reserved by the first insert: the count did not move.
        assert_eq!(stored(&path).0, generation);
        assert_eq!(stored(&path).1, seals);
        // A second connection reserves a block of its own on top.
        let b = reopen(&path);
        b.insert_record("note", b"second").unwrap();
        assert_eq!(stored(&path).1, seals + i64::try_from(SEAL_BLOCK).unwrap());
        // Every seal either made is within what the row counts.
        a.insert_record("note", b"third").unwrap();
        assert_eq!(stored(&path).1, seals + i64::try_from(SEAL_BLOCK).unwrap());
    }

    #[test]
    fn a_clock_the_row_lost_is_found_again_in_the_rows_and_the_image() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let (journal, _) = Journal::create(&path, PASSPHRASE, options()).unwrap();
        // A record brought in from a device whose clock runs an hour ahead, then deleted
        // here: the tombstone carries the highest stamp in the file.
        let ahead = physical_clock() + (3_600_000 << 16);
        let id = RecordId::random().unwrap();
        journal
            .write(|w| {
                w.put_stamped(
                    &id,
                    "note",
                    0,
                    Stamp {
                        clock: ahead,
                        device: 7,
                    },
                    b"from a fast device",
                )
            })
            .unwrap();
        journal.delete_record(&id).unwrap();
        drop(journal);
        // The row lags behind what was stamped (as after a crash before it was stored).
        let lagging = || {
            rusqlite::Connection::open(&path)
                .unwrap()
                .execute("UPDATE write_state SET clock = 0", [])
                .unwrap();
        };
        lagging();
        // A full read (every row: the delete erased any image) finds the clock again.
        let journal = reopen(&path);
        journal.records(None).unwrap();
        let after_scan = journal.insert_record("note", b"later").unwrap();
        assert!(stamp_of(&journal, &after_scan) > ahead);
        drop(journal);
        lagging();
        // So does one from the image that read made.
        let journal = reopen(&path);
        journal.records(None).unwrap();
        let after_image = journal.insert_record("note", b"later still").unwrap();
        assert!(stamp_of(&journal, &after_image) > stamp_of(&journal, &after_scan));
        // Without a full read, every commit stores its clock.
        drop(journal);
        let journal = reopen(&path);
        let unread = journal.insert_record("note", b"no read first").unwrap();
        assert_eq!(
            stored(&path).2,
            i64::try_from(stamp_of(&journal, &unread)).unwrap()
        );
    }
}
