//! The safety plan, help now, urge surfing and limit goals, as a person meets them: a crisis
//! evening, a plan written over time, a limit goal over several weeks with a week over the
//! limit; and the new kinds sealed on disk and carried through backups.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::Duration;
use common::*;
use waymark_core::recovery::backup::Backup;
use waymark_core::recovery::cards::CardOutcome;
use waymark_core::recovery::help_now::CategoryBasis;
use waymark_core::recovery::journey::{DayStatus, JourneyInput, LapseInput, LapseKind};
use waymark_core::recovery::limits::{Limit, LimitPeriod};
use waymark_core::recovery::review::ReviewRange;
use waymark_core::recovery::safety_plan::{PlanSection, SafetyItem};
use waymark_core::recovery::support::{ContactInput, ContactRole, OutreachMethod};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput};
use waymark_core::recovery::Recovery;
use waymark_core::{Error, KdfParams};

fn text(t: &str) -> SafetyItem {
    SafetyItem {
        text: t.into(),
        card_id: None,
        contact_id: None,
        phone: None,
    }
}

fn trigger(at: chrono::DateTime<chrono::Utc>, category: TriggerCategory) -> TriggerInput {
    TriggerInput {
        at: Some(at),
        journey_id: None,
        category,
        tags: vec![],
        intensity: 6,
        situation: None,
        card_id: None,
        outcome: None,
        urge_minutes: None,
    }
}

fn contact(
    r: &Recovery,
    name: &str,
    role: ContactRole,
    phone: Option<&str>,
) -> waymark_core::RecordId {
    r.add_contact(ContactInput {
        name: name.into(),
        role,
        phone: phone.map(Into::into),
        note: None,
    })
    .unwrap()
    .id
}

