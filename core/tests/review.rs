//! The progress review, on a hand-built journal (exact figures) and on generated journals
//! (figures agree with what was generated); and the generator's determinism.

mod common;

use chrono::Datelike;
use common::*;
use waymark_core::recovery::cards::CardOutcome;
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::journey::{LapseInput, LapseKind};
use waymark_core::recovery::reflection::{LapseReflection, ReflectionBody, ReflectionInput};
use waymark_core::recovery::review::ReviewRange;
use waymark_core::recovery::support::{MeetingInput, MeetingKind};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput, UrgeOutcome};
use waymark_core::Error;

#[test]
fn a_week_review_has_exact_figures() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 2026-06-15, evening in Berlin.
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 6, 15, 21, 0),
        "Europe/Berlin",
    );
    let mut input = journey("alcohol", date(2026, 5, 1), "Europe/Berlin");
    input.daily_cost_cents = Some(1_000);
    input.daily_minutes = Some(30);
    let j = r.add_journey(input).unwrap();
    // Check-ins on 9..15 June with moods 1..5 cycling; nothing on 12 June.
    let moods = [
        (9, 1, 9),
        (10, 2, 8),
        (11, 3, 7),
        (13, 4, 5),
        (14, 5, 4),
        (15, 5, 2),
    ];
    for (day, mood, craving) in moods {
        r.check_in(CheckInInput {
            date: Some(date(2026, 6, day)),
            mood,
            craving,
            ..CheckInInput::default()
        })
        .unwrap();
    }
    // Triggers at 22:30 Berlin time (20:30 UTC) on Saturday 13 June and Monday 15 June.
    for day in [13, 15] {
        clock.set(local("Europe/Berlin", 2026, 6, day, 22, 30));
        r.log_trigger(TriggerInput {
            at: None,
            journey_id: Some(j.id),
            category: TriggerCategory::Emotions,
            tags: vec!["Stress".into()],
            intensity: 6,
            situation: None,
            card_id: Some("box-breathing".into()),
            outcome: Some(if day == 13 {
                UrgeOutcome::Lapsed
            } else {
                UrgeOutcome::Passed
            }),
            urge_minutes: Some(20),
        })
        .unwrap();
    }
    clock.set(local("Europe/Berlin", 2026, 6, 15, 23, 0));
    r.use_card(
        "gratitude-list",
        CardOutcome::Helped,
        Some(TriggerCategory::Halt),
        None,
    )
    .unwrap();
    let lapse = r
        .record_lapse(LapseInput {
            journey_id: j.id,
            kind: LapseKind::Lapse,
            date: date(2026, 6, 13),
            time: None,
            sober_again_from: None,
            note: None,
            trigger_id: None,
        })
        .unwrap();
    r.save_reflection(
        None,
        ReflectionInput {
            lapse_id: Some(lapse.id),
            draft: true,
            body: ReflectionBody::Lapse(LapseReflection::default()),
        },
    )
    .unwrap();
    r.log_meeting(MeetingInput {
        date: Some(date(2026, 6, 14)),
        kind: MeetingKind::SmartRecovery,
        name: None,
        note: None,
    })
    .unwrap();
    r.log_meeting(MeetingInput {
        date: Some(date(2026, 6, 1)),
        kind: MeetingKind::TwelveStep,
        name: None,
        note: None,
    })
    .unwrap();

    let review = r.review_progress(ReviewRange::Week).unwrap();
    assert_eq!(
        (review.from, review.to, review.today),
        (date(2026, 6, 9), date(2026, 6, 15), date(2026, 6, 15))
    );
    assert_eq!(review.mood_series.len(), 7);
    let p = |d: u32| {
        review
            .mood_series
            .iter()
            .find(|p| p.date == date(2026, 6, d))
            .unwrap()
    };
    assert_eq!(p(12).mood, None);
    assert_eq!(p(9).mood_avg_7, Some(1.0)); // only 9 June in its window
    assert_eq!(
        p(15).mood_avg_7,
        Some((1.0 + 2.0 + 3.0 + 4.0 + 5.0 + 5.0) / 6.0)
    );
    assert_eq!(
        p(15).craving_avg_7,
        Some((9.0 + 8.0 + 7.0 + 5.0 + 4.0 + 2.0) / 6.0)
    );
    assert_eq!(review.check_ins.count, 6);
    assert_eq!(review.check_ins.days, 7);
    assert_eq!(review.check_ins.streak.current, 3);

    let t = &review.triggers;
    assert_eq!(t.total, 2);
    assert_eq!(t.by_hour[22], 2, "local hour, not UTC");
    assert_eq!(t.by_weekday[5], 1); // Saturday
    assert_eq!(t.by_weekday[0], 1); // Monday
    assert_eq!(
        t.by_category
            .iter()
            .find(|c| c.category == TriggerCategory::Emotions)
            .unwrap()
            .count,
        2
    );
    assert_eq!((t.passed, t.lapsed), (1, 1));
    assert_eq!(t.top_tags[0].tag, "Stress");
    assert_eq!(t.mean_urge_minutes, Some(20.0));

    assert_eq!(review.most_helpful_cards[0].card_id, "gratitude-list");
    assert_eq!(review.most_helpful_cards[1].card_id, "box-breathing");
    assert_eq!(review.most_helpful_cards[1].uses, 2);
    assert!((review.most_helpful_cards[1].help_rate - 0.5).abs() < 1e-9);

    assert_eq!(review.lapses.len(), 1);
    assert_eq!(review.lapses[0].journey_name, "alcohol");
    assert_eq!(review.lapses[0].reflections.len(), 1);
    assert_eq!(review.support.meetings, 1);
    // The lapse on 13 June starts a fresh 90 in 90 from 14 June: the 1 June meeting no
    // longer counts towards it.
    let ninety = &review.support.ninety_in_ninety;
    assert_eq!(ninety.meetings, 1);
    assert_eq!(ninety.counting_from, date(2026, 6, 14));
    assert_eq!(
        ninety.counting_from_reason,
        waymark_core::recovery::support::NinetyInNinetyStart::AfterLapse
    );

    // Sober days in the week: 9-12 June (4) and 14 June (15 June is today, not complete).
    let jr = &review.journeys[0];
    assert_eq!(jr.sober_days_in_range, 5);
    assert_eq!(review.money_saved_cents_in_range, 5_000);
    assert_eq!(review.minutes_saved_in_range, 150);
    assert_eq!(jr.counter.current_streak_days, 1);
    assert_eq!(jr.counter.longest_streak_days, 43);
    assert!(matches!(
        r.review_progress(ReviewRange::Between {
            from: date(2026, 6, 2),
            to: date(2026, 6, 1)
        }),
        Err(Error::InvalidInput { field: "range", .. })
    ));
}

