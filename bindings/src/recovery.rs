//! The recovery domain's verbs on [`WaymarkJournal`]; each delegates to the core's
//! `Recovery` service, which validates, writes one transaction, and maps errors to
//! [`crate::WaymarkError`]. Dates are local calendar dates (`LocalDate` in Kotlin,
//! `Day` in Swift), times of day `LocalTime` / `TimeOfDay`; instants are `Instant` / `Date`.

use crate::error::Result;
use crate::journal::WaymarkJournal;
use chrono::NaiveDate;
use waymark_core::recovery::cards::{CardInput, CardOutcome, CardSuggestion, CardUse, CopingCard};
use waymark_core::recovery::check_in::{
    CheckIn, CheckInDelivery, CheckInInput, CheckInStreak, EveningReview,
};
use waymark_core::recovery::counter::SoberCounter;
use waymark_core::recovery::entries::{EntryInput, JournalEntry};
use waymark_core::recovery::journey::{
    Journey, JourneyInput, JourneyPatch, Lapse, LapseInput, LapsePatch,
};
use waymark_core::recovery::milestones::{Milestone, MilestoneProgress};
use waymark_core::recovery::reflection::{Reflection, ReflectionInput};
use waymark_core::recovery::review::{ProgressReview, ReviewRange};
use waymark_core::recovery::screens::{Export, Home, ProgressScreen};
use waymark_core::recovery::search::SearchHit;
use waymark_core::recovery::settings::Settings;
use waymark_core::recovery::snapshot::QuarantinedRecord;
use waymark_core::recovery::support::{
    ContactInput, ContactPatch, Meeting, MeetingInput, MeetingPatch, NinetyInNinety, Outreach,
    OutreachInput, OutreachPatch, SupportContact,
};
use waymark_core::recovery::triggers::{
    TriggerCategory, TriggerEvent, TriggerInput, TriggerLogged, TriggerPatch,
};
use waymark_core::recovery::window::{DatedList, OutsideWindow};
use waymark_core::RecordId;

#[uniffi::export]
impl WaymarkJournal {
    // ---- settings -------------------------------------------------------------------

    /// The person's settings (time zone, day start).
    pub fn settings(&self) -> Result<Settings> {
        self.with(|r| r.settings())
    }

    /// Sets the person's current IANA time zone; call it when the device's zone changes.
    pub fn set_time_zone(&self, zone: String) -> Result<Settings> {
        self.with(|r| r.set_time_zone(&zone))
    }

    /// Sets the hour (0-23) the person's day starts at.
    pub fn set_day_starts_at(&self, hour: i32) -> Result<Settings> {
        self.with(|r| r.set_day_starts_at(hour))
    }

    /// Sets the person's currency (an ISO 4217 code such as "EUR"), or clears it.
    pub fn set_currency(&self, code: Option<String>) -> Result<Settings> {
        self.with(|r| r.set_currency(code.as_deref()))
    }

    /// Today's recovery day.
    pub fn today(&self) -> Result<NaiveDate> {
        self.with(|r| r.today())
    }

    // ---- journeys, lapses, counter, milestones ------------------------------------------

    /// Starts tracking a journey.
    pub fn add_journey(&self, input: JourneyInput) -> Result<Journey> {
        self.with(|r| r.add_journey(input))
    }

    /// Edits a journey: only the fields the patch gives change.
    pub fn edit_journey(&self, id: RecordId, patch: JourneyPatch) -> Result<Journey> {
        self.with(|r| r.edit_journey(&id, patch))
    }

    /// Archives or restores a journey.
    pub fn archive_journey(&self, id: RecordId, archived: bool) -> Result<Journey> {
        self.with(|r| r.archive_journey(&id, archived))
    }

