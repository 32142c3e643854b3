//! `init`, `where`, `settings`, `change-passphrase` and `wipe`.

use super::{note, say, Ctx};
use crate::args::{InitArgs, SettingsArgs, WipeArgs};
use crate::error::{CliError, Result};
use crate::session;
use serde::Serialize;
use waymark_core::KdfParams;

/// `waymark init`: creates the journal and prints the recovery code once.
pub fn init(ctx: &Ctx, args: &InitArgs) -> Result<()> {
    // An unfinished journal (an older build's crash mid-creation) is replaced by the new one.
    if ctx.path.exists() && !waymark_core::Journal::is_unfinished(&ctx.path) {
        return Err(waymark_core::Error::AlreadyExists {
            path: ctx.path.clone(),
        }
        .into());
    }
    if let Some(currency) = &args.currency {
        waymark_core::recovery::money::Currency::parse(currency)?;
    }
    let kdf = KdfParams::new(args.kdf_memory_mib * 1024, args.kdf_passes, 1)?;
    let zone = match &args.zone {
        Some(zone) => zone.clone(),
        None => session::system_zone(),
    };
    if waymark_core::recovery::clock::Zone::named(&zone).is_none() {
        return Err(CliError::invalid(
            "zone",
            "must be an IANA time zone name such as Europe/Berlin",
        ));
    }
    // A new journal's passphrase: WAYMARK_NEW_PASSPHRASE, or WAYMARK_PASSPHRASE (the one the
    // journal will open with), or asked.
    let passphrase = match std::env::var("WAYMARK_NEW_PASSPHRASE")
        .or_else(|_| std::env::var("WAYMARK_PASSPHRASE"))
    {
        Ok(value) => zeroize::Zeroizing::new(value),
        Err(_) => session::new_secret("new passphrase", "WAYMARK_NEW_PASSPHRASE")?,
    };
    let (recovery, code) = session::create(&ctx.path, &passphrase, kdf)?;
    recovery.set_time_zone(&zone)?;
    if let Some(currency) = &args.currency {
        recovery.set_currency(Some(currency))?;
    }
    #[derive(Serialize)]
    struct Created<'a> {
        path: &'a std::path::Path,
        recovery_code: &'a str,
        time_zone: &'a str,
    }
    if ctx.out.json {
        return ctx.out.json(
            "init",
            &Created {
                path: &ctx.path,
                recovery_code: &code,
                time_zone: &zone,
            },
        );
    }
    say(format!("Created your journal at {}", ctx.path.display()));
    say(format!(
        "Time zone: {zone} (change it with waymark settings --zone)"
    ));
    say("");
    say(ctx.out.bold("Your recovery code (shown only this once):"));
    say(format!("    {}", ctx.out.bold(&code)));
    say("Write it down and keep it somewhere safe. It opens your journal if you forget the");
    say("passphrase; without either, nobody can open it, including us.");
    if kdf.is_below_owasp() {
        note("warning: these key-derivation settings are below OWASP's minimum (19 MiB, 2 passes)");
    }
    say("");
    say("Next: start a journey, for example");
    say("    waymark journey add --name alcohol --since YYYY-MM-DD --cost-per-day 12.50");
    say("then check in each day with `waymark check-in --mood 4 --craving 2`.");
    Ok(())
}

