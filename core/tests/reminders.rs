//! Reminders decided in the core: the check-in, the evening review, meetings, a milestone
//! tomorrow and a nudge before the riskiest hours, placed in the person's current zone
//! across DST changes and moves, kept out of quiet hours, under the daily cap, in discreet
//! words, and the same every time for the same inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use common::*;
use waymark_core::recovery::check_in::{CheckInInput, EveningReview};
use waymark_core::recovery::clock::Zone;
use waymark_core::recovery::reminders::{
    schedule, RegularMeeting, Reminder, ReminderKind, ReminderPrefs, RiskyWindow, Weekday,
};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput};
use waymark_core::recovery::Recovery;
use waymark_core::Error;

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn of_kind(reminders: &[Reminder], kind: ReminderKind) -> Vec<&Reminder> {
    reminders.iter().filter(|r| r.kind == kind).collect()
}

/// The local dates a list of reminders falls on, in order.
fn local_dates(reminders: &[&Reminder]) -> Vec<NaiveDate> {
    reminders.iter().map(|r| r.local_time.date()).collect()
}

fn trigger_at(at: DateTime<Utc>) -> TriggerInput {
    TriggerInput {
        at: Some(at),
        journey_id: None,
        category: TriggerCategory::Emotions,
        tags: vec![],
        intensity: 6,
        situation: None,
        card_id: None,
        outcome: None,
        urge_minutes: None,
    }
}

/// Logs a trigger at a local wall time in Berlin.
fn trigger_in_berlin(r: &Recovery, day: NaiveDate, h: u32, m: u32) {
    let at = Zone::named("Europe/Berlin")
        .unwrap()
        .instant_of(day.and_time(hm(h, m)));
    r.log_trigger(trigger_at(at)).unwrap();
}

/// The date `n` days before `day`.
fn days_before(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(chrono::Days::new(n)).unwrap()
}

/// Every reminder is consistent in itself: sorted, its local time is its instant in its
/// zone, and its id is unique.
fn assert_well_formed(reminders: &[Reminder]) {
    assert!(reminders.windows(2).all(|w| w[0].at <= w[1].at), "sorted");
    let mut ids: Vec<&str> = reminders.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), reminders.len(), "ids are unique");
    for r in reminders {
        let zone = Zone::named(&r.time_zone).unwrap();
        assert_eq!(zone.local(r.at), r.local_time, "{}", r.id);
    }
}

#[test]
fn a_check_in_at_nine_stays_at_nine_local_when_berlin_leaves_summer_time() {
    let dir = tempfile::tempdir().unwrap();
    // Friday 23 October 2026, 14:00 in Berlin; summer time ends on Sunday the 25th at 03:00.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 10, 23, 12, 0), "Europe/Berlin");
    let all = r.reminders(7).unwrap();
    assert_well_formed(&all);
    assert!(all.iter().all(|x| x.time_zone == "Europe/Berlin"));

    let check_ins = of_kind(&all, ReminderKind::CheckIn);
    let expected: Vec<DateTime<Utc>> = vec![
        utc(2026, 10, 24, 7, 0), // 09:00 CEST
        utc(2026, 10, 25, 8, 0), // 09:00 CET, the day the clocks go back
        utc(2026, 10, 26, 8, 0),
        utc(2026, 10, 27, 8, 0),
        utc(2026, 10, 28, 8, 0),
        utc(2026, 10, 29, 8, 0),
    ];
    assert_eq!(
        check_ins.iter().map(|x| x.at).collect::<Vec<_>>(),
        expected,
        "today's 09:00 has passed; then 09:00 local every day of the window"
    );
    assert!(check_ins.iter().all(|x| x.local_time.time() == hm(9, 0)));
    assert_eq!(check_ins[0].id, "check_in-2026-10-24");
    assert_eq!(check_ins[1].id, "check_in-2026-10-25");

    let evenings = of_kind(&all, ReminderKind::EveningReview);
    assert_eq!(
        evenings.iter().map(|x| x.at).collect::<Vec<_>>(),
        vec![
            utc(2026, 10, 23, 19, 0),
            utc(2026, 10, 24, 19, 0),
            utc(2026, 10, 25, 20, 0),
            utc(2026, 10, 26, 20, 0),
            utc(2026, 10, 27, 20, 0),
            utc(2026, 10, 28, 20, 0),
            utc(2026, 10, 29, 20, 0),
        ]
    );
    assert!(evenings.iter().all(|x| x.local_time.time() == hm(21, 0)));
}

