//! The store benchmark: the cost of encryption, measured against plain rusqlite in the same run.
//!
//! - `write_one_record`: one record sealed and durably committed (WAL, `synchronous=FULL`,
//!   one transaction) versus the same row written in plaintext with the same pragmas.
//! - `read_all_records`: every record of a 10,000-record journal decrypted versus the same
//!   rows read in plaintext, for two journals: `mixed` (the sizes a real journal has:
//!   check-ins, triggers, journal entries and lapses from 150 bytes to 4 KB) and `small`
//!   (every record a 230-byte check-in: the worst case for the 512-byte padding that keeps
//!   record kinds indistinguishable, S10).
//! - `unlock_passphrase`: Argon2id unlock at the default and at OWASP's minimum parameters.
//!
//! After criterion's own report, prints the encrypted/plain ratio for each pair (target: at
//! most 1.3) and the unlock times. Run: `cargo bench -p waymark-core --bench store`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use criterion::{BenchmarkId, Criterion};
use rusqlite::Connection;
use std::hint::black_box;
use std::path::Path;
use waymark_core::{Journal, JournalOptions, KdfParams};

const RECORDS: usize = 10_000;
const PASSPHRASE: &str = "benchmark passphrase";

fn body(i: usize) -> Vec<u8> {
    format!(
        r#"{{"date":"2026-{:02}-{:02}","mood":{},"craving":{},"halt":["tired","lonely"],"triggers":["payday","old friends"],"intention":"call my sponsor before the weekend","note":"entry {i}"}}"#,
        1 + i % 12,
        1 + i % 28,
        1 + i % 5,
        i % 11
    )
    .into_bytes()
}

/// A deterministic mix of record sizes like a real journal's: half trigger logs (150-400
/// bytes), a third check-ins (250-700), a tenth journal entries (500-4,000), the rest lapses,
/// reflections and meetings (200-1,500).
fn mixed_body(i: usize) -> (&'static str, Vec<u8>) {
    let r = (i as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        >> 33;
    let (kind, low, high) = match r % 100 {
        0..=49 => ("trigger", 150, 400),
        50..=84 => ("check_in", 250, 700),
        85..=94 => ("journal_entry", 500, 4000),
        _ => ("reflection", 200, 1500),
    };
    let len = low + (r as usize / 100) % (high - low);
    let mut body = body(i);
    body.resize(len, b'x');
    (kind, body)
}

fn fast_options() -> JournalOptions {
    JournalOptions {
        kdf: KdfParams::new(256, 1, 1).unwrap(),
        ..JournalOptions::default()
    }
}

fn plain_db(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .unwrap();
    // Exactly the journal's own connection settings, so the ratio isolates encryption.
    conn.execute_batch(waymark_core::store::connection::SQLITE_PRAGMAS)
        .unwrap();
    conn.execute_batch(
        "CREATE TABLE records (id BLOB PRIMARY KEY NOT NULL, kind TEXT NOT NULL,
                               revision INTEGER NOT NULL, body BLOB NOT NULL);",
    )
    .unwrap();
    conn
}

fn plain_insert(conn: &mut Connection, kind: &str, body: &[u8]) {
    let id: [u8; 16] = waymark_core::crypto::random_array().unwrap();
    let tx = conn.transaction().unwrap();
    tx.prepare_cached("INSERT INTO records (id, kind, revision, body) VALUES (?1, ?2, 1, ?3)")
        .unwrap()
        .execute(rusqlite::params![&id[..], kind, body])
        .unwrap();
    tx.commit().unwrap();
}

