//! The command line as a person lives it over weeks, with the clock pinned by `WAYMARK_NOW`:
//! a trigger in the small hours, a lapse in the evening, a move across the Atlantic, edits
//! that change only what was given, reflections finished later, damaged files, closed
//! pipes, private files and the small words.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::io::Read;
use std::process::{Command, Stdio};

/// `waymark --json ARGS` at `now`, returning `data`.
fn json_at(w: &Waymark, now: &str, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let run = w.run_at(now, &full);
    let command: Vec<&str> = args
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .take(2)
        .copied()
        .collect();
    let groups = [
        "journey", "lapse", "trigger", "cards", "entry", "contact", "outreach", "meeting",
    ];
    let name = if groups.contains(&command[0]) {
        command.join(" ")
    } else {
        command[0].to_owned()
    };
    run.json(&name)
}

#[test]
fn a_night_trigger_a_lapse_in_the_evening_and_the_words_after_it() {
    let w = Waymark::new();
    w.init();
    let nov20 = "2026-11-20T12:00:00Z";
    w.run_at(
        nov20,
        &["settings", "--day-starts-at", "4", "--currency", "EUR"],
    )
    .ok();
    let journey = json_at(
        &w,
        nov20,
        &[
            "journey",
            "add",
            "--name",
            "Alcohol",
            "--since",
            "2026-09-01",
            "--time",
            "08:30",
            "--cost-per-day",
            "12,50",
            "--minutes-per-day",
            "90",
            "--milestone",
            "7",
        ],
    );
    assert_eq!(journey["daily_cost_cents"], 1250);

    // 01:30 on Saturday 21 November in Berlin (00:30 UTC): still Friday's recovery day.
    let night = "2026-11-21T00:30:00Z";
    w.run_at(
        night,
        &[
            "trigger",
            "log",
            "--category",
            "emotions",
            "--intensity",
            "8",
        ],
    )
    .ok();
    let friday = json_at(
        &w,
        night,
        &[
            "trigger",
            "list",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-20",
        ],
    );
    assert_eq!(friday.as_array().unwrap().len(), 1);
    let text = w.run_at(night, &["trigger", "list"]).ok();
    assert!(text.contains("2026-11-20  2026-11-21 01:30"), "{text}");
    let week = json_at(&w, "2026-11-21T18:00:00Z", &["review", "--range", "week"]);
    assert_eq!(week["triggers"]["total"], 1);

    // The evening of a lapse: no date in the future, what stays comes first.
    let evening = "2026-11-25T20:00:00Z";
    let out = w.run_at(evening, &["lapse", "record"]).ok();
    assert!(out.contains("What stays: 85 days sober in all"), "{out}");
    assert!(out.contains("starts tomorrow (2026-11-26)"), "{out}");
    let progress = w.run_at(evening, &["progress"]).ok();
    assert!(!progress.contains("since 2026-11-26"), "{progress}");
    assert!(progress.contains("Alcohol: a new start"), "{progress}");
    assert!(progress.contains("€1,062.50 in all"), "{progress}");

    // Milestones name the journey, and keys are what a person types.
    let milestones = w.run_at(evening, &["milestones"]).ok();
    assert!(
        milestones.starts_with("Alcohol (attempt 2 starts 2026-11-26)"),
        "{milestones}"
    );
    let history = w.run_at(evening, &["milestones", "--history"]).ok();
    assert!(history.contains("30d  2026-10-01"), "{history}");
    assert!(history.contains("1        60 days"), "{history}");
    w.run_at(
        "2026-12-27T20:00:00Z",
        &["milestones", "--acknowledge", "30d"],
    )
    .ok();
}

