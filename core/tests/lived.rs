//! What a person meets in their first weeks and months, each rule pinned by a test that
//! failed before it was fixed: one recovery day everywhere, a review that starts at the
//! first thing recorded, history that survives a relapse, a counter that tells the truth the
//! evening of a lapse, zones that move, 90 in 90 starting again, edits that change only
//! what was given, reflections that can be continued, and deletes that check the kind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, NaiveTime};
use common::*;
use waymark_core::recovery::cards::CardOutcome;
use waymark_core::recovery::journey::{
    day_status, DayStatus, JourneyField, JourneyPatch, LapseInput, LapseKind, LapsePatch,
};
use waymark_core::recovery::reflection::{
    ChainAnalysis, ChainLink, LapseReflection, PlanItem, ReflectionBody, ReflectionInput,
};
use waymark_core::recovery::review::ReviewRange;
use waymark_core::recovery::support::{
    ContactInput, ContactRole, MeetingInput, MeetingKind, NinetyInNinetyStart, OutreachInput,
    OutreachMethod,
};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput};
use waymark_core::Error;

fn trigger_at(at: chrono::DateTime<chrono::Utc>) -> TriggerInput {
    TriggerInput {
        at: Some(at),
        journey_id: None,
        category: TriggerCategory::Emotions,
        tags: vec![],
        intensity: 7,
        situation: None,
        card_id: None,
        outcome: None,
        urge_minutes: None,
    }
}

fn lapse(journey_id: waymark_core::RecordId, day: chrono::NaiveDate) -> LapseInput {
    LapseInput {
        journey_id,
        kind: LapseKind::Lapse,
        date: day,
        time: None,
        sober_again_from: None,
        note: None,
        trigger_id: None,
    }
}

#[test]
fn a_trigger_at_half_past_one_belongs_to_the_recovery_day_before_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 01:30 in Berlin; the day starts at 04:00, so it is still
    // Tuesday's recovery day.
    let night = local("Europe/Berlin", 2026, 6, 10, 1, 30);
    let (r, clock) = recovery_at(dir.path(), night, "Europe/Berlin");
    r.set_day_starts_at(4).unwrap();
    let j = r
        .add_journey(journey("alcohol", date(2026, 5, 1), "Europe/Berlin"))
        .unwrap();
    let t = r
        .log_trigger(TriggerInput {
            journey_id: Some(j.id),
            card_id: Some("urge-surfing".into()),
            outcome: Some(waymark_core::recovery::triggers::UrgeOutcome::Passed),
            ..trigger_at(night)
        })
        .unwrap();
    let sam = r
        .add_contact(ContactInput {
            name: "Sam".into(),
            role: ContactRole::Sponsor,
            phone: None,
            note: None,
        })
        .unwrap();
    r.log_outreach(OutreachInput {
        contact_id: sam.id,
        method: OutreachMethod::Call,
        helped: Some(true),
        note: None,
        at: None,
    })
    .unwrap();
    r.use_card("box-breathing", CardOutcome::Helped, None, None)
        .unwrap();

    let tuesday = date(2026, 6, 9);
    assert_eq!(r.today().unwrap(), tuesday);
    let listed = r.triggers(tuesday, tuesday).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, t.id);
    assert!(r
        .triggers(date(2026, 6, 10), date(2026, 6, 10))
        .unwrap()
        .is_empty());

    // Later that Wednesday (the next recovery day), a week's review still counts all three.
    clock.set(local("Europe/Berlin", 2026, 6, 10, 20, 0));
    let week = r.review_progress(ReviewRange::Week).unwrap();
    assert_eq!(week.triggers.total, 1);
    assert_eq!(week.triggers.by_hour[1], 1, "by local hour: 01:00-02:00");
    assert_eq!(week.triggers.by_weekday[1], 1, "Tuesday, its recovery day");
    assert_eq!(week.support.outreach, 1);
    assert_eq!(week.most_helpful_cards.len(), 2);
    let between = r
        .review_progress(ReviewRange::Between {
            from: tuesday,
            to: tuesday,
        })
        .unwrap();
    assert_eq!(
        (between.triggers.total, between.support.outreach),
        (1, 1),
        "a review of Tuesday alone holds the night's trigger and call"
    );
    assert_eq!(between.most_helpful_cards.len(), 2);
}

