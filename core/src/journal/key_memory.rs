//! Keys leave memory on lock: after `lock()`, no copy of the data key or of any subkey derived
//! from it is anywhere in the process's readable memory (heap, stacks, anonymous mappings),
//! checked by reading `/proc/self/mem`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::Journal;
use crate::crypto::subkeys::{derive_subkey, LABEL_LOOKUP_INDEX, LABEL_RECORD_CONTENT};
use crate::journal::JournalOptions;
use crate::KdfParams;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::FileExt;

/// A secret to look for, kept only masked so the search itself holds no copy of it.
struct Needle {
    masked: [u8; 32],
    mask: [u8; 32],
}

impl Needle {
    fn new(secret: &[u8; 32]) -> Needle {
        let mask: [u8; 32] = crate::crypto::random_array().unwrap_or([0x5a; 32]);
        let mut masked = [0u8; 32];
        for i in 0..32 {
            masked[i] = secret[i] ^ mask[i];
        }
        Needle { masked, mask }
    }

    fn at(&self, bytes: &[u8]) -> bool {
        (0..32).all(|i| bytes[i] ^ self.mask[i] == self.masked[i])
    }
}

/// How many times each needle appears in the process's readable, writable memory.
fn occurrences(needles: &[&Needle]) -> Vec<usize> {
    let mut found = vec![0; needles.len()];
    let maps = std::fs::File::open("/proc/self/maps").unwrap();
    let mem = std::fs::File::open("/proc/self/mem").unwrap();
    let mut chunk = vec![0u8; 1 << 20];
    for line in BufReader::new(maps).lines().map_while(|l| l.ok()) {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        let name = fields.nth(3).unwrap_or("");
        if !perms.starts_with("rw") || name.starts_with("[v") {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        let mut at = start;
        while at < end {
            // Overlap chunks by 31 bytes so no needle is split between two reads.
            let len = ((end - at) as usize).min(chunk.len());
            let Ok(n) = mem.read_at(&mut chunk[..len], at) else {
                break;
            };
            if n < 32 {
                break;
            }
            for i in 0..=n - 32 {
                for (k, needle) in needles.iter().enumerate() {
                    if needle.at(&chunk[i..i + 32]) {
                        found[k] += 1;
                    }
                }
            }
            if at + n as u64 >= end {
                break;
            }
            at += (n - 31) as u64;
        }
    }
    chunk.fill(0);
    found
}

/// The keys to look for, masked. Not inlined: the copies deriving them leaves are in this
/// dead frame, which the scrub after it clears, not in the test's own.
#[inline(never)]
fn needles(journal: &Journal) -> (Needle, Needle, Needle) {
    let state = journal.state();
    let key = state.keyring.as_ref().unwrap().data_key().bytes();
    let content = derive_subkey(key, LABEL_RECORD_CONTENT, &1u32.to_be_bytes()).unwrap();
    let lookup = derive_subkey(key, LABEL_LOOKUP_INDEX, &[]).unwrap();
    (
        Needle::new(key),
        Needle::new(&content),
        Needle::new(&lookup),
    )
}

#[test]
fn no_copy_of_the_data_key_or_a_subkey_remains_after_lock() {
    let dir = tempfile::tempdir().unwrap();
    let options = JournalOptions {
        kdf: KdfParams::new(256, 1, 1).unwrap(),
        ..JournalOptions::default()
    };
    let passphrase = "correct horse battery staple";
    let (journal, _) = Journal::create(&dir.path().join("j.db"), passphrase, options).unwrap();
    journal.lock();
    journal.unlock_with_passphrase(passphrase).unwrap();
    // Use every key: seal and open records, compute lookup ids.
    let id = journal.insert_record("note", b"hello").unwrap();
    journal.get_record(&id).unwrap();
    journal.lookup_id("check_in", b"2026-11-25").unwrap();
    journal.records(None).unwrap();

    let (data, content, lookup) = needles(&journal);
    crate::crypto::keyring::scrub_stack(); // what deriving the needles left
    let before = occurrences(&[&data, &content, &lookup]);
    assert!(
        before[0] >= 1,
        "the search finds the data key while unlocked"
    );

    journal.lock();
    assert_eq!(
        occurrences(&[&data, &content, &lookup]),
        [0, 0, 0],
        "copies of (data key, content key, lookup key) left after lock"
    );
}

/// The sync keys of `journal`'s data key, masked: the root, and the blob and key-file keys
/// derived from it.
#[inline(never)]
fn sync_needles(journal: &Journal) -> (Needle, Needle, Needle) {
    let state = journal.state();
    let key = state.keyring.as_ref().unwrap().data_key().bytes();
    let root = crate::crypto::sync_keys::root_of(key).unwrap();
    let blobs = derive_subkey(&root, b"waymark/v2/sync-blobs", &[]).unwrap();
    let mac = derive_subkey(&root, b"waymark/v2/sync-keys-mac", &[]).unwrap();
    (Needle::new(&root), Needle::new(&blobs), Needle::new(&mac))
}

#[test]
fn no_copy_of_a_sync_key_remains_after_a_sync_and_a_lock() {
    use crate::recovery::clock::FixedClock;
    use crate::recovery::sync::FolderStore;
    use crate::recovery::Recovery;
    let dir = tempfile::tempdir().unwrap();
    let options = JournalOptions {
        kdf: KdfParams::new(256, 1, 1).unwrap(),
        ..JournalOptions::default()
    };
    let passphrase = "correct horse battery staple";
    let (journal, _) = Journal::create(&dir.path().join("j.db"), passphrase, options).unwrap();
    let recovery = Recovery::new(
        journal,
        std::sync::Arc::new(FixedClock::new(chrono::Utc::now())),
    );
    recovery
        .write_entry(crate::recovery::entries::EntryInput {
            body: "a good walk".into(),
            ..Default::default()
        })
        .unwrap();
    let store = FolderStore::new(&dir.path().join("store")).unwrap();
    // Two syncs: one that fills the store, one that reads it back.
    recovery.sync(&store).unwrap();
    recovery.sync(&store).unwrap();
    let (root, blobs, mac) = sync_needles(recovery.journal());
    crate::crypto::keyring::scrub_stack();
    let after_sync = occurrences(&[&root, &blobs, &mac]);
    assert_eq!(
        after_sync,
        [0, 0, 0],
        "copies of (sync root, blob key, key-file key) left after a sync, while unlocked"
    );
    recovery.journal().lock();
    assert_eq!(occurrences(&[&root, &blobs, &mac]), [0, 0, 0]);
}
