//! Time enters the recovery domain here and nowhere else.
//!
//! A [`Clock`] gives "now"; the shells and the CLI use [`SystemClock`], tests pin time with
//! [`FixedClock`]. Everything below the service takes `now` as a value. The helpers turn an
//! instant into the person's *recovery day*: the local calendar date in their current time
//! zone, where the day starts at their chosen hour (a check-in at 01:30 with the day starting
//! at 04:00 belongs to the day before).
//!
//! [`recovery_day`] is the one rule that decides which recovery day an instant belongs to;
//! [`DayReckoner`] applies it to logged items (triggers, outreach, card uses), each read in
//! the zone it was logged in, so a trigger at 01:30 with the day starting at 04:00 counts for
//! the day before in every list, review and report.

use crate::error::{Error, Result};
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use std::cell::RefCell;
use std::collections::HashMap;
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

/// An IANA time zone with its rules, read from the operating system's database (iOS, macOS and
/// Linux `zoneinfo`, Android's `tzdata`), which the OS keeps current; only on platforms without
/// one (Windows) is a copy built into the library. Cheap to clone.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone(jiff::tz::TimeZone);

impl Zone {
    /// Coordinated Universal Time.
    pub fn utc() -> Zone {
        Zone(jiff::tz::TimeZone::UTC)
    }

    /// The zone with this IANA name ("Europe/Berlin"), if it exists.
    pub fn named(name: &str) -> Option<Zone> {
        // Names are ASCII words separated by '/'; refuse paths and oddities before lookup.
        let plausible = !name.is_empty()
            && name.len() <= 64
            && !name.contains("..")
            && !name.starts_with('/')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b));
        if !plausible {
            return None;
        }
        jiff::tz::TimeZone::get(name).ok().map(Zone)
    }

    /// The zone named `name`, or UTC when there is none (for names stored earlier that a
    /// newer database no longer knows).
    pub fn named_or_utc(name: &str) -> Zone {
        Zone::named(name).unwrap_or_else(Zone::utc)
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        self.0.iana_name().unwrap_or("UTC")
    }

    /// The local wall-clock time of `instant` in this zone.
    pub fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        let local = jiff::Timestamp::new(instant.timestamp(), 0).map(|t| self.0.to_datetime(t));
        match local {
            Ok(dt) => from_civil(dt).unwrap_or_else(|| instant.naive_utc()),
            Err(_) => instant.naive_utc(),
        }
    }

    /// The offset from UTC at the instant `secs` (seconds since 1970) and the instant its
    /// next change happens (`i64::MAX` when it never changes again).
    fn offset_until_change(&self, secs: i64) -> (i32, i64) {
        let Ok(ts) = jiff::Timestamp::from_second(secs) else {
            return (0, i64::MAX);
        };
        let offset = self.0.to_offset(ts).seconds();
        let next = self
            .0
            .following(ts)
            .next()
            .map_or(i64::MAX, |t| t.timestamp().as_second());
        (offset, next.max(secs.saturating_add(1)))
    }

    /// The instant a local wall-clock time happens in this zone. A time skipped by a DST
    /// jump moves forward to the first moment that exists; a repeated time takes its first
    /// occurrence.
    pub fn instant_of(&self, local: NaiveDateTime) -> DateTime<Utc> {
        use jiff::tz::AmbiguousOffset;
        let mut probe = local;
        for _ in 0..8 {
            let Some(civil) = to_civil(probe) else { break };
            let ambiguous = self.0.to_ambiguous_timestamp(civil);
            let offset = match ambiguous.offset() {
                AmbiguousOffset::Unambiguous { offset } => Some(offset),
                AmbiguousOffset::Fold { before, .. } => Some(before),
                AmbiguousOffset::Gap { .. } => None,
            };
            if let Some(offset) = offset {
                return Utc.from_utc_datetime(&probe)
                    - Duration::seconds(i64::from(offset.seconds()));
            }
            probe += Duration::minutes(15);
        }
        // No zone skips more than two hours; fall back to reading the wall time as UTC.
        Utc.from_utc_datetime(&local)
    }
}

impl std::str::FromStr for Zone {
    type Err = Error;

    fn from_str(name: &str) -> Result<Zone> {
        parse_zone("time_zone", name)
    }
}

fn to_civil(dt: NaiveDateTime) -> Option<jiff::civil::DateTime> {
    let year = i16::try_from(dt.year()).ok()?;
    jiff::civil::DateTime::new(
        year,
        i8::try_from(dt.month()).ok()?,
        i8::try_from(dt.day()).ok()?,
        i8::try_from(dt.hour()).ok()?,
        i8::try_from(dt.minute()).ok()?,
        i8::try_from(dt.second()).ok()?,
        0,
    )
    .ok()
}

fn from_civil(dt: jiff::civil::DateTime) -> Option<NaiveDateTime> {
    let date = NaiveDate::from_ymd_opt(
        i32::from(dt.year()),
        u32::try_from(dt.month()).ok()?,
        u32::try_from(dt.day()).ok()?,
    )?;
    let time = NaiveTime::from_hms_opt(
        u32::try_from(dt.hour()).ok()?,
        u32::try_from(dt.minute()).ok()?,
        u32::try_from(dt.second()).ok()?,
    )?;
    Some(date.and_time(time))
}