#[test]
fn a_check_in_time_that_spring_forward_skips_comes_once_at_three() {
    let dir = tempfile::tempdir().unwrap();
    // Saturday 13 March 2027, 07:00 in New York; on Sunday the 14th clocks jump from 02:00
    // to 03:00, so 02:30 does not exist that day.
    let (r, _clock) = recovery_at(dir.path(), utc(2027, 3, 13, 12, 0), "America/New_York");
    r.set_reminder_prefs(ReminderPrefs {
        check_in_at: Some(hm(2, 30)),
        evening_review_at: None,
        quiet_from: None,
        quiet_until: None,
        ..ReminderPrefs::default()
    })
    .unwrap();
    let all = r.reminders(3).unwrap();
    assert_well_formed(&all);
    let check_ins = of_kind(&all, ReminderKind::CheckIn);
    let sunday = date(2027, 3, 14);
    let on_sunday: Vec<_> = check_ins
        .iter()
        .filter(|x| x.local_time.date() == sunday)
        .collect();
    assert_eq!(
        on_sunday.len(),
        1,
        "exactly one check-in the day of the jump"
    );
    assert_eq!(on_sunday[0].id, "check_in-2027-03-14");
    assert_eq!(
        on_sunday[0].at,
        utc(2027, 3, 14, 7, 0),
        "moved forward to 03:00 EDT, the first moment that exists"
    );
    assert_eq!(on_sunday[0].local_time, sunday.and_time(hm(3, 0)));
    // The day after, 02:30 exists again (in summer time).
    assert_eq!(
        check_ins.iter().map(|x| x.at).collect::<Vec<_>>(),
        vec![utc(2027, 3, 14, 7, 0), utc(2027, 3, 15, 6, 30)]
    );
}

#[test]
fn a_check_in_time_that_happens_twice_when_clocks_fall_back_comes_once_the_first_time() {
    let dir = tempfile::tempdir().unwrap();
    // Sunday 1 November 2026 in New York: 01:30 happens in EDT (05:30 UTC), then in EST.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 10, 31, 12, 0), "America/New_York");
    r.set_reminder_prefs(ReminderPrefs {
        check_in_at: Some(hm(1, 30)),
        evening_review_at: None,
        quiet_from: None,
        quiet_until: None,
        ..ReminderPrefs::default()
    })
    .unwrap();
    let all = r.reminders(3).unwrap();
    assert_well_formed(&all);
    let check_ins = of_kind(&all, ReminderKind::CheckIn);
    assert_eq!(
        check_ins.iter().map(|x| x.at).collect::<Vec<_>>(),
        vec![utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)]
    );
    assert!(check_ins.iter().all(|x| x.local_time.time() == hm(1, 30)));
}

#[test]
fn after_a_move_the_next_reminders_follow_the_new_zone() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 12:00 UTC: 13:00 in London, 08:00 in New York.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 12, 0), "Europe/London");
    let london = r.reminders(2).unwrap();
    let first = of_kind(&london, ReminderKind::CheckIn)[0].clone();
    assert_eq!(
        (first.id.as_str(), first.at, first.time_zone.as_str()),
        (
            "check_in-2026-06-11",
            utc(2026, 6, 11, 8, 0),
            "Europe/London"
        ),
        "09:00 BST tomorrow: today's has passed in London"
    );

    r.set_time_zone("America/New_York").unwrap();
    let new_york = r.reminders(2).unwrap();
    assert_well_formed(&new_york);
    assert!(new_york.iter().all(|x| x.time_zone == "America/New_York"));
    let check_ins = of_kind(&new_york, ReminderKind::CheckIn);
    assert_eq!(
        check_ins
            .iter()
            .map(|x| (x.id.as_str(), x.at))
            .collect::<Vec<_>>(),
        vec![
            ("check_in-2026-06-10", utc(2026, 6, 10, 13, 0)),
            ("check_in-2026-06-11", utc(2026, 6, 11, 13, 0)),
        ],
        "09:00 in New York, starting with this morning's"
    );
    assert!(check_ins.iter().all(|x| x.local_time.time() == hm(9, 0)));
    let evenings = of_kind(&new_york, ReminderKind::EveningReview);
    assert_eq!(evenings[0].at, utc(2026, 6, 11, 1, 0), "21:00 EDT");
}

