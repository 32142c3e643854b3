//! What arrives from outside is checked like input: a correctly encrypted backup holding
//! values no verb would accept is merged without them (they wait in quarantine), and a value
//! that is already stored, however extreme, never makes a screen panic.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use std::sync::Arc;
use waymark_core::recovery::backup::Backup;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::journey::Journey;
use waymark_core::recovery::review::ReviewRange;
use waymark_core::recovery::Recovery;
use waymark_core::{QuarantineReason, RecordId};

const BACKUP_PASSPHRASE: &str = "a long backup passphrase";

/// Writes `value` as a body of `kind` in the JSON body version (1) that Waymark 0.1 wrote and
/// every build still reads, bypassing every verb's checks: what a hostile or buggy program
/// with the journal's key could store.
fn plant(r: &Recovery, id: RecordId, kind: &str, value: &serde_json::Value) {
    r.journal()
        .write(|w| w.put_versioned(&id, kind, 1, value.to_string().as_bytes()))
        .unwrap();
}

/// A journey whose own milestones lie beyond any calendar, and one that began in year 1.
fn plant_impossible_journeys(r: &Recovery) -> (RecordId, RecordId) {
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "Europe/Berlin"))
        .unwrap();
    let mut huge: serde_json::Value = serde_json::to_value(&j).unwrap();
    let huge_id = RecordId::random().unwrap();
    huge["id"] = serde_json::json!(huge_id.to_string());
    huge["name"] = serde_json::json!("forever");
    huge["custom_milestone_days"] = serde_json::json!([4_294_967_295u32, 1]);
    plant(r, huge_id, "journey", &huge);
    let mut ancient = huge.clone();
    let ancient_id = RecordId::random().unwrap();
    ancient["id"] = serde_json::json!(ancient_id.to_string());
    ancient["name"] = serde_json::json!("ancient");
    ancient["custom_milestone_days"] = serde_json::json!([]);
    ancient["sober_since"] = serde_json::json!("0001-01-01");
    ancient["daily_cost_cents"] = serde_json::json!(u64::MAX);
    plant(r, ancient_id, "journey", &ancient);
    (huge_id, ancient_id)
}

#[test]
fn no_stored_value_makes_a_screen_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    let (huge, ancient) = plant_impossible_journeys(&r);
    // A check-in on the last day chrono knows, a trigger at the end of time.
    plant(
        &r,
        RecordId::random().unwrap(),
        "check_in",
        &serde_json::json!({"date": "+262142-12-31", "mood": 5, "craving": 0,
            "halt": {"hungry": false, "angry": false, "lonely": false, "tired": false},
            "trigger_tags": [], "gratitude": [], "updated_at": "2026-11-25T18:00:00Z"}),
    );
    // Every screen and verb answers (with figures or an error), none panics.
    let _ = r.home();
    for range in [
        ReviewRange::Week,
        ReviewRange::Month,
        ReviewRange::Year,
        ReviewRange::AllTime,
    ] {
        let _ = r.progress(range);
        let _ = r.review_progress(range);
    }
    for id in [huge, ancient] {
        let _ = r.counter(&id);
        let _ = r.milestones(&id);
        let _ = r.milestone_history(&id);
    }
    let _ = r.check_in_streak();
    let _ = r.export();
    let _ = r.ninety_in_ninety();
    let _ = r.search("forever", 10);
}

