//! The support network and community: contacts, reaching out, meetings, and "90 meetings in
//! 90 days".
//!
//! **90 in 90.** A run starts with the first meeting on or after the latest of: 89 days
//! before today (so the window always ends today), the first sober day after the person's
//! most recent lapse or relapse on any journey (a lapse starts a fresh run), and a day the
//! person chose to start again from. It completes when 90 meetings fall inside the 90 days
//! from its start.

use super::validate;
use crate::error::Result;
use crate::record::RecordId;
use chrono::{DateTime, NaiveDate, Utc};
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
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
    /// A note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
}

impl ContactInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::required_text("name", &self.name, validate::SHORT_TEXT)?;
        if let Some(phone) = &self.phone {
            validate::phone("phone", phone)?;
        }
        validate::optional_text("note", self.note.as_deref(), validate::NOTE_TEXT)
    }
}

/// An optional field of a contact that a [`ContactPatch`] can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ContactField {
    /// The phone number.
    Phone,
    /// The note.
    Note,
}

/// A change to a contact: fields given replace, `None` keeps, `clear` empties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContactPatch {
    /// A new name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// A new role.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub role: Option<ContactRole>,
    /// A new phone number.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<String>,
    /// A new note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// Optional fields to empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clear: Vec<ContactField>,
}

impl ContactPatch {
    /// The contact's fields with this patch applied, ready to validate.
    pub(crate) fn apply(self, contact: &SupportContact) -> ContactInput {
        let cleared = |field| self.clear.contains(&field);
        ContactInput {
            name: self.name.unwrap_or_else(|| contact.name.clone()),
            role: self.role.unwrap_or(contact.role),
            phone: if cleared(ContactField::Phone) {
                None
            } else {
                self.phone.or_else(|| contact.phone.clone())
            },
            note: if cleared(ContactField::Note) {
                None
            } else {
                self.note.or_else(|| contact.note.clone())
            },
        }
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
    /// The IANA zone the person was in (for its recovery day). `None` on outreach logged
    /// before Waymark kept it: the person's current zone is used.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// What a person gives to log reaching out. `at: None` means now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutreachInput {
    /// Who.
    pub contact_id: RecordId,
    /// How.
    pub method: OutreachMethod,
    /// Whether it helped, if known.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub helped: Option<bool>,
    /// A note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// When (now if `None`; earlier to log it afterwards).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub at: Option<DateTime<Utc>>,
}

/// An optional field of an outreach entry that an [`OutreachPatch`] can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OutreachField {
    /// Whether it helped.
    Helped,
    /// The note.
    Note,
}

/// A change to an outreach entry: fields given replace, `None` keeps, `clear` empties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OutreachPatch {
    /// Another contact.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact_id: Option<RecordId>,
    /// Another method.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub method: Option<OutreachMethod>,
    /// Whether it helped.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub helped: Option<bool>,
    /// A new note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// Another time.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub at: Option<DateTime<Utc>>,
    /// Optional fields to empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clear: Vec<OutreachField>,
}

impl OutreachPatch {
    /// The entry's fields with this patch applied, ready to validate.
    pub(crate) fn apply(self, outreach: &Outreach) -> OutreachInput {
        let cleared = |field| self.clear.contains(&field);
        OutreachInput {
            contact_id: self.contact_id.unwrap_or(outreach.contact_id),
            method: self.method.unwrap_or(outreach.method),
            helped: if cleared(OutreachField::Helped) {
                None
            } else {
                self.helped.or(outreach.helped)
            },
            note: if cleared(OutreachField::Note) {
                None
            } else {
                self.note.or_else(|| outreach.note.clone())
            },
            at: Some(self.at.unwrap_or(outreach.at)),
        }
    }
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
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub date: Option<NaiveDate>,
    /// The kind.
    pub kind: MeetingKind,
    /// Name, at most 120 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// A note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
}

impl MeetingInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::optional_text("name", self.name.as_deref(), validate::SHORT_TEXT)?;
        validate::optional_text("note", self.note.as_deref(), validate::NOTE_TEXT)
    }
}

