//! The schema and its numbered migrations, tracked in SQLite's `user_version` (S14).
//!
//! Rules every migration run keeps:
//! - a file newer than this build is refused with [`Error::UnsupportedVersion`], untouched;
//! - before an existing journal is migrated, a consistent copy is taken with `VACUUM INTO`
//!   beside it (`<journal>.v<N>.backup`), never a file copy of a live database;
//! - all pending migrations run in one transaction, together with the new `user_version`;
//! - a failure rolls the transaction back and leaves both the journal and the copy in place:
//!   nothing is ever wiped because a migration failed;
//! - the copy is removed only after the migrated journal commits and passes `quick_check`
//!   (an old copy would otherwise keep old key slots, and so an old passphrase, alive).
//!
//! Version 1 is the first released schema. A fixture journal of each released version lives in
//! `core/tests/fixtures/` and must keep opening with identical content.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

/// One step from `version - 1` to `version`.
pub(crate) struct Migration {
    /// The schema version this step produces.
    pub(crate) version: u32,
    /// Applies the step inside the migration transaction.
    pub(crate) apply: fn(&Transaction<'_>) -> Result<()>,
}

/// Every migration, in order. Append only; never edit a released step.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        apply: v1_initial,
    },
    Migration {
        version: 2,
        apply: v2_slot_checksums,
    },
    Migration {
        version: 3,
        apply: v3_write_state,
    },
    Migration {
        version: 4,
        apply: v4_image,
    },
];

/// The newest schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 4;

fn v1_initial(tx: &Transaction<'_>) -> Result<()> {
    Ok(tx.execute_batch(
        "CREATE TABLE settings (
             name  TEXT PRIMARY KEY NOT NULL,
             value BLOB NOT NULL
         );
         -- kind: 1 passphrase, 2 recovery code, 3 platform key.
         -- label: a name the shell gives a platform slot (never user text).
         -- params: Argon2 parameters (passphrase) or the platform-wrapped slot key (platform).
         CREATE TABLE key_slots (
             id          INTEGER PRIMARY KEY,
             kind        INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
             label       TEXT NOT NULL DEFAULT '',
             salt        BLOB NOT NULL,
             params      BLOB NOT NULL,
             wrapped_key BLOB NOT NULL
         );
         -- Every record, whatever its kind: a random id, a revision, and the sealed envelope.
         -- The kind, the dates and the text are inside the envelope.
         CREATE TABLE records (
             id       BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
             revision INTEGER NOT NULL CHECK (revision >= 1),
             envelope BLOB NOT NULL
         );",
    )?)
}

/// Version 2: a checksum per key slot, so damage reads as damage and not as a wrong secret
/// (see `store::slots`). Existing rows get theirs computed from what they hold now.
fn v2_slot_checksums(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch("ALTER TABLE key_slots ADD COLUMN checksum BLOB;")?;
    let journal_id: Option<Vec<u8>> = tx
        .query_row(
            "SELECT value FROM settings WHERE name = 'journal_id'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    let Some(journal_id) = journal_id.and_then(|id| <[u8; 16]>::try_from(id).ok()) else {
        // A file whose creation never finished has no slots to protect.
        return Ok(());
    };
    for row in super::slots::all(tx)? {
        let sum = super::slots::checksum(
            &journal_id,
            row.kind.to_db(),
            &row.label,
            &row.salt,
            &row.params,
            &row.wrapped_key,
        );
        tx.execute(
            "UPDATE key_slots SET checksum = ?1 WHERE id = ?2",
            rusqlite::params![&sum[..], row.id],
        )?;
    }
    Ok(())
}

/// Version 3: the key generation, the seal counter and the write clock in one row written
/// once per transaction (`store::write_state`), a random device id for this journal file
/// (stamped on every write, for merging between devices), and the body format: existing
/// journals keep format 1 (JSON bodies) until their first unlock moves every record to
/// format 2 (tagged bodies, `recovery::stored`), which needs the keys and so cannot happen
/// here.
fn v3_write_state(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "CREATE TABLE write_state (
             id         INTEGER PRIMARY KEY CHECK (id = 1),
             generation INTEGER NOT NULL,
             seals      INTEGER NOT NULL,
             clock      INTEGER NOT NULL
         );",
    )?;
    let stored = |name: &str| -> Result<Option<u64>> {
        Ok(super::settings::get(tx, name)?
            .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
            .map(u64::from_be_bytes))
    };
    let generation = stored(super::settings::KEY_GENERATION)?.unwrap_or(1).max(1);
    let seals = stored(super::settings::SEALS)?.unwrap_or(0);
    super::write_state::create(
        tx,
        super::write_state::WriteState {
            generation,
            seals,
            clock: 0,
        },
    )?;
    tx.execute(
        "DELETE FROM settings WHERE name IN (?1, ?2)",
        [super::settings::KEY_GENERATION, super::settings::SEALS],
    )?;
    let device: [u8; 8] = crate::crypto::random_array()?;
    super::settings::set(tx, super::settings::DEVICE_ID, &device)?;
    let has_journal = super::settings::get(tx, super::settings::JOURNAL_ID)?.is_some();
    let format = if has_journal { 1u64 } else { 2 };
    super::settings::set_u64(tx, super::settings::BODY_FORMAT, format)?;
    Ok(())
}

