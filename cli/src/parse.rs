//! Turning command-line text into values: dates, times, money, ids, and text that may come
//! from standard input. Errors name the flag and the rule, never the value.

use crate::error::{CliError, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use std::io::Read;
use waymark_core::recovery::clock::Zone;
use waymark_core::recovery::money::Currency;
use waymark_core::RecordId;

/// A `YYYY-MM-DD` date.
pub fn date(field: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| CliError::invalid(field, "must be a date like 2026-03-01"))
}

/// An optional date.
pub fn opt_date(field: &'static str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(|t| date(field, t)).transpose()
}

/// An `HH:MM` time.
pub fn time(field: &'static str, text: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| CliError::invalid(field, "must be a time like 21:30"))
}

/// A record id as printed by `list` commands.
pub fn id(field: &'static str, text: &str) -> Result<RecordId> {
    text.parse()
        .map_err(|_| CliError::invalid(field, "must be an id as shown by a list command"))
}

/// An amount as a person types it in their currency (`12.50`, `12,50`, `1.234,50`), in
/// minor units; the rule is the core's ([`Currency::parse_amount`]).
pub fn amount(field: &'static str, text: &str, currency: &Currency) -> Result<i64> {
    Ok(currency.parse_amount(field, text)?)
}

/// A moment typed as `HH:MM` (today, or yesterday when that time has not come yet) or
/// `YYYY-MM-DD HH:MM` (also with a `T`), read as wall-clock time in `zone`.
pub fn moment(
    field: &'static str,
    text: &str,
    zone: &Zone,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let rule = || CliError::invalid(field, "must be a time like 21:30 or 2026-03-01 21:30");
    let text = text.trim();
    let local = if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M") {
        let today = zone.local(now).date();
        let at = zone.instant_of(NaiveDateTime::new(today, time));
        if at > now {
            let yesterday = today.pred_opt().ok_or_else(rule)?;
            return Ok(zone.instant_of(NaiveDateTime::new(yesterday, time)));
        }
        return Ok(at);
    } else {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
            .map_err(|_| rule())?
    };
    Ok(zone.instant_of(local))
}

/// Text from a flag, or from standard input when the flag is `-`.
pub fn text(field: &'static str, value: Option<String>) -> Result<Option<String>> {
    match value.as_deref() {
        Some("-") => stdin_text(field).map(Some),
        _ => Ok(value),
    }
}

/// All of standard input as text, trimmed of the final newline.
pub fn stdin_text(field: &'static str) -> Result<String> {
    let mut text = String::new();
    std::io::stdin()
        .take(1 << 20)
        .read_to_string(&mut text)
        .map_err(|_| CliError::invalid(field, "standard input must be UTF-8 text"))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn amounts_become_minor_units_and_bad_ones_name_the_flag() {
        let plain = Currency::default();
        assert_eq!(amount("cost", "12.5", &plain).unwrap(), 1250);
        assert_eq!(amount("cost", "12,05", &plain).unwrap(), 1205);
        assert_eq!(amount("cost", "7", &plain).unwrap(), 700);
        for bad in ["", ".5x", "1.234.5", "-3", "abc", "99999999999999999999"] {
            let err = amount("cost-per-day", bad, &plain).unwrap_err().to_string();
            assert!(err.starts_with("invalid --cost-per-day:"), "{bad}: {err}");
        }
    }

    #[test]
    fn moments_are_local_wall_clock_times() {
        let zone = Zone::named("Europe/Berlin").unwrap();
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 7, 1, 12, 0, 0).unwrap();
        let at = moment("at", "2026-06-30 01:30", &zone, now).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-06-29T23:30:00+00:00");
        // It is 14:00 in Berlin: 15:00 has not come yet today, so it means yesterday.
        let at = moment("at", "15:00", &zone, now).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-06-30T13:00:00+00:00");
        let at = moment("at", "13:00", &zone, now).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-07-01T11:00:00+00:00");
        assert!(moment("at", "25:00", &zone, now).is_err());
    }

    #[test]
    fn dates_and_times_are_strict() {
        assert!(date("date", "2026-02-29").is_err());
        assert!(date("date", "2028-02-29").is_ok());
        assert!(time("time", "24:00").is_err());
        assert_eq!(
            time("time", "07:05").unwrap(),
            NaiveTime::from_hms_opt(7, 5, 0).unwrap()
        );
    }
}

#[cfg(test)]
mod properties {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every amount written with two decimals reads back as the same minor units, with a
        /// decimal point or a decimal comma, and the grouped form the CLI prints reads back
        /// too.
        #[test]
        fn amounts_round_trip(c in 0i64..10_000_000_000_000) {
            let plain = Currency::default();
            prop_assert_eq!(amount("cost", &format!("{}.{:02}", c / 100, c % 100), &plain).unwrap(), c);
            prop_assert_eq!(amount("cost", &format!("{},{:02}", c / 100, c % 100), &plain).unwrap(), c);
            prop_assert_eq!(amount("cost", &plain.format(c), &plain).unwrap(), c);
            let eur = Currency::parse("EUR").unwrap();
            prop_assert_eq!(amount("cost", eur.format(c).trim_start_matches('€'), &eur).unwrap(), c);
        }

        /// Anything that is not an amount is refused, naming the flag and never the value.
        #[test]
        fn anything_else_is_refused_by_name(text in "[a-zA-Z+*/#!?$%&-]{1,3}[0-9]{0,4}|[0-9]{1,4}[.,][0-9]{4,5}") {
            let err = amount("cost-per-day", &text, &Currency::default()).unwrap_err().to_string();
            prop_assert!(err.starts_with("invalid --cost-per-day:"));
            if text.chars().count() >= 4 {
                prop_assert!(!err.contains(&text));
            }
        }

        /// Dates parse exactly when chrono says the day exists.
        #[test]
        fn dates_parse_exactly_the_real_days(y in 1900i32..2200, m in 1u32..13, d in 1u32..32) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(date("date", &text).ok(), NaiveDate::from_ymd_opt(y, m, d));
        }
    }
}
