//! Journeys, lapses and milestones through the service: history is kept across lapses,
//! backdating, editing and undoing work, and each milestone is celebrated once per attempt.

mod common;

use chrono::{Duration, NaiveTime};
use common::*;
use waymark_core::recovery::journey::{LapseInput, LapseKind};
use waymark_core::recovery::milestones::MilestoneSpan;
use waymark_core::{Error, RecordId};

fn lapse_on(journey_id: RecordId, d: chrono::NaiveDate) -> LapseInput {
    LapseInput {
        journey_id,
        kind: LapseKind::Lapse,
        date: d,
        time: None,
        sober_again_from: None,
        note: Some("slipped at the wedding".into()),
        trigger_id: None,
    }
}

#[test]
fn a_lapse_starts_a_new_attempt_and_keeps_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    assert_eq!(r.counter(&j.id).unwrap().current_streak_days, 151);
    r.record_lapse(lapse_on(j.id, date(2026, 6, 1))).unwrap();
    clock.advance(Duration::days(3));
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.attempts.len(), 2);
    assert_eq!(c.attempts[0].sober_days, 151);
    assert_eq!(c.attempts[0].end, Some(date(2026, 6, 1)));
    assert_eq!(c.attempts[1].start, date(2026, 6, 2));
    assert_eq!(c.current_streak_days, 2);
    assert_eq!(c.longest_streak_days, 151);
    assert_eq!(c.total_sober_days, 153);
    // Reopening the journal gives the same history.
    let journal = r.into_journal();
    journal.lock();
    journal.unlock_with_passphrase(PASSPHRASE).unwrap();
    let r = waymark_core::recovery::Recovery::new(journal, clock);
    assert_eq!(r.counter(&j.id).unwrap(), c);
}

#[test]
fn backdating_editing_and_undoing_a_lapse() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    // Backdated to March, with the next attempt starting three days later (a relapse).
    let mut input = lapse_on(j.id, date(2026, 3, 10));
    input.kind = LapseKind::Relapse;
    input.sober_again_from = Some(date(2026, 3, 13));
    let lapse = r.record_lapse(input.clone()).unwrap();
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.attempts[0].sober_days, 68);
    assert_eq!(c.current_streak_days, 80); // 13 March .. 31 May
    assert_eq!(c.total_sober_days, 148);

    // Edit: it was actually in April.
    let edited = r
        .edit_lapse(
            &lapse.id,
            waymark_core::recovery::journey::LapsePatch {
                date: Some(date(2026, 4, 10)),
                sober_again_from: Some(date(2026, 4, 11)),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.id, lapse.id);
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.attempts[0].sober_days, 99);
    assert_eq!(c.current_streak_days, 51);
    assert_eq!(r.lapses(&j.id).unwrap().len(), 1);

    // Undo: recorded by mistake; the streak is whole again.
    r.undo_lapse(&lapse.id).unwrap();
    let c = r.counter(&j.id).unwrap();
    assert_eq!(c.attempts.len(), 1);
    assert_eq!(c.current_streak_days, 151);
    assert!(matches!(
        r.undo_lapse(&lapse.id),
        Err(Error::NotFound { what: "lapse", .. })
    ));
}

#[test]
fn lapses_that_cannot_be_true_are_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    r.record_lapse(lapse_on(j.id, date(2026, 3, 10))).unwrap();
    let before = stored_content(r.journal());
    let cases = [
        (lapse_on(j.id, date(2025, 12, 31)), "date"), // before the journey
        (lapse_on(j.id, date(2026, 6, 2)), "date"),   // in the future
        (lapse_on(j.id, date(2026, 3, 10)), "overlap"), // same day as another
        (
            LapseInput {
                sober_again_from: Some(date(2026, 3, 1)),
                ..lapse_on(j.id, date(2026, 3, 5))
            },
            "sober_again_from",
        ),
        (
            LapseInput {
                sober_again_from: Some(date(2026, 3, 12)),
                ..lapse_on(j.id, date(2026, 3, 8))
            },
            "overlap",
        ), // overlaps the March lapse
        (
            LapseInput {
                note: Some("x".repeat(4_001)),
                ..lapse_on(j.id, date(2026, 5, 1))
            },
            "note",
        ),
    ];
    let march = r.lapses(&j.id).unwrap()[0].id.to_string();
    for (input, field) in cases {
        match r.record_lapse(input) {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            // An overlap names the lapse to edit or undo instead.
            Err(Error::OverlapsLapse { id }) if field == "overlap" => assert_eq!(id, march),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    assert_eq!(stored_content(r.journal()), before);
    // A journey's start cannot move past its first lapse.
    let err = r
        .edit_journey(
            &j.id,
            waymark_core::recovery::journey::JourneyPatch {
                sober_since: Some(date(2026, 4, 1)),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "sober_since",
            ..
        }
    ));
}