#[test]
fn edits_change_only_what_was_given_and_backdating_works() {
    let w = Waymark::new();
    w.init();
    let now = "2026-11-20T12:00:00Z";
    let j = json_at(
        &w,
        now,
        &[
            "journey",
            "add",
            "--name",
            "drink",
            "--since",
            "2026-06-01",
            "--time",
            "07:00",
            "--cost-per-day",
            "9.50",
            "--minutes-per-day",
            "60",
            "--milestone",
            "100",
        ],
    );
    w.run_at(now, &["settings", "--zone", "America/New_York"])
        .ok();
    let renamed = json_at(&w, now, &["journey", "edit", "drink", "--name", "drinking"]);
    for field in [
        "sober_since",
        "sober_since_time",
        "time_zone",
        "daily_cost_cents",
        "daily_minutes",
        "custom_milestone_days",
    ] {
        assert_eq!(renamed[field], j[field], "{field}");
    }
    assert_eq!(renamed["name"], "drinking");
    let cleared = json_at(
        &w,
        now,
        &["journey", "edit", "drinking", "--clear", "daily_cost"],
    );
    assert!(cleared["daily_cost_cents"].is_null());
    assert_eq!(cleared["daily_minutes"], 60);

    // A trigger backdated to last night, then edited: only the intensity changes.
    let logged = json_at(
        &w,
        now,
        &[
            "trigger",
            "log",
            "--category",
            "places",
            "--intensity",
            "6",
            "--at",
            "2026-11-19 23:15",
            "--tag",
            "bar",
        ],
    );
    let id = logged["id"].as_str().unwrap();
    json_at(&w, now, &["trigger", "edit", id, "--intensity", "4"]);
    let list = json_at(&w, now, &["trigger", "list"]);
    let t = &list[0];
    assert_eq!(t["intensity"], 4);
    assert_eq!(t["at"], "2026-11-20T04:15:00Z");
    assert_eq!(t["tags"][0], "bar");
    assert_eq!(t["time_zone"], "America/New_York");

    // Lapses, contacts, meetings and outreach can be edited and (meetings, outreach)
    // deleted.
    let lapse = json_at(
        &w,
        now,
        &[
            "lapse",
            "record",
            "--date",
            "2026-11-10",
            "--relapse",
            "--sober-again-from",
            "2026-11-12",
        ],
    );
    let lapse_id = lapse["id"].as_str().unwrap();
    let edited = json_at(&w, now, &["lapse", "edit", lapse_id, "--note", "weekend"]);
    assert_eq!(edited["kind"], "relapse");
    assert_eq!(edited["sober_again_from"], "2026-11-12");
    assert_eq!(edited["note"], "weekend");
    let sam = json_at(
        &w,
        now,
        &[
            "contact",
            "add",
            "--name",
            "Sam",
            "--role",
            "crisis-line",
            "--phone",
            "988",
        ],
    );
    assert_eq!(sam["role"], "crisis_line");
    let sam2 = json_at(&w, now, &["contact", "edit", "sam", "--role", "sponsor"]);
    assert_eq!(sam2["phone"], "988");
    let call = json_at(
        &w,
        now,
        &["outreach", "log", "--contact", "Sam", "--at", "06:45"],
    );
    assert_eq!(call["at"], "2026-11-20T11:45:00Z");
    let call_id = call["id"].as_str().unwrap();
    let call = json_at(&w, now, &["outreach", "edit", call_id, "--helped", "yes"]);
    assert_eq!(call["helped"], true);
    assert_eq!(call["at"], "2026-11-20T11:45:00Z");
    w.run_at(now, &["delete", "outreach", call_id, "--yes"])
        .ok();
    assert!(json_at(&w, now, &["outreach", "list"])
        .as_array()
        .unwrap()
        .is_empty());
    let meeting = json_at(
        &w,
        now,
        &[
            "meeting",
            "log",
            "--kind",
            "twelve_step",
            "--name",
            "Tuesday",
        ],
    );
    let meeting_id = meeting["id"].as_str().unwrap();
    let meeting = json_at(
        &w,
        now,
        &["meeting", "edit", meeting_id, "--date", "2026-11-17"],
    );
    assert_eq!(meeting["name"], "Tuesday");
    assert_eq!(meeting["date"], "2026-11-17");
    let text = w.run_at(now, &["meeting", "list"]).ok();
    assert!(text.contains("1 meeting by day"), "{text}");
    w.run_at(now, &["delete", "meeting", meeting_id, "--yes"])
        .ok();
}