    /// Deletes a journey with its lapses.
    pub fn delete_journey(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_journey(&id))
    }

    /// Every journey.
    pub fn journeys(&self) -> Result<Vec<Journey>> {
        self.with(|r| r.journeys())
    }

    /// Records a lapse or relapse (backdating allowed).
    pub fn record_lapse(&self, input: LapseInput) -> Result<Lapse> {
        self.with(|r| r.record_lapse(input))
    }

    /// Edits a lapse: only the fields the patch gives change.
    pub fn edit_lapse(&self, id: RecordId, patch: LapsePatch) -> Result<Lapse> {
        self.with(|r| r.edit_lapse(&id, patch))
    }

    /// Undoes a lapse recorded by mistake.
    pub fn undo_lapse(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.undo_lapse(&id))
    }

    /// A journey's lapses.
    pub fn lapses(&self, journey_id: RecordId) -> Result<Vec<Lapse>> {
        self.with(|r| r.lapses(&journey_id))
    }

    /// The sober-day counter of a journey, now.
    pub fn counter(&self, journey_id: RecordId) -> Result<SoberCounter> {
        self.with(|r| r.counter(&journey_id))
    }

    /// Milestones reached and next.
    pub fn milestones(&self, journey_id: RecordId) -> Result<MilestoneProgress> {
        self.with(|r| r.milestones(&journey_id))
    }

    /// Every milestone reached in every attempt, each labelled with its attempt.
    pub fn milestone_history(&self, journey_id: RecordId) -> Result<Vec<Milestone>> {
        self.with(|r| r.milestone_history(&journey_id))
    }

    /// Marks a reached milestone as celebrated.
    pub fn acknowledge_milestone(&self, journey_id: RecordId, key: String) -> Result<()> {
        self.with(|r| r.acknowledge_milestone(&journey_id, &key))
    }

    // ---- check-ins and triggers -----------------------------------------------------------

    /// Checks in (a second check-in the same day updates it).
    pub fn check_in(&self, input: CheckInInput) -> Result<CheckIn> {
        self.with(|r| r.check_in(input))
    }

    /// Checks in now if unlocked; if locked (a notification action after the app locked the
    /// journal), holds the check-in in memory with the moment it was given and writes it at
    /// the next unlock: `Held` means "ask the person to unlock". An invalid input is refused
    /// at once either way. Never slow.
    pub fn check_in_or_hold(&self, input: CheckInInput) -> Result<CheckInDelivery> {
        self.with(|r| r.check_in_or_hold(input))
    }

    /// How many check-ins given while locked wait for the next unlock.
    pub fn held_check_ins(&self) -> Result<i32> {
        self.with(|r| Ok(r.held_check_ins()))
    }

    /// Writes the check-ins held while locked (every unlock does this already); returns how
    /// many were written. A failure leaves the rest held.
    pub fn deliver_held_check_ins(&self) -> Result<i32> {
        self.with(|r| r.deliver_held_check_ins())
    }

    /// Writes a day's evening review (today when `date` is absent).
    pub fn write_evening_review(
        &self,
        date: Option<NaiveDate>,
        review: EveningReview,
    ) -> Result<CheckIn> {
        self.with(|r| r.write_evening_review(date, review))
    }

    /// The check-in of one day.
    pub fn check_in_on(&self, date: NaiveDate) -> Result<Option<CheckIn>> {
        self.with(|r| r.check_in_on(date))
    }

    /// Check-ins between two dates, both included.
    pub fn check_ins(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckIn>> {
        self.with(|r| r.check_ins(from, to))
    }

    /// Deletes a day's check-in.
    pub fn delete_check_in(&self, date: NaiveDate) -> Result<()> {
        self.with(|r| r.delete_check_in(date))
    }

    /// Check-in streak and missed days.
    pub fn check_in_streak(&self) -> Result<CheckInStreak> {
        self.with(|r| r.check_in_streak())
    }

    /// Logs a trigger as it happens.
    pub fn log_trigger(&self, input: TriggerInput) -> Result<TriggerLogged> {
        self.with(|r| r.log_trigger(input))
    }

    /// Edits a logged trigger (typically to add how it ended): only the fields the patch
    /// gives change.
    pub fn edit_trigger(&self, id: RecordId, patch: TriggerPatch) -> Result<TriggerLogged> {
        self.with(|r| r.edit_trigger(&id, patch))
    }

    /// One logged trigger.
    pub fn trigger(&self, id: RecordId) -> Result<TriggerEvent> {
        self.with(|r| r.trigger(&id))
    }

    /// Triggers between two local dates, both included.
    pub fn triggers(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<TriggerEvent>> {
        self.with(|r| r.triggers(from, to))
    }

    /// Deletes a trigger.
    pub fn delete_trigger(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_trigger(&id))
    }

    // ---- coping cards ----------------------------------------------------------------------

    /// The deck (archived cards only when asked).
    pub fn cards(&self, include_archived: bool) -> Result<Vec<CopingCard>> {
        self.with(|r| r.cards(include_archived))
    }

    /// One card.
    pub fn card(&self, card_id: String) -> Result<CopingCard> {
        self.with(|r| r.card(&card_id))
    }

    /// Adds the person's own card.
    pub fn add_card(&self, input: CardInput) -> Result<CopingCard> {
        self.with(|r| r.add_card(input))
    }

    /// Edits the person's own card.
    pub fn edit_card(&self, card_id: String, input: CardInput) -> Result<CopingCard> {
        self.with(|r| r.edit_card(&card_id, input))
    }

    /// Marks or unmarks a favourite.
    pub fn set_card_favourite(&self, card_id: String, favourite: bool) -> Result<CopingCard> {
        self.with(|r| r.set_card_favourite(&card_id, favourite))
    }

    /// Archives or restores a card.
    pub fn archive_card(&self, card_id: String, archived: bool) -> Result<CopingCard> {
        self.with(|r| r.archive_card(&card_id, archived))
    }

    /// Records a use of a card.
    pub fn use_card(
        &self,
        card_id: String,
        outcome: CardOutcome,
        category: Option<TriggerCategory>,
        trigger_id: Option<RecordId>,
    ) -> Result<CardUse> {
        self.with(|r| r.use_card(&card_id, outcome, category, trigger_id))
    }

    /// Cards ranked for a trigger category by what has helped.
    pub fn suggest_cards(&self, category: TriggerCategory) -> Result<Vec<CardSuggestion>> {
        self.with(|r| r.suggest_cards(category))
    }

    // ---- reflections, entries, search ------------------------------------------------------

    /// Saves a reflection: new when `id` is absent, else an update; drafts allowed.
    pub fn save_reflection(
        &self,
        id: Option<RecordId>,
        input: ReflectionInput,
    ) -> Result<Reflection> {
        self.with(|r| r.save_reflection(id.as_ref(), input))
    }

    /// Continues a reflection: answers given replace, others stay, plan items and links are
    /// added; `draft: false` finishes it.
    pub fn continue_reflection(&self, id: RecordId, input: ReflectionInput) -> Result<Reflection> {
        self.with(|r| r.continue_reflection(&id, input))
    }

    /// One reflection.
    pub fn reflection(&self, id: RecordId) -> Result<Reflection> {
        self.with(|r| r.reflection(&id))
    }

    /// Reflections: all, or those on one lapse.
    pub fn reflections(&self, lapse_id: Option<RecordId>) -> Result<Vec<Reflection>> {
        self.with(|r| r.reflections(lapse_id.as_ref()))
    }

    /// Deletes a reflection.
    pub fn delete_reflection(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_reflection(&id))
    }

    /// Turns a plan item into a coping card (once).
    pub fn plan_item_to_card(&self, reflection_id: RecordId, index: i32) -> Result<CopingCard> {
        self.with(|r| r.plan_item_to_card(&reflection_id, index))
    }

    /// Writes a journal entry.
    pub fn write_entry(&self, input: EntryInput) -> Result<JournalEntry> {
        self.with(|r| r.write_entry(input))
    }

    /// Edits an entry.
    pub fn edit_entry(&self, id: RecordId, input: EntryInput) -> Result<JournalEntry> {
        self.with(|r| r.edit_entry(&id, input))
    }

    /// One entry.
    pub fn entry(&self, id: RecordId) -> Result<JournalEntry> {
        self.with(|r| r.entry(&id))
    }

    /// Entries between two dates, both included.
    pub fn entries(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<JournalEntry>> {
        self.with(|r| r.entries(from, to))
    }

    /// What the days `from..=to` leave out of a list over days (check-ins, triggers,
    /// entries, meetings, outreach): how many earlier and later, from and to which day. A
    /// screen shows "none in the last 30 days; 12 earlier" instead of an empty list.
    pub fn outside_window(
        &self,
        list: DatedList,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<OutsideWindow> {
        self.with(|r| r.outside_window(list, from, to))
    }

    /// Deletes an entry.
    pub fn delete_entry(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_entry(&id))
    }

    /// Records in quarantine (arrived from a backup and broke a rule of their kind, or a
    /// duplicate a key rotation found): kept, never applied. Show them so the person can
    /// read and discard them.
    pub fn quarantined(&self) -> Result<Vec<QuarantinedRecord>> {
        self.with(|r| r.quarantined())
    }

    /// What a quarantined record holds, as JSON with its kind's fields. `NotFound` unless it
    /// is in quarantine.
    pub fn quarantined_content(&self, id: RecordId) -> Result<String> {
        self.with(|r| r.quarantined_content(&id))
    }

    /// Erases a quarantined record for good. `NotFound` unless it is in quarantine.
    pub fn discard_quarantined(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.discard_quarantined(&id))
    }

    /// Searches everything written, in memory; newest first.
    pub fn search(&self, query: String, limit: i32) -> Result<Vec<SearchHit>> {
        self.with(|r| r.search(&query, limit as usize))
    }

    // ---- support ------------------------------------------------------------------------------

    /// Adds a contact.
    pub fn add_contact(&self, input: ContactInput) -> Result<SupportContact> {
        self.with(|r| r.add_contact(input))
    }

    /// Edits a contact: only the fields the patch gives change.
    pub fn edit_contact(&self, id: RecordId, patch: ContactPatch) -> Result<SupportContact> {
        self.with(|r| r.edit_contact(&id, patch))
    }

    /// Removes a contact.
    pub fn delete_contact(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_contact(&id))
    }

    /// The support network.
    pub fn contacts(&self) -> Result<Vec<SupportContact>> {
        self.with(|r| r.contacts())
    }

    /// Logs reaching out to a contact, now or earlier.
    pub fn log_outreach(&self, input: OutreachInput) -> Result<Outreach> {
        self.with(|r| r.log_outreach(input))
    }

    /// Edits a logged outreach: only the fields the patch gives change.
    pub fn edit_outreach(&self, id: RecordId, patch: OutreachPatch) -> Result<Outreach> {
        self.with(|r| r.edit_outreach(&id, patch))
    }

    /// Deletes an outreach entry.
    pub fn delete_outreach(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_outreach(&id))
    }

    /// The outreach log.
    pub fn outreach(&self) -> Result<Vec<Outreach>> {
        self.with(|r| r.outreach())
    }

    /// Logs a meeting.
    pub fn log_meeting(&self, input: MeetingInput) -> Result<Meeting> {
        self.with(|r| r.log_meeting(input))
    }

    /// Edits a logged meeting: only the fields the patch gives change.
    pub fn edit_meeting(&self, id: RecordId, patch: MeetingPatch) -> Result<Meeting> {
        self.with(|r| r.edit_meeting(&id, patch))
    }

    /// Deletes a meeting.
    pub fn delete_meeting(&self, id: RecordId) -> Result<()> {
        self.with(|r| r.delete_meeting(&id))
    }

    /// Meetings between two dates, both included.
    pub fn meetings(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
        self.with(|r| r.meetings(from, to))
    }

    /// Progress towards 90 meetings in 90 days.
    pub fn ninety_in_ninety(&self) -> Result<NinetyInNinety> {
        self.with(|r| r.ninety_in_ninety())
    }

    /// Starts a new "90 in 90" run from a day (today when `None`).
    pub fn start_ninety_in_ninety(&self, from: Option<NaiveDate>) -> Result<NinetyInNinety> {
        self.with(|r| r.start_ninety_in_ninety(from))
    }

    // ---- screens -------------------------------------------------------------------------------

    /// The home screen: today's recovery day, each journey's counter and next milestone,
    /// today's check-in (or none yet), the check-in streak, milestones to celebrate, and
    /// cards for the most frequent recent trigger. From the warm journal: no decryption after
    /// the first screen.
    pub fn home(&self) -> Result<Home> {
        self.with(|r| r.home())
    }

    /// The progress screen over a range: counters, milestones and each day's status per
    /// journey, the check-in streak, mood and craving per day.
    pub fn progress(&self, range: ReviewRange) -> Result<ProgressScreen> {
        self.with(|r| r.progress(range))
    }

    /// Everything the person wrote and recorded, readable (`waymark-export/1`): plaintext,
    /// only for an explicit export.
    pub fn export(&self) -> Result<Export> {
        self.with(|r| r.export())
    }

    // ---- review and demo ----------------------------------------------------------------------

    /// The progress review for a range.
    pub fn review_progress(&self, range: ReviewRange) -> Result<ProgressReview> {
        self.with(|r| r.review_progress(range))
    }

    /// The progress report for `range` as one self-contained HTML document (inline CSS and
    /// SVG, no scripts, nothing loaded), with the safety plan on a page of its own when
    /// `with_safety_plan`: the same page `waymark report` writes. It holds what the person
    /// wrote, readable: hand it to the share sheet only when they ask, and never cache it.
    pub fn report_html(&self, range: ReviewRange, with_safety_plan: bool) -> Result<String> {
        self.with(|r| r.report_html(range, with_safety_plan))
    }
}