#[test]
fn the_all_time_review_starts_at_the_earliest_record_of_any_kind() {
    let dir = tempfile::tempdir().unwrap();
    // 20:00 in Los Angeles on 1 March is already 2 March in UTC.
    let evening = local("America/Los_Angeles", 2026, 3, 1, 20, 0);
    let (r, clock) = recovery_at(dir.path(), evening, "America/Los_Angeles");
    r.log_trigger(trigger_at(evening)).unwrap();
    clock.set(local("America/Los_Angeles", 2026, 3, 20, 12, 0));
    r.add_journey(journey(
        "gambling",
        date(2026, 3, 10),
        "America/Los_Angeles",
    ))
    .unwrap();
    let all = r.review_progress(ReviewRange::AllTime).unwrap();
    assert_eq!(all.from, date(2026, 3, 1));
    assert_eq!(all.triggers.total, 1);

    // Outreach alone, backdated before everything else, moves the start too.
    let sam = r
        .add_contact(ContactInput {
            name: "Sam".into(),
            role: ContactRole::Peer,
            phone: None,
            note: None,
        })
        .unwrap();
    r.log_outreach(OutreachInput {
        contact_id: sam.id,
        method: OutreachMethod::Message,
        helped: None,
        note: None,
        at: Some(local("America/Los_Angeles", 2026, 2, 20, 21, 0)),
    })
    .unwrap();
    let all = r.review_progress(ReviewRange::AllTime).unwrap();
    assert_eq!(all.from, date(2026, 2, 20));
    assert_eq!(all.support.outreach, 1);
}

#[test]
fn a_relapse_keeps_every_milestone_reached_before_it_labelled_with_its_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(dir.path(), utc(2026, 3, 20, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    // 68 days sober, then a relapse of three days; sober again from 13 March.
    r.record_lapse(LapseInput {
        kind: LapseKind::Relapse,
        sober_again_from: Some(date(2026, 3, 13)),
        ..lapse(j.id, date(2026, 3, 10))
    })
    .unwrap();
    clock.set(utc(2026, 4, 20, 12, 0));
    let all = r.review_progress(ReviewRange::AllTime).unwrap();
    let jr = &all.journeys[0];
    let reached: Vec<(i32, &str)> = jr
        .milestones_reached_in_range
        .iter()
        .map(|m| (m.attempt, m.key.as_str()))
        .collect();
    assert_eq!(
        reached,
        [(1, "24h"), (1, "30d"), (1, "60d"), (2, "24h"), (2, "30d")]
    );
    assert_eq!(r.milestone_history(&j.id).unwrap().len(), 5);
    // The current attempt's own progress is unchanged: it starts again at 24 hours.
    assert_eq!(jr.milestones.as_ref().unwrap().attempt, 2);
    // The relapse shows as a relapse, with its days, never as "no record".
    assert_eq!(all.lapses.len(), 1);
    assert_eq!(all.lapses[0].days, 3);
    let today = jr.counter.today;
    for (day, status) in [
        (date(2026, 3, 9), DayStatus::Sober),
        (date(2026, 3, 10), DayStatus::Relapse),
        (date(2026, 3, 11), DayStatus::Relapse),
        (date(2026, 3, 12), DayStatus::Relapse),
        (date(2026, 3, 13), DayStatus::Sober),
        (date(2025, 12, 31), DayStatus::BeforeStart),
        (today, DayStatus::Today),
    ] {
        assert_eq!(
            day_status(&jr.counter.attempts, &jr.lapses, day, today),
            status,
            "{day}"
        );
    }
}

#[test]
fn the_evening_of_a_lapse_the_counter_says_the_new_attempt_starts_tomorrow() {
    let dir = tempfile::tempdir().unwrap();
    let evening = local("Europe/Berlin", 2026, 11, 25, 21, 0);
    let (r, clock) = recovery_at(dir.path(), evening, "Europe/Berlin");
    let j = r
        .add_journey(journey("alcohol", date(2026, 9, 1), "Europe/Berlin"))
        .unwrap();
    r.record_lapse(lapse(j.id, date(2026, 11, 25))).unwrap();
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.next_attempt_starts_on, Some(date(2026, 11, 26)));
    assert_eq!(
        (c.elapsed_days, c.elapsed_hours, c.elapsed_minutes),
        (0, 0, 0)
    );
    assert_eq!(c.current_streak_days, 0);
    assert_eq!(c.total_sober_days, 85, "what stays: 1 Sep .. 24 Nov");
    assert_eq!(c.longest_streak_days, 85);
    let m = r.milestones(&j.id).unwrap();
    assert!(m.reached.is_empty(), "nothing reached before the start");
    // At midnight the new attempt begins and counts.
    clock.set(local("Europe/Berlin", 2026, 11, 26, 0, 30));
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.next_attempt_starts_on, None);
    assert_eq!((c.elapsed_hours, c.elapsed_minutes), (0, 30));
}

