//! The key hierarchy (S1-S6, S16): every slot opens the journal, a wrong secret is one uniform
//! error that writes nothing, changing a secret re-wraps the data key only, the last slot
//! cannot be removed, and a lost platform key falls back to the passphrase.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ring::digest::{digest, SHA256};
use waymark_core::{Error, Journal, JournalOptions, KdfParams, RecoveryCode, SlotKind};

fn blob_hashes(path: &std::path::Path) -> Vec<(Vec<u8>, Vec<u8>)> {
    raw_blobs(path)
        .into_iter()
        .map(|(id, _, blob)| (id, digest(&SHA256, &blob).as_ref().to_vec()))
        .collect()
}

#[test]
fn a_new_journal_has_a_passphrase_slot_and_a_recovery_slot_and_opens_with_either() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, code, path) = new_journal(dir.path());
    let id = journal.insert_record("note", b"first words").unwrap();
    let kinds: Vec<SlotKind> = journal.slots().unwrap().iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec![SlotKind::Passphrase, SlotKind::RecoveryCode]);
    drop(journal);

    let journal = Journal::open(&path, fast_options()).unwrap();
    assert!(!journal.is_unlocked());
    assert!(matches!(journal.get_record(&id), Err(Error::Locked)));
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(&journal.get_record(&id).unwrap().body[..], b"first words");
    journal.lock();
    assert!(matches!(journal.records(None), Err(Error::Locked)));
    journal.unlock_with_recovery_code(&code.reveal()).unwrap();
    assert_eq!(&journal.get_record(&id).unwrap().body[..], b"first words");
}

#[test]
fn wrong_passphrase_leaves_file_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    journal.insert_record("note", b"x").unwrap();
    drop(journal);
    let before = std::fs::read(&path).unwrap();

    let journal = Journal::open(&path, fast_options()).unwrap();
    let err = journal
        .unlock_with_passphrase("not the passphrase")
        .unwrap_err();
    assert!(matches!(err, Error::WrongSecret), "{err:?}");
    assert!(!err.to_string().contains("not the passphrase"));
    let wrong_code = RecoveryCode::generate().unwrap();
    assert!(matches!(
        journal.unlock_with_recovery_code(&wrong_code.reveal()),
        Err(Error::WrongSecret)
    ));
    assert!(!journal.is_unlocked());
    drop(journal);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_recovery_code_typo_is_reported_as_a_typo_not_a_wrong_code() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, code, _) = new_journal(dir.path());
    journal.lock();
    let mut typed: Vec<char> = code.reveal().chars().collect();
    typed[7] = if typed[7] == 'X' { 'Y' } else { 'X' };
    let typed: String = typed.into_iter().collect();
    assert!(matches!(
        journal.unlock_with_recovery_code(&typed),
        Err(Error::RecoveryCodeTypo)
    ));
    // Forgiving input still opens: lower case, spaces instead of dashes.
    let relaxed = code.reveal().to_lowercase().replace('-', " ");
    journal.unlock_with_recovery_code(&relaxed).unwrap();
}

#[test]
fn changing_the_passphrase_rewraps_the_key_and_leaves_every_record_blob_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, code, path) = new_journal(dir.path());
    for i in 0..25 {
        journal
            .insert_record("note", format!("entry {i}").as_bytes())
            .unwrap();
    }
    let before = blob_hashes(&path);
    assert!(matches!(
        journal.change_passphrase("wrong passphrase", "a new passphrase"),
        Err(Error::WrongSecret)
    ));
    assert!(matches!(
        journal.change_passphrase(PASSPHRASE, "short"),
        Err(Error::InvalidInput {
            field: "passphrase",
            ..
        })
    ));
    journal
        .change_passphrase(PASSPHRASE, "a new passphrase")
        .unwrap();
    assert_eq!(blob_hashes(&path), before);
    drop(journal);

    let journal = Journal::open(&path, fast_options()).unwrap();
    assert!(matches!(
        journal.unlock_with_passphrase(PASSPHRASE),
        Err(Error::WrongSecret)
    ));
    journal.unlock_with_passphrase("a new passphrase").unwrap();
    assert_eq!(journal.records(None).unwrap().records.len(), 25);
    journal.lock();
    journal.unlock_with_recovery_code(&code.reveal()).unwrap();
    assert_eq!(journal.slots().unwrap().len(), 2);
}

