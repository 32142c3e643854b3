//! Bodies that survive app versions: a journal and a backup written by Waymark 0.1 open
//! with identical content (and the journal moves to the tagged body format, taking a copy
//! first); a record written by a newer build keeps the fields this build does not know when
//! it is edited; a record in a body version this build cannot read is kept, counted and
//! never overwritten.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::recovery::backup::Backup;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::journey::JourneyPatch;
use waymark_core::recovery::Recovery;
use waymark_core::{Error, Journal, JournalOptions, CURRENT_BODY_FORMAT};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every field of `expected` is in `actual` with the same value (`actual` may have more:
/// fields added since). Arrays match item by item.
fn contains(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let found = a
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}.{key} is missing"));
                contains(found, value, &format!("{at}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{at}: length");
            for (i, (x, y)) in a.iter().zip(e).enumerate() {
                contains(x, y, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{at}"),
    }
}

/// The export of `recovery` compared with the export Waymark 0.1 wrote of the same journal.
fn same_content_as_release_1(recovery: &Recovery) {
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("journal-release-1.export.json")).unwrap(),
    )
    .unwrap();
    let now = serde_json::to_value(recovery.export().unwrap()).unwrap();
    for section in [
        "settings",
        "journeys",
        "lapses",
        "check_ins",
        "triggers",
        "card_uses",
        "cards",
        "reflections",
        "entries",
        "contacts",
        "outreach",
        "meetings",
    ] {
        let mut actual = now[section].clone();
        let mut expected = golden[section].clone();
        // Waymark 0.1 kept milestone keys as written (12m); the settings' zone is the same.
        if let (Value::Array(a), Value::Array(e)) = (&mut actual, &mut expected) {
            assert_eq!(a.len(), e.len(), "{section}: count");
        }
        contains(&actual, &expected, section);
    }
}

fn at_fixture_time() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(utc(2026, 11, 25, 14, 0)))
}

#[test]
fn a_journal_written_by_release_1_opens_with_identical_content_and_moves_to_the_new_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    std::fs::copy(fixtures().join("journal-release-1.db"), &path).unwrap();
    let journal = Journal::open(&path, JournalOptions::default()).unwrap();
    assert_eq!(
        journal.schema_version().unwrap(),
        waymark_core::SCHEMA_VERSION
    );
    assert_eq!(
        journal.body_format().unwrap(),
        1,
        "bodies move at the first unlock"
    );
    journal.unlock_with_passphrase("demo passphrase").unwrap();
    let recovery = Recovery::new(journal, at_fixture_time());
    same_content_as_release_1(&recovery);
    assert_eq!(
        recovery.journal().body_format().unwrap(),
        CURRENT_BODY_FORMAT
    );
    let copy = PathBuf::from(format!("{}.v3-bodies.backup", path.display()));
    assert!(
        !copy.exists(),
        "the copy is removed once the move committed"
    );
    // Every record is in the tagged format now (body version 2).
    let loaded = recovery.journal().records(None).unwrap();
    assert!(loaded.damaged.is_empty());
    assert!(loaded.records.iter().all(|r| r.body_version == 2));
    // And it reads the same after a lock and a fresh open.
    drop(recovery);
    let journal = Journal::open(&path, JournalOptions::default()).unwrap();
    journal.unlock_with_passphrase("demo passphrase").unwrap();
    same_content_as_release_1(&Recovery::new(journal, at_fixture_time()));
}

#[test]
fn a_backup_written_by_release_1_restores_with_identical_content() {
    let dir = tempfile::tempdir().unwrap();
    let backup = Backup::read(
        &fixtures().join("backup-release-1.wmbackup"),
        "backup passphrase",
    )
    .unwrap();
    let restored = backup
        .restore(
            &dir.path().join("restored.db"),
            PASSPHRASE,
            fast_options(),
            at_fixture_time(),
        )
        .unwrap();
    assert_eq!(restored.report.added, backup.record_count() as i64);
    same_content_as_release_1(&restored.recovery);
}

/// A field number this build does not use, as a newer build might add.
const FUTURE_TAG: u64 = 40;