#[test]
fn quiet_hours_move_a_check_in_to_their_end_and_drop_what_cannot_wait() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 14:00 in Berlin.
    let today = date(2026, 6, 10);
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 12, 0), "Europe/Berlin");
    // Twelve triggers late at night: the riskiest window starts at 23:00, so the nudge
    // would come at 22:30, inside quiet hours.
    for i in 0..12u64 {
        let day = days_before(today, i + 1);
        if i % 2 == 0 {
            trigger_in_berlin(&r, day, 23, 10);
        } else {
            trigger_in_berlin(&r, day, 0, 20);
        }
    }
    assert_eq!(r.riskiest_window().unwrap().map(|w| w.start_hour), Some(23));
    let prefs = ReminderPrefs {
        check_in_at: Some(hm(6, 30)),
        evening_review_at: None,
        quiet_from: Some(hm(22, 0)),
        quiet_until: Some(hm(7, 0)),
        meetings: vec![
            RegularMeeting {
                weekday: Weekday::Thu,
                at: hm(23, 0),
                name: Some("Late group".into()),
            },
            RegularMeeting {
                weekday: Weekday::Fri,
                at: hm(19, 30),
                name: None,
            },
        ],
        meeting_lead_minutes: 60,
        risky_hours: true,
        ..ReminderPrefs::default()
    };
    r.set_reminder_prefs(prefs.clone()).unwrap();
    let all = r.reminders(7).unwrap();
    assert_well_formed(&all);

    let check_ins = of_kind(&all, ReminderKind::CheckIn);
    assert_eq!(check_ins.len(), 6, "11 to 16 June; today's was at 07:00");
    assert!(
        check_ins.iter().all(|x| x.local_time.time() == hm(7, 0)),
        "06:30 is in quiet hours: delivered when they end"
    );
    assert_eq!(check_ins[0].id, "check_in-2026-06-11");
    assert_eq!(check_ins[0].at, utc(2026, 6, 11, 5, 0));

    let meetings = of_kind(&all, ReminderKind::Meeting);
    assert_eq!(
        meetings.len(),
        1,
        "the 23:00 meeting's reminder (22:00) is dropped"
    );
    assert_eq!(
        meetings[0].local_time,
        date(2026, 6, 12).and_time(hm(18, 30))
    );
    assert!(of_kind(&all, ReminderKind::RiskyHours).is_empty());
    assert!(all.iter().all(|x| {
        let t = x.local_time.time();
        t >= hm(7, 0) && t < hm(22, 0)
    }));

    // Without quiet hours the same preferences give the late meeting and the nudges.
    r.set_reminder_prefs(ReminderPrefs {
        quiet_from: None,
        quiet_until: None,
        ..prefs
    })
    .unwrap();
    let loud = r.reminders(7).unwrap();
    let meetings = of_kind(&loud, ReminderKind::Meeting);
    assert_eq!(meetings.len(), 2);
    assert_eq!(
        meetings[0].local_time,
        date(2026, 6, 11).and_time(hm(22, 0))
    );
    let nudges = of_kind(&loud, ReminderKind::RiskyHours);
    assert!(!nudges.is_empty());
    assert!(nudges.iter().all(|x| x.local_time.time() == hm(22, 30)));
    assert!(of_kind(&loud, ReminderKind::CheckIn)
        .iter()
        .all(|x| x.local_time.time() == hm(6, 30)));
}

