//! Reflections (drafts, both templates, plan items to cards), journal entries, and search
//! done in memory with nothing readable left on disk.

mod common;

use chrono::Duration;
use common::*;
use waymark_core::recovery::cards::CardCategory;
use waymark_core::recovery::check_in::{CheckInInput, Halt};
use waymark_core::recovery::entries::EntryInput;
use waymark_core::recovery::journey::{LapseInput, LapseKind};
use waymark_core::recovery::reflection::{
    ChainAnalysis, ChainLink, LapseReflection, PlanItem, ReflectionBody, ReflectionInput,
};
use waymark_core::recovery::search::SearchSource;
use waymark_core::recovery::triggers::{TriggerCategory, TriggerInput, UrgeOutcome};
use waymark_core::{Error, RecordId};

fn plan(text: &str) -> PlanItem {
    PlanItem {
        text: text.into(),
        card_id: None,
    }
}

#[allow(clippy::unwrap_used)] // test set-up: a failure here is a failed test
fn setup(
    dir: &std::path::Path,
) -> (
    waymark_core::recovery::Recovery,
    RecordId,
    std::sync::Arc<waymark_core::recovery::clock::FixedClock>,
) {
    let (r, clock) = recovery_at(dir, utc(2026, 5, 20, 20, 0), "UTC");
    let j = r
        .add_journey(journey("alcohol", date(2026, 1, 1), "UTC"))
        .unwrap();
    let t = r
        .log_trigger(TriggerInput {
            at: None,
            journey_id: Some(j.id),
            category: TriggerCategory::People,
            tags: vec![],
            intensity: 8,
            situation: None,
            card_id: None,
            outcome: Some(UrgeOutcome::Lapsed),
            urge_minutes: None,
        })
        .unwrap();
    let lapse = r
        .record_lapse(LapseInput {
            journey_id: j.id,
            kind: LapseKind::Lapse,
            date: date(2026, 5, 20),
            time: None,
            sober_again_from: None,
            note: None,
            trigger_id: Some(t.id),
        })
        .unwrap();
    (r, lapse.id, clock)
}

#[test]
fn a_reflection_is_drafted_then_finished() {
    let dir = tempfile::tempdir().unwrap();
    let (r, lapse, clock) = setup(dir.path());
    let draft = r
        .save_reflection(
            None,
            ReflectionInput {
                lapse_id: Some(lapse),
                draft: true,
                body: ReflectionBody::Lapse(LapseReflection {
                    what_happened: Some("Had two drinks at my cousin's party".into()),
                    ..LapseReflection::default()
                }),
            },
        )
        .unwrap();
    assert!(draft.draft);
    // Finishing without what I learned names that answer.
    let mut body = LapseReflection {
        what_happened: Some("Had two drinks at my cousin's party".into()),
        halt: Halt {
            lonely: true,
            ..Halt::default()
        },
        ..LapseReflection::default()
    };
    let err = r
        .save_reflection(
            Some(&draft.id),
            ReflectionInput {
                lapse_id: Some(lapse),
                draft: false,
                body: ReflectionBody::Lapse(body.clone()),
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "what_i_learned",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        r.reflection(&draft.id).unwrap().draft,
        "the draft is unchanged"
    );

    clock.advance(Duration::days(1));
    body.what_i_learned = Some("Parties with an open bar are not safe for me yet".into());
    body.next_time = vec![plan("Bring my own drinks and leave by ten")];
    body.kind_word = Some("One evening doesn't cancel five months".into());
    let done = r
        .save_reflection(
            Some(&draft.id),
            ReflectionInput {
                lapse_id: Some(lapse),
                draft: false,
                body: ReflectionBody::Lapse(body),
            },
        )
        .unwrap();
    assert!(!done.draft);
    assert_eq!(done.created_at, draft.created_at);
    assert!(done.updated_at > draft.updated_at);
    assert_eq!(r.reflections(Some(&lapse)).unwrap(), vec![done]);
}

#[test]
fn a_chain_analysis_needs_its_links_to_finish() {
    let dir = tempfile::tempdir().unwrap();
    let (r, lapse, _) = setup(dir.path());
    let mut chain = ChainAnalysis {
        vulnerability_factors: Some("Slept four hours".into()),
        prompting_event: Some("My ex called".into()),
        behaviour: Some("Drank".into()),
        ..ChainAnalysis::default()
    };
    let err = r
        .save_reflection(
            None,
            ReflectionInput {
                lapse_id: Some(lapse),
                draft: false,
                body: ReflectionBody::ChainAnalysis(chain.clone()),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field: "links", .. }));
    chain.links = vec![ChainLink {
        link: "Thought: I can't bear this".into(),
        skill: Some("STOP".into()),
    }];
    chain.repair = Some("Tell my sponsor".into());
    let saved = r
        .save_reflection(
            None,
            ReflectionInput {
                lapse_id: Some(lapse),
                draft: false,
                body: ReflectionBody::ChainAnalysis(chain),
            },
        )
        .unwrap();
    assert!(matches!(saved.body, ReflectionBody::ChainAnalysis(_)));
    let err = r
        .save_reflection(
            None,
            ReflectionInput {
                lapse_id: Some(RecordId::from_bytes([7; 16])),
                draft: true,
                body: ReflectionBody::Lapse(LapseReflection::default()),
            },
        )
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "lapse_id",
            ..
        }
    ));
}

