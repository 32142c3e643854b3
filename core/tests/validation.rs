//! Every field has limits. A violation names the field and the rule, never echoes the value,
//! and leaves everything stored exactly as it was. Also: what the domain writes shows nothing
//! on disk, and a lapse is indistinguishable from a check-in by size (S10).

mod common;

use common::*;
use waymark_core::recovery::cards::{CardCategory, CardInput};
use waymark_core::recovery::check_in::{CheckInInput, EveningReview};
use waymark_core::recovery::entries::EntryInput;
use waymark_core::recovery::journey::{JourneyInput, LapseInput, LapseKind};
use waymark_core::recovery::reflection::{
    LapseReflection, PlanItem, ReflectionBody, ReflectionInput,
};
use waymark_core::recovery::support::{ContactInput, ContactRole, MeetingInput, MeetingKind};
use waymark_core::recovery::Recovery;
use waymark_core::{Error, Result};

const SECRET: &str = "SECRET-VALUE-xyzzy";

fn long(n: usize) -> String {
    format!("{SECRET}{}", "x".repeat(n))
}

fn base_check_in() -> CheckInInput {
    CheckInInput {
        mood: 3,
        craving: 3,
        ..CheckInInput::default()
    }
}

fn base_journey() -> JourneyInput {
    journey("alcohol", date(2026, 1, 1), "UTC")
}

type Case = (&'static str, Box<dyn Fn(&Recovery) -> Result<()>>);

fn cases() -> Vec<Case> {
    fn ok<T>(r: Result<T>) -> Result<()> {
        r.map(|_| ())
    }
    vec![
        (
            "mood",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    mood: 0,
                    ..base_check_in()
                }))
            }),
        ),
        (
            "mood",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    mood: 6,
                    ..base_check_in()
                }))
            }),
        ),
        (
            "craving",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    craving: 11,
                    ..base_check_in()
                }))
            }),
        ),
        (
            "trigger_tags",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    trigger_tags: vec!["a".into(); 21],
                    ..base_check_in()
                }))
            }),
        ),
        (
            "trigger_tags",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    trigger_tags: vec![long(40)],
                    ..base_check_in()
                }))
            }),
        ),
        (
            "intention",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    intention: Some(long(240)),
                    ..base_check_in()
                }))
            }),
        ),
        (
            "gratitude",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    gratitude: vec!["sun".into(); 21],
                    ..base_check_in()
                }))
            }),
        ),
        (
            "gratitude",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    gratitude: vec!["".into()],
                    ..base_check_in()
                }))
            }),
        ),
        (
            "note",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    note: Some(long(4_000)),
                    ..base_check_in()
                }))
            }),
        ),
        (
            "evening_review.rating",
            Box::new(|r| {
                ok(r.check_in(CheckInInput {
                    evening_review: Some(EveningReview {
                        rating: 0,
                        note: None,
                    }),
                    ..base_check_in()
                }))
            }),
        ),
        (
            "evening_review.note",
            Box::new(|r| {
                ok(r.write_evening_review(
                    None,
                    EveningReview {
                        rating: 3,
                        note: Some(long(4_000)),
                    },
                ))
            }),
        ),
        (
            "name",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    name: "  ".into(),
                    ..base_journey()
                }))
            }),
        ),
        (
            "name",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    name: long(120),
                    ..base_journey()
                }))
            }),
        ),
        (
            "time_zone",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    time_zone: SECRET.into(),
                    ..base_journey()
                }))
            }),
        ),
        (
            "daily_minutes",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    daily_minutes: Some(1_441),
                    ..base_journey()
                }))
            }),
        ),
        (
            "daily_cost_cents",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    daily_cost_cents: Some(100_000_001),
                    ..base_journey()
                }))
            }),
        ),
        (
            "custom_milestone_days",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    custom_milestone_days: vec![0],
                    ..base_journey()
                }))
            }),
        ),
        (
            "custom_milestone_days",
            Box::new(|r| {
                ok(r.add_journey(JourneyInput {
                    custom_milestone_days: (1..=21).collect(),
                    ..base_journey()
                }))
            }),
        ),
        ("time_zone", Box::new(|r| ok(r.set_time_zone(SECRET)))),
        (
            "title",
            Box::new(|r| {
                ok(r.write_entry(EntryInput {
                    title: Some(long(120)),
                    body: "b".into(),
                    ..EntryInput::default()
                }))
            }),
        ),
        (
            "body",
            Box::new(|r| {
                ok(r.write_entry(EntryInput {
                    body: " \n".into(),
                    ..EntryInput::default()
                }))
            }),
        ),
        (
            "tags",
            Box::new(|r| {
                ok(r.write_entry(EntryInput {
                    body: "b".into(),
                    tags: vec!["t".into(); 21],
                    ..EntryInput::default()
                }))
            }),
        ),
        (
            "title",
            Box::new(|r| {
                ok(r.add_card(CardInput {
                    title: long(120),
                    steps: vec!["s".into()],
                    category: CardCategory::Body,
                    helps_with: vec![],
                }))
            }),
        ),
        (
            "steps",
            Box::new(|r| {
                ok(r.add_card(CardInput {
                    title: "t".into(),
                    steps: vec![long(240)],
                    category: CardCategory::Body,
                    helps_with: vec![],
                }))
            }),
        ),
        (
            "next_time",
            Box::new(|r| {
                ok(r.save_reflection(
                    None,
                    ReflectionInput {
                        lapse_id: None,
                        draft: true,
                        body: ReflectionBody::Lapse(LapseReflection {
                            next_time: vec![PlanItem {
                                text: long(120),
                                card_id: None,
                            }],
                            ..LapseReflection::default()
                        }),
                    },
                ))
            }),
        ),
        (
            "what_happened",
            Box::new(|r| {
                ok(r.save_reflection(
                    None,
                    ReflectionInput {
                        lapse_id: None,
                        draft: true,
                        body: ReflectionBody::Lapse(LapseReflection {
                            what_happened: Some(long(4_000)),
                            ..LapseReflection::default()
                        }),
                    },
                ))
            }),
        ),
        (
            "what_happened",
            Box::new(|r| {
                ok(r.save_reflection(
                    None,
                    ReflectionInput {
                        lapse_id: None,
                        draft: false,
                        body: ReflectionBody::Lapse(LapseReflection::default()),
                    },
                ))
            }),
        ),
        (
            "phone",
            Box::new(|r| {
                ok(r.add_contact(ContactInput {
                    name: "n".into(),
                    role: ContactRole::Peer,
                    phone: Some(SECRET.into()),
                    note: None,
                }))
            }),
        ),
        (
            "name",
            Box::new(|r| {
                ok(r.log_meeting(MeetingInput {
                    date: None,
                    kind: MeetingKind::Online,
                    name: Some(long(120)),
                    note: None,
                }))
            }),
        ),
        ("query", Box::new(|r| ok(r.search(&long(200), 10)))),
    ]
}