#[test]
fn the_daily_cap_keeps_the_check_in_and_the_meeting_first() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 08:00 in Berlin; 30 days since 12 May fall due tomorrow.
    let (r, clock) = recovery_at(dir.path(), utc(2026, 6, 10, 6, 0), "Europe/Berlin");
    r.add_journey(journey("alcohol", date(2026, 5, 12), "Europe/Berlin"))
        .unwrap();
    let prefs = ReminderPrefs {
        meetings: vec![RegularMeeting {
            weekday: Weekday::Wed,
            at: hm(19, 30),
            name: None,
        }],
        daily_cap: 4,
        ..ReminderPrefs::default()
    };
    let kinds_on = |all: &[Reminder], day: NaiveDate| -> Vec<ReminderKind> {
        all.iter()
            .filter(|x| x.local_time.date() == day)
            .map(|x| x.kind)
            .collect()
    };
    let wednesday = date(2026, 6, 10);

    r.set_reminder_prefs(prefs.clone()).unwrap();
    let uncapped = r.reminders(3).unwrap();
    assert_eq!(
        kinds_on(&uncapped, wednesday),
        vec![
            ReminderKind::CheckIn,
            ReminderKind::Meeting,
            ReminderKind::Milestone,
            ReminderKind::EveningReview,
        ],
        "all four fall on Wednesday"
    );

    r.set_reminder_prefs(ReminderPrefs {
        daily_cap: 2,
        ..prefs
    })
    .unwrap();
    let capped = r.reminders(3).unwrap();
    assert_well_formed(&capped);
    assert_eq!(
        kinds_on(&capped, wednesday),
        vec![ReminderKind::CheckIn, ReminderKind::Meeting]
    );
    assert_eq!(
        kinds_on(&capped, date(2026, 6, 11)),
        vec![ReminderKind::CheckIn, ReminderKind::EveningReview],
        "under the cap nothing is dropped"
    );

    // Later that morning the check-in has been delivered; it still counts, so the evening
    // review does not slip through.
    clock.set(utc(2026, 6, 10, 8, 0));
    let later = r.reminders(3).unwrap();
    assert_eq!(kinds_on(&later, wednesday), vec![ReminderKind::Meeting]);
}

#[test]
fn a_nudge_comes_half_an_hour_before_the_riskiest_two_hours_only_when_the_log_says_so() {
    let today = date(2026, 6, 10);
    let now = utc(2026, 6, 10, 12, 0);
    let risky = ReminderPrefs {
        risky_hours: true,
        ..ReminderPrefs::default()
    };

    // Twelve triggers between 22:00 and 23:59 over the last 30 days, three elsewhere.
    let dir = tempfile::tempdir().unwrap();
    let (r, _clock) = recovery_at(dir.path(), now, "Europe/Berlin");
    for i in 0..12u64 {
        let day = days_before(today, 1 + 2 * i);
        if i % 2 == 0 {
            trigger_in_berlin(&r, day, 22, 15);
        } else {
            trigger_in_berlin(&r, day, 23, 40);
        }
    }
    trigger_in_berlin(&r, date(2026, 6, 8), 9, 0);
    trigger_in_berlin(&r, date(2026, 6, 5), 13, 0);
    trigger_in_berlin(&r, date(2026, 6, 1), 17, 0);
    assert_eq!(
        r.riskiest_window().unwrap(),
        Some(RiskyWindow {
            start_hour: 22,
            triggers_in_window: 12,
            triggers_total: 15,
        })
    );
    assert!(
        of_kind(&r.reminders(7).unwrap(), ReminderKind::RiskyHours).is_empty(),
        "off until the person asks for it"
    );
    r.set_reminder_prefs(risky.clone()).unwrap();
    let all = r.reminders(7).unwrap();
    assert_well_formed(&all);
    let nudges = of_kind(&all, ReminderKind::RiskyHours);
    assert_eq!(
        local_dates(&nudges),
        (10..=16).map(|d| date(2026, 6, d)).collect::<Vec<_>>(),
        "one each day"
    );
    assert!(nudges.iter().all(|x| x.local_time.time() == hm(21, 30)));
    assert_eq!(nudges[0].at, utc(2026, 6, 10, 19, 30));
    assert_eq!(nudges[0].id, "risky_hours-2026-06-10");
    assert_eq!(nudges[0].body, "A good moment to take a breath");

    // Only five triggers (and ten more from long ago): not enough to say so.
    let dir = tempfile::tempdir().unwrap();
    let (r, _clock) = recovery_at(dir.path(), now, "Europe/Berlin");
    r.set_reminder_prefs(risky.clone()).unwrap();
    for i in 0..5u64 {
        trigger_in_berlin(&r, days_before(today, 1 + i), 22, 15);
    }
    for i in 0..10u64 {
        trigger_in_berlin(&r, days_before(today, 70 + i), 22, 15);
    }
    assert_eq!(r.riskiest_window().unwrap(), None);
    assert!(of_kind(&r.reminders(7).unwrap(), ReminderKind::RiskyHours).is_empty());

    // Twelve triggers spread over the day: no two hours stand out.
    let dir = tempfile::tempdir().unwrap();
    let (r, _clock) = recovery_at(dir.path(), now, "Europe/Berlin");
    r.set_reminder_prefs(risky).unwrap();
    for i in 0..12u32 {
        trigger_in_berlin(&r, days_before(today, 1 + u64::from(i)), 2 * i, 0);
    }
    assert_eq!(r.riskiest_window().unwrap(), None);
    assert!(of_kind(&r.reminders(7).unwrap(), ReminderKind::RiskyHours).is_empty());
}

