//! The real `waymark` binary: the demo, a person's first weeks, JSON output, backups,
//! exports, and every kind of bad input (one line on stderr, non-zero exit, journal unchanged).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn demo_runs_with_no_arguments_and_leaves_nothing_behind() {
    let w = Waymark::new();
    let run = w.run_with(
        &["demo"],
        &[("TMPDIR", w.dir.path().to_str().unwrap())],
        None,
    );
    let out = run.ok();
    for expected in [
        "days sober",
        "Last 12 weeks",
        "Mon ",
        "■",
        "mood ",
        "craving ",
        "Review ",
        "most helpful cards",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    // The throwaway journal was wiped with its temporary directory.
    let left: Vec<_> = std::fs::read_dir(w.dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");

    let data = w
        .run_with(
            &["--json", "demo", "--days", "60", "--seed", "3"],
            &[],
            None,
        )
        .json("demo");
    assert_eq!(data["journeys"].as_array().unwrap().len(), 1);
    assert_eq!(data["last_30_days"].as_array().unwrap().len(), 30);
}

#[test]
fn a_first_month_through_the_command_line() {
    let w = Waymark::new();
    let code = w.init();
    assert_eq!(code.len(), 35);

    let journey = w
        .run(&[
            "--json",
            "journey",
            "add",
            "--name",
            "alcohol",
            "--since",
            "2026-01-01",
            "--cost-per-day",
            "12.50",
            "--minutes-per-day",
            "90",
            "--milestone",
            "100",
        ])
        .json("journey add");
    let id = journey["id"].as_str().unwrap().to_owned();
    assert_eq!(journey["daily_cost_cents"], 1250);

    w.run(&[
        "check-in",
        "--mood",
        "4",
        "--craving",
        "2",
        "--lonely",
        "--intention",
        "call Sam",
    ])
    .ok();
    let logged = w
        .run(&[
            "--json",
            "trigger",
            "log",
            "--category",
            "emotions",
            "--intensity",
            "7",
            "--card",
            "urge-surfing",
            "--outcome",
            "passed",
        ])
        .json("trigger log");
    assert_eq!(logged["offer_to_record_lapse"], false);
    let out = w
        .run_with(
            &["entry", "write", "--title", "first week"],
            &[("WAYMARK_PASSPHRASE", PASSPHRASE)],
            Some("Friday evenings are hard. Walked instead.\n"),
        )
        .ok();
    assert!(out.starts_with("Saved"));

    let progress = w.run(&["--json", "progress"]).json("progress");
    let counter = &progress["journeys"][0]["counter"];
    assert!(
        counter["current_streak_days"].as_u64().unwrap() >= 300,
        "{counter}"
    );
    assert_eq!(progress["check_in_streak"]["total"], 1);

    w.run(&["lapse", "record", "--date", "2026-11-01"]).ok();
    w.run(&[
        "reflect",
        "--what-happened",
        "a party",
        "--learned",
        "leave early",
        "--plan",
        "text Sam first",
    ])
    .ok();
    let progress = w
        .run(&["--json", "progress", "--journey", &id])
        .json("progress");
    let counter = &progress["journeys"][0]["counter"];
    assert_eq!(counter["attempts"].as_array().unwrap().len(), 2);
    assert!(counter["longest_streak_days"].as_u64().unwrap() >= 300);
    assert!(
        counter["total_sober_days"].as_u64().unwrap()
            > counter["current_streak_days"].as_u64().unwrap()
    );

    let hits = w.run(&["--json", "search", "friday"]).json("search");
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let review = w
        .run(&["--json", "review", "--range", "year"])
        .json("review");
    assert_eq!(review["lapses"].as_array().unwrap().len(), 1);
    assert_eq!(
        review["lapses"][0]["reflections"].as_array().unwrap().len(),
        1
    );

    // The people's view has the calendar, the sparklines and the lapse on its day.
    let text = w.run(&["progress"]).ok();
    assert!(
        text.contains("alcohol:") && text.contains("attempt 2") && text.contains('✕'),
        "{text}"
    );
    let review_text = w.run(&["review", "--range", "year"]).ok();
    assert!(review_text.contains("lapse on 2026-11-01"), "{review_text}");

    // The recovery code opens it too; the passphrase can be changed.
    w.run_with(
        &["--recovery-code", "check-ins"],
        &[("WAYMARK_RECOVERY_CODE", &code)],
        None,
    )
    .ok();
    w.run_with(
        &["change-passphrase"],
        &[
            ("WAYMARK_PASSPHRASE", PASSPHRASE),
            ("WAYMARK_NEW_PASSPHRASE", "a brand new passphrase"),
        ],
        None,
    )
    .ok();
    assert_eq!(w.run(&["check-ins"]).code, 3);
    w.run_with(
        &["check-ins"],
        &[("WAYMARK_PASSPHRASE", "a brand new passphrase")],
        None,
    )
    .ok();
}

/// Arguments, WAYMARK_* variables (none: the right passphrase), exit code, and a word the
/// one-line error must contain.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, i32, &'a str);

#[test]
fn every_bad_input_is_one_line_a_non_zero_exit_and_changes_nothing() {
    let w = Waymark::new();

    let missing = w.run(&["progress"]);
    assert_eq!(missing.code, 4);
    assert!(
        missing.stderr.contains("waymark init"),
        "{}",
        missing.stderr
    );

    w.init();
    w.add_journey("alcohol", "2026-01-01");
    w.run(&["check-in", "--mood", "3", "--craving", "2"]).ok();
    let before = w.fingerprint();

    let secret = "my secret words";
    let cases: Vec<Case<'_>> = vec![
        (
            vec!["check-in", "--mood", "9", "--craving", "1"],
            vec![],
            2,
            "mood",
        ),
        (
            vec!["check-in", "--mood", "3", "--craving", "11"],
            vec![],
            2,
            "craving",
        ),
        (
            vec![
                "check-in",
                "--mood",
                "3",
                "--craving",
                "1",
                "--date",
                "2026-13-01",
            ],
            vec![],
            2,
            "date",
        ),
        (
            vec![
                "check-in",
                "--mood",
                "3",
                "--craving",
                "1",
                "--date",
                "2099-01-01",
            ],
            vec![],
            2,
            "date",
        ),
        (
            vec!["check-in", "--mood", secret, "--craving", "1"],
            vec![],
            2,
            "--mood",
        ),
        (
            vec![
                "trigger",
                "log",
                "--category",
                "people",
                "--intensity",
                "4",
                "--card",
                "no-such-card",
            ],
            vec![],
            2,
            "card",
        ),
        (
            vec!["trigger", "log", "--category", secret, "--intensity", "4"],
            vec![],
            2,
            "--category",
        ),
        (
            vec![
                "journey",
                "add",
                "--name",
                "x",
                "--since",
                "2026-01-01",
                "--cost-per-day",
                "1.2.3",
            ],
            vec![],
            2,
            "--cost-per-day",
        ),
        (
            vec![
                "journey",
                "add",
                "--name",
                "x",
                "--since",
                "2026-01-01",
                "--zone",
                "Mars/Olympus",
            ],
            vec![],
            2,
            "zone",
        ),
        (
            vec!["journey", "add", "--name", "", "--since", "2026-01-01"],
            vec![],
            2,
            "name",
        ),
        (vec!["lapse", "undo", "not-an-id"], vec![], 2, "id"),
        (
            vec!["lapse", "record", "--date", "1999-01-01"],
            vec![],
            2,
            "date",
        ),
        (
            vec!["progress", "--journey", "00000000000000000000000000000000"],
            vec![],
            2,
            "journey",
        ),
        (vec!["settings", "--day-starts-at", "24"], vec![], 2, "day"),
        (vec!["wipe"], vec![], 2, "--yes"),
        (
            vec!["check-ins"],
            vec![("WAYMARK_PASSPHRASE", secret)],
            3,
            "passphrase",
        ),
        (
            vec!["check-ins"],
            vec![("WAYMARK_PASSPHRASE", "")],
            3,
            "passphrase",
        ),
        (
            vec!["--recovery-code", "check-ins"],
            vec![("WAYMARK_RECOVERY_CODE", "AAAAA-BBBBB")],
            2,
            "--recovery-code",
        ),
        (
            vec!["check-ins"],
            vec![("UNUSED", "")],
            1,
            "WAYMARK_PASSPHRASE",
        ),
        (vec!["bogus-command"], vec![], 2, "subcommand"),
        (vec!["search", "  "], vec![], 2, "QUERY"),
        (
            vec!["merge", "--from", "/no/such/backup"],
            vec![],
            2,
            "from",
        ),
    ];
    for (args, env, code, mention) in cases {
        let env: Vec<(&str, &str)> = if env.is_empty() {
            vec![("WAYMARK_PASSPHRASE", PASSPHRASE)]
        } else {
            env
        };
        let run = w.run_with(&args, &env, None);
        let what = format!("{args:?}");
        assert_eq!(run.code, code, "{what}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{what}: stdout {}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "{what}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("waymark: "),
            "{what}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(mention),
            "{what}: {} lacks {mention}",
            run.stderr
        );
        assert!(
            !run.stderr.contains(secret),
            "{what} echoed the value: {}",
            run.stderr
        );
        assert_eq!(w.fingerprint(), before, "{what} changed the journal");
    }
}

