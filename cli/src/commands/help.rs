//! `safety-plan`, `help-now`, `reminders` and `use`: the commands for hard moments and for
//! staying on track. The core decides everything shown; these present it.

use super::journeys::find;
use super::support::{pick_contact, pick_contact_as};
use super::{say, Ctx};
use crate::args::{
    HelpNowArgs, HelpNowCommand, ReminderChanges, RemindersArgs, RemindersCommand, SafetyItemFlags,
    SafetyPlanArgs, SafetyPlanCommand, UseArgs,
};
use crate::error::{CliError, Result};
use crate::parse;
use crate::render::format::label;
use crate::render::table::Table;
use chrono::NaiveTime;
use waymark_core::recovery::help_now::{CategoryBasis, HelpNow};
use waymark_core::recovery::limits::{format_amount, parse_amount, LimitPeriod, LimitProgress};
use waymark_core::recovery::names::Named;
use waymark_core::recovery::reminders::{RegularMeeting, Reminder, ReminderPrefs};
use waymark_core::recovery::safety_plan::{PlanSection, SafetyItem, SafetyPlanView};
use waymark_core::recovery::words::emergency_sentence;
use waymark_core::recovery::Recovery;

/// The item the flags describe (text from standard input with "-").
fn item(recovery: &Recovery, flags: SafetyItemFlags) -> Result<SafetyItem> {
    Ok(SafetyItem {
        text: parse::text("text", flags.text)?.unwrap_or_default(),
        card_id: flags.card,
        contact_id: flags
            .contact
            .as_deref()
            .map(|c| pick_contact(recovery, c))
            .transpose()?,
        phone: flags.phone,
    })
}

/// `waymark safety-plan`.
pub fn safety_plan(ctx: &Ctx, args: SafetyPlanArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let (name, plan) = match args.command.unwrap_or(SafetyPlanCommand::Show) {
        SafetyPlanCommand::Show => ("safety-plan", recovery.safety_plan()?),
        SafetyPlanCommand::Add {
            section,
            item: flags,
        } => {
            let item = item(&recovery, flags)?;
            ("safety-plan add", recovery.add_safety_item(section, item)?)
        }
        SafetyPlanCommand::Edit {
            section,
            number,
            item: flags,
        } => {
            // Only what is given changes: the item's other parts stay.
            let current = recovery
                .safety_plan()?
                .sections
                .into_iter()
                .find(|s| s.section == section)
                .and_then(|s| s.items.into_iter().find(|i| i.number == number));
            let mut item = item(&recovery, flags)?;
            if let Some(old) = current {
                if item.text.is_empty() {
                    item.text = old.text;
                }
                item.card_id = item.card_id.or(old.card.map(|c| c.id));
                item.contact_id = item.contact_id.or(old.contact.map(|c| c.id));
                item.phone = item.phone.or(old.phone);
            }
            (
                "safety-plan edit",
                recovery.edit_safety_item(section, number, item)?,
            )
        }
        SafetyPlanCommand::Remove { section, number } => (
            "safety-plan remove",
            recovery.remove_safety_item(section, number)?,
        ),
        SafetyPlanCommand::Set { section } => {
            let text = parse::stdin_text("text")?;
            let items = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| SafetyItem {
                    text: l.to_owned(),
                    card_id: None,
                    contact_id: None,
                    phone: None,
                })
                .collect();
            (
                "safety-plan set",
                recovery.set_safety_section(section, items)?,
            )
        }
        SafetyPlanCommand::Confirm { line } => {
            ("safety-plan confirm", recovery.confirm_crisis_line(&line)?)
        }
        SafetyPlanCommand::RemoveLine { line } => (
            "safety-plan remove-line",
            recovery.remove_crisis_line(&line)?,
        ),
        SafetyPlanCommand::Country { code, auto } => {
            let code = if auto { None } else { code };
            (
                "safety-plan country",
                recovery.set_safety_country(code.as_deref())?,
            )
        }
    };
    if ctx.out.json {
        return ctx.out.json(name, &plan);
    }
    print_plan(ctx, &plan);
    Ok(())
}

