//! Metadata privacy and erasure (S10, S11, S17): the database and every file beside it hold
//! no text a person wrote, no dates, nothing that tells a lapse from a check-in; deleted
//! records leave no ciphertext behind; a wiped journal leaves nothing that opens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use waymark_core::{Error, Journal};

const MARKERS: [&str; 4] = [
    "MARKER-relapse-at-the-bar-7f3a",
    "MARKER-craving-tag-loneliness-91c2",
    "2026-11-25T23:41",
    "2026-02-29",
];

fn body_with_markers(i: usize) -> Vec<u8> {
    format!(
        "{{\"note\":\"{}\",\"tag\":\"{}\",\"at\":\"{}\",\"day\":\"{}\",\"n\":{i}}}",
        MARKERS[0], MARKERS[1], MARKERS[2], MARKERS[3]
    )
    .into_bytes()
}

fn assert_no_markers(dir: &std::path::Path) {
    for marker in MARKERS {
        assert_eq!(
            occurrences_in_dir(dir, marker.as_bytes()),
            0,
            "found {marker:?} in {:?}",
            files_in(dir)
        );
    }
    for kind in ["check_in", "lapse", "relapse", "trigger"] {
        assert_eq!(
            occurrences_in_dir(dir, kind.as_bytes()),
            0,
            "found kind {kind:?}"
        );
    }
}

#[test]
fn no_marker_or_date_reaches_any_file_after_writes_while_open_and_after_close() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    for i in 0..40 {
        let kind = ["check_in", "lapse", "relapse", "trigger"][i % 4];
        journal.insert_record(kind, &body_with_markers(i)).unwrap();
    }
    // While the journal is open, the -wal and -shm files exist and hold the recent writes.
    let sidecars: Vec<_> = files_in(dir.path());
    assert!(sidecars
        .iter()
        .any(|p| p.to_string_lossy().ends_with("-wal")));
    assert_no_markers(dir.path());
    drop(journal);
    assert_no_markers(dir.path());
    let journal = Journal::open(&path, fast_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(journal.records(None).unwrap().records.len(), 40);
    assert_no_markers(dir.path());
}

#[test]
fn no_marker_remains_after_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let ids: Vec<_> = (0..10)
        .map(|i| {
            journal
                .insert_record("lapse", &body_with_markers(i))
                .unwrap()
        })
        .collect();
    for id in &ids {
        journal.delete_record(id).unwrap();
    }
    assert_no_markers(dir.path());
    drop(journal);
    assert_no_markers(dir.path());
}

#[test]
fn a_deleted_record_leaves_none_of_its_ciphertext_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let keep = journal.insert_record("note", b"keep").unwrap();
    let gone = journal
        .insert_record("lapse", &body_with_markers(1))
        .unwrap();
    let blob = raw_blobs(&path)
        .into_iter()
        .find(|(id, _, _)| id.as_slice() == gone.as_bytes())
        .unwrap()
        .2;
    // Any 32-byte window of the ciphertext is unique on disk; look for three of them.
    let probes = [&blob[18..50], &blob[200..232], &blob[blob.len() - 32..]];
    for probe in probes {
        assert!(occurrences_in_dir(dir.path(), probe) >= 1);
    }
    journal.delete_record(&gone).unwrap();
    for probe in probes {
        assert_eq!(
            occurrences_in_dir(dir.path(), probe),
            0,
            "ciphertext left on disk"
        );
    }
    // What stays is a tombstone under the same random id: a new envelope of the same padded
    // size holding the kind and the deletion's version, no content (issue "sync": a merge
    // must know it was deleted).
    let tombstone = raw_blobs(&path)
        .into_iter()
        .find(|(id, _, _)| id.as_slice() == gone.as_bytes())
        .unwrap()
        .2;
    assert_eq!(tombstone.len(), blob.len());
    assert!(matches!(
        journal.get_record(&gone),
        Err(waymark_core::Error::NotFound { .. })
    ));
    assert_eq!(&journal.get_record(&keep).unwrap().body[..], b"keep");
}

#[test]
fn an_edit_leaves_none_of_the_old_ciphertext_on_disk_while_another_connection_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    // The app's normal state: the journal stays open, and so does another connection (a
    // widget, a second window) that reads now and then.
    let other = Journal::open(&path, fast_options()).unwrap();
    other.unlock_with_passphrase(PASSPHRASE).unwrap();
    let id = journal
        .insert_record("check_in", &body_with_markers(1))
        .unwrap();
    assert_eq!(other.records(None).unwrap().records.len(), 1);
    let old = raw_blobs(&path)
        .into_iter()
        .find(|(row, _, _)| row.as_slice() == id.as_bytes())
        .unwrap()
        .2;
    let probes = [&old[18..50], &old[old.len() - 32..]];
    for probe in probes {
        assert!(occurrences_in_dir(dir.path(), probe) >= 1);
    }
    journal
        .put_record(&id, "check_in", &body_with_markers(2))
        .unwrap();
    assert_eq!(other.records(None).unwrap().records.len(), 1);
    for probe in probes {
        assert_eq!(
            occurrences_in_dir(dir.path(), probe),
            0,
            "the replaced envelope is still on disk"
        );
    }
    // Locking leaves nothing in the log either.
    journal.lock();
    other.lock();
    let wal = std::fs::metadata(dir.path().join("journal.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "-wal is empty after lock");
}

#[test]
fn a_lapse_and_a_check_in_are_the_same_size_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    journal
        .insert_record("lapse", br#"{"date":"2026-11-20","note":"slipped"}"#)
        .unwrap();
    journal
        .insert_record(
            "check_in",
            br#"{"date":"2026-11-21","mood":4,"craving":2,"halt":["tired"],"intention":"call my sponsor after work"}"#,
        )
        .unwrap();
    let sizes: Vec<usize> = raw_blobs(&path).iter().map(|(_, _, b)| b.len()).collect();
    assert_eq!(sizes.len(), 2);
    assert_eq!(sizes[0], sizes[1]);
}

#[test]
fn a_wiped_journal_is_gone_and_a_hard_link_to_its_old_file_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, code, path) = new_journal(dir.path());
    journal
        .insert_record("lapse", &body_with_markers(0))
        .unwrap();
    let slot_blob = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let blob: Vec<u8> = conn
            .query_row("SELECT wrapped_key FROM key_slots LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        blob
    };
    // A second name for the same file, as a snapshot tool or a thief's hard link would keep.
    let old_copy = dir.path().join("old-copy.db");
    std::fs::hard_link(&path, &old_copy).unwrap();
    journal.wipe().unwrap();

    assert!(!path.exists());
    let leftovers: Vec<_> = files_in(dir.path())
        .into_iter()
        .filter(|p| *p != old_copy)
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    assert_eq!(occurrences_in_dir(dir.path(), &slot_blob[18..50]), 0);
    match Journal::open(&old_copy, fast_options()) {
        Ok(journal) => {
            assert!(journal.unlock_with_passphrase(PASSPHRASE).is_err());
            assert!(journal.unlock_with_recovery_code(&code.reveal()).is_err());
        }
        Err(Error::CorruptJournal { .. }) => {}
        Err(other) => panic!("unexpected error opening the old copy: {other:?}"),
    }
}

#[test]
fn a_locked_journal_can_be_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    drop(journal);
    let journal = Journal::open(&path, fast_options()).unwrap();
    journal.wipe().unwrap();
    assert!(files_in(dir.path()).is_empty());
}
