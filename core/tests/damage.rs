//! Damage stays small (S12): a row that is not a record is reported by its row id and the
//! rest loads; a zeroed page of the file loses only what was on it, and the journal still
//! opens, shows every screen, and backs up the rest.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::sync::Arc;
use waymark_core::recovery::backup::Backup;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::entries::EntryInput;
use waymark_core::recovery::review::ReviewRange;
use waymark_core::Journal;

#[test]
fn rows_that_are_not_records_are_reported_by_row_id_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    for i in 0..5 {
        journal
            .insert_record("note", format!("n{i}").as_bytes())
            .unwrap();
    }
    drop(journal);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA ignore_check_constraints=ON;")
        .unwrap();
    let bad_rows: Vec<i64> = [
        "INSERT INTO records (id, revision, envelope) VALUES (x'0011', 1, x'00')",
        "INSERT INTO records (id, revision, envelope) VALUES (randomblob(16), 'two', x'00')",
        "INSERT INTO records (id, revision, envelope) VALUES (randomblob(16), 1, 12345)",
        "INSERT INTO records (id, revision, envelope) VALUES (randomblob(16), -4, x'00')",
    ]
    .iter()
    .map(|sql| {
        conn.execute(sql, []).unwrap();
        conn.last_insert_rowid()
    })
    .collect();
    drop(conn);

    let journal = Journal::open(&path, fast_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let loaded = journal.records(None).unwrap();
    assert_eq!(loaded.records.len(), 5);
    assert_eq!(loaded.damage.malformed_rows, bad_rows);
    assert_eq!(loaded.damage.count(), 4);
}