/// The plan for people.
pub fn print_plan(ctx: &Ctx, plan: &SafetyPlanView) {
    let out = &ctx.out;
    let edited = match plan.updated_at {
        Some(at) => format!("version {}, edited {}", plan.version, at.format("%Y-%m-%d")),
        None => "not written yet".to_owned(),
    };
    say(out.bold(&format!("Safety plan ({edited})")));
    for section in &plan.sections {
        say("");
        let heading = match section.step {
            0 => section.title.clone(),
            step => format!("{step}. {}", section.title),
        };
        say(out.bold(&heading));
        for item in &section.items {
            let mut line = format!("   {}  {}", item.number, item.text);
            if let Some(card) = &item.card {
                line.push_str(&format!("  [card: {} ({})]", card.title, card.id));
            }
            if let Some(contact) = &item.contact {
                line.push_str(&format!("  [{}", contact.name));
                if let Some(phone) = &contact.phone {
                    line.push_str(&format!(" {phone}"));
                }
                line.push(']');
            }
            if let Some(phone) = &item.phone {
                line.push_str(&format!("  {phone}"));
            }
            if item.link_missing {
                line.push_str(&out.dim("  (the card or contact it linked is gone)"));
            }
            say(line);
        }
        if section.items.is_empty() {
            say(out.dim(&format!(
                "   nothing yet: waymark safety-plan add {} \"...\"",
                section.section.name().replace('_', "-")
            )));
        }
        if section.section == PlanSection::Professionals {
            print_lines(ctx, plan);
        }
    }
}

fn print_lines(ctx: &Ctx, plan: &SafetyPlanView) {
    let out = &ctx.out;
    let country = plan
        .country
        .as_deref()
        .map_or("every country listed".to_owned(), |c| c.to_owned());
    say(format!("   Crisis lines ({country}):"));
    for line in &plan.crisis_lines {
        let status = if line.confirmed {
            out.green("confirmed by you")
        } else {
            out.yellow(&format!(
                "check this number (from {}, checked {}); then: waymark safety-plan confirm {}",
                line.source, line.checked_on, line.id
            ))
        };
        say(format!(
            "   {}  {}  {}\n      {}",
            line.name, line.number, line.about, status
        ));
    }
    if plan.crisis_lines.is_empty() {
        say(out.dim("   No starter lines for this country yet: add your own under professionals."));
    }
    if plan.country.is_none() {
        say(out.dim("   Set your country to see only its lines: waymark safety-plan country GB"));
    }
    say(out.dim(&format!(
        "   {}",
        emergency_sentence(plan.emergency_number.as_deref())
    )));
}

/// `waymark help-now`.
pub fn help_now(ctx: &Ctx, args: HelpNowArgs) -> Result<()> {
    let recovery = ctx.open()?;
    match args.command {
        None => {
            let typed = args.intensity.or(args.level);
            let intensity = typed.as_deref().and_then(lenient_intensity);
            let help = recovery.help_now(intensity)?;
            if ctx.out.json {
                return ctx.out.json("help-now", &help);
            }
            let started = recovery.settings()?.zone().local(help.session.started_at);
            print_help(ctx, &help, &started.format("%H:%M").to_string());
            if typed.is_some() && intensity.is_none() {
                say(ctx.out.dim(
                    "(The urge's strength was not noted: it is a number from 0 to 10. That can wait.)",
                ));
            }
        }
        Some(HelpNowCommand::Call { contact }) => {
            let id = pick_contact_as(&recovery, &contact, "CONTACT")?;
            let outreach = recovery.call_from_help_now(&id)?;
            if ctx.out.json {
                return ctx.out.json("help-now call", &outreach);
            }
            say("Logged the call. Reaching out is a skill, and you just used it.");
        }
        Some(HelpNowCommand::End {
            intensity,
            card,
            session,
        }) => {
            let session = session
                .as_deref()
                .map(|s| parse::id("session", s))
                .transpose()?;
            let ended = recovery.end_urge_session(session, intensity, card.as_deref())?;
            if ctx.out.json {
                return ctx.out.json("help-now end", &ended);
            }
            let start = ended
                .session
                .intensity_start
                .map_or(String::new(), |s| format!(" from {s}"));
            say(format!(
                "You rode it out: {} minutes, the urge went{start} to {intensity}.",
                ended.minutes
            ));
            if let (Some(outcome), Some(after)) = (ended.outcome, ended.rank_after) {
                let before = ended
                    .rank_before
                    .map_or(String::new(), |b| format!(" (was #{b})"));
                say(format!(
                    "Noted that the card {}; it now ranks #{after}{before} for moments like this.",
                    label(&outcome).replace('_', " ")
                ));
            }
        }
    }
    Ok(())
}

