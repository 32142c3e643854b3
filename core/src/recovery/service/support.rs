//! Contacts, outreach and meetings.

use super::{not_found, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::review::fresh_start;
use crate::recovery::stored;
use crate::recovery::support::{
    ninety_in_ninety, ContactInput, ContactPatch, Meeting, MeetingInput, MeetingPatch,
    NinetyInNinety, Outreach, OutreachInput, OutreachPatch, SupportContact,
};
use crate::recovery::validate;
use crate::recovery::window::DatedList;
use crate::RecordWriter;
use chrono::{Duration, NaiveDate};

/// How far ahead of the clock a logged time may be (phones disagree by a little).
const FUTURE_SLACK_MINUTES: i64 = 5;

impl Recovery {
    /// Adds someone to the support network.
    pub fn add_contact(&self, input: ContactInput) -> Result<SupportContact> {
        input.validate()?;
        let contact = contact_from(RecordId::random()?, input);
        self.write(|w| stored::save(w, &contact))?;
        Ok(contact)
    }

    /// Edits a contact: the fields the patch gives change, the rest stay.
    pub fn edit_contact(&self, id: &RecordId, patch: ContactPatch) -> Result<SupportContact> {
        let old = self.view(|s| {
            s.contacts
                .iter()
                .find(|c| c.id == *id)
                .cloned()
                .ok_or_else(|| not_found("contact", id))
        })?;
        let input = patch.apply(&old);
        input.validate()?;
        let contact = contact_from(*id, input);
        self.write(|w| stored::save(w, &contact))?;
        Ok(contact)
    }

    /// Removes a contact. The outreach log keeps its entries (counted under "other").
    pub fn delete_contact(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind::<SupportContact>(id, "contact")
    }

    /// The support network, by name.
    pub fn contacts(&self) -> Result<Vec<SupportContact>> {
        self.view(|s| Ok(s.contacts.clone()))
    }

    /// Logs reaching out to a contact, now or (with `at`) earlier.
    pub fn log_outreach(&self, input: OutreachInput) -> Result<Outreach> {
        let time_zone = self.settings()?.time_zone;
        let outreach = self.checked_outreach(RecordId::random()?, input, time_zone)?;
        self.write(|w| {
            require_contact(w, &outreach.contact_id)?;
            stored::save(w, &outreach)
        })?;
        Ok(outreach)
    }

    /// Edits a logged outreach: the fields the patch gives change, the rest stay, and so
    /// does the zone it was logged in.
    pub fn edit_outreach(&self, id: &RecordId, patch: OutreachPatch) -> Result<Outreach> {
        let old = self.view(|s| {
            s.outreach
                .iter()
                .find(|o| o.id == *id)
                .cloned()
                .ok_or_else(|| not_found("outreach", id))
        })?;
        let time_zone = old.time_zone.clone().unwrap_or(self.settings()?.time_zone);
        let outreach = self.checked_outreach(*id, patch.apply(&old), time_zone)?;
        self.write(|w| {
            require_contact(w, &outreach.contact_id)?;
            stored::save(w, &outreach)
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
        self.delete_of_kind::<Outreach>(id, "outreach")
    }

    /// The outreach log, oldest first.
    pub fn outreach(&self) -> Result<Vec<Outreach>> {
        self.view(|s| Ok(s.outreach.clone()))
    }

    /// Logs a meeting attended (today unless a date is given).
    pub fn log_meeting(&self, input: MeetingInput) -> Result<Meeting> {
        let meeting = self.checked_meeting(RecordId::random()?, input)?;
        self.write(|w| stored::save(w, &meeting))?;
        Ok(meeting)
    }

    /// Edits a logged meeting: the fields the patch gives change, the rest stay.
    pub fn edit_meeting(&self, id: &RecordId, patch: MeetingPatch) -> Result<Meeting> {
        let old = self.view(|s| {
            s.meetings
                .iter()
                .find(|m| m.id == *id)
                .cloned()
                .ok_or_else(|| not_found("meeting", id))
        })?;
        let meeting = self.checked_meeting(*id, patch.apply(&old))?;
        self.write(|w| stored::save(w, &meeting))?;
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
        self.delete_of_kind::<Meeting>(id, "meeting")
    }

    /// Meetings from `from` to `to` (both included), oldest first.
    pub fn meetings(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
        self.view(|s| {
            let days = super::window::days_of(s, DatedList::Meetings);
            Ok(super::window::between(&s.meetings, &days, from, to))
        })
    }

    /// Progress towards 90 meetings in 90 days, as of today (the rule is in
    /// [`crate::recovery::support`]).
    pub fn ninety_in_ninety(&self) -> Result<NinetyInNinety> {
        self.view(|s| Ok(ninety_in(s, self.now())))
    }

    /// Starts a new "90 meetings in 90 days" run from `from` (today when `None`): meetings
    /// before it stop counting towards the run. Not after today.
    pub fn start_ninety_in_ninety(&self, from: Option<NaiveDate>) -> Result<NinetyInNinety> {
        let today = self.today()?;
        let from = from.unwrap_or(today);
        if from > today {
            return Err(Error::invalid("from", "must not be after today"));
        }
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
    match stored::load::<SupportContact>(w, id)? {
        Some(_) => Ok(()),
        None => Err(Error::invalid("contact_id", "must name a contact")),
    }
}

/// "90 in 90" in a snapshot, as of `now`.
pub(super) fn ninety_in(
    s: &crate::recovery::snapshot::Snapshot,
    now: chrono::DateTime<chrono::Utc>,
) -> NinetyInNinety {
    let settings = s.settings.clone().unwrap_or_default();
    let today = settings.reckoner().today(now);
    ninety_in_ninety(
        &s.meetings,
        today,
        fresh_start(&s.lapses, today),
        settings.ninety_in_ninety_from,
    )
}
