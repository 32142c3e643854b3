//! The review benchmark: opening a generated ten-year journal and running the all-time
//! progress review, against a plain-SQLite baseline measured in the same run.
//!
//! The journal: 3,650 check-ins, 11,000 triggers (with their card uses), 300 reflections, 300
//! journal entries, 20 lapses and 1,000 meetings (`GeneratorSpec::ten_years`). Key derivation
//! is excluded as the issue asks: the journal uses Argon2id at its smallest setting (8 KiB,
//! one pass; tens of microseconds), so "open" is the SQLite open, the slot unwrap, and the
//! schema checks.
//!
//! - `open_and_review/total`: `Journal::open` + unlock + `review_progress(AllTime)`.
//! - `open_and_review/open_unlock`, `load_snapshot`, `review_only`: the three parts, and
//!   `decrypt_only` (decrypting every record without parsing, the floor of `load_snapshot`).
//! - `open_and_review/plain_baseline`: the same record bodies read from a plaintext SQLite
//!   table and parsed into the same types (what the review would cost with no encryption).
//!
//! Peak memory is measured in a fresh child process (this binary re-run with
//! `--peak-memory PATH`) that opens the journal and runs the review, then reads `VmHWM`.
//!
//! Run: `cargo bench -p waymark-core --bench review`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{TimeZone, Utc};
mod common;

use criterion::Criterion;
use rusqlite::Connection;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::review::{review, ReviewRange};
use waymark_core::recovery::snapshot::Snapshot;
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions, KdfParams};

const PASSPHRASE: &str = "benchmark passphrase";
const ZONE: &str = "Europe/Berlin";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 18, 0, 0).unwrap()
}

fn options() -> JournalOptions {
    JournalOptions {
        kdf: KdfParams::new(8, 1, 1).unwrap(),
        ..JournalOptions::default()
    }
}

fn open_and_review(path: &Path) -> usize {
    let journal = Journal::open(path, options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let recovery = Recovery::new(journal, Arc::new(FixedClock::new(now())));
    let review = recovery.review_progress(ReviewRange::AllTime).unwrap();
    review.mood_series.len() + review.triggers.total as usize
}

/// Builds the ten-year journal and a plaintext copy of its record bodies.
fn build(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let path = dir.join("ten-years.db");
    let (journal, _) = Journal::create(&path, PASSPHRASE, options()).unwrap();
    let recovery = Recovery::new(journal, Arc::new(FixedClock::new(now())));
    let snapshot = generate(&GeneratorSpec::ten_years(2026, now(), ZONE)).unwrap();
    let written = recovery.import(&snapshot).unwrap();
    let records = recovery.journal().records(None).unwrap().records;
    eprintln!(
        "ten-year journal: {written} records written, {} stored",
        records.len()
    );
    let plain = dir.join("plain.db");
    let mut conn = Connection::open(&plain).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE records (id BLOB PRIMARY KEY, kind TEXT NOT NULL, body BLOB NOT NULL);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    for r in &records {
        tx.execute(
            "INSERT INTO records VALUES (?1, ?2, ?3)",
            rusqlite::params![r.id.as_bytes(), r.kind, &r.body[..]],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    (path, plain)
}

/// The baseline: the same bodies from plaintext SQLite, parsed into the same types.
fn plain_read_and_parse(plain: &Path) -> usize {
    use waymark_core::recovery::check_in::CheckIn;
    use waymark_core::recovery::triggers::TriggerEvent;
    let conn = Connection::open(plain).unwrap();
    let mut statement = conn.prepare("SELECT kind, body FROM records").unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut parsed = 0usize;
    while let Some(row) = rows.next().unwrap() {
        let kind: String = row.get(0).unwrap();
        let body = row.get_ref(1).unwrap().as_blob().unwrap();
        parsed += match kind.as_str() {
            "trigger" => serde_json::from_slice::<TriggerEvent>(body).is_ok() as usize,
            "check_in" => serde_json::from_slice::<CheckIn>(body).is_ok() as usize,
            _ => serde_json::from_slice::<serde_json::Value>(body).is_ok() as usize,
        };
    }
    parsed
}

fn peak_memory_child(path: &str) {
    let items = open_and_review(Path::new(path));
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{hwm} {items}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak-memory") {
        peak_memory_child(&args[i + 1]);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (path, plain) = build(dir.path());
    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("open_and_review");
    group.sample_size(20);
    group.bench_function("total", |b| b.iter(|| black_box(open_and_review(&path))));
    group.bench_function("open_unlock", |b| {
        b.iter(|| {
            let journal = Journal::open(&path, options()).unwrap();
            journal.unlock_with_passphrase(PASSPHRASE).unwrap();
            black_box(journal.is_unlocked())
        })
    });
    let journal = Journal::open(&path, options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    group.bench_function("load_snapshot", |b| {
        b.iter(|| black_box(Snapshot::load(&journal).unwrap().triggers.len()))
    });
    group.bench_function("decrypt_only", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            journal.visit_records(|r| bytes += r.body.len()).unwrap();
            black_box(bytes)
        })
    });
    let snapshot = Snapshot::load(&journal).unwrap();
    let settings = snapshot.settings.clone().unwrap_or_default();
    group.bench_function("review_only", |b| {
        b.iter(|| {
            black_box(
                review(&snapshot, ReviewRange::AllTime, now(), &settings)
                    .unwrap()
                    .mood_series
                    .len(),
            )
        })
    });
    group.bench_function("plain_baseline", |b| {
        b.iter(|| black_box(plain_read_and_parse(&plain)))
    });
    group.finish();
    c.final_summary();

    let peak = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--peak-memory")
        .arg(&path)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|k| k.parse::<f64>().ok())
        });

    println!("\n== waymark review benchmark summary (same run, ten-year journal) ==");
    let ms = |f: &str| common::estimate_ns("open_and_review", f).map(|ns| ns / 1e6);
    if let Some(total) = ms("total") {
        println!("open + all-time review      {total:>8.1} ms   (target <= 100 ms)");
    }
    for part in [
        "open_unlock",
        "load_snapshot",
        "decrypt_only",
        "review_only",
        "plain_baseline",
    ] {
        if let Some(v) = ms(part) {
            println!("  {part:<25} {v:>8.1} ms");
        }
    }
    if let (Some(total), Some(plain)) = (ms("total"), ms("plain_baseline")) {
        println!(
            "ratio total / plain read+parse of the same bodies: {:.2}",
            total / plain
        );
    }
    match peak {
        Some(kib) => println!("peak memory (VmHWM) of a fresh process opening + reviewing: {:.1} MB   (target < 50 MB)", kib / 1024.0),
        None => println!("peak memory: not measured (no /proc on this system)"),
    }
}
