//! `sync` and `join`: a journal on several devices, through a shared folder.
//!
//! The rules (what is sent, how concurrent edits are kept, what the folder holds) are in
//! `waymark_core::recovery::sync`; this module only reads the flags, shows progress on a
//! terminal and reports.

use super::{say, Ctx};
use crate::args::SyncArgs;
use crate::error::{CliError, Result};
use crate::render::format::count;
use crate::session;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use waymark_core::recovery::sync::{FolderStore, SyncReport};
use waymark_core::recovery::Recovery;
use waymark_core::{JoinSecret, JournalOptions};

fn store(args: &SyncArgs) -> Result<FolderStore> {
    Ok(FolderStore::new(&args.folder).map_err(waymark_core::Error::from)?)
}

/// A progress line on standard error while blobs are applied, on a terminal only.
fn progress_bar(ctx: &Ctx) -> impl FnMut(usize, usize) {
    let show = !ctx.out.json && std::io::stderr().is_terminal();
    move |done: usize, total: usize| {
        if !show || total < 2 {
            return;
        }
        let width = 30;
        let filled = done * width / total.max(1);
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\rsyncing [{}{}] {done}/{total}",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        if done == total {
            let _ = writeln!(err);
        }
        let _ = err.flush();
    }
}

/// `waymark sync --folder DIR`.
pub fn sync(ctx: &Ctx, args: &SyncArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let store = store(args)?;
    let report = recovery.sync_with_progress(&store, &mut progress_bar(ctx))?;
    if ctx.out.json {
        return ctx.out.json("sync", &report);
    }
    print_report(ctx, &report);
    Ok(())
}

fn print_report(ctx: &Ctx, report: &SyncReport) {
    let m = &report.merged;
    say(format!(
        "Sent {} and {}; received {} from your other devices.",
        count(report.sent, "record", "records"),
        count(report.sent_deletions, "deletion", "deletions"),
        count(report.received, "change set", "change sets"),
    ));
    if report.received > 0 {
        say(format!(
            "{} added, {} updated, {} deleted, {} kept as they were here.",
            m.added, m.updated, m.deleted, m.conflicts_kept
        ));
    }
    if m.conflict_copies > 0 {
        say(ctx.out.bold(&format!(
            "{} written here and changed elsewhere at the same time: both kept (`waymark entry list` shows the conflict copies).",
            count(m.conflict_copies, "entry was", "entries were"),
        )));
    }
    if m.quarantined > 0 {
        say(ctx.out.red(&format!(
            "{} broke a rule of {} kind and {} kept in quarantine: `waymark quarantine` lists {}.",
            count(m.quarantined, "record", "records"),
            if m.quarantined == 1 { "its" } else { "their" },
            if m.quarantined == 1 { "is" } else { "are" },
            if m.quarantined == 1 { "it" } else { "them" },
        )));
    }
    if report.refused > 0 {
        say(ctx.out.red(&format!(
            "{} in the folder {} not this journal's, or {} changed: refused, nothing of {} applied.",
            count(report.refused, "blob", "blobs"),
            if report.refused == 1 { "is" } else { "are" },
            if report.refused == 1 { "was" } else { "were" },
            if report.refused == 1 { "it" } else { "them" },
        )));
    }
    if report.compacted > 0 {
        say(format!(
            "Compacted {} into one snapshot.",
            count(report.compacted, "change set", "change sets")
        ));
    }
}

/// `waymark join --folder DIR`.
pub fn join(ctx: &Ctx, args: &SyncArgs) -> Result<()> {
    if ctx.path.exists() && !waymark_core::Journal::is_unfinished(&ctx.path) {
        return Err(waymark_core::Error::AlreadyExists {
            path: ctx.path.clone(),
        }
        .into());
    }
    if !args.folder.is_dir() {
        return Err(CliError::invalid("folder", "no folder at that path"));
    }
    let store = store(args)?;
    let secret = if ctx.recovery_code {
        session::secret("recovery code", "WAYMARK_RECOVERY_CODE")?
    } else {
        session::secret("passphrase", "WAYMARK_PASSPHRASE")?
    };
    let secret = if ctx.recovery_code {
        JoinSecret::RecoveryCode(&secret)
    } else {
        JoinSecret::Passphrase(&secret)
    };
    session::create_parent(&ctx.path)?;
    let (recovery, report) = Recovery::join(
        &ctx.path,
        &store,
        secret,
        JournalOptions::default(),
        session::clock()?,
    )?;
    if ctx.out.json {
        #[derive(Serialize)]
        struct Joined<'a> {
            journal: String,
            report: &'a SyncReport,
        }
        return ctx.out.json(
            "join",
            &Joined {
                journal: ctx.path.display().to_string(),
                report: &report,
            },
        );
    }
    drop(recovery);
    say(format!(
        "Joined: this device's journal is at {} with {} from the folder.",
        ctx.path.display(),
        count(report.merged.added, "record", "records"),
    ));
    say(format!(
        "It opens with the same passphrase. Sync it with `waymark sync --folder {}`.",
        args.folder.display()
    ));
    Ok(())
}
