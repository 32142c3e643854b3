//! How the core's own value types cross the FFI, compiled only with the `uniffi` feature.
//!
//! The domain's records and enums derive uniffi's traits in place (`cfg_attr`), so the
//! `waymark-ffi` crate passes them unchanged. The types they are built from that uniffi does
//! not know are bridged here:
//!
//! - [`RecordId`] as its 32-character hex string;
//! - `NaiveDate` (a local calendar date) as days since 1970-01-01 (an `i32`): Kotlin maps it
//!   to `java.time.LocalDate`, Swift to an ISO 8601 string (`"2026-03-01"`) in the Swift
//!   layer. A number crosses the FFI far faster than text to parse: a ten-year review holds
//!   3,650 dates, and parsing them as text tripled the Kotlin overhead of the call;
//! - `NaiveTime` (a local wall-clock time) as `"21:30"` or `"21:30:15"`;
//! - `NaiveDateTime` (a local date and time, as a reminder shows it) as
//!   `"2026-11-26T09:00:00"`;
//! - `DateTime<Utc>` (an instant) as a timestamp (`java.time.Instant`, Swift `Date`).
//!
//! A string that does not parse is refused when it is lifted, before any Rust code sees it:
//! the shell gets an error naming the type, never a panic.

use crate::record::RecordId;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::time::SystemTime;

/// An instant, bridged as a timestamp.
pub type Timestamp = DateTime<Utc>;

uniffi::custom_type!(RecordId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| text.parse::<RecordId>().map_err(|_| uniffi::deps::anyhow::anyhow!("a record id is 32 hex digits")),
});

uniffi::custom_type!(NaiveDate, i32, {
    remote,
    // Every NaiveDate is within i32 days of 1970 (chrono caps years near ±262,000).
    lower: |date| i32::try_from(date.signed_duration_since(NaiveDate::default()).num_days()).unwrap_or(i32::MAX),
    try_lift: |days| NaiveDate::from_epoch_days(days)
        .filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| uniffi::deps::anyhow::anyhow!("a date must fall in the years 1 to 9999")),
});

uniffi::custom_type!(NaiveTime, String, {
    remote,
    lower: |time| time.format("%H:%M:%S").to_string(),
    try_lift: |text| NaiveTime::parse_from_str(&text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M"))
        .map_err(|_| uniffi::deps::anyhow::anyhow!("a time is written HH:MM or HH:MM:SS")),
});

uniffi::custom_type!(NaiveDateTime, String, {
    remote,
    lower: |local| local.format("%Y-%m-%dT%H:%M:%S").to_string(),
    try_lift: |text| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M"))
        .map_err(|_| uniffi::deps::anyhow::anyhow!("a local time is written YYYY-MM-DDTHH:MM:SS")),
});

uniffi::custom_type!(Timestamp, SystemTime, {
    remote,
    lower: |instant| instant.into(),
    try_lift: |time| Ok(DateTime::<Utc>::from(time)),
});
