//! The trigger log: urges logged as they happen, with the coping card used and how it went.

use super::validate;
use crate::error::Result;
use crate::record::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What set an urge off. The person's own tags go beside the category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TriggerCategory {
    /// Someone: an old friend, a family member, a dealer.
    People,
    /// Somewhere: a bar, a street, a casino.
    Places,
    /// Something: a smell, paraphernalia, payday.
    Things,
    /// A feeling: stress, shame, boredom, joy.
    Emotions,
    /// Hungry, angry, lonely or tired.
    Halt,
    /// A situation: a party, a conflict, being alone at night.
    Situations,
}

impl TriggerCategory {
    /// Every category, in a stable order.
    pub const ALL: [TriggerCategory; 6] = [
        TriggerCategory::People,
        TriggerCategory::Places,
        TriggerCategory::Things,
        TriggerCategory::Emotions,
        TriggerCategory::Halt,
        TriggerCategory::Situations,
    ];
}

/// How an urge ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum UrgeOutcome {
    /// The urge passed.
    Passed,
    /// Still struggling.
    StillStruggling,
    /// It ended in a lapse.
    Lapsed,
}

/// A logged trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TriggerEvent {
    /// The event's id.
    pub id: RecordId,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The zone the person was in (for "by hour of day" in local time).
    pub time_zone: String,
    /// The journey it concerns, if any.
    pub journey_id: Option<RecordId>,
    /// The category.
    pub category: TriggerCategory,
    /// The person's own tags.
    pub tags: Vec<String>,
    /// Intensity, 0 to 10.
    pub intensity: i32,
    /// What was happening.
    pub situation: Option<String>,
    /// The coping card used.
    pub card_id: Option<String>,
    /// How it ended, once known.
    pub outcome: Option<UrgeOutcome>,
    /// How long the urge lasted, in minutes.
    pub urge_minutes: Option<i32>,
}

/// What a person gives to log a trigger. `at: None` means now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TriggerInput {
    /// When (now if `None`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub at: Option<DateTime<Utc>>,
    /// The journey it concerns.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub journey_id: Option<RecordId>,
    /// The category.
    pub category: TriggerCategory,
    /// The person's own tags.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// Intensity, 0 to 10.
    pub intensity: i32,
    /// What was happening.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub situation: Option<String>,
    /// The coping card used.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub card_id: Option<String>,
    /// How it ended.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub outcome: Option<UrgeOutcome>,
    /// How long the urge lasted, in minutes.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub urge_minutes: Option<i32>,
}

impl TriggerInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::in_range("intensity", self.intensity, 0, 10)?;
        validate::tags("tags", &self.tags)?;
        validate::optional_text("situation", self.situation.as_deref(), validate::NOTE_TEXT)?;
        if let Some(minutes) = self.urge_minutes {
            validate::in_range("urge_minutes", minutes, 0, 1_440)?;
        }
        Ok(())
    }
}

/// An optional field of a trigger that a [`TriggerPatch`] can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TriggerField {
    /// The journey link.
    Journey,
    /// What was happening.
    Situation,
    /// The coping card used.
    Card,
    /// How it ended.
    Outcome,
    /// How long it lasted.
    UrgeMinutes,
    /// The tags.
    Tags,
}

/// A change to a logged trigger: fields given replace, `None` keeps, `clear` empties. The
/// zone it was logged in stays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TriggerPatch {
    /// Another time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub at: Option<DateTime<Utc>>,
    /// Another journey.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub journey_id: Option<RecordId>,
    /// Another category.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub category: Option<TriggerCategory>,
    /// New tags (replacing all of them).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Option<Vec<String>>,
    /// Another intensity.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub intensity: Option<i32>,
    /// What was happening.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub situation: Option<String>,
    /// The coping card used.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub card_id: Option<String>,
    /// How it ended.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub outcome: Option<UrgeOutcome>,
    /// How long it lasted.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub urge_minutes: Option<i32>,
    /// Optional fields to empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clear: Vec<TriggerField>,
}

impl TriggerPatch {
    /// The trigger's fields with this patch applied, ready to validate.
    pub(crate) fn apply(self, event: &TriggerEvent) -> TriggerInput {
        let cleared = |field| self.clear.contains(&field);
        TriggerInput {
            at: Some(self.at.unwrap_or(event.at)),
            journey_id: if cleared(TriggerField::Journey) {
                None
            } else {
                self.journey_id.or(event.journey_id)
            },
            category: self.category.unwrap_or(event.category),
            tags: if cleared(TriggerField::Tags) {
                Vec::new()
            } else {
                self.tags.unwrap_or_else(|| event.tags.clone())
            },
            intensity: self.intensity.unwrap_or(event.intensity),
            situation: if cleared(TriggerField::Situation) {
                None
            } else {
                self.situation.or_else(|| event.situation.clone())
            },
            card_id: if cleared(TriggerField::Card) {
                None
            } else {
                self.card_id.or_else(|| event.card_id.clone())
            },
            outcome: if cleared(TriggerField::Outcome) {
                None
            } else {
                self.outcome.or(event.outcome)
            },
            urge_minutes: if cleared(TriggerField::UrgeMinutes) {
                None
            } else {
                self.urge_minutes.or(event.urge_minutes)
            },
        }
    }
}

/// What logging a trigger returns: its id, and whether the shell should offer to record a
/// lapse (the outcome was "lapsed").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TriggerLogged {
    /// The new event's id.
    pub id: RecordId,
    /// True when the outcome was a lapse: offer `record_lapse` with this trigger linked.
    pub offer_to_record_lapse: bool,
}

/// The category logged most often among `events`, with its count; a tie goes to the
/// category logged most recently. `None` for no events. (The home screen's frequent trigger
/// and help now's likely one are both this rule.)
pub(crate) fn most_logged<'a>(
    events: impl IntoIterator<Item = &'a TriggerEvent>,
) -> Option<(TriggerCategory, i32)> {
    let mut counts: std::collections::HashMap<TriggerCategory, (i32, DateTime<Utc>)> =
        std::collections::HashMap::new();
    for t in events {
        let entry = counts.entry(t.category).or_insert((0, t.at));
        entry.0 = entry.0.saturating_add(1);
        entry.1 = entry.1.max(t.at);
    }
    counts
        .into_iter()
        .max_by_key(|(_, (n, last))| (*n, *last))
        .map(|(category, (n, _))| (category, n))
}
