//! The encrypted record repository (S7-S12).
//!
//! Each record is sealed under the record-content key of the current key generation with a
//! fresh random nonce; the seal counter is persisted in the same transaction as the record, and
//! when it reaches the journal's `seals_per_key` the next generation's key takes over (old
//! records stay readable under theirs). A record that fails to open is reported by id and
//! skipped; every other record still loads.
//!
//! Writes happen in [`Journal::write`]: one closure, one SQLite transaction, one durable
//! commit, so a user action made of several records lands whole or not at all (S13).

use super::{Journal, State};
use crate::crypto::keyring::Keyring;
use crate::error::{Error, Result};
use crate::record::{
    decode_payload, encode_payload, record_context, validate_kind, LoadedRecords, Record, RecordId,
};
use crate::store::{connection, records, settings};
use rusqlite::{Transaction, TransactionBehavior};
use zeroize::Zeroizing;

/// Writes records inside one transaction of [`Journal::write`].
pub struct RecordWriter<'a> {
    tx: Transaction<'a>,
    keyring: &'a mut Keyring,
    journal_id: [u8; 16],
    generation: u64,
    seals: u64,
    seals_per_key: u64,
    deleted: bool,
}

impl RecordWriter<'_> {
    fn seal(&mut self, id: &RecordId, revision: u64, kind: &str, body: &[u8]) -> Result<Vec<u8>> {
        let payload = encode_payload(kind, body)?;
        if self.seals >= self.seals_per_key {
            self.generation += 1;
            self.seals = 0;
        }
        let key_id = u32::try_from(self.generation)
            .map_err(|_| Error::Crypto("the key generation counter is exhausted"))?;
        let context = record_context(&self.journal_id, id, revision);
        let sealed = self.keyring.seal_record(key_id, &context, &payload)?;
        self.seals += 1;
        Ok(sealed)
    }

    /// Adds a new record with a fresh random id; returns the id.
    pub fn insert(&mut self, kind: &str, body: &[u8]) -> Result<RecordId> {
        let id = RecordId::random()?;
        let sealed = self.seal(&id, 1, kind, body)?;
        records::put(&self.tx, &id.0, 1, &sealed)?;
        Ok(id)
    }

    /// Writes a record under a chosen id: revision 1 if it is new, otherwise the next
    /// revision. Returns the revision written.
    pub fn put(&mut self, id: &RecordId, kind: &str, body: &[u8]) -> Result<u64> {
        validate_kind(kind)?;
        let revision = records::get(&self.tx, &id.0)?.map_or(1, |(rev, _)| rev + 1);
        let sealed = self.seal(id, revision, kind, body)?;
        records::put(&self.tx, &id.0, revision, &sealed)?;
        Ok(revision)
    }

    /// Reads a record as this transaction sees it.
    pub fn get(&mut self, id: &RecordId) -> Result<Record> {
        read_one(&self.tx, self.keyring, &self.journal_id, id)
    }

    /// Erases a record; false when there was none with that id.
    pub fn delete(&mut self, id: &RecordId) -> Result<bool> {
        let deleted = records::delete(&self.tx, &id.0)?;
        self.deleted |= deleted;
        Ok(deleted)
    }

    /// The same keyed lookup id as [`Journal::lookup_id`], usable inside a transaction.
    pub fn lookup_id(&mut self, namespace: &str, key: &[u8]) -> Result<RecordId> {
        lookup(self.keyring, namespace, key)
    }

    fn finish(self) -> Result<bool> {
        settings::set_u64(&self.tx, settings::KEY_GENERATION, self.generation)?;
        settings::set_u64(&self.tx, settings::SEALS, self.seals)?;
        self.tx.commit()?;
        Ok(self.deleted)
    }
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
    /// Its body; valid only inside the visit.
    pub body: &'a [u8],
}

impl std::fmt::Debug for RecordView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordView")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("revision", &self.revision)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Opens one stored envelope into `scratch` and returns its kind and body, borrowed from
/// it, or [`Error::CorruptRecord`] naming the record. The caller reuses `scratch` across
/// records and drops it (zeroized) at the end.
fn open_in_place<'s>(
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    id: &RecordId,
    revision: u64,
    envelope: &[u8],
    scratch: &'s mut Zeroizing<Vec<u8>>,
) -> Result<(&'s str, &'s [u8])> {
    let context = record_context(journal_id, id, revision);
    let corrupt = || Error::CorruptRecord { id: id.to_string() };
    let range = keyring
        .open_record(envelope, &context, scratch)?
        .ok_or_else(corrupt)?;
    decode_payload(&scratch[range]).ok_or_else(corrupt)
}

