//! "Help now": what the moment of crisis needs, in the order it needs it, from one call.
//!
//! 1. the safety plan's first steps: things I can do on my own (step 2), then the hope list;
//! 2. the cards most likely to help right now: the person's own ranking
//!    ([`super::cards::suggest`]) for the trigger category they log most at this hour
//!    ([`likely_category`]);
//! 3. people to call, with their numbers: the plan's people first, then the support network;
//! 4. crisis lines: the person's own professionals and lines first, then the starter lines
//!    for their country (each "check this number" until confirmed);
//! 5. an urge-surfing session, started (see [`super::urge`]).
//!
//! **Which category now** ([`likely_category`]): the triggers logged within an hour either
//! side of this local hour on this weekday, when there are at least 3; else within an hour
//! either side on any day, when at least 3; else every trigger. The most frequent category
//! wins, a tie going to the one logged most recently. Each trigger is read in the zone it
//! was logged in; "now" in the person's current zone.

use super::cards::{self, CardSuggestion};
use super::clock::DayReckoner;
use super::counts;
use super::crisis_lines::CrisisLine;
use super::safety_plan::{self, PlanSection, SafetyItemView, SafetyPlan};
use super::snapshot::Snapshot;
use super::support::ContactRole;
use super::triggers::{most_logged, TriggerCategory, TriggerEvent};
use super::urge::UrgeSession;
use crate::record::RecordId;
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// How many cards help now offers.
const CARDS: usize = 3;
/// The fewest triggers a time window needs to speak for the moment.
const ENOUGH: i32 = 3;

/// Which triggers [`likely_category`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CategoryBasis {
    /// Those logged around this hour on this weekday.
    ThisHourThisWeekday,
    /// Those logged around this hour on any day.
    ThisHour,
    /// All of them.
    AllTriggers,
}

/// The trigger category most likely now, and what says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LikelyCategory {
    /// The category.
    pub category: TriggerCategory,
    /// Which triggers were read.
    pub basis: CategoryBasis,
    /// How many of them were of this category.
    pub triggers: i32,
}

/// The category the person's log says is most likely at `now` (see the module docs);
/// `None` with no triggers.
pub fn likely_category(
    triggers: &[TriggerEvent],
    reckoner: &DayReckoner,
    now: DateTime<Utc>,
) -> Option<LikelyCategory> {
    let here = reckoner.current_zone().local(now);
    let (weekday, hour) = (here.weekday(), here.hour());
    let near = |h: u32| {
        let d = h.abs_diff(hour);
        d <= 1 || d == 23
    };
    let logged: Vec<(chrono::Weekday, u32, &TriggerEvent)> = triggers
        .iter()
        .filter(|t| t.at <= now)
        .map(|t| {
            let local = reckoner.local_of(t.at, Some(&t.time_zone));
            (local.weekday(), local.hour(), t)
        })
        .collect();
    let tiers = [
        CategoryBasis::ThisHourThisWeekday,
        CategoryBasis::ThisHour,
        CategoryBasis::AllTriggers,
    ];
    let keep = |basis: CategoryBasis, w: chrono::Weekday, h: u32| match basis {
        CategoryBasis::ThisHourThisWeekday => w == weekday && near(h),
        CategoryBasis::ThisHour => near(h),
        CategoryBasis::AllTriggers => true,
    };
    for basis in tiers {
        let chosen: Vec<&TriggerEvent> = logged
            .iter()
            .filter(|(w, h, _)| keep(basis, *w, *h))
            .map(|(_, _, t)| *t)
            .collect();
        let enough = match basis {
            CategoryBasis::AllTriggers => 1,
            _ => ENOUGH,
        };
        if counts::of_len(chosen.len()) < enough {
            continue;
        }
        return most_logged(chosen).map(|(category, n)| LikelyCategory {
            category,
            basis,
            triggers: n,
        });
    }
    None
}

/// Someone to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PersonToCall {
    /// Their contact, when they are in the support network (calling them from help now
    /// logs the outreach).
    pub contact_id: Option<RecordId>,
    /// Their name (or what the plan says).
    pub name: String,
    /// Their number.
    pub phone: String,
    /// True when the safety plan names them.
    pub from_plan: bool,
}

/// A line to call: the person's own first, then the starter list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HelpLine {
    /// Its name.
    pub name: String,
    /// The number.
    pub number: String,
    /// True for a line or professional the person entered.
    pub own: bool,
    /// For a starter line: which, where its number comes from and when it was checked.
    pub starter: Option<CrisisLine>,
    /// False for a starter line the person has not confirmed: show "check this number".
    pub confirmed: bool,
}

/// What help now shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HelpNow {
    /// The plan's things I can do on my own, then its people and places that distract, in
    /// the plan's order.
    pub first_steps: Vec<SafetyItemView>,
    /// The hope list: reasons for my recovery.
    pub reasons: Vec<String>,
    /// The trigger category most likely now, if the log says.
    pub likely: Option<LikelyCategory>,
    /// The cards most likely to help now (ranked for `likely`, or for emotions without
    /// a log).
    pub cards: Vec<CardSuggestion>,
    /// People to call, with their numbers.
    pub people: Vec<PersonToCall>,
    /// Lines to call.
    pub lines: Vec<HelpLine>,
    /// The emergency number where the person is, when known ("911"); otherwise "your local
    /// emergency number".
    pub emergency_number: Option<String>,
    /// The urge-surfing session started for this moment.
    pub session: UrgeSession,
    /// True when the person has not written a safety plan yet.
    pub plan_missing: bool,
}

