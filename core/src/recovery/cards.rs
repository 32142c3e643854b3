//! Coping cards: the built-in deck, the person's own cards, and the ranking that suggests
//! what to try for a trigger.
//!
//! Built-in cards live in code with stable ids (`"urge-surfing"`); renaming a title never
//! changes an id, and an id is never reused for a different card. The person's own cards are
//! records whose id is the record id in hex. Favourites and the archive apply to both.
//!
//! [`suggest`] ranks cards for a trigger category by what has actually helped this person. Each
//! card starts from a Beta prior worth two uses: a mean of 0.6 when the card is meant for that
//! category, 0.4 otherwise. Every recorded use in the same category adds its score (helped 1,
//! helped somewhat 0.5, did not help 0) to the successes and 1 to the trials; uses in other
//! categories count a quarter as much. The posterior mean orders the deck, so a card that kept
//! working rises, one that never helped sinks, and an untried card sits at its prior.

use super::triggers::{TriggerCategory, UrgeOutcome};
use super::validate;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What kind of skill a card teaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CardCategory {
    /// Noticing the urge without acting on it.
    Mindfulness,
    /// Calming the body.
    Body,
    /// Reaching out to people.
    Connection,
    /// Thinking it through.
    Thinking,
    /// Changing what is around you.
    Environment,
    /// Looking after yourself.
    SelfCare,
    /// A plan the person wrote (usually from a reflection).
    MyPlan,
}

/// A coping card: a short, concrete thing to do when an urge hits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CopingCard {
    /// Stable id: a built-in slug such as "urge-surfing", or a record id for the person's own.
    pub id: String,
    /// The title on the card.
    pub title: String,
    /// Short steps, in order.
    pub steps: Vec<String>,
    /// What kind of skill it is.
    pub category: CardCategory,
    /// The trigger categories it is meant for.
    pub helps_with: Vec<TriggerCategory>,
    /// True for the built-in deck.
    pub built_in: bool,
    /// Marked as a favourite.
    pub favourite: bool,
    /// Archived cards are kept (with their history) but not suggested or listed by default.
    pub archived: bool,
}

/// What a person gives to make their own card.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CardInput {
    /// Title, 1-120 characters.
    pub title: String,
    /// 1-20 steps, each 1-240 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub steps: Vec<String>,
    /// What kind of skill.
    pub category: CardCategory,
    /// Trigger categories it is for (empty means all).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub helps_with: Vec<TriggerCategory>,
}

impl CardInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::required_text("title", &self.title, validate::SHORT_TEXT)?;
        if self.steps.is_empty() {
            return Err(Error::invalid("steps", "must have at least one step"));
        }
        validate::text_list("steps", &self.steps, validate::SHORT_TEXT * 2)
    }
}

/// A custom card as stored (favourite and archive live in [`CardState`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredCard {
    pub id: RecordId,
    pub title: String,
    pub steps: Vec<String>,
    pub category: CardCategory,
    pub helps_with: Vec<TriggerCategory>,
    /// When each step was last added and removed on any device (see `recovery::items`).
    #[serde(default)]
    pub step_marks: Vec<crate::recovery::items::ItemMark>,
}

impl StoredCard {
    /// The name of a step for merging.
    fn step_key(step: &String) -> String {
        crate::recovery::items::item_key(&[step.as_bytes()])
    }

    /// Notes in the marks what an edit changed, from the steps as they were, at `now`.
    pub(crate) fn note_changes(&mut self, before: &[String], now: chrono::DateTime<chrono::Utc>) {
        let keys = |steps: &[String]| steps.iter().map(Self::step_key).collect::<Vec<_>>();
        crate::recovery::items::note_changes(
            &mut self.step_marks,
            &keys(before),
            &keys(&self.steps),
            now.timestamp_millis(),
        );
    }

    /// Two concurrent versions merged: the later title and category, the steps item by item
    /// (see `recovery::items`).
    pub(crate) fn merge_steps(winner: StoredCard, loser: &StoredCard) -> StoredCard {
        let marks = crate::recovery::items::merge_marks(&winner.step_marks, &loser.step_marks);
        let steps = crate::recovery::items::merge_list(
            &winner.steps,
            &loser.steps,
            Self::step_key,
            &marks,
            crate::recovery::validate::MAX_LIST,
        );
        StoredCard {
            steps,
            step_marks: marks,
            ..winner
        }
    }
}

