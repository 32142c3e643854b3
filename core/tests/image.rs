//! The journal image (schema 4): an open reads one sealed row instead of decrypting every
//! record. It is only a shortcut: whatever happened to the file, a read through it shows
//! exactly what the rows hold, a damaged or stale image is never trusted, and deleting or
//! editing a record erases it in the same commit (S11).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::path::Path;
use waymark_core::{Journal, RecordId};

/// Every live record as (id, kind, revision, body version, body), sorted.
type Seen = Vec<(String, String, u64, u8, Vec<u8>)>;

fn seen(v: waymark_core::RecordView<'_>) -> (String, String, u64, u8, Vec<u8>) {
    (
        v.id.to_string(),
        v.kind.to_string(),
        v.revision,
        v.body_version,
        v.body.to_vec(),
    )
}

fn through_image(journal: &Journal) -> Seen {
    let mut out = Vec::new();
    let damage = journal.visit_records(|v| out.push(seen(v))).unwrap();
    assert_eq!(damage.count(), 0, "{damage:?}");
    out.sort();
    out
}

fn through_rows(journal: &Journal) -> Seen {
    let mut out = Vec::new();
    journal.scan_records(|v| out.push(seen(v))).unwrap();
    out.sort();
    out
}

/// `n` notes ("note 0", "note 1", ...), each its own action; their ids.
fn notes(journal: &Journal, n: usize) -> Vec<RecordId> {
    (0..n)
        .map(|i| {
            journal
                .insert_record("note", format!("note {i}").as_bytes())
                .unwrap()
        })
        .collect()
}

/// Whether the file holds an image, and the highest row id it covers.
fn image_covers(path: &Path) -> Option<i64> {
    use rusqlite::OptionalExtension;
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT covers FROM image", [], |r| r.get(0))
        .optional()
        .unwrap()
}

fn has_image(path: &Path) -> bool {
    image_covers(path).is_some()
}

fn reopen(path: &Path) -> Journal {
    let journal = Journal::open(path, fast_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    journal
}

/// A small deterministic generator (xorshift), so a failure names its step.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

#[test]
fn the_image_shows_what_the_rows_hold_through_every_kind_of_write() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _, path) = new_journal(dir.path());
    let second = reopen(&path);
    let mut journals = [first, second];
    let mut ids: Vec<RecordId> = Vec::new();
    let mut rng = Steps(0x5eed_1234_abcd_0042);
    let mut reads_from_an_image = 0;
    for step in 0..400 {
        let j = usize::try_from(rng.next(2)).unwrap();
        let journal = &journals[j];
        match rng.next(10) {
            // A one-record action.
            0..=2 => ids.push(
                journal
                    .insert_record("note", format!("note {step}").as_bytes())
                    .unwrap(),
            ),
            // A three-record action in one transaction.
            3 => ids.extend(
                journal
                    .write(|w| {
                        Ok(vec![
                            w.insert("note", b"a")?,
                            w.insert("check_in", b"b")?,
                            w.insert("lapse", b"c")?,
                        ])
                    })
                    .unwrap(),
            ),
            // An edit (erases the image: the old version must not survive in it).
            4 if !ids.is_empty() => {
                let id = ids[usize::try_from(rng.next(ids.len() as u64)).unwrap()];
                journal
                    .put_record(&id, "note", format!("edited {step}").as_bytes())
                    .unwrap();
            }
            // A delete (erases the image too).
            5 if !ids.is_empty() => {
                let id = ids.swap_remove(usize::try_from(rng.next(ids.len() as u64)).unwrap());
                journal.delete_record(&id).unwrap();
            }
            // A new connection, as the next launch of the app.
            6 => journals[j] = reopen(&path),
            // A full read, compared with the rows themselves.
            _ => {
                if has_image(&path) {
                    reads_from_an_image += 1;
                }
                let seen = through_image(journal);
                assert_eq!(seen, through_rows(journal), "step {step}");
                assert_eq!(seen.len(), ids.len(), "step {step}");
            }
        }
    }
    for journal in &journals {
        assert_eq!(through_image(journal), through_rows(journal));
    }
    assert!(
        reads_from_an_image > 40,
        "only {reads_from_an_image} reads met a current image"
    );
}