#[test]
fn a_safety_plan_is_written_step_by_step_with_links_versions_and_lines_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(dir.path(), utc(2026, 11, 20, 18, 0), "Europe/London");
    let sam = contact(&r, "Sam", ContactRole::Sponsor, Some("+44 7700 900123"));

    let empty = r.safety_plan().unwrap();
    assert_eq!(empty.version, 0);
    assert_eq!(empty.sections.len(), 7);
    assert_eq!(
        empty.country.as_deref(),
        Some("GB"),
        "guessed from Europe/London"
    );
    assert_eq!(empty.crisis_lines.len(), 1);
    assert_eq!(empty.crisis_lines[0].number, "116 123");
    assert!(
        !empty.crisis_lines[0].confirmed,
        "shown as 'check this number'"
    );

    r.add_safety_item(PlanSection::WarningSigns, text("not sleeping"))
        .unwrap();
    r.add_safety_item(PlanSection::WarningSigns, text("cancelling plans"))
        .unwrap();
    r.add_safety_item(
        PlanSection::OnMyOwn,
        SafetyItem {
            card_id: Some("box-breathing".into()),
            ..text("")
        },
    )
    .unwrap();
    r.add_safety_item(
        PlanSection::AskForHelp,
        SafetyItem {
            contact_id: Some(sam),
            ..text("")
        },
    )
    .unwrap();
    r.add_safety_item(
        PlanSection::Professionals,
        SafetyItem {
            phone: Some("020 7946 0321".into()),
            ..text("Dr Okafor")
        },
    )
    .unwrap();
    clock.advance(Duration::days(1));
    let plan = r
        .add_safety_item(PlanSection::Reasons, text("my daughter"))
        .unwrap();
    assert_eq!(plan.version, 6, "every edit raises the version");
    assert_eq!(plan.updated_at, Some(utc(2026, 11, 21, 18, 0)));
    let on_my_own = &plan.sections[1];
    assert_eq!(on_my_own.section, PlanSection::OnMyOwn);
    assert_eq!(on_my_own.step, 2);
    assert_eq!(
        on_my_own.items[0].card.as_ref().unwrap().title,
        "Box breathing"
    );
    let ask = &plan.sections[3];
    assert_eq!(ask.items[0].contact.as_ref().unwrap().name, "Sam");

    // Rules name the field, never echo the text.
    let wrong_section = r.add_safety_item(
        PlanSection::WarningSigns,
        SafetyItem {
            card_id: Some("box-breathing".into()),
            ..text("x")
        },
    );
    assert!(matches!(
        wrong_section,
        Err(Error::InvalidInput {
            field: "card_id",
            ..
        })
    ));
    let no_card = r.add_safety_item(
        PlanSection::OnMyOwn,
        SafetyItem {
            card_id: Some("no-such-card".into()),
            ..text("")
        },
    );
    assert!(matches!(
        no_card,
        Err(Error::InvalidInput {
            field: "card_id",
            ..
        })
    ));
    assert!(matches!(
        r.add_safety_item(PlanSection::Reasons, text("   ")),
        Err(Error::InvalidInput { field: "text", .. })
    ));
    assert!(matches!(
        r.remove_safety_item(PlanSection::WarningSigns, 3),
        Err(Error::InvalidInput {
            field: "number",
            ..
        })
    ));
    assert_eq!(
        r.safety_plan().unwrap().version,
        6,
        "refused edits change nothing"
    );

    // Edit, remove, replace a section.
    let plan = r
        .edit_safety_item(PlanSection::WarningSigns, 2, text("not answering texts"))
        .unwrap();
    assert_eq!(plan.sections[0].items[1].text, "not answering texts");
    let plan = r.remove_safety_item(PlanSection::WarningSigns, 1).unwrap();
    assert_eq!(plan.sections[0].items.len(), 1);
    assert_eq!(plan.sections[0].items[0].number, 1);
    let plan = r
        .set_safety_section(
            PlanSection::SaferSurroundings,
            vec![text("no alcohol at home"), text("give the car keys to Sam")],
        )
        .unwrap();
    assert_eq!(plan.sections[5].items.len(), 2);

    // Lines: confirm, choose another country, remove.
    let plan = r.confirm_crisis_line("gb-ie-samaritans").unwrap();
    assert!(plan.crisis_lines[0].confirmed);
    assert!(matches!(
        r.confirm_crisis_line("xx-none"),
        Err(Error::InvalidInput { field: "line", .. })
    ));
    // In London with US chosen (an American abroad): where they are comes first, both listed.
    let plan = r.set_safety_country(Some("us")).unwrap();
    assert_eq!(plan.chosen_country.as_deref(), Some("US"));
    assert_eq!(plan.country.as_deref(), Some("GB"));
    assert_eq!(plan.emergency_number.as_deref(), Some("999"));
    assert_eq!(plan.crisis_lines[0].number, "116 123");
    // After a move to New York, 988 and 911.
    r.set_time_zone("America/New_York").unwrap();
    let plan = r.safety_plan().unwrap();
    assert_eq!(plan.country.as_deref(), Some("US"));
    assert_eq!(plan.emergency_number.as_deref(), Some("911"));
    r.set_time_zone("Europe/London").unwrap();
    assert_eq!(
        r.set_safety_country(Some("uk"))
            .unwrap()
            .chosen_country
            .as_deref(),
        Some("GB")
    );
    let plan = r.set_safety_country(Some("US")).unwrap();
    assert!(plan
        .crisis_lines
        .iter()
        .any(|l| l.number == "988" && !l.confirmed));
    let plan = r.remove_crisis_line("us-samhsa").unwrap();
    assert!(plan.crisis_lines.iter().all(|l| l.id != "us-samhsa"));
    assert!(matches!(
        r.set_safety_country(Some("USA")),
        Err(Error::InvalidInput {
            field: "country",
            ..
        })
    ));

    // A linked contact who leaves the network shows as a missing link, never an error.
    r.delete_contact(&sam).unwrap();
    let plan = r.safety_plan().unwrap();
    assert!(plan.sections[3].items[0].link_missing);
    assert!(plan.sections[3].items[0].contact.is_none());

    // It survives a lock and a reopen.
    r.lock();
    r.journal().unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(r.safety_plan().unwrap(), plan);
}