#[test]
fn triggers_count_at_the_hour_they_happened_where_they_happened() {
    let dir = tempfile::tempdir().unwrap();
    let now = utc(2026, 6, 10, 12, 0);
    let (r, _clock) = recovery_at(dir.path(), now, "America/New_York");
    let new_york = Zone::named("America/New_York").unwrap();
    for i in 0..12u64 {
        let day = days_before(date(2026, 6, 9), i);
        r.log_trigger(trigger_at(new_york.instant_of(day.and_time(hm(22, 15)))))
            .unwrap();
    }
    // At 22:15 in New York it was 04:15 in Berlin; the person has since moved there.
    r.set_time_zone("Europe/Berlin").unwrap();
    let window = r.riskiest_window().unwrap().unwrap();
    assert_eq!(window.start_hour, 22);
    r.set_reminder_prefs(ReminderPrefs {
        risky_hours: true,
        ..ReminderPrefs::default()
    })
    .unwrap();
    let all = r.reminders(2).unwrap();
    let nudges = of_kind(&all, ReminderKind::RiskyHours);
    assert_eq!(nudges.len(), 2);
    assert!(nudges
        .iter()
        .all(|x| x.local_time.time() == hm(21, 30) && x.time_zone == "Europe/Berlin"));
}

#[test]
fn a_milestone_tomorrow_is_reminded_the_evening_before_without_naming_the_journey() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 14:00 in Berlin; 30 days since 12 May fall due tomorrow.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 12, 0), "Europe/Berlin");
    let j = r
        .add_journey(journey("alcohol", date(2026, 5, 12), "Europe/Berlin"))
        .unwrap();
    let all = r.reminders(3).unwrap();
    assert_well_formed(&all);
    let milestones = of_kind(&all, ReminderKind::Milestone);
    assert_eq!(milestones.len(), 1);
    let m = milestones[0];
    assert_eq!(m.id, format!("milestone-{}-30d", j.id));
    assert_eq!(m.local_time, date(2026, 6, 10).and_time(hm(21, 0)));
    assert_eq!(m.at, utc(2026, 6, 10, 19, 0));
    assert_eq!(m.title, "Waymark");
    assert_eq!(m.body, "Tomorrow marks something worth noticing");
    for text in [&m.title, &m.body] {
        let lower = text.to_lowercase();
        assert!(!lower.contains("alcohol") && !lower.contains("sober") && !lower.contains("30"));
    }

    let prefs = ReminderPrefs {
        discreet: false,
        ..ReminderPrefs::default()
    };
    r.set_reminder_prefs(prefs.clone()).unwrap();
    let plain = r.reminders(3).unwrap();
    let m = of_kind(&plain, ReminderKind::Milestone)[0];
    assert_eq!(m.body, "Tomorrow: 30 days sober from alcohol");
    assert_eq!(m.id, format!("milestone-{}-30d", j.id), "the same id");

    // Without an evening review time it comes at 20:00.
    r.set_reminder_prefs(ReminderPrefs {
        evening_review_at: None,
        ..prefs.clone()
    })
    .unwrap();
    let m = of_kind(&r.reminders(3).unwrap(), ReminderKind::Milestone)[0].clone();
    assert_eq!(m.local_time, date(2026, 6, 10).and_time(hm(20, 0)));

    // Not when milestones are off, nor for an archived journey.
    r.set_reminder_prefs(ReminderPrefs {
        milestones: false,
        ..prefs.clone()
    })
    .unwrap();
    assert!(of_kind(&r.reminders(3).unwrap(), ReminderKind::Milestone).is_empty());
    r.set_reminder_prefs(prefs).unwrap();
    r.archive_journey(&j.id, true).unwrap();
    assert!(of_kind(&r.reminders(3).unwrap(), ReminderKind::Milestone).is_empty());
}