#[test]
fn backup_restore_and_merge_through_the_command_line() {
    let w = Waymark::new();
    w.init();
    w.add_journey("alcohol", "2026-01-01");
    w.run(&[
        "check-in",
        "--mood",
        "4",
        "--craving",
        "2",
        "--date",
        "2026-11-01",
    ])
    .ok();
    w.run(&[
        "check-in",
        "--mood",
        "5",
        "--craving",
        "1",
        "--date",
        "2026-11-02",
    ])
    .ok();
    let backup = w.path("journal.wmbackup");
    let backup_s = backup.to_str().unwrap();
    let env = [
        ("WAYMARK_PASSPHRASE", PASSPHRASE),
        ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
    ];
    let written = w
        .run_with(&["--json", "backup", "--out", backup_s], &env, None)
        .json("backup");
    assert!(written["records"].as_u64().unwrap() >= 4);
    assert_eq!(
        w.run_with(&["backup", "--out", backup_s], &env, None).code,
        2,
        "no overwrite without --force"
    );

    // Restore into a new journal: the same check-ins.
    let restored = w.path("restored.db");
    let restored_s = restored.to_str().unwrap();
    let env_new = [
        ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
        ("WAYMARK_NEW_PASSPHRASE", "restored passphrase"),
    ];
    let data = w
        .run_with(
            &[
                "--json",
                "--journal",
                restored_s,
                "restore",
                "--from",
                backup_s,
            ],
            &env_new,
            None,
        )
        .json("restore");
    assert_eq!(data["recovery_code"].as_str().unwrap().len(), 35);
    let original = w
        .run(&["--json", "check-ins", "--from", "2026-10-01"])
        .json("check-ins");
    let copy = w
        .run_with(
            &[
                "--json",
                "--journal",
                restored_s,
                "check-ins",
                "--from",
                "2026-10-01",
            ],
            &[("WAYMARK_PASSPHRASE", "restored passphrase")],
            None,
        )
        .json("check-ins");
    assert_eq!(original, copy);

    // A tampered backup is refused and creates nothing.
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let tampered = w.path("tampered.wmbackup");
    std::fs::write(&tampered, &bytes).unwrap();
    let target = w.path("never.db");
    let run = w.run_with(
        &[
            "--journal",
            target.to_str().unwrap(),
            "restore",
            "--from",
            tampered.to_str().unwrap(),
        ],
        &env_new,
        None,
    );
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(
        run.stderr.contains("changed after it was written"),
        "{}",
        run.stderr
    );
    assert!(!exists(&target));
    let before = w.fingerprint();
    let run = w.run_with(&["merge", "--from", tampered.to_str().unwrap()], &env, None);
    assert_eq!(run.code, 4);
    assert_eq!(w.fingerprint(), before);

    // Merging the same backup twice: the second time changes nothing.
    let restored_env = [
        ("WAYMARK_PASSPHRASE", "restored passphrase"),
        ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
    ];
    let merge = || {
        w.run_with(
            &[
                "--json",
                "--journal",
                restored_s,
                "merge",
                "--from",
                backup_s,
            ],
            &restored_env,
            None,
        )
        .json("merge")
    };
    let first = merge();
    let second = merge();
    assert_eq!(first["added"], 0);
    assert_eq!(second["added"], 0);
    assert_eq!(second["updated"], 0);
}

