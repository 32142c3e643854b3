//! The command line, as clap derive types: every command, its flags and their help text.
//!
//! Text a person writes (entries, notes, reflections) can come from a flag or, better, from
//! standard input (`-` or no flag), so it stays out of the shell's history.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Waymark: a private recovery journal. Everything is encrypted in one file on this computer.
#[derive(Debug, Parser)]
#[command(name = "waymark", version, about, max_term_width = 100)]
pub struct Cli {
    /// The journal file (default: the platform data directory, see `waymark where`).
    #[arg(long, global = true, env = "WAYMARK_JOURNAL", value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// Print machine-readable JSON (schema in docs/cli-json.md) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Unlock with the recovery code instead of the passphrase (asked for, or
    /// WAYMARK_RECOVERY_CODE).
    #[arg(long, global = true)]
    pub recovery_code: bool,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a throwaway journal with a realistic 180-day story and show its progress.
    Demo(DemoArgs),
    /// Create a new journal; prints its recovery code once.
    Init(InitArgs),
    /// Show where the journal file is.
    Where,
    /// Sober-day counters, milestones, a 12-week calendar and mood/craving trends.
    Progress(ProgressArgs),
    /// Milestones reached and the next one, per journey (or acknowledge one).
    Milestones(MilestonesArgs),
    /// The progress review for a period: check-ins, triggers, cards, lapses, support.
    Review(ReviewArgs),
    /// Journeys: what you are recovering from and since when.
    #[command(subcommand)]
    Journey(JourneyCommand),
    /// Record a lapse or relapse; history is kept, a new attempt starts.
    #[command(subcommand)]
    Lapse(LapseCommand),
    /// Today's check-in: mood, craving, HALT, an intention.
    CheckIn(CheckInArgs),
    /// The evening review of a day's check-in: how the day went, 1-5.
    Evening(EveningArgs),
    /// List check-ins.
    CheckIns(DateRange),
    /// Triggers: log one as it happens, or list them.
    #[command(subcommand)]
    Trigger(TriggerCommand),
    /// Coping cards: list, suggest, show, use, add your own, archive, favourite.
    #[command(subcommand)]
    Cards(CardsCommand),
    /// Write a reflection on a lapse (what happened, what you learned, next time).
    Reflect(ReflectArgs),
    /// List reflections.
    Reflections,
    /// Journal entries: write, edit, list, show.
    #[command(subcommand)]
    Entry(EntryCommand),
    /// Search everything you wrote.
    Search(SearchArgs),
    /// Support contacts.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Reaching out to someone.
    #[command(subcommand)]
    Outreach(OutreachCommand),
    /// Meetings.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Settings: time zone and the hour your day starts.
    Settings(SettingsArgs),
    /// Change the passphrase (asks for the current and the new one).
    ChangePassphrase,
    /// Replace the recovery code (the old one stops working); prints the new one once.
    NewRecoveryCode,
    /// Erase one record for good: a check-in, entry, trigger, reflection, meeting or contact.
    Delete(DeleteArgs),
    /// Write an encrypted backup protected by its own passphrase.
    Backup(BackupArgs),
    /// Make a new journal from a backup.
    Restore(RestoreArgs),
    /// Merge a backup from another device into this journal, without duplicates.
    Merge(MergeArgs),
    /// Write everything in PLAINTEXT (JSON or CSV): only for moving your data elsewhere.
    Export(ExportArgs),
    /// Write a self-contained HTML progress report (printable; no network, no external files).
    Report(ReportArgs),
    /// Destroy the journal: every key and the file. Cannot be undone.
    Wipe(WipeArgs),
}

/// `waymark demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Days of story to generate.
    #[arg(long, default_value_t = 180, value_parser = clap::value_parser!(u32).range(7..=3650))]
    pub days: u32,
    /// Seed of the generated story (the same seed gives the same story).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Keep the demo journal at this path instead of a temporary directory (passphrase
    /// "demo passphrase").
    #[arg(long, value_name = "PATH")]
    pub keep: Option<PathBuf>,
}

/// `waymark init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your IANA time zone (default: this computer's).
    #[arg(long)]
    pub zone: Option<String>,
    /// Argon2id memory in MiB: higher is slower to guess and slower to unlock.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub kdf_memory_mib: u32,
    /// Argon2id passes.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub kdf_passes: u32,
}

