//! The ten-year comparison, shared by the in-tree benchmark (`benches/review.rs`: Waymark
//! against plain SQLite) and the SQLCipher benchmark (`bench/sqlcipher`: the same three
//! plus SQLCipher 4 with a raw key, in one binary built against SQLCipher's SQLite).
//!
//! Every side stores the same records: the generated ten-year journal (3,650 check-ins,
//! 11,000 triggers with their card uses, 300 reflections, 300 entries, 20 lapses, 1,000
//! meetings). The plaintext sides hold Waymark's own tagged bodies in one table and read them
//! into the same `Snapshot` the journal builds, so every difference is the cost of Waymark's
//! encryption (or SQLCipher's). Connections use the same pragmas (`SQLITE_PRAGMAS`, WAL).
//! Times are medians of repeated samples after a warm-up; key derivation is excluded from
//! "open" (the journal's Argon2id is at its smallest setting there) and measured on its own.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{TimeZone, Utc};
use rusqlite::Connection;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::review::{review, ReviewRange};
use waymark_core::recovery::snapshot::Snapshot;
use waymark_core::recovery::Recovery;
use waymark_core::store::connection::SQLITE_PRAGMAS;
use waymark_core::{Journal, JournalOptions, KdfParams, RecordId, RecordView, Stamp};

pub const PASSPHRASE: &str = "benchmark passphrase";
pub const ZONE: &str = "Europe/Berlin";

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 18, 0, 0).unwrap()
}

/// Argon2id at its smallest: "open + unlock" without key derivation.
pub fn cheap_options() -> JournalOptions {
    JournalOptions {
        kdf: KdfParams::new(8, 1, 1).unwrap(),
        ..JournalOptions::default()
    }
}

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(now()))
}

/// The median of `samples` timed runs of `f` after `warm` untimed ones.
pub fn median(warm: usize, samples: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..warm {
        f();
    }
    let mut times: Vec<Duration> = (0..samples)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

/// Medians of `a` and `b` timed alternately (a, b, a, b...), so both see the same noise
/// from the machine.
pub fn paired(
    warm: usize,
    samples: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration) {
    for _ in 0..warm {
        a();
        b();
    }
    let mut ta = Vec::with_capacity(samples);
    let mut tb = Vec::with_capacity(samples);
    for _ in 0..samples {
        let start = Instant::now();
        a();
        ta.push(start.elapsed());
        let start = Instant::now();
        b();
        tb.push(start.elapsed());
    }
    ta.sort_unstable();
    tb.sort_unstable();
    (ta[samples / 2], tb[samples / 2])
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Microseconds, for printing.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Creates the ten-year journal at `path` and returns it unlocked.
pub fn build_waymark(path: &Path) -> Recovery {
    let (journal, _) = Journal::create(path, PASSPHRASE, cheap_options()).unwrap();
    let recovery = Recovery::new(journal, clock());
    let snapshot = generate(&GeneratorSpec::ten_years(2026, now(), ZONE)).unwrap();
    recovery.import(&snapshot).unwrap();
    recovery
}

/// A plaintext database at `path` with the same pragmas; `key` is SQLCipher's raw key
/// (`x'...'` hex), if the build is SQLCipher's.
pub fn open_plain(path: &Path, key: Option<&str>) -> Connection {
    let conn = Connection::open(path).unwrap();
    if let Some(key) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{key}\";"))
            .unwrap();
    }
    conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch(SQLITE_PRAGMAS).unwrap();
    conn
}