/// `waymark check`: every row of the file decrypted and SQLite's structure checked; exit 4
/// (after the report) when anything is damaged.
pub fn check(ctx: &Ctx) -> Result<()> {
    #[derive(Serialize)]
    struct Checked {
        records: u64,
        damaged: u64,
        structure_ok: bool,
        repaired: u64,
        read_only: Option<&'static str>,
    }
    let recovery = session::open(&ctx.path, ctx.recovery_code)?;
    let found = recovery.journal().check()?;
    let damaged = found.damage.count();
    if ctx.out.json {
        ctx.out.json(
            "check",
            &Checked {
                records: found.records,
                damaged,
                structure_ok: found.structure_ok,
                repaired: found.repaired,
                read_only: recovery
                    .journal()
                    .salvage()
                    .map(waymark_core::Salvage::name),
            },
        )?;
    } else if !found.is_damaged() {
        if found.repaired > 0 {
            say(format!(
                "{} no longer read from the file and {} rewritten from the journal's sealed copy: whole again.",
                crate::render::format::records(found.repaired),
                if found.repaired == 1 { "was" } else { "were" }
            ));
        }
        say(format!(
            "All {} read, and the file's structure is sound.",
            crate::render::format::records(found.records)
        ));
    } else {
        say(format!(
            "{} read; {} could not be read{}. `waymark backup` saves everything that still reads now.",
            crate::render::format::records(found.records),
            crate::render::format::records(damaged),
            if found.structure_ok {
                ""
            } else {
                ", and SQLite's check of the file's structure failed"
            }
        ));
    }
    if let Some(why) = recovery.journal().salvage() {
        return Err(CliError::Core(waymark_core::Error::CorruptJournal {
            detail: why.describe(),
        }));
    }
    if found.is_damaged() {
        return Err(CliError::Core(waymark_core::Error::CorruptJournal {
            detail: "some of it could not be read (see `waymark check`)",
        }));
    }
    Ok(())
}

/// `waymark where`.
pub fn show_where(ctx: &Ctx) -> Result<()> {
    #[derive(Serialize)]
    struct Where<'a> {
        path: &'a std::path::Path,
        exists: bool,
    }
    let exists = ctx.path.exists();
    if ctx.out.json {
        return ctx.out.json(
            "where",
            &Where {
                path: &ctx.path,
                exists,
            },
        );
    }
    say(format!(
        "{}{}",
        ctx.path.display(),
        if exists {
            ""
        } else {
            " (not created yet: waymark init)"
        }
    ));
    Ok(())
}

/// `waymark settings`: shows, or changes, the time zone and the hour the day starts.
pub fn settings(ctx: &Ctx, args: &SettingsArgs) -> Result<()> {
    let recovery = ctx.open()?;
    if let Some(hour) = args.day_starts_at {
        recovery.set_day_starts_at(hour)?;
    }
    if let Some(zone) = &args.zone {
        recovery.set_time_zone(zone)?;
    }
    if let Some(currency) = &args.currency {
        recovery.set_currency(Some(currency))?;
    }
    if args.no_currency {
        recovery.set_currency(None)?;
    }
    let settings = recovery.settings()?;
    if ctx.out.json {
        return ctx.out.json("settings", &settings);
    }
    say(format!("time zone      {}", settings.time_zone));
    say(format!("day starts at  {:02}:00", settings.day_starts_at));
    say(format!(
        "currency       {}",
        settings
            .currency
            .as_deref()
            .unwrap_or("(none: plain amounts)")
    ));
    say(format!("today          {}", recovery.today()?));
    Ok(())
}

/// `waymark change-passphrase`.
pub fn change_passphrase(ctx: &Ctx) -> Result<()> {
    if !ctx.path.exists() {
        return Err(CliError::NoJournal(ctx.path.clone()));
    }
    let journal = waymark_core::Journal::open(&ctx.path, waymark_core::JournalOptions::default())?;
    let current = session::secret("current passphrase", "WAYMARK_PASSPHRASE")?;
    journal.unlock_with_passphrase(&current)?;
    let new = session::new_secret("new passphrase", "WAYMARK_NEW_PASSPHRASE")?;
    journal.change_passphrase(&current, &new)?;
    if !ctx.out.json {
        say("Passphrase changed. The recovery code still works.");
    }
    Ok(())
}

