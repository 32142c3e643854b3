//! How the core's own value types cross the FFI, compiled only with the `uniffi` feature.
//!
//! The domain's records and enums derive uniffi's traits in place (`cfg_attr`), so the
//! `waymark-ffi` crate passes them unchanged. The types they are built from that uniffi does
//! not know are bridged here:
//!
//! - [`RecordId`] as its 32-character hex string;
//! - `NaiveDate` (a local calendar date) as days since 1970-01-01 (an `i32`): Kotlin maps it
//!   to `java.time.LocalDate`, Swift to the `Day` value type of the Swift layer. A number
//!   crosses the FFI far faster than text to parse: a ten-year review holds 3,650 dates, and
//!   parsing them as text tripled the Kotlin overhead of the call;
//! - `NaiveTime` (a local wall-clock time) as seconds since midnight (an `i32`):
//!   `java.time.LocalTime`, Swift `TimeOfDay`;
//! - `NaiveDateTime` (a local date and time, as a reminder shows it) as seconds since
//!   1970-01-01T00:00 counted as if in UTC (an `i64`): `java.time.LocalDateTime`, Swift
//!   `LocalDateTime`;
//! - `DateTime<Utc>` (an instant) as microseconds since 1970-01-01T00:00Z (an `i64`):
//!   `java.time.Instant`, Swift `Date`. Both shells check the range as they lower it (years 1
//!   to 9999; a Swift `Date` that is not a finite number too), so `Instant.MAX` or
//!   `Date(timeIntervalSince1970: .nan)` is `InvalidInput` naming `instant`, never a trap in
//!   generated code or a panic here.
//!
//! The shells' types cannot hold a malformed value, and their constructors refuse one as
//! `InvalidInput`; a value that still cannot be lifted (a record id that is not 32 hex
//! digits, a number out of range) is refused before any Rust code sees it, as the
//! `InvalidInput` of [`WaymarkError`] naming `id`, `date`, `time` or `local_time`: never an
//! internal error, never a panic.

use crate::ffi_error::WaymarkError;
use crate::record::RecordId;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use uniffi::deps::anyhow;

/// A value the shell passed that cannot be lifted, as the `InvalidInput` every exported call
/// can throw (uniffi gives a failed lift to the call's error type when it is this one).
fn refused(field: &'static str, rule: &'static str) -> anyhow::Error {
    anyhow::Error::new(WaymarkError::from(crate::Error::invalid(field, rule)))
}

/// An instant, bridged as a timestamp.
pub type Timestamp = DateTime<Utc>;

uniffi::custom_type!(RecordId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| text.parse::<RecordId>().map_err(|_| refused("id", "a record id is 32 hex digits, as the library gave it")),
});

uniffi::custom_type!(NaiveDate, i32, {
    remote,
    // Every NaiveDate is within i32 days of 1970 (chrono caps years near ±262,000).
    lower: |date| i32::try_from(date.signed_duration_since(NaiveDate::default()).num_days()).unwrap_or(i32::MAX),
    try_lift: |days| NaiveDate::from_epoch_days(days)
        .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| refused("date", "must fall in the years 1 to 9999")),
});

uniffi::custom_type!(NaiveTime, i32, {
    remote,
    // Under 86,400 seconds always fits.
    lower: |time| i32::try_from(chrono::Timelike::num_seconds_from_midnight(&time)).unwrap_or(0),
    try_lift: |seconds| u32::try_from(seconds).ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0))
        .ok_or_else(|| refused("time", "a time of day is 0 to 86,399 seconds after midnight")),
});

uniffi::custom_type!(NaiveDateTime, i64, {
    remote,
    lower: |local| local.and_utc().timestamp(),
    try_lift: |seconds| DateTime::from_timestamp(seconds, 0)
        .map(|t| t.naive_utc())
        .filter(|t| (1..=9999).contains(&chrono::Datelike::year(t)))
        .ok_or_else(|| refused("local_time", "must fall in the years 1 to 9999")),
});

uniffi::custom_type!(Timestamp, i64, {
    remote,
    // Every instant the library makes or keeps is within years 1 to 9999.
    lower: |instant| instant.timestamp_micros(),
    try_lift: |micros| DateTime::from_timestamp_micros(micros)
        .filter(|t| (1..=9999).contains(&chrono::Datelike::year(t)))
        .ok_or_else(|| refused("instant", "must fall in the years 1 to 9999")),
});
