//! Daily check-ins and the trigger log.

mod common;

use chrono::Duration;
use common::*;
use waymark_core::recovery::check_in::{CheckInInput, EveningReview, Halt};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput, UrgeOutcome};
use waymark_core::Error;

fn check_in(mood: i32, craving: i32) -> CheckInInput {
    CheckInInput {
        mood,
        craving,
        halt: Halt {
            tired: true,
            ..Halt::default()
        },
        trigger_tags: vec!["work".into()],
        intention: Some("call Sam before dinner".into()),
        gratitude: vec!["my sister".into()],
        ..CheckInInput::default()
    }
}

fn trigger(category: TriggerCategory) -> TriggerInput {
    TriggerInput {
        at: None,
        journey_id: None,
        category,
        tags: vec!["friday".into()],
        intensity: 7,
        situation: Some("walked past the old pub".into()),
        card_id: None,
        outcome: None,
        urge_minutes: None,
    }
}

#[test]
fn a_second_check_in_the_same_day_updates_it_and_keeps_the_evening_review() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Madrid", 2026, 5, 4, 8, 0),
        "Europe/Madrid",
    );
    let first = r.check_in(check_in(2, 8)).unwrap();
    assert_eq!(first.date, date(2026, 5, 4));
    clock.advance(Duration::hours(13));
    r.write_evening_review(
        None,
        EveningReview {
            rating: 4,
            note: Some("better than the morning".into()),
        },
    )
    .unwrap();
    clock.advance(Duration::minutes(30));
    let second = r.check_in(check_in(3, 5)).unwrap();
    assert_eq!(second.date, first.date);
    assert_eq!((second.mood, second.craving), (3, 5));
    assert_eq!(second.evening_review.as_ref().unwrap().rating, 4);
    let all = r.check_ins(date(2026, 1, 1), date(2026, 12, 31)).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0], second);
}

#[test]
fn a_second_check_in_with_only_a_mood_keeps_what_the_first_one_said() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Madrid", 2026, 5, 4, 8, 0),
        "Europe/Madrid",
    );
    r.check_in(CheckInInput {
        note: Some("rough night".into()),
        ..check_in(2, 5)
    })
    .unwrap();
    clock.advance(Duration::hours(9));
    // The afternoon: only how they are now, and a new intention.
    let later = r
        .check_in(CheckInInput {
            mood: 4,
            craving: 2,
            intention: Some("walk after work".into()),
            ..CheckInInput::default()
        })
        .unwrap();
    assert_eq!((later.mood, later.craving), (4, 2));
    assert!(!later.halt.tired, "HALT is how they are now");
    assert_eq!(later.intention.as_deref(), Some("walk after work"));
    assert_eq!(later.note.as_deref(), Some("rough night"));
    assert_eq!(later.gratitude, vec!["my sister".to_string()]);
    assert_eq!(later.trigger_tags, vec!["work".to_string()]);
}

#[test]
fn late_night_check_ins_belong_to_the_day_before_when_the_day_starts_at_four() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(
        dir.path(),
        local("Europe/Madrid", 2026, 5, 5, 1, 30),
        "Europe/Madrid",
    );
    r.set_day_starts_at(4).unwrap();
    assert_eq!(r.check_in(check_in(3, 3)).unwrap().date, date(2026, 5, 4));
    r.set_day_starts_at(0).unwrap();
    assert_eq!(r.check_in(check_in(3, 3)).unwrap().date, date(2026, 5, 5));
    assert!(matches!(
        r.set_day_starts_at(24),
        Err(Error::InvalidInput {
            field: "day_starts_at",
            ..
        })
    ));
}

#[test]
fn check_in_streak_and_missed_days() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 9, 0), "UTC");
    for day in [1, 2, 3, 5, 6, 7, 8, 18, 19] {
        r.check_in(CheckInInput {
            date: Some(date(2026, 5, day)),
            ..check_in(3, 3)
        })
        .unwrap();
    }
    // Today (20th) not yet checked in: the streak still counts through yesterday.
    let s = r.check_in_streak().unwrap();
    assert_eq!((s.current, s.longest, s.total), (2, 4, 9));
    // 1st..19th is 19 days, 9 checked in.
    assert_eq!(s.missed_days, 10);
    r.check_in(check_in(4, 1)).unwrap();
    assert_eq!(r.check_in_streak().unwrap().current, 3);
    // A future day is refused.
    let err = r
        .check_in(CheckInInput {
            date: Some(date(2026, 5, 21)),
            ..check_in(3, 3)
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "date", .. }));
    r.delete_check_in(date(2026, 5, 19)).unwrap();
    assert_eq!(r.check_in_streak().unwrap().current, 1);
}

