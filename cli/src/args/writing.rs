//! Arguments of the commands for what a person writes and who supports them: reflections,
//! entries, search, contacts, outreach, meetings, and deleting one record.

use super::values::{Deletable, Meeting, Method, Role};
use super::DateRange;
use clap::{Args, Subcommand};

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
