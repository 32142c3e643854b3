//! Arguments of the commands for what a person writes and who supports them: reflections,
//! entries, search, contacts, outreach, meetings, and deleting one record.

use super::named::named;
use super::values::{Deletable, Template};
use super::DateRange;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use waymark_core::recovery::support::{
    ContactField, ContactRole, MeetingField, MeetingKind, OutreachField, OutreachMethod,
};

/// `waymark reflect`: a lapse reflection or a chain analysis, new or continued.
#[derive(Debug, Args)]
pub struct ReflectArgs {
    /// Continue this reflection (a draft, or one to add to) instead of starting one; by
    /// default an unfinished draft on the same lapse is continued.
    #[arg(long = "continue", value_name = "ID")]
    pub continue_id: Option<String>,
    /// The lapse it is about (default: the most recent lapse).
    #[arg(long)]
    pub lapse: Option<String>,
    /// The template: a lapse reflection (the default), or a DBT chain analysis. With
    /// `--continue`, the draft's own template unless given.
    #[arg(long, value_enum)]
    pub template: Option<Template>,
    /// Keep it as a draft (anything may be empty); without it, the reflection is finished.
    #[arg(long)]
    pub draft: bool,
    /// What happened ("-" reads it from standard input).
    #[arg(allow_hyphen_values = true, long, help_heading = "Lapse reflection")]
    pub what_happened: Option<String>,
    /// Where, when and with whom.
    #[arg(
        allow_hyphen_values = true,
        long = "where",
        help_heading = "Lapse reflection"
    )]
    pub where_when_who: Option<String>,
    /// What led up to it.
    #[arg(long, help_heading = "Lapse reflection")]
    pub trigger: Option<String>,
    /// Thoughts and feelings before.
    #[arg(allow_hyphen_values = true, long, help_heading = "Lapse reflection")]
    pub feelings: Option<String>,
    /// What you tried.
    #[arg(allow_hyphen_values = true, long, help_heading = "Lapse reflection")]
    pub tried: Option<String>,
    /// What you learned.
    #[arg(allow_hyphen_values = true, long, help_heading = "Lapse reflection")]
    pub learned: Option<String>,
    /// A kind word to yourself.
    #[arg(allow_hyphen_values = true, long, help_heading = "Lapse reflection")]
    pub kind_word: Option<String>,
    /// What made you vulnerable (sleep, stress, illness, HALT...).
    #[arg(allow_hyphen_values = true, long, help_heading = "Chain analysis")]
    pub vulnerability: Option<String>,
    /// The prompting event.
    #[arg(allow_hyphen_values = true, long, help_heading = "Chain analysis")]
    pub prompting_event: Option<String>,
    /// A link in the chain, in order (repeatable).
    #[arg(
        allow_hyphen_values = true,
        long = "link",
        help_heading = "Chain analysis"
    )]
    pub links: Vec<String>,
    /// A skill that could replace the link at the same position (repeatable).
    #[arg(
        allow_hyphen_values = true,
        long = "skill",
        help_heading = "Chain analysis"
    )]
    pub skills: Vec<String>,
    /// The behaviour itself.
    #[arg(allow_hyphen_values = true, long, help_heading = "Chain analysis")]
    pub behaviour: Option<String>,
    /// What followed, short and long term.
    #[arg(allow_hyphen_values = true, long, help_heading = "Chain analysis")]
    pub consequences: Option<String>,
    /// Repair: what you will do to put things right.
    #[arg(allow_hyphen_values = true, long, help_heading = "Chain analysis")]
    pub repair: Option<String>,
    /// Next time, I will... (repeatable; each can become a coping card).
    #[arg(allow_hyphen_values = true, long = "plan")]
    pub plan: Vec<String>,
}

