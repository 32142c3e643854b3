//! The `write_state` row (schema 3): the record-key generation, how many seals it has made,
//! and the last hybrid-clock value stamped on a write. None of it is user data.
//!
//! A journal caches the row while it is open and writes it back once per transaction, with
//! one statement that merges what this connection did into what is stored (another process
//! may have written too) and returns the result: seals made under the same generation add
//! up, a newer generation wins, and the clock only moves forward.

use crate::error::{Error, Result};
use rusqlite::Connection;

/// The cached row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WriteState {
    /// The key generation new records are sealed under.
    pub(crate) generation: u64,
    /// Seals made under that generation (S7).
    pub(crate) seals: u64,
    /// The last hybrid-clock value stamped on a record.
    pub(crate) clock: u64,
}

fn to_db(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// What a damaged or impossible row says.
const DAMAGED: Error = Error::CorruptJournal {
    detail: "the journal's write state is damaged",
};

/// The row's values, if they are ones a journal writes: integers, a key generation from 1
/// to `u32::MAX` (generations are key ids), no negative count or clock. Anything else (text,
/// a fraction, a null, a value out of range) is damage.
fn checked(row: &rusqlite::Row<'_>) -> Result<WriteState> {
    use rusqlite::types::ValueRef;
    let int = |i: usize| -> Result<u64> {
        match row.get_ref(i)? {
            ValueRef::Integer(n) => u64::try_from(n).map_err(|_| DAMAGED),
            _ => Err(DAMAGED),
        }
    };
    let generation = int(0)?;
    if generation == 0 || generation > u64::from(u32::MAX) {
        return Err(DAMAGED);
    }
    Ok(WriteState {
        generation,
        seals: int(1)?,
        clock: int(2)?,
    })
}

/// Reads the row; [`Error::CorruptJournal`] when it is missing or holds values no journal
/// writes.
pub(crate) fn load(conn: &Connection) -> Result<WriteState> {
    let mut statement =
        conn.prepare("SELECT generation, seals, clock FROM write_state WHERE id = 1")?;
    let mut rows = statement.query([])?;
    match rows.next()? {
        Some(row) => checked(row),
        None => Err(Error::CorruptJournal {
            detail: "the journal's write state is missing",
        }),
    }
}

/// The row, or, when its page of the file is damaged or the row is gone, a safe stand-in
/// rebuilt from what the records show: the next key generation after the newest any envelope
/// was sealed under (so no nonce budget is ever reused) and a clock of zero (the physical
/// clock takes over). True beside it when it was rebuilt: the journal can then be read but
/// not written (see `journal::salvage`).
pub(crate) fn load_or_rebuild(conn: &Connection) -> Result<(WriteState, bool)> {
    match load(conn) {
        Err(Error::CorruptJournal { .. }) => {
            let mut newest = 0u64;
            super::records::for_each(conn, |scanned| {
                if let super::records::Scanned::Record { envelope, .. } = scanned {
                    if let Ok(parsed) = crate::crypto::envelope::Envelope::parse(envelope) {
                        newest = newest.max(u64::from(parsed.key_id));
                    }
                }
                Ok(())
            })?;
            Ok((
                WriteState {
                    generation: newest.saturating_add(1),
                    seals: 0,
                    clock: 0,
                },
                true,
            ))
        }
        other => other.map(|state| (state, false)),
    }
}

/// Creates the row (a new journal, or the schema-3 migration).
pub(crate) fn create(conn: &Connection, state: WriteState) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO write_state (id, generation, seals, clock) VALUES (1, ?1, ?2, ?3)",
        rusqlite::params![
            to_db(state.generation),
            to_db(state.seals),
            to_db(state.clock)
        ],
    )?;
    Ok(())
}

/// Replaces the row outright (rotating the data key starts a generation afresh).
pub(crate) fn replace(conn: &Connection, state: WriteState) -> Result<()> {
    create(conn, state)
}

/// Merges what a transaction did (`mine`: the generation it ended on, the seals it made in
/// that generation, its last clock) into the stored row, in one statement, and returns the
/// row as stored.
pub(crate) fn merge(conn: &Connection, mine: WriteState, sealed_now: u64) -> Result<WriteState> {
    let mut statement = conn.prepare_cached(
        "UPDATE write_state SET
             seals = CASE WHEN generation = ?1 THEN seals + ?2
                          WHEN generation < ?1 THEN ?3
                          ELSE seals END,
             generation = max(generation, ?1),
             clock = max(clock, ?4)
         WHERE id = 1
         RETURNING generation, seals, clock",
    )?;
    let mut rows = statement.query(rusqlite::params![
        to_db(mine.generation),
        to_db(sealed_now),
        to_db(mine.seals),
        to_db(mine.clock)
    ])?;
    // A row another process damaged since this one opened is damage here too.
    match rows.next()? {
        Some(row) => checked(row),
        None => Err(Error::CorruptJournal {
            detail: "the journal's write state is missing",
        }),
    }
}
