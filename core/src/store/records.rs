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
        .prepare_cached("SELECT revision, envelope FROM records WHERE id = ?1")?
        .query_row([&id[..]], |row| {
            Ok((revision_from_db(row.get(0)?), row.get(1)?))
        })
        .optional()?)
}

/// One record's revision, without its envelope.
pub(crate) fn revision(conn: &Connection, id: &[u8; 16]) -> Result<Option<u64>> {
    Ok(conn
        .prepare_cached("SELECT revision FROM records WHERE id = ?1")?
        .query_row([&id[..]], |row| Ok(revision_from_db(row.get(0)?)))
        .optional()?)
}

/// Calls `visit(id, revision, envelope)` with every record row, streaming them from SQLite:
/// the envelope is borrowed from SQLite's row, so no list of all rows and no per-row buffer
/// is built. Rows whose id is not 16 bytes cannot exist (the schema checks it) and are
/// skipped.
pub(crate) fn for_each(
    conn: &Connection,
    mut visit: impl FnMut([u8; 16], u64, &[u8]) -> Result<()>,
) -> Result<()> {
    let mut statement = conn.prepare_cached("SELECT id, revision, envelope FROM records")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let Ok(id) = row
            .get_ref(0)?
            .as_blob()
            .map_err(|_| ())
            .and_then(|blob| <[u8; 16]>::try_from(blob).map_err(|_| ()))
        else {
            continue;
        };
        let revision = revision_from_db(row.get(1)?);
        let envelope = row.get_ref(2)?.as_blob().unwrap_or_default();
        visit(id, revision, envelope)?;
    }
    Ok(())
}

/// Every record row, still sealed.
pub(crate) fn all(conn: &Connection) -> Result<Vec<RecordRow>> {
    let mut out = Vec::new();
    for_each(conn, |id, revision, envelope| {
        out.push(RecordRow {
            id,
            revision,
            envelope: envelope.to_vec(),
        });
        Ok(())
    })?;
    Ok(out)
}

/// Inserts or replaces a record row.
pub(crate) fn put(conn: &Connection, id: &[u8; 16], revision: u64, envelope: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO records (id, revision, envelope) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, envelope = excluded.envelope",
    )?
    .execute(rusqlite::params![
        &id[..],
        revision_to_db(revision),
        envelope
    ])?;
    Ok(())
}

/// Deletes a record row; false when there was none.
pub(crate) fn delete(conn: &Connection, id: &[u8; 16]) -> Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM records WHERE id = ?1")?
        .execute([&id[..]])?
        > 0)
}

/// How many records the journal holds.
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM records", [], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
