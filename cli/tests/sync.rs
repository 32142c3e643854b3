//! `waymark sync` and `waymark join` through the binary: a phone and a laptop sharing a
//! folder, edits, a concurrent edit kept as a conflict copy, a deletion travelling, a folder
//! that reveals nothing, and a wrong passphrase that joins nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

fn entries(w: &Waymark) -> Vec<Value> {
    let mut list = w
        .run(&["--json", "entry", "list"])
        .json("entry list")
        .as_array()
        .unwrap()
        .clone();
    list.sort_by_key(|e| e["id"].as_str().unwrap().to_owned());
    list
}

fn pause() {
    std::thread::sleep(std::time::Duration::from_millis(5));
}

#[test]
fn a_phone_and_a_laptop_share_a_folder() {
    let phone = Waymark::new();
    phone.init();
    let folder = phone.path("shared");
    std::fs::create_dir(&folder).unwrap();
    let folder_s = folder.to_str().unwrap();
    let written = phone
        .run(&[
            "--json",
            "entry",
            "write",
            "--text",
            "MARKER-CLI-SYNC the night at the bridge",
        ])
        .json("entry write");
    let id = written["id"].as_str().unwrap().to_owned();
    phone
        .run(&["check-in", "--mood", "2", "--craving", "7"])
        .ok();
    let out = phone.run(&["sync", "--folder", folder_s]).ok();
    assert!(out.contains("Sent 3 records"), "{out}");

    // The laptop joins with the passphrase; a wrong one joins nothing.
    let laptop = Waymark::new();
    let wrong = laptop.run_with(
        &["join", "--folder", folder_s],
        &[("WAYMARK_PASSPHRASE", "not the right passphrase")],
        None,
    );
    assert_ne!(wrong.code, 0);
    assert!(wrong.stderr.contains("passphrase"), "{}", wrong.stderr);
    assert!(!exists(&laptop.journal));
    let out = laptop.run(&["join", "--folder", folder_s]).ok();
    assert!(out.contains("Joined"), "{out}");
    assert_eq!(entries(&laptop), entries(&phone));
    // Joining again over the folder's own journal only syncs; over another journal it is
    // refused.
    let again = laptop.run(&["join", "--folder", folder_s]).ok();
    assert!(again.contains("already this folder's journal"), "{again}");
    let stranger = Waymark::new();
    stranger.init();
    let refused = stranger.run(&["join", "--folder", folder_s]);
    assert_ne!(
        refused.code, 0,
        "joining over another journal must be refused"
    );
    assert!(
        refused.stderr.contains("another journal"),
        "{}",
        refused.stderr
    );

    // Both edit the entry before syncing: the later edit wins, the other is a copy.
    laptop
        .run(&["entry", "edit", &id, "--text", "written on the laptop"])
        .ok();
    pause();
    phone
        .run(&["entry", "edit", &id, "--text", "written on the phone"])
        .ok();
    laptop.run(&["sync", "--folder", folder_s]).ok();
    let out = phone.run(&["sync", "--folder", folder_s]).ok();
    assert!(out.contains("both kept"), "{out}");
    let report = laptop
        .run(&["--json", "sync", "--folder", folder_s])
        .json("sync");
    assert_eq!(report["received"], 1, "{report}");
    let on_phone = entries(&phone);
    assert_eq!(on_phone, entries(&laptop));
    assert_eq!(on_phone.len(), 2);
    let winner = on_phone.iter().find(|e| e["id"] == id.as_str()).unwrap();
    assert_eq!(winner["body"], "written on the phone");
    let copy = on_phone
        .iter()
        .find(|e| e["conflict_of"] == id.as_str())
        .unwrap();
    assert_eq!(copy["body"], "written on the laptop");

    // A deletion on the laptop reaches the phone.
    laptop.run(&["delete", "entry", &id, "--yes"]).ok();
    laptop.run(&["sync", "--folder", folder_s]).ok();
    let report = phone
        .run(&["--json", "sync", "--folder", folder_s])
        .json("sync");
    assert_eq!(report["merged"]["deleted"], 1, "{report}");
    assert_eq!(entries(&phone).len(), 1);

    // The folder holds nothing readable.
    for entry in std::fs::read_dir(&folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for needle in [
            "MARKER-CLI-SYNC",
            "bridge",
            "laptop",
            "Europe/Berlin",
            "entry",
            "check_in",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in the folder"
            );
        }
    }
}
