//! Money in the person's currency: reading an amount as they type it and showing one as they
//! would write it.
//!
//! Amounts are stored as whole minor units (cents for EUR and USD, yen for JPY) in fields
//! named `..._cents`. A [`Currency`] knows its ISO 4217 code, how many decimals it has and
//! the symbol people use for it; without one, amounts are plain numbers with two decimals.
//!
//! [`Currency::parse_amount`] accepts a decimal point or a decimal comma ("12.50", "12,50"),
//! and grouping with the other mark or spaces ("1,234.50", "1.234,50", "1 234,50"). A
//! separator followed by exactly three digits with nothing after the decimals of the
//! currency is grouping ("1,234" is one thousand two hundred and thirty-four), otherwise
//! it is the decimal mark. Errors name the field and the rule, never the text.

use crate::error::{Error, Result};

/// A currency by its ISO 4217 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: [u8; 3],
    decimals: u8,
    symbol: Option<&'static str>,
    known: bool,
}

impl Default for Currency {
    /// No currency: plain amounts with two decimals.
    fn default() -> Self {
        Currency {
            code: *b"XXX",
            decimals: 2,
            symbol: None,
            known: false,
        }
    }
}

/// Currencies whose minor unit is not a hundredth, or that have a well-known symbol.
const TABLE: &[(&str, u8, Option<&str>)] = &[
    ("USD", 2, Some("$")),
    ("EUR", 2, Some("€")),
    ("GBP", 2, Some("£")),
    ("JPY", 0, Some("¥")),
    ("CNY", 2, Some("¥")),
    ("INR", 2, Some("₹")),
    ("KRW", 0, Some("₩")),
    ("CAD", 2, Some("CA$")),
    ("AUD", 2, Some("A$")),
    ("NZD", 2, Some("NZ$")),
    ("BRL", 2, Some("R$")),
    ("MXN", 2, Some("MX$")),
    ("ILS", 2, Some("₪")),
    ("TRY", 2, Some("₺")),
    ("UAH", 2, Some("₴")),
    ("PLN", 2, Some("zł")),
    ("ISK", 0, None),
    ("CLP", 0, None),
    ("VND", 0, Some("₫")),
    ("HUF", 2, None),
    ("BHD", 3, None),
    ("KWD", 3, None),
    ("OMR", 3, None),
    ("JOD", 3, None),
    ("TND", 3, None),
];

impl Currency {
    /// The currency with this ISO 4217 code (three letters, any case). Codes that are well
    /// formed but not in Waymark's table are accepted with two decimals and shown by code.
    pub fn parse(code: &str) -> Result<Currency> {
        let upper = code.trim().to_ascii_uppercase();
        let bytes: [u8; 3] = upper
            .as_bytes()
            .try_into()
            .ok()
            .filter(|b: &[u8; 3]| b.iter().all(u8::is_ascii_uppercase))
            .ok_or_else(|| {
                Error::invalid(
                    "currency",
                    "must be a three-letter ISO 4217 code such as EUR",
                )
            })?;
        let known = TABLE.iter().find(|(c, _, _)| c.as_bytes() == bytes);
        Ok(Currency {
            code: bytes,
            decimals: known.map_or(2, |k| k.1),
            symbol: known.and_then(|k| k.2),
            known: true,
        })
    }

    /// The ISO 4217 code, or `None` for plain amounts.
    pub fn code(&self) -> Option<&str> {
        self.known
            .then(|| std::str::from_utf8(&self.code).ok())
            .flatten()
    }

    /// How many decimals an amount has (2 for EUR, 0 for JPY, 3 for KWD).
    pub fn decimals(&self) -> u8 {
        self.decimals
    }

