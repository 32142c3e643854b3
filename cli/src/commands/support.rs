//! `contact`, `outreach` and `meeting`: the people and rooms that help.

use super::{say, Ctx};
use crate::args::{ContactCommand, Meeting, MeetingCommand, Method, OutreachCommand, Role};
use crate::error::Result;
use crate::parse;
use crate::render::format::label;
use crate::render::table::Table;
use serde::Serialize;
use waymark_core::recovery::support::{
    ContactInput, ContactRole, MeetingInput, MeetingKind, OutreachMethod,
};

/// `waymark contact ...`.
pub fn contact(ctx: &Ctx, command: ContactCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        ContactCommand::Add { name, role, phone } => {
            let saved = recovery.add_contact(ContactInput {
                name,
                role: match role {
                    Role::Sponsor => ContactRole::Sponsor,
                    Role::Peer => ContactRole::Peer,
                    Role::Therapist => ContactRole::Therapist,
                    Role::CrisisLine => ContactRole::CrisisLine,
                    Role::Other => ContactRole::Other,
                },
                phone,
                note: None,
            })?;
            if ctx.out.json {
                return ctx.out.json("contact add", &saved);
            }
            say(format!("Added ({}).", saved.id));
        }
        ContactCommand::List => {
            let list = recovery.contacts()?;
            if ctx.out.json {
                return ctx.out.json("contact list", &list);
            }
            let mut table = Table::new(&["id", "name", "role", "phone"]);
            for c in &list {
                table.row(vec![
                    c.id.to_string(),
                    c.name.clone(),
                    label(&c.role),
                    c.phone.clone().unwrap_or_default(),
                ]);
            }
            say(table.render());
        }
    }
    Ok(())
}

/// `waymark outreach ...`.
pub fn outreach(ctx: &Ctx, command: OutreachCommand) -> Result<()> {
    match command {
        OutreachCommand::Log {
            contact,
            method,
            helped,
        } => {
            let contact = parse::id("contact", &contact)?;
            let recovery = ctx.open()?;
            let method = match method {
                Method::Call => OutreachMethod::Call,
                Method::Message => OutreachMethod::Message,
                Method::InPerson => OutreachMethod::InPerson,
            };
            let saved = recovery.log_outreach(&contact, method, helped, None)?;
            if ctx.out.json {
                return ctx.out.json("outreach log", &saved);
            }
            say("Logged. Reaching out is a strength.");
        }
        OutreachCommand::List => {
            let recovery = ctx.open()?;
            let list = recovery.outreach()?;
            if ctx.out.json {
                return ctx.out.json("outreach list", &list);
            }
            let names: std::collections::HashMap<_, _> = recovery
                .contacts()?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let mut table = Table::new(&["when (UTC)", "who", "how", "helped"]);
            for o in &list {
                table.row(vec![
                    o.at.format("%Y-%m-%d %H:%M").to_string(),
                    names.get(&o.contact_id).cloned().unwrap_or_default(),
                    label(&o.method),
                    o.helped
                        .map(|h| if h { "yes" } else { "no" }.to_owned())
                        .unwrap_or_default(),
                ]);
            }
            say(table.render());
        }
    }
    Ok(())
}

/// `waymark meeting ...`.
pub fn meeting(ctx: &Ctx, command: MeetingCommand) -> Result<()> {
    match command {
        MeetingCommand::Log { kind, date, name } => {
            let date = parse::opt_date("date", date.as_deref())?;
            let recovery = ctx.open()?;
            let saved = recovery.log_meeting(MeetingInput {
                date,
                kind: match kind {
                    Meeting::TwelveStep => MeetingKind::TwelveStep,
                    Meeting::SmartRecovery => MeetingKind::SmartRecovery,
                    Meeting::SupportGroup => MeetingKind::SupportGroup,
                    Meeting::Online => MeetingKind::Online,
                    Meeting::FaithBased => MeetingKind::FaithBased,
                    Meeting::RecoveryCentre => MeetingKind::RecoveryCentre,
                    Meeting::TherapyGroup => MeetingKind::TherapyGroup,
                },
                name,
                note: None,
            })?;
            if ctx.out.json {
                return ctx.out.json("meeting log", &saved);
            }
            let ninety = recovery.ninety_in_ninety()?;
            say(format!(
                "Logged. 90 in 90: {} meetings by day {}.",
                ninety.meetings, ninety.day
            ));
        }
        MeetingCommand::List(r) => {
            let recovery = ctx.open()?;
            let (from, to) = super::daily::range(&recovery, &r)?;
            #[derive(Serialize)]
            struct Meetings {
                meetings: Vec<waymark_core::recovery::support::Meeting>,
                ninety_in_ninety: waymark_core::recovery::support::NinetyInNinety,
            }
            let data = Meetings {
                meetings: recovery.meetings(from, to)?,
                ninety_in_ninety: recovery.ninety_in_ninety()?,
            };
            if ctx.out.json {
                return ctx.out.json("meeting list", &data);
            }
            let mut table = Table::new(&["date", "kind", "name"]);
            for m in &data.meetings {
                table.row(vec![
                    m.date.to_string(),
                    label(&m.kind),
                    m.name.clone().unwrap_or_default(),
                ]);
            }
            say(table.render());
            let n = &data.ninety_in_ninety;
            say(format!(
                "90 in 90: {} meetings by day {}, {} to go{}",
                n.meetings,
                n.day,
                n.remaining,
                if n.on_track { ", on track" } else { "" }
            ));
        }
    }
    Ok(())
}
