//! `check-in`, `check-ins`, `trigger` and `cards`: the daily verbs.

use super::journeys;
use super::{say, Ctx};
use crate::args::{CardsCommand, CheckInArgs, DateRange, EveningArgs, Helped, TriggerCommand};
use crate::error::Result;
use crate::parse;
use crate::render::table::Table;
use crate::render::window::Span;
use chrono::Duration;
use waymark_core::recovery::cards::{CardCategory, CardInput, CardOutcome, CopingCard};
use waymark_core::recovery::check_in::{CheckInInput, EveningReview, Halt};
use waymark_core::recovery::clock::Zone;
use waymark_core::recovery::names::Named;
use waymark_core::recovery::triggers::{TriggerInput, TriggerPatch, UrgeOutcome};
use waymark_core::recovery::window::DatedList;
use waymark_core::recovery::Recovery;

/// `--from`/`--to`, defaulting to the last 30 days.
pub fn range(recovery: &Recovery, r: &DateRange) -> Result<Span> {
    let today = recovery.today()?;
    let to = parse::opt_date("to", r.to.as_deref())?.unwrap_or(today);
    let from = parse::opt_date("from", r.from.as_deref())?.unwrap_or(to - Duration::days(29));
    Ok(Span {
        from,
        to,
        default: r.from.is_none() && r.to.is_none(),
    })
}

/// Prints a list over days: `--json` with what its span leaves out beside the data, or the
/// table (empty: what the span holds) and the sentence saying what it leaves out.
pub fn print_windowed<T: serde::Serialize>(
    ctx: &Ctx,
    command: &str,
    data: &T,
    window: &waymark_core::recovery::window::OutsideWindow,
    span: &Span,
    table: Table,
    things: (&str, &str),
) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json_with_window(command, data, window);
    }
    say(table.when_empty(span.empty_label(window)).render());
    if let Some(sentence) = crate::render::window::left_out(span, window, things) {
        say(sentence);
    }
    Ok(())
}

/// `waymark check-in`.
pub fn check_in(ctx: &Ctx, a: CheckInArgs) -> Result<()> {
    let date = parse::opt_date("date", a.date.as_deref())?;
    let note = parse::text("note", a.note)?;
    let recovery = ctx.open()?;
    let saved = recovery.check_in(CheckInInput {
        date,
        mood: a.mood,
        craving: a.craving,
        halt: Halt {
            hungry: a.hungry,
            angry: a.angry,
            lonely: a.lonely,
            tired: a.tired,
        },
        trigger_tags: a.tags,
        intention: a.intention,
        evening_review: None,
        gratitude: a.gratitude,
        note,
    })?;
    if ctx.out.json {
        return ctx.out.json("check-in", &saved);
    }
    let streak = recovery.check_in_streak()?;
    say(format!(
        "Checked in for {}: mood {}/5, craving {}/10. Check-in streak: {}.",
        saved.date,
        saved.mood,
        saved.craving,
        crate::render::format::days(streak.current)
    ));
    Ok(())
}

/// `waymark evening`: the evening review of a day's check-in.
pub fn evening(ctx: &Ctx, a: EveningArgs) -> Result<()> {
    let date = parse::opt_date("date", a.date.as_deref())?;
    let note = parse::text("note", a.note)?;
    let recovery = ctx.open()?;
    let saved = recovery.write_evening_review(
        date,
        EveningReview {
            rating: a.rating,
            note,
        },
    )?;
    if ctx.out.json {
        return ctx.out.json("evening", &saved);
    }
    say(format!("Evening review saved for {}.", saved.date));
    Ok(())
}

/// `waymark check-ins`.
pub fn check_ins(ctx: &Ctx, r: &DateRange) -> Result<()> {
    let recovery = ctx.open()?;
    let span = range(&recovery, r)?;
    let list = recovery.check_ins(span.from, span.to)?;
    let window = recovery.outside_window(DatedList::CheckIns, span.from, span.to)?;
    let mut table = Table::new(&["date", ">mood", ">craving", "halt", "intention"]);
    for c in &list {
        let halt: String = [
            (c.halt.hungry, 'H'),
            (c.halt.angry, 'A'),
            (c.halt.lonely, 'L'),
            (c.halt.tired, 'T'),
        ]
        .iter()
        .map(|&(on, ch)| if on { ch } else { '·' })
        .collect();
        table.row(vec![
            c.date.to_string(),
            c.mood.to_string(),
            c.craving.to_string(),
            halt,
            c.intention.clone().unwrap_or_default(),
        ]);
    }
    print_windowed(
        ctx,
        "check-ins",
        &list,
        &window,
        &span,
        table,
        ("check-in", "check-ins"),
    )
}

