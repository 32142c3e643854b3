//! Key changes and hostile files through the real binary: a rotated key keeps every day's
//! check-in findable, a new recovery code is seen before the old one stops working, and a
//! backup holding impossible values is merged without them, into quarantine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

const HOSTILE_BACKUP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/hostile-journeys.wmbackup"
);

#[test]
fn after_rotate_key_a_day_keeps_one_check_in_and_the_new_code_opens_it() {
    let w = Waymark::new();
    let old_code = w.init();
    let now = "2026-11-25T20:00:00+01:00";
    w.run_at(now, &["check-in", "--mood", "3", "--craving", "4"])
        .ok();
    let rotated = w.run_at(now, &["--json", "rotate-key"]).json("rotate-key");
    assert!(rotated["records_rekeyed"].as_u64().unwrap() >= 2);
    let new_code = rotated["recovery_code"].as_str().unwrap().to_owned();
    assert_ne!(new_code, old_code);

    // The same day again updates that check-in; deleting it by date erases it.
    w.run_at(now, &["check-in", "--mood", "4", "--craving", "1"])
        .ok();
    let days = w
        .run_at(now, &["--json", "check-ins", "--from", "2026-11-25"])
        .json("check-ins");
    assert_eq!(days.as_array().unwrap().len(), 1, "{days}");
    assert_eq!(days[0]["mood"], 4);
    w.run_at(now, &["delete", "check-in", "2026-11-25", "--yes"])
        .ok();
    let days = w
        .run_at(now, &["--json", "check-ins", "--from", "2026-11-25"])
        .json("check-ins");
    assert!(days.as_array().unwrap().is_empty(), "{days}");

    // The old recovery code is gone, the new one works.
    let with_code = |code: &str| {
        w.run_with(
            &["--recovery-code", "settings"],
            &[("WAYMARK_RECOVERY_CODE", code)],
            None,
        )
    };
    assert_eq!(with_code(&old_code).code, 3);
    with_code(&new_code).ok();
}

#[test]
fn a_new_recovery_code_is_printed_before_the_old_one_is_retired() {
    let w = Waymark::new();
    let old_code = w.init();
    // Standard output closed before the code can be shown: the command fails, the old code
    // still opens the journal.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["new-recovery-code"])
        .env("WAYMARK_JOURNAL", w.path("journal.db"))
        .env("WAYMARK_PASSPHRASE", PASSPHRASE)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(!status.success());
    w.run_with(
        &["--recovery-code", "settings"],
        &[("WAYMARK_RECOVERY_CODE", old_code.as_str())],
        None,
    )
    .ok();

    // Printed: the new one works and the old one no longer does.
    let shown = w
        .run(&["--json", "new-recovery-code"])
        .json("new-recovery-code");
    let new_code = shown["recovery_code"].as_str().unwrap();
    let with_code = |code: &str| {
        w.run_with(
            &["--recovery-code", "settings"],
            &[("WAYMARK_RECOVERY_CODE", code)],
            None,
        )
    };
    with_code(new_code).ok();
    assert_eq!(with_code(&old_code).code, 3);
}

