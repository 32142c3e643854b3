//! The safety plan (Stanley and Brown's Safety Planning Intervention): six steps a person
//! writes while calm, to follow when a crisis comes, plus their reasons for recovery.
//!
//! The steps: warning signs; things I can do on my own (each may link a coping card);
//! people and places that distract; people I can ask for help (each may link a contact);
//! professionals and crisis lines; making my surroundings safer. Then the hope list: reasons
//! for my recovery.
//!
//! The plan is one sealed record; every edit raises its `version`. Step 5 lists the person's
//! own professionals and lines first, then the starter lines of [`super::crisis_lines`] for
//! their country, each shown as "check this number" until confirmed.

use super::cards::CopingCard;
use super::crisis_lines::{self, CrisisLine};
use super::items::{self, ItemMark};
use super::support::SupportContact;
use super::validate;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest item of a safety plan, in characters.
pub const ITEM_TEXT: usize = 500;

/// A part of the safety plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PlanSection {
    /// Step 1: thoughts, moods, situations that say a crisis may be coming.
    WarningSigns,
    /// Step 2: things I can do on my own (coping cards among them).
    OnMyOwn,
    /// Step 3: people and places that take my mind off things.
    Distractions,
    /// Step 4: people I can ask for help.
    AskForHelp,
    /// Step 5: professionals and crisis lines.
    Professionals,
    /// Step 6: making my surroundings safer.
    SaferSurroundings,
    /// Reasons for my recovery: the hope list.
    Reasons,
}

impl PlanSection {
    /// Every section, in the plan's order.
    pub const ALL: [PlanSection; 7] = [
        PlanSection::WarningSigns,
        PlanSection::OnMyOwn,
        PlanSection::Distractions,
        PlanSection::AskForHelp,
        PlanSection::Professionals,
        PlanSection::SaferSurroundings,
        PlanSection::Reasons,
    ];

    /// Its step number (1-6); 0 for the reasons.
    pub fn step(self) -> i32 {
        match self {
            PlanSection::WarningSigns => 1,
            PlanSection::OnMyOwn => 2,
            PlanSection::Distractions => 3,
            PlanSection::AskForHelp => 4,
            PlanSection::Professionals => 5,
            PlanSection::SaferSurroundings => 6,
            PlanSection::Reasons => 0,
        }
    }

    /// Its heading as the person reads it.
    pub fn title(self) -> &'static str {
        match self {
            PlanSection::WarningSigns => "Warning signs",
            PlanSection::OnMyOwn => "Things I can do on my own",
            PlanSection::Distractions => "People and places that distract me",
            PlanSection::AskForHelp => "People I can ask for help",
            PlanSection::Professionals => "Professionals and crisis lines",
            PlanSection::SaferSurroundings => "Making my surroundings safer",
            PlanSection::Reasons => "Reasons for my recovery",
        }
    }
}

/// One line of the plan as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyItem {
    /// What the person wrote (may be empty when a card or contact is linked).
    pub text: String,
    /// A coping card it links (step 2).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub card_id: Option<String>,
    /// A contact it links (steps 3-5).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_id: Option<RecordId>,
    /// A number to call (a professional, a line of the person's own).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
}

/// The safety plan as stored: one record per journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlan {
    /// Step 1.
    pub warning_signs: Vec<SafetyItem>,
    /// Step 2.
    pub on_my_own: Vec<SafetyItem>,
    /// Step 3.
    pub distractions: Vec<SafetyItem>,
    /// Step 4.
    pub ask_for_help: Vec<SafetyItem>,
    /// Step 5, the person's own (the starter lines are not stored).
    pub professionals: Vec<SafetyItem>,
    /// Step 6.
    pub safer_surroundings: Vec<SafetyItem>,
    /// The hope list.
    pub reasons: Vec<SafetyItem>,
    /// The ISO 3166 country whose starter lines are shown (`None`: guessed from the zone).
    pub country: Option<String>,
    /// Starter lines the person confirmed.
    pub confirmed_lines: Vec<String>,
    /// Starter lines the person removed.
    pub removed_lines: Vec<String>,
    /// 1 for the first saved plan, one more for each edit.
    pub version: i32,
    /// When it was last edited.
    pub updated_at: Option<DateTime<Utc>>,
    /// When each item was last added and removed on any device, so two devices' additions
    /// merge item by item (sync bookkeeping: digests and times, never text; left out of the
    /// JSON export).
    #[serde(default, skip_serializing)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub item_marks: Vec<ItemMark>,
}

/// The name of an item of `section` for merging (see `recovery::items`).
fn item_key(section: PlanSection, item: &SafetyItem) -> String {
    let contact = item.contact_id.map(|c| *c.as_bytes());
    items::item_key(&[
        &[section.step() as u8, section as u8],
        item.text.as_bytes(),
        item.card_id.as_deref().unwrap_or("").as_bytes(),
        contact.as_ref().map_or(&[][..], |c| &c[..]),
        item.phone.as_deref().unwrap_or("").as_bytes(),
    ])
}