#[test]
fn export_writes_plaintext_only_when_asked_and_warns() {
    let w = Waymark::new();
    w.init();
    w.add_journey("gambling", "2026-02-01");
    w.run_with(
        &["entry", "write"],
        &[("WAYMARK_PASSPHRASE", PASSPHRASE)],
        Some("I said \"no\", then went home, finally"),
    )
    .ok();
    let json = w.path("export.json");
    let run = w.run(&[
        "export",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("NOT encrypted"));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["format"], "waymark-export/1");
    assert_eq!(doc["journeys"][0]["name"], "gambling");
    assert_eq!(
        doc["entries"][0]["body"],
        "I said \"no\", then went home, finally"
    );

    let csv = w.path("csv");
    w.run(&["export", "--format", "csv", "--out", csv.to_str().unwrap()])
        .ok();
    let entries = std::fs::read_to_string(csv.join("entries.csv")).unwrap();
    assert!(
        entries.contains("\"I said \"\"no\"\", then went home, finally\""),
        "{entries}"
    );
    assert!(std::fs::read_to_string(csv.join("journeys.csv"))
        .unwrap()
        .contains("gambling"));
    // Never over an existing path.
    assert_eq!(
        w.run(&[
            "export",
            "--format",
            "json",
            "--out",
            json.to_str().unwrap()
        ])
        .code,
        2
    );
}

