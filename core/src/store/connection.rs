//! Opening the SQLite file with the pragmas the security and durability rules require.
//!
//! - `journal_mode=WAL` and `synchronous=FULL`: a commit is durable once it returns (S13).
//! - `secure_delete=ON`: deleted content is overwritten with zeros, not left in free pages (S11).
//! - `temp_store=MEMORY`: sorts and temporary tables never reach a temp file on disk (S10/S11).
//! - `trusted_schema=OFF` and `cell_size_check=ON`: a damaged or hostile file is treated
//!   cautiously and detected early.

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// How long a call waits for another connection's write lock before giving up.
const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Whether the file must already exist.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Create a new file; fails if one exists.
    Create,
    /// Open an existing file.
    Existing,
}

/// The files SQLite keeps beside a database at `path`: the write-ahead log and shared memory.
pub(crate) fn sidecar_paths(path: &Path) -> [PathBuf; 2] {
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with_suffix("-wal"), with_suffix("-shm")]
}

/// Opens (or creates) the database at `path` and applies the pragmas.
pub(crate) fn open(path: &Path, mode: Mode) -> Result<Connection> {
    let exists = path.exists();
    match mode {
        Mode::Create if exists => {
            return Err(Error::AlreadyExists {
                path: path.to_path_buf(),
            })
        }
        Mode::Existing if !exists => {
            return Err(Error::NoJournal {
                path: path.to_path_buf(),
            })
        }
        _ => {}
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode == Mode::Create {
        // Owner-only before SQLite sees it: its -wal and -shm inherit these permissions.
        crate::files::create_private_file(path)?;
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    apply_pragmas(&conn).map_err(not_a_journal)?;
    Ok(conn)
}

/// Opens the existing database at `path` for salvage: reading only. `writable_schema` lets
/// SQLite open a file shorter than its header says (it reads the pages that are there, and
/// a page past the end reads as damage, which the record scans step over); `query_only`
/// refuses every change at SQLite's level, so nothing is ever written into such a file. No
/// memory map: pages past the end of a cut-short file are never mapped.
pub(crate) fn open_salvage(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::NoJournal {
            path: path.to_path_buf(),
        });
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    restore_busy_timeout(&conn)?;
    conn.execute_batch(
        "PRAGMA writable_schema=ON;
         PRAGMA query_only=ON;
         PRAGMA trusted_schema=OFF;
         PRAGMA cell_size_check=ON;
         PRAGMA temp_store=MEMORY;",
    )?;
    Ok(conn)
}

/// Makes `conn` refuse every change from now on (a journal opened for salvage).
pub(crate) fn refuse_writes(conn: &Connection) -> Result<()> {
    Ok(conn.execute_batch("PRAGMA query_only=ON")?)
}

/// What every write to a journal that can only be read says.
pub(crate) const READ_ONLY_DAMAGE: Error = Error::CorruptJournal {
    detail: "it can still be read but not changed",
};

/// Begins a write transaction (taking the write lock at once): the one way every write to a
/// journal starts, so a journal opened for salvage refuses it, as damage, before anything.
pub(crate) fn begin_write(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    let refused: bool = conn
        .prepare_cached("PRAGMA query_only")?
        .query_row([], |row| row.get(0))?;
    if refused {
        return Err(READ_ONLY_DAMAGE);
    }
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// The pragmas every journal connection runs after switching to WAL. Public so the store
/// benchmark gives its plaintext baseline exactly the same connection settings, and the
/// measured ratio is the cost of encryption alone.
///
/// `mmap_size` lets SQLite read pages straight from the OS page cache instead of copying
/// each one through `read()`; it changes nothing on disk.
pub const SQLITE_PRAGMAS: &str = "PRAGMA synchronous=FULL;
     PRAGMA secure_delete=ON;
     PRAGMA temp_store=MEMORY;
     PRAGMA trusted_schema=OFF;
     PRAGMA cell_size_check=ON;
     PRAGMA foreign_keys=ON;
     PRAGMA mmap_size=268435456;";

fn apply_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    restore_busy_timeout(conn)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidQuery);
    }
    conn.execute_batch(SQLITE_PRAGMAS)
}

/// SQLite's `data_version` for `conn`: it changes when another connection commits. A
/// cached statement, since every warm read and write asks.
pub(crate) fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("PRAGMA data_version")?
        .query_row([], |row| row.get(0))
}

/// Sets the busy timeout back to the journal's usual wait (after a step that must not wait).
pub(crate) fn restore_busy_timeout(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)))
}

/// Turns SQLite's "file is not a database" into a journal-level error a person understands.
pub(crate) fn not_a_journal(e: rusqlite::Error) -> Error {
    Error::from(e)
}

/// Moves every committed page from the write-ahead log into the database and truncates the
/// log to zero bytes, so deleted or replaced content does not linger in `-wal` (S11).
/// SQLite waits (the busy timeout) for readers on other connections to finish; returns false
/// when one still held an old snapshot, so the log could not be emptied yet (the caller
/// tries again after its next write, and on lock).
pub(crate) fn checkpoint_truncate(conn: &Connection) -> Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
    Ok(busy == 0)
}
