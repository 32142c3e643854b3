//! Reminders decided in the core, delivered by the shell: what to schedule, when, and with
//! which words.
//!
//! [`ReminderPrefs`] is the person's choice (one sealed record per journal; defaults until
//! first saved).

use super::validate;
use crate::error::{Error, Result};
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// As chrono's weekday.
    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// A meeting the person goes to every week, to be reminded of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegularMeeting {
    /// Its day.
    pub weekday: Weekday,
    /// Its local time.
    pub at: NaiveTime,
    /// Its name, shown only when reminders are not discreet.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
}

/// What the person wants to be reminded of, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderPrefs {
    /// Off switch for every reminder.
    pub enabled: bool,
    /// The daily check-in's local time (`None`: no check-in reminder).
    pub check_in_at: Option<NaiveTime>,
    /// The evening review's local time (`None`: none).
    pub evening_review_at: Option<NaiveTime>,
    /// Meetings the person goes to every week.
    pub meetings: Vec<RegularMeeting>,
    /// Minutes before a meeting to remind (0-720).
    pub meeting_lead_minutes: u32,
    /// Remind the evening before a milestone.
    pub milestones: bool,
    /// A gentle nudge before the person's riskiest hours, learned from their trigger log.
    pub risky_hours: bool,
    /// Quiet hours start (local); with `quiet_until`, nothing is delivered in between.
    pub quiet_from: Option<NaiveTime>,
    /// Quiet hours end (local).
    pub quiet_until: Option<NaiveTime>,
    /// The most reminders on one day (1-10).
    pub daily_cap: u8,
    /// Discreet words (the default): no "sober", "relapse", "craving", journey names or
    /// meeting names in what a lock screen shows.
    pub discreet: bool,
}

impl Default for ReminderPrefs {
    fn default() -> Self {
        ReminderPrefs {
            enabled: true,
            check_in_at: NaiveTime::from_hms_opt(9, 0, 0),
            evening_review_at: NaiveTime::from_hms_opt(21, 0, 0),
            meetings: Vec::new(),
            meeting_lead_minutes: 60,
            milestones: true,
            risky_hours: false,
            quiet_from: NaiveTime::from_hms_opt(22, 0, 0),
            quiet_until: NaiveTime::from_hms_opt(7, 0, 0),
            daily_cap: 4,
            discreet: true,
        }
    }
}

impl ReminderPrefs {
    /// Checks every field.
    pub(crate) fn validate(&self) -> Result<()> {
        validate::in_range("meeting_lead_minutes", self.meeting_lead_minutes, 0, 720)?;
        validate::in_range("daily_cap", self.daily_cap, 1, 10)?;
        if self.quiet_from.is_some() != self.quiet_until.is_some() {
            return Err(Error::invalid(
                "quiet_hours",
                "must give both a start and an end, or neither",
            ));
        }
        if self.meetings.len() > validate::MAX_LIST {
            return Err(Error::invalid("meetings", "must have at most 20 items"));
        }
        for m in &self.meetings {
            validate::optional_text("name", m.name.as_deref(), validate::SHORT_TEXT)?;
        }
        Ok(())
    }
}
