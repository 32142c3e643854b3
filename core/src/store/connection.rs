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
