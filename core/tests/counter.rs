//! The sober-day counter across DST, travel, leap days and clock skew; plus property tests
//! over random start moments, a wide set of time zones and random clock movements.

mod common;

use chrono::{Duration, NaiveTime, Timelike};
use common::*;
use proptest::prelude::*;
use waymark_core::recovery::clock::{recovery_day, Zone};
use waymark_core::recovery::counter::count;
use waymark_core::recovery::journey::{Journey, Lapse, LapseInput, LapseKind};
use waymark_core::{Error, RecordId};

fn plain_journey(since: chrono::NaiveDate, time: Option<NaiveTime>, zone: &str) -> Journey {
    Journey {
        id: RecordId::from_bytes([1; 16]),
        name: "alcohol".into(),
        sober_since: since,
        sober_since_time: time,
        time_zone: zone.into(),
        daily_cost_cents: Some(1_000),
        daily_minutes: Some(60),
        custom_milestone_days: Vec::new(),
        archived: false,
        limit: None,
        earlier_limits: Vec::new(),
    }
}

#[test]
fn counts_local_days_across_spring_forward() {
    // Berlin springs forward on 2026-03-29 (that day has 23 hours).
    let zone: Zone = "Europe/Berlin".parse().unwrap();
    let j = plain_journey(date(2026, 3, 28), None, "Europe/Berlin");
    let c = count(
        &j,
        &[],
        local("Europe/Berlin", 2026, 3, 30, 0, 30),
        &zone,
        0,
    );
    assert_eq!(c.current_streak_days, 2);
    // Elapsed is real time: 47.5 hours, not 48.5.
    assert_eq!(
        (c.elapsed_days, c.elapsed_hours, c.elapsed_minutes),
        (1, 23, 30)
    );
    let c = count(
        &j,
        &[],
        local("Europe/Berlin", 2026, 3, 29, 23, 59),
        &zone,
        0,
    );
    assert_eq!(c.current_streak_days, 1);
}

#[test]
fn counts_local_days_across_fall_back() {
    // New York falls back on 2026-11-01 (that day has 25 hours).
    let zone: Zone = "America/New_York".parse().unwrap();
    let j = plain_journey(date(2026, 10, 31), None, "America/New_York");
    let late = local("America/New_York", 2026, 11, 1, 23, 30);
    let c = count(&j, &[], late, &zone, 0);
    assert_eq!(c.current_streak_days, 1);
    assert_eq!(
        (c.elapsed_days, c.elapsed_hours, c.elapsed_minutes),
        (2, 0, 30)
    );
    let c = count(&j, &[], late + Duration::hours(1), &zone, 0);
    assert_eq!(c.current_streak_days, 2);
}

#[test]
fn travel_counts_by_the_calendar_of_the_zone_the_person_is_in_now() {
    // Started in Berlin on 1 January; now in Los Angeles, nine hours behind.
    let j = plain_journey(date(2026, 1, 1), None, "Europe/Berlin");
    let now = local("Europe/Berlin", 2026, 1, 11, 2, 0); // 10 Jan 17:00 in Los Angeles
    let berlin = count(&j, &[], now, &"Europe/Berlin".parse().unwrap(), 0);
    let la = count(&j, &[], now, &"America/Los_Angeles".parse().unwrap(), 0);
    assert_eq!(berlin.current_streak_days, 10);
    assert_eq!(la.current_streak_days, 9);
    // Elapsed time does not depend on where the person is.
    assert_eq!(berlin.elapsed_days, la.elapsed_days);
    assert_eq!(la.elapsed_days, 10);
}

#[test]
fn leap_days_count_as_days() {
    let zone = Zone::utc();
    let j = plain_journey(date(2028, 2, 28), None, "UTC");
    let c = count(&j, &[], utc(2028, 3, 1, 12, 0), &zone, 0);
    assert_eq!(c.current_streak_days, 2);
    let j = plain_journey(date(2027, 3, 1), None, "UTC");
    let c = count(&j, &[], utc(2028, 3, 1, 0, 0), &zone, 0);
    assert_eq!(c.current_streak_days, 366);
}

#[test]
fn a_clock_before_the_start_gives_zero_not_negative() {
    let zone = Zone::utc();
    let j = plain_journey(
        date(2026, 5, 10),
        Some(NaiveTime::from_hms_opt(18, 0, 0).unwrap()),
        "UTC",
    );
    let c = count(&j, &[], utc(2026, 5, 1, 0, 0), &zone, 0);
    assert_eq!(c.current_streak_days, 0);
    assert_eq!(c.total_sober_days, 0);
    assert_eq!(
        (c.elapsed_days, c.elapsed_hours, c.elapsed_minutes),
        (0, 0, 0)
    );
    assert_eq!(c.money_saved_cents_total, 0);
}