#[test]
fn a_check_in_already_made_or_reviewed_is_not_reminded() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 08:00 in Berlin.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 6, 0), "Europe/Berlin");
    let ids = |r: &Recovery| -> Vec<String> {
        r.reminders(2).unwrap().into_iter().map(|x| x.id).collect()
    };
    assert_eq!(
        ids(&r),
        vec![
            "check_in-2026-06-10",
            "evening_review-2026-06-10",
            "check_in-2026-06-11",
            "evening_review-2026-06-11",
        ]
    );

    r.check_in(CheckInInput {
        mood: 3,
        ..CheckInInput::default()
    })
    .unwrap();
    assert_eq!(
        ids(&r),
        vec![
            "evening_review-2026-06-10",
            "check_in-2026-06-11",
            "evening_review-2026-06-11",
        ],
        "checked in today: no check-in reminder for today"
    );

    r.check_in(CheckInInput {
        mood: 4,
        evening_review: Some(EveningReview {
            rating: 4,
            note: None,
        }),
        ..CheckInInput::default()
    })
    .unwrap();
    assert_eq!(
        ids(&r),
        vec!["check_in-2026-06-11", "evening_review-2026-06-11"],
        "today's evening review is written"
    );
}

#[test]
fn the_same_inputs_give_the_same_reminders() {
    let dir = tempfile::tempdir().unwrap();
    let now = utc(2026, 10, 20, 9, 0);
    let (r, _clock) = recovery_at(dir.path(), now, "Europe/Berlin");
    r.add_journey(journey("alcohol", date(2026, 10, 1), "Europe/Berlin"))
        .unwrap();
    r.add_journey(journey("gambling", date(2026, 9, 29), "Europe/Berlin"))
        .unwrap();
    for i in 0..14u64 {
        trigger_in_berlin(&r, days_before(date(2026, 10, 20), 1 + i), 21, 40);
    }
    let prefs = ReminderPrefs {
        risky_hours: true,
        daily_cap: 3,
        meetings: vec![
            RegularMeeting {
                weekday: Weekday::Tue,
                at: hm(19, 0),
                name: Some("Tuesday group".into()),
            },
            RegularMeeting {
                weekday: Weekday::Sun,
                at: hm(11, 0),
                name: None,
            },
        ],
        ..ReminderPrefs::default()
    };
    r.set_reminder_prefs(prefs.clone()).unwrap();
    let first = r.reminders(14).unwrap();
    assert!(first.len() > 14);
    assert_well_formed(&first);
    assert_eq!(r.reminders(14).unwrap(), first);
    // From a fresh decryption, and from the pure function over a copy of the snapshot.
    r.lock();
    r.journal().unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(r.reminders(14).unwrap(), first);
    assert_eq!(schedule(&r.snapshot().unwrap(), &prefs, now, 14), first);
}

#[test]
fn reminder_prefs_round_trip_and_invalid_ones_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 12, 0), "Europe/Berlin");
    assert_eq!(r.reminder_prefs().unwrap(), ReminderPrefs::default());
    let prefs = ReminderPrefs {
        check_in_at: Some(hm(8, 15)),
        evening_review_at: None,
        meetings: vec![RegularMeeting {
            weekday: Weekday::Sat,
            at: hm(10, 0),
            name: Some("Saturday morning".into()),
        }],
        meeting_lead_minutes: 45,
        milestones: false,
        risky_hours: true,
        quiet_from: Some(hm(23, 0)),
        quiet_until: Some(hm(6, 0)),
        daily_cap: 6,
        discreet: false,
        enabled: true,
    };
    assert_eq!(r.set_reminder_prefs(prefs.clone()).unwrap(), prefs);
    assert_eq!(r.reminder_prefs().unwrap(), prefs);
    r.lock();
    r.journal().unlock_with_passphrase(PASSPHRASE).unwrap();
    assert_eq!(
        r.reminder_prefs().unwrap(),
        prefs,
        "stored, not only cached"
    );

    let refused = |bad: ReminderPrefs| -> &'static str {
        match r.set_reminder_prefs(bad) {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        }
    };
    assert_eq!(
        refused(ReminderPrefs {
            daily_cap: 0,
            ..prefs.clone()
        }),
        "daily_cap"
    );
    assert_eq!(
        refused(ReminderPrefs {
            quiet_until: None,
            ..prefs.clone()
        }),
        "quiet_hours"
    );
    assert_eq!(
        refused(ReminderPrefs {
            meeting_lead_minutes: 721,
            ..prefs.clone()
        }),
        "meeting_lead_minutes"
    );
    assert_eq!(
        r.reminder_prefs().unwrap(),
        prefs,
        "a refusal changes nothing"
    );
}

