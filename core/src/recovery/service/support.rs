//! Contacts, outreach and meetings.

use super::{load_in, not_found, save, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::review::fresh_start;
use crate::recovery::snapshot::{kind, Snapshot};
use crate::recovery::support::{
    ninety_in_ninety, ContactInput, ContactPatch, Meeting, MeetingInput, MeetingPatch,
    NinetyInNinety, Outreach, OutreachInput, OutreachPatch, SupportContact,
};
use crate::recovery::validate;
use crate::RecordWriter;
use chrono::{Duration, NaiveDate};

/// How far ahead of the clock a logged time may be (phones disagree by a little).
const FUTURE_SLACK_MINUTES: i64 = 5;

impl Recovery {
    /// Adds someone to the support network.
    pub fn add_contact(&self, input: ContactInput) -> Result<SupportContact> {
        input.validate()?;
        let contact = contact_from(RecordId::random()?, input);
        self.journal
            .write(|w| save(w, &contact.id, kind::CONTACT, &contact))?;
        Ok(contact)
    }

    /// Edits a contact: the fields the patch gives change, the rest stay.
    pub fn edit_contact(&self, id: &RecordId, patch: ContactPatch) -> Result<SupportContact> {
        let old: SupportContact = self.load(id, kind::CONTACT).map_err(|e| match e {
            Error::NotFound { .. } => not_found("contact", id),
            other => other,
        })?;
        let input = patch.apply(&old);
        input.validate()?;
        let contact = contact_from(*id, input);
        self.journal
            .write(|w| save(w, id, kind::CONTACT, &contact))?;
        Ok(contact)
    }

    /// Removes a contact. The outreach log keeps its entries (counted under "other").
    pub fn delete_contact(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind(id, kind::CONTACT, "contact")
    }

    /// The support network, by name.
    pub fn contacts(&self) -> Result<Vec<SupportContact>> {
        Ok(Snapshot::load_only(&self.journal, &[kind::CONTACT])?.contacts)
    }

    /// Logs reaching out to a contact, now or (with `at`) earlier.
    pub fn log_outreach(&self, input: OutreachInput) -> Result<Outreach> {
        let time_zone = self.settings()?.time_zone;
        let outreach = self.checked_outreach(RecordId::random()?, input, time_zone)?;
        self.journal.write(|w| {
            require_contact(w, &outreach.contact_id)?;
            save(w, &outreach.id, kind::OUTREACH, &outreach)
        })?;
        Ok(outreach)
    }

    /// Edits a logged outreach: the fields the patch gives change, the rest stay, and so
    /// does the zone it was logged in.
    pub fn edit_outreach(&self, id: &RecordId, patch: OutreachPatch) -> Result<Outreach> {
        let old: Outreach = self.load(id, kind::OUTREACH).map_err(|e| match e {
            Error::NotFound { .. } => not_found("outreach", id),
            other => other,
        })?;
        let time_zone = old.time_zone.clone().unwrap_or(self.settings()?.time_zone);
        let outreach = self.checked_outreach(*id, patch.apply(&old), time_zone)?;
        self.journal.write(|w| {
            require_contact(w, &outreach.contact_id)?;
            save(w, id, kind::OUTREACH, &outreach)
        })?;
        Ok(outreach)
    }

    fn checked_outreach(
        &self,
        id: RecordId,
        input: OutreachInput,
        time_zone: String,
    ) -> Result<Outreach> {
        validate::optional_text("note", input.note.as_deref(), validate::NOTE_TEXT)?;
        let now = self.now();
        let at = input.at.unwrap_or(now);
        if at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            return Err(Error::invalid("at", "must not be in the future"));
        }
        Ok(Outreach {
            id,
            contact_id: input.contact_id,
            at,
            method: input.method,
            helped: input.helped,
            note: input.note,
            time_zone: Some(time_zone),
        })
    }

    /// Deletes an outreach entry from the log.
    pub fn delete_outreach(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind(id, kind::OUTREACH, "outreach")
    }

    /// The outreach log, oldest first.
    pub fn outreach(&self) -> Result<Vec<Outreach>> {
        Ok(Snapshot::load_only(&self.journal, &[kind::OUTREACH])?.outreach)
    }

    /// Logs a meeting attended (today unless a date is given).
    pub fn log_meeting(&self, input: MeetingInput) -> Result<Meeting> {
        let meeting = self.checked_meeting(RecordId::random()?, input)?;
        self.journal
            .write(|w| save(w, &meeting.id, kind::MEETING, &meeting))?;
        Ok(meeting)
    }

    /// Edits a logged meeting: the fields the patch gives change, the rest stay.
    pub fn edit_meeting(&self, id: &RecordId, patch: MeetingPatch) -> Result<Meeting> {
        let old: Meeting = self.load(id, kind::MEETING).map_err(|e| match e {
            Error::NotFound { .. } => not_found("meeting", id),
            other => other,
        })?;
        let meeting = self.checked_meeting(*id, patch.apply(&old))?;
        self.journal
            .write(|w| save(w, id, kind::MEETING, &meeting))?;
        Ok(meeting)
    }

    fn checked_meeting(&self, id: RecordId, input: MeetingInput) -> Result<Meeting> {
        input.validate()?;
        let date = self.day_or_today(input.date)?;
        Ok(Meeting {
            id,
            date,
            kind: input.kind,
            name: input.name,
            note: input.note,
        })
    }

    /// Deletes a meeting from the log.
    pub fn delete_meeting(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind(id, kind::MEETING, "meeting")
    }

    /// Meetings from `from` to `to` (both included), oldest first.
    pub fn meetings(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
        let snapshot = Snapshot::load_only(&self.journal, &[kind::MEETING])?;
        Ok(snapshot
            .meetings
            .into_iter()
            .filter(|m| m.date >= from && m.date <= to)
            .collect())
    }

    /// Progress towards 90 meetings in 90 days, as of today (the rule is in
    /// [`crate::recovery::support`]).
    pub fn ninety_in_ninety(&self) -> Result<NinetyInNinety> {
        let snapshot =
            Snapshot::load_only(&self.journal, &[kind::MEETING, kind::LAPSE, kind::SETTINGS])?;
        let settings = snapshot.settings.clone().unwrap_or_default();
        let today = settings.reckoner().today(self.now());
        Ok(ninety_in_ninety(
            &snapshot.meetings,
            today,
            fresh_start(&snapshot.lapses, today),
            settings.ninety_in_ninety_from,
        ))
    }

    /// Starts a new "90 meetings in 90 days" run from `from` (today when `None`): meetings
    /// before it stop counting towards the run. Not after today.
    pub fn start_ninety_in_ninety(&self, from: Option<NaiveDate>) -> Result<NinetyInNinety> {
        let from = self.day_or_today(from)?;
        let mut settings = self.settings()?;
        settings.ninety_in_ninety_from = Some(from);
        self.save_settings(settings)?;
        self.ninety_in_ninety()
    }
}

fn contact_from(id: RecordId, input: ContactInput) -> SupportContact {
    SupportContact {
        id,
        name: input.name,
        role: input.role,
        phone: input.phone,
        note: input.note,
    }
}

fn require_contact(w: &mut RecordWriter<'_>, id: &RecordId) -> Result<()> {
    match load_in::<SupportContact>(w, id, kind::CONTACT) {
        Ok(_) => Ok(()),
        Err(Error::NotFound { .. }) => Err(Error::invalid("contact_id", "must name a contact")),
        Err(other) => Err(other),
    }
}
