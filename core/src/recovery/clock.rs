//! Time enters the recovery domain here and nowhere else.
//!
//! A [`Clock`] gives "now"; the shells and the CLI use [`SystemClock`], tests pin time with
//! [`FixedClock`]. Everything below the service takes `now` as a value. The helpers turn an
//! instant into the person's *recovery day*: the local calendar date in their current time
//! zone, where the day starts at their chosen hour (a check-in at 01:30 with the day starting
//! at 04:00 belongs to the day before).

use crate::error::{Error, Result};
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::Mutex;

/// A source of the current instant.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told; for tests, the demo and the generator.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(now))
    }

    /// Moves the clock to `now` (backwards too: a phone's clock can be wrong).
    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = now;
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Parses an IANA time zone name such as "Europe/Berlin".
pub fn parse_zone(field: &'static str, name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        Error::invalid(
            field,
            "must be an IANA time zone name such as Europe/Berlin",
        )
    })
}

/// The recovery day of `now` in `zone` when the day starts at `day_starts_at` o'clock.
pub fn recovery_day(now: DateTime<Utc>, zone: Tz, day_starts_at: u8) -> NaiveDate {
    let local = now.with_timezone(&zone).naive_local();
    (local - Duration::hours(i64::from(day_starts_at))).date()
}

/// The instant a local wall-clock time happens in `zone`. A time skipped by a DST jump moves
/// forward to the first moment that exists; a repeated time takes its first occurrence.
pub fn instant_of(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    let mut probe = local;
    for _ in 0..4 {
        match zone.from_local_datetime(&probe) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => probe += Duration::minutes(30),
        }
    }
    // No zone skips more than two hours; fall back to reading the wall time as UTC.
    Utc.from_utc_datetime(&local)
}

/// The instant a date (and optional time) starts in `zone`; a date alone means midnight.
pub fn start_instant(date: NaiveDate, time: Option<NaiveTime>, zone: Tz) -> DateTime<Utc> {
    instant_of(date.and_time(time.unwrap_or(NaiveTime::MIN)), zone)
}
