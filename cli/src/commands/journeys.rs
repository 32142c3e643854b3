//! `journey`, `lapse` and `milestones`.

use super::{say, Ctx};
use crate::args::{JourneyChanges, JourneyCommand, JourneyFields, LapseCommand, MilestonesArgs};
use crate::error::{CliError, Result};
use crate::parse;
use crate::render::format::days;
use crate::render::table::Table;
use serde::Serialize;
use waymark_core::recovery::counter::SoberCounter;
use waymark_core::recovery::journey::{
    Journey, JourneyInput, JourneyPatch, LapseInput, LapseKind, LapsePatch,
};
use waymark_core::recovery::limits::limit_from_parts;
use waymark_core::recovery::milestones::{Milestone, MilestoneProgress};
use waymark_core::recovery::names::Named;
use waymark_core::recovery::Recovery;
use waymark_core::RecordId;

fn input(recovery: &Recovery, f: JourneyFields) -> Result<JourneyInput> {
    let settings = recovery.settings()?;
    Ok(JourneyInput {
        name: f.name,
        sober_since: parse::date("since", &f.since)?,
        sober_since_time: f
            .time
            .as_deref()
            .map(|t| parse::time("time", t))
            .transpose()?,
        time_zone: f.zone.unwrap_or_else(|| settings.time_zone.clone()),
        daily_cost_cents: f
            .cost_per_day
            .as_deref()
            .map(|c| parse::amount("cost-per-day", c, &settings.currency()))
            .transpose()?,
        daily_minutes: f.minutes_per_day,
        custom_milestone_days: f.milestones,
        limit: limit_from_parts(
            f.limit.limit.as_deref(),
            f.limit.per,
            f.limit.unit.as_deref(),
            None,
        )?,
    })
}

fn patch(recovery: &Recovery, current: &Journey, c: JourneyChanges) -> Result<JourneyPatch> {
    let currency = recovery.settings()?.currency();
    let limit = match (&c.limit.limit, c.limit.per, &c.limit.unit) {
        (None, None, None) => None,
        (amount, per, unit) => limit_from_parts(
            amount.as_deref(),
            per,
            unit.as_deref(),
            current.limit.as_ref(),
        )?,
    };
    Ok(JourneyPatch {
        name: c.name,
        sober_since: parse::opt_date("since", c.since.as_deref())?,
        sober_since_time: c
            .time
            .as_deref()
            .map(|t| parse::time("time", t))
            .transpose()?,
        time_zone: c.zone,
        daily_cost_cents: c
            .cost_per_day
            .as_deref()
            .map(|text| parse::amount("cost-per-day", text, &currency))
            .transpose()?,
        daily_minutes: c.minutes_per_day,
        custom_milestone_days: (!c.milestones.is_empty()).then_some(c.milestones),
        limit,
        clear: c.clear,
    })
}

/// The journey `text` names (its id, or its name in any letter case), or the only active
/// journey when `text` is absent.
pub fn pick(recovery: &Recovery, text: Option<&str>) -> Result<RecordId> {
    let journeys = recovery.journeys()?;
    if let Some(text) = text {
        return find_as(&journeys, text, "journey").map(|j| j.id);
    }
    let active: Vec<&Journey> = journeys.iter().filter(|j| !j.archived).collect();
    match active.as_slice() {
        [only] => Ok(only.id),
        [] => Err(CliError::invalid(
            "journey",
            "there is no journey yet: start one with `waymark journey add --name NAME --since YYYY-MM-DD`",
        )),
        _ => Err(CliError::invalid(
            "journey",
            "there are several journeys: pass --journey NAME (see `waymark journey list`)",
        )),
    }
}

/// The journey named by the positional argument JOURNEY (its id or name).
fn positional(recovery: &Recovery, text: &str) -> Result<RecordId> {
    find_as(&recovery.journeys()?, text, "JOURNEY").map(|j| j.id)
}

/// The journey with this id, or with this name (ignoring case), as `--journey` gives it.
pub fn find<'a>(journeys: &'a [Journey], text: &str) -> Result<&'a Journey> {
    find_as(journeys, text, "journey")
}