#[test]
fn a_plan_item_becomes_a_coping_card_in_one_call_once() {
    let dir = tempfile::tempdir().unwrap();
    let (r, lapse, _) = setup(dir.path());
    let reflection = r
        .save_reflection(
            None,
            ReflectionInput {
                lapse_id: Some(lapse),
                draft: true,
                body: ReflectionBody::Lapse(LapseReflection {
                    next_time: vec![
                        plan("Leave when the shots come out"),
                        plan("Text Sam first"),
                    ],
                    ..LapseReflection::default()
                }),
            },
        )
        .unwrap();
    let card = r.plan_item_to_card(&reflection.id, 1).unwrap();
    assert_eq!(card.title, "Text Sam first");
    assert_eq!(card.category, CardCategory::MyPlan);
    // The lapse's trigger was about people: the card is meant for that.
    assert_eq!(card.helps_with, vec![TriggerCategory::People]);
    let again = r.plan_item_to_card(&reflection.id, 1).unwrap();
    assert_eq!(again.id, card.id);
    let cards = r.cards(false).unwrap();
    assert_eq!(
        cards.iter().filter(|c| c.title == "Text Sam first").count(),
        1
    );
    let stored = r.reflection(&reflection.id).unwrap();
    assert_eq!(
        stored.body.next_time()[1].card_id.as_deref(),
        Some(card.id.as_str())
    );
    assert!(matches!(
        r.plan_item_to_card(&reflection.id, 5),
        Err(Error::InvalidInput { field: "index", .. })
    ));
    // Undoing the lapse keeps the reflection, unlinked.
    r.undo_lapse(&lapse).unwrap();
    assert_eq!(r.reflection(&reflection.id).unwrap().lapse_id, None);
}

fn entry(body: &str, d: chrono::NaiveDate) -> EntryInput {
    EntryInput {
        date: Some(d),
        title: Some("Evening".into()),
        body: body.into(),
        mood: Some(4),
        tags: vec!["family".into()],
        journey_id: None,
    }
}

