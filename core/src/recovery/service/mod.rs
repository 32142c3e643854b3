//! [`Recovery`]: the service a shell talks to. It owns the [`Journal`] and a [`Clock`], turns
//! each verb into one transaction of encrypted records, and answers reads by running the pure
//! functions over a freshly loaded [`Snapshot`].
//!
//! Every verb validates its input completely before it writes anything, so a rejected input
//! changes nothing stored. Bodies are serialized into zeroizing buffers. The verbs are spread
//! over small modules by concern: `journeys` (journeys, lapses, counter, milestones), `daily`
//! (check-ins and triggers), `coping` (cards), `writing` (reflections, entries, search),
//! `support` (contacts, outreach, meetings) and `bulk` (review, import).

mod bulk;
mod coping;
mod daily;
mod journeys;
mod support;
mod writing;

use super::clock::{recovery_day, Clock};
use super::settings::Settings;
use super::snapshot::{kind, Snapshot};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::{Journal, RecordWriter};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The recovery domain over one journal. `Send + Sync`; calls run one after another on the
/// journal's lock. Every call needs the journal unlocked ([`Error::Locked`] otherwise).
///
/// ```
/// use std::sync::Arc;
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use waymark_core::{Journal, JournalOptions, KdfParams};
/// use waymark_core::recovery::{Recovery, clock::FixedClock, journey::JourneyInput};
///
/// let dir = tempfile::tempdir()?;
/// let options = JournalOptions { kdf: KdfParams::new(1024, 1, 1)?, ..Default::default() };
/// let (journal, _code) = Journal::create(&dir.path().join("j.db"), "correct horse", options)?;
/// let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 31, 12, 0, 0).unwrap()));
/// let recovery = Recovery::new(journal, clock);
/// recovery.set_time_zone("Europe/Berlin")?;
/// let journey = recovery.add_journey(JourneyInput {
///     name: "alcohol".into(),
///     sober_since: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
///     sober_since_time: None,
///     time_zone: "Europe/Berlin".into(),
///     daily_cost_cents: Some(1500),
///     daily_minutes: None,
///     custom_milestone_days: vec![7, 14],
/// })?;
/// let counter = recovery.counter(&journey.id)?;
/// assert_eq!(counter.current_streak_days, 30);
/// assert_eq!(counter.money_saved_cents_total, 45_000);
/// let milestones = recovery.milestones(&journey.id)?;
/// assert_eq!(milestones.reached.last().map(|m| m.key.as_str()), Some("30d"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Recovery {
    journal: Journal,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recovery")
            .field("journal", &self.journal)
            .finish()
    }
}

/// The lookup namespace of the settings record.
pub(crate) const SETTINGS_KEY: &[u8] = b"settings";

impl Recovery {
    /// The recovery domain over `journal`, with time from `clock`.
    pub fn new(journal: Journal, clock: Arc<dyn Clock>) -> Self {
        Recovery { journal, clock }
    }

    /// The journal underneath (to lock, unlock or change secrets).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Gives the journal back.
    pub fn into_journal(self) -> Journal {
        self.journal
    }

    /// The clock's current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Everything in the journal, decrypted and typed.
    pub fn snapshot(&self) -> Result<Snapshot> {
        Snapshot::load(&self.journal)
    }

    /// The person's settings (defaults until first saved: UTC, day starts at midnight).
    pub fn settings(&self) -> Result<Settings> {
        let id = self.journal.lookup_id(kind::SETTINGS, SETTINGS_KEY)?;
        match self.load::<Settings>(&id, kind::SETTINGS) {
            Ok(settings) => Ok(settings),
            Err(Error::NotFound { .. }) => Ok(Settings::default()),
            Err(e) => Err(e),
        }
    }

    /// Saves the person's current IANA time zone. Call it when the phone's zone changes:
    /// sober days and check-in days follow the local calendar of this zone.
    pub fn set_time_zone(&self, name: &str) -> Result<Settings> {
        let mut settings = self.settings()?;
        settings.time_zone = name.to_owned();
        self.save_settings(settings)
    }

    /// Saves the hour (0-23) at which the person's day starts.
    pub fn set_day_starts_at(&self, hour: u8) -> Result<Settings> {
        let mut settings = self.settings()?;
        settings.day_starts_at = hour;
        self.save_settings(settings)
    }

    /// Saves the person's currency (an ISO 4217 code such as "EUR"), or clears it with
    /// `None`: money saved is shown in it and amounts are read with its decimals.
    pub fn set_currency(&self, code: Option<&str>) -> Result<Settings> {
        let mut settings = self.settings()?;
        settings.currency = match code {
            Some(code) => Some(
                super::money::Currency::parse(code)?
                    .code()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            None => None,
        };
        self.save_settings(settings)
    }

    fn save_settings(&self, settings: Settings) -> Result<Settings> {
        settings.validate()?;
        self.journal.write(|w| {
            let id = w.lookup_id(kind::SETTINGS, SETTINGS_KEY)?;
            save(w, &id, kind::SETTINGS, &settings)
        })?;
        Ok(settings)
    }

    /// Today's recovery day: the local date in the person's zone, after their day start.
    pub fn today(&self) -> Result<NaiveDate> {
        let settings = self.settings()?;
        Ok(recovery_day(
            self.now(),
            &settings.zone(),
            settings.day_starts_at,
        ))
    }

    /// The day an item is for: `date`, or today when `None`. A day after today is refused.
    fn day_or_today(&self, date: Option<NaiveDate>) -> Result<NaiveDate> {
        let today = self.today()?;
        let date = date.unwrap_or(today);
        if date > today {
            return Err(Error::invalid("date", "must not be after today"));
        }
        Ok(date)
    }

    /// Reads one record of `kind` and parses it.
    fn load<T: DeserializeOwned>(&self, id: &RecordId, kind: &'static str) -> Result<T> {
        let record = self.journal.get_record(id)?;
        parse_record(&record, kind)
    }
}

/// Parses a record that must be of `kind` ([`Error::NotFound`] if it is another kind).
fn parse_record<T: DeserializeOwned>(record: &crate::Record, kind: &'static str) -> Result<T> {
    if record.kind != kind {
        return Err(Error::NotFound {
            what: kind,
            id: record.id.to_string(),
        });
    }
    serde_json::from_slice(&record.body).map_err(|_| Error::CorruptRecord {
        id: record.id.to_string(),
    })
}

/// Reads one record of `kind` inside a transaction.
fn load_in<T: DeserializeOwned>(
    w: &mut RecordWriter<'_>,
    id: &RecordId,
    kind: &'static str,
) -> Result<T> {
    let record = w.get(id)?;
    parse_record(&record, kind)
}

/// Serializes `value` into a zeroizing buffer and writes it under `id`.
fn save<T: Serialize>(
    w: &mut RecordWriter<'_>,
    id: &RecordId,
    kind: &str,
    value: &T,
) -> Result<()> {
    let mut body = Zeroizing::new(Vec::with_capacity(512));
    serde_json::to_writer(&mut *body, value)
        .map_err(|_| Error::invalid("record", "could not be serialized"))?;
    body.flush()
        .map_err(|_| Error::invalid("record", "could not be serialized"))?;
    w.put(id, kind, &body)?;
    Ok(())
}

/// [`Error::NotFound`] for a domain object.
fn not_found(what: &'static str, id: &RecordId) -> Error {
    Error::NotFound {
        what,
        id: id.to_string(),
    }
}
