//! The `settings` table: the journal's id, this file's device id and the body format (and, in
//! schema 1 and 2 files, the key generation and seal counter that schema 3 moved to
//! `write_state`).
//!
//! None of these values is user data: the ids are random, the format and counters are
//! bookkeeping.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// The journal's random 16-byte id, bound into every key slot and record.
pub(crate) const JOURNAL_ID: &str = "journal_id";
/// Schema 1-2: the key generation new records are sealed under (now in `write_state`).
pub(crate) const KEY_GENERATION: &str = "key_generation";
/// Schema 1-2: how many seals the current key generation has made (now in `write_state`).
pub(crate) const SEALS: &str = "seals";
/// This journal file's random 8-byte device id, stamped on every write.
pub(crate) const DEVICE_ID: &str = "device_id";
/// The format of record bodies: 1 (JSON, Waymark 0.1) until the body migration, then 2.
pub(crate) const BODY_FORMAT: &str = "body_format";

/// Reads a raw setting, `None` when absent.
pub(crate) fn get(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT value FROM settings WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .optional()?)
}

/// Writes a raw setting.
pub(crate) fn set(conn: &Connection, name: &str, value: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        rusqlite::params![name, value],
    )?;
    Ok(())
}

/// Reads a setting stored as a big-endian `u64`.
pub(crate) fn get_u64(conn: &Connection, name: &str) -> Result<u64> {
    let bytes = get(conn, name)?.ok_or(Error::CorruptJournal {
        detail: "a journal setting is missing",
    })?;
    let array: [u8; 8] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| Error::CorruptJournal {
            detail: "a journal setting is malformed",
        })?;
    Ok(u64::from_be_bytes(array))
}

/// Writes a setting as a big-endian `u64`.
pub(crate) fn set_u64(conn: &Connection, name: &str, value: u64) -> Result<()> {
    set(conn, name, &value.to_be_bytes())
}

/// Reads the device id.
pub(crate) fn device_id(conn: &Connection) -> Result<u64> {
    let bytes = get(conn, DEVICE_ID)?.ok_or(Error::CorruptJournal {
        detail: "the device id is missing",
    })?;
    <[u8; 8]>::try_from(bytes.as_slice())
        .map(u64::from_be_bytes)
        .map_err(|_| Error::CorruptJournal {
            detail: "the device id is malformed",
        })
}

/// Reads the journal id.
pub(crate) fn journal_id(conn: &Connection) -> Result<[u8; 16]> {
    let bytes = get(conn, JOURNAL_ID)?.ok_or(Error::CorruptJournal {
        detail: "the journal id is missing",
    })?;
    bytes
        .as_slice()
        .try_into()
        .map_err(|_| Error::CorruptJournal {
            detail: "the journal id is malformed",
        })
}

/// The names of every setting starting with `prefix`.
pub(crate) fn names_with_prefix(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT name FROM settings WHERE substr(name, 1, ?2) = ?1")?;
    let names = statement
        .query_map(rusqlite::params![prefix, prefix.len() as i64], |row| {
            row.get::<_, String>(0)
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(names)
}

/// Removes a setting (absent is fine).
pub(crate) fn delete(conn: &Connection, name: &str) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE name = ?1", [name])?;
    Ok(())
}