#[test]
fn day_start_hour_decides_which_day_late_night_belongs_to() {
    let zone: Zone = "Europe/London".parse().unwrap();
    let night = local("Europe/London", 2026, 6, 10, 1, 30);
    assert_eq!(recovery_day(night, &zone, 4), date(2026, 6, 9));
    assert_eq!(recovery_day(night, &zone, 0), date(2026, 6, 10));
    let j = plain_journey(date(2026, 6, 1), None, "Europe/London");
    assert_eq!(count(&j, &[], night, &zone, 4).current_streak_days, 8);
    assert_eq!(count(&j, &[], night, &zone, 0).current_streak_days, 9);
}

#[test]
fn windows_money_and_time_saved_cover_every_attempt() {
    let zone = Zone::utc();
    let j = plain_journey(date(2026, 1, 1), None, "UTC");
    let lapse = Lapse {
        id: RecordId::from_bytes([2; 16]),
        journey_id: j.id,
        kind: LapseKind::Lapse,
        date: date(2026, 3, 1),
        time: None,
        sober_again_from: date(2026, 3, 2),
        note: None,
        trigger_id: None,
        time_zone: None,
    };
    let c = count(&j, &[lapse], utc(2026, 3, 31, 12, 0), &zone, 0);
    assert_eq!(c.attempts.len(), 2);
    assert_eq!(c.attempts[0].sober_days, 59); // 1 Jan .. 28 Feb
    assert_eq!(c.current_streak_days, 29); // 2 Mar .. 30 Mar
    assert_eq!(c.longest_streak_days, 59);
    assert_eq!(c.total_sober_days, 88);
    // Of the 30 completed days before 31 March (1-30 March), 1 March is the lapse.
    assert_eq!(c.sober_days_last_30, 29);
    assert_eq!(c.sober_days_last_90, 88);
    assert_eq!(c.sober_days_last_365, 88);
    assert_eq!(c.money_saved_cents_current, 29_000);
    assert_eq!(c.money_saved_cents_total, 88_000);
    assert_eq!(c.minutes_saved_total, 88 * 60);
}

#[test]
fn the_service_refuses_a_start_in_the_future_and_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (recovery, _) = recovery_at(dir.path(), utc(2026, 4, 1, 12, 0), "UTC");
    let err = recovery
        .add_journey(journey("alcohol", date(2026, 4, 2), "UTC"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "sober_since",
                ..
            }
        ),
        "{err}"
    );
    // A start later today (with a time) is in the future too.
    let mut input = journey("alcohol", date(2026, 4, 1), "UTC");
    input.sober_since_time = Some(NaiveTime::from_hms_opt(13, 0, 0).unwrap());
    assert!(recovery.add_journey(input).is_err());
    assert!(recovery.journeys().unwrap().is_empty());
}

#[test]
fn the_service_counter_follows_the_clock_and_the_zone_setting() {
    let dir = tempfile::tempdir().unwrap();
    let (recovery, clock) = recovery_at(
        dir.path(),
        local("Asia/Tokyo", 2026, 8, 1, 10, 0),
        "Asia/Tokyo",
    );
    let j = recovery
        .add_journey(journey("gambling", date(2026, 7, 1), "Asia/Tokyo"))
        .unwrap();
    assert_eq!(recovery.counter(&j.id).unwrap().current_streak_days, 31);
    clock.advance(Duration::days(1));
    assert_eq!(recovery.counter(&j.id).unwrap().current_streak_days, 32);
    // Flying to Honolulu (19 hours behind Tokyo) moves "today" back a day: the count
    // follows the local calendar and never goes below what the calendar says.
    recovery.set_time_zone("Pacific/Honolulu").unwrap();
    assert_eq!(recovery.counter(&j.id).unwrap().current_streak_days, 31);
    clock.advance(Duration::days(-40));
    assert_eq!(recovery.counter(&j.id).unwrap().current_streak_days, 0);
}

#[test]
fn lapse_for_an_unknown_journey_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let (recovery, _) = recovery_at(dir.path(), utc(2026, 4, 1, 12, 0), "UTC");
    let err = recovery
        .record_lapse(LapseInput {
            journey_id: RecordId::from_bytes([9; 16]),
            kind: LapseKind::Lapse,
            date: date(2026, 3, 1),
            time: None,
            sober_again_from: None,
            note: None,
            trigger_id: None,
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                what: "journey",
                ..
            }
        ),
        "{err}"
    );
}

/// Zones with DST in both hemispheres, half- and quarter-hour offsets, a 30-minute DST
/// shift (Lord Howe), a zone that skipped a whole day (Apia, 30 December 2011) and large
/// offsets either side of UTC.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/Santiago",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Africa/Casablanca",
    "Asia/Tehran",
];

