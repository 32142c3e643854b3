//! The person's settings (their current time zone and when their day starts) and the record
//! of which milestones have been celebrated.

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
    pub day_starts_at: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            time_zone: "UTC".into(),
            day_starts_at: 0,
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
        Ok(())
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
    pub(crate) fn contains(&self, attempt_start: NaiveDate, key: &str) -> bool {
        self.acknowledged
            .iter()
            .any(|(start, k)| *start == attempt_start && k == key)
    }
}
