//! Crash durability (S5, S13): a child process writing in a loop is killed with SIGKILL at
//! random moments, again and again. After each kill the database passes
//! `PRAGMA integrity_check` and every write the child acknowledged is there; a passphrase
//! change killed at any step leaves the old or the new passphrase working.
//!
//! The child is this same test binary, re-run on the ignored test `crash_child`, which reads
//! its instructions from the environment and prints `ack N` after each committed write.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use waymark_core::{Journal, RecordId};

const ENV_PATH: &str = "WAYMARK_CRASH_CHILD_JOURNAL";
const ENV_MODE: &str = "WAYMARK_CRASH_CHILD_MODE";
const ENV_START: &str = "WAYMARK_CRASH_CHILD_START";
const KILLS: usize = 24;

fn record_id(i: u64) -> RecordId {
    let mut bytes = [0u8; 16];
    bytes[8..].copy_from_slice(&i.to_be_bytes());
    RecordId::from_bytes(bytes)
}

fn body(i: u64) -> Vec<u8> {
    // Sizes vary so writes span one to several pages.
    let mut body = format!("write number {i};").into_bytes();
    body.resize(100 + (i as usize * 397) % 9000, b'.');
    body
}

fn passphrase(k: u64) -> String {
    format!("passphrase number {k}")
}

/// The child: opens the journal and writes until it is killed.
#[test]
#[ignore = "run as a child process by the crash tests"]
fn crash_child() {
    let (Ok(path), Ok(mode), Ok(start)) = (
        std::env::var(ENV_PATH),
        std::env::var(ENV_MODE),
        std::env::var(ENV_START),
    ) else {
        return;
    };
    let start: u64 = start.parse().unwrap();
    let journal = Journal::open(Path::new(&path), fast_options()).unwrap();
    let mut out = std::io::stdout().lock();
    match mode.as_str() {
        "records" => {
            journal.unlock_with_passphrase(PASSPHRASE).unwrap();
            for i in start.. {
                journal.put_record(&record_id(i), "note", &body(i)).unwrap();
                if i % 7 == 0 {
                    // An edit and a delete in the mix, acknowledged the same way.
                    journal.put_record(&record_id(i), "note", &body(i)).unwrap();
                }
                writeln!(out, "ack {i}").unwrap();
                out.flush().unwrap();
            }
        }
        "passphrase" => {
            for k in start.. {
                journal
                    .change_passphrase(&passphrase(k), &passphrase(k + 1))
                    .unwrap();
                writeln!(out, "ack {}", k + 1).unwrap();
                out.flush().unwrap();
            }
        }
        other => panic!("unknown mode {other}"),
    }
}

/// Runs the child until it has acknowledged at least one write, lets it run a random
/// 0-60 ms more, kills it with SIGKILL, and returns every number it acknowledged.
fn run_and_kill(path: &Path, mode: &str, start: u64) -> Vec<u64> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ENV_PATH, path)
        .env(ENV_MODE, mode)
        .env(ENV_START, start.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("ack ") {
                sender.send(n.parse::<u64>().unwrap()).unwrap();
            }
        }
    });
    let mut acked = vec![receiver.recv_timeout(Duration::from_secs(30)).unwrap()];
    let random: [u8; 1] = waymark_core::crypto::random_array().unwrap();
    std::thread::sleep(Duration::from_micros(u64::from(random[0]) * 235));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    reader.join().unwrap();
    acked.extend(receiver.try_iter());
    acked
}

fn integrity_ok(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(result, "ok");
}

#[test]
fn every_acknowledged_write_survives_sigkill_at_random_moments() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    drop(journal);
    let mut acknowledged: Vec<u64> = Vec::new();
    let mut next = 0;
    for _ in 0..KILLS {
        let acked = run_and_kill(&path, "records", next);
        assert!(acked.windows(2).all(|w| w[1] == w[0] + 1));
        next = acked.last().unwrap() + 2; // the write after the last ack may or may not exist
        acknowledged.extend(acked);

        integrity_ok(&path);
        let journal = Journal::open(&path, fast_options()).unwrap();
        journal.unlock_with_passphrase(PASSPHRASE).unwrap();
        let loaded = journal.records(None).unwrap();
        assert!(loaded.damaged.is_empty());
        for i in &acknowledged {
            let record = journal.get_record(&record_id(*i)).unwrap();
            assert_eq!(&record.body[..], &body(*i)[..], "write {i} lost or damaged");
        }
    }
    assert!(acknowledged.len() >= KILLS);
}

#[test]
fn a_passphrase_change_killed_at_any_step_leaves_the_old_or_the_new_one_working() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let (journal, code) = Journal::create(&path, &passphrase(0), fast_options()).unwrap();
    let ids: Vec<_> = (0..20)
        .map(|i| journal.insert_record("note", &body(i)).unwrap())
        .collect();
    drop(journal);
    let mut current = 0;
    for _ in 0..KILLS {
        let acked = run_and_kill(&path, "passphrase", current);
        let last = *acked.last().unwrap();
        integrity_ok(&path);
        let journal = Journal::open(&path, fast_options()).unwrap();
        // The last acknowledged passphrase works, unless one more change committed unseen.
        current = if journal.unlock_with_passphrase(&passphrase(last)).is_ok() {
            last
        } else {
            journal
                .unlock_with_passphrase(&passphrase(last + 1))
                .unwrap();
            last + 1
        };
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(
                &journal.get_record(id).unwrap().body[..],
                &body(i as u64)[..]
            );
        }
        journal.lock();
        journal.unlock_with_recovery_code(&code.reveal()).unwrap();
        assert_eq!(
            journal.slots().unwrap().len(),
            2,
            "exactly one passphrase slot remains"
        );
    }
}
