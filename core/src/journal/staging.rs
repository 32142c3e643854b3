//! Creating a journal atomically (S19): it is built under a temporary name beside its final
//! path (`.NAME.creating-XXXXXXXX`), its keys committed, its connection closed and the file
//! fsynced; then it is linked into place under its name (never over an existing file) and
//! the folder is fsynced. A crash or a full disk at any point leaves either no journal under
//! the name or a complete one. A restore fills the journal before it is published, so a
//! half-restored journal never appears either.
//!
//! What an older build could leave behind (a file under the journal's name whose keys were
//! never committed) is recognised by [`Journal::is_unfinished`]: `create` replaces it, and
//! [`Journal::remove_unfinished`] removes it. Journals left half-built under a temporary name
//! by a crash are removed by the next `create` beside them.

use super::{wipe, Journal, State};
use crate::error::{Error, Result};
use crate::files::sync_dir;
use crate::store::connection::{self, Mode};
use rusqlite::OpenFlags;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The prefix of the temporary name a journal at `path` is built under.
fn staging_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.creating-")
}

/// The folder `path` is in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A fresh temporary name beside `path`.
pub(super) fn staging_path(path: &Path) -> Result<PathBuf> {
    let suffix = crate::record::RecordId::random()?.to_string();
    Ok(folder_of(path).join(format!("{}{}", staging_prefix(path), &suffix[..8])))
}

/// Removes journals a crash left half-built beside `path` (and their side files).
pub(super) fn remove_stale_staging(path: &Path) {
    let prefix = staging_prefix(path);
    let Ok(entries) = std::fs::read_dir(folder_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        // The database itself: `.NAME.creating-XXXXXXXX` (its -wal and -shm go with it).
        if rest.len() == 8 && rest.bytes().all(|b| b.is_ascii_hexdigit()) {
            let _ = wipe::remove_files(&entry.path());
        }
    }
}

impl Journal {
    /// True when the file at `path` is a journal whose creation never finished (a crash or a
    /// full disk while an older build created or restored it): no journal id or no key slot
    /// was ever committed, and it holds no record, so nothing in it can be opened or lost.
    /// False for anything else, including a file that is not a journal at all.
    pub fn is_unfinished(path: &Path) -> bool {
        match std::fs::metadata(path) {
            Ok(meta) if meta.len() == 0 => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
        let Ok(conn) = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) else {
            return false;
        };
        let count = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, i64>(0)).ok();
        let Some(tables) = count("SELECT count(*) FROM sqlite_master WHERE type = 'table'") else {
            return false;
        };
        if tables == 0 {
            return true;
        }
        let records = count("SELECT count(*) FROM records");
        let slots = count("SELECT count(*) FROM key_slots");
        let ids = count("SELECT count(*) FROM settings WHERE name = 'journal_id'");
        matches!(
            (records, slots, ids),
            (Some(0), Some(0), _) | (Some(0), _, Some(0))
        )
    }

    /// Removes an unfinished journal at `path` (see [`Journal::is_unfinished`]) with its side
    /// files. Refuses ([`Error::AlreadyExists`]) anything else: a journal that holds keys is
    /// removed only by [`Journal::wipe`].
    pub fn remove_unfinished(path: &Path) -> Result<()> {
        if !Journal::is_unfinished(path) {
            return Err(Error::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        wipe::remove_files(path)
    }

    /// Makes room for a new journal at `path`: an unfinished one there is removed, and so are
    /// half-built ones beside it; a real journal (or any other file) is
    /// [`Error::AlreadyExists`].
    pub(super) fn clear_the_way(path: &Path) -> Result<()> {
        if path.exists() {
            Journal::remove_unfinished(path)?;
        }
        remove_stale_staging(path);
        Ok(())
    }

    /// Moves a journal built under a temporary name into place at `target` (see the module
    /// docs) and returns it reopened there, still unlocked.
    pub(crate) fn publish(self, target: &Path) -> Result<Journal> {
        let staging = self.path.clone();
        let options = self.options;
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let State {
            conn,
            journal_id,
            keyring,
            write,
            device,
            epoch,
            erase_pending: _,
            seal_budget: _,
            clock_floor_known: _,
            salvage: _,
        } = state;
        let result = (|| {
            connection::checkpoint_truncate(&conn)?;
            conn.close().map_err(|(_, e)| Error::from(e))?;
            std::fs::File::open(&staging)
                .and_then(|f| f.sync_all())
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::StorageFull => Error::DiskFull,
                    _ => Error::io("saving the new journal", target, e),
                })?;
            link_into_place(&staging, target)?;
            sync_dir(folder_of(target));
            connection::open(target, Mode::Existing)
        })();
        match result {
            Ok(conn) => Ok(Journal {
                path: target.to_path_buf(),
                options,
                state: Mutex::new(State::new(
                    conn,
                    journal_id,
                    keyring,
                    write,
                    device,
                    epoch + 1,
                )),
            }),
            Err(e) => {
                let _ = wipe::remove_files(&staging);
                Err(super::explain_io(target, e))
            }
        }
    }
}

/// Gives `staging` the name `target` without ever replacing a file there: a hard link (which
/// fails if `target` exists), then the temporary name removed. Where hard links are not
/// supported, a rename after checking that `target` is free.
fn link_into_place(staging: &Path, target: &Path) -> Result<()> {
    match std::fs::hard_link(staging, target) {
        Ok(()) => {
            let _ = std::fs::remove_file(staging);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::AlreadyExists {
            path: target.to_path_buf(),
        }),
        Err(_) if !target.exists() => std::fs::rename(staging, target)
            .map_err(|e| Error::io("moving the new journal into place", target, e)),
        Err(_) => Err(Error::AlreadyExists {
            path: target.to_path_buf(),
        }),
    }
}
