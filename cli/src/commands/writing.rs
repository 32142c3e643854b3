//! `reflect`, `reflections`, `entry` and `search`: what the person writes.

use super::{say, Ctx};
use crate::args::{Deletable, DeleteArgs, EntryCommand, ReflectArgs, SearchArgs};
use crate::error::{CliError, Result};
use crate::parse;
use crate::render::table::Table;
use waymark_core::recovery::entries::EntryInput;
use waymark_core::recovery::reflection::{
    LapseReflection, PlanItem, ReflectionBody, ReflectionInput,
};
use waymark_core::recovery::Recovery;
use waymark_core::RecordId;

/// `waymark reflect`: a lapse reflection, on the most recent lapse unless one is named.
pub fn reflect(ctx: &Ctx, a: ReflectArgs) -> Result<()> {
    let lapse_id = a
        .lapse
        .as_deref()
        .map(|l| parse::id("lapse", l))
        .transpose()?;
    let what_happened = parse::text("what-happened", a.what_happened)?;
    let recovery = ctx.open()?;
    let lapse_id = match lapse_id {
        Some(id) => Some(id),
        None => {
            let mut latest = None;
            for journey in recovery.journeys()? {
                for lapse in recovery.lapses(&journey.id)? {
                    if latest.as_ref().is_none_or(|(date, _)| lapse.date > *date) {
                        latest = Some((lapse.date, lapse.id));
                    }
                }
            }
            latest.map(|(_, id)| id)
        }
    };
    let saved = recovery.save_reflection(
        None,
        ReflectionInput {
            lapse_id,
            draft: a.draft,
            body: ReflectionBody::Lapse(LapseReflection {
                what_happened,
                trigger: a.trigger,
                thoughts_and_feelings: a.feelings,
                what_i_tried: a.tried,
                what_i_learned: a.learned,
                next_time: a
                    .plan
                    .into_iter()
                    .map(|text| PlanItem {
                        text,
                        card_id: None,
                    })
                    .collect(),
                kind_word: a.kind_word,
                ..LapseReflection::default()
            }),
        },
    )?;
    if ctx.out.json {
        return ctx.out.json("reflect", &saved);
    }
    say(format!(
        "Saved{} ({}). A lapse you learn from is part of recovery.",
        if saved.draft { " as a draft" } else { "" },
        saved.id
    ));
    Ok(())
}

/// `waymark reflections`.
pub fn reflections(ctx: &Ctx) -> Result<()> {
    let recovery = ctx.open()?;
    let list = recovery.reflections(None)?;
    if ctx.out.json {
        return ctx.out.json("reflections", &list);
    }
    let mut table = Table::new(&["id", "written", "kind", "draft", "learned"]);
    for r in &list {
        let (kind, learned) = match &r.body {
            ReflectionBody::Lapse(l) => ("lapse", l.what_i_learned.clone().unwrap_or_default()),
            ReflectionBody::ChainAnalysis(_) => ("chain analysis", String::new()),
        };
        table.row(vec![
            r.id.to_string(),
            r.created_at.format("%Y-%m-%d").to_string(),
            kind.to_owned(),
            if r.draft {
                "draft".into()
            } else {
                String::new()
            },
            shorten(&learned, 50),
        ]);
    }
    say(table.render());
    Ok(())
}

fn shorten(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("");
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
            let (from, to) = super::daily::range(&recovery, &r)?;
            let list = recovery.entries(from, to)?;
            if ctx.out.json {
                return ctx.out.json("entry list", &list);
            }
            let mut table = Table::new(&["id", "date", "title", ">words"]);
            for e in &list {
                table.row(vec![
                    e.id.to_string(),
                    e.date.to_string(),
                    e.title.clone().unwrap_or_else(|| shorten(&e.body, 40)),
                    e.body.split_whitespace().count().to_string(),
                ]);
            }
            say(table.render());
        }
        EntryCommand::Edit {
            id,
            title,
            text,
            mood,
            tags,
        } => {
            let id = parse::id("id", &id)?;
            let text = match text.as_deref() {
                Some("-") => Some(parse::stdin_text("text")?),
                _ => text,
            };
            let recovery = ctx.open()?;
            let old = recovery.entry(&id)?;
            let saved = recovery.edit_entry(
                &id,
                EntryInput {
                    date: Some(old.date),
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
        Deletable::Contact => by_id(Recovery::delete_contact)?,
    }
    if !ctx.out.json {
        say("Deleted.");
    }
    Ok(())
}