/// The journey with this id or name; errors name `field`.
fn find_as<'a>(journeys: &'a [Journey], text: &str, field: &'static str) -> Result<&'a Journey> {
    if let Ok(id) = text.parse::<RecordId>() {
        if let Some(j) = journeys.iter().find(|j| j.id == id) {
            return Ok(j);
        }
    }
    let wanted = text.trim().to_lowercase();
    let named: Vec<&Journey> = journeys
        .iter()
        .filter(|j| j.name.trim().to_lowercase() == wanted)
        .collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::invalid(
            field,
            "no journey has this name or id (see `waymark journey list`)",
        )),
        _ => Err(CliError::invalid(
            field,
            "several journeys have this name: use the id (see `waymark journey list`)",
        )),
    }
}

fn show(ctx: &Ctx, command: &str, journey: &Journey) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(command, journey);
    }
    match &journey.limit {
        Some(limit) => say(format!(
            "{}: at most {} {} a {}, since {} ({})",
            journey.name,
            waymark_core::recovery::limits::format_amount(limit.amount_hundredths),
            limit.unit,
            limit.per.name(),
            journey.sober_since,
            journey.id
        )),
        None => say(format!(
            "{}: sober since {} ({})",
            journey.name, journey.sober_since, journey.id
        )),
    }
    Ok(())
}

/// `waymark journey ...`.
pub fn journey(ctx: &Ctx, command: JourneyCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        JourneyCommand::Add(fields) => {
            let input = input(&recovery, fields)?;
            let journey = recovery.add_journey(input)?;
            show(ctx, "journey add", &journey)?;
            if !ctx.out.json {
                say("Check in each day with `waymark check-in --mood N --craving N`; `waymark progress` shows how it is going.");
            }
            Ok(())
        }
        JourneyCommand::Edit { id, changes } => {
            let id = positional(&recovery, &id)?;
            let current = recovery
                .journeys()?
                .into_iter()
                .find(|j| j.id == id)
                .ok_or(waymark_core::Error::NotFound {
                    what: "journey",
                    id: id.to_string(),
                })?;
            let patch = patch(&recovery, &current, changes)?;
            let journey = recovery.edit_journey(&id, patch)?;
            show(ctx, "journey edit", &journey)
        }
        JourneyCommand::Archive { id, undo } => {
            let id = positional(&recovery, &id)?;
            let journey = recovery.archive_journey(&id, !undo)?;
            show(ctx, "journey archive", &journey)
        }
        JourneyCommand::Delete { id, yes } => {
            if !yes {
                return Err(CliError::Refused(
                    "deleting a journey removes its lapses for good: add --yes to confirm",
                ));
            }
            let id = positional(&recovery, &id)?;
            recovery.delete_journey(&id)?;
            if !ctx.out.json {
                say("Deleted.");
            }
            Ok(())
        }
        JourneyCommand::List { all } => {
            let journeys: Vec<Journey> = recovery
                .journeys()?
                .into_iter()
                .filter(|j| all || !j.archived)
                .collect();
            if ctx.out.json {
                return ctx.out.json("journey list", &journeys);
            }
            let mut table = Table::new(&["name", "since", "zone", ">now", "id"]);
            for j in &journeys {
                let counter = recovery.counter(&j.id)?;
                table.row(vec![
                    if j.archived {
                        format!("{} (archived)", j.name)
                    } else {
                        j.name.clone()
                    },
                    j.sober_since.to_string(),
                    j.time_zone.clone(),
                    match &j.limit {
                        Some(_) => format!("{} within", days(counter.current_streak_days)),
                        None => format!("{} sober", days(counter.current_streak_days)),
                    },
                    j.id.to_string(),
                ]);
            }
            say(table.render());
            Ok(())
        }
    }
}