/// `waymark trigger ...`.
pub fn trigger(ctx: &Ctx, command: TriggerCommand) -> Result<()> {
    match command {
        TriggerCommand::Log(a) => {
            let situation = parse::text("situation", a.situation)?;
            let recovery = ctx.open()?;
            let journey_id = a
                .journey
                .as_deref()
                .map(|j| journeys::pick(&recovery, Some(j)))
                .transpose()?;
            let at = match a.at.as_deref() {
                Some(text) => Some(parse::moment(
                    "at",
                    text,
                    &recovery.settings()?.zone(),
                    recovery.now(),
                )?),
                None => None,
            };
            let logged = recovery.log_trigger(TriggerInput {
                at,
                journey_id,
                category: a.category,
                tags: a.tags,
                intensity: a.intensity,
                situation,
                card_id: a.card,
                outcome: a.outcome,
                urge_minutes: a.minutes,
            })?;
            if ctx.out.json {
                return ctx.out.json("trigger log", &logged);
            }
            say(format!("Logged ({}).", logged.id));
            if logged.offer_to_record_lapse {
                say("It ended in a lapse. That is part of recovery, not the end of it. Record it with: waymark lapse record --trigger ".to_owned() + &logged.id.to_string());
            } else {
                let top: Vec<String> = recovery
                    .suggest_cards(a.category)?
                    .into_iter()
                    .take(3)
                    .map(|s| format!("{} ({})", s.card.title, s.card.id))
                    .collect();
                say(format!(
                    "Cards that tend to help you here: {}",
                    top.join(", ")
                ));
            }
            Ok(())
        }
        TriggerCommand::Edit { id, changes: c } => {
            let id = parse::id("id", &id)?;
            let situation = parse::text("situation", c.situation)?;
            let recovery = ctx.open()?;
            let old = recovery.trigger(&id)?;
            let at = match c.at.as_deref() {
                Some(text) => Some(parse::moment(
                    "at",
                    text,
                    &Zone::named_or_utc(&old.time_zone),
                    recovery.now(),
                )?),
                None => None,
            };
            let journey_id = c
                .journey
                .as_deref()
                .map(|j| journeys::pick(&recovery, Some(j)))
                .transpose()?;
            let saved = recovery.edit_trigger(
                &id,
                TriggerPatch {
                    at,
                    journey_id,
                    category: c.category,
                    tags: (!c.tags.is_empty()).then_some(c.tags),
                    intensity: c.intensity,
                    situation,
                    card_id: c.card,
                    outcome: c.outcome,
                    urge_minutes: c.minutes,
                    clear: c.clear,
                },
            )?;
            if ctx.out.json {
                return ctx.out.json("trigger edit", &saved);
            }
            say("Saved.");
            if saved.offer_to_record_lapse {
                say(format!(
                    "It ended in a lapse. When you are ready: waymark lapse record --trigger {}",
                    saved.id
                ));
            }
            Ok(())
        }
        TriggerCommand::List(r) => {
            let recovery = ctx.open()?;
            let span = range(&recovery, &r)?;
            let list = recovery.triggers(span.from, span.to)?;
            let window = recovery.outside_window(DatedList::Triggers, span.from, span.to)?;
            let reckoner = recovery.settings()?.reckoner();
            let mut table = Table::new(&[
                "day",
                "local time",
                "category",
                ">intensity",
                "card",
                "outcome",
                "id",
            ]);
            for t in &list {
                let local = reckoner.local_of(t.at, Some(&t.time_zone));
                let zone_note = if t.time_zone == reckoner.current_zone().name() {
                    String::new()
                } else {
                    format!(" ({})", t.time_zone)
                };
                table.row(vec![
                    reckoner.day_of(t.at, Some(&t.time_zone)).to_string(),
                    format!("{}{zone_note}", local.format("%Y-%m-%d %H:%M")),
                    t.category.name().to_owned(),
                    t.intensity.to_string(),
                    t.card_id.clone().unwrap_or_default(),
                    match t.outcome {
                        Some(UrgeOutcome::Lapsed) => ctx.out.red("lapsed"),
                        Some(o) => o.name().replace('_', " "),
                        None => String::new(),
                    },
                    t.id.to_string(),
                ]);
            }
            print_windowed(
                ctx,
                "trigger list",
                &list,
                &window,
                &span,
                table,
                ("trigger", "triggers"),
            )
        }
    }
}