/// The urge's strength as typed in a hard moment: a whole number 0-10, a decimal rounded,
/// anything above 10 read as 10; `None` for anything else (help now shows all the same).
fn lenient_intensity(text: &str) -> Option<i32> {
    let value: f64 = text.trim().replace(',', ".").parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    Some(value.round().min(10.0) as i32)
}

fn print_help(ctx: &Ctx, help: &HelpNow, started: &str) {
    let out = &ctx.out;
    say(out.bold("You reached for help. That takes strength."));
    say("Breathe out slowly. Urges rise, peak and pass, usually within half an hour.");
    if !help.first_steps.is_empty() {
        say("");
        say(out.bold("First steps, from your plan"));
        for step in &help.first_steps {
            let text = match (&step.card, step.text.trim().is_empty()) {
                (Some(card), true) => card.title.clone(),
                _ => step.text.clone(),
            };
            say(format!("  {}. {text}", step.number));
        }
    }
    say("");
    let why = match &help.likely {
        Some(l) => {
            let when = match l.basis {
                CategoryBasis::ThisHourThisWeekday => "at this hour on this day of the week",
                CategoryBasis::ThisHour => "at this hour",
                CategoryBasis::AllTriggers => "overall",
            };
            format!(
                "Cards that have helped you with {} (what you log most {when})",
                label(&l.category).replace('_', " ")
            )
        }
        None => "Cards to try".to_owned(),
    };
    say(out.bold(&why));
    for (i, card) in help.cards.iter().enumerate() {
        say(format!(
            "  {}. {} ({})",
            i + 1,
            card.card.title,
            card.card.id
        ));
        if let Some(step) = card.card.steps.first() {
            say(out.dim(&format!("     {step}")));
        }
    }
    if !help.people.is_empty() {
        say("");
        say(out.bold("People to call"));
        for p in &help.people {
            say(format!("  {}  {}", p.name, p.phone));
        }
        if help.people.iter().any(|p| p.contact_id.is_some()) {
            say(out
                .dim("  After a call: waymark help-now call NAME (it goes in your outreach log)"));
        }
    }
    say("");
    say(out.bold("Lines to call"));
    for line in &help.lines {
        let check = if line.confirmed {
            String::new()
        } else {
            out.yellow("  (check this number)")
        };
        say(format!("  {}  {}{check}", line.name, line.number));
    }
    say(out.dim(&format!(
        "  {}",
        emergency_sentence(help.emergency_number.as_deref())
    )));
    if !help.reasons.is_empty() {
        say("");
        say(out.bold("Your reasons"));
        for reason in &help.reasons {
            say(format!("  {reason}"));
        }
    }
    say("");
    say(format!(
        "Riding it out since {started}. When it eases: waymark help-now end --intensity N [--card ID]"
    ));
    if help.plan_missing {
        say(out.dim(
            "When things are calmer, write your safety plan: waymark safety-plan add warning-signs \"...\"",
        ));
    }
}