#[test]
fn a_backup_of_impossible_values_merges_without_them_and_they_wait_in_quarantine() {
    let a = tempfile::tempdir().unwrap();
    let (source, _) = recovery_at(a.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    let (huge, ancient) = plant_impossible_journeys(&source);
    let file = a.path().join("hostile.wmbackup");
    source
        .write_backup(&file, BACKUP_PASSPHRASE, &fast_options().kdf)
        .unwrap();
    let backup = Backup::read(&file, BACKUP_PASSPHRASE).unwrap();

    let b = tempfile::tempdir().unwrap();
    let (target, _) = recovery_at(b.path(), utc(2026, 11, 25, 19, 0), "Europe/Berlin");
    let report = target.merge_backup(&backup).unwrap();
    assert_eq!(report.quarantined, 2);
    let names: Vec<String> = target
        .journeys()
        .unwrap()
        .into_iter()
        .map(|j: Journey| j.name)
        .collect();
    assert_eq!(names, ["alcohol"], "only the valid journey is applied");
    // Every screen works on the merged journal.
    target.home().unwrap();
    target.progress(ReviewRange::AllTime).unwrap();
    target.review_progress(ReviewRange::AllTime).unwrap();

    let quarantined = target.quarantined().unwrap();
    assert_eq!(quarantined.len(), 2);
    assert!(quarantined
        .iter()
        .all(|q| q.kind == "journey" && q.reason == QuarantineReason::Invalid));
    assert_eq!(target.home().unwrap().quarantined_records, 2);
    let shown = target.quarantined_content(&quarantined[0].id).unwrap();
    assert!(shown.contains("custom_milestone_days") || shown.contains("sober_since"));
    assert!(shown.contains(&huge.to_string()) || shown.contains(&ancient.to_string()));

    // Merging again adds nothing; a record not in quarantine cannot be discarded as one.
    let again = target.merge_backup(&backup).unwrap();
    assert_eq!((again.quarantined, again.added, again.updated), (0, 0, 0));
    let real = target.journeys().unwrap()[0].id;
    assert!(target.discard_quarantined(&real).is_err());
    assert!(target.quarantined_content(&real).is_err());
    assert_eq!(target.journeys().unwrap().len(), 1);
    for q in &quarantined {
        target.discard_quarantined(&q.id).unwrap();
    }
    assert!(target.quarantined().unwrap().is_empty());

    // A restore (an empty journal) quarantines them the same way.
    let c = tempfile::tempdir().unwrap();
    let restored = backup
        .restore(
            &c.path().join("restored.db"),
            PASSPHRASE,
            fast_options(),
            Arc::new(FixedClock::new(utc(2026, 11, 25, 20, 0))),
        )
        .unwrap();
    assert_eq!(restored.report.quarantined, 2);
    assert_eq!(restored.recovery.journeys().unwrap().len(), 1);
}

#[test]
fn settings_edited_here_later_are_not_replaced_by_a_backup_however_many_revisions_it_claims() {
    let a = tempfile::tempdir().unwrap();
    let (laptop, _) = recovery_at(a.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    // Many edits on the laptop (each adds a revision)...
    for hour in 0..12 {
        laptop.set_day_starts_at(hour).unwrap();
    }
    let file = a.path().join("laptop.wmbackup");
    laptop
        .write_backup(&file, BACKUP_PASSPHRASE, &fast_options().kdf)
        .unwrap();
    // ...then the phone's settings are edited after the backup was written.
    let b = tempfile::tempdir().unwrap();
    let (phone, _) = recovery_at(b.path(), utc(2026, 11, 25, 19, 0), "America/New_York");
    phone.set_day_starts_at(4).unwrap();
    let report = phone
        .merge_backup(&Backup::read(&file, BACKUP_PASSPHRASE).unwrap())
        .unwrap();
    assert_eq!(report.conflicts_kept, 1);
    let settings = phone.settings().unwrap();
    assert_eq!(
        (settings.time_zone.as_str(), settings.day_starts_at),
        ("America/New_York", 4)
    );
}

/// Writes `core/tests/fixtures/hostile-journeys.wmbackup` (backup passphrase "a backup
/// passphrase"): a correctly encrypted backup of one valid journey and the two impossible
/// ones above. Run once with `cargo test -p waymark-core --test hostile -- --ignored`; the
/// CLI's tests merge it.
#[test]
#[ignore]
fn write_the_hostile_backup_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let (source, _) = recovery_at(dir.path(), utc(2026, 11, 25, 18, 0), "Europe/Berlin");
    plant_impossible_journeys(&source);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile-journeys.wmbackup");
    source
        .write_backup(&out, "a backup passphrase", &fast_options().kdf)
        .unwrap();
}
