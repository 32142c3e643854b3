//! The support network and community: contacts, reaching out, meetings, and "90 meetings in
//! 90 days".

use super::validate;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Who a contact is to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ContactRole {
    /// A sponsor or mentor.
    Sponsor,
    /// A peer in recovery.
    Peer,
    /// A therapist, counsellor or doctor.
    Therapist,
    /// A crisis line.
    CrisisLine,
    /// Family, a friend, anyone else.
    Other,
}

/// Someone the person can reach out to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SupportContact {
    /// The contact's id.
    pub id: RecordId,
    /// Name.
    pub name: String,
    /// Role.
    pub role: ContactRole,
    /// Phone number as the person typed it.
    pub phone: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// What a person gives to add or edit a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactInput {
    /// Name, 1-120 characters.
    pub name: String,
    /// Role.
    pub role: ContactRole,
    /// Phone: digits, spaces and `+()-.#*`, 3-32 characters.
    pub phone: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl ContactInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::required_text("name", &self.name, validate::SHORT_TEXT)?;
        if let Some(phone) = &self.phone {
            let ok_chars = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-.#*".contains(c));
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            if !ok_chars || phone.chars().count() > 32 || digits < 3 {
                return Err(Error::invalid(
                    "phone",
                    "must be 3 to 32 characters of digits, spaces and + ( ) - . # *",
                ));
            }
        }
        validate::optional_text("note", self.note.as_deref(), validate::NOTE_TEXT)
    }
}

/// How the person reached out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutreachMethod {
    /// A phone or video call.
    Call,
    /// A text or message.
    Message,
    /// Meeting in person.
    InPerson,
}

/// One time the person reached out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Outreach {
    /// The outreach's id.
    pub id: RecordId,
    /// Who.
    pub contact_id: RecordId,
    /// When.
    pub at: DateTime<Utc>,
    /// How.
    pub method: OutreachMethod,
    /// Whether it helped, if the person said.
    pub helped: Option<bool>,
    /// A note.
    pub note: Option<String>,
}

/// The kinds of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MeetingKind {
    /// AA, NA, GA and other 12-step fellowships.
    TwelveStep,
    /// SMART Recovery.
    SmartRecovery,
    /// A support group.
    SupportGroup,
    /// An online meeting.
    Online,
    /// A faith-based group.
    FaithBased,
    /// A recovery centre.
    RecoveryCentre,
    /// A therapy group.
    TherapyGroup,
}

impl MeetingKind {
    /// Every kind, in a stable order.
    pub const ALL: [MeetingKind; 7] = [
        MeetingKind::TwelveStep,
        MeetingKind::SmartRecovery,
        MeetingKind::SupportGroup,
        MeetingKind::Online,
        MeetingKind::FaithBased,
        MeetingKind::RecoveryCentre,
        MeetingKind::TherapyGroup,
    ];
}

/// A meeting attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Meeting {
    /// The meeting's id.
    pub id: RecordId,
    /// The local date.
    pub date: NaiveDate,
    /// The kind.
    pub kind: MeetingKind,
    /// Its name ("Tuesday night group").
    pub name: Option<String>,
    /// A note.
    pub note: Option<String>,
}

/// What a person gives to log a meeting. `date: None` means today.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingInput {
    /// The day (today if `None`).
    pub date: Option<NaiveDate>,
    /// The kind.
    pub kind: MeetingKind,
    /// Name, at most 120 characters.
    pub name: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl MeetingInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::optional_text("name", self.name.as_deref(), validate::SHORT_TEXT)?;
        validate::optional_text("note", self.note.as_deref(), validate::NOTE_TEXT)
    }
}

/// Progress towards "90 meetings in 90 days".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NinetyInNinety {
    /// The first day of the current run: the earliest meeting in the last 90 days.
    pub started_on: Option<NaiveDate>,
    /// Which day of the 90 today is (1-90), 0 with no run.
    pub day: u32,
    /// Meetings attended in the run so far.
    pub meetings: u32,
    /// Meetings still needed.
    pub remaining: u32,
    /// True when meetings so far are at least the days so far.
    pub on_track: bool,
    /// True once 90 meetings landed inside 90 days.
    pub complete: bool,
}

/// "90 in 90" as of `today`: the run starts at the earliest meeting of the last 90 days (today
/// included) and completes when 90 meetings fall inside the 90 days from that start.
pub fn ninety_in_ninety(meetings: &[Meeting], today: NaiveDate) -> NinetyInNinety {
    let mut dates: Vec<NaiveDate> = meetings
        .iter()
        .map(|m| m.date)
        .filter(|d| *d <= today)
        .collect();
    dates.sort_unstable();
    let window_start = today - Duration::days(89);
    let start = dates.iter().copied().find(|d| *d >= window_start);
    let Some(start) = start else {
        return NinetyInNinety {
            started_on: None,
            day: 0,
            meetings: 0,
            remaining: 90,
            on_track: false,
            complete: false,
        };
    };
    let end = start + Duration::days(90);
    let count = dates.iter().filter(|d| **d >= start && **d < end).count() as u32;
    let day = u32::try_from((today - start).num_days() + 1)
        .unwrap_or(1)
        .min(90);
    NinetyInNinety {
        started_on: Some(start),
        day,
        meetings: count,
        remaining: 90u32.saturating_sub(count),
        on_track: count >= day,
        complete: count >= 90,
    }
}