#[test]
fn a_crisis_evening_help_now_a_call_an_urge_ridden_out_and_the_card_ranking_moves() {
    let dir = tempfile::tempdir().unwrap();
    // Tuesdays around 21:00 in Berlin have been hard: loneliness (emotions) most of all.
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 11, 24, 21, 30),
        "Europe/Berlin",
    );
    r.add_journey(journey("alcohol", date(2026, 8, 1), "Europe/Berlin"))
        .unwrap();
    for week in 1..=6 {
        let tuesday = local("Europe/Berlin", 2026, 11, 24, 21, 0) - Duration::weeks(week);
        r.log_trigger(trigger(tuesday, TriggerCategory::Emotions))
            .unwrap();
        r.log_trigger(trigger(
            tuesday + Duration::minutes(50),
            TriggerCategory::Emotions,
        ))
        .unwrap();
        // Places trouble in the mornings, more of it overall.
        for day in 0..3 {
            let morning = local("Europe/Berlin", 2026, 11, 24, 8, 0) - Duration::weeks(week)
                + Duration::days(day);
            r.log_trigger(trigger(morning, TriggerCategory::Places))
                .unwrap();
        }
    }
    let sam = contact(&r, "Sam", ContactRole::Sponsor, Some("+49 30 1234567"));
    contact(&r, "No number", ContactRole::Peer, None);
    contact(
        &r,
        "Berlin line",
        ContactRole::CrisisLine,
        Some("0800 111 0 111"),
    );
    r.add_safety_item(PlanSection::OnMyOwn, text("cold water on my face"))
        .unwrap();
    r.add_safety_item(
        PlanSection::AskForHelp,
        SafetyItem {
            contact_id: Some(sam),
            ..text("")
        },
    )
    .unwrap();
    r.add_safety_item(
        PlanSection::Professionals,
        SafetyItem {
            phone: Some("030 555 0101".into()),
            ..text("my counsellor")
        },
    )
    .unwrap();
    r.add_safety_item(PlanSection::Reasons, text("the garden in spring"))
        .unwrap();

    let help = r.help_now(Some(8)).unwrap();
    let likely = help.likely.expect("the log says what this hour is like");
    assert_eq!(
        likely.category,
        TriggerCategory::Emotions,
        "this hour on Tuesdays, not the mornings"
    );
    assert_eq!(likely.basis, CategoryBasis::ThisHourThisWeekday);
    assert_eq!(help.first_steps[0].text, "cold water on my face");
    assert_eq!(help.reasons, vec!["the garden in spring".to_owned()]);
    assert_eq!(help.cards.len(), 3);
    assert_eq!(help.people.len(), 1, "only people with a number");
    assert_eq!(help.people[0].name, "Sam");
    assert!(help.people[0].from_plan);
    assert_eq!(
        help.lines[0].name, "my counsellor",
        "the person's own lines first"
    );
    assert!(help.lines[0].own && help.lines[0].confirmed);
    assert_eq!(help.lines[1].name, "Berlin line");
    assert!(
        help.lines.iter().skip(2).all(|l| !l.own),
        "then the starter list"
    );
    assert_eq!(help.session.intensity_start, Some(8));
    assert_eq!(help.session.category, Some(TriggerCategory::Emotions));
    assert!(!help.plan_missing);

    // Pressing the button again a minute later continues the same session.
    clock.advance(Duration::minutes(1));
    let again = r.help_now(None).unwrap();
    assert_eq!(again.session.id, help.session.id);

    // The call is logged as outreach.
    let call = r.call_from_help_now(&sam).unwrap();
    assert_eq!(call.method, OutreachMethod::Call);
    assert_eq!(r.outreach().unwrap().len(), 1);

    // The urge eases with a card that was not first: its ranking for emotions rises.
    let third = help.cards[2].card.id.clone();
    clock.advance(Duration::minutes(24));
    let ended = r.end_urge_session(None, 2, Some(&third)).unwrap();
    assert_eq!(ended.minutes, 25);
    assert_eq!(ended.outcome, Some(CardOutcome::Helped));
    assert_eq!(ended.rank_before, Some(3));
    assert!(ended.rank_after.unwrap() < 3, "{ended:?}");
    let uses = r.snapshot().unwrap().card_uses;
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].category, Some(TriggerCategory::Emotions));
    assert!(matches!(
        r.end_urge_session(Some(help.session.id), 1, None),
        Err(Error::InvalidInput {
            field: "session",
            ..
        })
    ));
    assert!(matches!(
        r.end_urge_session(None, 1, None),
        Err(Error::InvalidInput {
            field: "session",
            ..
        })
    ));
    assert!(matches!(
        r.help_now(Some(11)),
        Err(Error::InvalidInput {
            field: "intensity",
            ..
        })
    ));

    // Next Tuesday the same moment offers that card first.
    clock.set(local("Europe/Berlin", 2026, 12, 1, 21, 30));
    let next = r.help_now(None).unwrap();
    assert_ne!(
        next.session.id, help.session.id,
        "a new moment, a new session"
    );
    assert_eq!(next.cards[0].card.id, third);
}

