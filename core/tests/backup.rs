//! Encrypted backups (S15): backup then restore gives identical content; a wrong passphrase,
//! a tampered, truncated or foreign file is refused before anything is written; merging is
//! idempotent and follows the documented conflict rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::path::Path;
use std::sync::Arc;
use waymark_core::recovery::backup::{Backup, MergeReport};
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::review::ReviewRange;
use waymark_core::recovery::Recovery;
use waymark_core::{Error, KdfParams};

const BACKUP_PASSPHRASE: &str = "a separate backup passphrase";

fn cheap_kdf() -> KdfParams {
    KdfParams::new(256, 1, 1).unwrap()
}

/// A journal filled with a generated 120-day story.
fn filled(dir: &Path) -> Recovery {
    let now = utc(2026, 11, 25, 18, 0);
    let (recovery, _) = recovery_at(dir, now, "Europe/Berlin");
    let spec = GeneratorSpec::story(11, 120, now, "Europe/Berlin");
    recovery.import(&generate(&spec).unwrap()).unwrap();
    recovery
}

/// A filled journal in `dir` and its backup (`b.wmbackup` beside it).
fn backed_up(dir: &Path) -> (Recovery, std::path::PathBuf) {
    let source = filled(dir);
    let file = dir.join("b.wmbackup");
    source
        .write_backup(&file, BACKUP_PASSPHRASE, &cheap_kdf())
        .unwrap();
    (source, file)
}

/// Every record as (kind, body), sorted: the decrypted content, independent of ids that are
/// keyed per journal.
fn content(recovery: &Recovery) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = recovery
        .journal()
        .records(None)
        .unwrap()
        .records
        .into_iter()
        .map(|r| (r.kind, r.body.to_vec()))
        .collect();
    out.sort();
    out
}

#[test]
fn backup_then_restore_gives_identical_content() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let source = filled(a.path());
    let file = a.path().join("journal.wmbackup");
    let written = source
        .write_backup(&file, BACKUP_PASSPHRASE, &cheap_kdf())
        .unwrap();
    assert!(written.records > 500, "{written:?}");
    assert_eq!(written.damaged, 0);
    assert_eq!(
        written.bytes,
        std::fs::metadata(&file).unwrap().len() as i64
    );

    let backup = Backup::read(&file, BACKUP_PASSPHRASE).unwrap();
    assert_eq!(backup.record_count() as i64, written.records);
    let now = utc(2026, 11, 25, 18, 0);
    let restored = backup
        .restore(
            &b.path().join("restored.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(now)),
        )
        .unwrap();
    assert_eq!(restored.report.added, written.records);
    assert_eq!(restored.report.quarantined, 0);
    let restored = restored.recovery;
    assert_eq!(content(&restored), content(&source));
    assert_eq!(
        restored.review_progress(ReviewRange::AllTime).unwrap(),
        source.review_progress(ReviewRange::AllTime).unwrap()
    );
    assert_eq!(
        restored.check_in_streak().unwrap(),
        source.check_in_streak().unwrap()
    );
}

#[test]
fn the_backup_file_reveals_nothing_it_holds() {
    let a = tempfile::tempdir().unwrap();
    let (source, file) = backed_up(a.path());
    let bytes = std::fs::read(&file).unwrap();
    for needle in [
        &b"check_in"[..],
        b"Europe/Berlin",
        b"lapse",
        b"mood",
        b"2026-",
    ] {
        assert_eq!(occurrences(&bytes, needle), 0);
    }
    // Two backups of the same journal share no ciphertext (fresh salt and nonce).
    let again = a.path().join("c.wmbackup");
    source
        .write_backup(&again, BACKUP_PASSPHRASE, &cheap_kdf())
        .unwrap();
    assert_ne!(std::fs::read(&again).unwrap()[22..200], bytes[22..200]);
}

