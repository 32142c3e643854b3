//! The command line's error: what went wrong, in one line a person can act on, and the exit
//! code for scripts. Never contains anything the person wrote.
//!
//! The core names fields as its API does (`sober_again_from`); here they become the flag a
//! person typed (`--sober-again-from`), through [`flag_for`].

use std::fmt;
use std::path::PathBuf;

/// Everything that can stop a command.
#[derive(Debug)]
pub enum CliError {
    /// The core refused or failed (wrong passphrase, invalid input, damaged file...).
    Core(waymark_core::Error),

    /// A command-line value broke a rule.
    Invalid {
        /// The flag or argument (a core field name or a flag; shown as the flag).
        field: &'static str,
        /// The rule, such as "must be a date like 2026-03-01".
        rule: String,
    },

    /// No journal where one was expected.
    NoJournal(PathBuf),

    /// A secret is needed but there is no terminal to ask on and no variable set.
    SecretNeeded {
        /// Which secret.
        what: &'static str,
        /// The environment variable that supplies it.
        variable: &'static str,
    },

    /// The two entries of a new passphrase differ.
    Mismatch,

    /// The command needs an explicit confirmation or choice.
    Refused(&'static str),

    /// A file could not be read or written.
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
}

impl From<waymark_core::Error> for CliError {
    fn from(e: waymark_core::Error) -> Self {
        CliError::Core(e)
    }
}

/// The flag (or argument) a person typed for a field the core or a parser names. Fields of
/// the core's API become flags; names that already are flags pass through.
pub fn flag_for(field: &str) -> String {
    let known = match field {
        "sober_since" | "since" => "--since",
        "sober_since_time" => "--time",
        "time_zone" | "zone" => "--zone",
        "daily_cost_cents" | "cost-per-day" => "--cost-per-day",
        "daily_minutes" => "--minutes-per-day",
        "custom_milestone_days" => "--milestone",
        "trigger_tags" | "tags" => "--tag",
        "evening_review.rating" => "--rating",
        "evening_review.note" => "--note",
        "urge_minutes" => "--minutes",
        "card_id" => "--card",
        "journey_id" => "--journey",
        "trigger_id" => "--trigger",
        "lapse_id" => "--lapse",
        "contact_id" => "--contact",
        "what_i_learned" => "--learned",
        "what_i_tried" => "--tried",
        "thoughts_and_feelings" => "--feelings",
        "where_when_who" => "--where",
        "next_time" => "--plan",
        "links" | "links.link" => "--link",
        "links.skill" => "--skill",
        "vulnerability_factors" => "--vulnerability",
        "body" => "--text",
        "steps" => "--step",
        "key" => "--acknowledge",
        "id" | "record id" => "ID",
        "index" | "item" => "ITEM",
        "query" => "QUERY",
        "range" => "--from/--to",
        "passphrase" => "new passphrase",
        "text" => "TEXT",
        "number" => "NUMBER",
        "line" => "LINE",
        "country" => "CODE",
        "daily_cap" => "--cap",
        "quiet_hours" => "--quiet",
        "meeting_lead_minutes" => "--meeting-lead",
        "check_in_at" => "--check-in",
        "evening_review_at" => "--evening",
        "session" => "--session",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    if field.starts_with("--")
        || field.contains(' ')
        || field.is_empty()
        || !field
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
    {
        return field.to_owned();
    }
    format!("--{}", field.replace('_', "-"))
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use waymark_core::Error as E;
        match self {
            CliError::Core(E::InvalidInput { field, rule }) => {
                write!(f, "invalid {}: {rule}", flag_for(field))
            }
            CliError::Core(E::OverlapsLapse { id }) => write!(
                f,
                "invalid --date: it overlaps lapse {id} of this journey; change that one with `waymark lapse edit {id}` or undo it with `waymark lapse undo {id}`"
            ),
            CliError::Core(E::CorruptJournal { detail }) => write!(
                f,
                "the journal is damaged: {detail}. `waymark backup` still saves every record that reads, and `waymark restore` of that backup gives a whole journal again (keep the damaged file until you have checked the restored one)"
            ),
            CliError::Core(E::UnfinishedJournal { path }) => write!(
                f,
                "the journal at {} was never finished (its creation was interrupted) and holds nothing: `waymark init` or `waymark restore` replaces it, `waymark wipe --yes` removes it",
                path.display()
            ),
            CliError::Core(E::BackupDamaged { detail }) => {
                write!(f, "the backup is damaged and cannot be used: {detail}")
            }
            CliError::Core(E::SyncKeyChanged) => write!(
                f,
                "the journal's key was changed on another device (`waymark rotate-key`), so this device can no longer sync with the folder; nothing was synced. `waymark join` with the same --folder or --webdav joins it again with the journal's current passphrase (or --recovery-code) and keeps everything this journal holds"
            ),
            CliError::Core(E::SyncRolledBack { detail }) => write!(
                f,
                "the sync folder shows less than it did at an earlier sync ({detail}): it was rolled back or restored from an older copy, files were removed from it, or a file sync is still bringing files in; nothing was changed. Wait and sync again; if you restored the folder on purpose, `waymark sync --resend` sends this device's whole journal to it again"
            ),
            CliError::Core(e) => write!(f, "{e}"),
            CliError::Invalid { field, rule } => write!(f, "invalid {}: {rule}", flag_for(field)),
            CliError::NoJournal(path) => write!(
                f,
                "no journal at {}: create one with `waymark init`, or pass --journal PATH",
                path.display()
            ),
            CliError::SecretNeeded { what, variable } => write!(
                f,
                "{what} is needed: run in a terminal to be asked, or set {variable}"
            ),
            CliError::Mismatch => write!(
                f,
                "the new passphrase was not confirmed after three tries; nothing was changed"
            ),
            CliError::Refused(text) => write!(f, "{text}"),
            CliError::Io {
                action,
                path,
                source,
            } => write!(f, "{action} {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for CliError {}

impl CliError {
    /// The exit code: 2 for bad input (as for usage errors), 3 for a wrong secret, 4 for a
    /// missing or damaged file, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        use waymark_core::Error as E;
        match self {
            CliError::Invalid { .. } | CliError::Refused(_) | CliError::Mismatch => 2,
            CliError::Core(
                E::InvalidInput { .. }
                | E::NotFound { .. }
                | E::AlreadyExists { .. }
                | E::OverlapsLapse { .. }
                | E::LastKeySlot,
            ) => 2,
            CliError::Core(E::WrongSecret | E::RecoveryCodeTypo | E::WrongBackupPassphrase) => 3,
            CliError::NoJournal(_)
            | CliError::Core(E::NoJournal { .. } | E::UnfinishedJournal { .. }) => 4,
            CliError::Core(
                E::BackupDamaged { .. }
                | E::CorruptJournal { .. }
                | E::CorruptRecord { .. }
                | E::UnsupportedVersion { .. },
            ) => 4,
            _ => 1,
        }
    }

    /// Shorthand for [`CliError::Invalid`].
    pub fn invalid(field: &'static str, rule: impl Into<String>) -> Self {
        CliError::Invalid {
            field,
            rule: rule.into(),
        }
    }

    /// Shorthand for [`CliError::Io`].
    pub fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        CliError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The result of every command.
pub type Result<T, E = CliError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_fields_read_as_the_flags_a_person_typed() {
        assert_eq!(flag_for("sober_again_from"), "--sober-again-from");
        assert_eq!(flag_for("daily_cost_cents"), "--cost-per-day");
        assert_eq!(flag_for("evening_review.rating"), "--rating");
        assert_eq!(flag_for("mood"), "--mood");
        assert_eq!(flag_for("--at"), "--at");
        assert_eq!(flag_for("backup passphrase"), "backup passphrase");
        assert_eq!(flag_for("id"), "ID");
    }
}
