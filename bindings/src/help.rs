//! The safety plan, help now, urge surfing, reminders and limit goals on
//! [`WaymarkJournal`]. Every call is a short read or one small write: fine off the main
//! thread like the rest (the Kotlin and Swift shells wrap them as suspend / async).

use crate::error::Result;
use crate::journal::WaymarkJournal;
use chrono::NaiveDate;
use waymark_core::recovery::help_now::HelpNow;
use waymark_core::recovery::limits::{LimitProgress, UseLog};
use waymark_core::recovery::reminders::{Reminder, ReminderPrefs, RiskyWindow};
use waymark_core::recovery::safety_plan::{PlanSection, SafetyItem, SafetyPlanView};
use waymark_core::recovery::support::Outreach;
use waymark_core::recovery::urge::{UrgeSession, UrgeSessionEnded};
use waymark_core::RecordId;

#[uniffi::export]
impl WaymarkJournal {
    // ---- the safety plan -------------------------------------------------------------

    /// The safety plan as the person reads it: six steps, the reasons, links resolved, and
    /// the starter crisis lines for their country after their own.
    pub fn safety_plan(&self) -> Result<SafetyPlanView> {
        self.with(|r| r.safety_plan())
    }

    /// Adds an item at the end of a section.
    pub fn add_safety_item(
        &self,
        section: PlanSection,
        item: SafetyItem,
    ) -> Result<SafetyPlanView> {
        self.with(|r| r.add_safety_item(section, item))
    }

    /// Replaces item `number` (from 1) of a section.
    pub fn edit_safety_item(
        &self,
        section: PlanSection,
        number: i32,
        item: SafetyItem,
    ) -> Result<SafetyPlanView> {
        self.with(|r| r.edit_safety_item(section, number, item))
    }

    /// Removes item `number` (from 1) of a section.
    pub fn remove_safety_item(&self, section: PlanSection, number: i32) -> Result<SafetyPlanView> {
        self.with(|r| r.remove_safety_item(section, number))
    }

    /// Replaces a whole section.
    pub fn set_safety_section(
        &self,
        section: PlanSection,
        items: Vec<SafetyItem>,
    ) -> Result<SafetyPlanView> {
        self.with(|r| r.set_safety_section(section, items))
    }

    /// Marks a starter crisis line as checked by the person.
    pub fn confirm_crisis_line(&self, line_id: String) -> Result<SafetyPlanView> {
        self.with(|r| r.confirm_crisis_line(&line_id))
    }

    /// Takes a starter crisis line off the plan.
    pub fn remove_crisis_line(&self, line_id: String) -> Result<SafetyPlanView> {
        self.with(|r| r.remove_crisis_line(&line_id))
    }

    /// The country whose starter lines are shown (`None`: guessed from the time zone).
    pub fn set_safety_country(&self, country: Option<String>) -> Result<SafetyPlanView> {
        self.with(|r| r.set_safety_country(country.as_deref()))
    }

    // ---- help now and urge surfing ------------------------------------------------------

    /// Help now: first steps, cards for this hour, people and lines to call, and an
    /// urge-surfing session started (or the open one from the last two hours).
    pub fn help_now(&self, intensity: Option<i32>) -> Result<HelpNow> {
        self.with(|r| r.help_now(intensity))
    }

    /// Logs a call to a contact made from help now, as outreach.
    pub fn call_from_help_now(&self, contact_id: RecordId) -> Result<Outreach> {
        self.with(|r| r.call_from_help_now(&contact_id))
    }

    /// Ends an urge-surfing session (`None`: the open one) with the urge now (0-10) and the
    /// card used; the card's ranking learns from it.
    pub fn end_urge_session(
        &self,
        session_id: Option<RecordId>,
        intensity_end: i32,
        card_id: Option<String>,
    ) -> Result<UrgeSessionEnded> {
        self.with(|r| r.end_urge_session(session_id, intensity_end, card_id.as_deref()))
    }

    /// Every urge-surfing session, oldest first.
    pub fn urge_sessions(&self) -> Result<Vec<UrgeSession>> {
        self.with(|r| r.urge_sessions())
    }

    // ---- reminders ------------------------------------------------------------------

    /// The reminder settings (defaults until first saved).
    pub fn reminder_prefs(&self) -> Result<ReminderPrefs> {
        self.with(|r| r.reminder_prefs())
    }

    /// Saves the reminder settings.
    pub fn set_reminder_prefs(&self, prefs: ReminderPrefs) -> Result<ReminderPrefs> {
        self.with(|r| r.set_reminder_prefs(prefs))
    }

    /// The notifications to schedule over the next `days` days (1-14), soonest first;
    /// replace what was scheduled before with these (ids are stable).
    pub fn reminders(&self, days: i32) -> Result<Vec<Reminder>> {
        self.with(|r| r.reminders(days))
    }

    /// The two hours the trigger log says are hardest, when it says so.
    pub fn riskiest_window(&self) -> Result<Option<RiskyWindow>> {
        self.with(|r| r.riskiest_window())
    }

    // ---- limit goals ---------------------------------------------------------------------

    /// Logs an amount (hundredths of the unit) for a day (`None`: today) on a limit journey.
    pub fn log_use(
        &self,
        journey_id: RecordId,
        amount_hundredths: i32,
        date: Option<NaiveDate>,
    ) -> Result<UseLog> {
        self.with(|r| r.log_use(&journey_id, amount_hundredths, date))
    }

    /// The amounts logged for a journey, oldest first.
    pub fn uses(&self, journey_id: RecordId) -> Result<Vec<UseLog>> {
        self.with(|r| r.uses(&journey_id))
    }

    /// Erases a logged amount.
    pub fn delete_use(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_use(&id))
    }

    /// How a limit journey is going today; `None` for an abstinence journey.
    pub fn limit_progress(&self, journey_id: RecordId) -> Result<Option<LimitProgress>> {
        self.with(|r| r.limit_progress(&journey_id))
    }
}

/// Reads an amount a person typed ("2", "1.5", "0,75") as hundredths; errors name
/// `amount` (the core's one rule, so the phone and the command line agree).
#[uniffi::export]
pub fn parse_limit_amount(text: String) -> Result<i32> {
    waymark_core::recovery::limits::parse_amount("amount", &text).map_err(Into::into)
}