#[test]
fn the_smaller_verbs_evening_edit_plan_to_card_archive_delete_and_a_new_recovery_code() {
    let w = Waymark::new();
    let old_code = w.init();
    w.add_journey("alcohol", "2026-01-01");
    w.run(&["check-in", "--mood", "2", "--craving", "6"]).ok();
    let day = w
        .run(&[
            "--json",
            "evening",
            "--rating",
            "4",
            "--note",
            "better by night",
        ])
        .json("evening");
    assert_eq!(day["evening_review"]["rating"], 4);
    assert_eq!(day["mood"], 2, "the morning's check-in is kept");

    let entry = w
        .run(&["--json", "entry", "write", "--text", "draft words"])
        .json("entry write");
    let id = entry["id"].as_str().unwrap();
    let edited = w
        .run_with(
            &["--json", "entry", "edit", id, "--text", "-"],
            &[("WAYMARK_PASSPHRASE", PASSPHRASE)],
            Some("final words\n"),
        )
        .json("entry edit");
    assert_eq!(edited["body"], "final words");
    assert_eq!(edited["created_at"], entry["created_at"]);

    w.run(&["lapse", "record"]).ok();
    let reflection = w
        .run(&[
            "--json",
            "reflect",
            "--what-happened",
            "a wedding",
            "--learned",
            "bring my own drinks",
            "--plan",
            "ask a friend to check on me",
        ])
        .json("reflect");
    let rid = reflection["id"].as_str().unwrap();
    let card = w
        .run(&["--json", "cards", "from-plan", rid, "1"])
        .json("cards from-plan");
    assert_eq!(card["title"], "ask a friend to check on me");
    let again = w
        .run(&["--json", "cards", "from-plan", rid, "1"])
        .json("cards from-plan");
    assert_eq!(again["id"], card["id"], "one card per plan item");
    assert_eq!(w.run(&["cards", "from-plan", rid, "0"]).code, 2);

    w.run(&["cards", "archive", "urge-surfing"]).ok();
    let suggested = w
        .run(&["--json", "cards", "suggest", "emotions"])
        .json("cards suggest");
    assert!(suggested
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["card"]["id"] != "urge-surfing"));

    let refused = w.run(&["delete", "entry", id]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--yes"));
    w.run(&["delete", "entry", id, "--yes"]).ok();
    assert_eq!(w.run(&["entry", "show", id]).code, 2);
    let today = day["date"].as_str().unwrap();
    w.run(&["delete", "check-in", today, "--yes"]).ok();
    let ins = w.run(&["--json", "check-ins"]).json("check-ins");
    assert!(ins.as_array().unwrap().is_empty());

    let new_code = w
        .run(&["--json", "new-recovery-code"])
        .json("new-recovery-code");
    let new_code = new_code["recovery_code"].as_str().unwrap();
    assert_ne!(new_code, old_code);
    let old = w.run_with(
        &["--recovery-code", "check-ins"],
        &[("WAYMARK_RECOVERY_CODE", &old_code)],
        None,
    );
    assert_eq!(old.code, 3);
    w.run_with(
        &["--recovery-code", "check-ins"],
        &[("WAYMARK_RECOVERY_CODE", new_code)],
        None,
    )
    .ok();
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let w = Waymark::new();
    // Through a pipe (and without NO_COLOR): plain text.
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["demo", "--days", "30"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\x1b'));
    // On a terminal (a pseudo-terminal from util-linux `script`): colour, unless NO_COLOR.
    let on_terminal = |no_color: bool| {
        let mut command = std::process::Command::new("script");
        command
            .args([
                "-qec",
                &format!("{} demo --days 30", env!("CARGO_BIN_EXE_waymark")),
                "/dev/null",
            ])
            .env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let out = command.output().expect("util-linux script");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        on_terminal(false).contains("\x1b[32m"),
        "expected green on a terminal"
    );
    assert!(!on_terminal(true).contains('\x1b'));
    // An existing journal is never overwritten by init.
    w.init();
    let again = w.run_with(&["init"], &[("WAYMARK_NEW_PASSPHRASE", PASSPHRASE)], None);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"));
}

#[test]
fn the_journal_defaults_to_the_data_directory_and_the_calendar_can_show_mood() {
    let w = Waymark::new();
    let data_home = w.path("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["--json", "where"])
        .env_remove("WAYMARK_JOURNAL")
        .env("XDG_DATA_HOME", &data_home)
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    if cfg!(target_os = "linux") {
        assert_eq!(
            doc["data"]["path"].as_str().unwrap(),
            data_home.join("waymark/journal.db").to_str().unwrap()
        );
    }
    assert_eq!(doc["data"]["exists"], false);

    w.init();
    w.run(&["check-in", "--mood", "5", "--craving", "0"]).ok();
    let text = w.run(&["progress", "--calendar", "mood"]).ok();
    assert!(text.contains("Mood, last 12 weeks"), "{text}");
    assert!(text.contains("mood 1 ░▒▓██ 5"), "{text}");
    let today_row: Vec<&str> = text.lines().filter(|l| l.contains('█')).collect();
    assert!(
        today_row.len() >= 2,
        "today's mood 5 and the legend: {text}"
    );
}

#[test]
fn small_words_and_habits_a_person_trips_over() {
    // `init` takes the passphrase from WAYMARK_PASSPHRASE when no new one is given.
    let w = Waymark::new();
    w.run_with(
        &[
            "init",
            "--zone",
            "Asia/Tokyo",
            "--currency",
            "JPY",
            "--kdf-memory-mib",
            "1",
            "--kdf-passes",
            "1",
        ],
        &[("WAYMARK_PASSPHRASE", PASSPHRASE)],
        None,
    )
    .ok();
    w.run(&["entry", "write", "--text", "a first evening"]).ok();

    // A backup merged into a fresh journal brings its settings, not the fresh defaults.
    let backup = w.path("tokyo.wmbackup");
    let env = [
        ("WAYMARK_PASSPHRASE", PASSPHRASE),
        ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
    ];
    w.run_with(&["backup", "--out", backup.to_str().unwrap()], &env, None)
        .ok();
    let fresh = Waymark::new();
    fresh.init();
    fresh
        .run_with(&["merge", "--from", backup.to_str().unwrap()], &env, None)
        .ok();
    let settings = fresh.run(&["--json", "settings"]).json("settings");
    assert_eq!(settings["time_zone"], "Asia/Tokyo", "{settings}");
    assert_eq!(settings["currency"], "JPY", "{settings}");

    // A not-found error never repeats what was typed.
    let typed = "0123456789abcdef0123456789abcdef";
    let missing = w.run(&["entry", "show", typed]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(!missing.stderr.contains(typed), "{}", missing.stderr);

    // A limit goal's first milestone says it counts days within the limit.
    w.run(&[
        "journey",
        "add",
        "--name",
        "drinking less",
        "--since",
        "2026-11-02",
        "--limit",
        "2",
        "--per",
        "day",
        "--unit",
        "drinks",
    ])
    .ok();
    let milestones = w.run(&["milestones", "--journey", "drinking less"]).ok();
    assert!(
        milestones.contains("24 hours within your limit"),
        "{milestones}"
    );

    // Reminders for -1 days are refused, naming the flag, not turned into one day.
    let refused = w.run(&["reminders", "--days", "-1"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--days"), "{}", refused.stderr);
}

#[test]
fn a_list_whose_window_is_empty_says_what_is_outside_it() {
    let w = Waymark::new();
    w.init();
    w.run_at(
        "2025-01-03T20:00:00Z",
        &[
            "entry",
            "write",
            "--text",
            "an old evening",
            "--date",
            "2025-01-03",
        ],
    )
    .ok();
    w.run_at(
        "2025-02-10T20:00:00Z",
        &[
            "entry",
            "write",
            "--text",
            "a winter note",
            "--date",
            "2025-02-10",
        ],
    )
    .ok();
    w.run_at(
        "2025-02-10T20:00:00Z",
        &[
            "meeting",
            "log",
            "--kind",
            "twelve_step",
            "--date",
            "2025-02-10",
        ],
    )
    .ok();
    let now = "2026-11-25T12:00:00Z";
    let entries = w.run_at(now, &["entry", "list"]).ok();
    assert!(!entries.contains("(none yet)"), "{entries}");
    assert!(entries.contains("(none in the last 30 days)"), "{entries}");
    assert!(
        entries.contains("None in the last 30 days; 2 entries earlier, from 2025-01-03 (`--from 2025-01-03` shows them)."),
        "{entries}"
    );
    let meetings = w.run_at(now, &["meeting", "list"]).ok();
    assert!(
        meetings.contains("1 meeting earlier, from 2025-02-10"),
        "{meetings}"
    );
    // A span that holds some says how many more lie outside it.
    let partial = w
        .run_at(
            now,
            &[
                "entry",
                "list",
                "--from",
                "2025-02-01",
                "--to",
                "2025-02-28",
            ],
        )
        .ok();
    assert!(partial.contains("a winter note"), "{partial}");
    assert!(
        partial.contains("1 entry earlier, from 2025-01-03"),
        "{partial}"
    );
    // The same counts in JSON, beside the data.
    let out = w.run_at(now, &["--json", "entry", "list"]).ok();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["data"], serde_json::json!([]));
    let window = &doc["window"];
    assert_eq!(window["inside"], 0);
    assert_eq!(window["earlier"], 2);
    assert_eq!(window["earliest"], "2025-01-03");
    assert_eq!(window["later"], 0);
    assert_eq!(window["from"], "2026-10-27");
    // A journal with nothing at all still says "(none yet)".
    let empty = Waymark::new();
    empty.init();
    assert!(empty.run(&["entry", "list"]).ok().contains("(none yet)"));
}

#[test]
fn a_csv_export_never_hands_a_spreadsheet_a_formula() {
    let w = Waymark::new();
    w.init();
    w.run(&[
        "entry",
        "write",
        "--text",
        "=HYPERLINK(\"http://example.org\",\"click\")",
    ])
    .ok();
    w.run(&[
        "check-in",
        "--mood",
        "3",
        "--craving",
        "2",
        "--note",
        "+1 more day",
        "--intention",
        "@home tonight",
    ])
    .ok();
    w.run(&["entry", "write", "--text", "-2 cigarettes today, good"])
        .ok();
    let out = w.path("export");
    w.run(&["export", "--format", "csv", "--out", out.to_str().unwrap()])
        .ok();
    let mut cells = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(&path)
            .unwrap();
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                cells += 1;
                // Numbers (a negative one) are numbers; text never starts a formula.
                if cell.parse::<f64>().is_ok() {
                    continue;
                }
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: {cell:?}",
                    path.display()
                );
            }
        }
    }
    assert!(cells > 10);
    let entries = std::fs::read_to_string(out.join("entries.csv")).unwrap();
    assert!(entries.contains("'=HYPERLINK"), "{entries}");
    assert!(entries.contains("'-2 cigarettes"), "{entries}");
    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(readme.contains("apostrophe"), "{readme}");
}