#[test]
fn evening_review_needs_a_check_in_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let err = r
        .write_evening_review(
            None,
            EveningReview {
                rating: 3,
                note: None,
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "date", .. }));
}

#[test]
fn a_trigger_that_ended_in_a_lapse_offers_to_record_it() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    let calm = r.log_trigger(trigger(TriggerCategory::Places)).unwrap();
    assert!(!calm.offer_to_record_lapse);
    let logged = r
        .log_trigger(TriggerInput {
            journey_id: Some(j.id),
            outcome: Some(UrgeOutcome::Lapsed),
            urge_minutes: Some(40),
            ..trigger(TriggerCategory::Emotions)
        })
        .unwrap();
    assert!(logged.offer_to_record_lapse);
    let lapse = r
        .record_lapse(waymark_core::recovery::journey::LapseInput {
            journey_id: j.id,
            kind: waymark_core::recovery::journey::LapseKind::Lapse,
            date: date(2026, 5, 20),
            time: None,
            sober_again_from: None,
            note: None,
            trigger_id: Some(logged.id),
        })
        .unwrap();
    assert_eq!(lapse.trigger_id, Some(logged.id));
    let events = r.triggers(date(2026, 5, 20), date(2026, 5, 20)).unwrap();
    assert_eq!(events.len(), 2);
}

#[test]
fn triggers_with_a_card_and_outcome_record_one_card_use_kept_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let input = TriggerInput {
        card_id: Some("urge-surfing".into()),
        outcome: Some(UrgeOutcome::Passed),
        ..trigger(TriggerCategory::Emotions)
    };
    let logged = r.log_trigger(input.clone()).unwrap();
    let uses = r.snapshot().unwrap().card_uses;
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].trigger_id, Some(logged.id));
    // Editing the outcome updates the same use instead of adding one.
    r.edit_trigger(
        &logged.id,
        waymark_core::recovery::triggers::TriggerPatch {
            outcome: Some(UrgeOutcome::StillStruggling),
            ..Default::default()
        },
    )
    .unwrap();
    let uses = r.snapshot().unwrap().card_uses;
    assert_eq!(uses.len(), 1);
    assert_eq!(
        uses[0].outcome,
        waymark_core::recovery::cards::CardOutcome::HelpedSomewhat
    );
    r.delete_trigger(&logged.id).unwrap();
    assert!(r.snapshot().unwrap().card_uses.is_empty());
}

#[test]
fn triggers_group_by_the_local_date_they_were_logged_in() {
    let dir = tempfile::tempdir().unwrap();
    // 23:30 in Los Angeles is already the next day in UTC.
    let (r, _) = recovery_at(
        dir.path(),
        local("America/Los_Angeles", 2026, 7, 3, 23, 30),
        "America/Los_Angeles",
    );
    r.log_trigger(trigger(TriggerCategory::Halt)).unwrap();
    assert_eq!(
        r.triggers(date(2026, 7, 3), date(2026, 7, 3))
            .unwrap()
            .len(),
        1
    );
    assert!(r
        .triggers(date(2026, 7, 4), date(2026, 7, 4))
        .unwrap()
        .is_empty());
}

