//! A starter list of national crisis lines, for the safety plan and "help now".
//!
//! Each line names where its number comes from and the day it was last checked against that
//! source. Numbers change: Waymark shows each one as "check this number" until the person
//! confirms it (or removes it), and the person's own professionals and lines always come
//! first. The list is a start, not a directory: a person anywhere can add their own.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One crisis line of the starter list, as the safety plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CrisisLine {
    /// A stable id ("us-988"), used to confirm or remove it.
    pub id: String,
    /// ISO 3166 country codes it serves ("US", "GB").
    pub countries: Vec<String>,
    /// Its name.
    pub name: String,
    /// The number to dial, as printed by its source.
    pub number: String,
    /// What it is for and how to reach it ("call or text, 24/7").
    pub about: String,
    /// Where the number comes from.
    pub source: String,
    /// When it was last checked against that source.
    pub checked_on: NaiveDate,
    /// True once the person confirmed the number themselves; until then it is shown as
    /// "check this number".
    pub confirmed: bool,
}

struct Line {
    id: &'static str,
    countries: &'static [&'static str],
    name: &'static str,
    number: &'static str,
    about: &'static str,
    source: &'static str,
    checked: (i32, u32, u32),
}

const LINES: &[Line] = &[
    Line {
        id: "us-988",
        countries: &["US"],
        name: "988 Suicide & Crisis Lifeline",
        number: "988",
        about: "call or text, 24/7; crises of mental health or substance use",
        source: "https://988lifeline.org",
        checked: (2026, 11, 25),
    },
    Line {
        id: "us-samhsa",
        countries: &["US"],
        name: "SAMHSA National Helpline",
        number: "1-800-662-4357",
        about: "free, confidential treatment referral and information, 24/7",
        source: "https://www.samhsa.gov/find-help/national-helpline",
        checked: (2026, 11, 25),
    },
    Line {
        id: "ca-988",
        countries: &["CA"],
        name: "9-8-8 Suicide Crisis Helpline",
        number: "988",
        about: "call or text, English and French, 24/7",
        source: "https://988.ca",
        checked: (2026, 11, 25),
    },
    Line {
        id: "gb-ie-samaritans",
        countries: &["GB", "IE"],
        name: "Samaritans",
        number: "116 123",
        about: "free from any phone, 24/7",
        source: "https://www.samaritans.org",
        checked: (2026, 11, 25),
    },
    Line {
        id: "au-lifeline",
        countries: &["AU"],
        name: "Lifeline",
        number: "13 11 14",
        about: "crisis support, 24/7",
        source: "https://www.lifeline.org.au",
        checked: (2026, 11, 25),
    },
];

/// The countries the starter list covers.
pub fn countries() -> Vec<&'static str> {
    let mut all: Vec<&str> = LINES
        .iter()
        .flat_map(|l| l.countries.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// True when `id` names a line of the starter list.
pub fn is_known(id: &str) -> bool {
    LINES.iter().any(|l| l.id == id)
}

/// The starter lines for `country` (all of them when `None`), with `confirmed` set from
/// the ids the person confirmed and the ids they removed left out.
pub fn for_country(
    country: Option<&str>,
    confirmed: &[String],
    removed: &[String],
) -> Vec<CrisisLine> {
    LINES
        .iter()
        .filter(|l| country.is_none_or(|c| l.countries.contains(&c)))
        .filter(|l| !removed.iter().any(|r| r == l.id))
        .map(|l| CrisisLine {
            id: l.id.to_owned(),
            countries: l.countries.iter().map(|c| (*c).to_owned()).collect(),
            name: l.name.to_owned(),
            number: l.number.to_owned(),
            about: l.about.to_owned(),
            source: l.source.to_owned(),
            checked_on: NaiveDate::from_ymd_opt(l.checked.0, l.checked.1, l.checked.2)
                .unwrap_or_default(),
            confirmed: confirmed.iter().any(|c| c == l.id),
        })
        .collect()
}

/// The emergency number of a country the starter list covers (police, ambulance, fire).
pub fn emergency_number(country: &str) -> Option<&'static str> {
    match country {
        "US" | "CA" => Some("911"),
        "GB" => Some("999"),
        "IE" => Some("112"),
        "AU" => Some("000"),
        _ => None,
    }
}

/// A country code as a person types it, in the form the list uses: upper case, and the
/// United Kingdom's common "UK" read as its ISO code "GB".
pub fn normalise_country(code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    if code == "UK" {
        "GB".to_owned()
    } else {
        code
    }
}

/// The country a time zone most likely lies in, for the zones of the countries the starter
/// list covers; `None` elsewhere (the person can set their country).
pub fn country_of_zone(zone: &str) -> Option<&'static str> {
    const ZONES: &[(&str, &str)] = &[
        ("Europe/London", "GB"),
        ("Europe/Belfast", "GB"),
        ("Europe/Dublin", "IE"),
        ("Australia/", "AU"),
        ("America/New_York", "US"),
        ("America/Chicago", "US"),
        ("America/Denver", "US"),
        ("America/Phoenix", "US"),
        ("America/Los_Angeles", "US"),
        ("America/Anchorage", "US"),
        ("America/Detroit", "US"),
        ("America/Boise", "US"),
        ("America/Indiana/", "US"),
        ("America/Kentucky/", "US"),
        ("America/North_Dakota/", "US"),
        ("Pacific/Honolulu", "US"),
        ("US/", "US"),
        ("America/Toronto", "CA"),
        ("America/Vancouver", "CA"),
        ("America/Edmonton", "CA"),
        ("America/Winnipeg", "CA"),
        ("America/Halifax", "CA"),
        ("America/St_Johns", "CA"),
        ("America/Regina", "CA"),
        ("America/Moncton", "CA"),
        ("Canada/", "CA"),
    ];
    ZONES
        .iter()
        .find(|(prefix, _)| {
            if prefix.ends_with('/') {
                zone.starts_with(prefix)
            } else {
                zone == *prefix
            }
        })
        .map(|(_, country)| *country)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_names_its_source_and_a_check_date() {
        for line in for_country(None, &[], &[]) {
            assert!(line.source.starts_with("https://"), "{}", line.id);
            assert!(line.checked_on > NaiveDate::MIN, "{}", line.id);
            assert!(!line.confirmed);
        }
        assert_eq!(countries(), vec!["AU", "CA", "GB", "IE", "US"]);
    }

    #[test]
    fn zones_find_their_country_and_confirmations_show() {
        assert_eq!(country_of_zone("Europe/London"), Some("GB"));
        assert_eq!(country_of_zone("Australia/Sydney"), Some("AU"));
        assert_eq!(country_of_zone("Europe/Berlin"), None);
        let lines = for_country(Some("US"), &["us-988".into()], &["us-samhsa".into()]);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].confirmed);
        assert_eq!(lines[0].number, "988");
    }
}
