//! Number formats for people: the core's shared words (`waymark_core::recovery::words`), and
//! what the command line says about records it could not show. Money is the core's
//! (`Currency::format`), in the person's currency.

pub use waymark_core::recovery::words::{count, days, label, mean, minutes, times};

/// "1 record", "25,000 records": a journal's own count of records, held as `u64`.
pub fn records(n: u64) -> String {
    count(i64::try_from(n).unwrap_or(i64::MAX), "record", "records")
}

/// What a screen says about records it could not show: damaged ones, and ones written by a
/// newer Waymark (kept unchanged until the app is updated). Empty when there are none.
pub fn unreadable(damaged: i32, newer: i32, quarantined: i32) -> Vec<String> {
    let mut lines = Vec::new();
    if damaged > 0 {
        lines.push(format!(
            "{} could not be read",
            count(i64::from(damaged), "damaged record", "damaged records")
        ));
    }
    if newer > 0 {
        lines.push(format!(
            "{} written by a newer version of Waymark {} kept unchanged: update to see {}",
            count(i64::from(newer), "record", "records"),
            if newer == 1 { "is" } else { "are" },
            if newer == 1 { "it" } else { "them" }
        ));
    }
    if quarantined > 0 {
        lines.push(format!(
            "{} in quarantine (not applied): `waymark quarantine` lists {}",
            count(i64::from(quarantined), "record", "records"),
            if quarantined == 1 { "it" } else { "them" }
        ));
    }
    lines
}