/// Favourite and archive flags of one card, built-in or custom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CardState {
    pub card_id: String,
    pub favourite: bool,
    pub archived: bool,
}

/// How much a card helped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CardOutcome {
    /// The urge passed.
    Helped,
    /// It took the edge off.
    HelpedSomewhat,
    /// It did not help this time.
    DidNotHelp,
}

impl CardOutcome {
    /// The score a use adds to a card's successes.
    pub fn score(self) -> f64 {
        match self {
            CardOutcome::Helped => 1.0,
            CardOutcome::HelpedSomewhat => 0.5,
            CardOutcome::DidNotHelp => 0.0,
        }
    }

    /// What a trigger's outcome says about the card used: the urge passed means it helped,
    /// still struggling means it helped somewhat at best, a lapse means it did not help.
    pub fn from_urge(outcome: UrgeOutcome) -> Self {
        match outcome {
            UrgeOutcome::Passed => CardOutcome::Helped,
            UrgeOutcome::StillStruggling => CardOutcome::HelpedSomewhat,
            UrgeOutcome::Lapsed => CardOutcome::DidNotHelp,
        }
    }
}

/// One use of a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CardUse {
    /// The use's id.
    pub id: RecordId,
    /// The card used.
    pub card_id: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The trigger category it was used against, if known.
    pub category: Option<TriggerCategory>,
    /// The trigger event it was used for, if logged.
    pub trigger_id: Option<RecordId>,
    /// How it went.
    pub outcome: CardOutcome,
    /// The IANA zone the person was in (for its recovery day). `None` on uses recorded
    /// before Waymark kept it: the person's current zone is used.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// A ranked suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CardSuggestion {
    /// The card.
    pub card: CopingCard,
    /// The posterior mean chance it helps (0-1); higher ranks first.
    pub score: f64,
    /// Uses recorded against this category.
    pub uses: i32,
    /// Of those, how many helped (fully).
    pub helped: i32,
}

/// How one card has worked overall (for the progress review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CardStats {
    /// The card's id.
    pub card_id: String,
    /// Its title.
    pub title: String,
    /// Times used.
    pub uses: i32,
    /// Times it fully helped.
    pub helped: i32,
    /// Times it helped somewhat.
    pub helped_somewhat: i32,
    /// Mean score over its uses (0-1).
    pub help_rate: f64,
}

struct Builtin {
    id: &'static str,
    title: &'static str,
    steps: &'static [&'static str],
    category: CardCategory,
    helps_with: &'static [TriggerCategory],
}

use CardCategory as C;
use TriggerCategory as T;

const ALL_TRIGGERS: &[TriggerCategory] = &TriggerCategory::ALL;

