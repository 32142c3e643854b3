//! The command line, as clap derive types: every command, its flags and their help text.
//!
//! Text a person writes (entries, notes, reflections) can come from a flag or, better, from
//! standard input (`-` or no flag), so it stays out of the shell's history.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

mod help;
mod journal;
mod named;
mod recovery;
mod values;
mod writing;

pub use help::*;
pub use journal::*;
pub use recovery::*;
pub use values::*;
pub use writing::*;

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
    /// Check the journal file itself: decrypt every record from disk (not the sealed copy an
    /// open reads) and run SQLite's structure check. Exit 4 when anything is damaged.
    Check,
    /// Today at a glance: counters, today's check-in, milestones to celebrate, and cards for
    /// your most frequent trigger lately.
    Home,
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
    Reflect(Box<ReflectArgs>),
    /// List reflections.
    Reflections,
    /// Journal entries: write, edit, list, show.
    #[command(subcommand)]
    Entry(EntryCommand),
    /// Search everything you wrote.
    Search(SearchArgs),
    /// Help now: your plan's first steps, the cards that help you at this hour, people and
    /// lines to call; starts riding out the urge (`help-now end --intensity N` when it eases).
    #[command(visible_alias = "sos")]
    HelpNow(HelpNowArgs),
    /// Your safety plan: warning signs, what helps, who to call, crisis lines, your reasons.
    SafetyPlan(SafetyPlanArgs),
    /// What reminders would be scheduled in the next days, and their settings.
    Reminders(RemindersArgs),
    /// Log an amount against a limit goal (`journey add ... --limit N --unit NAME`).
    Use(UseArgs),
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
    /// Replace the key every record is encrypted under (asks for the passphrase); prints a new
    /// recovery code once. For when an old copy of the journal and its passphrase may be in
    /// someone else's hands.
    RotateKey,
    /// Erase one record for good: a check-in, entry, trigger, reflection, meeting, contact or
    /// outreach.
    Delete(DeleteArgs),
    /// Records kept but not applied: from a backup that broke a rule of their kind, or a
    /// duplicate found when the key was rotated. `list`, `show ID`, `discard ID --yes`.
    Quarantine(QuarantineArgs),
    /// Write an encrypted backup protected by its own passphrase.
    Backup(BackupArgs),
    /// Make a new journal from a backup.
    Restore(RestoreArgs),
    /// Merge a backup from another device into this journal, without duplicates.
    Merge(MergeArgs),
    /// Sync this journal with your other devices through a shared folder: sends what you
    /// wrote here, applies what they wrote; everything in the folder is encrypted.
    Sync(SyncCommandArgs),
    /// Make this device's journal (at --journal) from the journal in a sync folder, with its
    /// passphrase (WAYMARK_PASSPHRASE) or --recovery-code; over the folder's own journal,
    /// join it again after its key was rotated on another device, keeping what it holds.
    Join(SyncArgs),
    /// Write everything in PLAINTEXT (JSON or CSV): only for moving your data elsewhere.
    Export(ExportArgs),
    /// Write a self-contained HTML progress report (printable; no network, no external files).
    Report(ReportArgs),
    /// Destroy the journal: every key and the file. Cannot be undone.
    Wipe(WipeArgs),
}
