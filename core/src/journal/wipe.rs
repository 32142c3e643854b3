//! Wiping a journal (S17): every key slot destroyed, then every file overwritten and removed.
//!
//! First, inside SQLite, every slot, record and setting is deleted with `secure_delete` on and
//! the write-ahead log truncated, so the database is consistent and keyless even if the rest
//! is interrupted. Then the database file is overwritten with zeros in place and synced, so a
//! hard link, an open handle or a block-level copy taken afterwards holds nothing that opens.
//! Finally the database, its `-wal` and `-shm` files and any pre-migration copy are removed.
//!
//! Flash storage may keep stale blocks the file system no longer maps; no app can reach
//! those. What protects them is that every byte ever written was ciphertext under a data key
//! that now exists nowhere.

use super::Journal;
use crate::error::{Error, Result};
use crate::store::connection::{self, sidecar_paths};
use crate::store::schema::{backup_path, SCHEMA_VERSION};
use std::io::Write;
use std::path::Path;

impl Journal {
    /// Destroys the journal: every key slot, every record, and the files. Works locked or
    /// unlocked (a person who forgot every secret can still start over). Irreversible.
    pub fn wipe(self) -> Result<()> {
        let path = self.path.clone();
        let state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut conn = state.conn;
        // A journal that can only be read (cut short, damaged) is not emptied row by row:
        // its file is overwritten whole below.
        if state.salvage.is_none() {
            let tx = connection::begin_write(&mut conn)?;
            tx.execute_batch("DELETE FROM key_slots; DELETE FROM records; DELETE FROM settings;")?;
            crate::store::image::erase(&tx)?;
            tx.commit()?;
            connection::checkpoint_truncate(&conn)?;
        }
        conn.close().map_err(|(_, e)| Error::from(e))?;
        overwrite_with_zeros(&path)?;
        remove_files(&path)
    }
}

fn overwrite_with_zeros(path: &Path) -> Result<()> {
    let action = "overwriting the journal file";
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::io(action, path, e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::io(action, path, e))?
        .len();
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])
            .map_err(|e| Error::io(action, path, e))?;
        left -= n as u64;
    }
    file.sync_all().map_err(|e| Error::io(action, path, e))
}

/// Removes the journal file, its SQLite side files and any pre-migration copies. Files that
/// are already gone are fine.
pub(crate) fn remove_files(path: &Path) -> Result<()> {
    let mut paths = vec![path.to_path_buf()];
    paths.extend(sidecar_paths(path));
    paths.extend((1..=SCHEMA_VERSION).map(|v| backup_path(path, v)));
    let mut bodies_copy = path.as_os_str().to_owned();
    bodies_copy.push(".v3-bodies.backup");
    paths.push(std::path::PathBuf::from(bodies_copy));
    for p in paths {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("removing a journal file", &p, e)),
        }
    }
    Ok(())
}
