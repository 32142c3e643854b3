//! The command line's error: what went wrong, in one line a person can act on, and the exit
//! code for scripts. Never contains anything the person wrote.

use std::path::PathBuf;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The core refused or failed (wrong passphrase, invalid input, damaged file...).
    #[error("{0}")]
    Core(#[from] waymark_core::Error),

    /// A command-line value broke a rule.
    #[error("invalid {field}: {rule}")]
    Invalid {
        /// The flag or argument.
        field: &'static str,
        /// The rule, such as "must be a date like 2026-03-01".
        rule: String,
    },

    /// No journal where one was expected.
    #[error("no journal at {0}: create one with `waymark init`, or pass --journal PATH")]
    NoJournal(PathBuf),

    /// A secret is needed but there is no terminal to ask on and no variable set.
    #[error("{what} is needed: run in a terminal to be asked, or set {variable}")]
    SecretNeeded {
        /// Which secret.
        what: &'static str,
        /// The environment variable that supplies it.
        variable: &'static str,
    },

    /// The two entries of a new passphrase differ.
    #[error("the two passphrases do not match; nothing was changed")]
    Mismatch,

    /// The command needs an explicit confirmation or choice.
    #[error("{0}")]
    Refused(&'static str),

    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
}

impl CliError {
    /// The exit code: 2 for bad input (as for usage errors), 3 for a wrong secret, 4 for a
    /// missing or damaged file, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        use waymark_core::Error as E;
        match self {
            CliError::Invalid { .. } | CliError::Refused(_) | CliError::Mismatch => 2,
            CliError::Core(
                E::InvalidInput { .. } | E::NotFound { .. } | E::AlreadyExists { .. },
            ) => 2,
            CliError::Core(E::WrongSecret | E::RecoveryCodeTypo) => 3,
            CliError::NoJournal(_) | CliError::Core(E::NoJournal { .. }) => 4,
            CliError::Core(E::BackupDamaged { .. } | E::CorruptJournal { .. }) => 4,
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
