//! Coping cards: the deck, the person's own cards, favourites, the archive, uses and
//! suggestions.

use super::{load_in, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::cards::{
    self, CardInput, CardOutcome, CardState, CardSuggestion, CardUse, CopingCard, StoredCard,
};
use crate::recovery::snapshot::Snapshot;
use crate::recovery::stored::{self, Identity, StoredRecord};
use crate::recovery::triggers::{TriggerCategory, TriggerEvent};
use crate::RecordWriter;

impl Recovery {
    /// The deck: built-in cards then the person's own, with favourite and archive flags.
    /// Archived cards only when `include_archived`.
    pub fn cards(&self, include_archived: bool) -> Result<Vec<CopingCard>> {
        self.view(|s| {
            Ok(s.deck()
                .into_iter()
                .filter(|c| include_archived || !c.archived)
                .collect())
        })
    }

    /// Adds the person's own card.
    pub fn add_card(&self, input: CardInput) -> Result<CopingCard> {
        self.write(|w| insert_card(w, input))
    }

    /// Edits one of the person's own cards (built-in cards cannot be edited).
    pub fn edit_card(&self, card_id: &str, input: CardInput) -> Result<CopingCard> {
        input.validate()?;
        let id = custom_id(card_id)?;
        let mut stored = stored_card(id, input);
        let now = self.now();
        self.write(|w| {
            let before: StoredCard = load_in(w, &id, "card")?;
            stored.step_marks = before.step_marks.clone();
            stored.note_changes(&before.steps, now);
            stored::save(w, &stored)
        })?;
        self.card(card_id)
    }

    /// One card by id.
    pub fn card(&self, card_id: &str) -> Result<CopingCard> {
        self.view(|s| require_card(s, card_id))
    }

    /// Marks a card as a favourite, or not.
    pub fn set_card_favourite(&self, card_id: &str, favourite: bool) -> Result<CopingCard> {
        self.update_card_state(card_id, |s| s.favourite = favourite)
    }

    /// Archives a card (it stops being listed and suggested; its uses stay), or restores it.
    pub fn archive_card(&self, card_id: &str, archived: bool) -> Result<CopingCard> {
        self.update_card_state(card_id, |s| s.archived = archived)
    }

    fn update_card_state(
        &self,
        card_id: &str,
        change: impl FnOnce(&mut CardState),
    ) -> Result<CopingCard> {
        let mut state = self.view(|s| {
            require_card(s, card_id)?;
            Ok(s.card_states
                .iter()
                .find(|st| st.card_id == card_id)
                .cloned()
                .unwrap_or(CardState {
                    card_id: card_id.to_owned(),
                    favourite: false,
                    archived: false,
                }))
        })?;
        change(&mut state);
        self.write(|w| stored::save(w, &state))?;
        self.card(card_id)
    }

    /// Records a use of a card and how it went, optionally for a logged trigger (whose
    /// category it then counts against). A use given for a trigger replaces the use that the
    /// trigger recorded, so one urge is counted once.
    pub fn use_card(
        &self,
        card_id: &str,
        outcome: CardOutcome,
        category: Option<TriggerCategory>,
        trigger_id: Option<RecordId>,
    ) -> Result<CardUse> {
        let time_zone = self.view(|s| {
            require_card(s, card_id)?;
            Ok(s.settings.clone().unwrap_or_default().time_zone)
        })?;
        let now = self.now();
        self.write(|w| {
            let (id, category) = match trigger_id {
                Some(t) => {
                    let event: TriggerEvent = load_in(w, &t, "trigger")?;
                    let identity = Identity::Keyed {
                        namespace: CardUse::KIND,
                        key: t.as_bytes()[..].into(),
                    };
                    (stored::id_for(w, &identity)?, Some(event.category))
                }
                None => (RecordId::random()?, category),
            };
            let card_use = CardUse {
                id,
                card_id: card_id.to_owned(),
                at: now,
                category,
                trigger_id,
                outcome,
                time_zone: Some(time_zone),
            };
            stored::save(w, &card_use)?;
            Ok(card_use)
        })
    }

    /// Cards for a trigger category, ranked by what has helped this person (see
    /// [`cards::suggest`]).
    pub fn suggest_cards(&self, category: TriggerCategory) -> Result<Vec<CardSuggestion>> {
        self.view(|s| Ok(cards::suggest(&s.deck(), &s.card_uses, category)))
    }
}

/// The card named `card_id` in the snapshot's deck, or invalid input naming `card_id`.
pub(super) fn require_card(snapshot: &Snapshot, card_id: &str) -> Result<CopingCard> {
    snapshot
        .deck()
        .into_iter()
        .find(|c| c.id == card_id)
        .ok_or_else(|| Error::invalid("card_id", "must name a card in the deck"))
}

fn stored_card(id: RecordId, input: CardInput) -> StoredCard {
    StoredCard {
        id,
        title: input.title,
        steps: input.steps,
        category: input.category,
        helps_with: input.helps_with,
        step_marks: Vec::new(),
    }
}

fn custom_id(card_id: &str) -> Result<RecordId> {
    if cards::is_built_in(card_id) {
        return Err(Error::invalid("card_id", "built-in cards cannot be edited"));
    }
    card_id
        .parse()
        .map_err(|_| Error::invalid("card_id", "must name a card in the deck"))
}

/// Writes a new custom card inside a transaction (used when a plan item becomes a card).
pub(super) fn insert_card(w: &mut RecordWriter<'_>, input: CardInput) -> Result<CopingCard> {
    input.validate()?;
    let stored = stored_card(RecordId::random()?, input);
    stored::save(w, &stored)?;
    Ok(cards::custom_card(&stored))
}
