//! Finding, creating and unlocking the journal, and asking for secrets.
//!
//! The journal lives in the platform data directory unless `--journal` or `WAYMARK_JOURNAL`
//! says otherwise. Secrets come from the environment (`WAYMARK_PASSPHRASE`,
//! `WAYMARK_NEW_PASSPHRASE`, `WAYMARK_RECOVERY_CODE`, `WAYMARK_BACKUP_PASSPHRASE`) for
//! scripts, or from a no-echo prompt on the terminal; never from a flag, which would land in
//! the shell's history.

use crate::error::{CliError, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use waymark_core::recovery::clock::{Clock, FixedClock, SystemClock};
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions, KdfParams, MIN_PASSPHRASE_CHARS};
use zeroize::Zeroizing;

/// The journal file: the flag or variable if given, else `waymark/journal.db` in the
/// platform data directory (`$XDG_DATA_HOME` or `~/.local/share` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
pub fn journal_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join("waymark").join("journal.db"))
        .ok_or(CliError::Refused(
            "cannot find a data directory (no HOME): pass --journal PATH",
        ))
}

/// A secret from `variable`, else asked on the terminal without echo.
pub fn secret(what: &'static str, variable: &'static str) -> Result<Zeroizing<String>> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(Zeroizing::new(value));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::SecretNeeded { what, variable });
    }
    let prompt = format!("{}: ", capitalized(what));
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| CliError::io("reading", Path::new("the terminal"), e))
}

/// How many times a person may retype a new secret that was too short or did not match.
const NEW_SECRET_TRIES: usize = 3;

/// A new secret from `variable`, else asked twice on the terminal after stating the rule
/// (at least [`MIN_PASSPHRASE_CHARS`] characters); a secret that is too short or a second
/// entry that does not match is asked again, up to three times.
pub fn new_secret(what: &'static str, variable: &'static str) -> Result<Zeroizing<String>> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(Zeroizing::new(value));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::SecretNeeded { what, variable });
    }
    crate::commands::note(format!(
        "Choose a {what} of at least {MIN_PASSPHRASE_CHARS} characters (a few words you will remember is best). It is never shown or stored."
    ));
    for attempt in 1..=NEW_SECRET_TRIES {
        let first = secret(what, variable)?;
        if first.chars().count() < MIN_PASSPHRASE_CHARS {
            crate::commands::note(format!(
                "That is shorter than {MIN_PASSPHRASE_CHARS} characters; please choose a longer one."
            ));
            continue;
        }
        let again = rpassword::prompt_password("Again, to be sure: ")
            .map(Zeroizing::new)
            .map_err(|e| CliError::io("reading", Path::new("the terminal"), e))?;
        if *first == *again {
            return Ok(first);
        }
        if attempt < NEW_SECRET_TRIES {
            crate::commands::note("The two did not match; let's try again.");
        }
    }
    Err(CliError::Mismatch)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The clock commands run on: the system's, or the instant in `WAYMARK_NOW` (RFC 3339, such
/// as `2026-11-25T21:30:00Z`) when it is set: for tests and rehearsals that need a fixed
/// "now".
pub fn clock() -> Result<Arc<dyn Clock>> {
    match std::env::var("WAYMARK_NOW") {
        Ok(text) if !text.is_empty() => {
            let now = chrono::DateTime::parse_from_rfc3339(&text)
                .map_err(|_| {
                    CliError::invalid(
                        "WAYMARK_NOW",
                        "must be an RFC 3339 instant such as 2026-11-25T21:30:00Z",
                    )
                })?
                .with_timezone(&chrono::Utc);
            Ok(Arc::new(FixedClock::new(now)))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}

/// Opens the journal at `path` and unlocks it with the passphrase, or the recovery code when
/// `recovery_code` is set.
pub fn open(path: &Path, recovery_code: bool) -> Result<Recovery> {
    if !path.exists() {
        return Err(CliError::NoJournal(path.to_path_buf()));
    }
    let journal = Journal::open(path, JournalOptions::default())?;
    if recovery_code {
        let code = secret("recovery code", "WAYMARK_RECOVERY_CODE")?;
        journal.unlock_with_recovery_code(&code)?;
    } else {
        let passphrase = secret("passphrase", "WAYMARK_PASSPHRASE")?;
        journal.unlock_with_passphrase(&passphrase)?;
    }
    Ok(Recovery::new(journal, clock()?))
}

/// Creates a journal at `path` (its directory too) with `passphrase`; returns it and the
/// recovery code.
pub fn create(
    path: &Path,
    passphrase: &str,
    kdf: KdfParams,
) -> Result<(Recovery, Zeroizing<String>)> {
    create_parent(path)?;
    let options = JournalOptions {
        kdf,
        ..JournalOptions::default()
    };
    let (journal, code) = Journal::create(path, passphrase, options)?;
    Ok((Recovery::new(journal, clock()?), code.reveal()))
}

/// Creates the folder `path` will live in (owner-only), if it is not there yet.
pub fn create_parent(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        waymark_core::files::create_private_dir_all(dir)?;
    }
    Ok(())
}

/// This computer's IANA time zone, or UTC when it has none.
pub fn system_zone() -> String {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_owned))
        .unwrap_or_else(|| "UTC".to_owned())
}
