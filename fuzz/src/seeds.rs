//! Writes the seed corpus of every fuzz target into `fuzz/corpus/TARGET/`: real envelopes,
//! slot parameters, a backup file, a backup's decrypted content, the golden bodies of every
//! kind and version, recovery codes and command-line values, a sync folder's files. Run once
//! (the corpus is committed): `cargo run --manifest-path fuzz/Cargo.toml --bin seeds`, or
//! with target names to write only theirs (`... --bin seeds -- sync_files`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::crypto::envelope::{seal, SealingKey};
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions, KdfParams};

/// The kinds in the order `recovery::fuzz::body` picks them by its first byte.
const KINDS: [&str; 14] = [
    "settings",
    "journey",
    "lapse",
    "milestone_acks",
    "check_in",
    "trigger",
    "card",
    "card_state",
    "card_use",
    "reflection",
    "entry",
    "contact",
    "outreach",
    "meeting",
];

fn corpus(target: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    std::fs::create_dir_all(&dir).expect("the corpus folder");
    dir
}

fn put(target: &str, name: &str, bytes: &[u8]) {
    std::fs::write(corpus(target).join(name), bytes).expect("a seed file");
}

fn hex(text: &str) -> Vec<u8> {
    let clean: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    clean
        .chunks(2)
        .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

/// The seeds of `sync_files`: a journal synced to a folder, and what that left in the folder
/// and in the journal's own state.
fn sync_files() {
    let dir = tempfile::tempdir().expect("a folder");
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    let options = JournalOptions {
        kdf: KdfParams::new(8, 1, 1).expect("params"),
        ..JournalOptions::default()
    };
    let (journal, _) =
        Journal::create(&dir.path().join("seed.db"), "seed passphrase", options).expect("journal");
    let recovery = Recovery::new(journal, Arc::new(FixedClock::new(now)));
    let story = generate(&GeneratorSpec::story(3, 7, now, "Europe/Berlin")).expect("a story");
    recovery.import(&story).expect("imported");
    let seeds = waymark_core::recovery::fuzz::sync_seeds(&recovery, &dir.path().join("folder"))
        .expect("synced");
    for (i, seed) in seeds.iter().enumerate() {
        put("sync_files", &format!("seed-{i}"), seed);
    }
}

fn main() {
    let only: Vec<String> = std::env::args().skip(1).collect();
    if !only.is_empty() {
        for target in &only {
            match target.as_str() {
                "sync_files" => sync_files(),
                other => eprintln!("seeds: no separate seeds for {other}"),
            }
        }
        return;
    }
    sync_files();
    let key = SealingKey::new(&[7u8; 32], 1).expect("a key");
    for (i, plain) in [&b""[..], b"a short payload", &[0u8; 300]]
        .iter()
        .enumerate()
    {
        put(
            "envelope",
            &format!("sealed-{i}"),
            &seal(&key, b"fuzz", plain).expect("a seal"),
        );
    }
    for (name, params) in [
        ("default", KdfParams::default()),
        ("small", KdfParams::new(8, 1, 1).expect("params")),
        ("ceiling", KdfParams::new(1 << 20, 10, 4).expect("params")),
    ] {
        put("slot_params", name, &params.to_bytes());
    }

    // A small journal: its backup file and its backup's decrypted content.
    let dir = tempfile::tempdir().expect("a folder");
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    let options = JournalOptions {
        kdf: KdfParams::new(8, 1, 1).expect("params"),
        ..JournalOptions::default()
    };
    let (journal, code) =
        Journal::create(&dir.path().join("seed.db"), "seed passphrase", options).expect("journal");
    let recovery = Recovery::new(journal, Arc::new(FixedClock::new(now)));
    let story = generate(&GeneratorSpec::story(3, 21, now, "Europe/Berlin")).expect("a story");
    recovery.import(&story).expect("imported");
    let backup = dir.path().join("seed.wmbackup");
    recovery
        .write_backup(&backup, "a backup passphrase", &options.kdf)
        .expect("a backup");
    put(
        "backup_file",
        "three-weeks",
        &std::fs::read(&backup).expect("the backup"),
    );
    let payload = waymark_core::recovery::fuzz::payload_of(&recovery);
    put("backup_payload", "three-weeks", &payload);
    put("merge", "three-weeks", &payload);

    // Golden bodies of every kind and version, prefixed with the kind's index and version.
    let bodies = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/bodies");
    for entry in std::fs::read_dir(&bodies).expect("golden bodies").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((stem, ext)) = name.split_once('.') else {
            continue;
        };
        let kind = stem.split('-').next().unwrap_or(stem);
        let Some(index) = KINDS.iter().position(|k| *k == kind) else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).expect("a golden body");
        let (version, body) = match ext {
            "v1.json" => (1u8, text.trim().as_bytes().to_vec()),
            "v2.hex" => (2u8, hex(&text)),
            _ => continue,
        };
        let mut seed = vec![index as u8, version];
        seed.extend_from_slice(&body);
        put("body", &name, &seed);
    }

    let code = code.reveal().to_string();
    put("recovery_code", "real", code.as_bytes());
    put(
        "recovery_code",
        "lower-spaced",
        code.to_lowercase().replace('-', " ").as_bytes(),
    );
    put(
        "recovery_code",
        "look-alikes",
        code.replace('0', "O").replace('1', "l").as_bytes(),
    );
    for (i, text) in [
        "2026-03-01",
        "21:30",
        "2026-03-01 21:30",
        "12,50",
        "1.234,50",
        "1,234.50",
        "0123456789abcdef0123456789abcdef",
    ]
    .iter()
    .enumerate()
    {
        put("cli_parsers", &format!("value-{i}"), text.as_bytes());
    }
    println!("seeds written under {}", corpus("").display());
}
