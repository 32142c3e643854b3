//! One module per group of commands; [`run`] dispatches.

pub(crate) use progress::period;
pub(crate) use transfer::folder_exists;

mod daily;
mod help;
mod journeys;
mod progress;
mod quarantine;
mod setup;
mod support;
mod sync;
mod transfer;
mod writing;

use crate::args::{Cli, Command};
use crate::error::Result;
use crate::output::Out;
use crate::session;
use std::path::PathBuf;
use waymark_core::recovery::Recovery;

/// What every command gets: how to print, where the journal is, how to unlock it.
pub struct Ctx {
    /// Output mode.
    pub out: Out,
    /// The journal file.
    pub path: PathBuf,
    /// Unlock with the recovery code.
    pub recovery_code: bool,
}

impl Ctx {
    /// Opens and unlocks the journal, and warns on standard error when part of it cannot be
    /// read (the command still runs on the rest). A journal that can only be read (cut
    /// short, its write state damaged) says so first and the command ends with exit 4
    /// whatever it showed (a screen may miss what was on lost pages); a write to it fails
    /// as damaged. The message points to `backup` ([`Ctx::open_to_save`]), which exits 0.
    pub fn open(&self) -> Result<Recovery> {
        let recovery = session::open(&self.path, self.recovery_code)?;
        if let Some(why) = recovery.journal().salvage() {
            crate::output::write_stderr(&format!(
                "waymark: the journal is damaged: {}. It can still be read but not changed: `waymark backup` saves every record that reads, and `waymark restore` of that backup gives a whole journal again.\n",
                why.describe()
            ));
            crate::output::end_damaged();
            return Ok(recovery);
        }
        self.warn_of_damage(&recovery)?;
        Ok(recovery)
    }

    /// Opens and unlocks the journal to save what it holds (`backup`, `export`): also one
    /// that can only be read, with a warning that says so.
    pub fn open_to_save(&self) -> Result<Recovery> {
        let recovery = session::open(&self.path, self.recovery_code)?;
        match recovery.journal().salvage() {
            Some(why) => crate::output::write_stderr(&format!(
                "warning: the journal is damaged ({}): it can be read and saved, not changed. Everything that still reads is saved{}.\n",
                why.describe(),
                if why == waymark_core::Salvage::CutShort {
                    "; what was on the lost pages is not, and cannot be counted"
                } else {
                    ""
                }
            )),
            None => self.warn_of_damage(&recovery)?,
        }
        Ok(recovery)
    }

    fn warn_of_damage(&self, recovery: &Recovery) -> Result<()> {
        let damaged = recovery.damaged_records()?;
        if damaged > 0 {
            crate::output::write_stderr(&format!(
                "warning: the journal file is damaged: {} could not be read. Everything else works; `waymark backup` saves it now.\n",
                crate::render::format::count(i64::from(damaged), "record", "records")
            ));
        }
        Ok(())
    }
}

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<()> {
    let out = Out::new(cli.json);
    if let Command::Demo(args) = &cli.command {
        return progress::demo(out, args);
    }
    let ctx = Ctx {
        out,
        path: session::journal_path(cli.journal.as_deref())?,
        recovery_code: cli.recovery_code,
    };
    match cli.command {
        Command::Demo(_) => Ok(()),
        Command::Init(args) => setup::init(&ctx, &args),
        Command::Where => setup::show_where(&ctx),
        Command::Check => setup::check(&ctx),
        Command::Home => progress::home(&ctx),
        Command::Settings(args) => setup::settings(&ctx, &args),
        Command::ChangePassphrase => setup::change_passphrase(&ctx),
        Command::NewRecoveryCode => setup::new_recovery_code(&ctx),
        Command::RotateKey => setup::rotate_key(&ctx),
        Command::Delete(args) => writing::delete(&ctx, &args),
        Command::Quarantine(args) => quarantine::quarantine(&ctx, &args),
        Command::Evening(args) => daily::evening(&ctx, args),
        Command::Wipe(args) => setup::wipe(&ctx, &args),
        Command::Progress(args) => progress::progress(&ctx, &args),
        Command::Milestones(args) => journeys::milestones(&ctx, &args),
        Command::Review(args) => progress::review(&ctx, &args),
        Command::Journey(command) => journeys::journey(&ctx, command),
        Command::Lapse(command) => journeys::lapse(&ctx, command),
        Command::CheckIn(args) => daily::check_in(&ctx, args),
        Command::CheckIns(range) => daily::check_ins(&ctx, &range),
        Command::Trigger(command) => daily::trigger(&ctx, command),
        Command::Cards(command) => daily::cards(&ctx, command),
        Command::Reflect(args) => writing::reflect(&ctx, *args),
        Command::Reflections => writing::reflections(&ctx),
        Command::Entry(command) => writing::entry(&ctx, command),
        Command::Search(args) => writing::search(&ctx, &args),
        Command::Contact(command) => support::contact(&ctx, command),
        Command::HelpNow(args) => help::help_now(&ctx, args),
        Command::SafetyPlan(args) => help::safety_plan(&ctx, args),
        Command::Reminders(args) => help::reminders(&ctx, args),
        Command::Use(args) => help::log_use(&ctx, args),
        Command::Outreach(command) => support::outreach(&ctx, command),
        Command::Meeting(command) => support::meeting(&ctx, command),
        Command::Backup(args) => transfer::backup(&ctx, &args),
        Command::Restore(args) => transfer::restore(&ctx, &args),
        Command::Merge(args) => transfer::merge(&ctx, &args),
        Command::Sync(args) => sync::sync(&ctx, &args),
        Command::Join(args) => sync::join(&ctx, &args),
        Command::Export(args) => transfer::export(&ctx, &args),
        Command::Report(args) => crate::report::write(&ctx, &args),
    }
}

/// Prints a line to standard output (people's output only; JSON goes through [`Out::json`]).
/// Once the reader has gone (`waymark check-ins | head -1`), output stops quietly and the
/// command finishes its work, like other Unix tools.
pub fn say(text: impl AsRef<str>) {
    crate::output::write_stdout(&format!("{}\n", text.as_ref()));
}

/// Prints a line to standard error: warnings and notes that are not the command's result.
pub fn note(text: impl AsRef<str>) {
    crate::output::write_stderr(&format!("{}\n", text.as_ref()));
}
