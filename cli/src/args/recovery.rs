//! Arguments of the recovery commands: journeys, lapses, progress, milestones, review,
//! check-ins, triggers and cards.
//!
//! `--journey` takes a journey's name or its id; fixed choices (`--category`, `--outcome`,
//! `--clear`) are the core's own enums, spelled as in the JSON output.

use super::named::named;
use super::values::{CalendarShows, Helped, Period};
use clap::{Args, Subcommand};
use waymark_core::recovery::journey::{JourneyField, LapseField};
use waymark_core::recovery::limits::LimitPeriod;
use waymark_core::recovery::triggers::{TriggerCategory, TriggerField, UrgeOutcome};

/// Picks one journey, or all of them.
#[derive(Debug, Args)]
pub struct JourneyPick {
    /// The journey, by name or id (default: the only active journey).
    #[arg(long)]
    pub journey: Option<String>,
}

/// `waymark milestones`.
#[derive(Debug, Args)]
pub struct MilestonesArgs {
    /// The journey, by name or id (default: every active journey; needed with
    /// --acknowledge when there are several).
    #[arg(long)]
    pub journey: Option<String>,
    /// Mark a reached milestone as celebrated (its key: 24h, 30d, 60d, 90d, 6m, 9m, 1y, 18m,
    /// 2y, ... or your own such as 100d).
    #[arg(long, value_name = "KEY")]
    pub acknowledge: Option<String>,
    /// Every milestone reached in every attempt, not just this one's.
    #[arg(long, conflicts_with = "acknowledge")]
    pub history: bool,
}

/// `waymark progress`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// The journey, by name or id (default: every active journey).
    #[arg(long)]
    pub journey: Option<String>,
    /// What the 12-week calendar shows.
    #[arg(long, value_enum, default_value_t = CalendarShows::Sober)]
    pub calendar: CalendarShows,
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
    /// Change a journey: only what you give changes (--clear empties an optional field).
    Edit {
        /// The journey, by name or id.
        id: String,
        /// The changes.
        #[command(flatten)]
        changes: JourneyChanges,
    },
    /// Archive (or with --undo, unarchive) a journey.
    Archive {
        /// The journey, by name or id.
        id: String,
        /// Unarchive.
        #[arg(long)]
        undo: bool,
    },
    /// Delete a journey and its lapses (reflections are kept).
    Delete {
        /// The journey, by name or id.
        id: String,
        /// Confirm.
        #[arg(long)]
        yes: bool,
    },
}

/// The fields of a new journey.
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
    /// What it cost per day, in your currency (12.50 or 12,50), for "money saved".
    #[arg(long)]
    pub cost_per_day: Option<String>,
    /// Minutes per day it took, for "time regained".
    #[arg(long)]
    pub minutes_per_day: Option<i32>,
    /// Your own milestones in days (e.g. --milestone 7 --milestone 100).
    #[arg(long = "milestone")]
    pub milestones: Vec<i32>,
    #[command(flatten)]
    pub limit: LimitFlags,
}

/// A limit goal instead of abstinence: `--limit 2 --per day --unit drinks`.
#[derive(Debug, Args)]
pub struct LimitFlags {
    /// Aim at "at most N" (1.5 or 1,5) instead of abstinence; needs --unit.
    #[arg(long)]
    pub limit: Option<String>,
    /// What the limit is counted over: day or week (default: day).
    #[arg(long, value_parser = named::<LimitPeriod>())]
    pub per: Option<LimitPeriod>,
    /// What is counted (drinks, cigarettes, units).
    #[arg(long)]
    pub unit: Option<String>,
}

/// Changes to a journey: each flag given replaces that field.
#[derive(Debug, Args)]
pub struct JourneyChanges {
    /// A new name.
    #[arg(long)]
    pub name: Option<String>,
    /// A new first sober day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// A new time of day it began (HH:MM).
    #[arg(long)]
    pub time: Option<String>,
    /// The time zone it began in.
    #[arg(long)]
    pub zone: Option<String>,
    /// A new cost per day (12.50 or 12,50).
    #[arg(long)]
    pub cost_per_day: Option<String>,
    /// New minutes per day.
    #[arg(long)]
    pub minutes_per_day: Option<i32>,
    /// Your own milestones in days, replacing the ones you had (repeatable).
    #[arg(long = "milestone")]
    pub milestones: Vec<i32>,
    #[command(flatten)]
    pub limit: LimitFlags,
    /// Empty an optional field (repeatable; `limit` makes it an abstinence journey).
    #[arg(long, value_parser = named::<JourneyField>())]
    pub clear: Vec<JourneyField>,
}