impl SafetyPlan {
    /// The item names of every section, in the plan's order.
    fn item_keys(&self) -> Vec<String> {
        PlanSection::ALL
            .iter()
            .flat_map(|&section| {
                self.section(section)
                    .iter()
                    .map(move |i| item_key(section, i))
            })
            .collect()
    }

    /// Notes in the marks what an edit changed, from the plan as it was (`before`), at
    /// `now` (see `recovery::items`).
    pub(crate) fn note_changes(&mut self, before: &SafetyPlan, now: DateTime<Utc>) {
        let after = self.item_keys();
        items::note_changes(
            &mut self.item_marks,
            &before.item_keys(),
            &after,
            now.timestamp_millis(),
        );
    }

    /// Two concurrent versions merged item by item (see `recovery::items`); the country and
    /// the rest from `winner`, starter lines confirmed or removed on either kept.
    pub(crate) fn merge_items(winner: SafetyPlan, loser: &SafetyPlan) -> SafetyPlan {
        let marks = items::merge_marks(&winner.item_marks, &loser.item_marks);
        let mut merged = winner.clone();
        for section in PlanSection::ALL {
            *merged.section_mut(section) = items::merge_list(
                winner.section(section),
                loser.section(section),
                |i| item_key(section, i),
                &marks,
                validate::MAX_LIST,
            );
        }
        for line in &loser.confirmed_lines {
            if !merged.confirmed_lines.contains(line) && !winner.removed_lines.contains(line) {
                merged.confirmed_lines.push(line.clone());
            }
        }
        for line in &loser.removed_lines {
            if !merged.removed_lines.contains(line) && !winner.confirmed_lines.contains(line) {
                merged.removed_lines.push(line.clone());
            }
        }
        merged.version = winner.version.max(loser.version);
        merged.updated_at = winner.updated_at.max(loser.updated_at);
        merged.item_marks = marks;
        merged
    }

    /// The items of `section`.
    pub fn section(&self, section: PlanSection) -> &Vec<SafetyItem> {
        match section {
            PlanSection::WarningSigns => &self.warning_signs,
            PlanSection::OnMyOwn => &self.on_my_own,
            PlanSection::Distractions => &self.distractions,
            PlanSection::AskForHelp => &self.ask_for_help,
            PlanSection::Professionals => &self.professionals,
            PlanSection::SaferSurroundings => &self.safer_surroundings,
            PlanSection::Reasons => &self.reasons,
        }
    }

    /// The items of `section`, to change.
    pub(crate) fn section_mut(&mut self, section: PlanSection) -> &mut Vec<SafetyItem> {
        match section {
            PlanSection::WarningSigns => &mut self.warning_signs,
            PlanSection::OnMyOwn => &mut self.on_my_own,
            PlanSection::Distractions => &mut self.distractions,
            PlanSection::AskForHelp => &mut self.ask_for_help,
            PlanSection::Professionals => &mut self.professionals,
            PlanSection::SaferSurroundings => &mut self.safer_surroundings,
            PlanSection::Reasons => &mut self.reasons,
        }
    }

    /// Overwrites every text it holds (on lock).
    pub(crate) fn wipe(&mut self) {
        use zeroize::Zeroize;
        for section in PlanSection::ALL {
            for item in self.section_mut(section) {
                item.text.zeroize();
                if let Some(card) = &mut item.card_id {
                    card.zeroize();
                }
                if let Some(phone) = &mut item.phone {
                    phone.zeroize();
                }
            }
        }
    }
}

/// Checks one item: the text within [`ITEM_TEXT`] (empty only when it links a card or a
/// contact), a phone number as a contact's, a card only in step 2 and a contact only in
/// steps 3-5.
pub(crate) fn check_item(section: PlanSection, item: &SafetyItem) -> Result<()> {
    if item.text.trim().is_empty() && item.card_id.is_none() && item.contact_id.is_none() {
        return Err(Error::invalid(
            "text",
            "must not be empty unless the item links a card or a contact",
        ));
    }
    validate::optional_text("text", Some(&item.text), ITEM_TEXT)?;
    if let Some(phone) = &item.phone {
        validate::phone("phone", phone)?;
    }
    if item.card_id.is_some() && section != PlanSection::OnMyOwn {
        return Err(Error::invalid(
            "card_id",
            "links a card only in things I can do on my own",
        ));
    }
    if let Some(card) = &item.card_id {
        validate::required_text("card_id", card, 64)?;
    }
    if item.contact_id.is_some()
        && !matches!(
            section,
            PlanSection::Distractions | PlanSection::AskForHelp | PlanSection::Professionals
        )
    {
        return Err(Error::invalid(
            "contact_id",
            "links a contact only in distractions, people to ask or professionals",
        ));
    }
    Ok(())
}