/// Parses an IANA time zone name such as "Europe/Berlin".
pub fn parse_zone(field: &'static str, name: &str) -> Result<Zone> {
    Zone::named(name).ok_or_else(|| {
        Error::invalid(
            field,
            "must be an IANA time zone name such as Europe/Berlin",
        )
    })
}

/// The recovery day of `now` in `zone` when the day starts at `day_starts_at` o'clock.
pub fn recovery_day(now: DateTime<Utc>, zone: &Zone, day_starts_at: i32) -> NaiveDate {
    (zone.local(now) - Duration::hours(i64::from(day_starts_at.clamp(0, 23)))).date()
}

/// A zone with the last offset looked up and how long it holds: reading thousands of
/// instants in time order costs one zone lookup per offset change, not one per instant.
#[derive(Debug)]
struct CachedZone {
    zone: Zone,
    /// (valid from, valid until, offset) in seconds.
    span: std::cell::Cell<Option<(i64, i64, i32)>>,
}

impl CachedZone {
    fn new(zone: Zone) -> Self {
        CachedZone {
            zone,
            span: std::cell::Cell::new(None),
        }
    }

    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        let secs = at.timestamp();
        let offset = match self.span.get() {
            Some((from, until, offset)) if from <= secs && secs < until => offset,
            _ => {
                let (offset, until) = self.zone.offset_until_change(secs);
                self.span.set(Some((secs, until, offset)));
                offset
            }
        };
        at.naive_utc() + Duration::seconds(i64::from(offset))
    }
}

/// Reads logged instants as recovery days: each in the zone it was logged in (or the person's
/// current zone when the item carries none), with the person's day-start hour. Zones are
/// looked up once per name, and offsets once per change. Not `Sync`: make one per
/// computation.
#[derive(Debug)]
pub struct DayReckoner {
    current: CachedZone,
    day_starts_at: i32,
    zones: RefCell<HashMap<String, CachedZone>>,
}

impl DayReckoner {
    /// A reckoner for a person now in `current` whose day starts at `day_starts_at` o'clock.
    pub fn new(current: Zone, day_starts_at: i32) -> Self {
        DayReckoner {
            current: CachedZone::new(current),
            day_starts_at,
            zones: RefCell::new(HashMap::new()),
        }
    }

    /// The person's current zone.
    pub fn current_zone(&self) -> &Zone {
        &self.current.zone
    }

    /// The hour the person's day starts.
    pub fn day_starts_at(&self) -> i32 {
        self.day_starts_at
    }

    /// Today's recovery day at `now`, in the current zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        recovery_day(now, &self.current.zone, self.day_starts_at)
    }

    fn with_zone<T>(&self, logged_in: Option<&str>, f: impl FnOnce(&CachedZone) -> T) -> T {
        match logged_in {
            Some(name) if name != self.current.zone.name() => {
                let mut zones = self.zones.borrow_mut();
                let zone = zones
                    .entry(name.to_owned())
                    .or_insert_with(|| CachedZone::new(Zone::named_or_utc(name)));
                f(zone)
            }
            _ => f(&self.current),
        }
    }

    /// The recovery day of a local wall-clock time (the one rule, [`recovery_day`], applied
    /// to a time already read in its zone).
    fn day_of_local(&self, local: NaiveDateTime) -> NaiveDate {
        (local - Duration::hours(i64::from(self.day_starts_at))).date()
    }

    /// The recovery day an item logged at `at` in the zone `logged_in` belongs to.
    pub fn day_of(&self, at: DateTime<Utc>, logged_in: Option<&str>) -> NaiveDate {
        self.day_of_local(self.local_of(at, logged_in))
    }

    /// The local wall-clock time of `at` in the zone it was logged in.
    pub fn local_of(&self, at: DateTime<Utc>, logged_in: Option<&str>) -> NaiveDateTime {
        self.with_zone(logged_in, |zone| zone.local(at))
    }

    /// Both: the local wall-clock time of `at` and its recovery day.
    pub fn local_and_day(
        &self,
        at: DateTime<Utc>,
        logged_in: Option<&str>,
    ) -> (NaiveDateTime, NaiveDate) {
        let local = self.local_of(at, logged_in);
        (local, self.day_of_local(local))
    }
}

/// The instant a local wall-clock time happens in `zone` (see [`Zone::instant_of`]).
pub fn instant_of(local: NaiveDateTime, zone: &Zone) -> DateTime<Utc> {
    zone.instant_of(local)
}

/// The instant a date (and optional time) starts in `zone`; a date alone means midnight.
pub fn start_instant(date: NaiveDate, time: Option<NaiveTime>, zone: &Zone) -> DateTime<Utc> {
    zone.instant_of(date.and_time(time.unwrap_or(NaiveTime::MIN)))
}