#[test]
fn journal_entries_write_edit_list_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _, _) = setup(dir.path());
    let a = r
        .write_entry(entry("Long walk by the river.", date(2026, 5, 1)))
        .unwrap();
    let b = r
        .write_entry(entry("Dinner with Mum, no wine.", date(2026, 5, 10)))
        .unwrap();
    let c = r
        .write_entry(EntryInput {
            date: None,
            ..entry("Quiet day.", date(2026, 1, 1))
        })
        .unwrap();
    assert_eq!(c.date, date(2026, 5, 20));
    let may_first_half = r.entries(date(2026, 5, 1), date(2026, 5, 15)).unwrap();
    assert_eq!(
        may_first_half.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![a.id, b.id]
    );
    let edited = r
        .edit_entry(
            &a.id,
            entry("Long walk by the river with Jo.", date(2026, 5, 2)),
        )
        .unwrap();
    assert_eq!(edited.created_at, a.created_at);
    assert_eq!(r.entry(&a.id).unwrap().date, date(2026, 5, 2));
    r.delete_entry(&b.id).unwrap();
    assert!(matches!(r.entry(&b.id), Err(Error::NotFound { .. })));
    assert!(matches!(
        r.delete_entry(&b.id),
        Err(Error::NotFound {
            what: "journal entry",
            ..
        })
    ));

    // 64 KiB is the limit, in bytes.
    let max = "é".repeat(32 * 1024);
    r.write_entry(entry(&max, date(2026, 5, 3))).unwrap();
    let too_big = format!("{max}a");
    assert!(matches!(
        r.write_entry(entry(&too_big, date(2026, 5, 3))),
        Err(Error::InvalidInput { field: "body", .. })
    ));
    assert!(matches!(
        r.write_entry(EntryInput {
            mood: Some(6),
            ..entry("x", date(2026, 5, 3))
        }),
        Err(Error::InvalidInput { field: "mood", .. })
    ));
    assert!(matches!(
        r.write_entry(entry("x", date(2026, 5, 21))),
        Err(Error::InvalidInput { field: "date", .. })
    ));
}

#[test]
fn search_finds_entries_and_notes_ignoring_case_and_leaves_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let (r, lapse, _) = setup(dir.path());
    r.write_entry(entry(
        "Saw the Zanzibar poster again and felt the PULL.",
        date(2026, 5, 2),
    ))
    .unwrap();
    r.check_in(CheckInInput {
        mood: 3,
        craving: 4,
        note: Some("zanzibar memories all afternoon".into()),
        ..CheckInInput::default()
    })
    .unwrap();
    r.save_reflection(
        None,
        ReflectionInput {
            lapse_id: Some(lapse),
            draft: true,
            body: ReflectionBody::Lapse(LapseReflection {
                trigger: Some("The Zanzibar bar sign".into()),
                ..LapseReflection::default()
            }),
        },
    )
    .unwrap();
    r.write_entry(entry("Nothing to see here.", date(2026, 5, 3)))
        .unwrap();

    let hits = r.search("zanzibar", 10).unwrap();
    let sources: Vec<_> = hits.iter().map(|h| h.source).collect();
    assert_eq!(hits.len(), 3);
    assert!(sources.contains(&SearchSource::Entry));
    assert!(sources.contains(&SearchSource::CheckIn));
    assert!(sources.contains(&SearchSource::Reflection));
    assert!(
        hits.windows(2).all(|w| w[0].date >= w[1].date),
        "newest first"
    );
    // Every word must match.
    let hits = r.search("ZANZIBAR pull", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.contains("Zanzibar"));
    assert!(r.search("zanzibar", 1).unwrap().len() == 1);
    assert!(matches!(
        r.search("   ", 10),
        Err(Error::InvalidInput { field: "query", .. })
    ));

    // No plaintext (and so no index) on disk.
    drop(r);
    for needle in ["Zanzibar", "zanzibar", "ZANZIBAR", "memories"] {
        assert_eq!(
            occurrences_in_dir(dir.path(), needle.as_bytes()),
            0,
            "{needle}"
        );
    }
}

#[test]
fn an_entry_written_just_after_midnight_stays_editable_after_flying_west() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(
        dir.path(),
        local("Europe/Berlin", 2026, 9, 5, 0, 30),
        "Europe/Berlin",
    );
    let written = r
        .write_entry(EntryInput {
            title: Some("just landed".into()),
            body: "v1".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(written.date, date(2026, 9, 5));
    // In New York it is still the 4th.
    r.set_time_zone("America/New_York").unwrap();
    for given in [None, Some(date(2026, 9, 5))] {
        let edited = r
            .edit_entry(
                &written.id,
                EntryInput {
                    date: given,
                    body: format!("v2 {given:?}"),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(edited.date, date(2026, 9, 5));
        assert_eq!(r.entry(&written.id).unwrap().body, format!("v2 {given:?}"));
    }
    // Moving it to a day after today is still refused.
    let moved = r.edit_entry(
        &written.id,
        EntryInput {
            date: Some(date(2026, 9, 6)),
            body: "v3".into(),
            ..Default::default()
        },
    );
    assert!(
        matches!(moved, Err(Error::InvalidInput { .. })),
        "{moved:?}"
    );
}