/// A journal of `entries` long entries (so they fill many pages), its path and the entries'
/// count.
fn long_journal(dir: &std::path::Path, entries: usize) -> std::path::PathBuf {
    let (r, _) = recovery_at(dir, utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    r.add_journey(journey("alcohol", date(2026, 1, 1), "Europe/Berlin"))
        .unwrap();
    for i in 0..entries {
        r.write_entry(EntryInput {
            body: format!("entry {i} {}", "words ".repeat(120)),
            date: Some(date(2026, 11, 1)),
            ..Default::default()
        })
        .unwrap();
    }
    let path = r.journal().path().to_path_buf();
    drop(r);
    path
}

/// The page numbers (1-based) of table leaf pages (page type 13 in SQLite's b-tree page
/// header), after checkpointing: in this journal nearly all belong to `records` (the other
/// tables fit in one page each).
fn table_leaf_pages(path: &std::path::Path) -> Vec<usize> {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let bytes = std::fs::read(path).unwrap();
    (1..=bytes.len() / 4096)
        .filter(|&page| {
            let header = if page == 1 { 100 } else { 0 };
            bytes[(page - 1) * 4096 + header] == 13
        })
        .collect()
}

/// Removes the journal image (as a journal from before schema 4, or one just edited, has
/// none), so the next read decrypts every row.
fn without_image(path: &std::path::Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch("DELETE FROM image")
        .unwrap();
}

/// The page the journal image's row lives on.
fn image_page(path: &std::path::Path) -> usize {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'image'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_zeroed_page_loses_only_what_was_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 300);
    without_image(&path);
    let leaves = table_leaf_pages(&path);
    assert!(leaves.len() > 20, "{} leaves", leaves.len());
    // Zero one leaf in the middle of the records.
    let page = leaves[leaves.len() / 2];
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[(page - 1) * 4096..page * 4096].fill(0);
    std::fs::write(&path, &bytes).unwrap();

    let journal = Journal::open(&path, fast_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let r = waymark_core::recovery::Recovery::new(
        journal,
        Arc::new(FixedClock::new(utc(2026, 11, 25, 19, 0))),
    );
    let snapshot = r.snapshot().unwrap();
    let lost = 300 - snapshot.entries.len();
    assert!(lost > 0 && lost <= 20, "{lost} entries lost");
    assert!(u64::try_from(lost).unwrap() <= snapshot.lost_rows);
    assert!(snapshot.lost_rows <= 25, "{}", snapshot.lost_rows);
    assert_eq!(snapshot.journeys.len(), 1);

    // Every screen works and says how many could not be read.
    let home = r.home().unwrap();
    assert!(home.damaged_records >= i32::try_from(lost).unwrap());
    r.progress(ReviewRange::AllTime).unwrap();
    let review = r.review_progress(ReviewRange::AllTime).unwrap();
    assert_eq!(review.damaged_records, home.damaged_records);
    r.export().unwrap();

    // A backup saves the rest, and restores it.
    let file = dir.path().join("rescue.wmbackup");
    let written = r
        .write_backup(&file, "a long backup passphrase", &fast_options().kdf)
        .unwrap();
    assert_eq!(written.damaged, i64::from(home.damaged_records));
    let other = tempfile::tempdir().unwrap();
    let restored = Backup::read(&file, "a long backup passphrase")
        .unwrap()
        .restore(
            &other.path().join("rescued.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(utc(2026, 11, 25, 20, 0))),
        )
        .unwrap();
    let rescued = restored.recovery.snapshot().unwrap();
    assert_eq!(rescued.entries.len(), snapshot.entries.len());
    assert_eq!(rescued.damaged_count(), 0);
}

#[test]
fn a_zeroed_page_under_a_current_image_loses_nothing_an_edit_is_refused_and_a_backup_saves_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 300);
    // A full read stores a fresh image.
    {
        let journal = Journal::open(&path, fast_options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        journal.records(None).unwrap();
    }
    let image = image_page(&path);
    let leaves: Vec<usize> = table_leaf_pages(&path)
        .into_iter()
        .filter(|&p| p != image)
        .collect();
    let page = leaves[leaves.len() / 2];
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[(page - 1) * 4096..page * 4096].fill(0);
    std::fs::write(&path, &bytes).unwrap();

    let journal = Journal::open(&path, fast_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    // The sealed image still holds every entry, so the person sees them all ...
    let r = waymark_core::recovery::Recovery::new(
        journal,
        Arc::new(FixedClock::new(utc(2026, 11, 25, 19, 0))),
    );
    let snapshot = r.snapshot().unwrap();
    assert_eq!(snapshot.entries.len(), 300);
    assert_eq!(snapshot.damaged_count(), 0);
    // ... a scan of the rows themselves finds the damage ...
    let mut readable = Vec::new();
    let scanned = r
        .journal()
        .scan_records(|view| {
            if view.kind == "entry" {
                readable.push(view.id);
            }
        })
        .unwrap();
    assert!(scanned.lost_rows > 0, "{scanned:?}");
    // ... and an edit cannot drop the image, the only copy of what was on the page: the
    // rows cannot be rewritten into a page that is gone, so the edit is refused as damage
    // and changes nothing ...
    let refused = r.edit_entry(
        &readable[0],
        EntryInput {
            body: "edited".into(),
            date: Some(date(2026, 11, 1)),
            ..Default::default()
        },
    );
    assert!(
        matches!(refused, Err(waymark_core::Error::CorruptJournal { .. })),
        "{refused:?}"
    );
    let r2 = waymark_core::recovery::Recovery::new(
        {
            let j = Journal::open(&path, fast_options()).unwrap();
            j.unlock_with_passphrase(PASSPHRASE).unwrap();
            j
        },
        Arc::new(FixedClock::new(utc(2026, 11, 25, 20, 0))),
    );
    let after = r2.snapshot().unwrap();
    assert_eq!(after.entries.len(), 300);
    assert_eq!(after.damaged_count(), 0);
    // ... and a backup saves every entry, so a restore gives a whole journal.
    let file = dir.path().join("saved.wmbackup");
    let written = r2
        .write_backup(&file, "a long backup passphrase", &fast_options().kdf)
        .unwrap();
    assert_eq!(written.damaged, 0);
    let other = tempfile::tempdir().unwrap();
    let restored = Backup::read(&file, "a long backup passphrase")
        .unwrap()
        .restore(
            &other.path().join("rescued.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(utc(2026, 11, 25, 21, 0))),
        )
        .unwrap();
    assert_eq!(restored.recovery.snapshot().unwrap().entries.len(), 300);
}

/// The page a table's b-tree starts at.
fn root_page(path: &std::path::Path, table: &str) -> usize {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_zeroed_root_or_first_page_of_the_records_ends_every_read_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let original = long_journal(dir.path(), 300);
    without_image(&original);
    let pristine = std::fs::read(&original).unwrap();
    let others: Vec<usize> = ["settings", "key_slots", "write_state", "image"]
        .iter()
        .map(|t| root_page(&original, t))
        .collect();
    let first_leaf = table_leaf_pages(&original)
        .into_iter()
        .find(|&p| p > 1 && !others.contains(&p))
        .unwrap();
    for page in [root_page(&original, "records"), first_leaf] {
        let mut bytes = pristine.clone();
        bytes[(page - 1) * 4096..page * 4096].fill(0);
        std::fs::write(&original, &bytes).unwrap();
        let journal = Journal::open(&original, fast_options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        // Both return (they used to seek forever when the first rows were unreadable) ...
        let loaded = journal
            .records(None)
            .unwrap_or_else(|e| panic!("page {page}: {e:?}"));
        let checked = journal
            .check()
            .unwrap_or_else(|e| panic!("page {page}: {e:?}"));
        // ... and say what they could not read.
        assert!(
            loaded.damage.count() > 0,
            "page {page}: {:?}",
            loaded.damage
        );
        assert!(checked.is_damaged(), "page {page}: {checked:?}");
    }
}

/// The ids of the entries a plain SQLite connection still reaches, row id by row id up to
/// `max_rowid` (through the table itself, not its index on ids), in a copy of the file at
/// `path`: the oracle for salvage. Pages past the end of the file read as errors.
fn entry_ids_reachable(
    path: &std::path::Path,
    max_rowid: i64,
    live_entries: &[Vec<u8>],
) -> Vec<Vec<u8>> {
    let copy = path.with_extension("oracle");
    std::fs::copy(path, &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch("PRAGMA writable_schema=ON; PRAGMA query_only=ON;")
        .unwrap();
    let mut reachable = Vec::new();
    for rowid in 1..=max_rowid {
        let found: rusqlite::Result<Vec<u8>> =
            conn.query_row("SELECT id FROM records WHERE rowid = ?1", [rowid], |r| {
                r.get(0)
            });
        if let Ok(id) = found {
            if live_entries.contains(&id) {
                reachable.push(id);
            }
        }
    }
    drop(conn);
    std::fs::remove_file(&copy).unwrap();
    reachable.sort();
    reachable
}

fn entry_ids(journal: &Journal) -> Vec<Vec<u8>> {
    let mut ids: Vec<Vec<u8>> = journal
        .records(Some("entry"))
        .unwrap()
        .records
        .iter()
        .map(|r| r.id.as_bytes().to_vec())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_journal_cut_short_at_any_page_boundary_opens_for_salvage_and_a_backup_saves_every_record_that_reads(
) {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 400);
    table_leaf_pages(&path); // checkpointed: the file holds everything
    let pristine = std::fs::read(&path).unwrap();
    let pages = pristine.len() / 4096;
    assert!(pages > 60, "{pages} pages");
    let live = {
        let journal = Journal::open(&path, fast_options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        entry_ids(&journal)
    };
    assert_eq!(live.len(), 400);
    let max_rowid: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT max(rowid) FROM records", [], |r| r.get(0))
        .unwrap();
    // Ten cuts, from just past the key slots to one page short.
    let cuts: Vec<usize> = (0..10).map(|i| 6 + i * (pages - 7) / 9).collect();
    assert_eq!(cuts.last(), Some(&(pages - 1)));
    let mut saved_counts = Vec::new();
    for (i, &cut) in cuts.iter().enumerate() {
        let at = dir.path().join(format!("cut-{cut}.db"));
        std::fs::write(&at, &pristine[..cut * 4096]).unwrap();
        let expected = entry_ids_reachable(&at, max_rowid, &live);
        let before = std::fs::read(&at).unwrap();

        let journal = Journal::open(&at, fast_options()).unwrap_or_else(|e| panic!("{cut}: {e:?}"));
        assert_eq!(
            journal.salvage(),
            Some(waymark_core::Salvage::CutShort),
            "{cut}"
        );
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        assert_eq!(entry_ids(&journal), expected, "cut at page {cut}");
        // Nothing can be written ...
        let refused = journal.insert_record("note", b"more");
        assert!(
            matches!(refused, Err(waymark_core::Error::CorruptJournal { .. })),
            "{cut}: {refused:?}"
        );
        // ... and a backup saves every entry that still reads.
        let r = waymark_core::recovery::Recovery::new(
            journal,
            Arc::new(FixedClock::new(utc(2026, 11, 25, 19, 0))),
        );
        let file = dir.path().join(format!("cut-{cut}.wmbackup"));
        r.write_backup(&file, "a long backup passphrase", &fast_options().kdf)
            .unwrap();
        drop(r);
        // The damaged file itself was never written.
        assert_eq!(std::fs::read(&at).unwrap(), before, "{cut}");
        let restored = Backup::read(&file, "a long backup passphrase")
            .unwrap()
            .restore(
                &dir.path().join(format!("restored-{i}.db")),
                PASSPHRASE,
                fast_options(),
                Arc::new(FixedClock::new(utc(2026, 11, 25, 20, 0))),
            )
            .unwrap();
        let saved = entry_ids(restored.recovery.journal());
        assert_eq!(saved, expected, "cut at page {cut}");
        saved_counts.push(saved.len());
    }
    // The cuts lose less and less: the last one keeps nearly everything.
    assert!(
        saved_counts.windows(2).all(|w| w[0] <= w[1]),
        "{saved_counts:?}"
    );
    assert!(saved_counts[9] >= 390, "{saved_counts:?}");
}

#[test]
fn a_journal_cut_before_its_keys_is_damaged_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 20);
    table_leaf_pages(&path);
    let pristine = std::fs::read(&path).unwrap();
    for cut in [1usize, 2, 3] {
        std::fs::write(&path, &pristine[..cut * 4096]).unwrap();
        let opened = Journal::open(&path, fast_options())
            .and_then(|j| j.unlock_with_passphrase(PASSPHRASE).map(|()| j));
        assert!(
            matches!(opened, Err(waymark_core::Error::CorruptJournal { .. })),
            "{cut}: {:?}",
            opened.err()
        );
    }
    // An empty file holds nothing to save: it reads as a journal whose creation never
    // finished (which `init` and `restore` may replace).
    std::fs::write(&path, b"").unwrap();
    assert!(matches!(
        Journal::open(&path, fast_options()),
        Err(waymark_core::Error::UnfinishedJournal { .. })
    ));
}

#[test]
fn odd_write_state_values_make_a_journal_read_only_and_a_backup_saves_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 30);
    let pristine = std::fs::read(&path).unwrap();
    for odd in [
        "UPDATE write_state SET generation = -1",
        "UPDATE write_state SET generation = 0",
        "UPDATE write_state SET generation = 4294967296",
        "UPDATE write_state SET generation = 'one'",
        "UPDATE write_state SET generation = 1.5",
        "UPDATE write_state SET seals = -5",
        "UPDATE write_state SET clock = x'00'",
        "UPDATE write_state SET clock = -1",
        "DELETE FROM write_state",
    ] {
        std::fs::write(&path, &pristine).unwrap();
        let _ = std::fs::remove_file(path.with_extension("db-wal"));
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(odd)
            .unwrap();
        let journal = Journal::open(&path, fast_options()).unwrap();
        assert_eq!(
            journal.salvage(),
            Some(waymark_core::Salvage::WriteState),
            "{odd}"
        );
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        assert_eq!(entry_ids(&journal).len(), 30, "{odd}");
        let refused = journal.insert_record("note", b"more");
        assert!(
            matches!(refused, Err(waymark_core::Error::CorruptJournal { .. })),
            "{odd}: {refused:?}"
        );
        let r = waymark_core::recovery::Recovery::new(
            journal,
            Arc::new(FixedClock::new(utc(2026, 11, 25, 19, 0))),
        );
        let file = dir.path().join("odd.wmbackup");
        let _ = std::fs::remove_file(&file);
        let written = r
            .write_backup(&file, "a long backup passphrase", &fast_options().kdf)
            .unwrap();
        assert_eq!(written.damaged, 0, "{odd}");
        let check = r.journal().check().unwrap();
        assert_eq!(check.records, written.records as u64, "{odd}");
    }
}
