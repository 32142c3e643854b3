//! Reflections, journal entries and search.

use super::coping::insert_card;
use super::{load_in, not_found, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::cards::{CardCategory, CardInput, CopingCard};
use crate::recovery::entries::{EntryInput, JournalEntry};
use crate::recovery::journey::Lapse;
use crate::recovery::reflection::{Reflection, ReflectionInput};
use crate::recovery::search::{self, SearchHit};
use crate::recovery::stored::{self, StoredRecord};
use crate::recovery::triggers::TriggerEvent;
use crate::recovery::window::DatedList;
use chrono::NaiveDate;

impl Recovery {
    /// Saves a reflection: a new one when `id` is `None`, otherwise an update of that one.
    /// A draft may leave any answer empty; finishing (`draft: false`) needs the answers that
    /// make it useful and names the first one missing.
    pub fn save_reflection(
        &self,
        id: Option<&RecordId>,
        input: ReflectionInput,
    ) -> Result<Reflection> {
        input.body.validate(!input.draft)?;
        let now = self.now();
        self.write(|w| {
            if let Some(lapse) = &input.lapse_id {
                if stored::load::<Lapse>(w, lapse)?.is_none() {
                    return Err(Error::invalid("lapse_id", "must name a recorded lapse"));
                }
            }
            let (id, created_at, conflict_of) = match id {
                Some(id) => {
                    let old: Reflection = load_in(w, id, "reflection")?;
                    (*id, old.created_at, old.conflict_of)
                }
                None => (RecordId::random()?, now, None),
            };
            let reflection = Reflection {
                id,
                lapse_id: input.lapse_id,
                draft: input.draft,
                created_at,
                updated_at: now,
                body: input.body,
                conflict_of,
            };
            stored::save(w, &reflection)?;
            Ok(reflection)
        })
    }

    /// Continues a reflection (typically a draft): every answer `input` gives replaces the
    /// stored one, answers not given stay, plan items and chain links are added after the
    /// ones already written, and `input.draft: false` finishes it (checking the answers that
    /// make it useful). Its lapse stays unless `input` names another.
    pub fn continue_reflection(&self, id: &RecordId, input: ReflectionInput) -> Result<Reflection> {
        let old = self.reflection(id)?;
        let mut body = old.body;
        body.overlay(input.body)?;
        self.save_reflection(
            Some(id),
            ReflectionInput {
                lapse_id: input.lapse_id.or(old.lapse_id),
                draft: input.draft,
                body,
            },
        )
    }

    /// One reflection.
    pub fn reflection(&self, id: &RecordId) -> Result<Reflection> {
        self.view(|s| {
            s.reflections
                .iter()
                .find(|r| r.id == *id)
                .cloned()
                .ok_or_else(|| not_found("reflection", id))
        })
    }

    /// Reflections, oldest first: all of them, or those on one lapse.
    pub fn reflections(&self, lapse_id: Option<&RecordId>) -> Result<Vec<Reflection>> {
        self.view(|s| {
            Ok(s.reflections
                .iter()
                .filter(|r| lapse_id.is_none_or(|l| r.lapse_id.as_ref() == Some(l)))
                .cloned()
                .collect())
        })
    }

    /// Deletes a reflection (cards made from it stay).
    pub fn delete_reflection(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind::<Reflection>(id, "reflection")
    }

    /// Turns a reflection's "next time" plan item (by its position, from 0) into one of the
    /// person's own coping cards, in one call. The card is meant for the category of the
    /// trigger that led to the lapse, when one was logged. Doing it again returns the same
    /// card.
    pub fn plan_item_to_card(&self, reflection_id: &RecordId, index: i32) -> Result<CopingCard> {
        let existing = self.write(|w| {
            let mut reflection: Reflection = load_in(w, reflection_id, "reflection")?;
            let item = reflection
                .body
                .next_time()
                .get(usize::try_from(index).unwrap_or(usize::MAX))
                .cloned()
                .ok_or_else(|| Error::invalid("index", "must point at a plan item"))?;
            if let Some(card) = item.card_id {
                return Ok(Err(card));
            }
            let mut helps_with = Vec::new();
            if let Some(lapse_id) = &reflection.lapse_id {
                if let Some(lapse) = stored::load::<Lapse>(w, lapse_id)? {
                    if let Some(trigger) = lapse.trigger_id {
                        if let Some(event) = stored::load::<TriggerEvent>(w, &trigger)? {
                            helps_with.push(event.category);
                        }
                    }
                }
            }
            let card = insert_card(
                w,
                CardInput {
                    title: item.text.clone(),
                    steps: vec![item.text.clone()],
                    category: CardCategory::MyPlan,
                    helps_with,
                },
            )?;
            if let Some(slot) = reflection
                .body
                .next_time_mut()
                .get_mut(usize::try_from(index).unwrap_or(usize::MAX))
            {
                slot.card_id = Some(card.id.clone());
            }
            reflection.updated_at = self.now();
            stored::save(w, &reflection)?;
            Ok(Ok(card))
        })?;
        match existing {
            Ok(card) => Ok(card),
            Err(card_id) => self.card(&card_id),
        }
    }

    /// Writes a journal entry (dated today unless a date is given).
    pub fn write_entry(&self, input: EntryInput) -> Result<JournalEntry> {
        self.save_entry(None, input)
    }

    /// Replaces an entry's title, body, mood, tags and journey link, and its date when one is
    /// given (without one, the entry keeps its day).
    pub fn edit_entry(&self, id: &RecordId, input: EntryInput) -> Result<JournalEntry> {
        self.save_entry(Some(id), input)
    }

    fn save_entry(&self, id: Option<&RecordId>, input: EntryInput) -> Result<JournalEntry> {
        input.validate()?;
        // An edit keeps the entry's own day (not given, or given unchanged) without checking
        // it against today again: after a flight west, or with a clock running behind, the
        // day an entry was written can be "tomorrow" here, and it must stay editable.
        let kept_day = match id {
            Some(id) => Some(self.entry(id)?.date),
            None => None,
        };
        let date = match (input.date, kept_day) {
            (None, Some(day)) => day,
            (Some(given), Some(day)) if given == day => day,
            (given, _) => self.day_or_today(given)?,
        };
        let now = self.now();
        self.write(|w| {
            let (id, created_at, conflict_of) = match id {
                Some(id) => {
                    let old: JournalEntry = load_in(w, id, "journal entry")?;
                    (*id, old.created_at, old.conflict_of)
                }
                None => (RecordId::random()?, now, None),
            };
            let entry = JournalEntry {
                id,
                date,
                title: input.title,
                body: input.body,
                mood: input.mood,
                tags: input.tags,
                journey_id: input.journey_id,
                created_at,
                updated_at: now,
                conflict_of,
            };
            stored::save(w, &entry)?;
            Ok(entry)
        })
    }

    /// One entry.
    pub fn entry(&self, id: &RecordId) -> Result<JournalEntry> {
        self.view(|s| {
            s.entries
                .iter()
                .find(|e| e.id == *id)
                .cloned()
                .ok_or_else(|| not_found("journal entry", id))
        })
    }

    /// Deletes an entry, erasing it from disk.
    pub fn delete_entry(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind::<JournalEntry>(id, "journal entry")
    }

    /// Entries dated `from` to `to` (both included), oldest first.
    pub fn entries(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<JournalEntry>> {
        self.view(|s| {
            let days = super::window::days_of(s, DatedList::Entries);
            Ok(super::window::between(&s.entries, &days, from, to))
        })
    }

    /// Searches entries, check-ins, triggers, lapse notes and reflections in memory (there
    /// is no index on disk); at most `limit` hits, newest first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.view(|s| search::search(s, query, limit))
    }

    /// Deletes the record `id` if it is of kind `T`; anything else is not found and stays.
    pub(super) fn delete_of_kind<T: StoredRecord>(
        &self,
        id: &RecordId,
        what: &'static str,
    ) -> Result<()> {
        let deleted = self.write(|w| stored::delete::<T>(w, id))?;
        if deleted {
            Ok(())
        } else {
            Err(not_found(what, id))
        }
    }
}
