//! [`Recovery`]: the service a shell talks to. It owns the [`Journal`] and a [`Clock`], turns
//! each verb into one transaction of encrypted records, and answers reads by running the pure
//! functions over the warm [`Snapshot`].
//!
//! **The warm journal.** The first read after an unlock decrypts the journal once into a
//! snapshot held in memory; every write through this service updates it in place with the
//! records that write touched, so later screens never decrypt the whole file again. The
//! snapshot is dropped, its texts overwritten, on [`Recovery::lock`], on drop, and whenever the
//! journal changed behind its back (a lock or unlock through [`Recovery::journal`], a write by
//! another connection): it is then rebuilt on the next read.
//!
//! Every verb validates its input completely before it writes anything, so a rejected input
//! changes nothing stored. Bodies are encoded into zeroizing buffers (`stored`). The verbs are
//! spread over small modules by concern: `journeys` (journeys, lapses, counter, milestones),
//! `daily` (check-ins and triggers), `held` (check-ins given while locked), `coping` (cards), `writing` (reflections, entries,
//! search), `support` (contacts, outreach, meetings), `keys` (rotating the data key),
//! `quarantine` (records kept but never applied), `safety` (the safety plan, help now and
//! urge surfing), `limits` (amounts logged against limit goals), `reminders` (what to
//! schedule) and `bulk` (review, import).

mod bulk;
mod coping;
mod daily;
mod held;
mod journeys;
mod keys;
mod limits;
mod quarantine;
mod reminders;
mod safety;
mod screens;
mod support;
mod window;
mod writing;

use super::clock::{recovery_day, Clock};
use super::settings::Settings;
use super::snapshot::Snapshot;
use super::stored::{self, StoredRecord};
use crate::error::{Error, Result};
use crate::record::RecordId;
use crate::{Journal, RecordWriter, CURRENT_BODY_FORMAT};
use chrono::{DateTime, NaiveDate, Utc};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The decrypted journal kept while it is unlocked, and the journal state it matches.
struct Warm {
    snapshot: Snapshot,
    epoch: u64,
    data_version: i64,
}

impl Drop for Warm {
    fn drop(&mut self) {
        self.snapshot.wipe();
    }
}

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
///     limit: None,
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
    warm: Mutex<Option<Warm>>,
    held: Mutex<Vec<held::HeldCheckIn>>,
}

impl std::fmt::Debug for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recovery")
            .field("journal", &self.journal)
            .finish()
    }
}

impl Recovery {
    /// The recovery domain over `journal`, with time from `clock`.
    pub fn new(journal: Journal, clock: Arc<dyn Clock>) -> Self {
        Recovery {
            journal,
            clock,
            warm: Mutex::new(None),
            held: Mutex::new(Vec::new()),
        }
    }

    /// The journal underneath (to unlock it or change secrets). Locking through it works,
    /// but [`Recovery::lock`] also drops the decrypted snapshot at once.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Gives the journal back (the decrypted snapshot is wiped as it drops).
    pub fn into_journal(self) -> Journal {
        let Recovery { journal, .. } = self;
        journal
    }

    /// Locks the journal: drops every key and overwrites and drops the decrypted snapshot.
    pub fn lock(&self) {
        self.drop_warm();
        self.journal.lock();
    }

    /// The clock's current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn warm(&self) -> MutexGuard<'_, Option<Warm>> {
        self.warm.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops the warm snapshot (the next read rebuilds it): for changes made under it, such
    /// as a new data key.
    pub(crate) fn drop_warm(&self) {
        *self.warm() = None;
    }

    /// Runs `read` over the warm snapshot, decrypting the journal first if there is none or
    /// the journal changed behind its back.
    pub(crate) fn view<T>(&self, read: impl FnOnce(&Snapshot) -> Result<T>) -> Result<T> {
        self.deliver_if_any_held();
        let mut warm = self.warm();
        if !self.journal.is_unlocked() {
            *warm = None;
            return Err(Error::Locked);
        }
        let epoch = self.journal.epoch();
        let data_version = self.journal.data_version()?;
        let current = warm
            .as_ref()
            .is_some_and(|w| w.epoch == epoch && w.data_version == data_version);
        if !current {
            *warm = None;
            self.move_bodies()?;
            let epoch = self.journal.epoch();
            let snapshot = Snapshot::load(&self.journal)?;
            *warm = Some(Warm {
                snapshot,
                epoch,
                data_version,
            });
        }
        match warm.as_ref() {
            Some(w) => read(&w.snapshot),
            None => Err(Error::Locked),
        }
    }