/// `waymark lapse ...`.
#[derive(Debug, Subcommand)]
pub enum LapseCommand {
    /// Record a lapse (or --relapse).
    Record {
        /// The journey, by name or id (default: the only active journey).
        #[arg(long)]
        journey: Option<String>,
        /// The day it happened (default: today).
        #[arg(long)]
        date: Option<String>,
        /// The time it happened (HH:MM).
        #[arg(long)]
        time: Option<String>,
        /// It was a relapse (a return to the old pattern), not a single slip.
        #[arg(long)]
        relapse: bool,
        /// For a relapse: the first sober day after it (default: the day after).
        #[arg(long)]
        sober_again_from: Option<String>,
        /// A note ("-" reads it from standard input).
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
        /// The trigger that led to it (its id, see `waymark trigger list`).
        #[arg(long)]
        trigger: Option<String>,
    },
    /// Change a lapse: only what you give changes.
    Edit {
        /// The lapse's id (see `waymark lapse list`).
        id: String,
        /// A new date.
        #[arg(long)]
        date: Option<String>,
        /// A new time (HH:MM).
        #[arg(long)]
        time: Option<String>,
        /// Mark it as a relapse.
        #[arg(long, conflicts_with = "slip")]
        relapse: bool,
        /// Mark it as a single slip.
        #[arg(long)]
        slip: bool,
        /// A new first sober day after it.
        #[arg(long)]
        sober_again_from: Option<String>,
        /// A new note ("-" reads it from standard input).
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
        /// Link the trigger that led to it.
        #[arg(long)]
        trigger: Option<String>,
        /// Empty an optional field (repeatable).
        #[arg(long, value_parser = named::<LapseField>())]
        clear: Vec<LapseField>,
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
    pub mood: i32,
    /// Craving, 0 (none) to 10 (overwhelming).
    #[arg(long)]
    pub craving: i32,
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
    #[arg(allow_hyphen_values = true, long)]
    pub intention: Option<String>,
    /// Something you are grateful for (repeatable).
    #[arg(allow_hyphen_values = true, long)]
    pub gratitude: Vec<String>,
    /// A note ("-" reads it from standard input).
    #[arg(allow_hyphen_values = true, long)]
    pub note: Option<String>,
}

/// `waymark evening`.
#[derive(Debug, Args)]
pub struct EveningArgs {
    /// How the day went, 1 (hard) to 5 (good).
    #[arg(long)]
    pub rating: i32,
    /// A note ("-" reads it from standard input).
    #[arg(allow_hyphen_values = true, long)]
    pub note: Option<String>,
    /// The day (default: today).
    #[arg(long)]
    pub date: Option<String>,
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
    /// Log a trigger (now, or earlier with --at).
    Log(TriggerArgs),
    /// Change a logged trigger: only what you give changes.
    Edit {
        /// The trigger's id (see `waymark trigger list`).
        id: String,
        /// The changes.
        #[command(flatten)]
        changes: TriggerChanges,
    },
    /// List triggers by recovery day.
    List(DateRange),
}

/// `waymark trigger log`.
#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// What kind of trigger.
    #[arg(long, value_parser = named::<TriggerCategory>())]
    pub category: TriggerCategory,
    /// How strong, 0 to 10.
    #[arg(long)]
    pub intensity: i32,
    /// When it happened, in your time zone: HH:MM (today), or YYYY-MM-DD HH:MM (default:
    /// now).
    #[arg(long)]
    pub at: Option<String>,
    /// The coping card you used (its id, see `waymark cards list`).
    #[arg(long)]
    pub card: Option<String>,
    /// How the urge ended.
    #[arg(long, value_parser = named::<UrgeOutcome>())]
    pub outcome: Option<UrgeOutcome>,
    /// How many minutes the urge lasted.
    #[arg(long)]
    pub minutes: Option<i32>,
    /// A tag (repeatable).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The situation ("-" reads it from standard input).
    #[arg(allow_hyphen_values = true, long)]
    pub situation: Option<String>,
    /// The journey it concerns, by name or id.
    #[arg(long)]
    pub journey: Option<String>,
}

/// Changes to a logged trigger: each flag given replaces that field.
#[derive(Debug, Args)]
pub struct TriggerChanges {
    /// Another category.
    #[arg(long, value_parser = named::<TriggerCategory>())]
    pub category: Option<TriggerCategory>,
    /// Another intensity, 0 to 10.
    #[arg(long)]
    pub intensity: Option<i32>,
    /// When it happened, in the time zone it was logged in: HH:MM or YYYY-MM-DD HH:MM.
    #[arg(long)]
    pub at: Option<String>,
    /// The coping card you used.
    #[arg(long)]
    pub card: Option<String>,
    /// How the urge ended.
    #[arg(long, value_parser = named::<UrgeOutcome>())]
    pub outcome: Option<UrgeOutcome>,
    /// How many minutes the urge lasted.
    #[arg(long)]
    pub minutes: Option<i32>,
    /// Tags, replacing the ones it had (repeatable).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The situation ("-" reads it from standard input).
    #[arg(allow_hyphen_values = true, long)]
    pub situation: Option<String>,
    /// The journey it concerns, by name or id.
    #[arg(long)]
    pub journey: Option<String>,
    /// Empty an optional field (repeatable).
    #[arg(long, value_parser = named::<TriggerField>())]
    pub clear: Vec<TriggerField>,
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
        #[arg(value_parser = named::<TriggerCategory>())]
        category: TriggerCategory,
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
        /// Did it help? (yes, somewhat, no)
        #[arg(long, value_enum)]
        helped: Helped,
        /// The kind of trigger it was used for.
        #[arg(long, value_parser = named::<TriggerCategory>())]
        category: Option<TriggerCategory>,
    },
    /// Add your own card.
    Add {
        /// Its title.
        #[arg(allow_hyphen_values = true, long)]
        title: String,
        /// A step (repeatable, in order).
        #[arg(allow_hyphen_values = true, long = "step", required = true)]
        steps: Vec<String>,
        /// What it helps with (repeatable).
        #[arg(long = "helps-with", value_parser = named::<TriggerCategory>())]
        helps_with: Vec<TriggerCategory>,
    },
    /// Turn a "next time" item of a reflection into your own card (once).
    FromPlan {
        /// The reflection's id.
        reflection: String,
        /// Which item, counting from 1.
        item: i32,
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