/// `waymark reminders`.
pub fn reminders(ctx: &Ctx, args: RemindersArgs) -> Result<()> {
    let recovery = ctx.open()?;
    match args.command {
        None => {
            let list = recovery.reminders(args.days)?;
            if ctx.out.json {
                return ctx.out.json("reminders", &list);
            }
            print_reminders(&list);
        }
        Some(RemindersCommand::Settings) => {
            let prefs = recovery.reminder_prefs()?;
            if ctx.out.json {
                return ctx.out.json("reminders settings", &prefs);
            }
            print_prefs(&prefs);
        }
        Some(RemindersCommand::Set(changes)) => {
            let prefs = changed(recovery.reminder_prefs()?, changes)?;
            let saved = recovery.set_reminder_prefs(prefs)?;
            if ctx.out.json {
                return ctx.out.json("reminders set", &saved);
            }
            print_prefs(&saved);
        }
        Some(RemindersCommand::AddMeeting { weekday, at, name }) => {
            let mut prefs = recovery.reminder_prefs()?;
            prefs.meetings.push(RegularMeeting {
                weekday,
                at: parse::time("at", &at)?,
                name,
            });
            let saved = recovery.set_reminder_prefs(prefs)?;
            if ctx.out.json {
                return ctx.out.json("reminders add-meeting", &saved);
            }
            print_prefs(&saved);
        }
        Some(RemindersCommand::RemoveMeeting { number }) => {
            let mut prefs = recovery.reminder_prefs()?;
            let index = usize::try_from(number).unwrap_or(0);
            if index == 0 || index > prefs.meetings.len() {
                return Err(CliError::invalid(
                    "NUMBER",
                    "must name a weekly meeting as `reminders settings` lists them",
                ));
            }
            prefs.meetings.remove(index - 1);
            let saved = recovery.set_reminder_prefs(prefs)?;
            if ctx.out.json {
                return ctx.out.json("reminders remove-meeting", &saved);
            }
            print_prefs(&saved);
        }
    }
    Ok(())
}

/// A time flag: HH:MM, or "off".
fn time_or_off(field: &'static str, text: &str) -> Result<Option<NaiveTime>> {
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    parse::time(field, text.trim()).map(Some)
}

fn changed(mut prefs: ReminderPrefs, c: ReminderChanges) -> Result<ReminderPrefs> {
    if let Some(on) = c.enabled {
        prefs.enabled = on.is_on();
    }
    if let Some(text) = &c.check_in {
        prefs.check_in_at = time_or_off("check-in", text)?;
    }
    if let Some(text) = &c.evening {
        prefs.evening_review_at = time_or_off("evening", text)?;
    }
    if let Some(text) = &c.quiet {
        if text.trim().eq_ignore_ascii_case("off") {
            prefs.quiet_from = None;
            prefs.quiet_until = None;
        } else {
            let (from, until) = text.split_once('-').ok_or_else(|| {
                CliError::invalid("quiet", "must be HH:MM-HH:MM (22:00-07:00) or off")
            })?;
            prefs.quiet_from = Some(parse::time("quiet", from.trim())?);
            prefs.quiet_until = Some(parse::time("quiet", until.trim())?);
        }
    }
    if let Some(cap) = c.cap {
        prefs.daily_cap = cap;
    }
    if let Some(lead) = c.meeting_lead {
        prefs.meeting_lead_minutes = lead;
    }
    if let Some(on) = c.milestones {
        prefs.milestones = on.is_on();
    }
    if let Some(on) = c.risky_hours {
        prefs.risky_hours = on.is_on();
    }
    if let Some(on) = c.discreet {
        prefs.discreet = on.is_on();
    }
    Ok(prefs)
}

fn print_reminders(list: &[Reminder]) {
    if list.is_empty() {
        say("Nothing to remind you of in these days.");
        return;
    }
    let mut table = Table::new(&["when (local)", "what", "says"]);
    for r in list {
        table.row(vec![
            r.local_time.format("%a %Y-%m-%d %H:%M").to_string(),
            label(&r.kind).replace('_', " "),
            format!("{}: {}", r.title, r.body),
        ]);
    }
    say(table.render());
}