/// Version 4: the journal image (`store::image`), every live record in one sealed row, so
/// an open reads one row and the few written after it, and in `write_state` the token of the
/// current image (an older image put back is not current). Existing journals start without
/// one; the first full read makes it.
fn v4_image(tx: &Transaction<'_>) -> Result<()> {
    Ok(tx.execute_batch(
        "ALTER TABLE write_state ADD COLUMN image_token BLOB;
         -- covers: the highest row id of records the image holds; token: random, bound into
         -- the seal with covers.
         CREATE TABLE image (
             id       INTEGER PRIMARY KEY CHECK (id = 1),
             covers   INTEGER NOT NULL,
             token    BLOB NOT NULL,
             envelope BLOB NOT NULL
         );",
    )?)
}

/// The schema version stored in the file (0 for a new, empty file).
pub(crate) fn stored_version(conn: &Connection) -> Result<u32> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(super::connection::not_a_journal)?;
    u32::try_from(version).map_err(|_| Error::CorruptJournal {
        detail: "the schema version is negative",
    })
}

/// Where the pre-migration copy of a journal at `path` from schema `version` goes.
pub(crate) fn backup_path(path: &Path, version: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".v{version}.backup"));
    PathBuf::from(name)
}

/// Brings the database up to the newest schema.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    run_migrations(conn, path, MIGRATIONS)
}

/// Runs `migrations` (sorted by version) on the database at `path`.
pub(crate) fn run_migrations(
    conn: &mut Connection,
    path: &Path,
    migrations: &[Migration],
) -> Result<()> {
    let latest = migrations.last().map_or(0, |m| m.version);
    let current = stored_version(conn)?;
    if current > latest {
        return Err(Error::UnsupportedVersion {
            what: "journal schema",
            found: current,
            supported: latest,
        });
    }
    if current == latest {
        return Ok(());
    }
    if current == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |row| row.get(0),
        )?;
        if tables > 0 {
            return Err(Error::CorruptJournal {
                detail: "the file is a database but not a Waymark journal",
            });
        }
    }
    let backup = (current > 0).then(|| backup_path(path, current));
    if let Some(backup) = &backup {
        take_copy(conn, backup)?;
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for migration in migrations.iter().filter(|m| m.version > current) {
        (migration.apply)(&tx)?;
    }
    tx.pragma_update(None, "user_version", latest)?;
    tx.commit()?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(Error::CorruptJournal {
            detail: "the journal failed its integrity check after migrating; the pre-migration copy was kept",
        });
    }
    if let Some(backup) = &backup {
        remove_copy(backup)?;
    }
    Ok(())
}

fn take_copy(conn: &Connection, backup: &Path) -> Result<()> {
    if backup.exists() {
        // A copy left by an earlier, failed run: the journal itself was never changed by that
        // run (its transaction rolled back), so a fresh copy of it is at least as good.
        remove_copy(backup)?;
    }
    let target = backup.to_str().ok_or_else(|| {
        Error::invalid(
            "journal path",
            "must be valid UTF-8 to take a migration copy",
        )
    })?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

fn remove_copy(backup: &Path) -> Result<()> {
    std::fs::remove_file(backup)
        .map_err(|e| Error::io("removing the pre-migration copy", backup, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2_add_table(tx: &Transaction<'_>) -> Result<()> {
        Ok(tx.execute_batch("CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (7);")?)
    }

    fn v2_fails(tx: &Transaction<'_>) -> Result<()> {
        Ok(tx.execute_batch("CREATE TABLE extra (x INTEGER); INSERT INTO nowhere VALUES (1);")?)
    }

    fn v1_journal(dir: &Path) -> (Connection, PathBuf) {
        let path = dir.join("journal.db");
        let mut conn =
            super::super::connection::open(&path, super::super::connection::Mode::Create).unwrap();
        run_migrations(&mut conn, &path, &MIGRATIONS[..1]).unwrap();
        conn.execute("INSERT INTO settings VALUES ('marker', x'01')", [])
            .unwrap();
        (conn, path)
    }

    #[test]
    fn a_successful_migration_copies_first_then_removes_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = v1_journal(dir.path());
        let steps = [
            Migration {
                version: 1,
                apply: v1_initial,
            },
            Migration {
                version: 2,
                apply: v2_add_table,
            },
        ];
        run_migrations(&mut conn, &path, &steps).unwrap();
        assert_eq!(stored_version(&conn).unwrap(), 2);
        let x: i64 = conn
            .query_row("SELECT x FROM extra", [], |r| r.get(0))
            .unwrap();
        assert_eq!(x, 7);
        assert!(!backup_path(&path, 1).exists());
    }

    #[test]
    fn a_failed_migration_changes_nothing_and_keeps_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = v1_journal(dir.path());
        let steps = [
            Migration {
                version: 1,
                apply: v1_initial,
            },
            Migration {
                version: 2,
                apply: v2_fails,
            },
        ];
        assert!(run_migrations(&mut conn, &path, &steps).is_err());
        assert_eq!(stored_version(&conn).unwrap(), 1);
        let marker: Vec<u8> = conn
            .query_row(
                "SELECT value FROM settings WHERE name = 'marker'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(marker, vec![1]);
        let copy = Connection::open(backup_path(&path, 1)).unwrap();
        let marker: Vec<u8> = copy
            .query_row(
                "SELECT value FROM settings WHERE name = 'marker'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(marker, vec![1]);
    }

    #[test]
    fn a_newer_file_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = v1_journal(dir.path());
        conn.pragma_update(None, "user_version", 9).unwrap();
        match migrate(&mut conn, &path) {
            Err(Error::UnsupportedVersion {
                found: 9,
                supported: 4,
                ..
            }) => {}
            other => panic!("expected unsupported version, got {other:?}"),
        }
        assert_eq!(stored_version(&conn).unwrap(), 9);
    }
}
