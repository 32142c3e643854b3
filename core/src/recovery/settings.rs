//! The person's settings (their current time zone, when their day starts, their currency and
//! a chosen start for "90 in 90") and the record of which milestones have been celebrated.

use super::clock::parse_zone;
use super::clock::Zone;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The person's settings, stored as one encrypted record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Settings {
    /// The IANA time zone the person is in now. The shell updates it when the phone's zone
    /// changes (travel); sober days are counted by local dates in this zone.
    pub time_zone: String,
    /// The hour (0-23) at which the person's day starts: with 4, a check-in at 01:30 belongs
    /// to the day before.
    pub day_starts_at: i32,
    /// The ISO 4217 code of the person's currency ("EUR"): money saved is shown in it and
    /// amounts are read with its number of decimals. `None` shows plain amounts with two
    /// decimals.
    #[serde(default)]
    pub currency: Option<String>,
    /// A day the person chose to start a new "90 meetings in 90 days" from: meetings before
    /// it no longer count towards the run.
    #[serde(default)]
    pub ninety_in_ninety_from: Option<NaiveDate>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            time_zone: "UTC".into(),
            day_starts_at: 0,
            currency: None,
            ninety_in_ninety_from: None,
        }
    }
}

impl Settings {
    /// Checks both fields.
    pub(crate) fn validate(&self) -> Result<()> {
        parse_zone("time_zone", &self.time_zone)?;
        if self.day_starts_at > 23 {
            return Err(Error::invalid(
                "day_starts_at",
                "must be an hour from 0 to 23",
            ));
        }
        if let Some(code) = &self.currency {
            super::money::Currency::parse(code)?;
        }
        Ok(())
    }

    /// The person's currency (plain two-decimal amounts when none is set or it no longer
    /// parses).
    pub fn currency(&self) -> super::money::Currency {
        self.currency
            .as_deref()
            .and_then(|c| super::money::Currency::parse(c).ok())
            .unwrap_or_default()
    }

    /// Reads recovery days for these settings (see [`super::clock::DayReckoner`]).
    pub fn reckoner(&self) -> super::clock::DayReckoner {
        super::clock::DayReckoner::new(self.zone(), self.day_starts_at)
    }

    /// The parsed time zone (UTC if the stored name no longer parses).
    pub fn zone(&self) -> Zone {
        Zone::named_or_utc(&self.time_zone)
    }
}

/// The milestones celebrated for one journey, per attempt (by the attempt's start date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MilestoneAcks {
    pub journey_id: RecordId,
    pub acknowledged: Vec<(NaiveDate, String)>,
}

impl MilestoneAcks {
    /// True when `key` (in any of its spellings) was celebrated in the attempt that started
    /// on `attempt_start`.
    pub(crate) fn contains(&self, attempt_start: NaiveDate, key: &str) -> bool {
        let key = super::milestones::canonical_key(key);
        self.acknowledged
            .iter()
            .any(|(start, k)| *start == attempt_start && super::milestones::canonical_key(k) == key)
    }
}
