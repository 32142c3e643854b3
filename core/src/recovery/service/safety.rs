//! The safety plan, help now and urge surfing.

use super::coping::require_card;
use super::{not_found, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::cards::CardUse;
use crate::recovery::crisis_lines;
use crate::recovery::help_now::{self, HelpNow};
use crate::recovery::safety_plan::{
    self, check_country, check_item, PlanSection, SafetyItem, SafetyPlan, SafetyPlanView,
};
use crate::recovery::snapshot::Snapshot;
use crate::recovery::stored::{self, Identity, StoredRecord, SAFETY_PLAN_KEY};
use crate::recovery::support::{Outreach, OutreachInput, OutreachMethod};
use crate::recovery::urge::{self, UrgeSession, UrgeSessionEnded};
use crate::recovery::validate;

/// How long an urge-surfing session stays open to be ended without naming it: an urge rides
/// out within hours; a session left open overnight was set aside, and its card learns
/// nothing from it.
pub const OPEN_HOURS: i64 = 12;

/// The plan's identity: one per journal.
fn plan_identity() -> Identity<'static> {
    Identity::Keyed {
        namespace: SafetyPlan::KIND,
        key: SAFETY_PLAN_KEY.into(),
    }
}

/// Checks that an item's links name a card in the deck and a contact in the network.
fn check_links(s: &Snapshot, item: &SafetyItem) -> Result<()> {
    if let Some(card) = &item.card_id {
        require_card(s, card)?;
    }
    if let Some(contact) = &item.contact_id {
        if !s.contacts.iter().any(|c| c.id == *contact) {
            return Err(Error::invalid(
                "contact_id",
                "must name a contact in your support network",
            ));
        }
    }
    Ok(())
}

/// The index of item `number` (from 1) of `section`, or invalid input naming `number`.
fn index_of(plan: &SafetyPlan, section: PlanSection, number: i32) -> Result<usize> {
    let len = plan.section(section).len();
    let index = usize::try_from(number).unwrap_or(usize::MAX);
    if index == 0 || index > len {
        return Err(Error::invalid(
            "number",
            "must name an item of the section, counting from 1",
        ));
    }
    Ok(index - 1)
}

impl Recovery {
    /// The safety plan as the person reads it: the six steps and the reasons, links
    /// resolved, and the starter crisis lines for their country after their own.
    pub fn safety_plan(&self) -> Result<SafetyPlanView> {
        self.view(|s| {
            let settings = s.settings.clone().unwrap_or_default();
            let plan = s.safety_plan.clone().unwrap_or_default();
            Ok(safety_plan::view(
                &plan,
                &s.deck(),
                &s.contacts,
                &settings.time_zone,
            ))
        })
    }

    /// Changes the plan in one transaction: `change` edits a copy, which is checked,
    /// versioned (one more than before) and sealed.
    fn edit_plan(
        &self,
        change: impl FnOnce(&mut SafetyPlan) -> Result<()>,
    ) -> Result<SafetyPlanView> {
        let now = self.now();
        self.write(|w| {
            stored::update::<SafetyPlan>(w, &plan_identity(), |current| {
                let before = current.unwrap_or_default();
                let mut plan = before.clone();
                change(&mut plan)?;
                plan.note_changes(&before, now);
                safety_plan::check_plan(&plan)?;
                plan.version = plan.version.saturating_add(1);
                plan.updated_at = Some(now);
                Ok(plan)
            })
        })?;
        self.safety_plan()
    }

    /// Adds an item at the end of a section. A card link needs a card of the deck (step 2
    /// only); a contact link a contact of the network (steps 3-5).
    pub fn add_safety_item(
        &self,
        section: PlanSection,
        item: SafetyItem,
    ) -> Result<SafetyPlanView> {
        check_item(section, &item)?;
        self.view(|s| check_links(s, &item))?;
        self.edit_plan(|plan| {
            let items = plan.section_mut(section);
            if items.len() >= validate::MAX_LIST {
                return Err(Error::invalid(
                    "items",
                    format!("must have at most {} items per section", validate::MAX_LIST),
                ));
            }
            items.push(item);
            Ok(())
        })
    }