#[test]
fn discreet_reminders_show_no_names_and_no_recovery_words() {
    let dir = tempfile::tempdir().unwrap();
    let now = utc(2026, 6, 10, 6, 0);
    let (r, _clock) = recovery_at(dir.path(), now, "Europe/Berlin");
    r.add_journey(journey("Gambling", date(2026, 5, 12), "Europe/Berlin"))
        .unwrap();
    for i in 0..12u64 {
        trigger_in_berlin(&r, days_before(date(2026, 6, 10), 1 + i), 20, 10);
    }
    let prefs = ReminderPrefs {
        risky_hours: true,
        daily_cap: 10,
        meetings: vec![RegularMeeting {
            weekday: Weekday::Wed,
            at: hm(19, 30),
            name: Some("Harbour Group".into()),
        }],
        ..ReminderPrefs::default()
    };
    r.set_reminder_prefs(prefs.clone()).unwrap();
    let all = r.reminders(14).unwrap();
    for kind in [
        ReminderKind::CheckIn,
        ReminderKind::EveningReview,
        ReminderKind::Meeting,
        ReminderKind::Milestone,
        ReminderKind::RiskyHours,
    ] {
        assert!(!of_kind(&all, kind).is_empty(), "{kind:?} is there");
    }
    let forbidden = [
        "sober",
        "relapse",
        "lapse",
        "craving",
        "urge",
        "drink",
        "alcohol",
        "drug",
        "use",
        "addiction",
        "recovery",
        "meeting",
        "trigger",
        "gambling",
        "harbour",
    ];
    for x in &all {
        for text in [&x.title, &x.body] {
            let lower = text.to_lowercase();
            for word in forbidden {
                assert!(!lower.contains(word), "{:?} shows {word:?}", x.kind);
            }
        }
    }
    // In plain words the names appear.
    r.set_reminder_prefs(ReminderPrefs {
        discreet: false,
        ..prefs
    })
    .unwrap();
    let plain = r.reminders(14).unwrap();
    assert_eq!(
        of_kind(&plain, ReminderKind::Meeting)[0].body,
        "Meeting at 19:30: Harbour Group"
    );
    assert!(of_kind(&plain, ReminderKind::Milestone)[0]
        .body
        .contains("Gambling"));
}

#[test]
fn the_window_is_one_to_fourteen_days_and_the_off_switch_silences_everything() {
    let dir = tempfile::tempdir().unwrap();
    // 08:00 in Berlin.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 6, 0), "Europe/Berlin");
    let check_in_days = |days: i32| -> Vec<NaiveDate> {
        local_dates(&of_kind(&r.reminders(days).unwrap(), ReminderKind::CheckIn))
    };
    assert_eq!(check_in_days(1), vec![date(2026, 6, 10)]);
    let most = check_in_days(14);
    assert_eq!(most.len(), 14);
    assert_eq!(most.last(), Some(&date(2026, 6, 23)));
    // Outside 1-14 is refused, naming the field: never silently another window.
    for days in [-1, 0, 15, 1000, i32::MIN, i32::MAX] {
        match r.reminders(days) {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "days"),
            other => panic!("{days}: {other:?}"),
        }
    }

    r.set_reminder_prefs(ReminderPrefs {
        enabled: false,
        ..ReminderPrefs::default()
    })
    .unwrap();
    assert!(r.reminders(14).unwrap().is_empty());
}