#[test]
fn a_damaged_or_altered_image_is_never_trusted_and_the_next_read_makes_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    notes(&journal, 50);
    let expected = through_rows(&journal);
    assert_eq!(through_image(&journal), expected);
    assert!(has_image(&path));
    journal.insert_record("note", b"after the image").unwrap();
    let expected = through_rows(&journal);
    drop(journal);

    let damages = [
        // A flipped byte inside the sealed image.
        "UPDATE image SET envelope = substr(envelope, 1, 100)
             || CAST(char((unicode(substr(envelope, 101, 1)) + 1) % 256) AS BLOB)
             || substr(envelope, 102)",
        // Told it covers fewer rows than it does (its rows would show twice).
        "UPDATE image SET covers = covers - 5",
        // Told it covers more rows than it does (the last one would be missed).
        "UPDATE image SET covers = covers + 1",
        // Another token.
        "UPDATE image SET token = randomblob(16)",
        // Cut short.
        "UPDATE image SET envelope = substr(envelope, 1, 64)",
        // A row of the image moved above it, as if added later.
        "UPDATE records SET rowid = 1000 WHERE rowid = 3",
    ];
    for sql in damages {
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let journal = reopen(&path);
        assert_eq!(through_image(&journal), expected, "{sql}");
        assert!(has_image(&path), "a new image after: {sql}");
        assert_eq!(through_image(&journal), expected, "{sql}");
    }
}

#[test]
fn rows_added_behind_the_journals_back_are_read_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    notes(&journal, 20);
    through_image(&journal);
    assert!(has_image(&path));
    drop(journal);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO records (id, revision, envelope) VALUES (randomblob(16), 1, x'00')",
        [],
    )
    .unwrap();
    drop(conn);
    let journal = reopen(&path);
    let loaded = journal.records(None).unwrap();
    assert_eq!(loaded.records.len(), 20);
    assert_eq!(loaded.damage.count(), 1, "{:?}", loaded.damage);
    // The row is above the image, so every read meets it and reports it.
    assert_eq!(journal.records(None).unwrap().damage.count(), 1);
    drop(journal);
    assert_eq!(reopen(&path).records(None).unwrap().damage.count(), 1);
}

#[test]
fn deleting_or_editing_erases_the_image_in_the_same_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let ids = notes(&journal, 10);
    through_image(&journal);
    assert!(has_image(&path));
    journal.delete_record(&ids[0]).unwrap();
    assert!(!has_image(&path));
    // The next read makes a new one, without the deleted record.
    assert_eq!(through_image(&journal).len(), 9);
    assert!(has_image(&path));
    journal.put_record(&ids[1], "note", b"changed").unwrap();
    assert!(!has_image(&path));
    let seen = through_image(&journal);
    assert!(seen.iter().any(|r| r.4 == b"changed"));
    assert_eq!(seen, through_rows(&journal));
}

#[test]
fn many_rows_added_after_the_image_are_read_and_a_read_then_makes_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    journal.insert_record("note", b"first").unwrap();
    through_image(&journal);
    let first = image_covers(&path).unwrap();
    notes(&journal, 100);
    // A few hundred rows are read after the image; it stays as it was.
    assert_eq!(through_image(&journal).len(), 101);
    assert_eq!(image_covers(&path), Some(first));
    for i in 0..300 {
        journal
            .insert_record("note", format!("more {i}").as_bytes())
            .unwrap();
    }
    let seen = through_image(&journal);
    assert_eq!(seen.len(), 401);
    assert!(image_covers(&path).unwrap() > first, "a new image");
    drop(journal);
    assert_eq!(through_image(&reopen(&path)), seen);
}

