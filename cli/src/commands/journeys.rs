//! `journey`, `lapse` and `milestones`.

use super::{say, Ctx};
use crate::args::{JourneyCommand, JourneyFields, LapseCommand, MilestonesArgs};
use crate::error::{CliError, Result};
use crate::parse;
use crate::render::format::days;
use crate::render::table::Table;
use serde::Serialize;
use waymark_core::recovery::journey::{Journey, JourneyInput, LapseInput, LapseKind};
use waymark_core::recovery::Recovery;
use waymark_core::RecordId;

fn input(recovery: &Recovery, f: JourneyFields) -> Result<JourneyInput> {
    Ok(JourneyInput {
        name: f.name,
        sober_since: parse::date("since", &f.since)?,
        sober_since_time: f
            .time
            .as_deref()
            .map(|t| parse::time("time", t))
            .transpose()?,
        time_zone: match f.zone {
            Some(zone) => zone,
            None => recovery.settings()?.time_zone,
        },
        daily_cost_cents: f
            .cost_per_day
            .as_deref()
            .map(|c| parse::cents("cost-per-day", c))
            .transpose()?,
        daily_minutes: f.minutes_per_day,
        custom_milestone_days: f.milestones,
    })
}

/// The journey `id` names, or the only active journey when `id` is absent.
pub fn pick(recovery: &Recovery, id: Option<&str>) -> Result<RecordId> {
    if let Some(id) = id {
        return parse::id("journey", id);
    }
    let active: Vec<Journey> = recovery
        .journeys()?
        .into_iter()
        .filter(|j| !j.archived)
        .collect();
    match active.as_slice() {
        [only] => Ok(only.id),
        [] => Err(CliError::invalid(
            "journey",
            "there is no journey yet: waymark journey add",
        )),
        _ => Err(CliError::invalid(
            "journey",
            "there are several journeys: pass --journey ID (see waymark journey list)",
        )),
    }
}

fn show(ctx: &Ctx, command: &str, journey: &Journey) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(command, journey);
    }
    say(format!(
        "{} {} (sober since {})",
        journey.id, journey.name, journey.sober_since
    ));
    Ok(())
}

/// `waymark journey ...`.
pub fn journey(ctx: &Ctx, command: JourneyCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        JourneyCommand::Add(fields) => {
            let input = input(&recovery, fields)?;
            let journey = recovery.add_journey(input)?;
            show(ctx, "journey add", &journey)
        }
        JourneyCommand::Edit { id, fields } => {
            let id = parse::id("id", &id)?;
            let input = input(&recovery, fields)?;
            let journey = recovery.edit_journey(&id, input)?;
            show(ctx, "journey edit", &journey)
        }
        JourneyCommand::Archive { id, undo } => {
            let journey = recovery.archive_journey(&parse::id("id", &id)?, !undo)?;
            show(ctx, "journey archive", &journey)
        }
        JourneyCommand::Delete { id, yes } => {
            if !yes {
                return Err(CliError::Refused(
                    "deleting a journey removes its lapses for good: add --yes to confirm",
                ));
            }
            recovery.delete_journey(&parse::id("id", &id)?)?;
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
            let mut table = Table::new(&["id", "name", "since", "zone", ">sober now"]);
            for j in &journeys {
                let counter = recovery.counter(&j.id)?;
                table.row(vec![
                    j.id.to_string(),
                    if j.archived {
                        format!("{} (archived)", j.name)
                    } else {
                        j.name.clone()
                    },
                    j.sober_since.to_string(),
                    j.time_zone.clone(),
                    days(counter.current_streak_days),
                ]);
            }
            say(table.render());
            Ok(())
        }
    }
}

/// `waymark lapse ...`.
pub fn lapse(ctx: &Ctx, command: LapseCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        LapseCommand::Record {
            journey,
            date,
            relapse,
            sober_again_from,
            note,
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
                time: None,
                sober_again_from: parse::opt_date("sober-again-from", sober_again_from.as_deref())?,
                note: parse::text("note", note)?,
                trigger_id: None,
            };
            let lapse = recovery.record_lapse(input)?;
            let counter = recovery.counter(&lapse.journey_id)?;
            if ctx.out.json {
                return ctx.out.json("lapse record", &lapse);
            }
            say(format!("Recorded ({}).", lapse.id));
            say(format!(
                "Your history stays: {} sober in all, longest run {}. A new attempt starts {}.",
                days(counter.total_sober_days),
                days(counter.longest_streak_days),
                lapse.sober_again_from
            ));
            say(
                "When you are ready: waymark reflect (what happened, what you learned, next time).",
            );
            Ok(())
        }
        LapseCommand::List(pick_args) => {
            let id = pick(&recovery, pick_args.journey.as_deref())?;
            let lapses = recovery.lapses(&id)?;
            if ctx.out.json {
                return ctx.out.json("lapse list", &lapses);
            }
            let mut table = Table::new(&["id", "date", "kind", "sober again from"]);
            for l in &lapses {
                table.row(vec![
                    l.id.to_string(),
                    l.date.to_string(),
                    match l.kind {
                        LapseKind::Lapse => "lapse".into(),
                        LapseKind::Relapse => "relapse".into(),
                    },
                    l.sober_again_from.to_string(),
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
    let ids: Vec<RecordId> = match &args.journey {
        Some(id) => vec![parse::id("journey", id)?],
        None => recovery
            .journeys()?
            .into_iter()
            .filter(|j| !j.archived)
            .map(|j| j.id)
            .collect(),
    };
    #[derive(Serialize)]
    struct Item {
        journey_id: RecordId,
        milestones: waymark_core::recovery::milestones::MilestoneProgress,
    }
    let mut items = Vec::new();
    for id in ids {
        items.push(Item {
            journey_id: id,
            milestones: recovery.milestones(&id)?,
        });
    }
    if ctx.out.json {
        return ctx.out.json("milestones", &items);
    }
    for item in &items {
        let mut table = Table::new(&["milestone", "date", "status"]);
        let m = &item.milestones;
        for reached in &m.reached {
            table.row(vec![
                reached.label.clone(),
                reached.due_on.to_string(),
                ctx.out.green("reached"),
            ]);
        }
        if let (Some(next), Some(to_go)) = (&m.next, m.days_to_next) {
            table.row(vec![
                next.label.clone(),
                next.due_on.to_string(),
                ctx.out.yellow(&format!("next, {} to go", days(to_go))),
            ]);
        }
        say(format!(
            "journey {} (this attempt since {})",
            item.journey_id, m.attempt_start
        ));
        say(table.render());
    }
    Ok(())
}