#[test]
fn an_evening_review_set_inside_quiet_hours_comes_before_they_begin_not_the_next_morning() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 10, 8, 0), "UTC");
    r.set_reminder_prefs(ReminderPrefs {
        evening_review_at: NaiveTime::from_hms_opt(23, 15, 0),
        quiet_from: NaiveTime::from_hms_opt(23, 0, 0),
        quiet_until: NaiveTime::from_hms_opt(7, 0, 0),
        ..ReminderPrefs::default()
    })
    .unwrap();
    let evenings: Vec<_> = r
        .reminders(2)
        .unwrap()
        .into_iter()
        .filter(|x| x.kind == ReminderKind::EveningReview)
        .map(|x| x.at)
        .collect();
    assert_eq!(
        evenings.first(),
        Some(&utc(2026, 6, 10, 22, 30)),
        "{evenings:?}"
    );
}

#[test]
fn a_milestone_tomorrow_is_never_delivered_on_the_day_it_refers_to() {
    let dir = tempfile::tempdir().unwrap();
    // Wednesday 10 June 2026, 14:00 in Berlin; 30 days since 12 May fall due tomorrow. The
    // evening review is at 22:30, inside quiet hours 22:00-07:00.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 6, 10, 12, 0), "Europe/Berlin");
    r.add_journey(journey("alcohol", date(2026, 5, 12), "Europe/Berlin"))
        .unwrap();
    r.set_reminder_prefs(ReminderPrefs {
        evening_review_at: NaiveTime::from_hms_opt(22, 30, 0),
        quiet_from: NaiveTime::from_hms_opt(22, 0, 0),
        quiet_until: NaiveTime::from_hms_opt(7, 0, 0),
        ..ReminderPrefs::default()
    })
    .unwrap();
    let all = r.reminders(3).unwrap();
    let milestones = of_kind(&all, ReminderKind::Milestone);
    assert_eq!(milestones.len(), 1, "{milestones:?}");
    // Half an hour before quiet hours begin, the evening before: not 07:00 on the day.
    assert_eq!(
        milestones[0].local_time,
        date(2026, 6, 10).and_time(hm(21, 30))
    );
    let reviews = of_kind(&all, ReminderKind::EveningReview);
    assert_eq!(
        reviews[0].local_time,
        date(2026, 6, 10).and_time(hm(21, 30))
    );

    // An evening time after midnight (the day starts at 00:00, so it falls on the eve's
    // own early morning): before quiet hours began is the day before the eve, so it is
    // dropped rather than said a day early or on the day.
    r.set_reminder_prefs(ReminderPrefs {
        evening_review_at: NaiveTime::from_hms_opt(1, 0, 0),
        quiet_from: NaiveTime::from_hms_opt(22, 0, 0),
        quiet_until: NaiveTime::from_hms_opt(7, 0, 0),
        ..ReminderPrefs::default()
    })
    .unwrap();
    assert!(of_kind(&r.reminders(3).unwrap(), ReminderKind::Milestone).is_empty());
}

#[test]
fn a_milestone_after_the_spring_change_is_reminded_at_half_past_nine_berlin_time() {
    let dir = tempfile::tempdir().unwrap();
    // Sunday 29 March 2026, Berlin moved to summer time at 02:00; 30 days since 28 February
    // fall due on Monday 30 March.
    let (r, _clock) = recovery_at(dir.path(), utc(2026, 3, 29, 10, 0), "Europe/Berlin");
    r.add_journey(journey("alcohol", date(2026, 2, 28), "Europe/Berlin"))
        .unwrap();
    r.set_reminder_prefs(ReminderPrefs {
        evening_review_at: NaiveTime::from_hms_opt(22, 30, 0),
        quiet_from: NaiveTime::from_hms_opt(22, 0, 0),
        quiet_until: NaiveTime::from_hms_opt(7, 0, 0),
        ..ReminderPrefs::default()
    })
    .unwrap();
    let all = r.reminders(2).unwrap();
    let m = of_kind(&all, ReminderKind::Milestone);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].local_time, date(2026, 3, 29).and_time(hm(21, 30)));
    assert_eq!(m[0].at, utc(2026, 3, 29, 19, 30), "summer time: UTC+2");
}