#[test]
fn help_now_without_a_plan_or_a_log_still_offers_cards_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 11, 25, 3, 0), "America/New_York");
    let help = r.help_now(None).unwrap();
    assert!(help.plan_missing);
    assert!(help.likely.is_none());
    assert_eq!(help.cards.len(), 3);
    assert!(help.lines.iter().any(|l| l.number == "988"));
    assert!(help.people.is_empty());
}

fn limit_journey(r: &Recovery, per: LimitPeriod, amount: i32) -> waymark_core::RecordId {
    r.add_journey(JourneyInput {
        limit: Some(Limit {
            amount_hundredths: amount,
            per,
            unit: "drinks".into(),
        }),
        custom_milestone_days: vec![7],
        ..journey("drinking less", date(2026, 11, 2), "Europe/Berlin")
    })
    .unwrap()
    .id
}

#[test]
fn a_limit_goal_over_four_weeks_with_a_week_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 2026-11-02 to Sunday 2026-11-29: four whole weeks; today is the 29th.
    let (r, _) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 11, 29, 20, 0),
        "Europe/Berlin",
    );
    let id = limit_journey(&r, LimitPeriod::Week, 1000);
    // Week 1: 3 + 3 + 2 = 8. Week 2: 4 + 4 + 3 = 11, over on Saturday (the 14th) and
    // Sunday. Week 3: nothing. Week 4: 2.5 + 1.5.
    for (day, amount) in [
        (3, 300),
        (5, 300),
        (7, 200),
        (10, 400),
        (12, 400),
        (14, 300),
        (15, 100),
        (24, 250),
        (27, 150),
    ] {
        r.log_use(&id, amount, Some(date(2026, 11, day))).unwrap();
    }
    let p = r.limit_progress(&id).unwrap().unwrap();
    assert_eq!(p.days_tracked, 27);
    assert_eq!(p.days_over, 2);
    assert_eq!(p.days_within, 25);
    assert_eq!(p.days_abstinent, 18);
    assert!(
        (p.percent_abstinent - 66.7).abs() < 1e-9,
        "{}",
        p.percent_abstinent
    );
    assert_eq!(p.current_streak_days, 13, "from the 16th to yesterday");
    assert_eq!(p.longest_streak_days, 13);
    let weeks: Vec<(i32, bool)> = p
        .weeks
        .iter()
        .map(|w| (w.total_hundredths, w.over))
        .collect();
    assert_eq!(
        weeks,
        vec![(800, false), (1200, true), (0, false), (400, false)]
    );
    assert_eq!(p.weeks[1].days_over, 2);
    assert_eq!(p.this_week_hundredths, 400);
    assert_eq!(p.left_hundredths, 600);

    // The rest of the app reads the over days like lapses: counter, calendar, milestones.
    let screen = r.progress(ReviewRange::Month).unwrap();
    let jp = &screen.journeys[0];
    assert_eq!(jp.limit.as_ref().unwrap().days_over, 2);
    assert_eq!(
        jp.counter.current_streak_days, 13,
        "completed days since the 16th"
    );
    let day = |d: u32| jp.days[(date(2026, 11, d) - screen.from).num_days() as usize];
    assert_eq!(day(14), DayStatus::OverLimit);
    assert_eq!(day(15), DayStatus::OverLimit);
    assert_eq!(day(13), DayStatus::Sober, "within the limit");
    assert_eq!(day(29), DayStatus::Today);
    let history = r.milestone_history(&id).unwrap();
    let keys: Vec<&str> = history.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        ["24h", "7d", "24h", "7d"],
        "a week within the limit, twice"
    );
    // Over days are derived: never recorded, never exported, never edited as lapses.
    let lapses = r.lapses(&id).unwrap();
    assert!(lapses.iter().all(|l| l.kind == LapseKind::OverLimit));
    assert!(matches!(
        r.undo_lapse(&lapses[0].id),
        Err(Error::InvalidInput { field: "lapse", .. })
    ));
    assert!(r.export().unwrap().lapses.is_empty());
    let overlimit = r.record_lapse(LapseInput {
        journey_id: id,
        kind: LapseKind::OverLimit,
        date: date(2026, 11, 20),
        time: None,
        sober_again_from: None,
        note: None,
        trigger_id: None,
    });
    assert!(matches!(
        overlimit,
        Err(Error::InvalidInput { field: "kind", .. })
    ));

    // Deleting an amount brings the week back within the limit.
    let uses = r.uses(&id).unwrap();
    let saturday = uses.iter().find(|u| u.date == date(2026, 11, 14)).unwrap();
    r.delete_use(&saturday.id).unwrap();
    let p = r.limit_progress(&id).unwrap().unwrap();
    assert_eq!(p.days_over, 0);
    assert_eq!(p.current_streak_days, 27);
}

