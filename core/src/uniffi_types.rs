//! How the core's own value types cross the FFI, compiled only with the `uniffi` feature.
//!
//! The domain's records and enums derive uniffi's traits in place (`cfg_attr`), so the
//! `waymark-ffi` crate passes them unchanged. The types they are built from that uniffi does
//! not know are bridged here:
//!
//! - [`RecordId`] as its 32-character hex string;
//! - `NaiveDate` (a local calendar date) as an ISO 8601 string, `"2026-03-01"`;
//! - `NaiveTime` (a local wall-clock time) as `"21:30"` or `"21:30:15"`;
//! - `DateTime<Utc>` (an instant) as a timestamp (`java.time.Instant`, Swift `Date`).
//!
//! A string that does not parse is refused when it is lifted, before any Rust code sees it:
//! the shell gets an error naming the type, never a panic.

use crate::record::RecordId;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::time::SystemTime;

/// An instant, bridged as a timestamp.
pub type Timestamp = DateTime<Utc>;

uniffi::custom_type!(RecordId, String, {
    lower: |id| id.to_string(),
    try_lift: |text| text.parse::<RecordId>().map_err(|_| uniffi::deps::anyhow::anyhow!("a record id is 32 hex digits")),
});

uniffi::custom_type!(NaiveDate, String, {
    remote,
    lower: |date| date.format("%Y-%m-%d").to_string(),
    try_lift: |text| NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| uniffi::deps::anyhow::anyhow!("a date is written YYYY-MM-DD")),
});

uniffi::custom_type!(NaiveTime, String, {
    remote,
    lower: |time| time.format("%H:%M:%S").to_string(),
    try_lift: |text| NaiveTime::parse_from_str(&text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M"))
        .map_err(|_| uniffi::deps::anyhow::anyhow!("a time is written HH:MM or HH:MM:SS")),
});

uniffi::custom_type!(Timestamp, SystemTime, {
    remote,
    lower: |instant| instant.into(),
    try_lift: |time| Ok(DateTime::<Utc>::from(time)),
});