#[test]
fn standard_milestones_are_reached_on_their_dates() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(
        dir.path(),
        local("Europe/Paris", 2026, 1, 1, 8, 0),
        "Europe/Paris",
    );
    let mut input = journey("alcohol", date(2026, 1, 1), "Europe/Paris");
    input.sober_since_time = Some(NaiveTime::from_hms_opt(7, 30, 0).unwrap());
    input.custom_milestone_days = vec![7, 14, 100];
    let j = r.add_journey(input).unwrap();

    let m = r.milestones(&j.id).unwrap();
    assert!(m.reached.is_empty());
    assert_eq!(m.next.as_ref().unwrap().key, "24h");

    // 24 hours counts from the exact start moment.
    clock.set(local("Europe/Paris", 2026, 1, 2, 7, 29));
    assert!(r.milestones(&j.id).unwrap().reached.is_empty());
    clock.set(local("Europe/Paris", 2026, 1, 2, 7, 30));
    let m = r.milestones(&j.id).unwrap();
    assert_eq!(m.reached[0].key, "24h");
    assert_eq!(m.next.as_ref().unwrap().key, "7d");
    assert_eq!(m.days_to_next, Some(6));

    clock.set(local("Europe/Paris", 2027, 7, 2, 12, 0));
    let m = r.milestones(&j.id).unwrap();
    let keys: Vec<_> = m.reached.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        ["24h", "7d", "14d", "30d", "60d", "90d", "100d", "6m", "9m", "1y", "18m"]
    );
    let due = |key: &str| m.reached.iter().find(|x| x.key == key).unwrap().due_on;
    assert_eq!(due("30d"), date(2026, 1, 31));
    assert_eq!(due("6m"), date(2026, 7, 1));
    assert_eq!(due("1y"), date(2027, 1, 1));
    assert_eq!(due("18m"), date(2027, 7, 1));
    assert!(m.reached.iter().find(|x| x.key == "100d").unwrap().custom);
    assert_eq!(m.next.as_ref().unwrap().key, "2y");
    assert_eq!(m.next.as_ref().unwrap().label, "2 years");
    assert_eq!(m.next.as_ref().unwrap().due_on, date(2028, 1, 1));
}

/// The due date of the 6-month milestone for a journey started on `since`.
#[allow(clippy::unwrap_used)] // test helper: a failure here is a failed test
fn six_months_due(since: chrono::NaiveDate) -> chrono::NaiveDate {
    use waymark_core::recovery::counter::count;
    use waymark_core::recovery::milestones::progress;
    let j = waymark_core::recovery::journey::Journey {
        id: RecordId::from_bytes([1; 16]),
        name: "nicotine".into(),
        sober_since: since,
        sober_since_time: None,
        time_zone: "UTC".into(),
        daily_cost_cents: None,
        daily_minutes: None,
        custom_milestone_days: vec![],
        archived: false,
        limit: None,
        earlier_limits: Vec::new(),
    };
    let now = since.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::days(300);
    let c = count(&j, &[], now, &waymark_core::recovery::clock::Zone::utc(), 0);
    let m = progress(&j, &c, now, |_| false).unwrap();
    let six = m
        .reached
        .iter()
        .find(|m| m.span == MilestoneSpan::Months(6));
    six.unwrap().due_on
}

#[test]
fn six_months_from_31_august_falls_on_the_last_day_of_february() {
    assert_eq!(six_months_due(date(2027, 8, 31)), date(2028, 2, 29)); // leap year
    assert_eq!(six_months_due(date(2026, 8, 31)), date(2027, 2, 28));
    assert_eq!(six_months_due(date(2026, 1, 15)), date(2026, 7, 15));
}

#[test]
fn milestones_are_celebrated_once_per_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let (r, clock) = recovery_at(dir.path(), utc(2026, 3, 5, 12, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    let m = r.milestones(&j.id).unwrap();
    assert!(m.reached.iter().all(|m| !m.acknowledged));
    r.acknowledge_milestone(&j.id, "30d").unwrap();
    r.acknowledge_milestone(&j.id, "30d").unwrap(); // harmless twice
    let m = r.milestones(&j.id).unwrap();
    let thirty = m.reached.iter().find(|m| m.key == "30d").unwrap();
    assert!(thirty.acknowledged);
    assert!(
        !m.reached
            .iter()
            .find(|m| m.key == "60d")
            .unwrap()
            .acknowledged
    );
    // Not reached yet: refused.
    let err = r.acknowledge_milestone(&j.id, "90d").unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "key", .. }));

    // After a lapse the new attempt earns its own chips, and celebrates them again.
    r.record_lapse(lapse_on(j.id, date(2026, 3, 5))).unwrap();
    clock.set(utc(2026, 4, 10, 12, 0));
    let m = r.milestones(&j.id).unwrap();
    assert_eq!(m.attempt_start, date(2026, 3, 6));
    let thirty = m.reached.iter().find(|m| m.key == "30d").unwrap();
    assert_eq!(thirty.due_on, date(2026, 4, 5));
    assert!(!thirty.acknowledged);
}

#[test]
fn journeys_archive_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 12, 0), "UTC");
    let a = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    let b = r
        .add_journey(journey("nicotine", date(2026, 2, 1), "UTC"))
        .unwrap();
    r.record_lapse(lapse_on(b.id, date(2026, 3, 1))).unwrap();
    assert!(r.archive_journey(&a.id, true).unwrap().archived);
    let review = r
        .review_progress(waymark_core::recovery::review::ReviewRange::Month)
        .unwrap();
    assert_eq!(review.journeys.len(), 1);
    assert_eq!(review.journeys[0].journey.name, "nicotine");
    r.delete_journey(&b.id).unwrap();
    assert_eq!(r.journeys().unwrap().len(), 1);
    assert!(r.lapses(&b.id).unwrap().is_empty());
    assert!(matches!(
        r.counter(&b.id),
        Err(Error::NotFound {
            what: "journey",
            ..
        })
    ));
}
