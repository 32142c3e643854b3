//! `sync` and `join`: a journal on several devices, through a shared folder.
//!
//! The rules (what is sent, how concurrent edits are kept, what the folder holds) are in
//! `waymark_core::recovery::sync`; this module only reads the flags, shows progress on a
//! terminal and reports.

use super::{say, Ctx};
use crate::args::{SyncArgs, SyncCommandArgs};
use crate::error::{CliError, Result};
use crate::render::format::count;
use crate::session;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use waymark_core::recovery::sync::{FolderStore, SecretChange, SyncReport, SyncStore, WebDavStore};
use waymark_core::recovery::Recovery;
use waymark_core::{JoinSecret, JournalOptions};

/// The store the flags name: a folder, or a WebDAV folder with credentials from the
/// environment (never from a flag, so they stay out of the shell's history).
fn store(args: &SyncArgs) -> Result<Box<dyn SyncStore>> {
    if let Some(url) = &args.webdav {
        let user = std::env::var("WAYMARK_WEBDAV_USER").ok();
        let password = std::env::var("WAYMARK_WEBDAV_PASSWORD").ok();
        let credentials = match (&user, &password) {
            (Some(u), Some(p)) => Some((u.as_str(), p.as_str())),
            (None, None) => None,
            _ => {
                return Err(CliError::invalid(
                    "webdav",
                    "set both WAYMARK_WEBDAV_USER and WAYMARK_WEBDAV_PASSWORD, or neither",
                ))
            }
        };
        // A URL refused before anything is sent is bad input (exit 2), like a bad flag.
        let store =
            WebDavStore::new(url, credentials).map_err(|e| CliError::invalid("webdav", e.0))?;
        return Ok(Box::new(store));
    }
    match &args.folder {
        // A typo or an unplugged stick must not receive the journal: the folder must exist.
        Some(folder) if !folder.is_dir() => Err(CliError::invalid(
            "folder",
            "no folder at that path (create it first, or check the drive is connected)",
        )),
        Some(folder) => {
            let store = FolderStore::new(folder).map_err(waymark_core::Error::from)?;
            if store.made_private() {
                crate::output::write_stderr(
                    "The sync folder could be read by other users of this computer: it is now private to you (permissions 0700).\n",
                );
            }
            Ok(Box::new(store))
        }
        None => Err(CliError::invalid(
            "folder",
            "give --folder DIR or --webdav URL",
        )),
    }
}

/// How to name the store in a message.
fn where_of(args: &SyncArgs) -> String {
    match (&args.folder, &args.webdav) {
        (Some(folder), _) => format!("--folder {}", folder.display()),
        (None, Some(url)) => format!("--webdav {url}"),
        (None, None) => String::new(),
    }
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
pub fn sync(ctx: &Ctx, command: &SyncCommandArgs) -> Result<()> {
    let args = &command.store;
    let recovery = ctx.open()?;
    let store = store(args)?;
    let mut progress = progress_bar(ctx);
    let report = if command.resend {
        recovery.sync_resending(store.as_ref(), &mut progress)?
    } else {
        recovery.sync_with_progress(store.as_ref(), &mut progress)?
    };
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
            "{} changed on two devices at the same time (or deleted on one and changed on the other): the other version is kept as a conflict copy (`waymark entry list` shows {}).",
            count(m.conflict_copies, "entry was", "entries were"),
            if m.conflict_copies == 1 { "it" } else { "them" },
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
            "{} in the sync folder cannot be read by this journal (damaged or changed): nothing of {} is applied, and {} stay until you remove {}. On your other devices, `waymark sync --resend` sends their whole journal again.",
            count(report.refused, "file", "files"),
            if report.refused == 1 { "it" } else { "them" },
            if report.refused == 1 { "it will" } else { "they will" },
            if report.refused == 1 { "it" } else { "them" },
        )));
    }
    if report.foreign > 0 {
        say(format!(
            "{} in the sync folder {} under a key this journal does not hold (another journal's, or this journal's from before its key was changed on another device): not applied. The device that changed the key brings in what {} held; remove {} if {} another journal's.",
            count(report.foreign, "file", "files"),
            if report.foreign == 1 { "is" } else { "are" },
            if report.foreign == 1 { "it" } else { "they" },
            if report.foreign == 1 { "it" } else { "them" },
            if report.foreign == 1 { "it is" } else { "they are" },
        ));
    }
    if report.waiting > 0 {
        say(ctx.out.bold(&format!(
            "{} from your other devices {} for an earlier one the folder does not show yet (still arriving, or lost): {} applied once it arrives. If this lasts, run `waymark sync --resend` on your other devices.",
            count(report.waiting, "change set", "change sets"),
            if report.waiting == 1 { "waits" } else { "wait" },
            if report.waiting == 1 { "it is" } else { "they are" },
        )));
    }
    for change in &report.secrets_changed {
        say(ctx.out.bold(match change {
            SecretChange::Passphrase => "The passphrase was changed on another device: from now on the new one opens this journal here too, and the old one no longer does.",
            SecretChange::RecoveryCode => "The recovery code was replaced on another device: the old code no longer opens this journal anywhere; keep the new one you were shown there.",
        }));
    }
    if report.key_changed_in_store {
        say(ctx.out.bold(
            "The journal's new key (from `waymark rotate-key`) now protects the sync folder: everything was sent again under it. Your other devices say so at their next sync; `waymark join` with the same folder moves each of them to it and keeps what it holds.",
        ));
    }
    if report.keys_repaired {
        say("The folder's key file was missing or changed: it was written again.");
    }
    if report.key_adopted {
        say(ctx.out.bold(
            "This journal now uses the key the journal was rotated to on another device, and opens with the current passphrase and recovery code.",
        ));
    }
    if report.compacted > 0 {
        say(format!(
            "Compacted {} into one snapshot.",
            count(report.compacted, "change set", "change sets")
        ));
    }
}