#[test]
fn a_daily_limit_counts_each_day_and_refuses_what_does_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 11, 9, 20, 0),
        "Europe/Berlin",
    );
    let id = limit_journey(&r, LimitPeriod::Day, 200);
    r.log_use(&id, 100, Some(date(2026, 11, 3))).unwrap();
    r.log_use(&id, 150, Some(date(2026, 11, 3))).unwrap();
    r.log_use(&id, 200, Some(date(2026, 11, 5))).unwrap();
    r.log_use(&id, 50, None).unwrap();
    let p = r.limit_progress(&id).unwrap().unwrap();
    assert_eq!((p.days_tracked, p.days_over, p.days_abstinent), (7, 1, 5));
    assert_eq!(p.today_hundredths, 50);
    assert_eq!(p.left_hundredths, 150);
    assert_eq!(p.weeks[0].limit_hundredths, 1400);
    assert!(matches!(
        r.log_use(&id, 100, Some(date(2026, 11, 10))),
        Err(Error::InvalidInput { field: "date", .. })
    ));
    assert!(matches!(
        r.log_use(&id, 100, Some(date(2026, 11, 1))),
        Err(Error::InvalidInput { field: "date", .. })
    ));
    let plain = r
        .add_journey(journey("gambling", date(2026, 10, 1), "Europe/Berlin"))
        .unwrap();
    assert!(matches!(
        r.log_use(&plain.id, 100, None),
        Err(Error::InvalidInput {
            field: "journey",
            ..
        })
    ));
    assert!(
        r.limit_progress(&plain.id).unwrap().is_none(),
        "abstinence journeys are unchanged"
    );
    assert!(matches!(
        r.add_journey(JourneyInput {
            limit: Some(Limit {
                amount_hundredths: 100,
                per: LimitPeriod::Day,
                unit: " ".into()
            }),
            ..journey("x", date(2026, 11, 1), "Europe/Berlin")
        }),
        Err(Error::InvalidInput { field: "unit", .. })
    ));
}