/// Checks a whole plan (as stored or arriving from a backup).
pub(crate) fn check_plan(plan: &SafetyPlan) -> Result<()> {
    for section in PlanSection::ALL {
        let items = plan.section(section);
        if items.len() > validate::MAX_LIST {
            return Err(Error::invalid(
                "items",
                format!("must have at most {} items per section", validate::MAX_LIST),
            ));
        }
        for item in items {
            check_item(section, item)?;
        }
    }
    if let Some(country) = &plan.country {
        check_country(country)?;
    }
    for id in plan.confirmed_lines.iter().chain(&plan.removed_lines) {
        validate::required_text("line", id, 64)?;
    }
    if plan.confirmed_lines.len() + plan.removed_lines.len() > 200 {
        return Err(Error::invalid("line", "must name at most 200 lines"));
    }
    items::check_marks(&plan.item_marks)?;
    Ok(())
}

/// Checks a country code: two ASCII capital letters.
pub(crate) fn check_country(code: &str) -> Result<()> {
    if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "country",
            "must be a two-letter ISO 3166 code such as US or GB",
        ));
    }
    Ok(())
}

/// A card an item links, as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LinkedCard {
    /// The card's id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// A contact an item links, as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LinkedContact {
    /// The contact's id.
    pub id: RecordId,
    /// Their name.
    pub name: String,
    /// Their number, if known.
    pub phone: Option<String>,
}

/// One item of the plan as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyItemView {
    /// Its place in its section, from 1 (what edits and removals name).
    pub number: i32,
    /// What the person wrote.
    pub text: String,
    /// The card it links, if it still exists.
    pub card: Option<LinkedCard>,
    /// The contact it links, if they are still in the network.
    pub contact: Option<LinkedContact>,
    /// The number on the item itself.
    pub phone: Option<String>,
    /// True when the card or contact it linked is gone.
    pub link_missing: bool,
}

/// One section as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetySectionView {
    /// Which section.
    pub section: PlanSection,
    /// Its step (1-6; 0 for reasons).
    pub step: i32,
    /// Its heading.
    pub title: String,
    /// Its items.
    pub items: Vec<SafetyItemView>,
}

/// The safety plan as the person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlanView {
    /// The six steps, then the reasons.
    pub sections: Vec<SafetySectionView>,
    /// Starter crisis lines for the country, after the person's own professionals (step 5).
    pub crisis_lines: Vec<CrisisLine>,
    /// The country the starter lines are for: where the person's zone says they are now,
    /// else the one they chose (`None`: none known; all are listed). When the two differ
    /// (a move, a trip) the lines of both are listed, the current country's first.
    pub country: Option<String>,
    /// The country the person chose, if any.
    pub chosen_country: Option<String>,
    /// The emergency number of `country`, when known ("999"); otherwise the shells say
    /// "your local emergency number".
    pub emergency_number: Option<String>,
    /// 0 before the first edit.
    pub version: i32,
    /// When it was last edited.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The plan as shown, with its links resolved against the deck and the contacts.
pub fn view(
    plan: &SafetyPlan,
    deck: &[CopingCard],
    contacts: &[SupportContact],
    time_zone: &str,
) -> SafetyPlanView {
    let sections = PlanSection::ALL
        .iter()
        .map(|&section| SafetySectionView {
            section,
            step: section.step(),
            title: section.title().to_owned(),
            items: plan
                .section(section)
                .iter()
                .enumerate()
                .map(|(i, item)| item_view(i, item, deck, contacts))
                .collect(),
        })
        .collect();
    let here = crisis_lines::country_of_zone(time_zone).map(str::to_owned);
    let country = here.clone().or_else(|| plan.country.clone());
    let mut lines = crisis_lines::for_country(
        country.as_deref(),
        &plan.confirmed_lines,
        &plan.removed_lines,
    );
    if let (Some(chosen), Some(_)) = (&plan.country, &here) {
        if Some(chosen) != country.as_ref() {
            lines.extend(crisis_lines::for_country(
                Some(chosen),
                &plan.confirmed_lines,
                &plan.removed_lines,
            ));
        }
    }
    SafetyPlanView {
        sections,
        crisis_lines: lines,
        emergency_number: country
            .as_deref()
            .and_then(crisis_lines::emergency_number)
            .map(str::to_owned),
        chosen_country: plan.country.clone(),
        country,
        version: plan.version,
        updated_at: plan.updated_at,
    }
}

fn item_view(
    index: usize,
    item: &SafetyItem,
    deck: &[CopingCard],
    contacts: &[SupportContact],
) -> SafetyItemView {
    let card = item.card_id.as_ref().and_then(|id| {
        deck.iter().find(|c| &c.id == id).map(|c| LinkedCard {
            id: c.id.clone(),
            title: c.title.clone(),
        })
    });
    let contact = item.contact_id.and_then(|id| {
        contacts.iter().find(|c| c.id == id).map(|c| LinkedContact {
            id: c.id,
            name: c.name.clone(),
            phone: c.phone.clone(),
        })
    });
    SafetyItemView {
        number: super::counts::of_len(index).saturating_add(1),
        text: item.text.clone(),
        link_missing: (item.card_id.is_some() && card.is_none())
            || (item.contact_id.is_some() && contact.is_none()),
        card,
        contact,
        phone: item.phone.clone(),
    }
}