#[test]
fn the_generator_is_deterministic_and_matches_its_spec() {
    let now = utc(2026, 11, 25, 18, 0);
    let spec = GeneratorSpec::story(42, 180, now, "America/Chicago");
    let a = generate(&spec).unwrap();
    let b = generate(&spec).unwrap();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let other = generate(&GeneratorSpec {
        seed: 43,
        ..spec.clone()
    })
    .unwrap();
    assert_ne!(format!("{a:?}"), format!("{other:?}"));
    assert_eq!(a.check_ins.len() as u32, spec.check_ins);
    assert_eq!(a.triggers.len() as u32, spec.triggers);
    assert_eq!(a.lapses.len() as u32, spec.lapses);
    assert_eq!(a.reflections.len() as u32, spec.reflections);
    assert_eq!(a.entries.len() as u32, spec.entries);
    assert_eq!(a.meetings.len() as u32, spec.meetings);
    assert!(a.triggers.iter().all(|t| t.at <= now));
    assert!(generate(&GeneratorSpec {
        time_zone: "Mars/Olympus".into(),
        ..spec
    })
    .is_err());
}

#[test]
fn a_generated_journal_reviews_consistently_after_import() {
    let dir = tempfile::tempdir().unwrap();
    let now = utc(2026, 11, 25, 18, 0);
    let (r, _) = recovery_at(dir.path(), now, "UTC");
    let spec = GeneratorSpec::story(7, 365, now, "Europe/Dublin");
    let generated = generate(&spec).unwrap();
    let written = r.import(&generated).unwrap();
    assert!(written > 1_000);
    // Importing again replaces, it does not duplicate.
    r.import(&generated).unwrap();
    let review = r.review_progress(ReviewRange::AllTime).unwrap();
    let j = &review.journeys[0];
    assert_eq!(review.from, j.journey.sober_since);
    assert_eq!(
        review.mood_series.len() as i64,
        (review.to - review.from).num_days() + 1
    );
    assert_eq!(review.check_ins.count as usize, generated.check_ins.len());
    assert_eq!(review.triggers.total as usize, generated.triggers.len());
    assert_eq!(review.lapses.len(), generated.lapses.len());
    assert_eq!(j.counter.attempts.len(), generated.lapses.len() + 1);
    assert_eq!(
        review.triggers.by_hour.iter().sum::<i32>(),
        review.triggers.total
    );
    assert_eq!(
        review.triggers.by_weekday.iter().sum::<i32>(),
        review.triggers.total
    );
    assert_eq!(review.support.meetings as usize, generated.meetings.len());
    assert!(review.lapses.iter().all(|l| !l.reflections.is_empty()));
    assert_eq!(j.sober_days_in_range, j.counter.total_sober_days);
    assert_eq!(
        review.money_saved_cents_in_range,
        j.counter.money_saved_cents_total
    );
    // The most helpful card is one this person has used and it helped more often than not.
    assert!(review.most_helpful_cards[0].help_rate > 0.5);
    // A month's review is a slice of the same data.
    let month = r.review_progress(ReviewRange::Month).unwrap();
    assert_eq!(month.mood_series.len(), 30);
    assert!(month.triggers.total < review.triggers.total);
    assert_eq!(month.today.day(), 25);
}
