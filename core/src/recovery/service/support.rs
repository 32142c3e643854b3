//! Contacts, outreach and meetings.

use super::{load_in, save, Recovery};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::snapshot::{kind, Snapshot};
use crate::recovery::support::{
    ninety_in_ninety, ContactInput, Meeting, MeetingInput, NinetyInNinety, Outreach,
    OutreachMethod, SupportContact,
};
use crate::recovery::validate;
use chrono::NaiveDate;

impl Recovery {
    /// Adds someone to the support network.
    pub fn add_contact(&self, input: ContactInput) -> Result<SupportContact> {
        self.save_contact(None, input)
    }

    /// Edits a contact.
    pub fn edit_contact(&self, id: &RecordId, input: ContactInput) -> Result<SupportContact> {
        self.save_contact(Some(id), input)
    }

    fn save_contact(&self, id: Option<&RecordId>, input: ContactInput) -> Result<SupportContact> {
        input.validate()?;
        self.journal.write(|w| {
            let id = match id {
                Some(id) => {
                    load_in::<SupportContact>(w, id, kind::CONTACT)?;
                    *id
                }
                None => RecordId::random()?,
            };
            let contact = SupportContact {
                id,
                name: input.name,
                role: input.role,
                phone: input.phone,
                note: input.note,
            };
            save(w, &id, kind::CONTACT, &contact)?;
            Ok(contact)
        })
    }

    /// Removes a contact. The outreach log keeps its entries (counted under "other").
    pub fn delete_contact(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind(id, kind::CONTACT, "contact")
    }

    /// The support network, by name.
    pub fn contacts(&self) -> Result<Vec<SupportContact>> {
        Ok(Snapshot::load_only(&self.journal, &[kind::CONTACT])?.contacts)
    }

    /// Logs reaching out to a contact, now.
    pub fn log_outreach(
        &self,
        contact_id: &RecordId,
        method: OutreachMethod,
        helped: Option<bool>,
        note: Option<String>,
    ) -> Result<Outreach> {
        validate::optional_text("note", note.as_deref(), validate::NOTE_TEXT)?;
        let at = self.now();
        self.journal.write(|w| {
            load_in::<SupportContact>(w, contact_id, kind::CONTACT)
                .map_err(|_| Error::invalid("contact_id", "must name a contact"))?;
            let outreach = Outreach {
                id: RecordId::random()?,
                contact_id: *contact_id,
                at,
                method,
                helped,
                note,
            };
            save(w, &outreach.id, kind::OUTREACH, &outreach)?;
            Ok(outreach)
        })
    }

    /// The outreach log, oldest first.
    pub fn outreach(&self) -> Result<Vec<Outreach>> {
        Ok(Snapshot::load_only(&self.journal, &[kind::OUTREACH])?.outreach)
    }

    /// Logs a meeting attended (today unless a date is given).
    pub fn log_meeting(&self, input: MeetingInput) -> Result<Meeting> {
        input.validate()?;
        let date = self.day_or_today(input.date)?;
        let meeting = Meeting {
            id: RecordId::random()?,
            date,
            kind: input.kind,
            name: input.name,
            note: input.note,
        };
        self.journal
            .write(|w| save(w, &meeting.id, kind::MEETING, &meeting))?;
        Ok(meeting)
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

    /// Progress towards 90 meetings in 90 days, as of today.
    pub fn ninety_in_ninety(&self) -> Result<NinetyInNinety> {
        let today = self.today()?;
        let snapshot = Snapshot::load_only(&self.journal, &[kind::MEETING])?;
        Ok(ninety_in_ninety(&snapshot.meetings, today))
    }
}