#[test]
fn changing_the_passphrase_works_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    journal.lock();
    journal
        .change_passphrase(PASSPHRASE, "another passphrase")
        .unwrap();
    assert!(!journal.is_unlocked());
    journal
        .unlock_with_passphrase("another passphrase")
        .unwrap();
}

#[test]
fn platform_slot_opens_and_a_lost_platform_key_falls_back_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, code, path) = new_journal(dir.path());
    let id = journal.insert_record("note", b"kept").unwrap();
    let keystore = SoftwareKeyStore::new();
    assert!(matches!(
        journal.add_platform_slot(&keystore, "Has Capitals"),
        Err(Error::InvalidInput {
            field: "slot label",
            ..
        })
    ));
    journal
        .add_platform_slot(&keystore, "android-keystore")
        .unwrap();
    journal.lock();
    journal.unlock_with_platform(&keystore).unwrap();
    assert_eq!(&journal.get_record(&id).unwrap().body[..], b"kept");
    drop(journal);

    // New biometrics: the platform key is gone.
    keystore.invalidate();
    let slots_before = raw_slot_count(&path);
    let journal = Journal::open(&path, fast_options()).unwrap();
    match journal.unlock_with_platform(&keystore) {
        Err(Error::PlatformKeyUnavailable { reason }) => assert!(reason.contains("invalidated")),
        other => panic!("expected PlatformKeyUnavailable, got {other:?}"),
    }
    assert_eq!(
        raw_slot_count(&path),
        slots_before,
        "no slot was regenerated or removed"
    );
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(&journal.get_record(&id).unwrap().body[..], b"kept");
    journal.lock();
    journal.unlock_with_recovery_code(&code.reveal()).unwrap();

    // Another device's key store cannot unwrap this slot: reported as unavailable, nothing changes.
    let other = SoftwareKeyStore::new();
    journal.lock();
    assert!(matches!(
        journal.unlock_with_platform(&other),
        Err(Error::PlatformKeyUnavailable { .. })
    ));
}

fn raw_slot_count(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM key_slots", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn slots_can_be_added_and_removed_but_never_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let keystore = SoftwareKeyStore::new();
    journal
        .add_platform_slot(&keystore, "ios-keychain")
        .unwrap();
    let slots = journal.slots().unwrap();
    assert_eq!(slots.len(), 3);
    let passphrase_slot = slots
        .iter()
        .find(|s| s.kind == SlotKind::Passphrase)
        .unwrap();
    let recovery_slot = slots
        .iter()
        .find(|s| s.kind == SlotKind::RecoveryCode)
        .unwrap();
    let platform_slot = slots.iter().find(|s| s.kind == SlotKind::Platform).unwrap();
    assert_eq!(platform_slot.label, "ios-keychain");

    journal.remove_slot(passphrase_slot.id).unwrap();
    journal.remove_slot(recovery_slot.id).unwrap();
    assert!(matches!(
        journal.remove_slot(platform_slot.id),
        Err(Error::LastKeySlot)
    ));
    assert!(matches!(
        journal.remove_slot(9999),
        Err(Error::NotFound { .. })
    ));
    journal.lock();
    assert!(matches!(
        journal.unlock_with_passphrase(PASSPHRASE),
        Err(Error::WrongSecret)
    ));
    assert!(matches!(
        journal.remove_slot(platform_slot.id),
        Err(Error::Locked)
    ));
    journal.unlock_with_platform(&keystore).unwrap();

    journal.add_passphrase("a passphrase again").unwrap();
    assert!(matches!(
        journal.add_passphrase("a second passphrase"),
        Err(Error::InvalidInput {
            field: "passphrase",
            ..
        })
    ));
    let mut shown = None;
    journal
        .replace_recovery_code(|code| {
            shown = Some(code.reveal().to_string());
            Ok(())
        })
        .unwrap();
    journal.lock();
    journal.unlock_with_recovery_code(&shown.unwrap()).unwrap();
    journal.lock();
    journal
        .unlock_with_passphrase("a passphrase again")
        .unwrap();
}

