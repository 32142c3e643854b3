//! Key changes over a journal's life: after rotating the data key every lookup by natural key
//! still works (a day's check-in is found, updated and erased by its date, with no
//! duplicates), including in a journal rotated by an older build that left records under
//! stale ids.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::Error;

fn check_in(mood: i32, intention: &str) -> CheckInInput {
    CheckInInput {
        date: Some(date(2026, 6, 1)),
        mood,
        craving: 2,
        intention: Some(intention.into()),
        ..Default::default()
    }
}

#[test]
fn after_a_rotation_a_day_still_has_one_check_in_found_and_erased_by_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 20, 0), "Europe/Berlin");
    r.set_day_starts_at(4).unwrap();
    r.check_in(check_in(3, "walk")).unwrap();
    let records_before = r.journal().record_count().unwrap();

    let rotation = r.rotate_data_key(PASSPHRASE, None).unwrap();
    assert!(rotation.recovery_code.is_some());
    assert_eq!(rotation.records_rekeyed, 2, "the check-in and the settings");
    assert_eq!(rotation.duplicates_kept, 0);
    assert_eq!(r.journal().record_count().unwrap(), records_before);

    // The same day again updates it; the settings are still the ones set before.
    r.check_in(check_in(4, "call Sam")).unwrap();
    assert_eq!(r.journal().record_count().unwrap(), records_before);
    let day = r.check_in_on(date(2026, 6, 1)).unwrap().unwrap();
    assert_eq!((day.mood, day.intention.as_deref()), (4, Some("call Sam")));
    assert_eq!(r.settings().unwrap().day_starts_at, 4);
    r.set_time_zone("Europe/Berlin").unwrap();
    assert_eq!(r.journal().record_count().unwrap(), records_before);

    // Erasing by date erases it: nothing of that day is left.
    r.delete_check_in(date(2026, 6, 1)).unwrap();
    assert!(r.check_in_on(date(2026, 6, 1)).unwrap().is_none());
    // Its row now holds a tombstone (no content), so a merge can tell it was deleted.
    assert_eq!(r.journal().record_count().unwrap(), records_before);
    assert!(matches!(
        r.delete_check_in(date(2026, 6, 1)),
        Err(Error::InvalidInput { field: "date", .. })
    ));

    // The tombstone follows the day through another rotation: checking in that day again
    // takes its place instead of adding a row.
    let again = r.rotate_data_key(PASSPHRASE, None).unwrap();
    assert_eq!(again.duplicates_kept, 0);
    assert_eq!(again.damaged_records_kept, 0);
    r.check_in(check_in(2, "rest")).unwrap();
    assert_eq!(r.journal().record_count().unwrap(), records_before);
    assert_eq!(r.check_in_on(date(2026, 6, 1)).unwrap().unwrap().mood, 2);
}

#[test]
fn a_rotation_repairs_what_an_older_build_rotated_without_rekeying() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 6, 1, 20, 0), "Europe/Berlin");
    r.check_in(check_in(3, "walk")).unwrap();
    // What the older build did: new key, ids left as they were.
    r.journal()
        .rotate_data_key(PASSPHRASE, None, &|_| None)
        .unwrap();
    let fresh = waymark_core::recovery::Recovery::new(
        r.into_journal(),
        std::sync::Arc::new(waymark_core::recovery::clock::FixedClock::new(utc(
            2026, 6, 1, 21, 0,
        ))),
    );
    // So the same day got a second record (the bug a person would have met).
    fresh.check_in(check_in(5, "later")).unwrap();
    assert_eq!(fresh.snapshot().unwrap().check_ins.len(), 2);

    let rotation = fresh.rotate_data_key(PASSPHRASE, None).unwrap();
    assert_eq!(
        rotation.duplicates_kept, 1,
        "the older one is kept, not dropped"
    );
    // The newest is the day's check-in; the older one waits in quarantine, listed.
    let snapshot = fresh.snapshot().unwrap();
    assert_eq!(snapshot.check_ins.len(), 1);
    assert_eq!(snapshot.check_ins[0].mood, 5);
    assert_eq!(snapshot.quarantined.len(), 1);
    assert_eq!(snapshot.quarantined[0].kind, "check_in");
    assert_eq!(
        snapshot.quarantined[0].reason,
        waymark_core::QuarantineReason::Duplicate
    );
    // Updating the day changes that one and adds nothing.
    fresh.check_in(check_in(2, "evening")).unwrap();
    let snapshot = fresh.snapshot().unwrap();
    assert_eq!(snapshot.check_ins.len(), 1);
    assert_eq!(snapshot.check_ins[0].mood, 2);
    // A second rotation leaves the quarantined copy where it is.
    let again = fresh.rotate_data_key(PASSPHRASE, None).unwrap();
    assert_eq!(again.duplicates_kept, 0);
    assert_eq!(fresh.snapshot().unwrap().quarantined.len(), 1);
}