    /// Runs `action` as one transaction and brings the warm snapshot up to date with exactly
    /// the records it touched (or drops it, when it was not current).
    pub(crate) fn write<T>(
        &self,
        action: impl FnOnce(&mut RecordWriter<'_>) -> Result<T>,
    ) -> Result<T> {
        self.deliver_if_any_held();
        let mut warm = self.warm();
        if warm.is_none() {
            self.move_bodies()?;
        }
        let before = self.journal.epoch();
        let data_version = self.journal.data_version()?;
        let (value, touched) = match self.journal.write_tracked(action) {
            Ok(done) => done,
            Err(e) => {
                if self.journal.epoch() != before {
                    *warm = None;
                }
                return Err(e);
            }
        };
        let follows = warm
            .as_ref()
            .is_some_and(|w| w.epoch == before && w.data_version == data_version);
        if !follows {
            *warm = None;
            return Ok(value);
        }
        if let Some(w) = warm.as_mut() {
            for written in &touched {
                let view = written.record.as_ref().map(|r| crate::RecordView {
                    id: r.id,
                    kind: &r.kind,
                    revision: r.revision,
                    body_version: r.body_version,
                    stamp: r.stamp,
                    quarantine: r.quarantine,
                    body: &r.body,
                });
                w.snapshot.replace(&written.id, view.as_ref());
            }
            w.snapshot.resort();
            w.epoch = self.journal.epoch();
        }
        Ok(value)
    }

    /// Moves a journal written by Waymark 0.1 to the current body format (once, at its first
    /// unlock by this build; see `Journal::migrate_bodies`).
    fn move_bodies(&self) -> Result<()> {
        if self.journal.is_unlocked() && self.journal.body_format()? < CURRENT_BODY_FORMAT {
            self.journal.migrate_bodies(|kind, version, body| {
                stored::upgrade(kind, version, body).map(|body| (stored::BODY_VERSION, body))
            })?;
        }
        Ok(())
    }

    /// Everything in the journal, decrypted and typed (a copy of the warm snapshot).
    pub fn snapshot(&self) -> Result<Snapshot> {
        self.view(|s| Ok(s.clone()))
    }

    /// The person's settings (defaults until first saved: UTC, day starts at midnight).
    pub fn settings(&self) -> Result<Settings> {
        self.view(|s| Ok(s.settings.clone().unwrap_or_default()))
    }

    /// Saves the person's current IANA time zone. Call it when the phone's zone changes:
    /// sober days and check-in days follow the local calendar of this zone.
    pub fn set_time_zone(&self, name: &str) -> Result<Settings> {
        let mut settings = self.settings()?;
        settings.time_zone = name.to_owned();
        self.save_settings(settings)
    }

    /// Saves the hour (0-23) at which the person's day starts.
    pub fn set_day_starts_at(&self, hour: i32) -> Result<Settings> {
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
        self.write(|w| stored::save(w, &settings))?;
        Ok(settings)
    }

    /// Today's recovery day: the local date in the person's zone, after their day start.
    pub fn today(&self) -> Result<NaiveDate> {
        self.day_at(self.now())
    }

    /// The recovery day `instant` falls in, by the person's zone and day start.
    pub(super) fn day_at(&self, instant: DateTime<Utc>) -> Result<NaiveDate> {
        let settings = self.settings()?;
        Ok(recovery_day(
            instant,
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
}

/// The record of kind `T` under `id` in a transaction, or [`Error::NotFound`] naming `what`.
fn load_in<T: StoredRecord>(
    w: &mut RecordWriter<'_>,
    id: &RecordId,
    what: &'static str,
) -> Result<T> {
    stored::load::<T>(w, id)?.ok_or_else(|| not_found(what, id))
}

/// [`Error::NotFound`] for a domain object.
fn not_found(what: &'static str, id: &RecordId) -> Error {
    Error::NotFound {
        what,
        id: id.to_string(),
    }
}