const DECK: &[Builtin] = &[
    Builtin {
        id: "urge-surfing",
        title: "Urge surfing",
        steps: &[
            "Notice where the urge sits in your body.",
            "Breathe and watch it rise like a wave: name its strength from 0 to 10.",
            "Keep watching as it peaks and falls; urges pass, usually within 20-30 minutes.",
        ],
        category: C::Mindfulness,
        helps_with: &[T::Emotions, T::Things, T::Situations],
    },
    Builtin {
        id: "halt-check",
        title: "HALT check",
        steps: &[
            "Ask: am I hungry, angry, lonely or tired?",
            "Meet the need you find: eat, vent safely, reach out, or rest.",
            "Check the urge again afterwards.",
        ],
        category: C::SelfCare,
        helps_with: &[T::Halt, T::Emotions],
    },
    Builtin {
        id: "play-the-tape-forward",
        title: "Play the tape forward",
        steps: &[
            "Picture using, then keep the film running: tonight, tomorrow morning, next week.",
            "Notice how the story ends, not just how it starts.",
            "Picture the version where you do not use, and how that one ends.",
        ],
        category: C::Thinking,
        helps_with: &[T::People, T::Places, T::Things, T::Situations, T::Emotions],
    },
    Builtin {
        id: "call-someone",
        title: "Call someone on my list",
        steps: &[
            "Open your support list and pick the first person you can reach.",
            "Say it plainly: \"I'm having an urge and I don't want to act on it.\"",
            "Stay on until the urge has eased.",
        ],
        category: C::Connection,
        helps_with: ALL_TRIGGERS,
    },
    Builtin {
        id: "grounding-54321",
        title: "5-4-3-2-1 grounding",
        steps: &[
            "Name 5 things you can see.",
            "4 things you can touch, 3 you can hear.",
            "2 you can smell, 1 you can taste.",
        ],
        category: C::Mindfulness,
        helps_with: &[T::Emotions, T::Places, T::Situations],
    },
    Builtin {
        id: "box-breathing",
        title: "Box breathing",
        steps: &[
            "Breathe in for 4 counts.",
            "Hold for 4, breathe out for 4, hold for 4.",
            "Repeat for at least 4 rounds.",
        ],
        category: C::Body,
        helps_with: &[T::Emotions, T::Halt, T::Situations],
    },
    Builtin {
        id: "deads",
        title: "DEADS",
        steps: &[
            "Delay: the urge will pass whether or not you act.",
            "Escape or Avoid: leave or steer clear of the trigger.",
            "Distract: do something absorbing.",
            "Substitute: do something healthy in its place.",
        ],
        category: C::Thinking,
        helps_with: ALL_TRIGGERS,
    },
    Builtin {
        id: "delay-15",
        title: "Delay 15 minutes",
        steps: &[
            "Set a 15-minute timer; promise only to wait, not to never.",
            "Do something else until it rings.",
            "When it rings, check the urge: set another 15 if you need to.",
        ],
        category: C::Thinking,
        helps_with: ALL_TRIGGERS,
    },
    Builtin {
        id: "change-places",
        title: "Change places",
        steps: &[
            "Get up and leave the room, the shop or the street you are in.",
            "Go somewhere you have not used: outside, a friend's, a café.",
            "Stay away until the urge has eased.",
        ],
        category: C::Environment,
        helps_with: &[T::Places, T::Situations, T::People, T::Things],
    },
    Builtin {
        id: "cost-benefit",
        title: "Cost-benefit reminder",
        steps: &[
            "Read your list of what using costs you and what quitting gives you.",
            "Add one line from today if you can.",
            "Ask which list you want tomorrow to be on.",
        ],
        category: C::Thinking,
        helps_with: &[T::Things, T::People, T::Situations, T::Emotions],
    },
    Builtin {
        id: "gratitude-list",
        title: "Gratitude list",
        steps: &[
            "Write down three things you are grateful for right now.",
            "Make one of them something recovery has given you.",
        ],
        category: C::Mindfulness,
        helps_with: &[T::Emotions, T::Halt],
    },
    Builtin {
        id: "tipp-cold-water",
        title: "TIPP: cold water",
        steps: &[
            "Splash cold water on your face or hold a cold pack to your eyes for 30 seconds.",
            "Then do a minute of fast exercise, then slow breathing.",
            "Strong feelings drop fast when the body calms.",
        ],
        category: C::Body,
        helps_with: &[T::Emotions, T::Halt],
    },
    Builtin {
        id: "opposite-action",
        title: "Opposite action",
        steps: &[
            "Name the feeling and what it urges you to do.",
            "Ask whether acting on it would help; if not, do the opposite, all the way.",
        ],
        category: C::Thinking,
        helps_with: &[T::Emotions, T::People],
    },
    Builtin {
        id: "stop-skill",
        title: "STOP",
        steps: &[
            "Stop: freeze for a moment.",
            "Take a step back and breathe.",
            "Observe what is going on inside and around you.",
            "Proceed mindfully, with your goals in mind.",
        ],
        category: C::Mindfulness,
        helps_with: ALL_TRIGGERS,
    },
    Builtin {
        id: "self-compassion-break",
        title: "Self-compassion break",
        steps: &[
            "Say: \"This is a moment of suffering.\"",
            "Say: \"Struggling is part of being human; I'm not alone in this.\"",
            "Put a hand on your chest and say: \"May I be kind to myself.\"",
        ],
        category: C::SelfCare,
        helps_with: &[T::Emotions, T::People],
    },
    Builtin {
        id: "move-your-body",
        title: "Move your body",
        steps: &[
            "Walk, run, dance or stretch for ten minutes.",
            "Notice the urge's strength before and after.",
        ],
        category: C::Body,
        helps_with: &[T::Emotions, T::Situations, T::Halt],
    },
    Builtin {
        id: "eat-and-drink",
        title: "Eat something, drink water",
        steps: &[
            "Have a glass of water and a snack with some protein.",
            "Hunger and thirst can feel like cravings.",
        ],
        category: C::SelfCare,
        helps_with: &[T::Halt],
    },
    Builtin {
        id: "rest",
        title: "Rest",
        steps: &[
            "If you are tired, lie down for 20 minutes or go to bed early.",
            "Decisions made exhausted are rarely ones we'd choose.",
        ],
        category: C::SelfCare,
        helps_with: &[T::Halt, T::Emotions],
    },
    Builtin {
        id: "go-to-a-meeting",
        title: "Go to a meeting",
        steps: &[
            "Find the next meeting, in person or online.",
            "Go, even late; you don't have to speak.",
        ],
        category: C::Connection,
        helps_with: &[T::Emotions, T::People, T::Halt, T::Situations],
    },
    Builtin {
        id: "abc-of-the-urge",
        title: "ABC of the urge",
        steps: &[
            "A: what activated the urge?",
            "B: what am I telling myself about it?",
            "C: what will that belief lead to? Dispute it and write a kinder, truer one.",
        ],
        category: C::Thinking,
        helps_with: &[T::Emotions, T::People, T::Situations],
    },
    Builtin {
        id: "reasons-list",
        title: "Read my reasons",
        steps: &[
            "Read the reasons you started this journey.",
            "Look at a photo or message that reminds you who it is for.",
        ],
        category: C::Thinking,
        helps_with: ALL_TRIGGERS,
    },
    Builtin {
        id: "write-it-down",
        title: "Write the urge down",
        steps: &[
            "Write what you are feeling and what the urge says, without judging it.",
            "Read it back as if a friend had written it. What would you tell them?",
        ],
        category: C::Mindfulness,
        helps_with: &[T::Emotions, T::Halt],
    },
    Builtin {
        id: "muscle-relaxation",
        title: "Progressive muscle relaxation",
        steps: &[
            "Tense your feet for 5 seconds, then let go for 10.",
            "Work upwards: calves, thighs, belly, hands, arms, shoulders, face.",
        ],
        category: C::Body,
        helps_with: &[T::Emotions, T::Halt],
    },
    Builtin {
        id: "leave-the-situation",
        title: "Leave the situation",
        steps: &[
            "Have your exit line ready: \"I need to head off.\"",
            "Go, and tell someone on your list you did.",
        ],
        category: C::Environment,
        helps_with: &[T::People, T::Places, T::Situations],
    },
    Builtin {
        id: "remove-the-cue",
        title: "Remove the cue",
        steps: &[
            "Get rid of or put away what set the urge off: the bottle, the app, the cash card.",
            "Ask someone to hold it for you if you can't yet.",
        ],
        category: C::Environment,
        helps_with: &[T::Things],
    },
];

