//! `contact`, `outreach` and `meeting`: the people and rooms that help.

use super::{say, Ctx};
use crate::args::{ContactCommand, MeetingCommand, OutreachCommand};
use crate::error::{CliError, Result};
use crate::parse;
use crate::render::table::Table;
use serde::Serialize;
use waymark_core::recovery::clock::Zone;
use waymark_core::recovery::names::Named;
use waymark_core::recovery::support::{
    ContactInput, ContactPatch, MeetingInput, MeetingPatch, NinetyInNinety, NinetyInNinetyStart,
    OutreachInput, OutreachPatch, SupportContact,
};
use waymark_core::recovery::words::ninety_sentence;
use waymark_core::recovery::Recovery;
use waymark_core::RecordId;

/// The contact `text` names: its id, or its name in any letter case.
pub(crate) fn pick_contact(recovery: &Recovery, text: &str) -> Result<RecordId> {
    pick_contact_as(recovery, text, "contact")
}

/// The contact `text` names; errors name `field`.
pub(crate) fn pick_contact_as(
    recovery: &Recovery,
    text: &str,
    field: &'static str,
) -> Result<RecordId> {
    let contacts = recovery.contacts()?;
    if let Ok(id) = text.parse::<RecordId>() {
        if contacts.iter().any(|c| c.id == id) {
            return Ok(id);
        }
    }
    let wanted = text.trim().to_lowercase();
    let named: Vec<&SupportContact> = contacts
        .iter()
        .filter(|c| c.name.trim().to_lowercase() == wanted)
        .collect();
    match named.as_slice() {
        [one] => Ok(one.id),
        [] => Err(CliError::invalid(
            field,
            "no contact has this name or id (see `waymark contact list`)",
        )),
        _ => Err(CliError::invalid(
            field,
            "several contacts have this name: use the id (see `waymark contact list`)",
        )),
    }
}

/// Refuses a delete that was not confirmed.
fn confirm(yes: bool) -> Result<()> {
    if yes {
        Ok(())
    } else {
        Err(CliError::Refused(
            "deleting erases it for good: add --yes to confirm",
        ))
    }
}

/// `waymark contact ...`.
pub fn contact(ctx: &Ctx, command: ContactCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        ContactCommand::Add {
            name,
            role,
            phone,
            note,
        } => {
            let saved = recovery.add_contact(ContactInput {
                name,
                role,
                phone,
                note,
            })?;
            if ctx.out.json {
                return ctx.out.json("contact add", &saved);
            }
            say(format!("Added {} ({}).", saved.name, saved.id));
        }
        ContactCommand::Edit {
            id,
            name,
            role,
            phone,
            note,
            clear,
        } => {
            let id = pick_contact_as(&recovery, &id, "CONTACT")?;
            let saved = recovery.edit_contact(
                &id,
                ContactPatch {
                    name,
                    role,
                    phone,
                    note,
                    clear,
                },
            )?;
            if ctx.out.json {
                return ctx.out.json("contact edit", &saved);
            }
            say(format!("Saved {}.", saved.name));
        }
        ContactCommand::List => {
            let list = recovery.contacts()?;
            if ctx.out.json {
                return ctx.out.json("contact list", &list);
            }
            let mut table = Table::new(&["name", "role", "phone", "id"]);
            for c in &list {
                table.row(vec![
                    c.name.clone(),
                    c.role.name().replace('_', " "),
                    c.phone.clone().unwrap_or_default(),
                    c.id.to_string(),
                ]);
            }
            say(table.render());
        }
    }
    Ok(())
}