#[test]
fn reflections_are_continued_and_finished_and_chains_can_be_written() {
    let w = Waymark::new();
    w.init();
    let now = "2026-11-20T20:00:00Z";
    w.run_at(
        now,
        &["journey", "add", "--name", "x", "--since", "2026-10-01"],
    )
    .ok();
    w.run_at(now, &["lapse", "record", "--date", "2026-11-19"])
        .ok();
    let draft = json_at(
        &w,
        now,
        &["reflect", "--draft", "--what-happened", "a long day"],
    );
    let id = draft["id"].as_str().unwrap();
    assert_eq!(draft["draft"], true);
    // Without --continue, the draft on the same lapse is continued rather than doubled.
    let finished = json_at(&w, now, &["reflect", "--learned", "eat first"]);
    assert_eq!(finished["id"], id);
    assert_eq!(finished["draft"], false);
    assert_eq!(finished["body"]["what_happened"], "a long day");
    let all = json_at(&w, now, &["reflections"]);
    assert_eq!(all.as_array().unwrap().len(), 1);
    let text = w.run_at(now, &["reflections"]).ok();
    assert!(text.contains(id), "the list shows ids: {text}");

    let chain = json_at(
        &w,
        now,
        &[
            "reflect",
            "--template",
            "chain",
            "--prompting-event",
            "an argument",
            "--link",
            "felt small",
            "--skill",
            "opposite action",
            "--link",
            "went to the shop",
            "--behaviour",
            "drank",
            "--draft",
        ],
    );
    assert_eq!(chain["body"]["template"], "chain_analysis");
    assert_eq!(chain["body"]["links"][0]["skill"], "opposite action");
    assert!(chain["body"]["links"][1]["skill"].is_null());
    let chain_id = chain["id"].as_str().unwrap();
    let done = json_at(
        &w,
        now,
        // The draft's own template: no --template needed to continue it.
        &["reflect", "--continue", chain_id, "--repair", "apologise"],
    );
    assert_eq!(done["draft"], false);
    assert_eq!(done["body"]["links"].as_array().unwrap().len(), 2);
}

