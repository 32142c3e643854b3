//! `reflect`, `reflections`, `entry` and `search`: what the person writes.

use super::{note, say, Ctx};
use crate::args::{Deletable, DeleteArgs, EntryCommand, ReflectArgs, SearchArgs, Template};
use crate::error::{CliError, Result};
use crate::parse;
use crate::render::table::Table;
use waymark_core::recovery::entries::EntryInput;
use waymark_core::recovery::reflection::{
    ChainAnalysis, ChainLink, LapseReflection, PlanItem, Reflection, ReflectionBody,
    ReflectionInput,
};
use waymark_core::recovery::Recovery;
use waymark_core::RecordId;

/// The answers given on the command line, as a reflection body of `template`.
fn body_from(
    a: ReflectArgs,
    template: Template,
    what_happened: Option<String>,
) -> Result<ReflectionBody> {
    let next_time: Vec<PlanItem> = a
        .plan
        .into_iter()
        .map(|text| PlanItem {
            text,
            card_id: None,
        })
        .collect();
    Ok(match template {
        Template::Lapse => ReflectionBody::Lapse(LapseReflection {
            what_happened,
            where_when_who: a.where_when_who,
            trigger: a.trigger,
            thoughts_and_feelings: a.feelings,
            what_i_tried: a.tried,
            what_i_learned: a.learned,
            next_time,
            kind_word: a.kind_word,
            ..LapseReflection::default()
        }),
        Template::Chain => {
            if a.skills.len() > a.links.len() {
                return Err(CliError::invalid(
                    "--skill",
                    "each --skill goes with the --link at the same position: give the links first",
                ));
            }
            let mut skills = a.skills.into_iter();
            ReflectionBody::ChainAnalysis(ChainAnalysis {
                vulnerability_factors: a.vulnerability,
                prompting_event: a.prompting_event,
                links: a
                    .links
                    .into_iter()
                    .map(|link| ChainLink {
                        link,
                        skill: skills.next(),
                    })
                    .collect(),
                behaviour: a.behaviour,
                consequences: a.consequences,
                repair: a.repair,
                next_time,
            })
        }
    })
}

/// The most recent lapse of any journey, if there is one.
fn latest_lapse(recovery: &Recovery) -> Result<Option<RecordId>> {
    let mut latest = None;
    for journey in recovery.journeys()? {
        for lapse in recovery.lapses(&journey.id)? {
            if latest
                .as_ref()
                .is_none_or(|(date, _)| (lapse.date, lapse.time) > *date)
            {
                latest = Some(((lapse.date, lapse.time), lapse.id));
            }
        }
    }
    Ok(latest.map(|(_, id)| id))
}

/// `waymark reflect`: writes a reflection, or continues one. Without `--continue`, an
/// unfinished draft on the same lapse (the most recent lapse unless `--lapse` names one) is
/// continued rather than left beside a second reflection.
pub fn reflect(ctx: &Ctx, mut a: ReflectArgs) -> Result<()> {
    let lapse_id = a
        .lapse
        .as_deref()
        .map(|l| parse::id("lapse", l))
        .transpose()?;
    let continue_id = a
        .continue_id
        .as_deref()
        .map(|r| parse::id("continue", r))
        .transpose()?;
    let what_happened = parse::text("what-happened", a.what_happened.take())?;
    let draft = a.draft;
    let recovery = ctx.open()?;
    // Continuing a draft: its own template unless another is given (the core says so if
    // the two differ).
    let template = match (a.template, &continue_id) {
        (Some(template), _) => template,
        (None, Some(id)) => match recovery.reflection(id)?.body {
            ReflectionBody::ChainAnalysis(_) => Template::Chain,
            ReflectionBody::Lapse(_) => Template::Lapse,
        },
        (None, None) => Template::Lapse,
    };
    let body = body_from(a, template, what_happened)?;
    let continuing = match continue_id {
        Some(id) => Some(id),
        None => {
            let lapse = match lapse_id {
                Some(id) => Some(id),
                None => latest_lapse(&recovery)?,
            };
            match lapse {
                Some(lapse) => recovery
                    .reflections(Some(&lapse))?
                    .into_iter()
                    .rev()
                    .find(|r| r.draft && r.body.template() == body.template())
                    .map(|r| r.id),
                None => None,
            }
        }
    };
    let saved: Reflection = match continuing {
        Some(id) => recovery.continue_reflection(
            &id,
            ReflectionInput {
                lapse_id,
                draft,
                body,
            },
        )?,
        None => recovery.save_reflection(
            None,
            ReflectionInput {
                lapse_id: match lapse_id {
                    Some(id) => Some(id),
                    None => latest_lapse(&recovery)?,
                },
                draft,
                body,
            },
        )?,
    };
    if ctx.out.json {
        return ctx.out.json("reflect", &saved);
    }
    let verb = match (continuing.is_some(), saved.draft) {
        (true, true) => "Draft updated",
        (true, false) => "Finished your reflection",
        (false, true) => "Saved as a draft",
        (false, false) => "Saved",
    };
    say(format!(
        "{verb} ({}). A lapse you learn from is part of recovery.",
        saved.id
    ));
    if saved.draft {
        say(format!(
            "Come back to it with `waymark reflect --continue {}`; leave out --draft to finish it.",
            saved.id
        ));
    }
    Ok(())
}