/// The built-in deck, in a stable order.
pub fn built_in_deck() -> Vec<CopingCard> {
    DECK.iter()
        .map(|b| CopingCard {
            id: b.id.to_owned(),
            title: b.title.to_owned(),
            steps: b.steps.iter().map(|s| (*s).to_owned()).collect(),
            category: b.category,
            helps_with: b.helps_with.to_vec(),
            built_in: true,
            favourite: false,
            archived: false,
        })
        .collect()
}

/// True when `id` names a built-in card.
pub fn is_built_in(id: &str) -> bool {
    DECK.iter().any(|b| b.id == id)
}

/// A custom card from its stored form.
pub(crate) fn custom_card(stored: &StoredCard) -> CopingCard {
    CopingCard {
        id: stored.id.to_string(),
        title: stored.title.clone(),
        steps: stored.steps.clone(),
        category: stored.category,
        helps_with: stored.helps_with.clone(),
        built_in: false,
        favourite: false,
        archived: false,
    }
}

/// The whole deck: built-in then custom, with favourite and archive flags applied.
pub(crate) fn deck(custom: Vec<CopingCard>, states: &[CardState]) -> Vec<CopingCard> {
    let by_id: HashMap<&str, &CardState> = states.iter().map(|s| (s.card_id.as_str(), s)).collect();
    let mut cards = built_in_deck();
    cards.extend(custom);
    for card in &mut cards {
        if let Some(state) = by_id.get(card.id.as_str()) {
            card.favourite = state.favourite;
            card.archived = state.archived;
        }
    }
    cards
}

fn prior(card: &CopingCard, category: TriggerCategory) -> (f64, f64) {
    let meant = card.helps_with.is_empty() || card.helps_with.contains(&category);
    if meant {
        (1.2, 0.8)
    } else {
        (0.8, 1.2)
    }
}