#[test]
fn after_a_move_the_new_attempt_counts_from_midnight_where_the_person_is() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 5, 1, 12, 0),
        "Europe/Berlin",
    );
    let mut input = journey("alcohol", date(2026, 3, 1), "Europe/Berlin");
    input.sober_since_time = Some(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let j = r.add_journey(input).unwrap();
    // The person moves to New York, and relapses there on 10 May.
    clock.set(local("America/New_York", 2026, 5, 10, 22, 0));
    r.set_time_zone("America/New_York").unwrap();
    r.record_lapse(lapse(j.id, date(2026, 5, 10))).unwrap();
    // 19:00 on the first sober day in New York: 19 real hours since midnight there.
    clock.set(local("America/New_York", 2026, 5, 11, 19, 0));
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.attempts[1].start_zone, "America/New_York");
    assert_eq!(
        (c.elapsed_days, c.elapsed_hours, c.elapsed_minutes),
        (0, 19, 0)
    );
    let m = r.milestones(&j.id).unwrap();
    assert!(m.reached.is_empty(), "24 hours is not reached after 19");
    assert_eq!(m.next.as_ref().unwrap().key, "24h");
    clock.set(local("America/New_York", 2026, 5, 11, 23, 59));
    assert!(r.milestones(&j.id).unwrap().reached.is_empty());
    clock.set(local("America/New_York", 2026, 5, 12, 0, 0));
    let m = r.milestones(&j.id).unwrap();
    assert_eq!(m.reached[0].key, "24h");
    assert_eq!(m.reached[0].due_on, date(2026, 5, 12));
    // The first attempt still counts from 09:00 in Berlin.
    let first = &r.counter(&j.id).unwrap().attempts[0];
    assert_eq!(first.start_zone, "Europe/Berlin");
    assert_eq!(first.start_time, NaiveTime::from_hms_opt(9, 0, 0));
}

