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

/// One row of the `records` table as a scan meets it.
pub(crate) enum Scanned<'a> {
    /// A well-formed row.
    Record {
        id: [u8; 16],
        revision: u64,
        envelope: &'a [u8],
    },
    /// A row that is not a record (an id that is not 16 bytes, a revision that is not a
    /// positive integer, an envelope that is not a blob): a hostile or damaged file. The
    /// schema's checks keep them out of files Waymark wrote.
    Malformed { rowid: i64 },
}

/// What a scan had to step over in the file itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Row ids skipped to get past damaged pages: an upper bound on the records on them.
    pub(crate) lost_rows: u64,
}

/// A 16-byte blob (a record id, a token), or `None` for any other value.
pub(crate) fn blob_16(value: rusqlite::types::ValueRef<'_>) -> Option<[u8; 16]> {
    value
        .as_blob()
        .ok()
        .and_then(|blob| <[u8; 16]>::try_from(blob).ok())
}

/// Whether SQLite reports damage to the file itself (a corrupt page, not a database).
pub(crate) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// Calls `visit` with every row, in rowid order, streaming them from SQLite: the envelope is
/// borrowed from SQLite's row, so no list of all rows and no per-row buffer is built.
///
/// Damage stays small (S12): a malformed row is shown as [`Scanned::Malformed`] and the scan
/// goes on; a damaged page of the file (SQLite reports the database corrupt when the scan
/// reaches it) is stepped over by seeking to the first row id past it that can be read, so
/// only the rows on that page are lost ([`Skipped::lost_rows`]). An error `visit` returns
/// ends the scan.
pub(crate) fn for_each(
    conn: &Connection,
    visit: impl FnMut(Scanned<'_>) -> Result<()>,
) -> Result<Skipped> {
    for_each_after(conn, i64::MIN, visit)
}

/// [`for_each`] over the rows whose row id is above `after` (the rows added since then).
pub(crate) fn for_each_after(
    conn: &Connection,
    mut after: i64,
    mut visit: impl FnMut(Scanned<'_>) -> Result<()>,
) -> Result<Skipped> {
    let mut skipped = Skipped::default();
    // How far past a failing spot the next attempt starts: 1 while scans make progress,
    // doubled each time one fails before reading a row (a seek can find the next row that a
    // scan then cannot read), so a damaged file is left behind in at most 64 such attempts
    // and the scan always ends.
    let mut stride: i64 = 1;
    loop {
        let mut last = after;
        match scan_from(conn, after, &mut last, &mut visit) {
            Ok(()) => return Ok(skipped),
            Err(Stop::Visit(e)) => return Err(e),
            Err(Stop::Sqlite(e)) if !is_damage(&e) => return Err(e.into()),
            Err(Stop::Sqlite(_)) => {
                stride = if last == after {
                    stride.saturating_mul(2)
                } else {
                    1
                };
                let resume = match last.checked_add(stride - 1) {
                    Some(from) => resume_after(conn, from)?,
                    None => None,
                };
                match resume {
                    Some(resume) => {
                        // Row ids start at 1: a scan that failed before its first row lost
                        // at most the rows below `resume`.
                        skipped.lost_rows = skipped
                            .lost_rows
                            .saturating_add(resume.abs_diff(last.max(0)).max(1));
                        after = resume;
                    }
                    None => {
                        skipped.lost_rows = skipped.lost_rows.saturating_add(1);
                        return Ok(skipped);
                    }
                }
            }
        }
    }
}

/// Why a scan stopped early.
enum Stop {
    Visit(crate::error::Error),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Stop {
    fn from(e: rusqlite::Error) -> Self {
        Stop::Sqlite(e)
    }
}

/// Scans the rows after row id `after`, keeping `last` at the last row id visited.
fn scan_from(
    conn: &Connection,
    after: i64,
    last: &mut i64,
    visit: &mut impl FnMut(Scanned<'_>) -> Result<()>,
) -> std::result::Result<(), Stop> {
    let mut statement = conn.prepare_cached(
        "SELECT rowid, id, revision, envelope FROM records WHERE rowid > ?1 ORDER BY rowid",
    )?;
    let mut rows = statement.query([after])?;
    while let Some(row) = rows.next()? {
        let rowid: i64 = row.get(0)?;
        *last = rowid;
        let id = blob_16(row.get_ref(1)?);
        let revision = match row.get_ref(2)? {
            rusqlite::types::ValueRef::Integer(r) if r >= 1 => Some(revision_from_db(r)),
            _ => None,
        };
        let envelope = row.get_ref(3)?.as_blob().ok();
        let scanned = match (id, revision, envelope) {
            (Some(id), Some(revision), Some(envelope)) => Scanned::Record {
                id,
                revision,
                envelope,
            },
            _ => Scanned::Malformed { rowid },
        };
        visit(scanned).map_err(Stop::Visit)?;
    }
    Ok(())
}

/// Whether the first row after row id `x` can be read: `Some(true)` when it can, `Some(false)`
/// when there is none, `None` when the seek runs into damage.
fn readable_after(conn: &Connection, x: i64) -> Result<Option<bool>> {
    let found = conn
        .prepare_cached("SELECT rowid FROM records WHERE rowid > ?1 ORDER BY rowid LIMIT 1")?
        .query_row([x], |row| row.get::<_, i64>(0))
        .optional();
    match found {
        Ok(row) => Ok(Some(row.is_some())),
        Err(e) if is_damage(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The smallest row id past `last` from which a scan can go on (by galloping, then a binary
/// search); `None` when nothing readable follows. Each seek either runs into damage, finds
/// the next row, or finds none; the damaged stretch is a range of row ids, so at most about
/// 130 seeks find its end, wherever the row ids lie in the whole `i64` range.
fn resume_after(conn: &Connection, last: i64) -> Result<Option<i64>> {
    // Gallop from the last damaged spot until a seek no longer runs into damage.
    let mut bad = last;
    let mut step: i64 = 1;
    let past = loop {
        let x = bad.checked_add(step).unwrap_or(i64::MAX);
        match readable_after(conn, x)? {
            Some(_) => break x,
            None if x == i64::MAX => return Ok(None),
            None => {
                bad = x;
                step = step.saturating_mul(2);
            }
        }
    };
    // The first x in (bad, past] whose seek does not run into damage.
    let (mut lo, mut hi) = (bad, past);
    while i128::from(hi) - i128::from(lo) > 1 {
        let mid = i64::try_from((i128::from(lo) + i128::from(hi)) / 2).unwrap_or(hi);
        match readable_after(conn, mid)? {
            Some(_) => hi = mid,
            None => lo = mid,
        }
    }
    Ok(match readable_after(conn, hi)? {
        Some(true) => Some(hi),
        _ => None,
    })
}

/// Every well-formed record row, still sealed (rows a damaged page hides are left where they
/// are).
pub(crate) fn all(conn: &Connection) -> Result<Vec<RecordRow>> {
    let mut out = Vec::new();
    for_each(conn, |scanned| {
        if let Scanned::Record {
            id,
            revision,
            envelope,
        } = scanned
        {
            out.push(RecordRow {
                id,
                revision,
                envelope: envelope.to_vec(),
            });
        }
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

/// The ids of the rows whose row id is above `after` (rows that are not records are left to
/// [`for_each_after`] to report).
pub(crate) fn ids_after(conn: &Connection, after: i64) -> rusqlite::Result<Vec<[u8; 16]>> {
    let mut statement = conn.prepare_cached("SELECT id FROM records WHERE rowid > ?1")?;
    let mut rows = statement.query([after])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if let Some(id) = blob_16(row.get_ref(0)?) {
            out.push(id);
        }
    }
    Ok(out)
}

/// How many rows `records` holds (tombstones and unreadable rows included).
pub(crate) fn count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM records")?
        .query_row([], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The highest row id of `records` (`None` when it is empty).
pub(crate) fn last_rowid(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(rowid) FROM records")?
        .query_row([], |row| row.get(0))?)
}

/// Deletes a record row; false when there was none.
pub(crate) fn delete(conn: &Connection, id: &[u8; 16]) -> Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM records WHERE id = ?1")?
        .execute([&id[..]])?
        > 0)
}
