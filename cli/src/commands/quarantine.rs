//! `waymark quarantine`: records kept but never applied (see `Recovery::quarantined`).

use super::{say, Ctx};
use crate::args::{QuarantineArgs, QuarantineCommand};
use crate::error::{CliError, Result};
use crate::parse;
use waymark_core::QuarantineReason;

/// Why a record is in quarantine, in words.
fn reason(reason: QuarantineReason) -> &'static str {
    match reason {
        QuarantineReason::Invalid => "came from a backup and broke a rule of its kind",
        QuarantineReason::Duplicate => {
            "a second copy for the same day or item, found when the key was rotated"
        }
        QuarantineReason::Other => "set aside by a newer version of Waymark",
    }
}

/// `waymark quarantine [list | show ID | discard ID --yes]`.
pub fn quarantine(ctx: &Ctx, args: &QuarantineArgs) -> Result<()> {
    match args.action.as_ref().unwrap_or(&QuarantineCommand::List) {
        QuarantineCommand::List => {
            let records = ctx.open()?.quarantined()?;
            if ctx.out.json {
                return ctx.out.json("quarantine", &records);
            }
            if records.is_empty() {
                say("Nothing in quarantine.");
                return Ok(());
            }
            say("Kept, but not part of your journal until you look at them:");
            for r in &records {
                say(format!("  {}  {:<12} {}", r.id, r.kind, reason(r.reason)));
            }
            say("`waymark quarantine show ID` prints one; `waymark quarantine discard ID --yes` erases it.");
            Ok(())
        }
        QuarantineCommand::Show { id } => {
            let id = parse::id("id", id)?;
            let content = ctx.open()?.quarantined_content(&id)?;
            if ctx.out.json {
                let value: serde_json::Value =
                    serde_json::from_str(&content).unwrap_or(serde_json::Value::String(content));
                return ctx.out.json("quarantine show", &value);
            }
            say(content);
            Ok(())
        }
        QuarantineCommand::Discard { id, yes } => {
            if !yes {
                return Err(CliError::Refused(
                    "discarding erases the record for good: add --yes to confirm",
                ));
            }
            let id = parse::id("id", id)?;
            ctx.open()?.discard_quarantined(&id)?;
            if !ctx.out.json {
                say("Discarded.");
            }
            Ok(())
        }
    }
}