#[test]
fn errors_name_the_flag_typed_and_list_what_is_accepted() {
    let w = Waymark::new();
    w.init();
    let now = "2026-11-20T12:00:00Z";
    w.run_at(
        now,
        &["journey", "add", "--name", "x", "--since", "2026-10-01"],
    )
    .ok();
    let run = w.run_at(
        now,
        &[
            "lapse",
            "record",
            "--date",
            "2026-11-19",
            "--sober-again-from",
            "2026-11-10",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--sober-again-from"), "{}", run.stderr);
    let run = w.run_at(
        now,
        &["contact", "add", "--name", "A", "--role", "my brother"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("sponsor, peer, therapist, crisis_line, other"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("brother"));
    w.run_at(now, &["lapse", "record", "--date", "2026-11-15"])
        .ok();
    let run = w.run_at(now, &["lapse", "record", "--date", "2026-11-15"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("waymark lapse edit "), "{}", run.stderr);
    let run = w.run_at(now, &["milestones", "--acknowledge", "2y"]);
    assert!(run.stderr.contains("--acknowledge"), "{}", run.stderr);
}

#[test]
fn deleting_a_trigger_by_a_journeys_id_changes_nothing() {
    let w = Waymark::new();
    w.init();
    let now = "2026-11-20T12:00:00Z";
    let j = json_at(
        &w,
        now,
        &["journey", "add", "--name", "x", "--since", "2026-10-01"],
    );
    w.run_at(now, &["lapse", "record", "--date", "2026-11-01"])
        .ok();
    let id = j["id"].as_str().unwrap();
    let before = w.fingerprint();
    let run = w.run_at(now, &["delete", "trigger", id, "--yes"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no trigger"), "{}", run.stderr);
    assert_eq!(w.fingerprint(), before);
    assert_eq!(
        json_at(&w, now, &["lapse", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn damaged_files_say_damaged_and_exit_4() {
    let w = Waymark::new();
    w.init();
    w.add_journey("x", "2026-10-01");
    for i in 0..40 {
        w.run(&[
            "entry",
            "write",
            "--text",
            &format!("entry {i} {}", "words ".repeat(80)),
            "--date",
            "2026-11-01",
        ])
        .ok();
    }
    let good = std::fs::read(&w.journal).unwrap();

    // A zeroed page in the middle of the records loses only what was on it: the rest is
    // listed, with a warning, and a backup saves it.
    // (Pages here: 1 schema, 2-3 settings, 4 key slots, 5-6 records' root and index, 7 the
    // write state, 8 onwards the records' leaves.)
    let zero_page = |page: usize| {
        let mut damaged = good.clone();
        damaged[(page - 1) * 4096..page * 4096].fill(0);
        std::fs::write(&w.journal, &damaged).unwrap();
    };
    zero_page(10);
    let run = w.run(&["--json", "entry", "list", "--from", "2026-01-01"]);
    assert!(run.stderr.contains("damaged"), "{}", run.stderr);
    let listed = run.json("entry list").as_array().unwrap().len();
    assert!((20..40).contains(&listed), "{listed} of 40 entries listed");
    let rescue = w.path("rescue.wmbackup");
    w.run_with(
        &["backup", "--out", rescue.to_str().unwrap()],
        &[
            ("WAYMARK_PASSPHRASE", PASSPHRASE),
            ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
        ],
        None,
    )
    .ok();
    assert!(rescue.exists());

    // A damaged write state (the seal counter's page): everything reads, and the command
    // says "damaged" (exit 4: the journal can be read, not changed); a write says
    // "damaged" and changes nothing.
    zero_page(7);
    let read = w.run(&["--json", "entry", "list", "--from", "2026-01-01"]);
    assert_eq!(read.code, 4, "{}", read.stderr);
    assert!(read.stderr.contains("damaged"), "{}", read.stderr);
    let all: serde_json::Value = serde_json::from_str(&read.stdout).unwrap();
    assert_eq!(all["data"].as_array().unwrap().len(), 40);
    let write = w.run(&["check-in", "--mood", "3", "--craving", "2"]);
    assert_eq!(write.code, 4, "{}", write.stderr);
    assert!(write.stderr.contains("damaged"), "{}", write.stderr);

    // A damaged journal id is damage, not a wrong passphrase.
    std::fs::write(&w.journal, &good).unwrap();
    rusqlite::Connection::open(&w.journal)
        .unwrap()
        .execute(
            "UPDATE settings SET value = x'00112233445566778899aabbccddeeff' WHERE name = 'journal_id'",
            [],
        )
        .unwrap();
    let run = w.run(&["check-ins"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("damaged"), "{}", run.stderr);

    // Backups: the wrong passphrase is the backup's, damage is damage.
    std::fs::write(&w.journal, &good).unwrap();
    let backup = w.path("b.wmbackup");
    w.run_with(
        &["backup", "--out", backup.to_str().unwrap()],
        &[
            ("WAYMARK_PASSPHRASE", PASSPHRASE),
            ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
        ],
        None,
    )
    .ok();
    let merge = |backup_passphrase: &str| {
        w.run_with(
            &["merge", "--from", backup.to_str().unwrap()],
            &[
                ("WAYMARK_PASSPHRASE", PASSPHRASE),
                ("WAYMARK_BACKUP_PASSPHRASE", backup_passphrase),
            ],
            None,
        )
    };
    let run = merge("not the backup passphrase");
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("backup passphrase"), "{}", run.stderr);
    let mut bytes = std::fs::read(&backup).unwrap();
    bytes[30] ^= 1;
    std::fs::write(&backup, &bytes).unwrap();
    let run = merge("the backup passphrase");
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("backup is damaged"), "{}", run.stderr);
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let w = Waymark::new();
    w.init();
    for day in 1..=20 {
        w.run(&[
            "check-in",
            "--mood",
            "3",
            "--craving",
            "2",
            "--date",
            &format!("2026-11-{day:02}"),
        ])
        .ok();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["check-ins", "--from", "2026-11-01"])
        .env("WAYMARK_JOURNAL", &w.journal)
        .env("WAYMARK_PASSPHRASE", PASSPHRASE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -0`: the reader goes away before anything is printed.
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[cfg(unix)]
#[test]
fn every_file_holding_a_persons_data_is_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let w = Waymark::new();
    let home = w.path("data");
    let journal = home.join("nested").join("journal.db");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec![format!("umask 022; exec \"$0\" \"$@\"")];
        all.push(env!("CARGO_BIN_EXE_waymark").to_owned());
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .args(&all)
            .env("WAYMARK_JOURNAL", &journal)
            .env("NO_COLOR", "1");
        for (k, v) in env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(
        &[
            "init",
            "--zone",
            "UTC",
            "--kdf-memory-mib",
            "1",
            "--kdf-passes",
            "1",
        ],
        &[("WAYMARK_NEW_PASSPHRASE", PASSPHRASE)],
    );
    let env = [
        ("WAYMARK_PASSPHRASE", PASSPHRASE),
        ("WAYMARK_BACKUP_PASSPHRASE", "a backup passphrase"),
    ];
    run(&["check-in", "--mood", "3", "--craving", "1"], &env);
    let backup = w.path("b.wmbackup");
    let export = w.path("export-dir");
    let export_json = w.path("e.json");
    let report = w.path("r.html");
    run(&["backup", "--out", backup.to_str().unwrap()], &env);
    run(
        &[
            "export",
            "--format",
            "csv",
            "--out",
            export.to_str().unwrap(),
        ],
        &env,
    );
    run(
        &[
            "export",
            "--format",
            "json",
            "--out",
            export_json.to_str().unwrap(),
        ],
        &env,
    );
    run(&["report", "--out", report.to_str().unwrap()], &env);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(journal.parent().unwrap()), 0o700);
    assert_eq!(mode(&journal), 0o600);
    for path in [&backup, &export_json, &report] {
        assert_eq!(mode(path), 0o600, "{}", path.display());
    }
    assert_eq!(mode(&export), 0o700);
    for entry in std::fs::read_dir(&export).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    // While a connection is open, SQLite's -wal and -shm exist: they are private too.
    let conn = rusqlite::Connection::open(&journal).unwrap();
    let _: i64 = conn
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap();
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", journal.display()));
        assert_eq!(mode(&side), 0o600, "{}", side.display());
    }
}

#[test]
fn the_small_words_read_right() {
    let w = Waymark::new();
    let init = w
        .run_with(
            &[
                "init",
                "--zone",
                "Europe/Berlin",
                "--kdf-memory-mib",
                "1",
                "--kdf-passes",
                "1",
            ],
            &[("WAYMARK_NEW_PASSPHRASE", PASSPHRASE)],
            None,
        )
        .ok();
    assert!(init.contains("Next: start a journey"), "{init}");
    let now = "2026-11-20T12:00:00Z";
    let out = w.run_at(now, &["milestones"]).ok();
    assert!(out.contains("No journeys yet"), "{out}");
    w.run_at(
        now,
        &[
            "journey",
            "add",
            "--name",
            "gambling",
            "--since",
            "2026-11-01",
        ],
    )
    .ok();
    w.run_at(now, &["meeting", "log", "--kind", "online"]).ok();
    let review = w.run_at(now, &["review"]).ok();
    assert!(review.contains("1 meeting,"), "{review}");
    assert!(!review.contains("1 meetings"), "{review}");
    w.run_at(now, &["check-in", "--mood", "4", "--craving", "1"])
        .ok();
    // The report counts check-ins from the first one, not from the start of the range.
    let report = w.path("r.html");
    w.run_at(
        now,
        &[
            "report",
            "--out",
            report.to_str().unwrap(),
            "--range",
            "year",
        ],
    )
    .ok();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains(r#"<div class="big">1 / 1</div>"#),
        "check-ins card"
    );
    // A kind word written in a reflection is in the report.
    w.run_at(now, &["lapse", "record", "--date", "2026-11-18"])
        .ok();
    w.run_at(
        now,
        &[
            "reflect",
            "--what-happened",
            "payday",
            "--learned",
            "leave the card at home",
            "--kind-word",
            "you are still here",
        ],
    )
    .ok();
    let report2 = w.path("r2.html");
    w.run_at(now, &["report", "--out", report2.to_str().unwrap()])
        .ok();
    let html = std::fs::read_to_string(&report2).unwrap();
    assert!(
        html.contains("you are still here"),
        "kind word in the report"
    );
    assert!(html.contains("(attempt 1)") || html.contains("Milestones reached"));
}

#[test]
fn init_states_the_rule_first_and_lets_a_short_or_mismatched_passphrase_be_retried() {
    // A real terminal (a pseudo-terminal from util-linux `script`): the person types a short
    // passphrase, then a mismatch, then gets it right.
    let w = Waymark::new();
    let mut child = Command::new("script")
        .args([
            "-qec",
            &format!(
                "{} init --zone UTC --kdf-memory-mib 1 --kdf-passes 1",
                env!("CARGO_BIN_EXE_waymark")
            ),
            "/dev/null",
        ])
        .env("WAYMARK_JOURNAL", &w.journal)
        .env("NO_COLOR", "1")
        .env_remove("WAYMARK_NEW_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("util-linux script");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let typed = format!("short\n{PASSPHRASE}\nnot the same one\n{PASSPHRASE}\n{PASSPHRASE}\n");
        stdin.write_all(typed.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let rule = text
        .find("at least 8 characters")
        .expect("the rule is stated");
    let first_prompt = text.find("New passphrase:").unwrap();
    assert!(
        rule < first_prompt,
        "the rule comes before the first prompt"
    );
    assert!(text.contains("shorter than 8 characters"), "{text}");
    assert!(text.contains("did not match; let's try again"), "{text}");
    assert!(text.contains("Next: start a journey"), "{text}");
    // The journal opens with the passphrase typed the third time.
    w.run(&["check-ins"]).ok();
}

#[test]
fn the_words_a_second_person_tripped_over() {
    let w = Waymark::new();
    w.init();
    let now = "2026-11-13T03:20:00Z"; // 22:20 on the 12th in New York
    w.run_at(now, &["settings", "--zone", "America/New_York"])
        .ok();
    w.run_at(
        now,
        &[
            "journey",
            "add",
            "--name",
            "drinking",
            "--since",
            "2026-10-01",
        ],
    )
    .ok();
    w.run_at(now, &["lapse", "record", "--date", "2026-11-10"])
        .ok();
    w.run_at(
        now,
        &["reflect", "--draft", "--what-happened", "a bad night"],
    )
    .ok();
    // Reflections are listed by the day they were written where the person is.
    let list = w.run_at(now, &["reflections"]).ok();
    assert!(list.contains("2026-11-12"), "{list}");
    assert!(!list.contains("2026-11-13"), "{list}");
    // A search snippet that spans lines still shows the match.
    w.run_with(
        &["entry", "write", "--title", "t"],
        &[("WAYMARK_PASSPHRASE", PASSPHRASE), ("WAYMARK_NOW", now)],
        Some("First line.\nFeeling steadier today."),
    )
    .ok();
    let found = w.run_at(now, &["search", "steadier"]).ok();
    assert!(found.contains("Feeling steadier"), "{found}");
    // Deleting by kind: a journey and an outreach, and a backup into a missing folder.
    let run = w.run_at(now, &["delete", "jouney", "x", "--yes"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("<KIND>"), "{}", run.stderr);
    let run = w.run_with(
        &[
            "backup",
            "--out",
            w.path("no/such/folder/b.wmbackup").to_str().unwrap(),
        ],
        &[
            ("WAYMARK_PASSPHRASE", PASSPHRASE),
            ("WAYMARK_BACKUP_PASSPHRASE", "a backup passphrase"),
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("invalid --out"), "{}", run.stderr);
    assert!(!run.stderr.contains(".tmp"), "{}", run.stderr);
    let run = w.run_at(now, &["journey", "edit", "nonesuch", "--name", "x"]);
    assert!(run.stderr.contains("invalid JOURNEY"), "{}", run.stderr);
    w.run_at(now, &["delete", "journey", "drinking", "--yes"])
        .ok();
    assert!(json_at(&w, now, &["journey", "list"])
        .as_array()
        .unwrap()
        .is_empty());
}
