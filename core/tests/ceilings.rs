//! S18 for key slots: a slot naming key-derivation parameters above the ceilings (1 GiB,
//! 10 passes, 4 lanes) is refused as damage before any derivation, even when a hostile file
//! recomputes the slot's checksum to match; a flipped bit in a slot reads as damage, never as
//! a wrong passphrase; and the other slots still open the journal.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use waymark_core::{Error, Journal};

/// The slot checksum as `store::slots::checksum` documents it: SHA-256 over a label, the
/// journal id and every column, each length-prefixed, first 16 bytes.
fn checksum(
    journal_id: &[u8],
    kind: i64,
    label: &str,
    salt: &[u8],
    params: &[u8],
    wrapped: &[u8],
) -> Vec<u8> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(b"waymark slot checksum v1");
    context.update(journal_id);
    context.update(&kind.to_be_bytes());
    for part in [label.as_bytes(), salt, params, wrapped] {
        context.update(&(part.len() as u64).to_be_bytes());
        context.update(part);
    }
    context.finish().as_ref()[..16].to_vec()
}

/// Rewrites the passphrase slot's parameters; with `fix_checksum`, as a hostile program
/// would (the checksum recomputed), otherwise as damage would (the checksum left as it was).
fn set_passphrase_params(path: &std::path::Path, params: [u8; 12], fix_checksum: bool) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let journal_id: Vec<u8> = conn
        .query_row(
            "SELECT value FROM settings WHERE name = 'journal_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (id, label, salt, wrapped): (i64, String, Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT id, label, salt, wrapped_key FROM key_slots WHERE kind = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    conn.execute(
        "UPDATE key_slots SET params = ?1 WHERE id = ?2",
        rusqlite::params![&params[..], id],
    )
    .unwrap();
    if fix_checksum {
        let sum = checksum(&journal_id, 1, &label, &salt, &params, &wrapped);
        conn.execute(
            "UPDATE key_slots SET checksum = ?1 WHERE id = ?2",
            rusqlite::params![sum, id],
        )
        .unwrap();
    }
}

fn params(memory_kib: u32, passes: u32, lanes: u32) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[0..4].copy_from_slice(&memory_kib.to_be_bytes());
    out[4..8].copy_from_slice(&passes.to_be_bytes());
    out[8..12].copy_from_slice(&lanes.to_be_bytes());
    out
}

#[test]
fn a_slot_above_the_ceilings_is_damage_even_with_its_checksum_recomputed() {
    for (memory, passes, lanes) in [
        (4 * 1024 * 1024, 3, 1), // 4 GiB
        (2 * 1024 * 1024, 3, 1), // the audit's flipped bit: 2 GiB
        (65536, 11, 1),
        (65536, 3, 5),
        (u32::MAX, u32::MAX, u32::MAX),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (journal, code, path) = new_journal(dir.path());
        let id = journal.insert_record("note", b"still mine").unwrap();
        drop(journal);
        set_passphrase_params(&path, params(memory, passes, lanes), true);
        let journal = Journal::open(&path, fast_options()).unwrap();
        assert!(
            matches!(
                journal.unlock_with_passphrase(PASSPHRASE),
                Err(Error::CorruptJournal { .. })
            ),
            "{memory} KiB, {passes} passes, {lanes} lanes"
        );
        // The recovery code still opens everything.
        journal.unlock_with_recovery_code(&code.reveal()).unwrap();
        assert_eq!(&journal.get_record(&id).unwrap().body[..], b"still mine");
    }
}

#[test]
fn a_flipped_bit_in_a_slot_is_damage_not_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    drop(journal);
    let default = fast_options().kdf.to_bytes();
    let mut flipped = default;
    flipped[1] ^= 0x80; // the memory field: from a few KiB to 8 GiB and more
    set_passphrase_params(&path, flipped, false);
    let journal = Journal::open(&path, fast_options()).unwrap();
    assert!(matches!(
        journal.unlock_with_passphrase(PASSPHRASE),
        Err(Error::CorruptJournal { .. })
    ));
}
