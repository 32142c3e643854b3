//! Coping cards: the deck, the person's own cards, favourites, the archive and suggestions
//! that learn from what has helped.

mod common;

use common::*;
use waymark_core::recovery::cards::{CardCategory, CardInput, CardOutcome};
use waymark_core::recovery::triggers::TriggerCategory;
use waymark_core::Error;

fn my_card() -> CardInput {
    CardInput {
        title: "Text Sam".into(),
        steps: vec!["Send Sam one line about how I feel".into()],
        category: CardCategory::Connection,
        helps_with: vec![TriggerCategory::People],
    }
}

#[test]
fn the_deck_has_the_named_evidence_informed_cards() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let deck = r.cards(false).unwrap();
    assert!(deck.len() >= 20);
    for id in [
        "urge-surfing",
        "halt-check",
        "play-the-tape-forward",
        "call-someone",
        "grounding-54321",
        "box-breathing",
        "deads",
        "delay-15",
        "change-places",
        "cost-benefit",
        "gratitude-list",
    ] {
        assert!(deck.iter().any(|c| c.id == id && c.built_in), "{id}");
    }
}

#[test]
fn own_cards_favourites_and_archive() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let built_in = r.cards(false).unwrap().len();
    let card = r.add_card(my_card()).unwrap();
    assert!(!card.built_in);
    assert_eq!(r.cards(false).unwrap().len(), built_in + 1);
    let edited = r
        .edit_card(
            &card.id,
            CardInput {
                title: "Text Sam now".into(),
                ..my_card()
            },
        )
        .unwrap();
    assert_eq!(edited.title, "Text Sam now");
    assert!(matches!(
        r.edit_card("box-breathing", my_card()),
        Err(Error::InvalidInput {
            field: "card_id",
            ..
        })
    ));
    assert!(
        r.set_card_favourite("box-breathing", true)
            .unwrap()
            .favourite
    );
    assert!(r.archive_card(&card.id, true).unwrap().archived);
    assert_eq!(r.cards(false).unwrap().len(), built_in);
    assert_eq!(r.cards(true).unwrap().len(), built_in + 1);
    assert!(r
        .suggest_cards(TriggerCategory::People)
        .unwrap()
        .iter()
        .all(|s| s.card.id != card.id));
    assert!(r
        .cards(false)
        .unwrap()
        .iter()
        .any(|c| c.id == "box-breathing" && c.favourite));
    assert!(matches!(
        r.add_card(CardInput {
            steps: vec![],
            ..my_card()
        }),
        Err(Error::InvalidInput { field: "steps", .. })
    ));
}

#[test]
fn suggestions_learn_what_helps_this_person() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = recovery_at(dir.path(), utc(2026, 5, 20, 20, 0), "UTC");
    let before = r.suggest_cards(TriggerCategory::Emotions).unwrap();
    // With no history, cards meant for emotions come first, at their prior.
    assert!(before[0]
        .card
        .helps_with
        .contains(&TriggerCategory::Emotions));
    assert!((before[0].score - 0.6).abs() < 1e-9);
    assert_eq!(before[0].uses, 0);
    let gratitude_rank = |list: &[waymark_core::recovery::cards::CardSuggestion]| {
        list.iter()
            .position(|s| s.card.id == "gratitude-list")
            .unwrap()
    };
    let surfing_rank = |list: &[waymark_core::recovery::cards::CardSuggestion]| {
        list.iter()
            .position(|s| s.card.id == "urge-surfing")
            .unwrap()
    };
    let (g0, u0) = (gratitude_rank(&before), surfing_rank(&before));

    for _ in 0..5 {
        r.use_card(
            "gratitude-list",
            CardOutcome::Helped,
            Some(TriggerCategory::Emotions),
            None,
        )
        .unwrap();
        r.use_card(
            "urge-surfing",
            CardOutcome::DidNotHelp,
            Some(TriggerCategory::Emotions),
            None,
        )
        .unwrap();
    }
    let after = r.suggest_cards(TriggerCategory::Emotions).unwrap();
    assert_eq!(after[0].card.id, "gratitude-list");
    assert_eq!((after[0].uses, after[0].helped), (5, 5));
    assert!(gratitude_rank(&after) < g0.max(1));
    assert!(surfing_rank(&after) > u0);
    assert_eq!(surfing_rank(&after), after.len() - 1);
    // Another category barely moves: uses elsewhere count a quarter.
    let halt = r.suggest_cards(TriggerCategory::Halt).unwrap();
    let g = halt.iter().find(|s| s.card.id == "gratitude-list").unwrap();
    assert_eq!(g.uses, 0);
    assert!(g.score > 0.6 && g.score < 0.85);
    assert!(matches!(
        r.use_card("nope", CardOutcome::Helped, None, None),
        Err(Error::InvalidInput {
            field: "card_id",
            ..
        })
    ));
}