fn card_table(cards: &[CopingCard]) -> String {
    let mut table = Table::new(&["id", "title", "helps with", "mine"]);
    for c in cards {
        table.row(vec![
            format!("{}{}", if c.favourite { "★ " } else { "" }, c.id),
            c.title.clone(),
            c.helps_with
                .iter()
                .map(|h| h.name())
                .collect::<Vec<_>>()
                .join(", "),
            if c.built_in {
                String::new()
            } else {
                "yes".into()
            },
        ]);
    }
    table.render()
}

/// `waymark cards ...`.
pub fn cards(ctx: &Ctx, command: CardsCommand) -> Result<()> {
    let recovery = ctx.open()?;
    match command {
        CardsCommand::List { all } => {
            let cards = recovery.cards(all)?;
            if ctx.out.json {
                return ctx.out.json("cards list", &cards);
            }
            say(card_table(&cards));
        }
        CardsCommand::Suggest { category: c } => {
            let suggestions = recovery.suggest_cards(c)?;
            if ctx.out.json {
                return ctx.out.json("cards suggest", &suggestions);
            }
            let mut table = Table::new(&["id", "title", ">score", ">uses", ">helped"]);
            for s in suggestions.iter().take(10) {
                table.row(vec![
                    s.card.id.clone(),
                    s.card.title.clone(),
                    format!("{:.0}%", s.score * 100.0),
                    s.uses.to_string(),
                    s.helped.to_string(),
                ]);
            }
            say(table.render());
        }
        CardsCommand::Show { id } => {
            let card = recovery.card(&id)?;
            if ctx.out.json {
                return ctx.out.json("cards show", &card);
            }
            say(ctx.out.bold(&card.title));
            for (i, step) in card.steps.iter().enumerate() {
                say(format!("  {}. {step}", i + 1));
            }
        }
        CardsCommand::Use {
            id,
            helped,
            category: c,
        } => {
            let outcome = match helped {
                Helped::Yes => CardOutcome::Helped,
                Helped::Somewhat => CardOutcome::HelpedSomewhat,
                Helped::No => CardOutcome::DidNotHelp,
            };
            let used = recovery.use_card(&id, outcome, c, None)?;
            if ctx.out.json {
                return ctx.out.json("cards use", &used);
            }
            say("Noted. Suggestions learn from this.");
        }
        CardsCommand::Add {
            title,
            steps,
            helps_with,
        } => {
            let card = recovery.add_card(CardInput {
                title,
                steps,
                category: CardCategory::MyPlan,
                helps_with,
            })?;
            if ctx.out.json {
                return ctx.out.json("cards add", &card);
            }
            say(format!("Added your card {}.", card.id));
        }
        CardsCommand::FromPlan { reflection, item } => {
            let reflection = parse::id("reflection", &reflection)?;
            let index = item
                .checked_sub(1)
                .ok_or_else(|| crate::error::CliError::invalid("item", "counts from 1"))?;
            let card = recovery.plan_item_to_card(&reflection, index)?;
            if ctx.out.json {
                return ctx.out.json("cards from-plan", &card);
            }
            say(format!(
                "Your plan is now a card: {} ({}).",
                card.title, card.id
            ));
        }
        CardsCommand::Archive { id, undo } => {
            let card = recovery.archive_card(&id, !undo)?;
            if ctx.out.json {
                return ctx.out.json("cards archive", &card);
            }
            say(if undo {
                "Restored."
            } else {
                "Archived: it will not be suggested."
            });
        }
        CardsCommand::Favourite { id, undo } => {
            let card = recovery.set_card_favourite(&id, !undo)?;
            if ctx.out.json {
                return ctx.out.json("cards favourite", &card);
            }
            say(if undo {
                "Unmarked."
            } else {
                "Marked as a favourite."
            });
        }
    }
    Ok(())
}
