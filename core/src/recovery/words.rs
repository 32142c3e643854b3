//! The small words every screen shares (the command line, the report, the shells' texts):
//! counts with the right plural, durations, means, enum labels, the month labels of a
//! calendar and the sentences for "90 in 90" and emergencies. One definition each.

use super::support::{NinetyInNinety, NinetyInNinetyStart};
use chrono::{Datelike, NaiveDate};

/// Minutes as hours (or days and hours past 48 hours).
pub fn minutes(total: i64) -> String {
    let total = total.max(0);
    let hours = total / 60;
    if hours >= 48 {
        format!("{}d {}h", hours / 24, hours % 24)
    } else {
        format!("{hours}h {}m", total % 60)
    }
}

/// "1 day", "2 days".
pub fn days(n: i32) -> String {
    count(i64::from(n), "day", "days")
}

/// A count with its noun: "1 meeting", "0 meetings", "2 reflections".
pub fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "once", "twice", "3 times".
pub fn times(n: i64) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
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

/// The month label of a calendar column starting on `monday`: the month whose 1st falls in
/// that week, or the week's month for the first column; `None` otherwise.
pub fn month_label(monday: NaiveDate, first_column: bool) -> Option<String> {
    let first_of_month = (0..7)
        .filter_map(|d| monday.checked_add_days(chrono::Days::new(d)))
        .find(|day| day.day() == 1);
    match (first_of_month, first_column) {
        (Some(day), _) => Some(day.format("%b").to_string()),
        (None, true) => Some(monday.format("%b").to_string()),
        (None, false) => None,
    }
}

/// "90 in 90: 39 meetings by day 81, 51 to go, on track (a fresh run since 2026-10-02)."
pub fn ninety_sentence(n: &NinetyInNinety) -> String {
    let since = match n.counting_from_reason {
        NinetyInNinetyStart::AfterLapse => format!(" (a fresh run since {})", n.counting_from),
        NinetyInNinetyStart::Chosen => format!(" (the run you started on {})", n.counting_from),
        NinetyInNinetyStart::Window => String::new(),
    };
    if n.started_on.is_none() {
        return format!("90 in 90: no meetings yet{since}; the run starts with your next one.");
    }
    if n.complete {
        return format!(
            "90 in 90: done, {} in 90 days{since}.",
            count(i64::from(n.meetings), "meeting", "meetings")
        );
    }
    format!(
        "90 in 90: {} by day {}, {} to go{}{since}.",
        count(i64::from(n.meetings), "meeting", "meetings"),
        n.day,
        n.remaining,
        if n.on_track { ", on track" } else { "" }
    )
}

/// "In immediate danger, call 999." (or "your local emergency number").
pub fn emergency_sentence(number: Option<&str>) -> String {
    match number {
        Some(n) => format!("In immediate danger, call {n}."),
        None => "In immediate danger, call your local emergency number.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_time_read_naturally() {
        assert_eq!(count(1, "meeting", "meetings"), "1 meeting");
        assert_eq!(count(0, "meeting", "meetings"), "0 meetings");
        assert_eq!(times(1), "once");
        assert_eq!(minutes(95), "1h 35m");
        assert_eq!(minutes(60 * 50), "2d 2h");
        assert_eq!(days(1), "1 day");
        assert_eq!(
            emergency_sentence(Some("911")),
            "In immediate danger, call 911."
        );
    }
}