/// Picks one journey, or all of them.
#[derive(Debug, Args)]
pub struct JourneyPick {
    /// The journey's id (default: every active journey).
    #[arg(long)]
    pub journey: Option<String>,
}

/// `waymark milestones`.
#[derive(Debug, Args)]
pub struct MilestonesArgs {
    /// The journey's id (default: every active journey; needed with --acknowledge when there
    /// are several).
    #[arg(long)]
    pub journey: Option<String>,
    /// Mark a reached milestone as celebrated (its key, such as 30d or 1y).
    #[arg(long, value_name = "KEY")]
    pub acknowledge: Option<String>,
}

/// `waymark evening`.
#[derive(Debug, Args)]
pub struct EveningArgs {
    /// How the day went, 1 (hard) to 5 (good).
    #[arg(long)]
    pub rating: u8,
    /// A note ("-" reads it from standard input).
    #[arg(long)]
    pub note: Option<String>,
    /// The day (default: today).
    #[arg(long)]
    pub date: Option<String>,
}

/// `waymark delete KIND ID --yes`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// What to delete.
    #[arg(value_enum)]
    pub kind: Deletable,
    /// Its id (for a check-in, the day: YYYY-MM-DD).
    pub id: String,
    /// Confirm: the record is erased for good.
    #[arg(long)]
    pub yes: bool,
}

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

/// `waymark progress`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// The journey's id (default: every active journey).
    #[arg(long)]
    pub journey: Option<String>,
    /// What the 12-week calendar shows.
    #[arg(long, value_enum, default_value_t = CalendarShows::Sober)]
    pub calendar: CalendarShows,
}

/// What the calendar heat map shows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalendarShows {
    /// Sober days and lapses.
    Sober,
    /// The day's mood.
    Mood,
}

/// `waymark review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The period.
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub range: Period,
    /// First day (with --to, instead of --range).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
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

/// `waymark journey ...`.
#[derive(Debug, Subcommand)]
pub enum JourneyCommand {
    /// Start tracking a journey.
    Add(JourneyFields),
    /// List journeys.
    List {
        /// Include archived journeys.
        #[arg(long)]
        all: bool,
    },
    /// Change a journey (every field is replaced by what is given).
    Edit {
        /// The journey's id.
        id: String,
        /// The new values.
        #[command(flatten)]
        fields: JourneyFields,
    },
    /// Archive (or with --undo, unarchive) a journey.
    Archive {
        /// The journey's id.
        id: String,
        /// Unarchive.
        #[arg(long)]
        undo: bool,
    },
    /// Delete a journey and its lapses (reflections are kept).
    Delete {
        /// The journey's id.
        id: String,
        /// Confirm.
        #[arg(long)]
        yes: bool,
    },
}

/// The fields of a journey.
#[derive(Debug, Args)]
pub struct JourneyFields {
    /// What you are recovering from, in your words.
    #[arg(long)]
    pub name: String,
    /// The first sober day (YYYY-MM-DD).
    #[arg(long)]
    pub since: String,
    /// The time on that day it began (HH:MM), for the 24-hour milestone.
    #[arg(long)]
    pub time: Option<String>,
    /// The time zone it began in (default: your current zone).
    #[arg(long)]
    pub zone: Option<String>,
    /// What it cost per day (e.g. 12.50), for "money saved".
    #[arg(long)]
    pub cost_per_day: Option<String>,
    /// Minutes per day it took, for "time regained".
    #[arg(long)]
    pub minutes_per_day: Option<u32>,
    /// Your own milestones in days (e.g. --milestone 7 --milestone 100).
    #[arg(long = "milestone")]
    pub milestones: Vec<u32>,
}

/// `waymark lapse ...`.
#[derive(Debug, Subcommand)]
pub enum LapseCommand {
    /// Record a lapse (or --relapse).
    Record {
        /// The journey's id (default: the only active journey).
        #[arg(long)]
        journey: Option<String>,
        /// The day it happened (default: today).
        #[arg(long)]
        date: Option<String>,
        /// It was a relapse (a return to the old pattern), not a single slip.
        #[arg(long)]
        relapse: bool,
        /// For a relapse: the first sober day after it (default: the day after).
        #[arg(long)]
        sober_again_from: Option<String>,
        /// A note ("-" reads it from standard input).
        #[arg(long)]
        note: Option<String>,
    },
    /// List the lapses of a journey.
    List(JourneyPick),
    /// Undo a lapse recorded by mistake (the streak comes back).
    Undo {
        /// The lapse's id.
        id: String,
    },
}