#[test]
fn every_violation_names_its_field_hides_its_value_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let j = r.add_journey(base_journey()).unwrap();
    r.check_in(base_check_in()).unwrap();
    r.write_entry(EntryInput {
        body: "kept".into(),
        ..EntryInput::default()
    })
    .unwrap();
    let before = stored_content(r.journal());
    let cases = cases();
    assert!(cases.len() >= 30);
    for (field, call) in cases {
        match call(&r) {
            Err(err @ Error::InvalidInput { .. }) => {
                let Error::InvalidInput { field: f, .. } = &err else {
                    unreachable!()
                };
                assert_eq!(*f, field);
                assert!(!err.to_string().contains(SECRET), "{err}");
            }
            other => panic!("expected invalid {field}, got {other:?}"),
        }
        assert_eq!(stored_content(r.journal()), before, "after a bad {field}");
    }
    // The lapse date rules too.
    let bad = r.record_lapse(LapseInput {
        journey_id: j.id,
        kind: LapseKind::Lapse,
        date: date(2027, 1, 1),
        time: None,
        sober_again_from: None,
        note: None,
        trigger_id: None,
    });
    assert!(matches!(
        bad,
        Err(Error::InvalidInput { field: "date", .. })
    ));
    assert_eq!(stored_content(r.journal()), before);
}

#[test]
fn domain_records_show_nothing_on_disk_and_a_lapse_looks_like_a_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "Europe/Vienna");
    let path = r.journal().path().to_path_buf();
    let j = r.add_journey(base_journey()).unwrap();
    let before: Vec<_> = raw_blobs(&path).into_iter().map(|b| b.0).collect();
    r.record_lapse(LapseInput {
        journey_id: j.id,
        kind: LapseKind::Relapse,
        date: date(2026, 5, 19),
        time: None,
        sober_again_from: None,
        note: Some("at the bar".into()),
        trigger_id: None,
    })
    .unwrap();
    let lapse_blob = raw_blobs(&path)
        .into_iter()
        .find(|b| !before.contains(&b.0))
        .unwrap();
    let before: Vec<_> = raw_blobs(&path).into_iter().map(|b| b.0).collect();
    r.check_in(CheckInInput {
        note: Some("calm day".into()),
        ..base_check_in()
    })
    .unwrap();
    let check_in_blob = raw_blobs(&path)
        .into_iter()
        .find(|b| !before.contains(&b.0))
        .unwrap();
    assert_eq!(lapse_blob.2.len(), check_in_blob.2.len());
    drop(r);
    for needle in [
        "alcohol",
        "relapse",
        "lapse",
        "check_in",
        "Europe/Vienna",
        "2026-05",
        "at the bar",
        "calm day",
        "mood",
    ] {
        assert_eq!(
            occurrences_in_dir(dir.path(), needle.as_bytes()),
            0,
            "{needle}"
        );
    }
}