/// The sentence that says where the current attempt stands: counting, or starting on a later
/// day after a lapse (then what stays leads).
pub fn attempt_sentence(c: &SoberCounter) -> String {
    match c.next_attempt_starts_on {
        Some(start) => {
            let when = if Some(start) == c.today.succ_opt() {
                format!("tomorrow ({start})")
            } else {
                format!("on {start}")
            };
            format!(
                "What stays: {} sober in all, longest run {}. Your next attempt starts {when}.",
                days(c.total_sober_days),
                days(c.longest_streak_days),
            )
        }
        None => format!(
            "Your history stays: {} sober in all, longest run {}.",
            days(c.total_sober_days),
            days(c.longest_streak_days),
        ),
    }
}

/// `waymark lapse ...`.
pub fn lapse(ctx: &Ctx, command: LapseCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        LapseCommand::Record {
            journey,
            date,
            time,
            relapse,
            sober_again_from,
            note,
            trigger,
        } => {
            let input = LapseInput {
                journey_id: pick(&recovery, journey.as_deref())?,
                kind: if relapse {
                    LapseKind::Relapse
                } else {
                    LapseKind::Lapse
                },
                date: match date {
                    Some(d) => parse::date("date", &d)?,
                    None => recovery.today()?,
                },
                time: time
                    .as_deref()
                    .map(|t| parse::time("time", t))
                    .transpose()?,
                sober_again_from: parse::opt_date("sober-again-from", sober_again_from.as_deref())?,
                note: parse::text("note", note)?,
                trigger_id: trigger
                    .as_deref()
                    .map(|t| parse::id("trigger", t))
                    .transpose()?,
            };
            let lapse = recovery.record_lapse(input)?;
            if ctx.out.json {
                return ctx.out.json("lapse record", &lapse);
            }
            let counter = recovery.counter(&lapse.journey_id)?;
            say(format!(
                "Recorded the {} of {} ({}).",
                lapse.kind.name(),
                lapse.date,
                lapse.id
            ));
            say(attempt_sentence(&counter));
            say(
                "When you are ready: `waymark reflect` (what happened, what you learned, next time).",
            );
            Ok(())
        }
        LapseCommand::Edit {
            id,
            date,
            time,
            relapse,
            slip,
            sober_again_from,
            note,
            trigger,
            clear,
        } => {
            let id = parse::id("id", &id)?;
            let patch = LapsePatch {
                kind: match (relapse, slip) {
                    (true, _) => Some(LapseKind::Relapse),
                    (_, true) => Some(LapseKind::Lapse),
                    _ => None,
                },
                date: parse::opt_date("date", date.as_deref())?,
                time: time
                    .as_deref()
                    .map(|t| parse::time("time", t))
                    .transpose()?,
                sober_again_from: parse::opt_date("sober-again-from", sober_again_from.as_deref())?,
                note: parse::text("note", note)?,
                trigger_id: trigger
                    .as_deref()
                    .map(|t| parse::id("trigger", t))
                    .transpose()?,
                clear,
            };
            let lapse = recovery.edit_lapse(&id, patch)?;
            if ctx.out.json {
                return ctx.out.json("lapse edit", &lapse);
            }
            say(format!(
                "Saved: a {} on {}, sober again from {}.",
                lapse.kind.name(),
                lapse.date,
                lapse.sober_again_from
            ));
            Ok(())
        }
        LapseCommand::List(pick_args) => {
            let journeys = recovery.journeys()?;
            let chosen: Vec<&Journey> = match pick_args.journey.as_deref() {
                Some(text) => vec![find(&journeys, text)?],
                None => journeys.iter().filter(|j| !j.archived).collect(),
            };
            let mut lapses = Vec::new();
            for j in &chosen {
                lapses.extend(recovery.lapses(&j.id)?);
            }
            lapses.sort_by_key(|l| (l.date, l.time, l.id));
            if ctx.out.json {
                return ctx.out.json("lapse list", &lapses);
            }
            let name = |id: &RecordId| {
                journeys
                    .iter()
                    .find(|j| j.id == *id)
                    .map_or_else(String::new, |j| j.name.clone())
            };
            let mut table =
                Table::new(&["date", "journey", "kind", "sober again from", ">days", "id"]);
            for l in &lapses {
                table.row(vec![
                    l.date.to_string(),
                    name(&l.journey_id),
                    l.kind.name().to_owned(),
                    l.sober_again_from.to_string(),
                    (l.sober_again_from - l.date).num_days().max(1).to_string(),
                    l.id.to_string(),
                ]);
            }
            say(table.render());
            Ok(())
        }
        LapseCommand::Undo { id } => {
            recovery.undo_lapse(&parse::id("id", &id)?)?;
            if !ctx.out.json {
                say("Undone: the streak is back as it was.");
            }
            Ok(())
        }
    }
}