/// An optional field of a meeting that a [`MeetingPatch`] can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MeetingField {
    /// Its name.
    Name,
    /// The note.
    Note,
}

/// A change to a logged meeting: fields given replace, `None` keeps, `clear` empties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MeetingPatch {
    /// Another day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub date: Option<NaiveDate>,
    /// Another kind.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kind: Option<MeetingKind>,
    /// A new name.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// A new note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// Optional fields to empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub clear: Vec<MeetingField>,
}

impl MeetingPatch {
    /// The meeting's fields with this patch applied, ready to validate.
    pub(crate) fn apply(self, meeting: &Meeting) -> MeetingInput {
        let cleared = |field| self.clear.contains(&field);
        MeetingInput {
            date: Some(self.date.unwrap_or(meeting.date)),
            kind: self.kind.unwrap_or(meeting.kind),
            name: if cleared(MeetingField::Name) {
                None
            } else {
                self.name.or_else(|| meeting.name.clone())
            },
            note: if cleared(MeetingField::Note) {
                None
            } else {
                self.note.or_else(|| meeting.note.clone())
            },
        }
    }
}

/// Why the current "90 in 90" run counts from where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NinetyInNinetyStart {
    /// The last 90 days: nothing more recent starts it.
    Window,
    /// A fresh start after the most recent lapse or relapse.
    AfterLapse,
    /// The person chose to start again.
    Chosen,
}

/// Progress towards "90 meetings in 90 days".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NinetyInNinety {
    /// The first day of the current run: the earliest meeting in the last 90 days.
    pub started_on: Option<NaiveDate>,
    /// Which day of the 90 today is (1-90), 0 with no run.
    pub day: i32,
    /// Meetings attended in the run so far.
    pub meetings: i32,
    /// Meetings still needed.
    pub remaining: i32,
    /// True when meetings so far are at least the days so far.
    pub on_track: bool,
    /// True once 90 meetings landed inside 90 days.
    pub complete: bool,
    /// The first day meetings count from (the run starts at the first meeting on or after
    /// it).
    pub counting_from: NaiveDate,
    /// Why it counts from there.
    pub counting_from_reason: NinetyInNinetyStart,
}

/// "90 in 90" as of `today` (the rule is in the module docs). `fresh_start` is the first
/// sober day after the most recent lapse of any journey (if any); `chosen` the day the person
/// chose to start again from (if any).
pub fn ninety_in_ninety(
    meetings: &[Meeting],
    today: NaiveDate,
    fresh_start: Option<NaiveDate>,
    chosen: Option<NaiveDate>,
) -> NinetyInNinety {
    let window_start = today
        .checked_sub_days(chrono::Days::new(89))
        .unwrap_or(NaiveDate::MIN);
    let mut counting_from = (window_start, NinetyInNinetyStart::Window);
    for (day, reason) in [
        (fresh_start, NinetyInNinetyStart::AfterLapse),
        (chosen, NinetyInNinetyStart::Chosen),
    ] {
        if let Some(day) = day.filter(|d| *d > counting_from.0 && *d <= today) {
            counting_from = (day, reason);
        }
    }
    let mut dates: Vec<NaiveDate> = meetings
        .iter()
        .map(|m| m.date)
        .filter(|d| *d >= counting_from.0 && *d <= today)
        .collect();
    dates.sort_unstable();
    let Some(&start) = dates.first() else {
        return NinetyInNinety {
            started_on: None,
            day: 0,
            meetings: 0,
            remaining: 90,
            on_track: false,
            complete: false,
            counting_from: counting_from.0,
            counting_from_reason: counting_from.1,
        };
    };
    let end = start
        .checked_add_days(chrono::Days::new(90))
        .unwrap_or(NaiveDate::MAX);
    let count = super::counts::of_len(dates.iter().filter(|d| **d < end).count());
    let day = super::counts::of_span((today - start).num_days() + 1).clamp(1, 90);
    NinetyInNinety {
        started_on: Some(start),
        day,
        meetings: count,
        remaining: 90i32.saturating_sub(count).max(0),
        on_track: count >= day,
        complete: count >= 90,
        counting_from: counting_from.0,
        counting_from_reason: counting_from.1,
    }
}