/// The tagged body of the journey with one more field a newer build wrote: field 40, text.
fn with_future_field(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let mut key = FUTURE_TAG << 3 | 2; // a length-prefixed field, as a varint
    while key >= 0x80 {
        out.push((key as u8) | 0x80);
        key >>= 7;
    }
    out.push(key as u8);
    let text = b"a newer app's field";
    out.push(text.len() as u8);
    out.extend_from_slice(text);
    out
}

#[test]
fn a_field_written_by_a_newer_build_survives_an_edit_by_this_one() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    // "The newer build" writes the same journey with an extra field.
    let record = r.journal().get_record(&j.id).unwrap();
    let newer = with_future_field(&record.body);
    r.journal()
        .write(|w| w.put_versioned(&j.id, "journey", 2, &newer))
        .unwrap();
    // This build reads it (the field is not shown) and edits it.
    assert_eq!(r.journeys().unwrap()[0].name, "alcohol");
    r.edit_journey(
        &j.id,
        JourneyPatch {
            name: Some("drinking".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let after = r.journal().get_record(&j.id).unwrap();
    assert!(
        occurrences(&after.body, b"a newer app's field") == 1,
        "the newer field was written back unchanged"
    );
    assert!(occurrences(&after.body, b"drinking") == 1);
    assert_eq!(r.journeys().unwrap()[0].name, "drinking");
}

#[test]
fn a_body_version_from_the_future_is_kept_counted_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    r.journal()
        .write(|w| w.put_versioned(&j.id, "journey", 9, b"\x01\x02 a format from 2031"))
        .unwrap();
    let before = r.journal().get_record(&j.id).unwrap();
    let snapshot = r.snapshot().unwrap();
    assert_eq!(snapshot.newer_bodies, 1);
    assert!(snapshot.journeys.is_empty());
    assert!(snapshot.damaged.is_empty(), "newer is not damaged");
    let home = r.home().unwrap();
    assert_eq!((home.newer_records, home.damaged_records), (1, 0));
    assert_eq!(r.export().unwrap().newer_records, 1);
    // Editing it is refused; archiving goes through the same typed save.
    assert!(matches!(
        r.archive_journey(&j.id, true),
        Err(Error::UnsupportedVersion { .. })
    ));
    assert_eq!(r.journal().get_record(&j.id).unwrap(), before);
    // A backup carries it as it is, and a restore keeps it.
    let file = dir.path().join("b.wmbackup");
    r.write_backup(&file, "a backup passphrase", &fast_options().kdf)
        .unwrap();
    let other = tempfile::tempdir().unwrap();
    let restored = Backup::read(&file, "a backup passphrase")
        .unwrap()
        .restore(
            &other.path().join("r.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(utc(2026, 6, 1, 12, 0))),
        )
        .unwrap();
    let copy = restored.recovery.journal().get_record(&j.id).unwrap();
    assert_eq!((copy.body_version, copy.body), (9, before.body));
}

#[test]
fn a_lapse_and_a_check_in_seal_to_the_same_size_and_long_text_wastes_little() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 20, 0), "Europe/Berlin");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "Europe/Berlin"))
        .unwrap();
    r.record_lapse(waymark_core::recovery::journey::LapseInput {
        journey_id: j.id,
        kind: waymark_core::recovery::journey::LapseKind::Relapse,
        date: date(2026, 5, 1),
        time: None,
        sober_again_from: Some(date(2026, 5, 3)),
        note: Some("a hard weekend".into()),
        trigger_id: None,
    })
    .unwrap();
    r.check_in(waymark_core::recovery::check_in::CheckInInput {
        mood: 3,
        craving: 4,
        intention: Some("walk".into()),
        ..Default::default()
    })
    .unwrap();
    let long = "words ".repeat(2_000);
    r.write_entry(waymark_core::recovery::entries::EntryInput {
        body: long.clone(),
        ..Default::default()
    })
    .unwrap();
    let sizes: Vec<usize> = raw_blobs(r.journal().path())
        .into_iter()
        .map(|(_, _, envelope)| envelope.len())
        .collect();
    let small: Vec<&usize> = sizes.iter().filter(|s| **s < 1_000).collect();
    assert!(small.len() >= 4, "{sizes:?}");
    assert!(small.iter().all(|s| **s == *small[0]), "{sizes:?}");
    let big = sizes.iter().max().unwrap();
    assert!(*big as f64 <= (long.len() as f64) * 1.12 + 100.0, "{big}");
}