#[test]
fn ninety_in_ninety_starts_again_after_a_relapse_and_when_the_person_chooses() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(dir.path(), utc(2026, 2, 20, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    let meeting = |day| MeetingInput {
        date: Some(day),
        kind: MeetingKind::TwelveStep,
        name: None,
        note: None,
    };
    // Meetings every day from 20 January to 20 February.
    for i in 0..32 {
        r.log_meeting(meeting(date(2026, 1, 20) + Duration::days(i)))
            .unwrap();
    }
    // A relapse on 21 February, sober again from 24 February.
    clock.set(utc(2026, 2, 24, 9, 0));
    r.record_lapse(LapseInput {
        kind: LapseKind::Relapse,
        sober_again_from: Some(date(2026, 2, 24)),
        ..lapse(j.id, date(2026, 2, 21))
    })
    .unwrap();
    // Then 36 meetings in 36 days.
    for i in 0..36 {
        let day = date(2026, 2, 24) + Duration::days(i);
        clock.set(day.and_hms_opt(20, 0, 0).unwrap().and_utc());
        r.log_meeting(meeting(day)).unwrap();
    }
    let n = r.ninety_in_ninety().unwrap();
    assert_eq!(n.started_on, Some(date(2026, 2, 24)));
    assert_eq!((n.meetings, n.day, n.remaining), (36, 36, 54));
    assert!(n.on_track);
    assert_eq!(n.counting_from_reason, NinetyInNinetyStart::AfterLapse);

    // The person starts over on purpose.
    let n = r.start_ninety_in_ninety(None).unwrap();
    assert_eq!(n.counting_from, date(2026, 3, 31));
    assert_eq!(n.counting_from_reason, NinetyInNinetyStart::Chosen);
    assert_eq!((n.meetings, n.day), (1, 1));
    assert!(matches!(
        r.start_ninety_in_ninety(Some(date(2026, 4, 2))),
        Err(Error::InvalidInput { field: "from", .. })
    ));
}

#[test]
fn editing_changes_only_what_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 6, 1, 12, 0),
        "Europe/Berlin",
    );
    let mut input = journey("drink", date(2026, 3, 1), "Europe/Berlin");
    input.sober_since_time = Some(NaiveTime::from_hms_opt(8, 30, 0).unwrap());
    input.daily_cost_cents = Some(1_250);
    input.daily_minutes = Some(90);
    input.custom_milestone_days = vec![7, 100];
    let j = r.add_journey(input).unwrap();
    // The person has since moved; renaming must not move the journey's zone.
    r.set_time_zone("America/New_York").unwrap();
    clock.set(local("America/New_York", 2026, 6, 2, 12, 0));
    let renamed = r
        .edit_journey(
            &j.id,
            JourneyPatch {
                name: Some("drinking".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        renamed,
        waymark_core::recovery::journey::Journey {
            name: "drinking".into(),
            ..j.clone()
        }
    );
    let cleared = r
        .edit_journey(
            &j.id,
            JourneyPatch {
                clear: vec![JourneyField::DailyCost, JourneyField::SoberSinceTime],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(cleared.daily_cost_cents, None);
    assert_eq!(cleared.sober_since_time, None);
    assert_eq!(cleared.daily_minutes, Some(90));
    assert_eq!(cleared.custom_milestone_days, vec![7, 100]);

    // A lapse's note changes; its date, kind and fresh start stay.
    let l = r
        .record_lapse(LapseInput {
            kind: LapseKind::Relapse,
            sober_again_from: Some(date(2026, 5, 12)),
            ..lapse(j.id, date(2026, 5, 10))
        })
        .unwrap();
    let edited = r
        .edit_lapse(
            &l.id,
            LapsePatch {
                note: Some("a hard weekend".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.note.as_deref(), Some("a hard weekend"));
    assert_eq!(
        (edited.kind, edited.date, edited.sober_again_from),
        (l.kind, l.date, l.sober_again_from)
    );
    assert_eq!(edited.time_zone.as_deref(), Some("America/New_York"));
    // Moving a slip's date moves its default fresh start with it.
    let slip = r.record_lapse(lapse(j.id, date(2026, 5, 20))).unwrap();
    let moved = r
        .edit_lapse(
            &slip.id,
            LapsePatch {
                date: Some(date(2026, 5, 22)),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(moved.sober_again_from, date(2026, 5, 23));

    // A backdated trigger keeps its zone and everything but the intensity when edited.
    let t = r
        .log_trigger(TriggerInput {
            situation: Some("payday".into()),
            tags: vec!["money".into()],
            ..trigger_at(local("America/New_York", 2026, 6, 1, 23, 0))
        })
        .unwrap();
    r.edit_trigger(
        &t.id,
        waymark_core::recovery::triggers::TriggerPatch {
            intensity: Some(3),
            ..Default::default()
        },
    )
    .unwrap();
    let after = r.trigger(&t.id).unwrap();
    assert_eq!(after.intensity, 3);
    assert_eq!(after.situation.as_deref(), Some("payday"));
    assert_eq!(after.tags, vec!["money".to_owned()]);
    assert_eq!(after.at, local("America/New_York", 2026, 6, 1, 23, 0));
    assert_eq!(after.time_zone, "America/New_York");
}

#[test]
fn a_draft_reflection_is_continued_and_finished_not_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 20, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    let l = r.record_lapse(lapse(j.id, date(2026, 5, 30))).unwrap();
    let draft = r
        .save_reflection(
            None,
            ReflectionInput {
                lapse_id: Some(l.id),
                draft: true,
                body: ReflectionBody::Lapse(LapseReflection {
                    what_happened: Some("a wedding".into()),
                    ..LapseReflection::default()
                }),
            },
        )
        .unwrap();
    // Finishing without the answer it still needs names it.
    assert!(matches!(
        r.continue_reflection(
            &draft.id,
            ReflectionInput {
                lapse_id: None,
                draft: false,
                body: ReflectionBody::Lapse(LapseReflection::default()),
            },
        ),
        Err(Error::InvalidInput {
            field: "what_i_learned",
            ..
        })
    ));
    let finished = r
        .continue_reflection(
            &draft.id,
            ReflectionInput {
                lapse_id: None,
                draft: false,
                body: ReflectionBody::Lapse(LapseReflection {
                    what_i_learned: Some("leave before the speeches".into()),
                    next_time: vec![PlanItem {
                        text: "drive myself".into(),
                        card_id: None,
                    }],
                    ..LapseReflection::default()
                }),
            },
        )
        .unwrap();
    assert_eq!(finished.id, draft.id);
    assert!(!finished.draft);
    assert_eq!(finished.lapse_id, Some(l.id));
    let ReflectionBody::Lapse(body) = &finished.body else {
        panic!("template changed")
    };
    assert_eq!(body.what_happened.as_deref(), Some("a wedding"));
    assert_eq!(r.reflections(None).unwrap().len(), 1);
    let review = r.review_progress(ReviewRange::Month).unwrap();
    assert_eq!(review.lapses[0].reflections.len(), 1);
    // A chain analysis cannot continue a lapse reflection.
    assert!(matches!(
        r.continue_reflection(
            &draft.id,
            ReflectionInput {
                lapse_id: None,
                draft: true,
                body: ReflectionBody::ChainAnalysis(ChainAnalysis {
                    links: vec![ChainLink {
                        link: "tired".into(),
                        skill: None
                    }],
                    ..ChainAnalysis::default()
                }),
            },
        ),
        Err(Error::InvalidInput {
            field: "template",
            ..
        })
    ));
}

#[test]
fn milestone_keys_read_in_the_spelling_a_person_types() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2027, 3, 1, 12, 0), "UTC");
    let mut input = journey("alcohol", date(2026, 1, 1), "UTC");
    input.custom_milestone_days = vec![100];
    let j = r.add_journey(input).unwrap();
    r.acknowledge_milestone(&j.id, "1y").unwrap();
    r.acknowledge_milestone(&j.id, "c100").unwrap();
    let m = r.milestones(&j.id).unwrap();
    let celebrated: Vec<&str> = m
        .reached
        .iter()
        .filter(|m| m.acknowledged)
        .map(|m| m.key.as_str())
        .collect();
    assert_eq!(celebrated, ["100d", "1y"]);
    // The older spelling finds the same milestone.
    r.acknowledge_milestone(&j.id, "12m").unwrap();
    assert!(matches!(
        r.acknowledge_milestone(&j.id, "2y"),
        Err(Error::InvalidInput { field: "key", .. })
    ));
}

#[test]
fn deleting_checks_the_kind_of_record() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    r.record_lapse(lapse(j.id, date(2026, 3, 1))).unwrap();
    let before = stored_content(r.journal());
    for result in [
        r.delete_trigger(&j.id),
        r.delete_entry(&j.id),
        r.delete_meeting(&j.id),
        r.delete_contact(&j.id),
        r.delete_outreach(&j.id),
        r.delete_reflection(&j.id),
    ] {
        assert!(matches!(result, Err(Error::NotFound { .. })), "{result:?}");
    }
    assert_eq!(stored_content(r.journal()), before);
    assert_eq!(r.lapses(&j.id).unwrap().len(), 1);
}

#[test]
fn hostile_custom_milestones_and_far_dates_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    // A value no person would type but a damaged or hostile record could hold.
    let j = waymark_core::recovery::journey::Journey {
        id: waymark_core::RecordId::from_bytes([9; 16]),
        name: "x".into(),
        sober_since: date(2026, 1, 1),
        sober_since_time: None,
        time_zone: "UTC".into(),
        daily_cost_cents: Some(i64::MAX),
        daily_minutes: Some(i32::MAX),
        custom_milestone_days: vec![i32::MAX, 0, -1, i32::MIN],
        archived: false,
        limit: None,
        earlier_limits: Vec::new(),
    };
    let utc_zone = waymark_core::recovery::clock::Zone::utc();
    let c = waymark_core::recovery::counter::count(&j, &[], r.now(), &utc_zone, 0);
    let m = waymark_core::recovery::milestones::progress(&j, &c, r.now(), |_| false).unwrap();
    assert!(m.reached.iter().all(|m| m.due_on <= c.today));
    assert!(r
        .review_progress(ReviewRange::Between {
            from: chrono::NaiveDate::MIN,
            to: chrono::NaiveDate::MIN,
        })
        .is_ok());
}

#[test]
fn with_the_day_starting_at_four_a_fresh_start_begins_at_four() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 8, 15, 23, 0),
        "Europe/Berlin",
    );
    r.set_day_starts_at(4).unwrap();
    let j = r
        .add_journey(journey("alcohol", date(2026, 7, 1), "Europe/Berlin"))
        .unwrap();
    r.record_lapse(lapse(j.id, date(2026, 8, 15))).unwrap();
    // 03:30 on the 16th is still the recovery day of the slip: the attempt has not begun.
    clock.set(local("Europe/Berlin", 2026, 8, 16, 3, 30));
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.today, date(2026, 8, 15));
    assert_eq!(c.next_attempt_starts_on, Some(date(2026, 8, 16)));
    clock.set(local("Europe/Berlin", 2026, 8, 16, 5, 0));
    let c = r.counter(&j.id).unwrap();
    assert_eq!((c.elapsed_hours, c.elapsed_minutes), (1, 0));
    // The 24-hour date is read where the attempt began, even after a move.
    r.set_time_zone("America/New_York").unwrap();
    let m = r.milestones(&j.id).unwrap();
    assert_eq!(m.next.unwrap().due_on, date(2026, 8, 17));
}

#[test]
fn a_lapse_links_only_a_real_trigger_and_a_relapse_made_a_slip_starts_again_next_day() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    assert!(matches!(
        r.record_lapse(LapseInput {
            trigger_id: Some(j.id),
            ..lapse(j.id, date(2026, 3, 1))
        }),
        Err(Error::InvalidInput {
            field: "trigger_id",
            ..
        })
    ));
    let relapse = r
        .record_lapse(LapseInput {
            kind: LapseKind::Relapse,
            sober_again_from: Some(date(2026, 3, 4)),
            ..lapse(j.id, date(2026, 3, 1))
        })
        .unwrap();
    let slip = r
        .edit_lapse(
            &relapse.id,
            LapsePatch {
                kind: Some(LapseKind::Lapse),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(slip.sober_again_from, date(2026, 3, 2));
}
