//! Creation is atomic (S19): a journal appears under its name only complete; what a crash or
//! an older build left half-made is recognised, replaced and removable; orphaned temporary
//! files are cleaned up.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::path::Path;
use std::time::{Duration, SystemTime};
use waymark_core::{Error, Journal};

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What an older build left when it was killed between creating the file and committing its
/// keys: the schema, no journal id, no key slot, no record.
fn older_builds_unfinished_journal(path: &Path) {
    let (journal, _) = Journal::create(path, PASSPHRASE, fast_options()).unwrap();
    drop(journal);
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DELETE FROM key_slots; DELETE FROM settings WHERE name = 'journal_id';
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
}

#[test]
fn a_failed_create_leaves_nothing_and_a_real_journal_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    assert!(Journal::create(&path, "short", fast_options()).is_err());
    assert!(
        names_in(dir.path()).is_empty(),
        "{:?}",
        names_in(dir.path())
    );

    let (journal, _) = Journal::create(&path, PASSPHRASE, fast_options()).unwrap();
    let id = journal.insert_record("note", b"mine").unwrap();
    assert_eq!(
        names_in(dir.path()),
        ["journal.db", "journal.db-shm", "journal.db-wal"]
    );
    assert!(matches!(
        Journal::create(&path, PASSPHRASE, fast_options()),
        Err(Error::AlreadyExists { .. })
    ));
    assert!(!Journal::is_unfinished(&path));
    assert!(matches!(
        Journal::remove_unfinished(&path),
        Err(Error::AlreadyExists { .. })
    ));
    assert_eq!(&journal.get_record(&id).unwrap().body[..], b"mine");
}

#[test]
fn an_unfinished_journal_is_recognised_replaced_by_create_and_removable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    older_builds_unfinished_journal(&path);
    assert!(Journal::is_unfinished(&path));
    assert!(matches!(
        Journal::open(&path, fast_options()),
        Err(Error::UnfinishedJournal { .. })
    ));
    // Creating again replaces it.
    let (journal, code) = Journal::create(&path, PASSPHRASE, fast_options()).unwrap();
    journal.lock();
    journal.unlock_with_recovery_code(&code.reveal()).unwrap();
    drop(journal);

    // An empty file (killed before SQLite wrote a byte) is unfinished too, and removable.
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(Journal::is_unfinished(&empty));
    Journal::remove_unfinished(&empty).unwrap();
    assert!(!empty.exists());
    // A file that is not a journal at all is left alone.
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, b"my notes").unwrap();
    assert!(!Journal::is_unfinished(&other));
    assert!(Journal::create(&other, PASSPHRASE, fast_options()).is_err());
    assert_eq!(std::fs::read(&other).unwrap(), b"my notes");
}

#[test]
fn a_journal_left_half_built_under_a_temporary_name_is_removed_by_the_next_create() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let stale = dir.path().join(".journal.db.creating-0badcafe");
    std::fs::write(&stale, b"half a journal").unwrap();
    std::fs::write(dir.path().join(".journal.db.creating-0badcafe-wal"), b"x").unwrap();
    let keep = dir.path().join(".other.db.creating-0badcafe");
    std::fs::write(&keep, b"another journal's").unwrap();
    Journal::create(&path, PASSPHRASE, fast_options()).unwrap();
    let names = names_in(dir.path());
    assert!(
        !names.iter().any(|n| n.starts_with(".journal.db.creating")),
        "{names:?}"
    );
    assert!(keep.exists(), "only this journal's leftovers are removed");
}

#[test]
fn an_orphaned_backup_temporary_is_cleaned_by_the_next_backup_to_that_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let orphan = backups.join(".monday.wmbackup.0123abcd.tmp");
    let fresh = backups.join(".tuesday.wmbackup.4567cdef.tmp");
    for file in [&orphan, &fresh] {
        std::fs::write(file, b"sealed bytes").unwrap();
    }
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(600))
        .unwrap();
    r.write_backup(
        &backups.join("wednesday.wmbackup"),
        "a long backup passphrase",
        &fast_options().kdf,
    )
    .unwrap();
    assert!(!orphan.exists(), "the crash's leftover is gone");
    assert!(
        fresh.exists(),
        "a temporary file in use right now is left alone"
    );
    assert!(backups.join("wednesday.wmbackup").exists());
}