#[test]
fn wrong_passphrase_tampering_truncation_and_foreign_files_are_refused_and_write_nothing() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (_journal, file) = backed_up(a.path());
    let good = std::fs::read(&file).unwrap();

    let (target, _) = recovery_at(b.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    target
        .check_in(CheckInInput {
            mood: 4,
            craving: 1,
            ..CheckInInput::default()
        })
        .unwrap();
    let before = stored_content(target.journal());

    assert!(matches!(
        Backup::read(&file, "not the backup passphrase"),
        Err(Error::WrongBackupPassphrase)
    ));

    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    cases.push(("a flipped byte in the payload", flipped));
    let mut last = good.clone();
    let end = last.len() - 1;
    last[end] ^= 0x80;
    cases.push(("a flipped byte in the tag", last));
    let mut header = good.clone();
    header[30] ^= 0x01; // the salt: the header checksum no longer matches
    cases.push(("a changed salt", header));
    let mut params = good.clone();
    params[12] ^= 0x40; // the memory cost: refused before any key derivation
    cases.push(("changed key-derivation parameters", params));
    let mut check = good.clone();
    check[60] ^= 0x01; // inside the check envelope
    cases.push(("a flipped byte in the check", check));
    cases.push(("cut short by 10 bytes", good[..good.len() - 10].to_vec()));
    cases.push(("cut inside the header", good[..30].to_vec()));
    cases.push(("cut after the check", good[..56 + 44].to_vec()));
    cases.push(("empty", Vec::new()));
    cases.push(("not a backup", b"SQLite format 3\0 and then some".to_vec()));

    for (what, bytes) in cases {
        let bad = b.path().join("bad.wmbackup");
        std::fs::write(&bad, &bytes).unwrap();
        let result = Backup::read(&bad, BACKUP_PASSPHRASE);
        match result {
            // Damage anywhere, the header included, reads as damage: never as a wrong
            // passphrase.
            Err(Error::BackupDamaged { .. }) => {}
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
        assert_eq!(stored_content(target.journal()), before, "{what}");
    }

    let mut newer = good.clone();
    newer[9] = 3;
    let bad = b.path().join("newer.wmbackup");
    std::fs::write(&bad, &newer).unwrap();
    assert!(matches!(
        Backup::read(&bad, BACKUP_PASSPHRASE),
        Err(Error::UnsupportedVersion { found: 3, .. })
    ));
}

#[test]
fn merging_the_same_backup_twice_changes_nothing_the_second_time() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (_journal, file) = backed_up(a.path());
    let backup = Backup::read(&file, BACKUP_PASSPHRASE).unwrap();

    // The other device has its own history: a check-in on a day the story also has, and one
    // on a day it does not.
    let (target, clock) = recovery_at(b.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    target
        .check_in(CheckInInput {
            mood: 1,
            craving: 9,
            ..CheckInInput::default()
        })
        .unwrap();
    clock.set(utc(2027, 1, 10, 18, 0));
    target
        .check_in(CheckInInput {
            mood: 5,
            craving: 0,
            ..CheckInInput::default()
        })
        .unwrap();

    let first = target.merge_backup(&backup).unwrap();
    assert!(first.added > 500, "{first:?}");
    let after_first = stored_content(target.journal());
    let second = target.merge_backup(&backup).unwrap();
    assert_eq!(second.added, 0, "{second:?}");
    assert_eq!(second.updated, 0, "{second:?}");
    assert_eq!(
        second.unchanged + second.conflicts_kept,
        backup.record_count() as i64
    );
    assert_eq!(stored_content(target.journal()), after_first);
    // No duplicates: one check-in per day, the day only this device had kept.
    let ins = target
        .check_ins(date(2000, 1, 1), date(2100, 1, 1))
        .unwrap();
    let mut days: Vec<_> = ins.iter().map(|c| c.date).collect();
    days.dedup();
    assert_eq!(days.len(), ins.len());
    assert!(ins
        .iter()
        .any(|c| c.date == date(2027, 1, 10) && c.mood == 5));
}

#[test]
fn on_a_conflict_the_more_edited_version_wins_and_a_tie_keeps_this_journal() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let now = utc(2026, 11, 25, 18, 0);
    let (phone, _) = recovery_at(a.path(), now, "Europe/Berlin");
    let first = phone
        .check_in(CheckInInput {
            mood: 2,
            craving: 5,
            ..CheckInInput::default()
        })
        .unwrap();
    let file = a.path().join("b.wmbackup");
    phone
        .write_backup(&file, BACKUP_PASSPHRASE, &cheap_kdf())
        .unwrap();

    // The laptop restores it, then both edit today's check-in: the phone twice, the laptop once.
    let (laptop, _) = recovery_at(b.path(), now, "Europe/Berlin");
    laptop
        .merge_backup(&Backup::read(&file, BACKUP_PASSPHRASE).unwrap())
        .unwrap();
    laptop
        .check_in(CheckInInput {
            mood: 3,
            craving: 3,
            ..CheckInInput::default()
        })
        .unwrap();
    for mood in [4, 5] {
        phone
            .check_in(CheckInInput {
                mood,
                craving: 1,
                ..CheckInInput::default()
            })
            .unwrap();
    }
    assert_eq!(first.date, phone.today().unwrap());
    phone
        .write_backup(&file, BACKUP_PASSPHRASE, &cheap_kdf())
        .unwrap();
    let report: MergeReport = laptop
        .merge_backup(&Backup::read(&file, BACKUP_PASSPHRASE).unwrap())
        .unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    assert_eq!(laptop.check_in_on(first.date).unwrap().unwrap().mood, 5);

    // Now the laptop edits twice more; the phone's older copy no longer wins.
    for mood in [1, 2] {
        laptop
            .check_in(CheckInInput {
                mood,
                craving: 7,
                ..CheckInInput::default()
            })
            .unwrap();
    }
    let report = laptop
        .merge_backup(&Backup::read(&file, BACKUP_PASSPHRASE).unwrap())
        .unwrap();
    assert_eq!(report.updated, 0, "{report:?}");
    assert!(report.conflicts_kept >= 1, "{report:?}");
    assert_eq!(laptop.check_in_on(first.date).unwrap().unwrap().mood, 2);
}

