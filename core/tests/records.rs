//! The encrypted record repository (S7-S9, S12): revisions, associated-data binding, key
//! generations, keyed lookups, and damage that stays inside the record it hit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use waymark_core::{Error, Journal, JournalOptions, RecordId};

fn set_blob(path: &std::path::Path, id: &[u8], revision: Option<i64>, blob: &[u8]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    match revision {
        Some(rev) => conn.execute(
            "UPDATE records SET envelope = ?1, revision = ?2 WHERE id = ?3",
            rusqlite::params![blob, rev, id],
        ),
        None => conn.execute(
            "UPDATE records SET envelope = ?1 WHERE id = ?2",
            rusqlite::params![blob, id],
        ),
    }
    .unwrap();
}

fn blob_of(path: &std::path::Path, id: &RecordId) -> (i64, Vec<u8>) {
    raw_blobs(path)
        .into_iter()
        .find(|(raw, _, _)| raw.as_slice() == id.as_bytes())
        .map(|(_, rev, blob)| (rev, blob))
        .unwrap()
}

#[test]
fn records_round_trip_with_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let id = journal.insert_record("check_in", b"mood 4").unwrap();
    let record = journal.get_record(&id).unwrap();
    assert_eq!((record.kind.as_str(), record.revision), ("check_in", 1));
    assert_eq!(journal.put_record(&id, "check_in", b"mood 5").unwrap(), 2);
    let record = journal.get_record(&id).unwrap();
    assert_eq!((&record.body[..], record.revision), (&b"mood 5"[..], 2));
    let fixed = RecordId::from_bytes([7; 16]);
    assert_eq!(journal.put_record(&fixed, "note", b"chosen id").unwrap(), 1);
    journal.insert_record("lapse", b"slip").unwrap();

    let checkins = journal.records(Some("check_in")).unwrap();
    assert_eq!(checkins.records.len(), 1);
    assert_eq!(journal.records(None).unwrap().records.len(), 3);
    assert_eq!(journal.record_count().unwrap(), 3);

    journal.delete_record(&id).unwrap();
    assert!(matches!(
        journal.get_record(&id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        journal.delete_record(&id),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn bad_kinds_and_oversized_bodies_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let id = journal.insert_record("note", b"keep me").unwrap();
    for kind in ["", "Capital", "has space", &"x".repeat(33)] {
        match journal.put_record(&id, kind, b"new") {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "record kind"),
            other => panic!("expected invalid kind, got {other:?}"),
        }
    }
    let huge = vec![0u8; 256 * 1024 + 1];
    assert!(matches!(
        journal.put_record(&id, "note", &huge),
        Err(Error::InvalidInput {
            field: "record body",
            ..
        })
    ));
    let record = journal.get_record(&id).unwrap();
    assert_eq!((&record.body[..], record.revision), (&b"keep me"[..], 1));
}

#[test]
fn a_failed_action_rolls_back_every_write_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let result: Result<(), Error> = journal.write(|w| {
        w.insert("attempt", b"end of attempt")?;
        w.insert("lapse", b"a slip")?;
        Err(Error::invalid("lapse date", "must not be in the future"))
    });
    assert!(result.is_err());
    assert_eq!(journal.record_count().unwrap(), 0);
    let ids = journal
        .write(|w| Ok((w.insert("attempt", b"a")?, w.insert("lapse", b"b")?)))
        .unwrap();
    assert_eq!(journal.record_count().unwrap(), 2);
    assert_eq!(&journal.get_record(&ids.1).unwrap().body[..], b"b");
}

#[test]
fn a_blob_swapped_to_another_row_fails_to_open() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let a = journal.insert_record("lapse", b"row a").unwrap();
    let b = journal.insert_record("lapse", b"row b").unwrap();
    let (_, blob_a) = blob_of(&path, &a);
    set_blob(&path, b.as_bytes(), None, &blob_a);
    match journal.get_record(&b) {
        Err(Error::CorruptRecord { id }) => assert_eq!(id, b.to_string()),
        other => panic!("expected corrupt record, got {other:?}"),
    }
    let loaded = journal.records(None).unwrap();
    assert_eq!(loaded.damaged, vec![b]);
    assert_eq!(loaded.records.len(), 1);
    assert_eq!(&journal.get_record(&a).unwrap().body[..], b"row a");
}