/// The ranking of cards for `likely` (emotions when nothing is known).
pub(crate) fn ranked_cards(s: &Snapshot, likely: Option<&LikelyCategory>) -> Vec<CardSuggestion> {
    cards::suggest(
        &s.deck(),
        &s.card_uses,
        likely.map_or(TriggerCategory::Emotions, |l| l.category),
    )
}

/// The help-now screen of `s` at `now`, around the started `session`.
pub fn help_now(s: &Snapshot, now: DateTime<Utc>, session: UrgeSession) -> HelpNow {
    let settings = s.settings.clone().unwrap_or_default();
    let reckoner = settings.reckoner();
    let plan = s.safety_plan.clone().unwrap_or_default();
    let deck = s.deck();
    let view = safety_plan::view(&plan, &deck, &s.contacts, &settings.time_zone);
    let section = |which: PlanSection| {
        view.sections
            .iter()
            .find(|sec| sec.section == which)
            .map(|sec| sec.items.clone())
            .unwrap_or_default()
    };
    let likely = likely_category(&s.triggers, &reckoner, now);
    let mut cards = ranked_cards(s, likely.as_ref());
    cards.truncate(CARDS);
    HelpNow {
        first_steps: section(PlanSection::OnMyOwn)
            .into_iter()
            .chain(section(PlanSection::Distractions))
            .collect(),
        reasons: section(PlanSection::Reasons)
            .into_iter()
            .map(|i| i.text)
            .collect(),
        likely,
        cards,
        people: people(
            s,
            &section(PlanSection::AskForHelp),
            &section(PlanSection::Professionals),
        ),
        lines: lines(s, &section(PlanSection::Professionals), &view.crisis_lines),
        emergency_number: view.emergency_number.clone(),
        session,
        plan_missing: s.safety_plan.is_none(),
    }
}

/// The plan's people with a number, then the support network's (not crisis lines, not
/// already listed).
fn people(
    s: &Snapshot,
    from_plan: &[SafetyItemView],
    professionals: &[SafetyItemView],
) -> Vec<PersonToCall> {
    let listed_as_lines: Vec<RecordId> = professionals
        .iter()
        .filter_map(|i| i.contact.as_ref().map(|c| c.id))
        .collect();
    let mut out: Vec<PersonToCall> = Vec::new();
    for item in from_plan {
        let (contact_id, name, phone) = match &item.contact {
            Some(c) => (
                Some(c.id),
                c.name.clone(),
                item.phone.clone().or_else(|| c.phone.clone()),
            ),
            None => (None, item.text.clone(), item.phone.clone()),
        };
        if let Some(phone) = phone {
            out.push(PersonToCall {
                contact_id,
                name,
                phone,
                from_plan: true,
            });
        }
    }
    let mut network: Vec<_> = s
        .contacts
        .iter()
        .filter(|c| c.role != ContactRole::CrisisLine)
        .filter(|c| !listed_as_lines.contains(&c.id))
        .filter(|c| !out.iter().any(|p| p.contact_id == Some(c.id)))
        .filter_map(|c| c.phone.clone().map(|phone| (c, phone)))
        .collect();
    let rank = |role: ContactRole| match role {
        ContactRole::Sponsor => 0,
        ContactRole::Peer => 1,
        ContactRole::Therapist => 2,
        _ => 3,
    };
    network.sort_by_key(|(c, _)| rank(c.role));
    out.extend(network.into_iter().map(|(c, phone)| PersonToCall {
        contact_id: Some(c.id),
        name: c.name.clone(),
        phone,
        from_plan: false,
    }));
    out
}

/// The person's own professionals and lines (plan step 5, then contacts who are crisis
/// lines), then the starter lines.
fn lines(s: &Snapshot, own: &[SafetyItemView], starter: &[CrisisLine]) -> Vec<HelpLine> {
    let mut out: Vec<HelpLine> = Vec::new();
    for item in own {
        let number = item
            .phone
            .clone()
            .or_else(|| item.contact.as_ref().and_then(|c| c.phone.clone()));
        let name = match (&item.contact, item.text.trim().is_empty()) {
            (Some(c), true) => c.name.clone(),
            _ => item.text.clone(),
        };
        if let Some(number) = number {
            out.push(HelpLine {
                name,
                number,
                own: true,
                starter: None,
                confirmed: true,
            });
        }
    }
    for c in s
        .contacts
        .iter()
        .filter(|c| c.role == ContactRole::CrisisLine)
    {
        if let Some(number) = &c.phone {
            if !out.iter().any(|l| &l.number == number) {
                out.push(HelpLine {
                    name: c.name.clone(),
                    number: number.clone(),
                    own: true,
                    starter: None,
                    confirmed: true,
                });
            }
        }
    }
    out.extend(starter.iter().map(|line| HelpLine {
        name: line.name.clone(),
        number: line.number.clone(),
        own: false,
        confirmed: line.confirmed,
        starter: Some(line.clone()),
    }));
    out
}

/// The open session to continue instead of starting another: one started within the last
/// two hours and not ended.
pub(crate) fn open_session(s: &Snapshot, now: DateTime<Utc>) -> Option<&UrgeSession> {
    s.urge_sessions.iter().rev().find(|u| {
        u.ended_at.is_none() && u.started_at <= now && (now - u.started_at).num_minutes() < 120
    })
}

/// Whether the plan has anything in it, as a person would see it.
pub fn plan_is_empty(plan: &SafetyPlan) -> bool {
    PlanSection::ALL.iter().all(|s| plan.section(*s).is_empty())
}