/// Opens one stored envelope into an owned record.
pub(super) fn open_row(
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    id: &RecordId,
    revision: u64,
    envelope: &[u8],
    scratch: &mut Zeroizing<Vec<u8>>,
) -> Result<Record> {
    let (kind, body) = open_in_place(keyring, journal_id, id, revision, envelope, scratch)?;
    Ok(Record {
        id: *id,
        kind: kind.to_owned(),
        revision,
        body: Zeroizing::new(body.to_vec()),
    })
}

fn read_one(
    conn: &rusqlite::Connection,
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    id: &RecordId,
) -> Result<Record> {
    let (revision, envelope) = records::get(conn, &id.0)?.ok_or_else(|| Error::NotFound {
        what: "record",
        id: id.to_string(),
    })?;
    open_row(
        keyring,
        journal_id,
        id,
        revision,
        &envelope,
        &mut Zeroizing::new(Vec::new()),
    )
}

impl Journal {
    /// Runs `action` as one durable transaction: everything it writes commits together, or,
    /// if it returns an error, nothing does. Needs the journal unlocked.
    pub fn write<T>(&self, action: impl FnOnce(&mut RecordWriter<'_>) -> Result<T>) -> Result<T> {
        let seals_per_key = self.options().seals_per_key;
        let mut guard = self.state();
        let State {
            conn,
            journal_id,
            keyring,
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let generation = settings::get_u64(&tx, settings::KEY_GENERATION)?;
        let seals = settings::get_u64(&tx, settings::SEALS)?;
        let mut writer = RecordWriter {
            tx,
            keyring,
            journal_id: *journal_id,
            generation,
            seals,
            seals_per_key,
            deleted: false,
        };
        let value = action(&mut writer)?;
        if writer.finish()? {
            connection::checkpoint_truncate(conn)?;
        }
        Ok(value)
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
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        read_one(conn, keyring, journal_id, id)
    }

    /// Reads and decrypts every record, or only those of `kind`. Damaged records are listed
    /// by id in [`LoadedRecords::damaged`] and skipped; they never stop the others loading.
    pub fn records(&self, kind: Option<&str>) -> Result<LoadedRecords> {
        let mut loaded = LoadedRecords::default();
        loaded.damaged = self.visit_records(|view| {
            if kind.is_none_or(|k| k == view.kind) {
                loaded.records.push(Record {
                    id: view.id,
                    kind: view.kind.to_owned(),
                    revision: view.revision,
                    body: Zeroizing::new(view.body.to_vec()),
                });
            }
        })?;
        Ok(loaded)
    }

    /// Decrypts every record in turn and shows it to `visit` without copying it out: the
    /// body lives in a scratch buffer that is reused for the next record and zeroized at the
    /// end. Returns the ids of damaged records, which are skipped (S12). This is the fast path
    /// for loading a whole journal into typed values.
    pub fn visit_records(&self, mut visit: impl FnMut(RecordView<'_>)) -> Result<Vec<RecordId>> {
        let mut guard = self.state();
        let State {
            conn,
            journal_id,
            keyring,
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        let mut damaged = Vec::new();
        let mut scratch = Zeroizing::new(Vec::new());
        records::for_each(conn, |raw_id, revision, envelope| {
            let id = RecordId(raw_id);
            match open_in_place(keyring, journal_id, &id, revision, envelope, &mut scratch) {
                Ok((kind, body)) => {
                    visit(RecordView {
                        id,
                        kind,
                        revision,
                        body,
                    });
                    Ok(())
                }
                Err(Error::CorruptRecord { .. }) | Err(Error::UnsupportedVersion { .. }) => {
                    damaged.push(id);
                    Ok(())
                }
                Err(other) => Err(other),
            }
        })?;
        Ok(damaged)
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

fn lookup(keyring: &mut Keyring, namespace: &str, key: &[u8]) -> Result<RecordId> {
    let tag = keyring.lookup_tag(namespace.as_bytes(), key)?;
    let mut id = [0u8; 16];
    id.copy_from_slice(&tag[..16]);
    Ok(RecordId(id))
}
