//! The `key_slots` table: one row per way to unlock the journal (S2).
//!
//! A row holds the slot's kind, a shell-chosen label, a random salt, the slot's public
//! parameters, the data key wrapped under the slot's key and a checksum. No row holds a
//! password hash: a slot proves a secret only by opening under AES-GCM.
//!
//! The checksum (schema 2) is an unkeyed SHA-256 over the journal id and every other column
//! of the row. It is not a defence against anyone who can write the file (they could
//! recompute it); it tells accidental damage (a flipped bit, a torn page, a damaged journal
//! id) apart from a wrong secret, so a damaged journal says "damaged" instead of "wrong
//! passphrase", and damaged parameters are refused before any key derivation runs.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// The kinds of key slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SlotKind {
    /// A passphrase stretched by Argon2id.
    Passphrase,
    /// The recovery code shown once at creation.
    RecoveryCode,
    /// A key held by the phone's key store (Android Keystore, iOS Keychain).
    Platform,
}

impl SlotKind {
    pub(crate) fn to_db(self) -> i64 {
        match self {
            SlotKind::Passphrase => 1,
            SlotKind::RecoveryCode => 2,
            SlotKind::Platform => 3,
        }
    }

    fn from_db(value: i64) -> Result<Self> {
        match value {
            1 => Ok(SlotKind::Passphrase),
            2 => Ok(SlotKind::RecoveryCode),
            3 => Ok(SlotKind::Platform),
            _ => Err(Error::CorruptJournal {
                detail: "a key slot has an unknown kind",
            }),
        }
    }

    /// The byte bound into a slot's associated data.
    pub(crate) fn tag(self) -> u8 {
        match self {
            SlotKind::Passphrase => 1,
            SlotKind::RecoveryCode => 2,
            SlotKind::Platform => 3,
        }
    }
}

/// A stored slot row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SlotRow {
    pub(crate) id: i64,
    pub(crate) kind: SlotKind,
    pub(crate) label: String,
    pub(crate) salt: Vec<u8>,
    pub(crate) params: Vec<u8>,
    pub(crate) wrapped_key: Vec<u8>,
    /// `None` only while a schema-1 file is being migrated.
    pub(crate) checksum: Option<Vec<u8>>,
}

impl SlotRow {
    /// True when the row's checksum matches its columns and `journal_id` (rows without one
    /// are trusted: only a file in the middle of its migration has them).
    pub(crate) fn is_intact(&self, journal_id: &[u8; 16]) -> bool {
        match &self.checksum {
            Some(stored) => {
                let expected = checksum(
                    journal_id,
                    self.kind.to_db(),
                    &self.label,
                    &self.salt,
                    &self.params,
                    &self.wrapped_key,
                );
                stored.as_slice() == expected.as_slice()
            }
            None => true,
        }
    }
}

/// The checksum of a slot row: SHA-256 over a label, the journal id and every column,
/// each length-prefixed, truncated to 16 bytes.
pub(crate) fn checksum(
    journal_id: &[u8; 16],
    kind: i64,
    label: &str,
    salt: &[u8],
    params: &[u8],
    wrapped_key: &[u8],
) -> [u8; 16] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(b"waymark slot checksum v1");
    context.update(journal_id);
    context.update(&kind.to_be_bytes());
    for part in [label.as_bytes(), salt, params, wrapped_key] {
        context.update(&(part.len() as u64).to_be_bytes());
        context.update(part);
    }
    let digest = context.finish();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest.as_ref()[..16]);
    out
}

const COLUMNS: &str = "SELECT id, kind, label, salt, params, wrapped_key, checksum FROM key_slots";

/// A slot row's columns as SQLite returns them, before the kind is checked.
type RawSlot = (i64, i64, String, Vec<u8>, Vec<u8>, Vec<u8>, Option<Vec<u8>>);

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawSlot> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn to_slot(raw: RawSlot) -> Result<SlotRow> {
    let (id, kind, label, salt, params, wrapped_key, checksum) = raw;
    Ok(SlotRow {
        id,
        kind: SlotKind::from_db(kind)?,
        label,
        salt,
        params,
        wrapped_key,
        checksum,
    })
}

/// Every slot, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<SlotRow>> {
    let mut statement = conn.prepare(&format!("{COLUMNS} ORDER BY id"))?;
    let rows = statement.query_map([], read_row)?;
    rows.map(|row| to_slot(row?)).collect()
}

/// One slot by id.
pub(crate) fn get(conn: &Connection, id: i64) -> Result<Option<SlotRow>> {
    conn.query_row(&format!("{COLUMNS} WHERE id = ?1"), [id], read_row)
        .optional()?
        .map(to_slot)
        .transpose()
}

/// Inserts a slot of the journal `journal_id` with its checksum and returns its id.
pub(crate) fn insert(
    conn: &Connection,
    journal_id: &[u8; 16],
    kind: SlotKind,
    label: &str,
    salt: &[u8],
    params: &[u8],
    wrapped_key: &[u8],
) -> Result<i64> {
    let sum = checksum(journal_id, kind.to_db(), label, salt, params, wrapped_key);
    conn.execute(
        "INSERT INTO key_slots (kind, label, salt, params, wrapped_key, checksum)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![kind.to_db(), label, salt, params, wrapped_key, &sum[..]],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Deletes a slot; false when there was none with that id.
pub(crate) fn delete(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM key_slots WHERE id = ?1", [id])? > 0)
}

/// How many slots the journal has.
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM key_slots", [], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