    /// An amount in minor units as a person reads it: "€1,234.50", "¥1,250", "12.50 CHF",
    /// or "1,234.50" without a currency.
    pub fn format(&self, minor: i64) -> String {
        // Amounts saved are never negative; a negative one reads as nothing saved.
        let minor = u64::try_from(minor).unwrap_or(0);
        let scale = 10u64.pow(u32::from(self.decimals));
        let whole = (minor / scale).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3 + 8);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if self.decimals > 0 {
            let width = usize::from(self.decimals);
            grouped.push('.');
            grouped.push_str(&format!("{:0width$}", minor % scale));
        }
        match (self.symbol, self.code()) {
            (Some(symbol), _) => format!("{symbol}{grouped}"),
            (None, Some(code)) => format!("{grouped} {code}"),
            (None, None) => grouped,
        }
    }

    /// Reads an amount typed by a person into minor units (see the module docs for the
    /// separators). `field` names the flag or field in the error.
    pub fn parse_amount(&self, field: &'static str, text: &str) -> Result<i64> {
        let decimals = usize::from(self.decimals);
        let rule = || {
            Error::invalid(
                field,
                if decimals == 0 {
                    "must be a whole amount like 1250".to_owned()
                } else {
                    format!("must be an amount like 12.50 or 12,50 (at most {decimals} decimals)")
                },
            )
        };
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        if cleaned.is_empty() || cleaned.len() > 32 {
            return Err(rule());
        }
        if !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(rule());
        }
        // The decimal mark is the last separator, unless it is followed by exactly three
        // digits (then every separator is grouping).
        let last = cleaned.rfind(['.', ',']);
        let (integer, fraction) = match last {
            Some(at) => {
                let after = &cleaned[at + 1..];
                let is_grouping = after.len() == 3 && decimals != 3;
                if is_grouping {
                    (cleaned.as_str(), "")
                } else {
                    (&cleaned[..at], after)
                }
            }
            None => (cleaned.as_str(), ""),
        };
        if fraction.len() > decimals || fraction.contains(['.', ',']) {
            return Err(rule());
        }
        // Grouping marks in the integer part: one kind, groups of three after the first.
        let mark = integer.chars().find(|c| *c == '.' || *c == ',');
        let digits: String = match mark {
            Some(m) => {
                let decimal_mark = last.and_then(|at| cleaned[at..].chars().next());
                if !fraction.is_empty() && decimal_mark == Some(m) {
                    return Err(rule());
                }
                let groups: Vec<&str> = integer.split(m).collect();
                let well_grouped = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                    && groups[1..].iter().all(|g| g.len() == 3)
                    && !integer.contains(if m == '.' { ',' } else { '.' });
                if !well_grouped {
                    return Err(rule());
                }
                groups.concat()
            }
            None => integer.to_owned(),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(rule());
        }
        let whole: u64 = digits.parse().map_err(|_| rule())?;
        let minor_text = format!("{fraction:0<decimals$}");
        let minor: u64 = if decimals == 0 {
            0
        } else {
            minor_text.parse().map_err(|_| rule())?
        };
        whole
            .checked_mul(10u64.pow(u32::from(self.decimals)))
            .and_then(|w| w.checked_add(minor))
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(|| Error::invalid(field, "is too large"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("eur").unwrap_or_default()
    }

    #[test]
    fn amounts_read_with_a_point_or_a_comma() {
        let e = eur();
        for (text, minor) in [
            ("12.50", 1250),
            ("12,50", 1250),
            ("12,5", 1250),
            ("12", 1200),
            ("1,234.50", 123_450),
            ("1.234,50", 123_450),
            ("1 234,50", 123_450),
            ("1,234", 123_400),
            ("1.234", 123_400),
            ("0,07", 7),
        ] {
            assert_eq!(e.parse_amount("cost", text).ok(), Some(minor), "{text}");
        }
        for bad in [
            "",
            "abc",
            "-3",
            "1.2.3",
            "1,23,4.00",
            "1.234.5",
            "1,234,5",
            ".",
            "1..2",
        ] {
            let err = e
                .parse_amount("cost", bad)
                .map(|_| ())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("invalid cost:"), "{bad}: {err}");
            assert!(bad.len() < 3 || !err.contains(bad), "{bad} echoed");
        }
        let yen = Currency::parse("JPY").unwrap_or_default();
        assert_eq!(yen.parse_amount("cost", "1,250").ok(), Some(1250));
        assert!(yen.parse_amount("cost", "12.50").is_err());
    }

    #[test]
    fn amounts_show_in_the_persons_currency() {
        assert_eq!(eur().format(123_450), "€1,234.50");
        assert_eq!(Currency::default().format(7), "0.07");
        assert_eq!(
            Currency::parse("JPY").unwrap_or_default().format(1250),
            "¥1,250"
        );
        assert_eq!(
            Currency::parse("CHF").unwrap_or_default().format(1250),
            "12.50 CHF"
        );
        assert_eq!(
            Currency::parse("KWD").unwrap_or_default().format(1250),
            "1.250 KWD"
        );
        assert!(Currency::parse("euro").is_err());
        assert!(Currency::parse("E1R").is_err());
    }
}
