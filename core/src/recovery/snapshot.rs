//! Loading: every record of the journal, decrypted once and sorted into typed vectors by kind.
//!
//! The pure functions (counter, milestones, streaks, review) run over a [`Snapshot`]. A record
//! whose body does not parse as its kind is listed in `damaged` beside the records that failed
//! to decrypt, and skipped; it never stops the rest loading (S12). Records of kinds this
//! build does not know (written by a newer version) are counted and kept untouched.

use super::cards::{self, CardState, CardUse, CopingCard, StoredCard};
use super::check_in::CheckIn;
use super::entries::JournalEntry;
use super::journey::{Journey, Lapse};
use super::reflection::Reflection;
use super::settings::{MilestoneAcks, Settings};
use super::support::{Meeting, Outreach, SupportContact};
use super::triggers::TriggerEvent;
use crate::error::Result;
use crate::record::RecordId;
use crate::{Journal, RecordView};
use serde::de::DeserializeOwned;

/// The record kinds of the recovery domain. The kind is sealed inside each record (S10).
pub(crate) mod kind {
    pub const SETTINGS: &str = "settings";
    pub const JOURNEY: &str = "journey";
    pub const LAPSE: &str = "lapse";
    pub const MILESTONE_ACKS: &str = "milestone_acks";
    pub const CHECK_IN: &str = "check_in";
    pub const TRIGGER: &str = "trigger";
    pub const CARD: &str = "card";
    pub const CARD_STATE: &str = "card_state";
    pub const CARD_USE: &str = "card_use";
    pub const REFLECTION: &str = "reflection";
    pub const ENTRY: &str = "entry";
    pub const CONTACT: &str = "contact";
    pub const OUTREACH: &str = "outreach";
    pub const MEETING: &str = "meeting";
}

/// Everything in a journal, decrypted and typed. Holds what the person wrote: keep it in
/// memory only as long as a view needs it.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// Settings, if saved.
    pub settings: Option<Settings>,
    /// Journeys.
    pub journeys: Vec<Journey>,
    /// Lapses of every journey.
    pub lapses: Vec<Lapse>,
    /// Milestone acknowledgements per journey.
    pub(crate) milestone_acks: Vec<MilestoneAcks>,
    /// Check-ins, oldest first.
    pub check_ins: Vec<CheckIn>,
    /// Trigger events, oldest first.
    pub triggers: Vec<TriggerEvent>,
    /// The person's own cards.
    pub(crate) custom_cards: Vec<StoredCard>,
    /// Favourite and archive flags.
    pub(crate) card_states: Vec<CardState>,
    /// Card uses, oldest first.
    pub card_uses: Vec<CardUse>,
    /// Reflections.
    pub reflections: Vec<Reflection>,
    /// Journal entries, oldest first.
    pub entries: Vec<JournalEntry>,
    /// Support contacts.
    pub contacts: Vec<SupportContact>,
    /// Outreach, oldest first.
    pub outreach: Vec<Outreach>,
    /// Meetings, oldest first.
    pub meetings: Vec<Meeting>,
    /// Records that could not be read (failed to decrypt, or did not parse as their kind).
    pub damaged: Vec<RecordId>,
    /// Records of kinds this build does not know.
    pub unknown_kinds: u32,
}

fn parse<T: DeserializeOwned>(
    record: &RecordView<'_>,
    into: &mut Vec<T>,
    damaged: &mut Vec<RecordId>,
) {
    match serde_json::from_slice(record.body) {
        Ok(value) => into.push(value),
        Err(_) => damaged.push(record.id),
    }
}

impl Snapshot {
    /// Decrypts and sorts every record of `journal`.
    pub fn load(journal: &Journal) -> Result<Snapshot> {
        Snapshot::load_filtered(journal, None)
    }

    /// Like [`Snapshot::load`] but parses only records of `kinds` (the rest are decrypted,
    /// because the kind is sealed inside, then dropped unparsed).
    pub(crate) fn load_only(journal: &Journal, kinds: &[&str]) -> Result<Snapshot> {
        Snapshot::load_filtered(journal, Some(kinds))
    }

    fn load_filtered(journal: &Journal, kinds: Option<&[&str]>) -> Result<Snapshot> {
        let mut s = Snapshot::default();
        let mut settings = Vec::new();
        let mut damaged = Vec::new();
        let failed = journal.visit_records(|record| {
            if kinds.is_some_and(|k| !k.contains(&record.kind)) {
                return;
            }
            let damaged = &mut damaged;
            match record.kind {
                kind::SETTINGS => parse(&record, &mut settings, damaged),
                kind::JOURNEY => parse(&record, &mut s.journeys, damaged),
                kind::LAPSE => parse(&record, &mut s.lapses, damaged),
                kind::MILESTONE_ACKS => parse(&record, &mut s.milestone_acks, damaged),
                kind::CHECK_IN => parse(&record, &mut s.check_ins, damaged),
                kind::TRIGGER => parse(&record, &mut s.triggers, damaged),
                kind::CARD => parse(&record, &mut s.custom_cards, damaged),
                kind::CARD_STATE => parse(&record, &mut s.card_states, damaged),
                kind::CARD_USE => parse(&record, &mut s.card_uses, damaged),
                kind::REFLECTION => parse(&record, &mut s.reflections, damaged),
                kind::ENTRY => parse(&record, &mut s.entries, damaged),
                kind::CONTACT => parse(&record, &mut s.contacts, damaged),
                kind::OUTREACH => parse(&record, &mut s.outreach, damaged),
                kind::MEETING => parse(&record, &mut s.meetings, damaged),
                _ => s.unknown_kinds += 1,
            }
        })?;
        s.damaged = failed;
        s.damaged.extend(damaged);
        s.settings = settings.pop();
        s.journeys.sort_by_key(|j| (j.sober_since, j.id));
        s.lapses.sort_by_key(|l| (l.date, l.time, l.id));
        s.check_ins.sort_by_key(|c| c.date);
        s.triggers.sort_by_key(|t| (t.at, t.id));
        s.custom_cards.sort_by_key(|c| c.id);
        s.card_uses.sort_by_key(|u| (u.at, u.id));
        s.reflections.sort_by_key(|r| (r.created_at, r.id));
        s.entries.sort_by_key(|e| (e.date, e.created_at, e.id));
        s.contacts
            .sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        s.outreach.sort_by_key(|o| (o.at, o.id));
        s.meetings.sort_by_key(|m| (m.date, m.id));
        Ok(s)
    }
}

impl Snapshot {
    /// The deck as the person sees it: the built-in cards and their own, with their
    /// favourite and archive flags.
    pub(crate) fn deck(&self) -> Vec<CopingCard> {
        cards::deck(
            self.custom_cards.iter().map(cards::custom_card).collect(),
            &self.card_states,
        )
    }
}