#[test]
fn a_hostile_backup_merges_into_quarantine_and_the_person_can_read_and_discard_it() {
    let w = Waymark::new();
    w.init();
    let env = [
        ("WAYMARK_PASSPHRASE", PASSPHRASE),
        ("WAYMARK_BACKUP_PASSPHRASE", "a backup passphrase"),
    ];
    let merged = w
        .run_with(&["merge", "--from", HOSTILE_BACKUP], &env, None)
        .ok();
    assert!(merged.contains("2 records broke a rule"), "{merged}");
    assert!(merged.contains("waymark quarantine"), "{merged}");

    // Every screen works; home says there is something to look at.
    let home = w.run(&["home"]).ok();
    assert!(home.contains("2 records in quarantine"), "{home}");
    w.run(&["progress"]).ok();
    w.run(&["review", "--range", "all"]).ok();
    w.run(&["milestones"]).ok();
    let journeys = w.run(&["--json", "journey", "list"]).json("journey list");
    assert_eq!(journeys.as_array().unwrap().len(), 1);

    let list = w.run(&["quarantine"]).ok();
    assert!(list.contains("journey"), "{list}");
    assert!(list.contains("broke a rule of its kind"), "{list}");
    let ids: Vec<String> = w
        .run(&["--json", "quarantine"])
        .json("quarantine")
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    let shown = w.run(&["quarantine", "show", &ids[0]]).ok();
    assert!(shown.contains("\"name\""), "{shown}");

    // Discarding needs --yes and only takes quarantined ids.
    assert_eq!(w.run(&["quarantine", "discard", &ids[0]]).code, 2);
    let journey_id = journeys[0]["id"].as_str().unwrap();
    let refused = w.run(&["quarantine", "discard", journey_id, "--yes"]);
    assert_ne!(refused.code, 0);
    assert_eq!(
        w.run(&["--json", "journey", "list"])
            .json("journey list")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for id in &ids {
        w.run(&["quarantine", "discard", id, "--yes"]).ok();
    }
    assert!(w
        .run(&["quarantine"])
        .ok()
        .contains("Nothing in quarantine"));

    // Merging the same backup again quarantines them once more (they were discarded), never
    // applies them.
    w.run_with(&["merge", "--from", HOSTILE_BACKUP], &env, None)
        .ok();
    assert_eq!(
        w.run(&["--json", "journey", "list"])
            .json("journey list")
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_unfinished_journal_is_explained_replaced_by_init_and_removed_by_wipe() {
    let w = Waymark::new();
    w.init();
    // What an older build left when killed before the keys were committed: no key slot, no
    // journal id, no record.
    let conn = rusqlite::Connection::open(w.path("journal.db")).unwrap();
    conn.execute_batch(
        "DELETE FROM key_slots; DELETE FROM records; DELETE FROM settings WHERE name = 'journal_id';
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);

    let run = w.run(&["home"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("never finished"), "{}", run.stderr);
    assert!(run.stderr.contains("waymark init"), "{}", run.stderr);

    let wiped = w.run(&["wipe", "--yes"]).ok();
    assert!(wiped.contains("never finished"), "{wiped}");
    assert!(!w.path("journal.db").exists());

    // And init over one replaces it.
    w.init();
    let conn = rusqlite::Connection::open(w.path("journal.db")).unwrap();
    conn.execute_batch(
        "DELETE FROM key_slots; DELETE FROM records; PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    w.init();
    w.run(&["home"]).ok();
}

/// `waymark ARGS` on the journal at `journal` with the demo passphrase (and a backup one).
fn on_demo(w: &Waymark, journal: &std::path::Path, args: &[&str]) -> Run {
    let mut all = vec!["--journal", journal.to_str().unwrap()];
    all.extend_from_slice(args);
    w.run_with(
        &all,
        &[
            ("WAYMARK_PASSPHRASE", "demo passphrase"),
            ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
            ("WAYMARK_NEW_PASSPHRASE", "the restored passphrase"),
        ],
        None,
    )
}

#[test]
fn a_cut_short_journal_says_damaged_and_a_backup_saves_what_still_reads() {
    let w = Waymark::new();
    let demo = w.path("demo.db");
    w.run(&["demo", "--days", "200", "--keep", demo.to_str().unwrap()])
        .ok();
    rusqlite::Connection::open(&demo)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let whole = on_demo(&w, &demo, &["--json", "check"]).json("check");
    let all = whole["records"].as_u64().unwrap();
    let pristine = std::fs::read(&demo).unwrap();
    let pages = pristine.len() / 4096;
    let mut saved = Vec::new();
    for cut in [pages / 4, pages / 2, pages - 1] {
        let at = w.path(&format!("cut-{cut}.db"));
        std::fs::write(&at, &pristine[..cut * 4096]).unwrap();
        // Every screen and every write says "damaged" (exit 4) and how to save the rest.
        for args in [
            &["home"][..],
            &["check-in", "--mood", "3", "--craving", "2"],
            &["check"],
        ] {
            let run = on_demo(&w, &at, args);
            assert_eq!(run.code, 4, "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains("damaged"), "{}", run.stderr);
            assert!(run.stderr.contains("waymark backup"), "{}", run.stderr);
        }
        let checked = on_demo(&w, &at, &["--json", "check"]);
        assert_eq!(checked.code, 4);
        let checked: serde_json::Value = serde_json::from_str(&checked.stdout).unwrap();
        assert_eq!(checked["data"]["read_only"], "cut_short");
        // The backup saves every record that reads, and restores into a whole journal.
        let backup = w.path(&format!("cut-{cut}.wmbackup"));
        let run = on_demo(
            &w,
            &at,
            &["--json", "backup", "--out", backup.to_str().unwrap()],
        );
        assert!(
            run.stderr.contains("can be read and saved"),
            "{}",
            run.stderr
        );
        let written = run.json("backup");
        assert_eq!(written["records"], checked["data"]["records"]);
        let restored = w.path(&format!("restored-{cut}.db"));
        on_demo(
            &w,
            &restored,
            &["restore", "--from", backup.to_str().unwrap()],
        )
        .ok();
        let again = w
            .run_with(
                &["--journal", restored.to_str().unwrap(), "--json", "check"],
                &[("WAYMARK_PASSPHRASE", "the restored passphrase")],
                None,
            )
            .json("check");
        assert_eq!(again["records"], written["records"]);
        assert_eq!(again["read_only"], serde_json::Value::Null);
        saved.push(written["records"].as_u64().unwrap());
    }
    assert!(
        saved[0] < saved[1] && saved[1] < saved[2] && saved[2] < all,
        "{saved:?} of {all}"
    );
}

#[test]
fn odd_write_state_values_say_damaged_not_a_generic_failure() {
    let w = Waymark::new();
    w.init();
    w.run(&["check-in", "--mood", "3", "--craving", "2"]).ok();
    let pristine = std::fs::read(&w.journal).unwrap();
    for odd in [
        "UPDATE write_state SET generation = 1099511627776",
        "UPDATE write_state SET generation = 'x'",
        "DELETE FROM write_state",
    ] {
        std::fs::write(&w.journal, &pristine).unwrap();
        rusqlite::Connection::open(&w.journal)
            .unwrap()
            .execute_batch(odd)
            .unwrap();
        for args in [
            &["home"][..],
            &["check-in", "--mood", "4", "--craving", "1"],
        ] {
            let run = w.run(args);
            assert_eq!(run.code, 4, "{odd} {args:?}: {}", run.stderr);
            assert!(run.stderr.contains("damaged"), "{}", run.stderr);
        }
        let backup = w.path("odd.wmbackup");
        let _ = std::fs::remove_file(&backup);
        w.run_with(
            &["backup", "--out", backup.to_str().unwrap()],
            &[
                ("WAYMARK_PASSPHRASE", PASSPHRASE),
                ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
            ],
            None,
        )
        .ok();
    }
}