#[test]
fn a_weak_backup_passphrase_is_refused_by_name() {
    let a = tempfile::tempdir().unwrap();
    let source = filled(a.path());
    let file = a.path().join("b.wmbackup");
    let err = source
        .write_backup(&file, "short", &cheap_kdf())
        .unwrap_err();
    assert!(err.to_string().contains("backup passphrase"), "{err}");
    assert!(!file.exists());
}

/// A short pause, so writes on two journals never share a millisecond of their clocks.
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(3));
}

fn entry(text: &str) -> waymark_core::recovery::entries::EntryInput {
    waymark_core::recovery::entries::EntryInput {
        body: text.into(),
        ..Default::default()
    }
}

fn backup_of(recovery: &Recovery, file: &Path) -> Backup {
    recovery
        .write_backup(file, BACKUP_PASSPHRASE, &cheap_kdf())
        .unwrap();
    Backup::read(file, BACKUP_PASSPHRASE).unwrap()
}

#[test]
fn an_old_backup_never_brings_back_what_was_deleted_since() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, _) = recovery_at(dir.path(), utc(2026, 11, 25, 9, 0), "Europe/Berlin");
    let gone = phone.write_entry(entry("the night at the bridge")).unwrap();
    let kept = phone.write_entry(entry("a good walk")).unwrap();
    phone
        .check_in(CheckInInput {
            mood: 2,
            craving: 7,
            ..Default::default()
        })
        .unwrap();
    let old = backup_of(&phone, &dir.path().join("old.wmbackup"));
    tick();
    phone.delete_entry(&gone.id).unwrap();
    phone.delete_check_in(date(2026, 11, 25)).unwrap();

    let report = phone.merge_backup(&old).unwrap();
    assert_eq!(report.stayed_deleted, 2, "{report:?}");
    assert_eq!((report.added, report.updated), (0, 0), "{report:?}");
    assert!(phone.entry(&gone.id).is_err());
    assert!(phone.check_in_on(date(2026, 11, 25)).unwrap().is_none());
    assert_eq!(phone.entry(&kept.id).unwrap().body, "a good walk");
    // The deletions are in the next backup: restoring it elsewhere, then merging the old one
    // there, still brings nothing back.
    let new = backup_of(&phone, &dir.path().join("new.wmbackup"));
    let elsewhere = tempfile::tempdir().unwrap();
    let restored = new
        .restore(
            &elsewhere.path().join("j.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(utc(2026, 11, 25, 10, 0))),
        )
        .unwrap()
        .recovery;
    let report = restored.merge_backup(&old).unwrap();
    assert_eq!(report.stayed_deleted, 2, "{report:?}");
    assert!(restored.entry(&gone.id).is_err());
    assert!(restored.check_in_on(date(2026, 11, 25)).unwrap().is_none());
}