#[test]
fn replacing_the_recovery_code_retires_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, old_code, _) = new_journal(dir.path());
    let mut new_code = String::new();
    journal
        .replace_recovery_code(|code| {
            // While the new code is shown, the old one still works: nothing is retired yet.
            assert_eq!(
                journal
                    .slots()
                    .unwrap()
                    .iter()
                    .filter(|s| s.kind == SlotKind::RecoveryCode)
                    .count(),
                2
            );
            new_code = code.reveal().to_string();
            Ok(())
        })
        .unwrap();
    journal.lock();
    assert!(matches!(
        journal.unlock_with_recovery_code(&old_code.reveal()),
        Err(Error::WrongSecret)
    ));
    journal.unlock_with_recovery_code(&new_code).unwrap();
    let recovery_slots = journal
        .slots()
        .unwrap()
        .iter()
        .filter(|s| s.kind == SlotKind::RecoveryCode)
        .count();
    assert_eq!(recovery_slots, 1);
}

#[test]
fn a_code_that_could_not_be_shown_is_never_the_only_one() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, old_code, path) = new_journal(dir.path());
    let refused = journal.replace_recovery_code(|_| {
        Err(Error::Crypto(
            "the screen went away before the code was seen",
        ))
    });
    assert!(refused.is_err());
    journal.lock();
    journal
        .unlock_with_recovery_code(&old_code.reveal())
        .unwrap();
    let recovery_slots = |j: &Journal| {
        j.slots()
            .unwrap()
            .iter()
            .filter(|s| s.kind == SlotKind::RecoveryCode)
            .count()
    };
    assert_eq!(recovery_slots(&journal), 1, "the unseen code was removed");

    // The shells' two steps: a crash between them leaves both codes working.
    let added = journal.add_recovery_code().unwrap();
    drop(journal);
    let journal = Journal::open(&path, fast_options()).unwrap();
    journal
        .unlock_with_recovery_code(&old_code.reveal())
        .unwrap();
    journal.lock();
    journal
        .unlock_with_recovery_code(&added.code.reveal())
        .unwrap();
    assert!(matches!(
        journal.retire_recovery_codes_except(9_999),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(recovery_slots(&journal), 2, "a wrong id retires nothing");
    journal.retire_recovery_codes_except(added.slot_id).unwrap();
    journal.lock();
    assert!(matches!(
        journal.unlock_with_recovery_code(&old_code.reveal()),
        Err(Error::WrongSecret)
    ));
    journal
        .unlock_with_recovery_code(&added.code.reveal())
        .unwrap();
}

#[test]
fn rotating_the_data_key_reseals_every_record_and_remakes_every_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, old_code, path) = new_journal(dir.path());
    let keystore = SoftwareKeyStore::new();
    journal
        .add_platform_slot(&keystore, "android-keystore")
        .unwrap();
    let ids: Vec<_> = (0..10)
        .map(|i| {
            journal
                .insert_record("note", format!("n{i}").as_bytes())
                .unwrap()
        })
        .collect();
    let before = blob_hashes(&path);

    assert!(matches!(
        journal.rotate_data_key("wrong passphrase", Some(&keystore), &|_| None),
        Err(Error::WrongSecret)
    ));
    assert_eq!(
        blob_hashes(&path),
        before,
        "a refused rotation changes nothing"
    );

    let rotation = journal
        .rotate_data_key(PASSPHRASE, Some(&keystore), &|_| None)
        .unwrap();
    assert_eq!(rotation.records_resealed, 10);
    assert_eq!(rotation.platform_slots_removed, 0);
    let new_code = rotation.recovery_code.unwrap();
    let after = blob_hashes(&path);
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(after.iter()) {
        assert_eq!(b.0, a.0);
        assert_ne!(b.1, a.1, "every blob is re-sealed");
    }
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            &journal.get_record(id).unwrap().body[..],
            format!("n{i}").as_bytes()
        );
    }
    drop(journal);

    let journal = Journal::open(&path, fast_options()).unwrap();
    assert!(matches!(
        journal.unlock_with_recovery_code(&old_code.reveal()),
        Err(Error::WrongSecret)
    ));
    journal
        .unlock_with_recovery_code(&new_code.reveal())
        .unwrap();
    journal.lock();
    journal.unlock_with_platform(&keystore).unwrap();
    journal.lock();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(journal.records(None).unwrap().records.len(), 10);

    // Without a platform key store, platform slots are dropped and reported.
    let rotation = journal
        .rotate_data_key(PASSPHRASE, None, &|_| None)
        .unwrap();
    assert_eq!(rotation.platform_slots_removed, 1);
    assert!(journal
        .slots()
        .unwrap()
        .iter()
        .all(|s| s.kind != SlotKind::Platform));
}

