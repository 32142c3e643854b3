//! Relapse-as-learning reflections: guided writing that turns a lapse into something learned.
//!
//! Two templates: a [`LapseReflection`] (what happened; where, when and with whom; HALT; the
//! trigger; thoughts and feelings before; what I tried; what I learned; next time; a kind word)
//! and a DBT-style [`ChainAnalysis`] (vulnerability factors, prompting event, the links with a
//! skill that could replace each, the behaviour, consequences, repair). Every answer is
//! optional while the reflection is a draft; finishing it checks the answers that make it
//! useful. Each "next time" plan item can become a coping card; the item remembers its card so
//! doing it twice makes one card.

use super::check_in::Halt;
use super::validate::{self, NOTE_TEXT, SHORT_TEXT};
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One "next time" plan item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlanItem {
    /// What I will do next time (1-120 characters, so it fits a card title).
    pub text: String,
    /// The coping card made from it, once made.
    pub card_id: Option<String>,
}

/// The lapse-reflection template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LapseReflection {
    /// What happened.
    pub what_happened: Option<String>,
    /// Where, when and with whom.
    pub where_when_who: Option<String>,
    /// How I was: hungry, angry, lonely, tired.
    pub halt: Halt,
    /// The trigger, in my words.
    pub trigger: Option<String>,
    /// Thoughts and feelings before.
    pub thoughts_and_feelings: Option<String>,
    /// What I tried.
    pub what_i_tried: Option<String>,
    /// What I learned.
    pub what_i_learned: Option<String>,
    /// What I will do next time.
    pub next_time: Vec<PlanItem>,
    /// A kind word to myself.
    pub kind_word: Option<String>,
}

/// One link in a chain analysis and the skill that could replace it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChainLink {
    /// A thought, feeling, sensation or action on the way to the behaviour.
    pub link: String,
    /// A skill that could replace this link next time.
    pub skill: Option<String>,
}

/// The DBT-style chain-analysis template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChainAnalysis {
    /// What made me vulnerable (sleep, stress, illness, HALT...).
    pub vulnerability_factors: Option<String>,
    /// The prompting event.
    pub prompting_event: Option<String>,
    /// The links between the prompting event and the behaviour, in order.
    pub links: Vec<ChainLink>,
    /// The behaviour itself.
    pub behaviour: Option<String>,
    /// What followed, short and long term.
    pub consequences: Option<String>,
    /// Repair: what I will do to make amends or put things right.
    pub repair: Option<String>,
    /// What I will do next time.
    pub next_time: Vec<PlanItem>,
}

/// The template a reflection follows, with its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "template")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReflectionBody {
    /// A lapse reflection.
    Lapse(LapseReflection),
    /// A chain analysis.
    ChainAnalysis(ChainAnalysis),
}

impl ReflectionBody {
    /// The plan items, whichever the template.
    pub fn next_time(&self) -> &[PlanItem] {
        match self {
            ReflectionBody::Lapse(r) => &r.next_time,
            ReflectionBody::ChainAnalysis(c) => &c.next_time,
        }
    }

    pub(crate) fn next_time_mut(&mut self) -> &mut Vec<PlanItem> {
        match self {
            ReflectionBody::Lapse(r) => &mut r.next_time,
            ReflectionBody::ChainAnalysis(c) => &mut c.next_time,
        }
    }

    /// Continues this reflection with `given`: every answer given replaces the one here,
    /// answers not given stay, and plan items and chain links are added after the ones
    /// already written. Both must use the same template.
    pub fn overlay(&mut self, given: ReflectionBody) -> Result<()> {
        fn set(slot: &mut Option<String>, value: Option<String>) {
            if value.is_some() {
                *slot = value;
            }
        }
        match (self, given) {
            (ReflectionBody::Lapse(mine), ReflectionBody::Lapse(g)) => {
                set(&mut mine.what_happened, g.what_happened);
                set(&mut mine.where_when_who, g.where_when_who);
                set(&mut mine.trigger, g.trigger);
                set(&mut mine.thoughts_and_feelings, g.thoughts_and_feelings);
                set(&mut mine.what_i_tried, g.what_i_tried);
                set(&mut mine.what_i_learned, g.what_i_learned);
                set(&mut mine.kind_word, g.kind_word);
                mine.halt.hungry |= g.halt.hungry;
                mine.halt.angry |= g.halt.angry;
                mine.halt.lonely |= g.halt.lonely;
                mine.halt.tired |= g.halt.tired;
                mine.next_time.extend(g.next_time);
                Ok(())
            }
            (ReflectionBody::ChainAnalysis(mine), ReflectionBody::ChainAnalysis(g)) => {
                set(&mut mine.vulnerability_factors, g.vulnerability_factors);
                set(&mut mine.prompting_event, g.prompting_event);
                set(&mut mine.behaviour, g.behaviour);
                set(&mut mine.consequences, g.consequences);
                set(&mut mine.repair, g.repair);
                mine.links.extend(g.links);
                mine.next_time.extend(g.next_time);
                Ok(())
            }
            _ => Err(Error::invalid(
                "template",
                "must be the template of the reflection being continued",
            )),
        }
    }

