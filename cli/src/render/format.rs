//! Number formats for people: money, durations, percentages.

/// Cents as an amount with two decimals and thousands separators: `1,234.50`.
pub fn money(cents: u64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", cents % 100)
}

/// Minutes as hours (or days and hours past 48 hours).
pub fn minutes(total: u64) -> String {
    let hours = total / 60;
    if hours >= 48 {
        format!("{}d {}h", hours / 24, hours % 24)
    } else {
        format!("{hours}h {}m", total % 60)
    }
}

/// "1 day", "2 days".
pub fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// An optional mean with one decimal, or a dash.
pub fn mean(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

/// An enum's stable name as the JSON output spells it (`check_in`, `twelve_step`), with
/// underscores shown as spaces.
pub fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_time_read_naturally() {
        assert_eq!(money(0), "0.00");
        assert_eq!(money(123_456_789), "1,234,567.89");
        assert_eq!(money(100_000), "1,000.00");
        assert_eq!(minutes(95), "1h 35m");
        assert_eq!(minutes(60 * 50), "2d 2h");
        assert_eq!(days(1), "1 day");
    }
}
