//! The command line's own fixed choices (`--range month`, `--format csv`). Choices that are
//! the core's (trigger categories, roles, meeting kinds...) are parsed straight into the
//! core's enums instead (see `named`).

use clap::ValueEnum;

/// What `waymark delete` can erase.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Deletable {
    /// The check-in of a day.
    #[value(alias = "check-in")]
    CheckIn,
    /// A journal entry.
    Entry,
    /// A trigger.
    Trigger,
    /// A reflection.
    Reflection,
    /// A meeting.
    Meeting,
    /// A contact (their outreach history stays).
    Contact,
    /// An outreach entry.
    Outreach,
    /// A journey with its lapses (by name or id; reflections are kept).
    Journey,
    /// A lapse recorded by mistake (the same as `lapse undo`).
    Lapse,
    /// An amount logged against a limit goal (see `use --list`).
    Use,
}

/// What the calendar heat map shows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalendarShows {
    /// Sober days and lapses.
    Sober,
    /// The day's mood.
    Mood,
}

/// A review period.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Period {
    /// The last 7 days.
    Week,
    /// The last 30 days.
    Month,
    /// The last 365 days.
    Year,
    /// Everything (JSON: all_time).
    #[value(alias = "all_time", alias = "all-time")]
    All,
}

/// Whether a card helped (JSON spells the outcome helped, helped_somewhat, did_not_help).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Helped {
    /// It helped.
    #[value(alias = "helped")]
    Yes,
    /// It helped somewhat.
    #[value(alias = "helped_somewhat", alias = "helped-somewhat")]
    Somewhat,
    /// It did not help.
    #[value(alias = "did_not_help", alias = "did-not-help")]
    No,
}

/// A reflection template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// What happened, what I learned, next time.
    Lapse,
    /// A DBT chain analysis: vulnerability, prompting event, links, behaviour, repair.
    #[value(alias = "chain_analysis", alias = "chain-analysis")]
    Chain,
}

/// An export format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document.
    Json,
    /// CSV files, one per kind of record.
    Csv,
}
