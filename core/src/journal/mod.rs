//! The journal: one encrypted SQLite file that only its owner can open.
//!
//! A [`Journal`] is created with a passphrase (and shows a recovery code once), opened locked,
//! unlocked with any key slot, and locked again, which drops every key. It is `Send + Sync`:
//! each call takes an internal lock, so calls from several threads run one after another.
//! Calls that run Argon2id (creating, unlocking or changing a passphrase, rotating the data
//! key) take a few hundred milliseconds on purpose and must stay off a UI thread.
//!
//! The journal's methods are spread over small modules by concern: [`unlock`] (opening a
//! slot), [`key_slots`] (adding, removing and changing slots, rotating the data key),
//! [`records`] (the encrypted record repository) and [`wipe`].

mod bodies;
mod image;
#[cfg(all(test, target_os = "linux"))]
mod key_memory;
mod key_slots;
mod local_state;
mod records;
mod rekey;
mod salvage;
mod shared_keys;
mod slot_keys;
mod staging;
pub(crate) use slot_keys::validate_passphrase_for;
mod unlock;
mod wipe;

pub use bodies::{Upgraded, CURRENT_BODY_FORMAT};
pub use key_slots::{KeyRotation, KeySlot, NaturalKey, NewRecoveryCode};
pub(crate) use records::Stored;
pub use records::{RecordView, RecordWriter, Written};
pub use salvage::Salvage;
pub use shared_keys::JoinSecret;
pub(crate) use shared_keys::SharedSlots;
pub use slot_keys::{MAX_PASSPHRASE_BYTES, MIN_PASSPHRASE_CHARS};
pub(crate) use unlock::scrubbed as unlock_scrubbed;

use crate::crypto::kdf::KdfParams;
use crate::crypto::keyring::{DataKey, Keyring};
use crate::crypto::random_array;
use crate::crypto::recovery_code::RecoveryCode;
use crate::error::{Error, Result};
use crate::store::connection::{self, Mode};
use crate::store::write_state::{self, WriteState};
use crate::store::{schema, settings};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The number of seals after which new records move to a fresh content key. AES-GCM with
/// random nonces stays safe up to 2^32 seals per key; this rotates at 2^30, long before.
pub const DEFAULT_SEALS_PER_KEY: u64 = 1 << 30;

/// How a journal is created and opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalOptions {
    /// Argon2id parameters for new passphrase slots. A passphrase slot with weaker parameters
    /// is re-wrapped under these the next time its passphrase unlocks the journal.
    pub kdf: KdfParams,
    /// Seals per record-content key before the next key generation takes over (at most
    /// [`DEFAULT_SEALS_PER_KEY`]).
    pub seals_per_key: u64,
}

impl Default for JournalOptions {
    fn default() -> Self {
        JournalOptions {
            kdf: KdfParams::RECOMMENDED,
            seals_per_key: DEFAULT_SEALS_PER_KEY,
        }
    }
}

impl JournalOptions {
    fn validate(&self) -> Result<()> {
        if self.seals_per_key == 0 || self.seals_per_key > DEFAULT_SEALS_PER_KEY {
            return Err(Error::invalid(
                "seals per key",
                "must be between 1 and 2^30",
            ));
        }
        Ok(())
    }
}

/// What a journal holds behind its lock.
pub(crate) struct State {
    pub(crate) conn: Connection,
    pub(crate) journal_id: [u8; 16],
    pub(crate) keyring: Option<Keyring>,
    /// The write-state row as this connection last saw it (see `store::write_state`).
    pub(crate) write: WriteState,
    /// This journal file's device id, stamped on every write.
    pub(crate) device: u64,
    /// Grows with every lock, unlock and committed write through this object: a cache of
    /// decrypted content is valid only for the epoch it was built in.
    pub(crate) epoch: u64,
    /// Set when old content could not be moved out of `-wal` yet (a reader on another
    /// connection held an old snapshot): the next write, and the next lock, try again.
    pub(crate) erase_pending: bool,
    /// Seals this connection has reserved in `write.generation` and not made yet (S7: the
    /// stored counter is bumped a block at a time, so most commits leave the row alone).
    pub(crate) seal_budget: u64,
    /// Set once a full read has seen the stamp of every row (tombstones too) and moved
    /// `write.clock` past them: from then on a commit stores the clock only when it runs
    /// ahead of the physical clock, since the next open finds it again in the rows.
    pub(crate) clock_floor_known: bool,
    /// `Some` when the journal can only be read (see `journal::salvage`): the connection
    /// refuses every change, and nothing tries one on its own (checkpoints, key upgrades).
    pub(crate) salvage: Option<salvage::Salvage>,
}

impl State {
    /// A connection's state as it starts: nothing reserved, the clock floor not yet read.
    pub(crate) fn new(
        conn: Connection,
        journal_id: [u8; 16],
        keyring: Option<Keyring>,
        write: WriteState,
        device: u64,
        epoch: u64,
    ) -> State {
        State {
            conn,
            journal_id,
            keyring,
            write,
            device,
            epoch,
            erase_pending: false,
            seal_budget: 0,
            clock_floor_known: false,
            salvage: None,
        }
    }