    /// Replaces item `number` (from 1) of a section.
    pub fn edit_safety_item(
        &self,
        section: PlanSection,
        number: i32,
        item: SafetyItem,
    ) -> Result<SafetyPlanView> {
        check_item(section, &item)?;
        self.view(|s| check_links(s, &item))?;
        self.edit_plan(|plan| {
            let index = index_of(plan, section, number)?;
            if let Some(slot) = plan.section_mut(section).get_mut(index) {
                *slot = item;
            }
            Ok(())
        })
    }

    /// Removes item `number` (from 1) of a section; the items after it move up.
    pub fn remove_safety_item(&self, section: PlanSection, number: i32) -> Result<SafetyPlanView> {
        self.edit_plan(|plan| {
            let index = index_of(plan, section, number)?;
            plan.section_mut(section).remove(index);
            Ok(())
        })
    }

    /// Replaces a whole section with `items`, in order (an empty list empties it).
    pub fn set_safety_section(
        &self,
        section: PlanSection,
        items: Vec<SafetyItem>,
    ) -> Result<SafetyPlanView> {
        for item in &items {
            check_item(section, item)?;
        }
        self.view(|s| items.iter().try_for_each(|item| check_links(s, item)))?;
        self.edit_plan(|plan| {
            *plan.section_mut(section) = items;
            Ok(())
        })
    }

    /// Marks a starter crisis line as checked by the person: it stops showing "check this
    /// number".
    pub fn confirm_crisis_line(&self, line_id: &str) -> Result<SafetyPlanView> {
        if !crisis_lines::is_known(line_id) {
            return Err(Error::invalid(
                "line",
                "must name a line of the starter list",
            ));
        }
        self.edit_plan(|plan| {
            plan.removed_lines.retain(|l| l != line_id);
            if !plan.confirmed_lines.iter().any(|l| l == line_id) {
                plan.confirmed_lines.push(line_id.to_owned());
            }
            Ok(())
        })
    }

    /// Removes a starter crisis line from the plan (confirming it again brings it back).
    pub fn remove_crisis_line(&self, line_id: &str) -> Result<SafetyPlanView> {
        if !crisis_lines::is_known(line_id) {
            return Err(Error::invalid(
                "line",
                "must name a line of the starter list",
            ));
        }
        self.edit_plan(|plan| {
            plan.confirmed_lines.retain(|l| l != line_id);
            if !plan.removed_lines.iter().any(|l| l == line_id) {
                plan.removed_lines.push(line_id.to_owned());
            }
            Ok(())
        })
    }

    /// Chooses the country whose starter lines the plan shows (`None`: guess from the time
    /// zone).
    pub fn set_safety_country(&self, country: Option<&str>) -> Result<SafetyPlanView> {
        let country = country.map(crisis_lines::normalise_country);
        if let Some(code) = &country {
            check_country(code)?;
        }
        self.edit_plan(|plan| {
            plan.country = country;
            Ok(())
        })
    }

    /// Help now: the plan's first steps, the cards most likely to help at this hour, people
    /// and lines to call, and an urge-surfing session started now (or the one started in the
    /// last two hours and not ended, so pressing the button twice does not start two).
    /// `intensity` is the urge now, 0-10, if the person gives it.
    pub fn help_now(&self, intensity: Option<i32>) -> Result<HelpNow> {
        if let Some(value) = intensity {
            validate::in_range("intensity", value, 0, 10)?;
        }
        let now = self.now();
        let (open, likely, time_zone) = self.view(|s| {
            let settings = s.settings.clone().unwrap_or_default();
            let likely = help_now::likely_category(&s.triggers, &settings.reckoner(), now);
            Ok((
                help_now::open_session(s, now).cloned(),
                likely,
                settings.time_zone,
            ))
        })?;
        let session = match open {
            Some(mut session) => {
                if session.intensity_start.is_none() && intensity.is_some() {
                    session.intensity_start = intensity;
                    self.write(|w| stored::save(w, &session))?;
                }
                session
            }
            None => {
                let session = UrgeSession {
                    id: RecordId::random()?,
                    started_at: now,
                    time_zone,
                    intensity_start: intensity,
                    category: likely.map(|l| l.category),
                    ended_at: None,
                    intensity_end: None,
                    card_id: None,
                    card_use_id: None,
                };
                self.write(|w| stored::save(w, &session))?;
                session
            }
        };
        self.view(|s| Ok(help_now::help_now(s, now, session)))
    }