/// Ranks the non-archived cards of `deck` for `category` by what has helped (see the module
/// docs). Ties go to favourites, then to the card tried less (so untried cards get a turn),
/// then to deck order.
///
/// ```
/// use chrono::Utc;
/// use waymark_core::RecordId;
/// use waymark_core::recovery::cards::{built_in_deck, suggest, CardOutcome, CardUse};
/// use waymark_core::recovery::triggers::TriggerCategory;
///
/// let helped = |n: u8| CardUse {
///     id: RecordId::from_bytes([n; 16]),
///     card_id: "gratitude-list".into(),
///     at: Utc::now(),
///     category: Some(TriggerCategory::Halt),
///     trigger_id: None,
///     outcome: CardOutcome::Helped,
///     time_zone: None,
/// };
/// let ranked = suggest(&built_in_deck(), &[helped(1), helped(2), helped(3)], TriggerCategory::Halt);
/// assert_eq!(ranked[0].card.id, "gratitude-list");
/// assert!((ranked[0].score - (1.2 + 3.0) / (2.0 + 3.0)).abs() < 1e-9);
/// ```
pub fn suggest(
    deck: &[CopingCard],
    uses: &[CardUse],
    category: TriggerCategory,
) -> Vec<CardSuggestion> {
    struct Tally {
        successes: f64,
        trials: f64,
        uses: i32,
        helped: i32,
    }
    let mut tallies: HashMap<&str, Tally> = HashMap::new();
    for u in uses {
        let weight = if u.category == Some(category) {
            1.0
        } else {
            0.25
        };
        let t = tallies.entry(u.card_id.as_str()).or_insert(Tally {
            successes: 0.0,
            trials: 0.0,
            uses: 0,
            helped: 0,
        });
        t.successes += weight * u.outcome.score();
        t.trials += weight;
        if u.category == Some(category) {
            t.uses += 1;
            t.helped += i32::from(u.outcome == CardOutcome::Helped);
        }
    }
    let mut ranked: Vec<(usize, CardSuggestion)> = deck
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.archived)
        .map(|(order, card)| {
            let (alpha, beta) = prior(card, category);
            let t = tallies.get(card.id.as_str());
            let (s, n) = t.map_or((0.0, 0.0), |t| (t.successes, t.trials));
            let suggestion = CardSuggestion {
                card: card.clone(),
                score: (alpha + s) / (alpha + beta + n),
                uses: t.map_or(0, |t| t.uses),
                helped: t.map_or(0, |t| t.helped),
            };
            (order, suggestion)
        })
        .collect();
    ranked.sort_by(|(oa, a), (ob, b)| {
        b.score
            .total_cmp(&a.score)
            .then(b.card.favourite.cmp(&a.card.favourite))
            .then(a.uses.cmp(&b.uses))
            .then(oa.cmp(ob))
    });
    ranked.into_iter().map(|(_, s)| s).collect()
}

/// Per-card statistics over `uses`, most helpful first (by mean score, then by uses); cards
/// never used are left out.
pub fn stats(deck: &[CopingCard], uses: &[CardUse]) -> Vec<CardStats> {
    let titles: HashMap<&str, &str> = deck
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    let mut by_card: HashMap<&str, CardStats> = HashMap::new();
    for u in uses {
        let entry = by_card
            .entry(u.card_id.as_str())
            .or_insert_with(|| CardStats {
                card_id: u.card_id.clone(),
                title: titles
                    .get(u.card_id.as_str())
                    .map_or_else(String::new, |t| (*t).to_owned()),
                uses: 0,
                helped: 0,
                helped_somewhat: 0,
                help_rate: 0.0,
            });
        entry.uses += 1;
        entry.helped += i32::from(u.outcome == CardOutcome::Helped);
        entry.helped_somewhat += i32::from(u.outcome == CardOutcome::HelpedSomewhat);
        entry.help_rate += u.outcome.score();
    }
    let mut out: Vec<CardStats> = by_card
        .into_values()
        .map(|mut s| {
            s.help_rate /= f64::from(s.uses.max(1));
            s
        })
        .collect();
    out.sort_by(|a, b| {
        b.help_rate
            .total_cmp(&a.help_rate)
            .then(b.uses.cmp(&a.uses))
            .then(a.card_id.cmp(&b.card_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn built_in_deck_has_at_least_twenty_unique_cards() {
        let deck = built_in_deck();
        assert!(deck.len() >= 20);
        let ids: HashSet<_> = deck.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), deck.len());
        for card in &deck {
            assert!(
                !card.steps.is_empty() && !card.helps_with.is_empty(),
                "{}",
                card.id
            );
            assert!(card.title.chars().count() <= validate::SHORT_TEXT);
        }
    }
}