#[test]
fn an_older_image_put_back_or_rows_changed_behind_its_back_are_never_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let ids = notes(&journal, 20);
    through_image(&journal);
    let old_image = dir.path().join("old-image.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("VACUUM INTO ?1", [old_image.to_str().unwrap()])
        .unwrap();
    // Deleted here: the image is erased and the record gone.
    journal.delete_record(&ids[3]).unwrap();
    through_image(&journal);
    drop(journal);
    let deleted = ids[3].to_string();
    let shows_deleted = |journal: &Journal| through_image(journal).iter().any(|r| r.0 == deleted);

    // The image from before the deletion copied back: not current, so the rows are read.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("ATTACH ?1 AS old", [old_image.to_str().unwrap()])
        .unwrap();
    conn.execute_batch("DELETE FROM image; INSERT INTO image SELECT * FROM old.image;")
        .unwrap();
    drop(conn);
    let journal = reopen(&path);
    assert!(!shows_deleted(&journal));
    assert_eq!(through_image(&journal), through_rows(&journal));
    drop(journal);

    // A covered row removed behind the journal's back, or a new one moved below the image:
    // the counts differ and the rows are read.
    for sql in [
        "DELETE FROM records WHERE rowid = 5",
        "UPDATE records SET rowid = -5 WHERE rowid = (SELECT max(rowid) FROM records)",
    ] {
        let journal = reopen(&path);
        journal.insert_record("note", b"after the image").unwrap();
        through_image(&journal);
        journal
            .insert_record("note", b"after the image again")
            .unwrap();
        drop(journal);
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let journal = reopen(&path);
        assert_eq!(through_image(&journal), through_rows(&journal), "{sql}");
    }
}

/// Flips bytes in the envelope of the row `id`, with a plain SQLite connection (as damage
/// on the disk would).
fn damage_row(path: &Path, id: &RecordId) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut envelope: Vec<u8> = conn
        .query_row(
            "SELECT envelope FROM records WHERE id = ?1",
            [&id.as_bytes()[..]],
            |r| r.get(0),
        )
        .unwrap();
    let middle = envelope.len() / 2;
    envelope[middle] ^= 0xff;
    envelope[middle + 1] ^= 0x55;
    conn.execute(
        "UPDATE records SET envelope = ?1 WHERE id = ?2",
        rusqlite::params![envelope, &id.as_bytes()[..]],
    )
    .unwrap();
}

#[test]
fn a_damaged_row_the_image_still_holds_is_repaired_before_an_edit_erases_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let ids = notes(&journal, 20);
    let before = through_image(&journal);
    assert!(has_image(&path));
    drop(journal);
    // Two rows the image covers are damaged on the disk; the journal reads through the
    // image and does not notice.
    damage_row(&path, &ids[3]);
    damage_row(&path, &ids[11]);
    let journal = reopen(&path);
    assert_eq!(through_image(&journal), before);
    // Editing another record erases the image: the damaged rows are rewritten from it in
    // the same commit, and nothing is lost.
    journal.put_record(&ids[0], "note", b"edited").unwrap();
    assert!(!has_image(&path));
    let after = through_rows(&journal);
    assert_eq!(after.len(), 20);
    let damage = journal.scan_records(|_| {}).unwrap();
    assert_eq!(damage.count(), 0, "{damage:?}");
    for id in [&ids[3], &ids[11]] {
        assert_eq!(
            journal.get_record(id).unwrap().body.as_slice(),
            before
                .iter()
                .find(|r| r.0 == id.to_string())
                .unwrap()
                .4
                .as_slice()
        );
    }
}

#[test]
fn check_repairs_from_the_image_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let ids = notes(&journal, 8);
    through_image(&journal);
    drop(journal);
    damage_row(&path, &ids[5]);
    let journal = reopen(&path);
    let checked = journal.check().unwrap();
    assert_eq!(checked.repaired, 1);
    assert_eq!(checked.records, 8);
    assert!(!checked.is_damaged(), "{checked:?}");
    let again = journal.check().unwrap();
    assert_eq!(again.repaired, 0);
}

#[test]
fn a_damaged_row_the_image_still_holds_survives_a_key_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let ids = notes(&journal, 10);
    let before = through_image(&journal);
    drop(journal);
    damage_row(&path, &ids[7]);
    let journal = reopen(&path);
    let rotation = journal
        .rotate_data_key(PASSPHRASE, None, &|_| None)
        .unwrap();
    assert_eq!(rotation.damaged_records_kept, 0);
    assert_eq!(through_rows(&journal), before);
}
