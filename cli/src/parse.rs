//! Turning command-line text into values: dates, times, money, ids, and text that may come
//! from standard input. Errors name the flag and the rule, never the value.

use crate::error::{CliError, Result};
use chrono::{NaiveDate, NaiveTime};
use std::io::Read;
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

/// An amount like `12.50` (or `12`), in cents.
pub fn cents(field: &'static str, text: &str) -> Result<u64> {
    let rule = "must be an amount like 12.50";
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !(whole.chars().chain(fraction.chars())).all(|c| c.is_ascii_digit())
    {
        return Err(CliError::invalid(field, rule));
    }
    let whole: u64 = whole.parse().map_err(|_| CliError::invalid(field, rule))?;
    let fraction: u64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| CliError::invalid(field, rule))?;
    whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or_else(|| CliError::invalid(field, "is too large"))
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
    fn amounts_become_cents_and_bad_ones_name_the_flag() {
        assert_eq!(cents("cost", "12.5").unwrap(), 1250);
        assert_eq!(cents("cost", "12.05").unwrap(), 1205);
        assert_eq!(cents("cost", "7").unwrap(), 700);
        for bad in [
            "",
            ".5",
            "1.234",
            "-3",
            "1,50",
            "abc",
            "99999999999999999999",
        ] {
            let err = cents("cost", bad).unwrap_err().to_string();
            assert!(err.starts_with("invalid cost:"), "{bad}: {err}");
        }
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
    use crate::render::format::money;
    use proptest::prelude::*;

    proptest! {
        /// Every amount written with two decimals reads back as the same cents, and the
        /// grouped form the CLI prints reads back too once the commas are gone.
        #[test]
        fn amounts_round_trip(c in 0u64..10_000_000_000_000) {
            prop_assert_eq!(cents("cost", &format!("{}.{:02}", c / 100, c % 100)).unwrap(), c);
            prop_assert_eq!(cents("cost", &money(c).replace(',', "")).unwrap(), c);
        }

        /// Anything that is not digits with at most two decimals is refused, naming the flag
        /// and never the value.
        #[test]
        fn anything_else_is_refused_by_name(text in "[^0-9]{1,3}[0-9]{0,4}|[0-9]{1,4}\\.[0-9]{3,5}") {
            let err = cents("cost-per-day", &text).unwrap_err().to_string();
            prop_assert!(err.starts_with("invalid cost-per-day:"));
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
