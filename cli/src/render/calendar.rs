//! The 12-week calendar heat map: one column per week (Monday first), today in the last
//! column, a cell per day.

use crate::output::Out;
use chrono::{Datelike, Duration, NaiveDate};
use waymark_core::recovery::journey::DayStatus;

/// What one day shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Nothing recorded (before the journey, or no check-in).
    Empty,
    /// After today.
    Future,
    /// A completed sober day.
    Sober,
    /// The day of a lapse.
    Lapse,
    /// A day of a relapse.
    Relapse,
    /// A day over a limit goal's limit.
    Over,
    /// Today, still in progress.
    Today,
    /// The day's mood, 1-5.
    Mood(i32),
}

/// The cell of a day the core judged (`journey::day_status`).
pub fn cell_of(status: DayStatus) -> Cell {
    match status {
        DayStatus::Sober => Cell::Sober,
        DayStatus::Today => Cell::Today,
        DayStatus::Lapse => Cell::Lapse,
        DayStatus::Relapse => Cell::Relapse,
        DayStatus::OverLimit => Cell::Over,
        DayStatus::BeforeStart => Cell::Empty,
        DayStatus::Future => Cell::Future,
    }
}

/// Weeks shown.
pub const WEEKS: i64 = 12;

/// The first day shown: the Monday eleven weeks before this week's Monday.
pub fn first_day(today: NaiveDate) -> NaiveDate {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    monday - Duration::weeks(WEEKS - 1)
}

/// The heat map as lines: a month header, seven weekday rows, a legend.
pub fn render(out: &Out, today: NaiveDate, cell: impl Fn(NaiveDate) -> Cell) -> String {
    let start = first_day(today);
    let mut header = String::from("    ");
    for week in 0..WEEKS {
        let monday = start + Duration::weeks(week);
        if let Some(month) = month_label(monday, week == 0) {
            if header.chars().count() <= (4 + week * 2) as usize {
                while header.chars().count() < (4 + week * 2) as usize {
                    header.push(' ');
                }
                header.push_str(&month);
            }
        }
    }
    let mut lines = vec![header.trim_end().to_owned()];
    for (row, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        let mut line = format!("{name} ");
        for week in 0..WEEKS {
            let day = start + Duration::weeks(week) + Duration::days(row as i64);
            line.push_str(&glyph(out, cell(day)));
            line.push(' ');
        }
        lines.push(line.trim_end().to_owned());
    }
    lines.join("\n")
}

pub use waymark_core::recovery::words::month_label;

/// The legend for a sober calendar.
pub fn sober_legend(out: &Out) -> String {
    format!(
        "{} sober  {} today  {} lapse  {} relapse  {} before the journey",
        glyph(out, Cell::Sober),
        glyph(out, Cell::Today),
        glyph(out, Cell::Lapse),
        glyph(out, Cell::Relapse),
        glyph(out, Cell::Empty)
    )
}

/// The legend for a limit goal's calendar.
pub fn limit_legend(out: &Out) -> String {
    format!(
        "{} within the limit  {} today  {} over the limit  {} before the goal",
        glyph(out, Cell::Sober),
        glyph(out, Cell::Today),
        glyph(out, Cell::Over),
        glyph(out, Cell::Empty)
    )
}

/// The legend for a mood calendar.
pub fn mood_legend(out: &Out) -> String {
    let scale: Vec<String> = (1..=5).map(|m| glyph(out, Cell::Mood(m))).collect();
    format!(
        "mood 1 {} 5   {} no check-in",
        scale.join(""),
        glyph(out, Cell::Empty)
    )
}

fn glyph(out: &Out, cell: Cell) -> String {
    match cell {
        Cell::Empty => out.dim("·"),
        Cell::Future => " ".to_owned(),
        Cell::Sober => out.green("■"),
        Cell::Today => out.green("◆"),
        Cell::Lapse => out.red("✕"),
        Cell::Relapse => out.red("▲"),
        Cell::Over => out.yellow("✕"),
        Cell::Mood(m) => {
            const GLYPHS: [&str; 5] = ["░", "▒", "▓", "█", "█"];
            const SHADES: [u8; 5] = [196, 208, 226, 112, 34];
            let i = (m.clamp(1, 5) - 1).unsigned_abs() as usize;
            out.shade(SHADES[i], GLYPHS[i])
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use waymark_core::recovery::journey::{day_status, Attempt};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn attempt(number: i32, start: NaiveDate, end: Option<NaiveDate>) -> Attempt {
        Attempt {
            number,
            start,
            start_time: None,
            end,
            ended_by: None,
            sober_days: 0,
            start_zone: "UTC".into(),
            start_instant: start.and_hms_opt(0, 0, 0).unwrap().and_utc(),
            pending: false,
        }
    }

    #[test]
    fn a_lapse_and_the_attempts_around_it_show_on_their_days() {
        let attempts = vec![
            attempt(1, d(2026, 10, 1), Some(d(2026, 11, 10))),
            attempt(2, d(2026, 11, 11), None),
        ];
        let today = d(2026, 11, 25); // a Wednesday
        let plain = Out {
            json: false,
            color: false,
        };
        let map = render(&plain, today, |day| {
            cell_of(day_status(&attempts, &[], day, today))
        });
        let lines: Vec<&str> = map.lines().collect();
        assert_eq!(lines.len(), 8);
        // The last column is this week: Mon 23 and Tue 24 sober, Wed 25 today, Thu on blank.
        assert!(lines[1].ends_with('■'));
        assert!(lines[3].ends_with('◆'));
        assert_eq!(lines[4].chars().count(), 4 + 11 * 2 - 1);
        // 10 November 2026 was a Tuesday, in the third column from the right.
        let tue: Vec<char> = lines[2].chars().collect();
        assert_eq!(tue[4 + 9 * 2], '✕');
        // Before the journey began: no record.
        assert!(lines[1].starts_with("Mon · · · · ■"));
        assert_eq!(first_day(today), d(2026, 9, 7));
    }
}
