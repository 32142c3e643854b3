//! Schema versions (S14): a journal written by every released schema version opens with
//! identical decrypted content; a journal from a newer Waymark, or a file that is not a
//! journal, is refused with a typed error and left untouched.
//!
//! `fixtures/journal-v1.db` was written by schema version 1 with [`write_v1_fixture`] (run it
//! with `--ignored` only to make a new fixture for a new version, never to replace one).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::path::{Path, PathBuf};
use waymark_core::{Error, Journal, SCHEMA_VERSION};

const V1_PASSPHRASE: &str = "fixture passphrase, schema v1";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The content the v1 fixture holds: (kind, revision, body).
fn v1_content() -> Vec<(String, u64, Vec<u8>)> {
    vec![
        (
            "check_in".into(),
            2,
            br#"{"date":"2026-11-24","mood":4,"craving":3,"intention":"walk after dinner"}"#
                .to_vec(),
        ),
        (
            "journey".into(),
            1,
            br#"{"name":"alcohol","sober_since":"2026-01-02","zone":"Europe/Berlin"}"#.to_vec(),
        ),
        (
            "lapse".into(),
            1,
            br#"{"date":"2026-06-14","kind":"lapse","note":"wedding, open bar"}"#.to_vec(),
        ),
        (
            "reflection".into(),
            1,
            "{\"learned\":\"ask for help earlier — é ü 日本\"}"
                .as_bytes()
                .to_vec(),
        ),
        ("note".into(), 1, vec![0u8; 5000]),
    ]
}

fn copy_fixture(name: &str, dir: &Path) -> PathBuf {
    let target = dir.join(name);
    std::fs::copy(fixtures().join(name), &target).unwrap();
    target
}

fn decrypted(journal: &Journal) -> Vec<(String, u64, Vec<u8>)> {
    let loaded = journal.records(None).unwrap();
    assert!(loaded.damaged.is_empty());
    let mut out: Vec<_> = loaded
        .records
        .into_iter()
        .map(|r| (r.kind, r.revision, r.body.to_vec()))
        .collect();
    out.sort();
    out
}

#[test]
#[ignore = "writes a new fixture; run only when a schema version is released"]
fn write_v1_fixture() {
    assert_eq!(
        SCHEMA_VERSION, 1,
        "this writer makes the version 1 fixture only"
    );
    let path = fixtures().join("journal-v1.db");
    let _ = std::fs::remove_file(&path);
    let (journal, code) = Journal::create(&path, V1_PASSPHRASE, fast_options()).unwrap();
    for (kind, revision, body) in v1_content() {
        let id = journal.insert_record(&kind, b"first revision").unwrap();
        for _ in 1..revision {
            journal.put_record(&id, &kind, &body).unwrap();
        }
        if revision == 1 {
            journal.delete_record(&id).unwrap();
            journal.put_record(&id, &kind, &body).unwrap();
        }
    }
    let deleted = journal
        .insert_record("note", b"deleted before the fixture was saved")
        .unwrap();
    journal.delete_record(&deleted).unwrap();
    drop(journal);
    std::fs::write(
        fixtures().join("journal-v1.recovery-code.txt"),
        code.reveal().as_bytes(),
    )
    .unwrap();
}

#[test]
fn the_schema_v1_fixture_opens_with_identical_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture("journal-v1.db", dir.path());
    let journal = Journal::open(&path, fast_options()).unwrap();
    assert_eq!(journal.schema_version().unwrap(), SCHEMA_VERSION);
    journal.unlock_with_passphrase(V1_PASSPHRASE).unwrap();
    let mut expected = v1_content();
    expected.sort();
    assert_eq!(decrypted(&journal), expected);

    journal.lock();
    let code = std::fs::read_to_string(fixtures().join("journal-v1.recovery-code.txt")).unwrap();
    journal.unlock_with_recovery_code(code.trim()).unwrap();
    assert_eq!(decrypted(&journal), expected);

    // It keeps working as a journal: new records, a new passphrase.
    journal
        .insert_record("note", b"written by a newer build")
        .unwrap();
    journal
        .change_passphrase(V1_PASSPHRASE, "a newer passphrase")
        .unwrap();
    drop(journal);
    let journal = Journal::open(&path, fast_options()).unwrap();
    journal
        .unlock_with_passphrase("a newer passphrase")
        .unwrap();
    assert_eq!(
        journal.records(None).unwrap().records.len(),
        expected.len() + 1
    );
}

#[test]
fn a_journal_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    drop(journal);
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    match Journal::open(&path, fast_options()) {
        Err(Error::UnsupportedVersion {
            what,
            found,
            supported,
        }) => {
            assert_eq!(
                (what, found, supported),
                ("journal schema", SCHEMA_VERSION + 1, SCHEMA_VERSION)
            );
        }
        other => panic!("expected unsupported version, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn files_that_are_not_journals_are_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x42u8; 8192]).unwrap();
    assert!(matches!(
        Journal::open(&garbage, fast_options()),
        Err(Error::CorruptJournal { .. })
    ));
    assert_eq!(std::fs::read(&garbage).unwrap(), vec![0x42u8; 8192]);

    let other_db = dir.path().join("other.db");
    rusqlite::Connection::open(&other_db)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    assert!(matches!(
        Journal::open(&other_db, fast_options()),
        Err(Error::CorruptJournal { .. })
    ));
}