/// `waymark new-recovery-code`: replaces the recovery code. The new code is added first,
/// printed (and flushed), and only then is the old one retired: if printing fails or the
/// process dies before that, the old code still works.
pub fn new_recovery_code(ctx: &Ctx) -> Result<()> {
    #[derive(Serialize)]
    struct NewCode<'a> {
        recovery_code: &'a str,
    }
    let recovery = ctx.open()?;
    let out = ctx.out;
    let mut failed = None;
    let shown = recovery.journal().replace_recovery_code(|code| {
        let code = code.reveal();
        let text = if out.json {
            match out.json_text(
                "new-recovery-code",
                &NewCode {
                    recovery_code: &code,
                },
            ) {
                Ok(text) => text,
                Err(e) => {
                    failed = Some(e);
                    return Err(waymark_core::Error::Crypto("the code could not be shown"));
                }
            }
        } else {
            format!(
                "{}\n    {}\n",
                out.bold(
                    "Your new recovery code (shown only this once; the old one no longer works):"
                ),
                out.bold(&code)
            )
        };
        crate::output::write_stdout_or_fail(&text).map_err(|e| waymark_core::Error::Io {
            action: "showing the new recovery code on",
            path: "standard output".into(),
            source: e,
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    shown?;
    Ok(())
}

/// `waymark rotate-key`: a new data key; every record re-sealed under it, in one transaction.
pub fn rotate_key(ctx: &Ctx) -> Result<()> {
    if !ctx.path.exists() {
        return Err(CliError::NoJournal(ctx.path.clone()));
    }
    let journal = waymark_core::Journal::open(&ctx.path, waymark_core::JournalOptions::default())?;
    let passphrase = session::secret("passphrase", "WAYMARK_PASSPHRASE")?;
    journal.unlock_with_passphrase(&passphrase)?;
    let recovery = waymark_core::recovery::Recovery::new(journal, session::clock()?);
    let rotation = recovery.rotate_data_key(&passphrase, None)?;
    let code = rotation.recovery_code.as_ref().map(|c| c.reveal());
    if ctx.out.json {
        #[derive(Serialize)]
        struct Rotated<'a> {
            records_resealed: u64,
            records_rekeyed: u64,
            duplicates_kept: u64,
            damaged_records_kept: u64,
            recovery_code: Option<&'a str>,
        }
        return ctx.out.json(
            "rotate-key",
            &Rotated {
                records_resealed: rotation.records_resealed,
                records_rekeyed: rotation.records_rekeyed,
                duplicates_kept: rotation.duplicates_kept,
                damaged_records_kept: rotation.damaged_records_kept,
                recovery_code: code.as_deref().map(|c| &**c),
            },
        );
    }
    say(format!(
        "New key: {} re-encrypted. Your passphrase is unchanged.",
        crate::render::format::records(rotation.records_resealed)
    ));
    if rotation.damaged_records_kept > 0 {
        say(format!(
            "{} could not be read and {} kept as {}.",
            crate::render::format::count(
                i64::try_from(rotation.damaged_records_kept).unwrap_or(i64::MAX),
                "damaged record",
                "damaged records"
            ),
            if rotation.damaged_records_kept == 1 {
                "is"
            } else {
                "are"
            },
            if rotation.damaged_records_kept == 1 {
                "it was"
            } else {
                "they were"
            }
        ));
    }
    if let Some(code) = code {
        say(ctx
            .out
            .bold("Your new recovery code (shown only this once; the old one no longer works):"));
        say(format!("    {}", ctx.out.bold(&code)));
    }
    say("If this journal syncs with your other devices, the next `waymark sync` here moves the sync folder to the new key; each other device then runs `waymark join` with the same folder and keeps what it holds.");
    Ok(())
}

/// `waymark wipe --yes`.
pub fn wipe(ctx: &Ctx, args: &WipeArgs) -> Result<()> {
    if !args.yes {
        return Err(CliError::Refused(
            "wipe destroys the journal for good: run `waymark wipe --yes` to confirm",
        ));
    }
    if waymark_core::Journal::is_unfinished(&ctx.path) {
        // Its keys were never saved: nothing in it can be opened, so no secret is asked.
        waymark_core::Journal::remove_unfinished(&ctx.path)?;
        if !ctx.out.json {
            say(format!(
                "Removed {}: a journal whose creation never finished (it held no keys and nothing you wrote).",
                ctx.path.display()
            ));
        }
        return Ok(());
    }
    let recovery = ctx.open()?;
    recovery.into_journal().wipe()?;
    if !ctx.out.json {
        say(format!(
            "Wiped {}: keys destroyed and the file removed.",
            ctx.path.display()
        ));
    }
    Ok(())
}