fn zone_strategy() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(ZONES)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Sober days equal the local-calendar distance from the start date to today; they move
    /// exactly as the local date moves (so never by more than one per local day, and by two
    /// only when the zone itself skipped a date); and a clock that goes backwards can lower
    /// but never negate them.
    #[test]
    fn counter_follows_the_local_calendar(
        start_secs in 946_684_800i64..2_051_222_400, // 2000 .. 2035
        start_zone in zone_strategy(),
        now_zone in zone_strategy(),
        with_time in any::<bool>(),
        offset_minutes in -3_000i64..600_000,
        steps in proptest::collection::vec(-2_880i64..2_880, 1..12),
        day_starts_at in 0i32..24,
    ) {
        let start_instant = chrono::DateTime::from_timestamp(start_secs, 0).unwrap();
        let start_tz: Zone = start_zone.parse().unwrap();
        let now_tz: Zone = now_zone.parse().unwrap();
        let start_local = start_tz.local(start_instant);
        let j = plain_journey(
            start_local.date(),
            with_time.then(|| start_local.time()),
            start_zone,
        );
        let day_start = chrono::NaiveTime::from_hms_opt(day_starts_at as u32, 0, 0).unwrap();
        let begins = waymark_core::recovery::clock::start_instant(
            j.sober_since,
            Some(j.sober_since_time.unwrap_or(day_start)),
            &start_tz,
        );
        let mut now = start_instant + Duration::minutes(offset_minutes);
        let mut previous: Option<(chrono::NaiveDate, i32)> = None;
        let mut was_pending = false;
        for step in steps {
            let c = count(&j, &[], now, &now_tz, day_starts_at);
            let today = recovery_day(now, &now_tz, day_starts_at);
            // A start counts nothing until its moment has come, whatever date the phone's
            // calendar shows (it can be a day ahead of the start's zone): the time given, or
            // for a date alone the hour the person's day starts, in the start's zone.
            let pending = now < begins;
            let expected = if pending {
                0
            } else {
                (today - j.sober_since).num_days().max(0) as i32
            };
            prop_assert_eq!(c.current_streak_days, expected);
            prop_assert_eq!(c.total_sober_days, expected);
            prop_assert!(c.elapsed_hours < 24 && c.elapsed_minutes < 60);
            // Crossing the start moment (either way: the clock can go back before it) is the
            // one step that may move the count by more than the days moved.
            let crossed = was_pending != pending;
            was_pending = pending;
            if let (Some((prev_day, prev_count)), false) = (previous, crossed) {
                let moved = (today - prev_day).num_days();
                let delta = i64::from(c.current_streak_days) - i64::from(prev_count);
                if moved >= 0 {
                    prop_assert!(delta >= 0 && delta <= moved, "moved {} delta {}", moved, delta);
                } else {
                    prop_assert!(delta <= 0 && delta >= moved);
                }
            }
            previous = Some((today, c.current_streak_days));
            now += Duration::minutes(step);
        }
    }

    /// Elapsed time is the real time since the start moment, whatever zone the person is in.
    #[test]
    fn elapsed_is_real_time_since_the_start(
        start_secs in 946_684_800i64..2_051_222_400,
        zone in zone_strategy(),
        now_zone in zone_strategy(),
        later_minutes in 0i64..5_000_000,
    ) {
        let start_instant = chrono::DateTime::from_timestamp(start_secs, 0).unwrap();
        let start_tz: Zone = zone.parse().unwrap();
        let local = start_tz.local(start_instant);
        let local = local.with_second(0).unwrap();
        let j = plain_journey(local.date(), Some(local.time()), zone);
        let begun = waymark_core::recovery::clock::instant_of(local, &start_tz);
        let now = begun + Duration::minutes(later_minutes);
        let c = count(&j, &[], now, &now_zone.parse().unwrap(), 0);
        let minutes = i64::from(c.elapsed_days) * 1440 + i64::from(c.elapsed_hours) * 60 + i64::from(c.elapsed_minutes);
        prop_assert_eq!(minutes, later_minutes);
    }
}

/// The case a random run of `counter_follows_the_local_calendar` once found: a start at
/// 12:31 UTC on 2 December 2015, asked 2,141 minutes before it from Samoa, whose calendar is
/// already on 2 December. The start moment has not come: no day yet, on any count.
#[test]
fn a_start_moment_that_has_not_come_counts_no_day_even_where_the_calendar_is_past_its_date() {
    let start = chrono::DateTime::from_timestamp(1_449_059_460, 0).unwrap();
    let utc: Zone = "UTC".parse().unwrap();
    let local = utc.local(start);
    let j = plain_journey(local.date(), Some(local.time()), "UTC");
    let apia: Zone = "Pacific/Apia".parse().unwrap();
    let now = start - Duration::minutes(2_141);
    let c = count(&j, &[], now, &apia, 0);
    assert_eq!(
        (
            c.current_streak_days,
            c.total_sober_days,
            c.sober_days_last_30
        ),
        (0, 0, 0)
    );
    assert_eq!(c.next_attempt_starts_on, Some(local.date()));
    // From the moment itself, the days are the calendar's.
    let c = count(&j, &[], start, &apia, 0);
    assert_eq!(
        c.current_streak_days,
        (recovery_day(start, &apia, 0) - local.date()).num_days() as i32
    );
}
