//! No value panics the library: every verb that takes an instant, a date or a number is fed
//! the extremes of its type (chrono's first and last instant and date, i32 and i64 limits),
//! in zones far from UTC, and must answer with a value or `InvalidInput`: never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use common::*;
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::recovery::entries::EntryInput;
use waymark_core::recovery::journey::{LapseInput, LapseKind};
use waymark_core::recovery::support::{
    ContactInput, ContactRole, MeetingInput, MeetingKind, OutreachInput, OutreachMethod,
};
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput, TriggerPatch};
use waymark_core::recovery::window::DatedList;
use waymark_core::Error;

fn instants() -> Vec<DateTime<Utc>> {
    vec![
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        DateTime::from_timestamp(8_000_000_000_000, 0).unwrap(),
        DateTime::from_timestamp(-62_135_596_801, 0).unwrap(),
        DateTime::from_timestamp(253_402_300_800, 0).unwrap(),
        DateTime::from_timestamp(0, 0).unwrap(),
    ]
}

fn dates() -> Vec<NaiveDate> {
    vec![
        NaiveDate::MIN,
        NaiveDate::MAX,
        NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        NaiveDate::from_ymd_opt(-5, 1, 1).unwrap(),
    ]
}

/// Runs `call`: a value or an `InvalidInput` (or another error a person can act on) is
/// fine; a panic fails the test, naming `what`.
fn survives<T>(what: &str, call: impl FnOnce() -> waymark_core::Result<T>) -> bool {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)) {
        Ok(Ok(_)) => false,
        Ok(Err(
            Error::InvalidInput { .. } | Error::NotFound { .. } | Error::OverlapsLapse { .. },
        )) => true,
        Ok(Err(other)) => panic!("{what}: an unexpected error: {other:?}"),
        Err(_) => panic!("{what}: panicked"),
    }
}

#[test]
fn no_instant_date_or_number_panics_any_verb() {
    for zone in ["Pacific/Kiritimati", "Pacific/Apia", "America/Adak", "UTC"] {
        let dir = tempfile::tempdir().unwrap();
        let (r, _) = recovery_at(dir.path(), utc(2026, 11, 25, 12, 0), zone);
        let j = r
            .add_journey(journey("alcohol", date(2026, 1, 1), zone))
            .unwrap();
        let logged = r
            .log_trigger(TriggerInput {
                at: None,
                journey_id: None,
                category: TriggerCategory::Emotions,
                tags: vec![],
                intensity: 5,
                situation: None,
                card_id: None,
                outcome: None,
                urge_minutes: None,
            })
            .unwrap();
        let contact = r
            .add_contact(ContactInput {
                name: "Sam".into(),
                role: ContactRole::Sponsor,
                phone: None,
                note: None,
            })
            .unwrap();
        let mut refused = 0;
        for at in instants() {
            let what = format!("{zone} {at:?}");
            refused += usize::from(survives(&format!("log_trigger {what}"), || {
                r.log_trigger(TriggerInput {
                    at: Some(at),
                    journey_id: Some(j.id),
                    category: TriggerCategory::Emotions,
                    tags: vec![],
                    intensity: 5,
                    situation: None,
                    card_id: None,
                    outcome: None,
                    urge_minutes: Some(i32::MAX),
                })
            }));
            refused += usize::from(survives(&format!("edit_trigger {what}"), || {
                r.edit_trigger(
                    &logged.id,
                    TriggerPatch {
                        at: Some(at),
                        ..TriggerPatch::default()
                    },
                )
            }));
            refused += usize::from(survives(&format!("log_outreach {what}"), || {
                r.log_outreach(OutreachInput {
                    contact_id: contact.id,
                    method: OutreachMethod::Call,
                    helped: None,
                    note: None,
                    at: Some(at),
                })
            }));
        }
        for day in dates() {
            let what = format!("{zone} {day}");
            refused += usize::from(survives(&format!("check_in {what}"), || {
                r.check_in(CheckInInput {
                    date: Some(day),
                    mood: 3,
                    craving: 3,
                    ..CheckInInput::default()
                })
            }));
            refused += usize::from(survives(&format!("check_in_on {what}"), || {
                r.check_in_on(day)
            }));
            refused += usize::from(survives(&format!("delete_check_in {what}"), || {
                r.delete_check_in(day)
            }));
            refused += usize::from(survives(&format!("lists {what}"), || {
                r.entries(day, NaiveDate::MAX)?;
                r.check_ins(NaiveDate::MIN, day)?;
                r.triggers(day, day)?;
                r.meetings(day, day)?;
                r.outreach_between(day, day)?;
                r.outside_window(DatedList::Entries, day, day)
            }));
            refused += usize::from(survives(&format!("add_journey {what}"), || {
                r.add_journey(journey("from an edge", day, zone))
            }));
            refused += usize::from(survives(&format!("record_lapse {what}"), || {
                r.record_lapse(LapseInput {
                    journey_id: j.id,
                    kind: LapseKind::Lapse,
                    date: day,
                    time: NaiveTime::from_hms_opt(23, 59, 59),
                    sober_again_from: Some(day),
                    note: None,
                    trigger_id: None,
                })
            }));
            refused += usize::from(survives(&format!("log_meeting {what}"), || {
                r.log_meeting(MeetingInput {
                    date: Some(day),
                    kind: MeetingKind::TwelveStep,
                    name: None,
                    note: None,
                })
            }));
            refused += usize::from(survives(&format!("write_entry {what}"), || {
                r.write_entry(EntryInput {
                    date: Some(day),
                    body: "at an edge".into(),
                    ..EntryInput::default()
                })
            }));
            refused += usize::from(survives(&format!("start_ninety {what}"), || {
                r.start_ninety_in_ninety(Some(day))
            }));
        }
        // Numbers at their limits.
        refused += usize::from(survives("reminders", || r.reminders(i32::MIN)));
        refused += usize::from(survives("help_now", || r.help_now(Some(i32::MAX))));
        refused += usize::from(survives("day start", || r.set_day_starts_at(i32::MIN)));
        let mut rich = journey("costly", date(2026, 1, 1), zone);
        rich.daily_cost_cents = Some(i64::MAX);
        rich.daily_minutes = Some(i32::MAX);
        rich.custom_milestone_days = vec![i32::MAX, i32::MIN];
        refused += usize::from(survives("extreme journey", || r.add_journey(rich.clone())));
        // Every screen still answers after all of that.
        r.home().unwrap();
        r.counter(&j.id).unwrap();
        r.milestones(&j.id).unwrap();
        assert!(refused > 20, "{zone}: only {refused} refused");
    }
}