/// The secret a join opens the folder's key with: the passphrase, or the recovery code with
/// `--recovery-code`.
struct Typed(zeroize::Zeroizing<String>);

fn join_secret(ctx: &Ctx) -> Result<Typed> {
    Ok(Typed(if ctx.recovery_code {
        session::secret("recovery code", "WAYMARK_RECOVERY_CODE")?
    } else {
        session::secret("passphrase", "WAYMARK_PASSPHRASE")?
    }))
}

impl Typed {
    fn as_secret(&self, ctx: &Ctx) -> JoinSecret<'_> {
        if ctx.recovery_code {
            JoinSecret::RecoveryCode(&self.0)
        } else {
            JoinSecret::Passphrase(&self.0)
        }
    }
}

/// The `Joined` JSON document of a join.
fn joined_json(ctx: &Ctx, report: &SyncReport) -> Result<()> {
    #[derive(Serialize)]
    struct Joined<'a> {
        journal: String,
        report: &'a SyncReport,
    }
    ctx.out.json(
        "join",
        &Joined {
            journal: ctx.path.display().to_string(),
            report,
        },
    )
}

/// `waymark join --folder DIR`: a new journal from the folder, or this journal joined to it
/// again after its key was rotated on another device.
pub fn join(ctx: &Ctx, args: &SyncArgs) -> Result<()> {
    if ctx.path.exists() && !waymark_core::Journal::is_unfinished(&ctx.path) {
        return join_again(ctx, args);
    }
    let store = store(args)?;
    let typed = join_secret(ctx)?;
    let secret = typed.as_secret(ctx);
    session::create_parent(&ctx.path)?;
    let (recovery, report) = Recovery::join(
        &ctx.path,
        store.as_ref(),
        secret,
        JournalOptions::default(),
        session::clock()?,
    )?;
    if ctx.out.json {
        return joined_json(ctx, &report);
    }
    drop(recovery);
    say(format!(
        "Joined: this device's journal is at {} with {} from the folder.",
        ctx.path.display(),
        count(report.merged.added, "record", "records"),
    ));
    say(format!(
        "It opens with the journal's passphrase{}. Sync it with `waymark --journal {} sync {}`.",
        if ctx.recovery_code {
            " (or the recovery code you used)"
        } else {
            ""
        },
        ctx.path.display(),
        where_of(args)
    ));
    Ok(())
}

/// `waymark join` over an existing journal: the folder's own journal joins it again, keeping
/// what it holds (see `Recovery::join_again`); another journal is refused.
fn join_again(ctx: &Ctx, args: &SyncArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let store = store(args)?;
    let typed = join_secret(ctx)?;
    let secret = typed.as_secret(ctx);
    let report = recovery.join_again(store.as_ref(), secret)?;
    if ctx.out.json {
        return joined_json(ctx, &report);
    }
    if report.key_adopted {
        say(format!(
            "Joined again: the journal at {} now uses the journal's new key, kept everything it held and sent what it had not sent yet.",
            ctx.path.display()
        ));
    } else {
        say(format!(
            "The journal at {} is already this folder's journal: synced.",
            ctx.path.display()
        ));
    }
    print_report(ctx, &report);
    Ok(())
}
