//! The ten-year benchmark: Waymark against plain SQLite holding the same records, in one run
//! (the shared code and its rules are in `common/ten_years.rs`).
//!
//! Prints one table and the targets it is held to:
//! - open + unlock (Argon2id excluded) + all-time review, cold (at most 20 ms);
//! - the warm journal: `home()` (at most 2 ms) and the other read verbs (at most 5 ms);
//! - a durable check-in write (at most 1.1x plain SQLite);
//! - the file size (at most 1.3x plain SQLite);
//! - peak memory of a fresh process that opens and reviews (at most 40 MB);
//! - unlock with the default Argon2id (64 MiB, 3 passes).
//!
//! SQLCipher is compared in `bench/sqlcipher` (see docs/performance.md): building SQLCipher
//! with vendored OpenSSL takes minutes, so it stays out of this workspace and of `.ci/run`.
//!
//! Run: `cargo bench -p waymark-core --bench review`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::ten_years::*;
use std::hint::black_box;
use std::path::Path;
use waymark_core::recovery::review::ReviewRange;
use waymark_core::{Journal, JournalOptions};

fn peak_memory_child(path: &Path) {
    let items = waymark_open_review(path);
    println!("{} {items}", peak_memory_mb().unwrap_or(0.0));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak-memory") {
        peak_memory_child(Path::new(&args[i + 1]));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--profile-cold") {
        // For a profiler: build the journal at the path once, then open and review it N times.
        let path = Path::new(&args[i + 1]);
        if !path.exists() {
            drop(build_waymark(path));
        }
        let n: usize = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(100);
        for _ in 0..n {
            black_box(waymark_open_review(path));
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--profile-write") {
        // For a profiler: N durable check-ins on a warm copy of the journal at the path.
        let journal = Journal::open(Path::new(&args[i + 1]), cheap_options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        let clock = clock();
        let recovery = waymark_core::recovery::Recovery::new(journal, clock.clone());
        recovery.home().unwrap();
        let n: u64 = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(300);
        for k in 0..n {
            waymark_check_in(&recovery, &clock, 5000 + k);
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--profile-plain-write") {
        // The same for plain SQLite: N check-ins into a plain copy of the journal at the path.
        let journal = Journal::open(Path::new(&args[i + 1]), cheap_options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        let recovery = waymark_core::recovery::Recovery::new(journal, clock());
        let plain = copy_plain(&recovery, Path::new(&args[i + 2]), None);
        let body = check_in_body(&recovery);
        drop(recovery);
        let conn = open_plain(&plain, None);
        let n: u64 = args.get(i + 3).and_then(|n| n.parse().ok()).unwrap_or(300);
        for k in 0..n {
            plain_check_in(&conn, 5000 + k, &body);
        }
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return; // cargo bench --list
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten-years.db");
    let recovery = build_waymark(&path);
    let plain = copy_plain(&recovery, &dir.path().join("plain.db"), None);
    let plain_json = copy_plain_json(&recovery, &dir.path().join("plain-json.db"), None);
    let records = recovery.journal().record_count().unwrap();
    drop(recovery);
    eprintln!("ten-year journal: {records} records");

    // Cold: open, unlock (cheap Argon2id), decrypt and decode everything, review all time.
    // Each pair is timed alternately so both sides see the same noise.
    let (waymark_cold, plain_cold) = paired(
        3,
        21,
        || {
            black_box(waymark_open_review(&path));
        },
        || {
            black_box(plain_open_review(&plain, None));
        },
    );
    let plain_json_cold = median(3, 21, || {
        black_box(plain_open_review(&plain_json, None));
    });

    // Warm: the journal stays unlocked and decrypted in memory.
    let journal = Journal::open(&path, cheap_options()).unwrap();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let clock = clock();
    let recovery = waymark_core::recovery::Recovery::new(journal, clock.clone());
    recovery.home().unwrap();
    let home = median(10, 100, || {
        black_box(recovery.home().unwrap());
    });
    let review_warm = median(5, 50, || {
        black_box(recovery.review_progress(ReviewRange::AllTime).unwrap());
    });
    let progress_warm = median(5, 50, || {
        black_box(recovery.progress(ReviewRange::Month).unwrap());
    });
    let today = recovery.today().unwrap();
    let lists_warm = median(5, 50, || {
        let from = today - chrono::Duration::days(29);
        black_box(recovery.check_ins(from, today).unwrap());
        black_box(recovery.triggers(from, today).unwrap());
        black_box(recovery.cards(false).unwrap());
    });
    let export_warm = median(3, 20, || {
        black_box(recovery.export().unwrap());
    });

    // Durable writes: a new check-in, sealed and committed with synchronous=FULL. The warm
    // reads above ran at the end of the ten years; the writes move on a day each.
    let body = check_in_body(&recovery);
    let conn = open_plain(&plain, None);
    let (mut i, mut j) = (0u64, 0u64);
    let (waymark_write, plain_write) = paired(
        20,
        301,
        || {
            i += 1;
            waymark_check_in(&recovery, &clock, i);
        },
        || {
            j += 1;
            plain_check_in(&conn, j, &body);
        },
    );
    drop(conn);
    drop(recovery);

    let waymark_size = file_size(&path);
    let plain_size = file_size(&plain);
    let plain_json_size = file_size(&plain_json);

    let peak = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--peak-memory")
        .arg(&path)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok());

    // Unlock at the defaults (Argon2id 64 MiB, 3 passes).
    let strong = dir.path().join("strong.db");
    Journal::create(&strong, PASSPHRASE, JournalOptions::default()).unwrap();
    let unlock = median(1, 5, || {
        let journal = Journal::open(&strong, JournalOptions::default()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    });

    let check = |ok: bool| if ok { "ok" } else { "OVER" };
    println!(
        "\n== ten-year journal ({records} records): Waymark and plain SQLite, one run, medians =="
    );
    println!(
        "plain SQLite holds the same records as JSON (how the release before this one stored them)"
    );
    println!("and as Waymark's tagged bodies (the cost of encryption alone).\n");
    println!("| what | Waymark | plain, JSON | plain, tagged | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| open + unlock + all-time review (cold) | {:.1} ms | {:.1} ms | {:.1} ms ({:.2}x) | <= 20 ms: {} |",
        ms(waymark_cold),
        ms(plain_json_cold),
        ms(plain_cold),
        ms(waymark_cold) / ms(plain_cold),
        check(ms(waymark_cold) <= 20.0)
    );
    println!(
        "| durable check-in write | {:.0} µs | | {:.0} µs ({:.2}x) | <= 1.1x plain: {} |",
        us(waymark_write),
        us(plain_write),
        us(waymark_write) / us(plain_write),
        check(us(waymark_write) / us(plain_write) <= 1.1)
    );
    println!(
        "| file size | {:.1} MB | {:.1} MB ({:.2}x) | {:.1} MB ({:.2}x) | <= 1.3x plain: {} |",
        waymark_size as f64 / 1e6,
        plain_json_size as f64 / 1e6,
        waymark_size as f64 / plain_json_size as f64,
        plain_size as f64 / 1e6,
        waymark_size as f64 / plain_size as f64,
        check(waymark_size as f64 / plain_json_size as f64 <= 1.3)
    );
    println!("\n| warm read (journal unlocked) | time | target |");
    println!("|---|---|---|");
    println!(
        "| home() | {:.2} ms | <= 2 ms: {} |",
        ms(home),
        check(ms(home) <= 2.0)
    );
    for (what, t) in [
        ("review_progress(all time)", review_warm),
        ("progress(month)", progress_warm),
        ("check_ins + triggers (30 days) + cards", lists_warm),
    ] {
        println!(
            "| {what} | {:.2} ms | <= 5 ms: {} |",
            ms(t),
            check(ms(t) <= 5.0)
        );
    }
    println!(
        "| export() (everything, plaintext) | {:.2} ms | |",
        ms(export_warm)
    );
    match peak {
        Some(mb) => println!(
            "\npeak memory (VmHWM) of a fresh process that opens and reviews: {mb:.1} MB (<= 40 MB: {})",
            check(mb <= 40.0)
        ),
        None => println!("\npeak memory: not measured (no /proc here)"),
    }
    println!(
        "unlock with the default Argon2id (64 MiB, 3 passes): {:.0} ms",
        ms(unlock)
    );
}