/// `waymark reflections`.
pub fn reflections(ctx: &Ctx) -> Result<()> {
    let recovery = ctx.open()?;
    let list = recovery.reflections(None)?;
    if ctx.out.json {
        return ctx.out.json("reflections", &list);
    }
    let reckoner = recovery.settings()?.reckoner();
    let mut table = Table::new(&["written", "template", "status", "summary", "id"]);
    for r in &list {
        let (kind, learned) = match &r.body {
            ReflectionBody::Lapse(l) => ("lapse", l.what_i_learned.clone().unwrap_or_default()),
            ReflectionBody::ChainAnalysis(c) => (
                "chain analysis",
                c.prompting_event.clone().unwrap_or_default(),
            ),
        };
        table.row(vec![
            reckoner.day_of(r.created_at, None).to_string(),
            kind.to_owned(),
            if r.draft {
                "draft".into()
            } else {
                "finished".into()
            },
            shorten(&learned, 50),
            r.id.to_string(),
        ]);
    }
    say(table.render());
    Ok(())
}

/// `text` on one line (line breaks become spaces), cut to `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = joined.as_str();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max - 1).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

/// `waymark entry ...`.
pub fn entry(ctx: &Ctx, command: EntryCommand) -> Result<()> {
    match command {
        EntryCommand::Write {
            title,
            text,
            mood,
            tags,
            date,
        } => {
            let date = parse::opt_date("date", date.as_deref())?;
            let body = match text.as_deref() {
                None | Some("-") => parse::stdin_text("text")?,
                Some(_) => text.unwrap_or_default(),
            };
            let recovery = ctx.open()?;
            let saved = recovery.write_entry(EntryInput {
                date,
                title,
                body,
                mood,
                tags,
                journey_id: None,
            })?;
            if ctx.out.json {
                return ctx.out.json("entry write", &saved);
            }
            say(format!("Saved ({}).", saved.id));
        }
        EntryCommand::List(r) => {
            let recovery = ctx.open()?;
            let span = super::daily::range(&recovery, &r)?;
            let list = recovery.entries(span.from, span.to)?;
            let window = recovery.outside_window(
                waymark_core::recovery::window::DatedList::Entries,
                span.from,
                span.to,
            )?;
            let mut table = Table::new(&["id", "date", "title", ">words"]);
            for e in &list {
                let title = e.title.clone().unwrap_or_else(|| shorten(&e.body, 40));
                table.row(vec![
                    e.id.to_string(),
                    e.date.to_string(),
                    match e.conflict_of {
                        Some(_) => format!("{title} (conflict copy)"),
                        None => title,
                    },
                    e.body.split_whitespace().count().to_string(),
                ]);
            }
            super::daily::print_windowed(
                ctx,
                "entry list",
                &list,
                &window,
                &span,
                table,
                ("entry", "entries"),
            )?;
            if !ctx.out.json && list.iter().any(|e| e.conflict_of.is_some()) {
                note("A conflict copy is text written on one device while another changed or deleted the same entry: `entry show ID` says which; edit or delete as you like.");
            }
        }
        EntryCommand::Edit {
            id,
            title,
            text,
            mood,
            tags,
            date,
        } => {
            let id = parse::id("id", &id)?;
            let date = parse::opt_date("date", date.as_deref())?;
            let text = match text.as_deref() {
                Some("-") => Some(parse::stdin_text("text")?),
                _ => text,
            };
            let recovery = ctx.open()?;
            let old = recovery.entry(&id)?;
            let saved = recovery.edit_entry(
                &id,
                EntryInput {
                    date: Some(date.unwrap_or(old.date)),
                    title: title.or(old.title),
                    body: text.unwrap_or(old.body),
                    mood: mood.or(old.mood),
                    tags: if tags.is_empty() { old.tags } else { tags },
                    journey_id: old.journey_id,
                },
            )?;
            if ctx.out.json {
                return ctx.out.json("entry edit", &saved);
            }
            say("Saved.");
        }
        EntryCommand::Show { id } => {
            let id = parse::id("id", &id)?;
            let recovery = ctx.open()?;
            let e = recovery.entry(&id)?;
            if ctx.out.json {
                return ctx.out.json("entry show", &e);
            }
            say(ctx.out.bold(&format!(
                "{}{}",
                e.date,
                e.title
                    .as_deref()
                    .map(|t| format!("  {t}"))
                    .unwrap_or_default()
            )));
            if let Some(original) = e.conflict_of {
                say(format!(
                    "(conflict copy of {original}: written on one device while another changed or deleted it)"
                ));
            }
            say(&e.body);
        }
    }
    Ok(())
}