#[test]
fn the_new_kinds_are_sealed_on_disk_and_travel_through_backup_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 11, 20, 21, 0),
        "Europe/Berlin",
    );
    let id = limit_journey(&r, LimitPeriod::Day, 200);
    r.log_use(&id, 300, Some(date(2026, 11, 10))).unwrap();
    r.add_safety_item(PlanSection::WarningSigns, text("MARKER-plan-7f3a"))
        .unwrap();
    r.add_safety_item(PlanSection::Reasons, text("MARKER-reason-91c2"))
        .unwrap();
    r.confirm_crisis_line("us-988").unwrap();
    r.help_now(Some(7)).unwrap();
    r.end_urge_session(None, 3, Some("urge-surfing")).unwrap();
    r.lock();
    for needle in [
        "MARKER-plan-7f3a",
        "MARKER-reason-91c2",
        "safety_plan",
        "urge_session",
        "us-988",
        "drinks",
        "drinking less",
    ] {
        assert_eq!(
            occurrences_in_dir(dir.path(), needle.as_bytes()),
            0,
            "{needle} readable on disk"
        );
    }
    r.journal().unlock_with_passphrase(PASSPHRASE).unwrap();

    let file = dir.path().join("b.wmbackup");
    let kdf = KdfParams::new(256, 1, 1).unwrap();
    r.write_backup(&file, "a backup passphrase", &kdf).unwrap();
    assert_eq!(occurrences_in_dir(dir.path(), b"MARKER-plan-7f3a"), 0);
    let backup = Backup::read(&file, "a backup passphrase").unwrap();

    let other = tempfile::tempdir().unwrap();
    let restored = backup
        .restore(
            &other.path().join("restored.db"),
            PASSPHRASE,
            fast_options(),
            std::sync::Arc::new(waymark_core::recovery::clock::FixedClock::new(r.now())),
        )
        .unwrap();
    let (a, b) = (r.snapshot().unwrap(), restored.recovery.snapshot().unwrap());
    assert_eq!(a.safety_plan, b.safety_plan);
    assert_eq!(a.urge_sessions, b.urge_sessions);
    assert_eq!(a.uses, b.uses);
    assert_eq!(
        a.lapses, b.lapses,
        "the over day is derived again from the amounts"
    );
    assert_eq!(b.lapses.len(), 1);
    assert_eq!(
        r.limit_progress(&id).unwrap(),
        restored.recovery.limit_progress(&id).unwrap()
    );

    // Merging the backup into a journal that has its own plan: nothing duplicated, twice.
    let third = tempfile::tempdir().unwrap();
    let (c, _) = recovery_at(third.path(), r.now(), "Europe/Berlin");
    c.add_safety_item(PlanSection::WarningSigns, text("mine"))
        .unwrap();
    let first = c.merge_backup(&backup).unwrap();
    let second = c.merge_backup(&backup).unwrap();
    assert_eq!(second.added, 0);
    assert_eq!(second.updated, 0);
    assert!(first.added >= 4, "{first:?}");
    let snap = c.snapshot().unwrap();
    assert_eq!(snap.uses.len(), 1);
    assert_eq!(snap.urge_sessions.len(), 1);
    assert!(snap.safety_plan.is_some());
}

#[test]
fn changing_a_limit_applies_from_the_day_it_changed_never_to_the_days_before() {
    use waymark_core::recovery::journey::JourneyPatch;
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 11, 10, 20, 0),
        "Europe/Berlin",
    );
    let id = limit_journey(&r, LimitPeriod::Day, 500);
    // Over 5 a day on the 4th and the 6th.
    for (day, amount) in [(3, 400), (4, 600), (6, 700), (8, 300)] {
        r.log_use(&id, amount, Some(date(2026, 11, day))).unwrap();
    }
    assert_eq!(r.limit_progress(&id).unwrap().unwrap().days_over, 2);
    // On the 10th the goal becomes 30 a week: the 4th and the 6th stay over.
    let patch = |amount: i32, per: LimitPeriod| JourneyPatch {
        limit: Some(Limit {
            amount_hundredths: amount,
            per,
            unit: "cigarettes".into(),
        }),
        ..JourneyPatch::default()
    };
    let edited = r.edit_journey(&id, patch(3000, LimitPeriod::Week)).unwrap();
    assert_eq!(edited.earlier_limits.len(), 1);
    assert_eq!(edited.earlier_limits[0].until, date(2026, 11, 9));
    assert_eq!(edited.earlier_limits[0].limit.amount_hundredths, 500);
    // A second change the same day replaces today's, not the history.
    let edited = r.edit_journey(&id, patch(2500, LimitPeriod::Week)).unwrap();
    assert_eq!(edited.earlier_limits.len(), 1);
    assert_eq!(r.limit_progress(&id).unwrap().unwrap().days_over, 2);
    // Under the new weekly limit: 24 and 4 this week (from Monday the 9th) are within it.
    clock.set(local("Europe/Berlin", 2026, 11, 12, 20, 0));
    r.log_use(&id, 2400, Some(date(2026, 11, 10))).unwrap();
    r.log_use(&id, 400, Some(date(2026, 11, 11))).unwrap();
    let p = r.limit_progress(&id).unwrap().unwrap();
    assert_eq!(p.days_over, 3, "the 11th passes 25 this week");
    assert_eq!(p.weeks.last().unwrap().limit_hundredths, 2500);
    assert_eq!(
        p.weeks[0].limit_hundredths, 3500,
        "the first week had 5 a day: {:?}",
        p.weeks
    );
}
