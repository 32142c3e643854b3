//! Amounts logged against limit goals.

use super::journeys::find_journey;
use super::Recovery;
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::recovery::limits::{self, LimitProgress, UseLog, MAX_AMOUNT};
use crate::recovery::stored;
use crate::recovery::validate;
use chrono::NaiveDate;

impl Recovery {
    /// Logs an amount (in hundredths of the journey's unit) for a recovery day (`None`:
    /// today) on a limit journey. The day may be any day from the goal's start to today;
    /// amounts on the same day add up.
    pub fn log_use(
        &self,
        journey_id: &RecordId,
        amount_hundredths: i32,
        date: Option<NaiveDate>,
    ) -> Result<UseLog> {
        validate::in_range("amount", amount_hundredths, 0, MAX_AMOUNT)?;
        let date = self.day_or_today(date)?;
        self.view(|s| {
            let journey = find_journey(s, journey_id)?;
            if journey.limit.is_none() {
                return Err(Error::invalid(
                    "journey",
                    "must be a journey with a limit goal (journey add --limit N --unit NAME)",
                ));
            }
            if date < journey.sober_since {
                return Err(Error::invalid("date", "must not be before the goal began"));
            }
            Ok(())
        })?;
        let entry = UseLog {
            id: RecordId::random()?,
            journey_id: *journey_id,
            date,
            amount_hundredths,
            logged_at: self.now(),
        };
        self.write(|w| stored::save(w, &entry))?;
        Ok(entry)
    }

    /// The amounts logged for a journey, oldest day first.
    pub fn uses(&self, journey_id: &RecordId) -> Result<Vec<UseLog>> {
        self.view(|s| {
            Ok(s.uses
                .iter()
                .filter(|u| u.journey_id == *journey_id)
                .cloned()
                .collect())
        })
    }

    /// Erases a logged amount.
    pub fn delete_use(&self, id: &RecordId) -> Result<()> {
        self.delete_of_kind::<UseLog>(id, "use")
    }

    /// How a limit journey is going today; `None` for an abstinence journey.
    pub fn limit_progress(&self, journey_id: &RecordId) -> Result<Option<LimitProgress>> {
        let today = self.today()?;
        self.view(|s| {
            let journey = find_journey(s, journey_id)?;
            Ok(limits::progress(journey, &s.uses, today))
        })
    }
}