#[test]
fn an_older_revision_restored_fails_to_open() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let id = journal.insert_record("check_in", b"craving 2").unwrap();
    let (_, first) = blob_of(&path, &id);
    journal.put_record(&id, "check_in", b"craving 9").unwrap();
    // The old ciphertext put back under the current revision number.
    set_blob(&path, id.as_bytes(), None, &first);
    assert!(matches!(
        journal.get_record(&id),
        Err(Error::CorruptRecord { .. })
    ));
}

#[test]
fn flipped_bytes_in_one_record_leave_all_others_readable() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let ids: Vec<RecordId> = (0..50)
        .map(|i| {
            journal
                .insert_record("note", format!("note {i}").as_bytes())
                .unwrap()
        })
        .collect();
    let victim = ids[17];
    let (_, mut blob) = blob_of(&path, &victim);
    let mut seed = 0x9e3779b97f4a7c15u64;
    for _ in 0..8 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let i = (seed % blob.len() as u64) as usize;
        blob[i] ^= 1 + (seed >> 32) as u8 % 255;
    }
    set_blob(&path, victim.as_bytes(), None, &blob);
    let loaded = journal.records(None).unwrap();
    assert_eq!(loaded.damaged, vec![victim]);
    assert_eq!(loaded.records.len(), 49);
    for (i, id) in ids.iter().enumerate().filter(|(_, id)| **id != victim) {
        assert_eq!(
            &journal.get_record(id).unwrap().body[..],
            format!("note {i}").as_bytes()
        );
    }
}

#[test]
fn truncated_and_future_version_envelopes_are_damaged_records_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let a = journal.insert_record("note", b"a").unwrap();
    let b = journal.insert_record("note", b"b").unwrap();
    let keep = journal.insert_record("note", b"keep").unwrap();
    set_blob(&path, a.as_bytes(), None, &[1, 1, 0]);
    let (_, mut future) = blob_of(&path, &b);
    future[0] = 2;
    set_blob(&path, b.as_bytes(), None, &future);
    assert!(matches!(
        journal.get_record(&a),
        Err(Error::CorruptRecord { .. })
    ));
    match journal.get_record(&b) {
        Err(Error::UnsupportedVersion {
            what,
            found: 2,
            supported: 1,
        }) => {
            assert_eq!(what, "record envelope")
        }
        other => panic!("expected unsupported version, got {other:?}"),
    }
    let mut loaded = journal.records(None).unwrap();
    loaded.damaged.sort();
    let mut expected = vec![a, b];
    expected.sort();
    assert_eq!(loaded.damaged, expected);
    assert_eq!(loaded.records[0].id, keep);
}

#[test]
fn the_seal_counter_moves_records_to_a_new_key_generation_and_old_ones_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let options = JournalOptions {
        seals_per_key: 3,
        ..fast_options()
    };
    let (journal, _) = Journal::create(&path, PASSPHRASE, options).unwrap();
    let ids: Vec<RecordId> = (0..8)
        .map(|i| journal.insert_record("note", &[i]).unwrap())
        .collect();
    let key_ids: Vec<u32> = ids
        .iter()
        .map(|id| {
            let (_, blob) = blob_of(&path, id);
            u32::from_be_bytes(blob[2..6].try_into().unwrap())
        })
        .collect();
    assert_eq!(key_ids, vec![1, 1, 1, 2, 2, 2, 3, 3]);
    drop(journal);
    let journal = Journal::open(&path, options).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(&journal.get_record(id).unwrap().body[..], &[i as u8]);
    }
    // Seals are reserved a block at a time: the first connection reserved generation 3's
    // whole share (three) and made two; the one left is never used, so a new connection
    // starts generation 4.
    let next = journal.insert_record("note", b"x").unwrap();
    let (_, blob) = blob_of(&path, &next);
    assert_eq!(u32::from_be_bytes(blob[2..6].try_into().unwrap()), 4);
    assert_eq!(&journal.get_record(&next).unwrap().body[..], b"x");
}

#[test]
fn lookup_ids_are_stable_keyed_and_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let a = journal.lookup_id("check_in", b"2026-11-25").unwrap();
    assert_eq!(a, journal.lookup_id("check_in", b"2026-11-25").unwrap());
    assert_ne!(a, journal.lookup_id("check_in", b"2026-11-26").unwrap());
    assert_ne!(a, journal.lookup_id("reflection", b"2026-11-25").unwrap());
    let dir2 = tempfile::tempdir().unwrap();
    let (other, _, _) = new_journal(dir2.path());
    assert_ne!(a, other.lookup_id("check_in", b"2026-11-25").unwrap());
    journal.lock();
    assert!(matches!(
        journal.lookup_id("check_in", b"x"),
        Err(Error::Locked)
    ));
}