    /// The keyring, or [`Error::Locked`].
    pub(crate) fn keyring(&mut self) -> Result<&mut Keyring> {
        self.keyring.as_mut().ok_or(Error::Locked)
    }

    /// Empties the write-ahead log into the database (S11), remembering when a reader on
    /// another connection kept it from finishing.
    pub(crate) fn erase_old_content(&mut self) -> Result<()> {
        if self.salvage.is_some() {
            return Ok(()); // nothing was written, and a checkpoint would write the file
        }
        self.erase_pending = !connection::checkpoint_truncate(&self.conn)?;
        Ok(())
    }
}

/// Turns SQLite's generic I/O error into [`Error::DiskFull`] when the folder of `path` has no
/// room left (some file systems report a full disk that way).
pub(crate) fn explain_io(path: &Path, e: Error) -> Error {
    let io = matches!(
        &e,
        Error::Database(db) if db.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
    );
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if io && crate::files::no_room_in(dir) {
        Error::DiskFull
    } else {
        e
    }
}

/// An open journal file, locked or unlocked.
pub struct Journal {
    path: PathBuf,
    options: JournalOptions,
    state: Mutex<State>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .field("unlocked", &self.is_unlocked())
            .finish()
    }
}

impl Journal {
    /// Creates a new journal at `path`, protected by `passphrase` and by a recovery code that
    /// is returned once and never stored in a readable form. The journal comes back unlocked.
    ///
    /// Fails with [`Error::AlreadyExists`] if a file is there, and with invalid input if the
    /// passphrase is shorter than [`MIN_PASSPHRASE_CHARS`]. Runs Argon2id: call it off the UI
    /// thread.
    ///
    /// ```
    /// use waymark_core::{Journal, JournalOptions, KdfParams};
    /// let dir = tempfile::tempdir()?;
    /// let options = JournalOptions { kdf: KdfParams::new(1024, 1, 1)?, ..Default::default() };
    /// let (journal, code) = Journal::create(&dir.path().join("j.db"), "correct horse", options)?;
    /// assert_eq!(code.reveal().len(), 35); // six groups of five, shown once
    /// let id = journal.insert_record("note", b"hello")?;
    /// journal.lock();
    /// assert!(journal.get_record(&id).is_err());
    /// journal.unlock_with_passphrase("correct horse")?;
    /// assert_eq!(&journal.get_record(&id)?.body[..], b"hello");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(
        path: &Path,
        passphrase: &str,
        options: JournalOptions,
    ) -> Result<(Journal, RecoveryCode)> {
        let (journal, code) =
            unlock::scrubbed(|| Journal::create_unpublished(path, passphrase, options))?;
        Ok((journal.publish(path)?, code))
    }

    /// Closes a journal made by `create_unpublished` that will not be published, and removes
    /// its files. Its key existed only in memory and goes with it, so nothing in the files
    /// could ever be opened; removing them is enough, and works on a full disk, where
    /// [`Journal::wipe`] (which writes first) could not.
    pub(crate) fn discard_unpublished(self) {
        let path = self.path.clone();
        drop(self);
        let _ = wipe::remove_files(&path);
    }

    /// Builds a new journal for `path` under a temporary name beside it (see `staging`):
    /// complete and unlocked, but not yet under its name. Fill it, then `publish` it; drop
    /// it (or wipe it) to leave nothing behind. An unfinished journal at `path` is replaced;
    /// a real one is [`Error::AlreadyExists`].
    pub(crate) fn create_unpublished(
        path: &Path,
        passphrase: &str,
        options: JournalOptions,
    ) -> Result<(Journal, RecoveryCode)> {
        options.validate()?;
        slot_keys::validate_new_passphrase(passphrase)?;
        Journal::clear_the_way(path)?;
        let staging = staging::staging_path(path)?;
        let mut conn =
            connection::open(&staging, Mode::Create).map_err(|e| explain_io(&staging, e))?;
        let built = Self::initialize(&mut conn, &staging, passphrase, &options)
            .map_err(|e| explain_io(&staging, e))
            .and_then(|(journal_id, data_key, code)| {
                let write = write_state::load(&conn)?;
                let device = settings::device_id(&conn)?;
                Ok((journal_id, data_key, code, write, device))
            });
        match built {
            Ok((journal_id, data_key, code, write, device)) => {
                let journal = Journal {
                    path: staging,
                    options,
                    state: Mutex::new(State::new(
                        conn,
                        journal_id,
                        Some(Keyring::new(data_key)),
                        write,
                        device,
                        1,
                    )),
                };
                Ok((journal, code))
            }
            Err(e) => {
                // The file is ours and holds nothing yet: leave no half-made journal behind.
                drop(conn);
                let _ = wipe::remove_files(&staging);
                Err(e)
            }
        }
    }

    fn initialize(
        conn: &mut Connection,
        path: &Path,
        passphrase: &str,
        options: &JournalOptions,
    ) -> Result<([u8; 16], DataKey, RecoveryCode)> {
        schema::migrate(conn, path)?;
        let journal_id: [u8; 16] = random_array()?;
        let data_key = DataKey::generate()?;
        let code = RecoveryCode::generate()?;
        let passphrase_slot = slot_keys::passphrase_slot(passphrase, &options.kdf, None)?;
        let recovery_slot = slot_keys::recovery_slot(&code)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Journal::begin(&tx, &journal_id)?;
        slot_keys::insert_verified(&tx, &journal_id, &passphrase_slot, &data_key)?;
        slot_keys::insert_verified(&tx, &journal_id, &recovery_slot, &data_key)?;
        tx.commit()?;
        Ok((journal_id, data_key, code))
    }

    /// Writes what every new journal starts with: its id and a fresh write state (first key
    /// generation, no seals, clock zero).
    pub(super) fn begin(tx: &rusqlite::Transaction<'_>, journal_id: &[u8; 16]) -> Result<()> {
        settings::set(tx, settings::JOURNAL_ID, journal_id)?;
        write_state::create(
            tx,
            WriteState {
                generation: 1,
                seals: 0,
                clock: 0,
            },
        )
    }

    /// Opens an existing journal, locked. Brings its schema up to date first (taking a copy
    /// before any migration); a journal from a newer Waymark is refused untouched with
    /// [`Error::UnsupportedVersion`].
    pub fn open(path: &Path, options: JournalOptions) -> Result<Journal> {
        // On a full disk SQLite cannot even make the shared-memory index it reads through:
        // that says "the disk is full", not "I/O error".
        Journal::open_here(path, options).map_err(|e| explain_io(path, e))
    }

    fn open_here(path: &Path, options: JournalOptions) -> Result<Journal> {
        options.validate()?;
        match Journal::open_whole(path, options) {
            // SQLite refused the file (cut short, a damaged structure): what still reads
            // opens for salvage.
            Err(refused @ Error::CorruptJournal { .. }) => {
                Journal::open_for_salvage(path, options, refused)
            }
            other => other,
        }
    }

    fn open_whole(path: &Path, options: JournalOptions) -> Result<Journal> {
        let mut conn = connection::open(path, Mode::Existing)?;
        schema::migrate(&mut conn, path)?;
        let journal_id = settings::journal_id(&conn).map_err(|e| {
            if Journal::is_unfinished(path) {
                Error::UnfinishedJournal {
                    path: path.to_path_buf(),
                }
            } else {
                e
            }
        })?;
        let (write, rebuilt) = write_state::load_or_rebuild(&conn)?;
        let device = settings::device_id(&conn)?;
        let mut state = State::new(conn, journal_id, None, write, device, 0);
        if rebuilt {
            connection::refuse_writes(&state.conn)?;
            state.salvage = Some(Salvage::WriteState);
        }
        Ok(Journal {
            path: path.to_path_buf(),
            options,
            state: Mutex::new(state),
        })
    }

    /// Where the journal file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The Argon2id cost this journal uses for new passphrase slots (and the shells use for
    /// backups written from it).
    pub fn kdf_params(&self) -> KdfParams {
        self.options.kdf
    }

    /// True while a key is held (after an unlock and before [`Journal::lock`]).
    pub fn is_unlocked(&self) -> bool {
        self.state().keyring.is_some()
    }

    /// Drops the data key and every key derived from it; they are zeroized as they drop. The
    /// journal stays open and can be unlocked again.
    pub fn lock(&self) {
        let mut state = self.state();
        state.keyring = None;
        crate::crypto::keyring::scrub_stack();
        state.epoch += 1;
        // Whatever an edit replaced leaves `-wal` now, if a reader kept it there (S11). A
        // failure here changes nothing stored; the next write tries again.
        let _ = state.erase_old_content();
    }

    /// A number that changes with every lock, unlock and write through this object (not
    /// through other connections: see [`Journal::data_version`]). Caches of decrypted content
    /// compare it to know they are still current.
    pub fn epoch(&self) -> u64 {
        self.state().epoch
    }

    /// SQLite's `data_version`: changes when another connection (another process, another
    /// `Journal` on the same file) commits. With [`Journal::epoch`] it tells a cache whether
    /// anything it holds may be stale.
    pub fn data_version(&self) -> Result<i64> {
        Ok(connection::data_version(&self.state().conn)?)
    }

    /// The format of record bodies in this file: 1 for JSON bodies written by Waymark 0.1 that
    /// have not been moved yet, 2 once every record is in the tagged format.
    pub fn body_format(&self) -> Result<u64> {
        settings::get_u64(&self.state().conn, settings::BODY_FORMAT)
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32> {
        schema::stored_version(&self.state().conn)
    }

    /// Takes the journal's lock. A panic in another thread cannot leave SQLite half-written
    /// (its transaction rolls back when dropped), so a poisoned lock is safe to take over.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn options(&self) -> &JournalOptions {
        &self.options
    }
}
