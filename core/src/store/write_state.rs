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

fn from_db(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Reads the row.
pub(crate) fn load(conn: &Connection) -> Result<WriteState> {
    conn.query_row(
        "SELECT generation, seals, clock FROM write_state WHERE id = 1",
        [],
        |row| {
            Ok(WriteState {
                generation: from_db(row.get(0)?),
                seals: from_db(row.get(1)?),
                clock: from_db(row.get(2)?),
            })
        },
    )
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::CorruptJournal {
            detail: "the journal's write state is missing",
        },
        other => other.into(),
    })
}

/// The row, or, when its page of the file is damaged or the row is gone, a safe stand-in
/// rebuilt from what the records show: the next key generation after the newest any envelope
/// was sealed under (so no nonce budget is ever reused) and a clock of zero (the physical
/// clock takes over). Reads work on a journal in that state; a write tries to store the row
/// and reports the damage if it cannot.
pub(crate) fn load_or_rebuild(conn: &Connection) -> Result<WriteState> {
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
            Ok(WriteState {
                generation: newest.saturating_add(1),
                seals: 0,
                clock: 0,
            })
        }
        other => other,
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
    Ok(conn
        .prepare_cached(
            "UPDATE write_state SET
                 seals = CASE WHEN generation = ?1 THEN seals + ?2
                              WHEN generation < ?1 THEN ?3
                              ELSE seals END,
                 generation = max(generation, ?1),
                 clock = max(clock, ?4)
             WHERE id = 1
             RETURNING generation, seals, clock",
        )?
        .query_row(
            rusqlite::params![
                to_db(mine.generation),
                to_db(sealed_now),
                to_db(mine.seals),
                to_db(mine.clock)
            ],
            |row| {
                Ok(WriteState {
                    generation: from_db(row.get(0)?),
                    seals: from_db(row.get(1)?),
                    clock: from_db(row.get(2)?),
                })
            },
        )?)
}
