//! The `records` table: random id, revision, sealed envelope. Nothing else is stored per record.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// A stored record row, still sealed.
pub(crate) struct RecordRow {
    pub(crate) id: [u8; 16],
    pub(crate) revision: u64,
    pub(crate) envelope: Vec<u8>,
}

fn revision_from_db(value: i64) -> u64 {
    // The schema's CHECK keeps revisions at 1 or more.
    u64::try_from(value).unwrap_or(0)
}

fn revision_to_db(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// One record's revision and envelope.
pub(crate) fn get(conn: &Connection, id: &[u8; 16]) -> Result<Option<(u64, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT revision, envelope FROM records WHERE id = ?1",
            [&id[..]],
            |row| Ok((revision_from_db(row.get(0)?), row.get(1)?)),
        )
        .optional()?)
}

/// Every record row. Rows whose id is not 16 bytes cannot exist (the schema checks it).
pub(crate) fn all(conn: &Connection) -> Result<Vec<RecordRow>> {
    let mut statement = conn.prepare_cached("SELECT id, revision, envelope FROM records")?;
    let rows = statement.query_map([], |row| {
        let id: Vec<u8> = row.get(0)?;
        Ok((id, revision_from_db(row.get(1)?), row.get::<_, Vec<u8>>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, revision, envelope) = row?;
        if let Ok(id) = <[u8; 16]>::try_from(id.as_slice()) {
            out.push(RecordRow {
                id,
                revision,
                envelope,
            });
        }
    }
    Ok(out)
}

/// Inserts or replaces a record row.
pub(crate) fn put(conn: &Connection, id: &[u8; 16], revision: u64, envelope: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO records (id, revision, envelope) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, envelope = excluded.envelope",
    )?
    .execute(rusqlite::params![&id[..], revision_to_db(revision), envelope])?;
    Ok(())
}

/// Deletes a record row; false when there was none.
pub(crate) fn delete(conn: &Connection, id: &[u8; 16]) -> Result<bool> {
    Ok(conn.execute("DELETE FROM records WHERE id = ?1", [&id[..]])? > 0)
}

/// How many records the journal holds.
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM records", [], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