    /// Logs a call to a contact made from help now, as outreach now.
    pub fn call_from_help_now(&self, contact_id: &RecordId) -> Result<Outreach> {
        self.log_outreach(OutreachInput {
            contact_id: *contact_id,
            method: OutreachMethod::Call,
            helped: None,
            note: None,
            at: None,
        })
    }

    /// Ends an urge-surfing session (`None`: the latest one started in the last
    /// [`OPEN_HOURS`] hours and still open; an older one was left, not ridden out) with the urge's
    /// intensity now (0-10) and the card used, if any. A card's use is recorded with the
    /// outcome the intensities give ([`urge::outcome`]) against the session's category,
    /// so the card's ranking moves; the ranks before and after are returned.
    pub fn end_urge_session(
        &self,
        session_id: Option<RecordId>,
        intensity_end: i32,
        card_id: Option<&str>,
    ) -> Result<UrgeSessionEnded> {
        validate::in_range("intensity", intensity_end, 0, 10)?;
        let now = self.now();
        let (mut session, rank_before) = self.view(|s| {
            let session = match session_id {
                Some(id) => s
                    .urge_sessions
                    .iter()
                    .find(|u| u.id == id)
                    .cloned()
                    .ok_or_else(|| not_found("urge session", &id))?,
                None => s
                    .urge_sessions
                    .iter()
                    .rev()
                    .find(|u| {
                        u.ended_at.is_none()
                            && u.started_at <= now
                            && (now - u.started_at).num_hours() < OPEN_HOURS
                    })
                    .cloned()
                    .ok_or_else(|| {
                        Error::invalid(
                            "session",
                            "no urge session is in progress (help now starts one)",
                        )
                    })?,
            };
            if session.ended_at.is_some() {
                return Err(Error::invalid("session", "has already ended"));
            }
            let rank = match card_id {
                Some(card) => {
                    require_card(s, card)?;
                    rank_of(s, &session, card)
                }
                None => None,
            };
            Ok((session, rank))
        })?;
        session.ended_at = Some(now.max(session.started_at));
        session.intensity_end = Some(intensity_end);
        let outcome = card_id.map(|_| urge::outcome(session.intensity_start, intensity_end));
        self.write(|w| {
            if let (Some(card), Some(outcome)) = (card_id, outcome) {
                let card_use = CardUse {
                    id: RecordId::random()?,
                    card_id: card.to_owned(),
                    at: now,
                    category: session.category,
                    trigger_id: None,
                    outcome,
                    time_zone: Some(session.time_zone.clone()),
                };
                stored::save(w, &card_use)?;
                session.card_id = Some(card.to_owned());
                session.card_use_id = Some(card_use.id);
            }
            stored::save(w, &session)?;
            Ok(())
        })?;
        let rank_after = match card_id {
            Some(card) => self.view(|s| Ok(rank_of(s, &session, card)))?,
            None => None,
        };
        Ok(UrgeSessionEnded {
            minutes: session.minutes(now),
            session,
            outcome,
            rank_before,
            rank_after,
        })
    }

    /// Every urge-surfing session, oldest first.
    pub fn urge_sessions(&self) -> Result<Vec<UrgeSession>> {
        self.view(|s| Ok(s.urge_sessions.clone()))
    }
}

/// The place (from 1) of `card` in the ranking for the session's category.
fn rank_of(s: &Snapshot, session: &UrgeSession, card: &str) -> Option<i32> {
    let likely = session.category.map(|category| help_now::LikelyCategory {
        category,
        basis: help_now::CategoryBasis::AllTriggers,
        triggers: 0,
    });
    help_now::ranked_cards(s, likely.as_ref())
        .iter()
        .position(|c| c.card.id == card)
        .map(|p| i32::try_from(p).unwrap_or(i32::MAX - 1) + 1)
}
