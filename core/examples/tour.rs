//! A tour of the encrypted journal store, on a throwaway journal in a temporary directory:
//! create (with the default, strong Argon2id parameters), write records, lock, unlock with the
//! passphrase and with the recovery code, change the passphrase, and wipe.
//!
//! Run: `cargo run --release -p waymark-core --example tour`. Everything it writes is
//! synthetic and is destroyed at the end.
#![allow(clippy::print_stdout)]

use std::time::Instant;
use waymark_core::{Journal, JournalOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("journal.db");
    let options = JournalOptions::default();
    println!(
        "Waymark store tour: a throwaway journal at {}",
        path.display()
    );
    println!(
        "Argon2id: {} MiB, {} passes, {} lane",
        options.kdf.memory_kib / 1024,
        options.kdf.iterations,
        options.kdf.parallelism
    );

    let started = Instant::now();
    let (journal, code) = Journal::create(&path, "a demo passphrase", options)?;
    println!("created in {} ms", started.elapsed().as_millis());
    println!(
        "recovery code (shown once; write it down): {}",
        code.reveal().as_str()
    );

    let days = 30;
    journal.write(|w| {
        for day in 1..=days {
            let body = format!(
                r#"{{"day":{day},"mood":{},"craving":{}}}"#,
                1 + day % 5,
                day % 7
            );
            w.insert("check_in", body.as_bytes())?;
        }
        w.insert("lapse", br#"{"day":12,"note":"a synthetic slip"}"#)?;
        Ok(())
    })?;
    println!(
        "wrote {} records in one transaction",
        journal.record_count()?
    );

    journal.lock();
    let started = Instant::now();
    journal.unlock_with_passphrase("a demo passphrase")?;
    println!(
        "unlocked with the passphrase in {} ms",
        started.elapsed().as_millis()
    );
    let loaded = journal.records(Some("check_in"))?;
    println!(
        "{} check-ins decrypted, {} damaged",
        loaded.records.len(),
        loaded.damaged.len()
    );

    journal.lock();
    journal.unlock_with_recovery_code(&code.reveal())?;
    println!("unlocked with the recovery code");

    journal.change_passphrase("a demo passphrase", "a brand new passphrase")?;
    println!("passphrase changed (the data key was re-wrapped; no record was re-encrypted)");
    for slot in journal.slots()? {
        println!("  key slot {}: {:?}", slot.id, slot.kind);
    }

    journal.wipe()?;
    println!("wiped: journal file exists afterwards? {}", path.exists());
    Ok(())
}