#[test]
fn weaker_kdf_parameters_are_upgraded_on_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let id = journal.insert_record("note", b"still here").unwrap();
    let before = blob_hashes(&path);
    drop(journal);

    let stronger = JournalOptions {
        kdf: KdfParams::new(2048, 2, 1).unwrap(),
        ..JournalOptions::default()
    };
    let journal = Journal::open(&path, stronger).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let slot = journal
        .slots()
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SlotKind::Passphrase)
        .unwrap();
    assert_eq!(slot.kdf, Some(KdfParams::new(2048, 2, 1).unwrap()));
    assert_eq!(
        blob_hashes(&path),
        before,
        "records untouched by the upgrade"
    );
    drop(journal);

    let journal = Journal::open(&path, stronger).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(&journal.get_record(&id).unwrap().body[..], b"still here");
}

#[test]
fn create_refuses_short_passphrases_and_existing_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    match Journal::create(&path, "short", fast_options()) {
        Err(Error::InvalidInput { field, rule }) => {
            assert_eq!(field, "passphrase");
            assert!(rule.contains("at least 8"));
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(!path.exists(), "a refused create leaves no file");
    let (_journal, _) = Journal::create(&path, PASSPHRASE, fast_options()).unwrap();
    assert!(matches!(
        Journal::create(&path, PASSPHRASE, fast_options()),
        Err(Error::AlreadyExists { .. })
    ));
    assert!(matches!(
        Journal::open(&dir.path().join("missing.db"), fast_options()),
        Err(Error::NoJournal { .. })
    ));
}

#[test]
fn the_journal_is_send_and_sync_and_serves_several_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Journal>();
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, _) = new_journal(dir.path());
    let journal = std::sync::Arc::new(journal);
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let journal = journal.clone();
            std::thread::spawn(move || {
                for i in 0..10 {
                    journal
                        .insert_record("note", format!("{t}-{i}").as_bytes())
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(journal.records(None).unwrap().records.len(), 40);
}

#[test]
fn enrolling_the_device_again_replaces_its_stale_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let old_key = SoftwareKeyStore::new();
    journal.add_platform_slot(&old_key, "pixel-8").unwrap();
    let other_device = SoftwareKeyStore::new();
    journal.add_platform_slot(&other_device, "tablet").unwrap();
    // A new fingerprint invalidated the old key; the person unlocked with the passphrase
    // and enrols again under the same label.
    let new_key = SoftwareKeyStore::new();
    journal.add_platform_slot(&new_key, "pixel-8").unwrap();
    let platform: Vec<String> = journal
        .slots()
        .unwrap()
        .into_iter()
        .filter(|s| s.kind == waymark_core::SlotKind::Platform)
        .map(|s| s.label)
        .collect();
    assert_eq!(platform, vec!["tablet".to_owned(), "pixel-8".to_owned()]);
    drop(journal);
    let journal = waymark_core::Journal::open(&path, fast_options()).unwrap();
    assert!(
        journal.unlock_with_platform(&old_key).is_err(),
        "its slot is gone"
    );
    assert!(!journal.is_unlocked());
    journal.unlock_with_platform(&new_key).unwrap();
    journal.lock();
    journal.unlock_with_platform(&other_device).unwrap();
}