fn print_prefs(p: &ReminderPrefs) {
    let time = |t: Option<NaiveTime>| t.map_or("off".to_owned(), |t| t.format("%H:%M").to_string());
    let on = |b: bool| if b { "on" } else { "off" };
    say(format!("reminders      {}", on(p.enabled)));
    say(format!("check-in       {}", time(p.check_in_at)));
    say(format!("evening review {}", time(p.evening_review_at)));
    let quiet = match (p.quiet_from, p.quiet_until) {
        (Some(a), Some(b)) => format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")),
        _ => "off".to_owned(),
    };
    say(format!("quiet hours    {quiet}"));
    say(format!("at most        {} a day", p.daily_cap));
    say(format!("milestones     {}", on(p.milestones)));
    say(format!("risky hours    {}", on(p.risky_hours)));
    say(format!("discreet words {}", on(p.discreet)));
    say(format!(
        "meetings       {} min before",
        p.meeting_lead_minutes
    ));
    for (i, m) in p.meetings.iter().enumerate() {
        say(format!(
            "  {}. {} {}{}",
            i + 1,
            label(&m.weekday),
            m.at.format("%H:%M"),
            m.name
                .as_deref()
                .map_or(String::new(), |n| format!("  {n}"))
        ));
    }
}

/// `waymark use`.
pub fn log_use(ctx: &Ctx, args: UseArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let journeys = recovery.journeys()?;
    let journey = match args.journey.as_deref() {
        Some(text) => find(&journeys, text)?.clone(),
        None => {
            let limited: Vec<_> = journeys
                .iter()
                .filter(|j| !j.archived && j.limit.is_some())
                .collect();
            match limited.as_slice() {
                [only] => (*only).clone(),
                [] => {
                    return Err(CliError::invalid(
                        "journey",
                        "there is no journey with a limit goal: journey add --name NAME --since DATE --limit N --unit NAME",
                    ))
                }
                _ => {
                    return Err(CliError::invalid(
                        "journey",
                        "there are several limit goals: pass --journey NAME",
                    ))
                }
            }
        }
    };
    if args.list {
        let uses = recovery.uses(&journey.id)?;
        if ctx.out.json {
            return ctx.out.json("use list", &uses);
        }
        let unit = journey.limit.as_ref().map_or("", |l| l.unit.as_str());
        let mut table = Table::new(&["day", unit, "id"]);
        for u in &uses {
            table.row(vec![
                u.date.to_string(),
                format_amount(u.amount_hundredths),
                u.id.to_string(),
            ]);
        }
        say(table.render());
        return Ok(());
    }
    let amount = parse_amount("amount", args.amount.as_deref().unwrap_or_default())?;
    let date = parse::opt_date("date", args.date.as_deref())?;
    let logged = recovery.log_use(&journey.id, amount, date)?;
    let progress = recovery.limit_progress(&journey.id)?;
    if ctx.out.json {
        return ctx.out.json("use", &logged);
    }
    let unit = journey.limit.as_ref().map_or("", |l| l.unit.as_str());
    say(format!(
        "Logged {} ({unit}) for {} ({}).",
        format_amount(logged.amount_hundredths),
        logged.date,
        logged.id
    ));
    if let Some(p) = progress {
        say(limit_sentence(&p));
    }
    Ok(())
}

/// How a limit goal stands, in one or two sentences (also used by `progress`).
pub fn limit_sentence(p: &LimitProgress) -> String {
    let unit = &p.limit.unit;
    let limit = format_amount(p.limit.amount_hundredths);
    let (so_far, period) = match p.limit.per {
        LimitPeriod::Day => (p.today_hundredths, "today"),
        LimitPeriod::Week => (p.this_week_hundredths, "this week"),
    };
    let standing = if so_far > p.limit.amount_hundredths {
        match p.limit.per {
            LimitPeriod::Day => "over the limit; tomorrow is a new day".to_owned(),
            LimitPeriod::Week => "over this week's limit; a new week starts on Monday".to_owned(),
        }
    } else if p.left_hundredths == 0 {
        "at the limit".to_owned()
    } else {
        format!("{} left", format_amount(p.left_hundredths))
    };
    format!(
        "{period}: {} of {limit} {unit} ({standing}). Before today: within the limit {} of {} days ({}%), none at all on {} ({}%); {} in a row, longest {}.",
        format_amount(so_far),
        p.days_within,
        p.days_tracked,
        p.percent_within,
        p.days_abstinent,
        p.percent_abstinent,
        p.current_streak_days,
        p.longest_streak_days
    )
}