/// `waymark outreach ...`.
pub fn outreach(ctx: &Ctx, command: OutreachCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        OutreachCommand::Log {
            contact,
            method,
            helped,
            note,
            at,
        } => {
            let contact_id = pick_contact(&recovery, &contact)?;
            let at = at
                .as_deref()
                .map(|t| parse::moment("at", t, &recovery.settings()?.zone(), recovery.now()))
                .transpose()?;
            let saved = recovery.log_outreach(OutreachInput {
                contact_id,
                method,
                helped,
                note: parse::text("note", note)?,
                at,
            })?;
            if ctx.out.json {
                return ctx.out.json("outreach log", &saved);
            }
            say(format!(
                "Logged ({}). Reaching out is a strength.",
                saved.id
            ));
        }
        OutreachCommand::Edit {
            id,
            contact,
            method,
            helped,
            note,
            at,
            clear,
        } => {
            let id = parse::id("id", &id)?;
            let old = recovery
                .outreach()?
                .into_iter()
                .find(|o| o.id == id)
                .ok_or_else(|| {
                    CliError::from(waymark_core::Error::NotFound {
                        what: "outreach",
                        id: id.to_string(),
                    })
                })?;
            let zone = match &old.time_zone {
                Some(name) => Zone::named_or_utc(name),
                None => recovery.settings()?.zone(),
            };
            let saved = recovery.edit_outreach(
                &id,
                OutreachPatch {
                    contact_id: contact
                        .as_deref()
                        .map(|c| pick_contact(&recovery, c))
                        .transpose()?,
                    method,
                    helped,
                    note: parse::text("note", note)?,
                    at: at
                        .as_deref()
                        .map(|t| parse::moment("at", t, &zone, recovery.now()))
                        .transpose()?,
                    clear,
                },
            )?;
            if ctx.out.json {
                return ctx.out.json("outreach edit", &saved);
            }
            say("Saved.");
        }
        OutreachCommand::Delete { id, yes } => {
            confirm(yes)?;
            recovery.delete_outreach(&parse::id("id", &id)?)?;
            if !ctx.out.json {
                say("Deleted.");
            }
        }
        OutreachCommand::List(r) => {
            let span = super::daily::range(&recovery, &r)?;
            let reckoner = recovery.settings()?.reckoner();
            let list = recovery.outreach_between(span.from, span.to)?;
            let window = recovery.outside_window(
                waymark_core::recovery::window::DatedList::Outreach,
                span.from,
                span.to,
            )?;
            let names: std::collections::HashMap<_, _> = recovery
                .contacts()?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let mut table = Table::new(&["day", "local time", "who", "how", "helped", "id"]);
            for o in &list {
                let zone_note = match o.time_zone.as_deref() {
                    Some(zone) if zone != reckoner.current_zone().name() => format!(" ({zone})"),
                    _ => String::new(),
                };
                table.row(vec![
                    reckoner.day_of(o.at, o.time_zone.as_deref()).to_string(),
                    format!(
                        "{}{zone_note}",
                        reckoner
                            .local_of(o.at, o.time_zone.as_deref())
                            .format("%Y-%m-%d %H:%M")
                    ),
                    names
                        .get(&o.contact_id)
                        .cloned()
                        .unwrap_or_else(|| "(removed contact)".to_owned()),
                    o.method.name().replace('_', " "),
                    o.helped
                        .map(|h| if h { "yes" } else { "no" }.to_owned())
                        .unwrap_or_default(),
                    o.id.to_string(),
                ]);
            }
            super::daily::print_windowed(
                ctx,
                "outreach list",
                &list,
                &window,
                &span,
                table,
                ("outreach", "outreach"),
            )?;
        }
    }
    Ok(())
}

/// `waymark meeting ...`.
pub fn meeting(ctx: &Ctx, command: MeetingCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        MeetingCommand::Log {
            kind,
            date,
            name,
            note,
        } => {
            let date = parse::opt_date("date", date.as_deref())?;
            let saved = recovery.log_meeting(MeetingInput {
                date,
                kind,
                name,
                note,
            })?;
            if ctx.out.json {
                return ctx.out.json("meeting log", &saved);
            }
            say(format!("Logged ({}).", saved.id));
            say(ninety_sentence(&recovery.ninety_in_ninety()?));
        }
        MeetingCommand::Edit {
            id,
            kind,
            date,
            name,
            note,
            clear,
        } => {
            let id = parse::id("id", &id)?;
            let saved = recovery.edit_meeting(
                &id,
                MeetingPatch {
                    date: parse::opt_date("date", date.as_deref())?,
                    kind,
                    name,
                    note,
                    clear,
                },
            )?;
            if ctx.out.json {
                return ctx.out.json("meeting edit", &saved);
            }
            say("Saved.");
        }
        MeetingCommand::Delete { id, yes } => {
            confirm(yes)?;
            recovery.delete_meeting(&parse::id("id", &id)?)?;
            if !ctx.out.json {
                say("Deleted.");
            }
        }
        MeetingCommand::Start90 { from } => {
            let from = parse::opt_date("from", from.as_deref())?;
            let ninety = recovery.start_ninety_in_ninety(from)?;
            if ctx.out.json {
                return ctx.out.json("meeting start90", &ninety);
            }
            match (from, ninety.counting_from_reason) {
                (Some(chosen), NinetyInNinetyStart::AfterLapse)
                    if chosen < ninety.counting_from =>
                {
                    say(format!(
                        "Meetings already count from {}, the fresh start after your last lapse; a run cannot start before it. {}",
                        ninety.counting_from,
                        ninety_sentence(&ninety)
                    ));
                }
                _ => say(format!(
                    "A new 90 in 90 counts from {}. {}",
                    ninety.counting_from,
                    ninety_sentence(&ninety)
                )),
            }
        }
        MeetingCommand::List(r) => {
            let span = super::daily::range(&recovery, &r)?;
            #[derive(Serialize)]
            struct Meetings {
                meetings: Vec<waymark_core::recovery::support::Meeting>,
                ninety_in_ninety: NinetyInNinety,
            }
            let data = Meetings {
                meetings: recovery.meetings(span.from, span.to)?,
                ninety_in_ninety: recovery.ninety_in_ninety()?,
            };
            let window = recovery.outside_window(
                waymark_core::recovery::window::DatedList::Meetings,
                span.from,
                span.to,
            )?;
            let mut table = Table::new(&["date", "kind", "name", "id"]);
            for m in &data.meetings {
                table.row(vec![
                    m.date.to_string(),
                    m.kind.name().replace('_', " "),
                    m.name.clone().unwrap_or_default(),
                    m.id.to_string(),
                ]);
            }
            super::daily::print_windowed(
                ctx,
                "meeting list",
                &data,
                &window,
                &span,
                table,
                ("meeting", "meetings"),
            )?;
            if !ctx.out.json {
                say(ninety_sentence(&data.ninety_in_ninety));
            }
        }
    }
    Ok(())
}
