//! docs/cli-json.md is the contract for `--json`: every command's output, and the types
//! nested in it, have exactly the fields the page lists.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The page's types: name -> field names (a row may list several, comma-separated).
fn documented_types(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut types = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        if let Some(name) = line.strip_prefix("### `") {
            current = Some(name.trim_end_matches('`').to_owned());
            types.insert(current.clone().unwrap(), BTreeSet::new());
        } else if line.starts_with("## ") {
            current = None;
        } else if let (Some(name), Some(row)) = (&current, line.strip_prefix("| `")) {
            let first_cell = row.split(" |").next().unwrap();
            let fields = types.get_mut(name).unwrap();
            for field in format!("`{first_cell}").split(", ") {
                fields.insert(field.trim_matches('`').to_owned());
            }
        }
    }
    types
}

/// The page's command table: command -> (is an array, type name).
fn documented_commands(doc: &str) -> BTreeMap<String, (bool, String)> {
    let table = doc
        .split("## Commands")
        .nth(1)
        .unwrap()
        .split("## Types")
        .next()
        .unwrap();
    let mut commands = BTreeMap::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let data = cells[1].trim_end_matches(" |");
        let array = data.starts_with("array of");
        let type_name = data.split('`').nth(1).unwrap_or("").to_owned();
        for command in cells[0].trim_start_matches("| ").split(", ") {
            commands.insert(
                command.trim_matches('`').to_owned(),
                (array, type_name.clone()),
            );
        }
    }
    commands
}

