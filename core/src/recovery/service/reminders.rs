//! Reminders: the person's preferences, and what the shell should schedule next (see
//! [`crate::recovery::reminders`] for the rules).

use super::Recovery;
use crate::error::Result;
use crate::recovery::reminders::{
    riskiest_window, schedule, Reminder, ReminderPrefs, RiskyWindow, MAX_DAYS,
};
use crate::recovery::stored;

impl Recovery {
    /// The person's reminder preferences ([`ReminderPrefs::default`] until first saved).
    pub fn reminder_prefs(&self) -> Result<ReminderPrefs> {
        self.view(|s| Ok(s.reminder_prefs.clone().unwrap_or_default()))
    }

    /// Saves the person's reminder preferences, replacing the earlier ones. Every field is
    /// checked first: a refused value ([`crate::Error::InvalidInput`] naming the field)
    /// changes nothing stored.
    pub fn set_reminder_prefs(&self, prefs: ReminderPrefs) -> Result<ReminderPrefs> {
        prefs.validate()?;
        self.write(|w| stored::save(w, &prefs))?;
        Ok(prefs)
    }

    /// The notifications to schedule now, for today's recovery day and the `days - 1` after
    /// it (`days` from 1 to 14; anything else is [`crate::Error::InvalidInput`] naming
    /// `days`), in the person's current zone, sorted by delivery time. Call it again after
    /// every change of preferences, zone, check-in or trigger, and replace what was scheduled
    /// by [`Reminder::id`].
    pub fn reminders(&self, days: i32) -> Result<Vec<Reminder>> {
        crate::recovery::validate::in_range("days", days, 1, MAX_DAYS)?;
        let now = self.now();
        self.view(|s| {
            let prefs = s.reminder_prefs.clone().unwrap_or_default();
            Ok(schedule(s, &prefs, now, days))
        })
    }

    /// The person's riskiest two hours of the day, learned from the trigger log of the last
    /// 60 days; `None` until there is enough to say so (see
    /// [`crate::recovery::reminders::riskiest_window`]).
    pub fn riskiest_window(&self) -> Result<Option<RiskyWindow>> {
        let now = self.now();
        self.view(|s| Ok(riskiest_window(&s.triggers, now)))
    }
}