fn milestone_rows(table: &mut Table, ctx: &Ctx, m: &MilestoneProgress) {
    for reached in &m.reached {
        table.row(vec![
            reached.label.clone(),
            reached.key.clone(),
            reached.due_on.to_string(),
            ctx.out.green(if reached.acknowledged {
                "reached, celebrated"
            } else {
                "reached"
            }),
        ]);
    }
    if let (Some(next), Some(to_go)) = (&m.next, m.days_to_next) {
        table.row(vec![
            next.label.clone(),
            next.key.clone(),
            next.due_on.to_string(),
            ctx.out.yellow(&format!("next, {} to go", days(to_go))),
        ]);
    }
}

/// `waymark milestones`.
pub fn milestones(ctx: &Ctx, args: &MilestonesArgs) -> Result<()> {
    let recovery = ctx.open()?;
    if let Some(key) = &args.acknowledge {
        let id = pick(&recovery, args.journey.as_deref())?;
        recovery.acknowledge_milestone(&id, key)?;
        if !ctx.out.json {
            say("Celebrated. Well done.");
        }
        return Ok(());
    }
    let all = recovery.journeys()?;
    let chosen: Vec<&Journey> = match &args.journey {
        Some(text) => vec![find(&all, text)?],
        None => all.iter().filter(|j| !j.archived).collect(),
    };
    if chosen.is_empty() && !ctx.out.json {
        say("No journeys yet, so no milestones. Start one: waymark journey add --name NAME --since YYYY-MM-DD");
        return Ok(());
    }
    if args.history {
        #[derive(Serialize)]
        struct History<'a> {
            journey_id: RecordId,
            journey_name: &'a str,
            reached: Vec<Milestone>,
        }
        let mut items = Vec::new();
        for j in &chosen {
            items.push(History {
                journey_id: j.id,
                journey_name: &j.name,
                reached: recovery.milestone_history(&j.id)?,
            });
        }
        if ctx.out.json {
            return ctx.out.json("milestones history", &items);
        }
        for item in &items {
            say(ctx
                .out
                .bold(&format!("{}: every milestone reached", item.journey_name)));
            let mut table = Table::new(&["attempt", "milestone", "key", "date"]);
            for m in &item.reached {
                table.row(vec![
                    m.attempt.to_string(),
                    m.label.clone(),
                    m.key.clone(),
                    m.due_on.to_string(),
                ]);
            }
            say(table.render());
        }
        return Ok(());
    }
    #[derive(Serialize)]
    struct Item {
        journey_id: RecordId,
        milestones: MilestoneProgress,
    }
    let mut items = Vec::new();
    for j in &chosen {
        items.push(Item {
            journey_id: j.id,
            milestones: recovery.milestones(&j.id)?,
        });
    }
    if ctx.out.json {
        return ctx.out.json("milestones", &items);
    }
    for (item, j) in items.iter().zip(&chosen) {
        let m = &item.milestones;
        let pending = recovery.counter(&j.id)?.next_attempt_starts_on.is_some();
        let since = match (pending, m.attempt > 1) {
            (true, _) => format!(" (attempt {} starts {})", m.attempt, m.attempt_start),
            (false, true) => format!(" (attempt {} since {})", m.attempt, m.attempt_start),
            (false, false) => format!(" (since {})", m.attempt_start),
        };
        say(ctx.out.bold(&format!("{}{since}", j.name)));
        let mut table = Table::new(&["milestone", "key", "date", "status"]);
        milestone_rows(&mut table, ctx, m);
        say(table.render());
    }
    Ok(())
}