/// `waymark search`.
pub fn search(ctx: &Ctx, a: &SearchArgs) -> Result<()> {
    if a.query.trim().is_empty() {
        return Err(CliError::invalid("query", "must contain a word"));
    }
    let recovery = ctx.open()?;
    let hits = recovery.search(&a.query, a.limit)?;
    if ctx.out.json {
        return ctx.out.json("search", &hits);
    }
    let mut table = Table::new(&["date", "in", "id", "snippet"]);
    for h in &hits {
        table.row(vec![
            h.date.to_string(),
            crate::render::format::label(&h.source),
            h.id.map(|i| i.to_string()).unwrap_or_default(),
            shorten(&h.snippet, 60),
        ]);
    }
    say(table.render());
    Ok(())
}

/// `waymark delete KIND ID --yes`: erases one record.
pub fn delete(ctx: &Ctx, args: &DeleteArgs) -> Result<()> {
    if !args.yes {
        return Err(CliError::Refused(
            "deleting erases the record for good: add --yes to confirm",
        ));
    }
    let by_id = |delete: fn(&Recovery, &RecordId) -> waymark_core::Result<()>| -> Result<()> {
        let id = parse::id("id", &args.id)?;
        Ok(delete(&ctx.open()?, &id)?)
    };
    match args.kind {
        Deletable::CheckIn => {
            let date = parse::date("date", &args.id)?;
            ctx.open()?.delete_check_in(date)?;
        }
        Deletable::Entry => by_id(Recovery::delete_entry)?,
        Deletable::Trigger => by_id(Recovery::delete_trigger)?,
        Deletable::Reflection => by_id(Recovery::delete_reflection)?,
        Deletable::Meeting => by_id(Recovery::delete_meeting)?,
        Deletable::Contact => {
            let recovery = ctx.open()?;
            let id = parse::id("id", &args.id)?;
            // The safety plan keeps the line; say where the person was in it.
            let sections: Vec<String> = recovery
                .safety_plan()?
                .sections
                .into_iter()
                .filter(|s| {
                    s.items
                        .iter()
                        .any(|i| i.contact.as_ref().is_some_and(|c| c.id == id))
                })
                .map(|s| s.title)
                .collect();
            recovery.delete_contact(&id)?;
            if !sections.is_empty() && !ctx.out.json {
                super::note(format!(
                    "note: they were in your safety plan ({}); the plan keeps the line and shows the link as gone: waymark safety-plan edit changes it",
                    sections.join(", ")
                ));
            }
        }
        Deletable::Outreach => by_id(Recovery::delete_outreach)?,
        Deletable::Journey => {
            let recovery = ctx.open()?;
            let all = recovery.journeys()?;
            let id = super::journeys::find(&all, &args.id)?.id;
            recovery.delete_journey(&id)?;
        }
        Deletable::Lapse => by_id(Recovery::undo_lapse)?,
        Deletable::Use => by_id(Recovery::delete_use)?,
    }
    if !ctx.out.json {
        say("Deleted.");
    }
    Ok(())
}
