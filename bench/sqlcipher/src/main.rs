//! Waymark against SQLCipher 4 (raw key) and plain SQLite, one run, identical pragmas.
//!
//! Every side holds the ten-year journal's records (`core/benches/common/ten_years.rs`, shared
//! with the in-tree benchmark). The plaintext and SQLCipher sides hold them twice over: as
//! JSON bodies (how the release before this one stored records, and how an app built on
//! SQLCipher typically would) and as Waymark's own tagged bodies (so the difference is the cost
//! of the encryption alone). Pairs are timed alternately (a, b, a, b...) so both sides see the
//! same noise; every figure is a median.
//!
//! Run: `cargo run --release --manifest-path bench/sqlcipher/Cargo.toml` (the first build
//! compiles OpenSSL and SQLCipher: several minutes). The output is the table in
//! docs/performance.md.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../../../core/benches/common/ten_years.rs"]
mod ten_years;

use std::hint::black_box;
use std::time::Duration;
use ten_years::*;
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions};

/// SQLCipher's raw-key form: 32 bytes as hex, so no key derivation runs at open.
const RAW_KEY: &str = "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'";

/// A row of the table: one measurement per side, `None` where a side does not apply.
struct Row {
    what: &'static str,
    unit: &'static str,
    waymark: f64,
    /// Each side's value and Waymark's in the same alternating pairs (the ratio's numerator).
    others: [Option<(f64, f64)>; 4],
}

const SIDES: [&str; 4] = [
    "SQLCipher, JSON",
    "SQLCipher, tagged",
    "plain, JSON",
    "plain, tagged",
];

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten-years.db");
    let recovery = build_waymark(&path);
    let records = recovery.journal().record_count().unwrap();
    // [SQLCipher JSON, SQLCipher tagged, plain JSON, plain tagged]
    let paths = [
        copy_plain_json(&recovery, &dir.path().join("cipher-json.db"), Some(RAW_KEY)),
        copy_plain(&recovery, &dir.path().join("cipher.db"), Some(RAW_KEY)),
        copy_plain_json(&recovery, &dir.path().join("plain-json.db"), None),
        copy_plain(&recovery, &dir.path().join("plain.db"), None),
    ];
    let keys = [Some(RAW_KEY), Some(RAW_KEY), None, None];
    let body = check_in_body(&recovery);
    drop(recovery);
    eprintln!(
        "ten-year journal: {records} records; SQLite {}",
        rusqlite::version()
    );

    let mut rows = Vec::new();

    // Open + unlock (key derivation excluded) + all-time review, cold.
    let mut cold = [None; 4];
    let mut waymark_cold = Vec::new();
    for (i, (p, key)) in paths.iter().zip(keys).enumerate() {
        let (w, o) = paired(
            2,
            15,
            || {
                black_box(waymark_open_review(&path));
            },
            || {
                black_box(plain_open_review(p, key));
            },
        );
        waymark_cold.push(w);
        cold[i] = Some((ms(o), ms(w)));
    }
    rows.push(Row {
        what: "open + all-time review of ten years (cold, key derivation excluded)",
        unit: "ms",
        waymark: ms(median_of(&mut waymark_cold)),
        others: cold,
    });

    // Read every record into memory, connection already open and keyed.
    let journal = Journal::open(&path, cheap_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let mut read = [None; 4];
    let mut waymark_read = Vec::new();
    for (i, (p, key)) in paths.iter().zip(keys).enumerate() {
        let conn = open_plain(p, key);
        let (w, o) = paired(
            3,
            21,
            || {
                black_box(waymark_read_all(&journal));
            },
            || {
                black_box(plain_read_all(&conn));
            },
        );
        waymark_read.push(w);
        read[i] = Some((ms(o), ms(w)));
    }
    rows.push(Row {
        what: "read and decrypt every record",
        unit: "ms",
        waymark: ms(median_of(&mut waymark_read)),
        others: read,
    });

    // Durable check-in write (synchronous=FULL, WAL), against the tagged sides: the same
    // body, the same transaction shape.
    let clock = clock();
    let recovery = Recovery::new(journal, clock.clone());
    let mut write = [None; 4];
    let mut waymark_write = Vec::new();
    let mut n = 0u64;
    for i in [1usize, 3] {
        let conn = open_plain(&paths[i], keys[i]);
        let mut m = 0u64;
        let (w, o) = paired(
            20,
            201,
            || {
                n += 1;
                waymark_check_in(&recovery, &clock, n);
            },
            || {
                m += 1;
                plain_check_in(&conn, m, &body);
            },
        );
        waymark_write.push(w);
        write[i] = Some((us(o), us(w)));
    }
    rows.push(Row {
        what: "durable check-in write",
        unit: "µs",
        waymark: us(median_of(&mut waymark_write)),
        others: write,
    });
    drop(recovery);

    // File size, after each write-ahead log is checkpointed.
    let mut size = [None; 4];
    for (i, p) in paths.iter().enumerate() {
        size[i] = Some((file_size(p) as f64 / 1e6, file_size(&path) as f64 / 1e6));
    }
    rows.push(Row {
        what: "file size of ten years",
        unit: "MB",
        waymark: file_size(&path) as f64 / 1e6,
        others: size,
    });

    // Unlock at each side's defaults: Waymark's Argon2id (64 MiB, 3 passes) and SQLCipher 4's
    // PBKDF2-HMAC-SHA512 (256,000 iterations) from a passphrase.
    let strong = dir.path().join("strong.db");
    Journal::create(&strong, PASSPHRASE, JournalOptions::default()).unwrap();
    let cipher_default = dir.path().join("cipher-default.db");
    {
        let conn = open_plain(&cipher_default, Some(PASSPHRASE));
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let (waymark_unlock, cipher_unlock) = paired(
        1,
        5,
        || {
            let journal = Journal::open(&strong, JournalOptions::default()).unwrap();
            journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        },
        || {
            let conn = rusqlite::Connection::open(&cipher_default).unwrap();
            conn.execute_batch(&format!("PRAGMA key = \"{PASSPHRASE}\";"))
                .unwrap();
            let _: i64 = conn
                .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
                .unwrap();
        },
    );
    rows.push(Row {
        what: "unlock at the defaults (Argon2id 64 MiB x3 / PBKDF2-SHA512 256k)",
        unit: "ms",
        waymark: ms(waymark_unlock),
        others: [
            Some((ms(cipher_unlock), ms(waymark_unlock))),
            None,
            None,
            None,
        ],
    });

    print_table(records, &rows);
}

/// The median of what a side measured against each of its partners.
fn median_of(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn print_table(records: u64, rows: &[Row]) {
    println!("\n== ten-year journal ({records} records), one run, identical pragmas, medians ==\n");
    print!("| what | Waymark |");
    for side in SIDES {
        print!(" {side} |");
    }
    println!();
    println!("|---|---|---|---|---|---|");
    for row in rows {
        print!("| {} | {:.1} {} |", row.what, row.waymark, row.unit);
        for other in row.others {
            match other {
                Some((value, paired)) => print!(
                    " {value:.1} {} (Waymark {:.2}x) |",
                    row.unit,
                    paired / value
                ),
                None => print!(" |"),
            }
        }
        println!();
    }
    if let Some(peak) = peak_memory_mb() {
        println!("\npeak memory of this process (all sides): {peak:.1} MB");
    }
}
