//! Journals that can be read but not changed: a file cut short (shorter than its own header
//! says: a copy interrupted, a disk that lost its tail) or whose write state is damaged.
//!
//! Such a journal still opens, unlocks and reads every record that reads (the record scans
//! step over pages that are gone), so a backup saves all of it; every write is refused as
//! [`Error::CorruptJournal`] before it starts (`store::connection::begin_write`), and nothing
//! is ever written into the file, not even the journal image a full read would store.

use super::{Journal, JournalOptions, State};
use crate::error::{Error, Result};
use crate::store::{connection, schema, settings, write_state};
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;

/// Why a journal can only be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Salvage {
    /// The file is shorter than its header says: its last pages are gone.
    CutShort,
    /// SQLite refused the file's structure as it opened, though its pages are all there.
    Structure,
    /// The row that tracks the key generation and the seals made under it is missing or
    /// holds values no journal writes (so a write could reuse what it must not).
    WriteState,
}

impl Salvage {
    /// A stable name for machine-readable output: `cut_short`, `structure`, `write_state`.
    pub fn name(self) -> &'static str {
        match self {
            Salvage::CutShort => "cut_short",
            Salvage::Structure => "structure",
            Salvage::WriteState => "write_state",
        }
    }

    /// What is wrong, in a sentence for a person (no content of the journal).
    pub fn describe(self) -> &'static str {
        match self {
            Salvage::CutShort => "the file is shorter than it should be: its last pages are gone",
            Salvage::Structure => "the file's structure is damaged",
            Salvage::WriteState => "the part of the file that tracks its writes is damaged",
        }
    }
}

/// Whether the database file at `path` is shorter than the page count its header gives
/// (SQLite's header: page size at offset 16, page count at 28).
fn cut_short(path: &Path) -> bool {
    let mut header = [0u8; 32];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return false;
    };
    if file.read_exact(&mut header).is_err() {
        return false;
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    page_size > 0 && pages.saturating_mul(page_size) > len
}

impl Journal {
    /// Opens, for reading only, a journal SQLite refused as it opened (`refused` is what it
    /// said): with the file's own page count, never migrated, never written. `refused` comes
    /// back when even that finds no journal to read (no current schema, no journal id).
    pub(super) fn open_for_salvage(
        path: &Path,
        options: JournalOptions,
        refused: Error,
    ) -> Result<Journal> {
        let opened = (|| -> Result<Journal> {
            let conn = connection::open_salvage(path)?;
            if schema::stored_version(&conn)? != schema::SCHEMA_VERSION {
                return Err(connection::READ_ONLY_DAMAGE);
            }
            let journal_id = settings::journal_id(&conn)?;
            let (write, _) = write_state::load_or_rebuild(&conn)?;
            let device = settings::device_id(&conn)?;
            let why = if cut_short(path) {
                Salvage::CutShort
            } else {
                Salvage::Structure
            };
            let mut state = State::new(conn, journal_id, None, write, device, 0);
            state.salvage = Some(why);
            Ok(Journal {
                path: path.to_path_buf(),
                options,
                state: Mutex::new(state),
            })
        })();
        opened.map_err(|_| refused)
    }

    /// `Some` (and why) when this journal can be read but not changed: every write says
    /// [`Error::CorruptJournal`]; `Recovery::write_backup` saves every record that reads.
    pub fn salvage(&self) -> Option<Salvage> {
        self.state().salvage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_shorter_than_its_header_says_is_cut_short() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut bytes = vec![0u8; 4096 * 3];
        bytes[16..18].copy_from_slice(&4096u16.to_be_bytes());
        bytes[28..32].copy_from_slice(&3u32.to_be_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(!cut_short(&path));
        std::fs::write(&path, &bytes[..4096 * 2]).unwrap();
        assert!(cut_short(&path));
        std::fs::write(&path, &bytes[..20]).unwrap();
        assert!(!cut_short(&path));
    }
}