/// `waymark entry ...`.
#[derive(Debug, Subcommand)]
pub enum EntryCommand {
    /// Write an entry; the text comes from --text or standard input.
    Write {
        /// A title.
        #[arg(allow_hyphen_values = true, long)]
        title: Option<String>,
        /// The text ("-" or absent: read standard input).
        #[arg(allow_hyphen_values = true, long)]
        text: Option<String>,
        /// Mood 1-5.
        #[arg(long)]
        mood: Option<i32>,
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
        #[arg(allow_hyphen_values = true, long)]
        title: Option<String>,
        /// New text ("-" reads standard input).
        #[arg(allow_hyphen_values = true, long)]
        text: Option<String>,
        /// A new mood 1-5.
        #[arg(long)]
        mood: Option<i32>,
        /// New tags (repeatable; replaces them all).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// A new day.
        #[arg(long)]
        date: Option<String>,
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
        #[arg(long, value_parser = named::<ContactRole>())]
        role: ContactRole,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
        /// A note.
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
    },
    /// Change a contact: only what you give changes.
    Edit {
        /// The contact, by name or id.
        id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new role.
        #[arg(long, value_parser = named::<ContactRole>())]
        role: Option<ContactRole>,
        /// A new phone number.
        #[arg(long)]
        phone: Option<String>,
        /// A new note.
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
        /// Empty an optional field (repeatable).
        #[arg(long, value_parser = named::<ContactField>())]
        clear: Vec<ContactField>,
    },
    /// List contacts.
    List,
}

/// `waymark outreach ...`.
#[derive(Debug, Subcommand)]
pub enum OutreachCommand {
    /// Log that you reached out (now, or earlier with --at).
    Log {
        /// The contact, by name or id.
        #[arg(long)]
        contact: String,
        /// How.
        #[arg(long, value_parser = named::<OutreachMethod>(), default_value = "call")]
        method: OutreachMethod,
        /// Whether it helped.
        #[arg(long, value_parser = yes_no())]
        helped: Option<bool>,
        /// A note.
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
        /// When, in your time zone: HH:MM (today) or YYYY-MM-DD HH:MM (default: now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Change a logged outreach: only what you give changes.
    Edit {
        /// The outreach's id (see `waymark outreach list`).
        id: String,
        /// Another contact, by name or id.
        #[arg(long)]
        contact: Option<String>,
        /// Another method.
        #[arg(long, value_parser = named::<OutreachMethod>())]
        method: Option<OutreachMethod>,
        /// Whether it helped.
        #[arg(long, value_parser = yes_no())]
        helped: Option<bool>,
        /// A new note.
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
        /// When, in the time zone it was logged in: HH:MM or YYYY-MM-DD HH:MM.
        #[arg(long)]
        at: Option<String>,
        /// Empty an optional field (repeatable).
        #[arg(long, value_parser = named::<OutreachField>())]
        clear: Vec<OutreachField>,
    },
    /// List outreach.
    List(DateRange),
    /// Delete an outreach entry (the same as `waymark delete outreach ID`).
    Delete {
        /// The outreach's id.
        id: String,
        /// Confirm: it is erased for good.
        #[arg(long)]
        yes: bool,
    },
}

/// `yes`/`no` (also `true`/`false`) as a bool.
fn yes_no() -> impl TypedValueParser<Value = bool> {
    PossibleValuesParser::new(["yes", "no", "true", "false"])
        .map(|answer| answer == "yes" || answer == "true")
}

/// `waymark meeting ...`.
#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Log a meeting you went to.
    Log {
        /// What kind.
        #[arg(long, value_parser = named::<MeetingKind>())]
        kind: MeetingKind,
        /// The day (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Its name.
        #[arg(long)]
        name: Option<String>,
        /// A note.
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
    },
    /// Change a logged meeting: only what you give changes.
    Edit {
        /// The meeting's id (see `waymark meeting list`).
        id: String,
        /// Another kind.
        #[arg(long, value_parser = named::<MeetingKind>())]
        kind: Option<MeetingKind>,
        /// Another day.
        #[arg(long)]
        date: Option<String>,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new note.
        #[arg(allow_hyphen_values = true, long)]
        note: Option<String>,
        /// Empty an optional field (repeatable).
        #[arg(long, value_parser = named::<MeetingField>())]
        clear: Vec<MeetingField>,
    },
    /// List meetings, with "90 in 90" progress.
    List(DateRange),
    /// Delete a meeting (the same as `waymark delete meeting ID`).
    Delete {
        /// The meeting's id.
        id: String,
        /// Confirm: it is erased for good.
        #[arg(long)]
        yes: bool,
    },
    /// Start a new "90 meetings in 90 days" run (from today, or --from).
    Start90 {
        /// The first day of the new run (default: today).
        #[arg(long)]
        from: Option<String>,
    },
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