#[test]
fn a_deletion_on_one_device_reaches_the_other_unless_it_was_edited_there_since() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, _) = recovery_at(dir.path(), utc(2026, 11, 25, 9, 0), "Europe/Berlin");
    let bridge = phone.write_entry(entry("the night at the bridge")).unwrap();
    let walk = phone.write_entry(entry("a good walk")).unwrap();
    let plan = phone.write_entry(entry("plan for Friday")).unwrap();
    phone
        .check_in(CheckInInput {
            mood: 2,
            craving: 7,
            ..Default::default()
        })
        .unwrap();
    // The laptop starts from the phone's backup: another journal, with its own keys.
    let first = backup_of(&phone, &dir.path().join("first.wmbackup"));
    let laptop_dir = tempfile::tempdir().unwrap();
    let laptop = first
        .restore(
            &laptop_dir.path().join("j.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(utc(2026, 11, 25, 9, 30))),
        )
        .unwrap()
        .recovery;
    tick();
    laptop.delete_entry(&bridge.id).unwrap();
    laptop.delete_entry(&plan.id).unwrap();
    laptop.delete_check_in(date(2026, 11, 25)).unwrap();
    tick();
    // Meanwhile the phone rewrote the plan: an edit after the deletion wins.
    phone
        .edit_entry(&plan.id, entry("plan for Friday: call Sam first"))
        .unwrap();

    let from_laptop = backup_of(&laptop, &laptop_dir.path().join("laptop.wmbackup"));
    let report = phone.merge_backup(&from_laptop).unwrap();
    assert_eq!(
        report.deleted, 2,
        "the entry and the day's check-in: {report:?}"
    );
    assert!(
        report.conflicts_kept >= 1,
        "the plan edited since: {report:?}"
    );
    assert!(phone.entry(&bridge.id).is_err());
    assert!(phone.check_in_on(date(2026, 11, 25)).unwrap().is_none());
    assert_eq!(
        phone.entry(&plan.id).unwrap().body,
        "plan for Friday: call Sam first"
    );
    assert_eq!(phone.entry(&walk.id).unwrap().body, "a good walk");

    // Merging it again changes nothing; the first backup cannot undo the deletions either.
    let again = phone.merge_backup(&from_laptop).unwrap();
    assert_eq!(
        (again.deleted, again.added, again.updated),
        (0, 0, 0),
        "{again:?}"
    );
    let old = phone.merge_backup(&first).unwrap();
    assert_eq!(old.stayed_deleted, 2, "{old:?}");
    assert!(phone.entry(&bridge.id).is_err());
    assert!(phone.check_in_on(date(2026, 11, 25)).unwrap().is_none());

    // And back: the laptop learns the phone's newer plan.
    let from_phone = backup_of(&phone, &dir.path().join("phone.wmbackup"));
    let back = laptop.merge_backup(&from_phone).unwrap();
    assert_eq!(
        back.added, 1,
        "the plan, edited after its deletion: {back:?}"
    );
    assert_eq!(
        laptop.entry(&plan.id).unwrap().body,
        "plan for Friday: call Sam first"
    );
    assert!(laptop.entry(&bridge.id).is_err());
}