/// `waymark check-in`.
#[derive(Debug, Args)]
pub struct CheckInArgs {
    /// Mood, 1 (very low) to 5 (very good).
    #[arg(long)]
    pub mood: u8,
    /// Craving, 0 (none) to 10 (overwhelming).
    #[arg(long)]
    pub craving: u8,
    /// The day (default: today; past days can be filled in).
    #[arg(long)]
    pub date: Option<String>,
    /// HALT: hungry.
    #[arg(long)]
    pub hungry: bool,
    /// HALT: angry.
    #[arg(long)]
    pub angry: bool,
    /// HALT: lonely.
    #[arg(long)]
    pub lonely: bool,
    /// HALT: tired.
    #[arg(long)]
    pub tired: bool,
    /// A trigger on your mind (repeatable).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Today's intention.
    #[arg(long)]
    pub intention: Option<String>,
    /// Something you are grateful for (repeatable).
    #[arg(long)]
    pub gratitude: Vec<String>,
    /// A note ("-" reads it from standard input).
    #[arg(long)]
    pub note: Option<String>,
}

/// A range of days.
#[derive(Debug, Args)]
pub struct DateRange {
    /// First day (default: 30 days ago).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (default: today).
    #[arg(long)]
    pub to: Option<String>,
}

/// `waymark trigger ...`.
#[derive(Debug, Subcommand)]
pub enum TriggerCommand {
    /// Log a trigger now.
    Log(TriggerArgs),
    /// List triggers.
    List(DateRange),
}

/// `waymark trigger log`.
#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// What kind of trigger.
    #[arg(long, value_enum)]
    pub category: Category,
    /// How strong, 0 to 10.
    #[arg(long)]
    pub intensity: u8,
    /// The coping card you used (its id, see `waymark cards list`).
    #[arg(long)]
    pub card: Option<String>,
    /// How the urge ended.
    #[arg(long, value_enum)]
    pub outcome: Option<Outcome>,
    /// How many minutes the urge lasted.
    #[arg(long)]
    pub minutes: Option<u32>,
    /// A tag (repeatable).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The situation ("-" reads it from standard input).
    #[arg(long)]
    pub situation: Option<String>,
    /// The journey it concerns.
    #[arg(long)]
    pub journey: Option<String>,
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