/// Copies every record of `recovery` (decrypted, in its stored body format) into a plain
/// table at `path`.
pub fn copy_plain(recovery: &Recovery, path: &Path, key: Option<&str>) -> PathBuf {
    let mut conn = open_plain(path, key);
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS records (id BLOB PRIMARY KEY NOT NULL, kind TEXT NOT NULL,
             body_version INTEGER NOT NULL, body BLOB NOT NULL);",
    )
    .unwrap();
    let records = recovery.journal().records(None).unwrap().records;
    let tx = conn.transaction().unwrap();
    for r in &records {
        tx.execute(
            "INSERT INTO records VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![r.id.as_bytes(), r.kind, r.body_version, &r.body[..]],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    path.to_path_buf()
}

/// Copies the records of `recovery` into a plain table at `path` as JSON bodies (body
/// version 1), the way the release before this one stored them and a plaintext app would.
pub fn copy_plain_json(recovery: &Recovery, path: &Path, key: Option<&str>) -> PathBuf {
    let s = recovery.snapshot().unwrap();
    let mut conn = open_plain(path, key);
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS records (id BLOB PRIMARY KEY NOT NULL, kind TEXT NOT NULL,
             body_version INTEGER NOT NULL, body BLOB NOT NULL);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    let put = |kind: &str, body: Vec<u8>| {
        let id: [u8; 16] = waymark_core::crypto::random_array().unwrap();
        tx.execute(
            "INSERT INTO records VALUES (?1, ?2, 1, ?3)",
            rusqlite::params![&id[..], kind, body],
        )
        .unwrap();
    };
    macro_rules! all {
        ($($field:ident => $kind:literal),*) => {$(
            for item in &s.$field {
                put($kind, serde_json::to_vec(item).unwrap());
            }
        )*};
    }
    if let Some(settings) = &s.settings {
        put("settings", serde_json::to_vec(settings).unwrap());
    }
    all!(journeys => "journey", lapses => "lapse", check_ins => "check_in",
        triggers => "trigger", card_uses => "card_use", reflections => "reflection",
        entries => "entry", contacts => "contact", outreach => "outreach",
        meetings => "meeting");

    tx.commit().unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    path.to_path_buf()
}

/// Open the journal, unlock it (cheap Argon2id) and review all time.
pub fn waymark_open_review(path: &Path) -> usize {
    let journal = Journal::open(path, cheap_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let recovery = Recovery::new(journal, clock());
    let review = recovery.review_progress(ReviewRange::AllTime).unwrap();
    review.mood_series.len() + review.triggers.total as usize
}

/// Open a plaintext (or SQLCipher) copy, read every row into the same snapshot and review all
/// time.
pub fn plain_open_review(path: &Path, key: Option<&str>) -> usize {
    let conn = open_plain(path, key);
    let mut statement = conn
        .prepare("SELECT id, kind, body_version, body FROM records")
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut owned: Vec<(RecordId, String, u8, Vec<u8>)> = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let id: [u8; 16] = row
            .get_ref(0)
            .unwrap()
            .as_blob()
            .unwrap()
            .try_into()
            .unwrap();
        owned.push((
            RecordId::from_bytes(id),
            row.get(1).unwrap(),
            row.get(2).unwrap(),
            row.get_ref(3).unwrap().as_blob().unwrap().to_vec(),
        ));
    }
    let snapshot =
        Snapshot::from_records(owned.iter().map(|(id, kind, version, body)| RecordView {
            id: *id,
            kind,
            revision: 1,
            body_version: *version,
            stamp: Stamp::default(),
            quarantine: None,
            body,
        }));
    let settings = snapshot.settings.clone().unwrap_or_default();
    let review = review(&snapshot, ReviewRange::AllTime, now(), &settings).unwrap();
    review.mood_series.len() + review.triggers.total as usize
}

/// Read every record of an unlocked journal into memory (decrypted, owned).
pub fn waymark_read_all(journal: &Journal) -> usize {
    let loaded = journal.records(None).unwrap();
    loaded.records.iter().map(|r| r.body.len()).sum()
}

/// Read every row of an open plaintext (or keyed SQLCipher) copy into memory.
pub fn plain_read_all(conn: &Connection) -> usize {
    let mut statement = conn
        .prepare_cached("SELECT id, kind, body_version, body FROM records")
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut owned: Vec<([u8; 16], String, u8, Vec<u8>)> = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        owned.push((
            row.get_ref(0)
                .unwrap()
                .as_blob()
                .unwrap()
                .try_into()
                .unwrap(),
            row.get(1).unwrap(),
            row.get(2).unwrap(),
            row.get_ref(3).unwrap().as_blob().unwrap().to_vec(),
        ));
    }
    owned.iter().map(|r| r.3.len()).sum()
}

/// One durable check-in through the recovery service (validate, seal, commit, warm update),
/// as a person makes it: for today, on the `i`-th day after the ten-year history (the clock
/// moves there first), so each is a new record.
pub fn waymark_check_in(recovery: &Recovery, clock: &FixedClock, i: u64) {
    clock.set(now() + chrono::Duration::days(i64::try_from(i).unwrap()));
    recovery
        .check_in(CheckInInput {
            date: None,
            mood: 4,
            craving: 2,
            intention: Some("call my sponsor before the weekend".into()),
            ..CheckInInput::default()
        })
        .unwrap();
}

/// The same check-in's tagged body, for the plaintext sides.
pub fn check_in_body(recovery: &Recovery) -> Vec<u8> {
    let records = recovery
        .journal()
        .records(Some("check_in"))
        .unwrap()
        .records;
    records[0].body.to_vec()
}

/// One durable plaintext write of the same body, in the same transaction shape (look the
/// day up, then write it), with the same pragmas.
pub fn plain_check_in(conn: &Connection, i: u64, body: &[u8]) {
    let id = RecordId::from_bytes([(i % 251) as u8; 16]);
    let mut key = *id.as_bytes();
    key[..8].copy_from_slice(&i.to_be_bytes());
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let _: Option<Vec<u8>> = conn
        .prepare_cached("SELECT body FROM records WHERE id = ?1")
        .unwrap()
        .query_row([&key[..]], |row| row.get(0))
        .ok();
    conn.prepare_cached("INSERT OR REPLACE INTO records VALUES (?1, 'check_in', 2, ?2)")
        .unwrap()
        .execute(rusqlite::params![&key[..], body])
        .unwrap();
    conn.execute_batch("COMMIT").unwrap();
    black_box(());
}

/// The size of a database file in bytes (after its write-ahead log is checkpointed).
pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Peak resident memory of this process so far (VmHWM), in MB, where /proc exists.
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}