    /// The template's stable name: "lapse" or "chain_analysis".
    pub fn template(&self) -> &'static str {
        match self {
            ReflectionBody::Lapse(_) => "lapse",
            ReflectionBody::ChainAnalysis(_) => "chain_analysis",
        }
    }

    /// Every answer's text, for search.
    pub(crate) fn texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            ReflectionBody::Lapse(r) => {
                for s in [
                    &r.what_happened,
                    &r.where_when_who,
                    &r.trigger,
                    &r.thoughts_and_feelings,
                    &r.what_i_tried,
                    &r.what_i_learned,
                    &r.kind_word,
                ]
                .into_iter()
                .flatten()
                {
                    out.push(s);
                }
            }
            ReflectionBody::ChainAnalysis(c) => {
                for s in [
                    &c.vulnerability_factors,
                    &c.prompting_event,
                    &c.behaviour,
                    &c.consequences,
                    &c.repair,
                ]
                .into_iter()
                .flatten()
                {
                    out.push(s);
                }
                for l in &c.links {
                    out.push(&l.link);
                    if let Some(s) = &l.skill {
                        out.push(s);
                    }
                }
            }
        }
        out.extend(self.next_time().iter().map(|p| p.text.as_str()));
        out
    }

    /// Checks lengths and counts (always) and, when `finishing`, that the answers that make
    /// the reflection useful are there.
    pub(crate) fn validate(&self, finishing: bool) -> Result<()> {
        let plan = self.next_time();
        if plan.len() > validate::MAX_LIST {
            return Err(Error::invalid("next_time", "must have at most 20 items"));
        }
        for item in plan {
            validate::required_text("next_time", &item.text, SHORT_TEXT)?;
        }
        match self {
            ReflectionBody::Lapse(r) => {
                for (field, value) in [
                    ("what_happened", &r.what_happened),
                    ("where_when_who", &r.where_when_who),
                    ("trigger", &r.trigger),
                    ("thoughts_and_feelings", &r.thoughts_and_feelings),
                    ("what_i_tried", &r.what_i_tried),
                    ("what_i_learned", &r.what_i_learned),
                    ("kind_word", &r.kind_word),
                ] {
                    validate::optional_text(field, value.as_deref(), NOTE_TEXT)?;
                }
                if finishing {
                    require("what_happened", &r.what_happened)?;
                    require("what_i_learned", &r.what_i_learned)?;
                }
            }
            ReflectionBody::ChainAnalysis(c) => {
                for (field, value) in [
                    ("vulnerability_factors", &c.vulnerability_factors),
                    ("prompting_event", &c.prompting_event),
                    ("behaviour", &c.behaviour),
                    ("consequences", &c.consequences),
                    ("repair", &c.repair),
                ] {
                    validate::optional_text(field, value.as_deref(), NOTE_TEXT)?;
                }
                if c.links.len() > validate::MAX_LIST {
                    return Err(Error::invalid("links", "must have at most 20 items"));
                }
                for link in &c.links {
                    validate::required_text("links.link", &link.link, NOTE_TEXT)?;
                    validate::optional_text("links.skill", link.skill.as_deref(), NOTE_TEXT)?;
                }
                if finishing {
                    require("prompting_event", &c.prompting_event)?;
                    require("behaviour", &c.behaviour)?;
                    if c.links.is_empty() {
                        return Err(Error::invalid(
                            "links",
                            "a finished chain analysis needs at least one link",
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

fn require(field: &'static str, value: &Option<String>) -> Result<()> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(Error::invalid(
            field,
            "must be answered to finish the reflection",
        )),
    }
}

/// A reflection, draft or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reflection {
    /// The reflection's id.
    pub id: RecordId,
    /// The lapse it reflects on, if any (a near miss can be reflected on too).
    pub lapse_id: Option<RecordId>,
    /// True while it is a draft.
    pub draft: bool,
    /// When it was started.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
    /// The template and its answers.
    pub body: ReflectionBody,
    /// Set on a **conflict copy**: this reflection is what was written on one device while
    /// another device changed or deleted the same reflection (`conflict_of`, which may no
    /// longer exist). Sync keeps both rather than lose either.
    #[serde(default)]
    pub conflict_of: Option<RecordId>,
}

/// What a person gives to save a reflection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReflectionInput {
    /// The lapse it reflects on.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lapse_id: Option<RecordId>,
    /// Save as a draft (true) or finish it (false, which checks the key answers).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub draft: bool,
    /// The template and answers.
    pub body: ReflectionBody,
}