/// `waymark cards ...`.
#[derive(Debug, Subcommand)]
pub enum CardsCommand {
    /// List cards.
    List {
        /// Include archived cards.
        #[arg(long)]
        all: bool,
    },
    /// The cards most likely to help with a kind of trigger, learned from your own uses.
    Suggest {
        /// The trigger category.
        #[arg(value_enum)]
        category: Category,
    },
    /// Show one card with its steps.
    Show {
        /// The card's id.
        id: String,
    },
    /// Record that you used a card and whether it helped.
    Use {
        /// The card's id.
        id: String,
        /// Did it help?
        #[arg(long, value_enum)]
        helped: Helped,
        /// The kind of trigger it was used for.
        #[arg(long, value_enum)]
        category: Option<Category>,
    },
    /// Add your own card.
    Add {
        /// Its title.
        #[arg(long)]
        title: String,
        /// A step (repeatable, in order).
        #[arg(long = "step", required = true)]
        steps: Vec<String>,
        /// What it helps with (repeatable).
        #[arg(long = "helps-with", value_enum)]
        helps_with: Vec<Category>,
    },
    /// Turn a "next time" item of a reflection into your own card (once).
    FromPlan {
        /// The reflection's id.
        reflection: String,
        /// Which item, counting from 1.
        item: u32,
    },
    /// Archive (or with --undo, restore) a card: it is no longer suggested.
    Archive {
        /// The card's id.
        id: String,
        /// Restore.
        #[arg(long)]
        undo: bool,
    },
    /// Mark (or with --undo, unmark) a favourite.
    Favourite {
        /// The card's id.
        id: String,
        /// Unmark.
        #[arg(long)]
        undo: bool,
    },
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

/// `waymark reflect`.
#[derive(Debug, Args)]
pub struct ReflectArgs {
    /// The lapse it is about (default: the most recent lapse).
    #[arg(long)]
    pub lapse: Option<String>,
    /// What happened ("-" reads it from standard input).
    #[arg(long)]
    pub what_happened: Option<String>,
    /// What led up to it.
    #[arg(long)]
    pub trigger: Option<String>,
    /// Thoughts and feelings before.
    #[arg(long)]
    pub feelings: Option<String>,
    /// What you tried.
    #[arg(long)]
    pub tried: Option<String>,
    /// What you learned.
    #[arg(long)]
    pub learned: Option<String>,
    /// Next time, I will... (repeatable; each can become a coping card).
    #[arg(long = "plan")]
    pub plan: Vec<String>,
    /// A kind word to yourself.
    #[arg(long)]
    pub kind_word: Option<String>,
    /// Save as a draft (anything may be empty).
    #[arg(long)]
    pub draft: bool,
}

/// `waymark entry ...`.
#[derive(Debug, Subcommand)]
pub enum EntryCommand {
    /// Write an entry; the text comes from --text or standard input.
    Write {
        /// A title.
        #[arg(long)]
        title: Option<String>,
        /// The text ("-" or absent: read standard input).
        #[arg(long)]
        text: Option<String>,
        /// Mood 1-5.
        #[arg(long)]
        mood: Option<u8>,
        /// A tag (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// The day (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// List entries.
    List(DateRange),
    /// Change an entry: what is given replaces what was there.
    Edit {
        /// The entry's id.
        id: String,
        /// A new title.
        #[arg(long)]
        title: Option<String>,
        /// New text ("-" reads standard input).
        #[arg(long)]
        text: Option<String>,
        /// A new mood 1-5.
        #[arg(long)]
        mood: Option<u8>,
        /// New tags (repeatable; replaces them all).
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// Show one entry in full.
    Show {
        /// The entry's id.
        id: String,
    },
}

/// `waymark search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find (all must appear).
    pub query: String,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// `waymark contact ...`.
#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Add a contact.
    Add {
        /// Their name.
        #[arg(long)]
        name: String,
        /// Who they are to you.
        #[arg(long, value_enum)]
        role: Role,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
    },
    /// List contacts.
    List,
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

/// `waymark outreach ...`.
#[derive(Debug, Subcommand)]
pub enum OutreachCommand {
    /// Log that you reached out.
    Log {
        /// The contact's id.
        #[arg(long)]
        contact: String,
        /// How.
        #[arg(long, value_enum, default_value_t = Method::Call)]
        method: Method,
        /// Whether it helped.
        #[arg(long)]
        helped: Option<bool>,
    },
    /// List outreach.
    List,
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

/// `waymark meeting ...`.
#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Log a meeting you went to.
    Log {
        /// What kind.
        #[arg(long, value_enum)]
        kind: Meeting,
        /// The day (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Its name.
        #[arg(long)]
        name: Option<String>,
    },
    /// List meetings, with "90 in 90" progress.
    List(DateRange),
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

/// `waymark settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Set your current IANA time zone.
    #[arg(long)]
    pub zone: Option<String>,
    /// Set the hour (0-23) your day starts: a 1 am check-in can still count for yesterday.
    #[arg(long)]
    pub day_starts_at: Option<u8>,
}

/// `waymark backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `waymark restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    #[arg(long)]
    pub from: PathBuf,
}

/// `waymark merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The backup file from the other device.
    #[arg(long)]
    pub from: PathBuf,
}

/// `waymark export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format: one JSON file, or a directory of CSV files (one per kind).
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Where to write (a file for json, a new directory for csv).
    #[arg(long)]
    pub out: PathBuf,
}

/// An export format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document.
    Json,
    /// CSV files, one per kind of record.
    Csv,
}

/// `waymark report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HTML file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The period it covers.
    #[arg(long, value_enum, default_value_t = Period::Year)]
    pub range: Period,
}

/// `waymark wipe`.
#[derive(Debug, Args)]
pub struct WipeArgs {
    /// Confirm: the journal cannot be recovered afterwards.
    #[arg(long)]
    pub yes: bool,
}
