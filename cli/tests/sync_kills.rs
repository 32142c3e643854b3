//! 50 SIGKILLs during `waymark sync`, on two devices sharing a folder, between writes that
//! were acknowledged: afterwards one clean sync on each brings them together with every
//! acknowledged entry on both.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A tiny deterministic generator (xorshift) for kill times.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Starts `waymark sync` on `device` and kills it with SIGKILL after `after`; true when it
/// had already finished.
fn killed_sync(device: &Waymark, folder: &str, after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["sync", "--folder", folder])
        .env("WAYMARK_JOURNAL", &device.journal)
        .env("WAYMARK_PASSPHRASE", PASSPHRASE)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    finished
}

fn bodies(device: &Waymark) -> Vec<String> {
    let mut out: Vec<String> = device
        .run(&["--json", "entry", "list"])
        .json("entry list")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["body"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn fifty_kills_during_sync_then_a_clean_sync_converges_with_nothing_lost() {
    let phone = Waymark::new();
    phone.init();
    let folder = phone.path("shared");
    std::fs::create_dir(&folder).unwrap();
    let folder_s = folder.to_str().unwrap();
    phone.run(&["sync", "--folder", folder_s]).ok();
    let laptop = Waymark::new();
    laptop.run(&["join", "--folder", folder_s]).ok();
    let devices = [&phone, &laptop];
    // How long a sync takes here: kills land anywhere from the start to just past the end.
    for i in 0..20 {
        phone
            .run(&["entry", "write", "--text", &format!("before {i}")])
            .ok();
    }
    let started = std::time::Instant::now();
    phone.run(&["sync", "--folder", folder_s]).ok();
    let span = (started.elapsed().as_millis() as u64 * 5 / 4).max(10);

    let mut acknowledged: Vec<String> = (0..20).map(|i| format!("before {i}")).collect();
    let mut rng = Rng(0x5eed);
    let mut finished = 0;
    for round in 0..50 {
        let device = devices[(rng.below(2)) as usize];
        if rng.below(3) > 0 {
            let text = format!("entry written in round {round}");
            device.run(&["entry", "write", "--text", &text]).ok();
            acknowledged.push(text);
        }
        let after = Duration::from_millis(rng.below(span));
        if killed_sync(device, folder_s, after) {
            finished += 1;
        }
    }
    eprintln!("{finished} of 50 syncs finished before their kill (span {span} ms)");
    assert!(
        finished < 50,
        "every sync finished before its kill: the kills tested nothing"
    );

    // One clean sync each (twice round, so each sees what the other sent).
    for _ in 0..2 {
        for device in devices {
            device.run(&["sync", "--folder", folder_s]).ok();
        }
    }
    let on_phone = bodies(&phone);
    assert_eq!(on_phone, bodies(&laptop));
    for text in &acknowledged {
        assert!(on_phone.contains(text), "{text:?} was lost");
    }
    // Nothing half-written is left for another device to trip on, and the journals open.
    for entry in std::fs::read_dir(&folder).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            name == "keys"
                || name.starts_with("c-")
                || name.starts_with("s-")
                || name.starts_with(".partial-"),
            "{name}"
        );
    }
    phone.run(&["home"]).ok();
    laptop.run(&["home"]).ok();
}
