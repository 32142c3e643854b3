//! The commands for hard moments and for staying on track: the safety plan, help now,
//! reminders, and amounts logged against a limit goal.

use super::named::named;
use clap::{Args, Subcommand};
use waymark_core::recovery::reminders::Weekday;
use waymark_core::recovery::safety_plan::PlanSection;

/// `waymark safety-plan [COMMAND]`.
#[derive(Debug, Args)]
pub struct SafetyPlanArgs {
    /// What to do (default: show the plan).
    #[command(subcommand)]
    pub command: Option<SafetyPlanCommand>,
}

/// The parts of an item: text and what it links.
#[derive(Debug, Args)]
pub struct SafetyItemFlags {
    /// The item in your words ("-" reads it from standard input).
    pub text: Option<String>,
    /// A coping card it links, by id (things I can do on my own).
    #[arg(long)]
    pub card: Option<String>,
    /// A contact it links, by name or id (distractions, people to ask, professionals).
    #[arg(long)]
    pub contact: Option<String>,
    /// A number to call.
    #[arg(long)]
    pub phone: Option<String>,
}

/// `waymark safety-plan ...`.
#[derive(Debug, Subcommand)]
pub enum SafetyPlanCommand {
    /// Show the plan: the six steps, your reasons, crisis lines.
    Show,
    /// Add an item at the end of a section (warning-signs, on-my-own, distractions,
    /// ask-for-help, professionals, safer-surroundings, reasons).
    Add {
        /// The section.
        #[arg(value_parser = named::<PlanSection>())]
        section: PlanSection,
        #[command(flatten)]
        item: SafetyItemFlags,
    },
    /// Replace item NUMBER of a section.
    Edit {
        /// The section.
        #[arg(value_parser = named::<PlanSection>())]
        section: PlanSection,
        /// The item's number, as shown.
        number: i32,
        #[command(flatten)]
        item: SafetyItemFlags,
    },
    /// Remove item NUMBER of a section.
    Remove {
        /// The section.
        #[arg(value_parser = named::<PlanSection>())]
        section: PlanSection,
        /// The item's number, as shown.
        number: i32,
    },
    /// Replace a whole section with the lines of standard input (one item per line; no
    /// input empties it).
    Set {
        /// The section.
        #[arg(value_parser = named::<PlanSection>())]
        section: PlanSection,
    },
    /// Confirm a starter crisis line after checking its number yourself.
    Confirm {
        /// The line's id, as shown (us-988, gb-ie-samaritans...).
        line: String,
    },
    /// Take a starter crisis line off your plan (confirm it to bring it back).
    RemoveLine {
        /// The line's id, as shown.
        line: String,
    },
    /// The country whose crisis lines are shown (two letters: US, GB, IE, CA, AU).
    Country {
        /// The country code.
        #[arg(required_unless_present = "auto")]
        code: Option<String>,
        /// Guess it from your time zone again.
        #[arg(long, conflicts_with = "code")]
        auto: bool,
    },
}

/// `waymark help-now [COMMAND]`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HelpNowArgs {
    /// How strong the urge is right now, 0-10 (starts the urge-surfing session with it).
    /// Anything else still shows help now; the strength is then not noted.
    #[arg(long, allow_hyphen_values = true)]
    pub intensity: Option<String>,
    /// The same, without the flag: `waymark help-now 8`.
    #[arg(allow_hyphen_values = true)]
    pub level: Option<String>,
    /// What to do (default: show help now and start riding out the urge).
    #[command(subcommand)]
    pub command: Option<HelpNowCommand>,
}

/// `waymark help-now ...`.
#[derive(Debug, Subcommand)]
pub enum HelpNowCommand {
    /// Note that you called someone from help now (logged as outreach).
    Call {
        /// Who, by name or id.
        contact: String,
    },
    /// End the urge-surfing session: how strong the urge is now, and the card you used.
    End {
        /// How strong the urge is now, 0-10.
        #[arg(long)]
        intensity: i32,
        /// The card you used, by id (its ranking learns from how it went).
        #[arg(long)]
        card: Option<String>,
        /// The session's id (default: the one still open).
        #[arg(long)]
        session: Option<String>,
    },
}

/// `waymark reminders [COMMAND]`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RemindersArgs {
    /// How many days ahead to show (1-14).
    #[arg(long, default_value_t = 7, allow_negative_numbers = true)]
    pub days: i32,
    /// What to do (default: what would be scheduled in the next days).
    #[command(subcommand)]
    pub command: Option<RemindersCommand>,
}

/// `waymark reminders ...`.
#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Show your reminder settings.
    Settings,
    /// Change reminder settings: only what you give changes.
    Set(ReminderChanges),
    /// Add a meeting you go to every week.
    AddMeeting {
        /// Its day: mon, tue, wed, thu, fri, sat, sun.
        #[arg(long, value_parser = named::<Weekday>())]
        weekday: Weekday,
        /// Its time (HH:MM).
        #[arg(long)]
        at: String,
        /// Its name (shown only with --discreet off).
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove weekly meeting NUMBER, as `reminders settings` lists them.
    RemoveMeeting {
        /// Its number.
        number: i32,
    },
}

/// What `reminders set` changes.
#[derive(Debug, Args)]
pub struct ReminderChanges {
    /// All reminders on or off.
    #[arg(long)]
    pub enabled: Option<OnOff>,
    /// The daily check-in reminder's time (HH:MM), or "off".
    #[arg(long)]
    pub check_in: Option<String>,
    /// The evening review reminder's time (HH:MM), or "off".
    #[arg(long)]
    pub evening: Option<String>,
    /// Quiet hours as HH:MM-HH:MM (22:00-07:00), or "off".
    #[arg(long)]
    pub quiet: Option<String>,
    /// The most reminders in one day (1-10).
    #[arg(long)]
    pub cap: Option<i32>,
    /// Minutes before a weekly meeting to remind you.
    #[arg(long)]
    pub meeting_lead: Option<i32>,
    /// A reminder the evening before a milestone.
    #[arg(long)]
    pub milestones: Option<OnOff>,
    /// A gentle nudge before the hours your trigger log says are hardest.
    #[arg(long)]
    pub risky_hours: Option<OnOff>,
    /// Discreet words that say nothing about recovery on a lock screen (on by default).
    #[arg(long)]
    pub discreet: Option<OnOff>,
}

/// `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

impl OnOff {
    /// True for on.
    pub fn is_on(self) -> bool {
        self == OnOff::On
    }
}

/// `waymark use`: log an amount against a limit goal.
#[derive(Debug, Args)]
pub struct UseArgs {
    /// The limit journey, by name or id (default: the only limit journey).
    #[arg(long)]
    pub journey: Option<String>,
    /// How much (1, 1.5 or 1,5), in the journey's unit.
    #[arg(long, required_unless_present = "list")]
    pub amount: Option<String>,
    /// List what was logged instead, with ids (for `delete use ID --yes`).
    #[arg(long, conflicts_with_all = ["amount", "date"])]
    pub list: bool,
    /// The day (default: today).
    #[arg(long)]
    pub date: Option<String>,
}
