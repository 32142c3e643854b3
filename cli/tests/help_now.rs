//! Hard moments and limit goals through the real binary, with the clock pinned: a crisis
//! evening (help now, a call, an urge ridden out, the card's ranking moved), a safety plan
//! written and printed, reminders across a DST change and a move, a limit goal over weeks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

fn json(w: &Waymark, now: &str, command: &str, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    w.run_at(now, &full).json(command)
}

#[test]
fn a_crisis_evening_through_the_command_line() {
    let w = Waymark::new();
    w.init();
    let before = "2026-11-01T12:00:00Z";
    w.run_at(
        before,
        &[
            "journey",
            "add",
            "--name",
            "alcohol",
            "--since",
            "2026-09-01",
        ],
    )
    .ok();
    w.run_at(
        before,
        &[
            "contact",
            "add",
            "--name",
            "Sam",
            "--role",
            "sponsor",
            "--phone",
            "+49 30 1234567",
        ],
    )
    .ok();
    // Tuesday evenings in Berlin have been lonely (emotions); mornings bring places.
    for (day, at, category) in [
        ("2026-11-03", "21:10", "emotions"),
        ("2026-11-10", "20:50", "emotions"),
        ("2026-11-17", "21:40", "emotions"),
        ("2026-11-04", "08:00", "places"),
        ("2026-11-05", "08:10", "places"),
        ("2026-11-06", "08:20", "places"),
        ("2026-11-07", "08:30", "places"),
    ] {
        w.run_at(
            "2026-11-20T12:00:00Z",
            &[
                "trigger",
                "log",
                "--category",
                category,
                "--intensity",
                "7",
                "--at",
                &format!("{day} {at}"),
            ],
        )
        .ok();
    }
    let plan_time = "2026-11-20T12:00:00Z";
    w.run_at(
        plan_time,
        &["safety-plan", "add", "warning-signs", "skipping dinner"],
    )
    .ok();
    w.run_at(
        plan_time,
        &["safety-plan", "add", "on-my-own", "--card", "box-breathing"],
    )
    .ok();
    w.run_at(
        plan_time,
        &["safety-plan", "add", "ask-for-help", "--contact", "sam"],
    )
    .ok();
    w.run_at(
        plan_time,
        &["safety-plan", "add", "reasons", "the garden in spring"],
    )
    .ok();
    w.run_at(plan_time, &["safety-plan", "country", "GB"]).ok();
    let shown = w.run_at(plan_time, &["safety-plan"]).ok();
    assert!(shown.contains("1. Warning signs"), "{shown}");
    assert!(shown.contains("skipping dinner"));
    assert!(shown.contains("Box breathing"));
    assert!(shown.contains("Sam +49 30 1234567"));
    assert!(shown.contains("116 123"));
    assert!(shown.contains("check this number"));
    w.run_at(plan_time, &["safety-plan", "confirm", "gb-ie-samaritans"])
        .ok();
    assert!(!w
        .run_at(plan_time, &["safety-plan"])
        .ok()
        .contains("check this number"));

    // Tuesday 24 November, 21:30 in Berlin.
    let evening = "2026-11-24T20:30:00Z";
    let help = json(&w, evening, "help-now", &["help-now", "--intensity", "8"]);
    assert_eq!(help["likely"]["category"], "emotions");
    assert_eq!(help["likely"]["basis"], "this_hour_this_weekday");
    assert_eq!(help["people"][0]["name"], "Sam");
    assert_eq!(help["session"]["intensity_start"], 8);
    assert_eq!(help["first_steps"][0]["card"]["id"], "box-breathing");
    let third = help["cards"][2]["card"]["id"].as_str().unwrap().to_owned();
    let text = w.run_at(evening, &["help-now"]).ok();
    assert!(text.contains("You reached for help"), "{text}");
    assert!(text.contains("Samaritans  116 123"), "{text}");
    assert!(text.contains("the garden in spring"));
    assert!(text.contains("Riding it out since 21:30"), "{text}");

    w.run_at("2026-11-24T20:35:00Z", &["help-now", "call", "Sam"])
        .ok();
    let outreach = json(&w, evening, "outreach list", &["outreach", "list"]);
    assert_eq!(outreach.as_array().unwrap().len(), 1);
    assert_eq!(outreach[0]["method"], "call");

    let ended = json(
        &w,
        "2026-11-24T20:55:00Z",
        "help-now end",
        &["help-now", "end", "--intensity", "2", "--card", &third],
    );
    assert_eq!(ended["minutes"], 25);
    assert_eq!(ended["outcome"], "helped");
    assert_eq!(ended["rank_before"], 3);
    assert!(ended["rank_after"].as_u64().unwrap() < 3, "{ended}");
    let said = w.run_at(
        "2026-11-24T21:00:00Z",
        &["help-now", "end", "--intensity", "11"],
    );
    assert_eq!(said.code, 2);
    assert!(said.stderr.contains("intensity"), "{}", said.stderr);

    // The next Tuesday evening, that card comes first.
    let next = json(&w, "2026-12-01T20:30:00Z", "help-now", &["help-now"]);
    assert_eq!(next["cards"][0]["card"]["id"], third.as_str());

    // The report carries the plan only when asked.
    let plain = w.path("plain.html");
    w.run_at(evening, &["report", "--out", plain.to_str().unwrap()])
        .ok();
    let with = w.path("with.html");
    w.run_at(
        evening,
        &[
            "report",
            "--out",
            with.to_str().unwrap(),
            "--with-safety-plan",
        ],
    )
    .ok();
    let plain = std::fs::read_to_string(plain).unwrap();
    let with = std::fs::read_to_string(with).unwrap();
    assert!(!plain.contains("My safety plan"));
    assert!(!plain.contains("skipping dinner"));
    assert!(with.contains(r#"<section class="plan"><h2>My safety plan</h2>"#));
    assert!(with.contains("skipping dinner"));
    assert!(with.contains("break-before: page"));
}

#[test]
fn reminders_across_a_dst_change_a_move_quiet_hours_and_the_cap() {
    let w = Waymark::new();
    w.init();
    let now = "2026-10-23T12:00:00Z";
    w.run_at(
        now,
        &[
            "journey",
            "add",
            "--name",
            "alcohol",
            "--since",
            "2026-09-01",
        ],
    )
    .ok();
    let list = json(&w, now, "reminders", &["reminders", "--days", "7"]);
    let check_ins: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "check_in")
        .map(|r| r["at"].as_str().unwrap())
        .collect();
    // 09:00 in Berlin: 07:00 UTC in summer time, 08:00 UTC after 25 October.
    assert!(check_ins.contains(&"2026-10-24T07:00:00Z"), "{check_ins:?}");
    assert!(check_ins.contains(&"2026-10-26T08:00:00Z"), "{check_ins:?}");
    for r in list.as_array().unwrap() {
        let words = format!("{} {}", r["title"], r["body"]).to_lowercase();
        for forbidden in ["sober", "relapse", "craving", "alcohol"] {
            assert!(!words.contains(forbidden), "{words}");
        }
    }

    w.run_at(
        now,
        &[
            "reminders",
            "set",
            "--check-in",
            "06:30",
            "--quiet",
            "22:00-07:00",
            "--cap",
            "1",
        ],
    )
    .ok();
    let capped = json(&w, now, "reminders", &["reminders", "--days", "3"]);
    let capped = capped.as_array().unwrap();
    assert!(capped.iter().all(|r| r["kind"] == "check_in"), "{capped:?}");
    assert!(
        capped.iter().any(|r| r["at"] == "2026-10-24T05:00:00Z"),
        "06:30 moved to 07:00 Berlin: {capped:?}"
    );

    // A move to New York: the check-in follows the person's new zone.
    w.run_at(now, &["settings", "--zone", "America/New_York"])
        .ok();
    let moved = json(&w, now, "reminders", &["reminders", "--days", "2"]);
    assert!(
        moved
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["at"] == "2026-10-24T11:00:00Z"),
        "07:00 in New York: {moved}"
    );
    let bad = w.run_at(now, &["reminders", "set", "--quiet", "22:00"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--quiet"), "{}", bad.stderr);
    let table = w.run_at(now, &["reminders"]).ok();
    assert!(table.contains("check in"), "{table}");
}

#[test]
fn a_limit_goal_over_several_weeks_with_a_week_over_the_limit() {
    let w = Waymark::new();
    w.init();
    let start = "2026-11-02T18:00:00Z";
    let journey = json(
        &w,
        start,
        "journey add",
        &[
            "journey",
            "add",
            "--name",
            "drinking less",
            "--since",
            "2026-11-02",
            "--limit",
            "10",
            "--per",
            "week",
            "--unit",
            "drinks",
        ],
    );
    assert_eq!(journey["limit"]["amount_hundredths"], 1000);
    assert_eq!(journey["limit"]["per"], "week");
    for (day, amount) in [
        ("2026-11-03", "3"),
        ("2026-11-05", "3"),
        ("2026-11-07", "2"),
        ("2026-11-10", "4"),
        ("2026-11-12", "4"),
        ("2026-11-14", "3"),
        ("2026-11-15", "1"),
        ("2026-11-24", "2,5"),
        ("2026-11-27", "1.5"),
    ] {
        w.run_at(&format!("{day}T20:00:00Z"), &["use", "--amount", amount])
            .ok();
    }
    let today = "2026-11-29T19:00:00Z";
    let progress = json(&w, today, "progress", &["progress"]);
    let limit = &progress["journeys"][0]["limit"];
    assert_eq!(limit["days_tracked"], 27, "completed days");
    assert_eq!(limit["days_over"], 2);
    assert_eq!(limit["days_abstinent"], 18);
    assert_eq!(limit["current_streak_days"], 13);
    assert_eq!(
        progress["journeys"][0]["counter"]["current_streak_days"],
        13
    );
    let totals: Vec<u64> = limit["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["total_hundredths"].as_u64().unwrap())
        .collect();
    assert_eq!(totals, vec![800, 1200, 0, 400]);
    let text = w.run_at(today, &["progress"]).ok();
    assert!(
        text.contains("drinking less: at most 10 drinks a week"),
        "{text}"
    );
    assert!(
        text.contains("this week: 4 of 10 drinks (6 left)"),
        "{text}"
    );
    assert!(text.contains("over the limit"), "{text}");
    let review = w.run_at(today, &["review", "--range", "month"]).ok();
    assert!(review.contains("over the limit"), "{review}");

    let bad = w.run_at(today, &["use", "--amount", "1.234"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--amount"), "{}", bad.stderr);
    assert!(!bad.stderr.contains("1.234"));
    let future = w.run_at(today, &["use", "--amount", "1", "--date", "2026-12-01"]);
    assert_eq!(future.code, 2);
    let no_unit = w.run_at(
        today,
        &[
            "journey",
            "add",
            "--name",
            "x",
            "--since",
            "2026-11-01",
            "--limit",
            "2",
        ],
    );
    assert_eq!(no_unit.code, 2);
    assert!(
        no_unit.stderr.contains("--limit") && no_unit.stderr.contains("unit"),
        "{}",
        no_unit.stderr
    );
}
