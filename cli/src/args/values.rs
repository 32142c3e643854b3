//! The fixed choices of the command line (`--category emotions`, `--range month`): clap
//! value enums, mapped to the core's types by the commands.

use clap::ValueEnum;

/// What `waymark delete` can erase.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Deletable {
    /// The check-in of a day.
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
    /// Everything.
    All,
}

/// A trigger category.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Category {
    /// People.
    People,
    /// Places.
    Places,
    /// Things.
    Things,
    /// Emotions.
    Emotions,
    /// Hungry, angry, lonely, tired.
    Halt,
    /// Situations.
    Situations,
}

/// How an urge ended.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Outcome {
    /// It passed.
    Passed,
    /// Still struggling with it.
    StillStruggling,
    /// It ended in a lapse.
    Lapsed,
}

/// Whether a card helped.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Helped {
    /// It helped.
    Yes,
    /// It helped somewhat.
    Somewhat,
    /// It did not help.
    No,
}

/// A contact's role.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Role {
    /// Sponsor.
    Sponsor,
    /// A peer in recovery.
    Peer,
    /// Therapist or counsellor.
    Therapist,
    /// A crisis line.
    CrisisLine,
    /// Anyone else.
    Other,
}

/// How someone was reached.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Method {
    /// A call.
    Call,
    /// A message.
    Message,
    /// In person.
    InPerson,
}

/// A meeting kind.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Meeting {
    /// AA, NA and other twelve-step meetings.
    TwelveStep,
    /// SMART Recovery.
    SmartRecovery,
    /// A support group.
    SupportGroup,
    /// Online.
    Online,
    /// Faith-based.
    FaithBased,
    /// At a recovery centre.
    RecoveryCentre,
    /// Group therapy.
    TherapyGroup,
}

/// An export format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document.
    Json,
    /// CSV files, one per kind of record.
    Csv,
}