fn plain_read_all(conn: &Connection) -> Vec<(Vec<u8>, String, i64, Vec<u8>)> {
    let mut statement = conn
        .prepare_cached("SELECT id, kind, revision, body FROM records")
        .unwrap();
    let rows = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

fn bench_writes(c: &mut Criterion, dir: &Path) {
    let (journal, _) = Journal::create(&dir.join("write.db"), PASSPHRASE, fast_options()).unwrap();
    let mut plain = plain_db(&dir.join("write-plain.db"));
    let record = body(7);
    let mut group = c.benchmark_group("write_one_record");
    group.bench_function("plain", |b| {
        b.iter(|| plain_insert(&mut plain, "check_in", &record))
    });
    group.bench_function("encrypted", |b| {
        b.iter(|| {
            journal
                .insert_record("check_in", black_box(&record))
                .unwrap()
        })
    });
    group.finish();
}

fn bench_reads(
    c: &mut Criterion,
    dir: &Path,
    name: &str,
    make: fn(usize) -> (&'static str, Vec<u8>),
) {
    let path = dir.join(format!("read-{name}.db"));
    let (journal, _) = Journal::create(&path, PASSPHRASE, fast_options()).unwrap();
    let mut plain = plain_db(&dir.join(format!("read-{name}-plain.db")));
    journal
        .write(|w| {
            for i in 0..RECORDS {
                let (kind, body) = make(i);
                w.insert(kind, &body)?;
            }
            Ok(())
        })
        .unwrap();
    let tx = plain.transaction().unwrap();
    for i in 0..RECORDS {
        let (kind, body) = make(i);
        let id: [u8; 16] = waymark_core::crypto::random_array().unwrap();
        tx.execute(
            "INSERT INTO records (id, kind, revision, body) VALUES (?1, ?2, 1, ?3)",
            rusqlite::params![&id[..], kind, body],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    let mut group = c.benchmark_group(format!("read_all_records_{name}"));
    group.sample_size(30);
    group.bench_function("plain", |b| {
        b.iter(|| black_box(plain_read_all(&plain).len()))
    });
    group.bench_function("encrypted", |b| {
        b.iter(|| black_box(journal.records(None).unwrap().records.len()))
    });
    group.finish();
}

fn bench_unlock(c: &mut Criterion, dir: &Path) {
    let mut group = c.benchmark_group("unlock_passphrase");
    group.sample_size(10);
    for (name, kdf) in [
        ("recommended_64MiB_t3", KdfParams::RECOMMENDED),
        ("owasp_19MiB_t2", KdfParams::OWASP_MINIMUM),
    ] {
        let options = JournalOptions {
            kdf,
            ..JournalOptions::default()
        };
        let path = dir.join(format!("unlock-{name}.db"));
        let (journal, _) = Journal::create(&path, PASSPHRASE, options).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(name), &journal, |b, journal| {
            b.iter(|| {
                journal.lock();
                journal.unlock_with_passphrase(PASSPHRASE).unwrap();
            })
        });
    }
    group.finish();
}

fn print_summary() {
    println!("\n== waymark store benchmark summary (same run) ==");
    for group in [
        "write_one_record",
        "read_all_records_mixed",
        "read_all_records_small",
    ] {
        match (common::estimate_ns(group, "encrypted"), common::estimate_ns(group, "plain")) {
            (Some(enc), Some(plain)) => println!(
                "{group:<24} encrypted {:>10.1} us   plain {:>10.1} us   ratio {:.2} (target <= 1.30)",
                enc / 1e3,
                plain / 1e3,
                enc / plain
            ),
            _ => println!("{group:<24} (not measured in this run)"),
        }
    }
    for name in ["recommended_64MiB_t3", "owasp_19MiB_t2"] {
        if let Some(ns) = common::estimate_ns("unlock_passphrase", name) {
            println!("unlock {name:<22} {:>8.1} ms", ns / 1e6);
        }
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Criterion::default().configure_from_args();
    bench_writes(&mut c, dir.path());
    bench_reads(&mut c, dir.path(), "mixed", mixed_body);
    bench_reads(&mut c, dir.path(), "small", |i| ("check_in", body(i)));
    bench_unlock(&mut c, dir.path());
    c.final_summary();
    print_summary();
}
