//! Number formats for people: durations, counts with the right plural, means. Money is the
//! core's (`waymark_core::recovery::money::Currency::format`), in the person's currency.

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
    count(u64::from(n), "day", "days")
}

/// A count with its noun: "1 meeting", "0 meetings", "2 reflections".
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What a screen says about records it could not show: damaged ones, and ones written by a
/// newer Waymark (kept unchanged until the app is updated). Empty when there are none.
pub fn unreadable(damaged: u32, newer: u32, quarantined: u32) -> Vec<String> {
    let mut lines = Vec::new();
    if damaged > 0 {
        lines.push(format!(
            "{} could not be read",
            count(u64::from(damaged), "damaged record", "damaged records")
        ));
    }
    if newer > 0 {
        lines.push(format!(
            "{} written by a newer version of Waymark {} kept unchanged: update to see {}",
            count(u64::from(newer), "record", "records"),
            if newer == 1 { "is" } else { "are" },
            if newer == 1 { "it" } else { "them" }
        ));
    }
    if quarantined > 0 {
        lines.push(format!(
            "{} in quarantine (not applied): `waymark quarantine` lists {}",
            count(u64::from(quarantined), "record", "records"),
            if quarantined == 1 { "it" } else { "them" }
        ));
    }
    lines
}

/// "once", "twice", "3 times".
pub fn times(n: u64) -> String {
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
    }
}