/// A correctly encrypted backup holding two impossible journeys (backup passphrase "a backup
/// passphrase"): merging it puts them in quarantine.
const HOSTILE_BACKUP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/hostile-journeys.wmbackup"
);

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("expected an object, got {value}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_command_prints_exactly_the_documented_fields() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli-json.md"))
        .unwrap();
    let types = documented_types(&doc);
    let commands = documented_commands(&doc);
    let check_type = |type_name: &str, value: &Value, context: &str| {
        let fields = types
            .get(type_name)
            .unwrap_or_else(|| panic!("{type_name} is not documented"));
        assert_eq!(&keys(value), fields, "{context}: fields of {type_name}");
    };
    let mut checked = BTreeSet::new();
    let mut check = |command: &str, data: &Value| {
        let (array, type_name) = commands
            .get(command)
            .unwrap_or_else(|| panic!("{command} is not in the command table"));
        if *array {
            let items = data
                .as_array()
                .unwrap_or_else(|| panic!("{command}: expected an array"));
            assert!(
                !items.is_empty(),
                "{command}: test data should not be empty"
            );
            if !type_name.is_empty() {
                check_type(type_name, &items[0], command);
            }
        } else {
            check_type(type_name, data, command);
        }
        checked.insert(command.to_owned());
    };

    let w = Waymark::new();
    let demo = w.path("demo.db");
    let demo_s = demo.to_str().unwrap();
    let data = w
        .run_with(
            &["--json", "demo", "--days", "200", "--keep", demo_s],
            &[],
            None,
        )
        .json("demo");
    check("demo", &data);
    let env = [
        ("WAYMARK_PASSPHRASE", "demo passphrase"),
        ("WAYMARK_BACKUP_PASSPHRASE", "a backup passphrase"),
        ("WAYMARK_NEW_PASSPHRASE", "a new journal passphrase"),
    ];
    // Runs `waymark --json --journal DEMO ARGS`; the command's name is the words before the
    // first flag or value (two words for the groups: `journey list`, `cards show`).
    let run = |args: &[&str]| {
        let mut full = vec!["--json", "--journal", demo_s];
        full.extend_from_slice(args);
        let groups = [
            "journey",
            "lapse",
            "trigger",
            "cards",
            "entry",
            "contact",
            "outreach",
            "meeting",
            "safety-plan",
            "help-now",
            "reminders",
        ];
        let name = match args.get(1) {
            Some(word) if groups.contains(&args[0]) && !word.starts_with('-') => {
                format!("{} {}", args[0], word)
            }
            _ => args[0].to_owned(),
        };
        let data = w.run_with(&full, &env, None).json(&name);
        (name, data)
    };

    // Nested types, through the progress document.
    let (name, progress) = run(&["progress"]);
    check(&name, &progress);
    let journey = &progress["journeys"][0];
    check_type("JourneyProgress", journey, "progress.journeys[0]");
    check_type(
        "Journey",
        &journey["journey"],
        "progress.journeys[0].journey",
    );
    check_type("Counter", &journey["counter"], "counter");
    check_type(
        "Attempt",
        &journey["counter"]["attempts"][0],
        "counter.attempts[0]",
    );
    check_type("MilestoneProgress", &journey["milestones"], "milestones");
    check_type(
        "Milestone",
        &journey["milestones"]["reached"][0],
        "milestones.reached[0]",
    );
    check_type(
        "CheckInStreak",
        &progress["check_in_streak"],
        "check_in_streak",
    );
    check_type("DayPoint", &progress["last_30_days"][0], "last_30_days[0]");
    let journey_id = journey["journey"]["id"].as_str().unwrap().to_owned();

    let (name, data) = run(&["home"]);
    check(&name, &data);
    check_type("JourneyToday", &data["journeys"][0], "home.journeys[0]");
    for args in [
        vec!["milestones"],
        vec!["review", "--range", "year"],
        vec!["journey", "list"],
        vec!["lapse", "list"],
        vec!["check-ins"],
        vec!["trigger", "list"],
        vec!["cards", "list"],
        vec!["cards", "suggest", "emotions"],
        vec!["cards", "show", "urge-surfing"],
        vec!["cards", "favourite", "urge-surfing"],
        vec!["reflections"],
        vec!["entry", "list", "--from", "2000-01-01"],
        vec!["search", "walk"],
        vec!["contact", "list"],
        vec!["outreach", "list"],
        vec!["meeting", "list", "--from", "2000-01-01"],
        vec!["settings"],
        vec!["where"],
        vec!["check"],
        vec!["check-in", "--mood", "4", "--craving", "1"],
        vec!["trigger", "log", "--category", "people", "--intensity", "3"],
        vec!["cards", "use", "urge-surfing", "--helped", "yes"],
        vec!["cards", "add", "--title", "walk the dog", "--step", "leash"],
        vec!["reflect", "--draft"],
        vec!["entry", "write", "--text", "a quiet day"],
        vec!["contact", "add", "--name", "Sam", "--role", "sponsor"],
        vec!["meeting", "log", "--kind", "online"],
        vec!["lapse", "record", "--journey", &journey_id],
        vec!["lapse", "edit", "LAPSE", "--note", "it was a hard night"],
        vec!["evening", "--rating", "4"],
        vec!["cards", "archive", "halt-check"],
        vec!["new-recovery-code"],
        vec!["rotate-key"],
        vec!["merge", "--from", HOSTILE_BACKUP],
        vec!["quarantine"],
    ] {
        let lapse_id;
        let mut args = args;
        if args.get(2) == Some(&"LAPSE") {
            lapse_id = run(&["lapse", "list"])
                .1
                .as_array()
                .unwrap()
                .last()
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            args[2] = &lapse_id;
        }
        let (name, data) = run(&args);
        check(&name, &data);
        if name == "cards suggest" {
            check_type("Card", &data[0]["card"], "suggestion.card");
        }
        if name == "meeting list" {
            check_type("Meeting", &data["meetings"][0], "meetings[0]");
        }
    }
    let contact = run(&["contact", "list"]).1[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (name, data) = run(&["outreach", "log", "--contact", &contact]);
    check(&name, &data);
    let outreach = data["id"].as_str().unwrap().to_owned();
    let (name, data) = run(&["outreach", "edit", &outreach, "--helped", "yes"]);
    check(&name, &data);
    let (name, data) = run(&["contact", "edit", &contact, "--note", "calls back"]);
    check(&name, &data);
    let data = w
        .run_with(
            &["--json", "--journal", demo_s, "milestones", "--history"],
            &env,
            None,
        )
        .json("milestones history");
    check("milestones history", &data);
    let trigger = run(&["trigger", "list", "--from", "2000-01-01"]).1[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (name, data) = run(&["trigger", "edit", &trigger, "--intensity", "2"]);
    check(&name, &data);
    let meeting = run(&["meeting", "list", "--from", "2000-01-01"]).1["meetings"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (name, data) = run(&["meeting", "edit", &meeting, "--name", "Thursday group"]);
    check(&name, &data);
    let (name, data) = run(&["meeting", "start90"]);
    check(&name, &data);
    let entry = run(&["entry", "list", "--from", "2000-01-01"]).1[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (name, data) = run(&["entry", "show", &entry]);
    check(&name, &data);
    let (name, data) = run(&["entry", "edit", &entry, "--title", "renamed"]);
    check(&name, &data);
    let reflection = run(&[
        "reflect",
        "--what-happened",
        "x",
        "--learned",
        "y",
        "--plan",
        "z",
    ])
    .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (name, data) = run(&["cards", "from-plan", &reflection, "1"]);
    check(&name, &data);
    let (name, data) = run(&[
        "journey",
        "add",
        "--name",
        "smoking",
        "--since",
        "2026-01-01",
    ]);
    check(&name, &data);
    let id = data["id"].as_str().unwrap().to_owned();
    check(
        "journey edit",
        &run(&["journey", "edit", &id, "--name", "nicotine"]).1,
    );
    check("journey archive", &run(&["journey", "archive", &id]).1);

    // Hard moments: the safety plan, help now, reminders; a limit goal.
    let contact = run(&["contact", "list"]).1[0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    for args in [
        vec!["safety-plan"],
        vec!["safety-plan", "add", "warning-signs", "not sleeping"],
        vec!["safety-plan", "add", "on-my-own", "--card", "box-breathing"],
        vec!["safety-plan", "add", "ask-for-help", "--contact", &contact],
        vec!["safety-plan", "add", "reasons", "spring"],
        vec![
            "safety-plan",
            "edit",
            "reasons",
            "1",
            "the garden in spring",
        ],
        vec!["safety-plan", "add", "reasons", "to remove"],
        vec!["safety-plan", "remove", "reasons", "2"],
        vec!["safety-plan", "confirm", "us-988"],
        vec!["safety-plan", "remove-line", "us-samhsa"],
        vec!["safety-plan", "country", "US"],
    ] {
        let (name, data) = run(&args);
        check(&name, &data);
    }
    let data = w
        .run_with(
            &[
                "--json",
                "--journal",
                demo_s,
                "safety-plan",
                "set",
                "safer-surroundings",
            ],
            &env,
            Some("no bottles at home\nkeys with Sam\n"),
        )
        .json("safety-plan set");
    check("safety-plan set", &data);
    check_type(
        "SafetySection",
        &data["sections"][0],
        "safety-plan.sections[0]",
    );
    check_type(
        "SafetyItem",
        &data["sections"][0]["items"][0],
        "sections[0].items[0]",
    );
    check_type(
        "CrisisLine",
        &data["crisis_lines"][0],
        "safety-plan.crisis_lines[0]",
    );
    let (name, data) = run(&["help-now", "--intensity", "7"]);
    check(&name, &data);
    check_type("UrgeSession", &data["session"], "help-now.session");
    check_type("Suggestion", &data["cards"][0], "help-now.cards[0]");
    let (name, data) = run(&["help-now", "call", &contact]);
    check(&name, &data);
    let (name, data) = run(&[
        "help-now",
        "end",
        "--intensity",
        "3",
        "--card",
        "box-breathing",
    ]);
    check(&name, &data);
    let (name, data) = run(&["reminders", "--days", "7"]);
    check(&name, &data);
    for args in [
        vec!["reminders", "settings"],
        vec!["reminders", "set", "--risky-hours", "on", "--cap", "3"],
        vec![
            "reminders",
            "add-meeting",
            "--weekday",
            "tue",
            "--at",
            "19:30",
        ],
        vec!["reminders", "remove-meeting", "1"],
    ] {
        let (name, data) = run(&args);
        check(&name, &data);
    }
    let (_, data) = run(&[
        "journey",
        "add",
        "--name",
        "less",
        "--since",
        "2026-01-05",
        "--limit",
        "2",
        "--unit",
        "drinks",
    ]);
    check_type("Limit", &data["limit"], "journey.limit");
    let (name, data) = run(&["use", "--journey", "less", "--amount", "1.5"]);
    check(&name, &data);
    let data = w
        .run_with(
            &[
                "--json",
                "--journal",
                demo_s,
                "use",
                "--journey",
                "less",
                "--list",
            ],
            &env,
            None,
        )
        .json("use list");
    check("use list", &data);
    let (_, data) = run(&["progress", "--journey", "less"]);
    check_type(
        "LimitProgress",
        &data["journeys"][0]["limit"],
        "progress.limit",
    );
    check_type(
        "WeekTotal",
        &data["journeys"][0]["limit"]["weeks"][0],
        "limit.weeks[0]",
    );

    let backup = w.path("b.wmbackup");
    let (name, data) = run(&["backup", "--out", backup.to_str().unwrap()]);
    check(&name, &data);
    let (name, data) = run(&["merge", "--from", backup.to_str().unwrap()]);
    check(&name, &data);
    let folder = w.path("shared");
    std::fs::create_dir(&folder).unwrap();
    let (name, data) = run(&["sync", "--folder", folder.to_str().unwrap()]);
    check(&name, &data);
    check_type("MergeReport", &data["merged"], "sync.merged");
    let joined = w.path("joined.db");
    let data = w
        .run_with(
            &[
                "--json",
                "--journal",
                joined.to_str().unwrap(),
                "join",
                "--folder",
                folder.to_str().unwrap(),
            ],
            &env,
            None,
        )
        .json("join");
    check("join", &data);
    check_type("SyncReport", &data["report"], "join.report");
    let report = w.path("r.html");
    let (name, data) = run(&["report", "--out", report.to_str().unwrap()]);
    check(&name, &data);
    let restored = w.path("restored.db");
    let data = w
        .run_with(
            &[
                "--json",
                "--journal",
                restored.to_str().unwrap(),
                "restore",
                "--from",
                backup.to_str().unwrap(),
            ],
            &env,
            None,
        )
        .json("restore");
    check("restore", &data);
    check_type("MergeReport", &data["report"], "restore.report");
    let fresh = Waymark::new();
    let data = fresh.init_json();
    check("init", &data);
    let (_, data) = run(&[
        "export",
        "--format",
        "json",
        "--out",
        w.path("e.json").to_str().unwrap(),
    ]);
    check("export", &data);

    let documented: BTreeSet<String> = commands.keys().cloned().collect();
    let missing: Vec<&String> = documented.difference(&checked).collect();
    assert!(
        missing.is_empty(),
        "documented but not exercised: {missing:?}"
    );
}