#[test]
fn bad_triggers_are_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let before = stored_content(r.journal());
    let cases: Vec<(TriggerInput, &str)> = vec![
        (
            TriggerInput {
                intensity: 11,
                ..trigger(TriggerCategory::Halt)
            },
            "intensity",
        ),
        (
            TriggerInput {
                card_id: Some("no-such-card".into()),
                ..trigger(TriggerCategory::Halt)
            },
            "card_id",
        ),
        (
            TriggerInput {
                at: Some(utc(2026, 5, 21, 20, 0)),
                ..trigger(TriggerCategory::Halt)
            },
            "at",
        ),
        (
            TriggerInput {
                urge_minutes: Some(5_000),
                ..trigger(TriggerCategory::Halt)
            },
            "urge_minutes",
        ),
        (
            TriggerInput {
                tags: vec!["t".into(); 21],
                ..trigger(TriggerCategory::Halt)
            },
            "tags",
        ),
        (
            TriggerInput {
                tags: vec![" ".into()],
                ..trigger(TriggerCategory::Halt)
            },
            "tags",
        ),
        (
            TriggerInput {
                situation: Some("s".repeat(4_001)),
                ..trigger(TriggerCategory::Halt)
            },
            "situation",
        ),
    ];
    for (input, field) in cases {
        match r.log_trigger(input) {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    assert_eq!(stored_content(r.journal()), before);
}

#[test]
fn a_check_in_given_while_locked_is_held_and_written_for_its_own_day_at_the_next_unlock() {
    use waymark_core::recovery::check_in::CheckInDelivery;
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Madrid", 2026, 5, 4, 23, 40),
        "Europe/Madrid",
    );
    // Unlocked: written at once.
    let delivered = r.check_in_or_hold(check_in(2, 8)).unwrap();
    assert!(matches!(delivered, CheckInDelivery::Written { ref check_in } if check_in.mood == 2));
    r.lock();
    let before: Vec<Vec<u8>> = files_in(dir.path())
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();

    // Locked: two taps late on the 4th (the later one wins the day), one after midnight.
    clock.advance(Duration::minutes(5));
    let mut late = check_in(3, 4);
    late.note = Some("HELD-NOTE-MARKER".into());
    assert_eq!(
        r.check_in_or_hold(late).unwrap(),
        CheckInDelivery::Held { waiting: 1 }
    );
    clock.advance(Duration::minutes(5));
    assert_eq!(
        r.check_in_or_hold(check_in(4, 3)).unwrap(),
        CheckInDelivery::Held { waiting: 2 }
    );
    clock.advance(Duration::minutes(40));
    assert_eq!(
        r.check_in_or_hold(check_in(5, 1)).unwrap(),
        CheckInDelivery::Held { waiting: 3 }
    );
    // An invalid one is refused at once, locked or not, and is not held.
    let err = r.check_in_or_hold(check_in(9, 1)).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field, .. } if field == "mood"));
    assert_eq!(r.held_check_ins(), 3);
    // Nothing reached the disk while locked.
    let after: Vec<Vec<u8>> = files_in(dir.path())
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(after, before);

    // Unlocked hours later: the first read writes them, each for the day it was given.
    clock.advance(Duration::hours(8));
    r.journal().unlock_with_passphrase(PASSPHRASE).unwrap();
    let fourth = r.check_in_on(date(2026, 5, 4)).unwrap().unwrap();
    assert_eq!((fourth.mood, fourth.craving), (4, 3));
    assert_eq!(
        fourth.updated_at,
        local("Europe/Madrid", 2026, 5, 4, 23, 50)
    );
    let fifth = r.check_in_on(date(2026, 5, 5)).unwrap().unwrap();
    assert_eq!(fifth.mood, 5);
    assert_eq!(r.held_check_ins(), 0);
    assert_eq!(r.check_in_streak().unwrap().current, 2);
    // Written sealed: the note is not in the files.
    assert_eq!(occurrences_in_dir(dir.path(), b"HELD-NOTE-MARKER"), 0);
}

#[test]
fn held_check_ins_are_bounded_and_delivered_by_an_explicit_call() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _clock) = recovery_at(
        dir.path(),
        local("America/New_York", 2026, 11, 1, 9, 0),
        "America/New_York",
    );
    r.lock();
    for _ in 0..32 {
        r.check_in_or_hold(check_in(3, 3)).unwrap();
    }
    let err = r.check_in_or_hold(check_in(3, 3)).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field, .. } if field == "check_in"));
    assert_eq!(
        r.deliver_held_check_ins().unwrap(),
        0,
        "locked: nothing yet"
    );
    r.journal().unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(r.deliver_held_check_ins().unwrap(), 32);
    assert_eq!(r.held_check_ins(), 0);
    assert_eq!(
        r.check_ins(date(2026, 11, 1), date(2026, 11, 1))
            .unwrap()
            .len(),
        1
    );
}
