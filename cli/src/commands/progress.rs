//! `progress`, `review` and `demo`: how recovery is going, for people and for scripts.

use super::{note, say, Ctx};
use crate::args::{CalendarShows, DemoArgs, Period, ProgressArgs, ReviewArgs};
use crate::error::{CliError, Result};
use crate::output::Out;
use crate::parse;
use crate::render::calendar::{self, Cell};
use crate::render::format::{count, days, label, mean, minutes};
use crate::render::spark::sparkline;
use crate::render::table::Table;
use crate::session;
use chrono::NaiveDate;
use std::time::Instant;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::journey::DayStatus;
use waymark_core::recovery::limits::format_amount;
use waymark_core::recovery::money::Currency;
use waymark_core::recovery::names::Named;
use waymark_core::recovery::review::{ProgressReview, ReviewRange};
use waymark_core::recovery::screens::ProgressScreen;
use waymark_core::recovery::Recovery;
use waymark_core::KdfParams;

/// The progress screen over the 12 weeks the calendar shows, from the core, for every active
/// journey or the one named.
pub fn gather(recovery: &Recovery, journey: Option<&str>) -> Result<ProgressScreen> {
    let today = recovery.today()?;
    let mut p = recovery.progress(ReviewRange::Between {
        from: calendar::first_day(today),
        to: today,
    })?;
    if let Some(text) = journey {
        let all = recovery.journeys()?;
        let chosen = super::journeys::find(&all, text)?.id;
        p.journeys.retain(|j| j.journey.id == chosen);
        if p.journeys.is_empty() {
            return Err(CliError::invalid(
                "journey",
                "is archived: unarchive it with `waymark journey archive NAME --undo`",
            ));
        }
    }
    Ok(p)
}

/// `waymark progress`.
pub fn progress(ctx: &Ctx, args: &ProgressArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let p = gather(&recovery, args.journey.as_deref())?;
    if ctx.out.json {
        return ctx.out.json("progress", &p);
    }
    print_progress(
        &ctx.out,
        &p,
        args.calendar,
        &recovery.settings()?.currency(),
    );
    Ok(())
}

/// `waymark home`: the phone's home screen, on the command line.
pub fn home(ctx: &Ctx) -> Result<()> {
    let recovery = ctx.open()?;
    let h = recovery.home()?;
    if ctx.out.json {
        return ctx.out.json("home", &h);
    }
    let out = &ctx.out;
    say(out.bold(&h.today.format("%A %-d %B %Y").to_string()));
    if h.journeys.is_empty() {
        say("No journeys yet. Start one: waymark journey add --name NAME --since YYYY-MM-DD");
    }
    for j in &h.journeys {
        let c = &j.counter;
        let now = match (&j.limit, c.next_attempt_starts_on) {
            (Some(limit), _) => super::help::limit_sentence(limit),
            (None, Some(start)) => format!(
                "a new attempt starts {start}; {} sober in all",
                days(c.total_sober_days)
            ),
            (None, None) => format!("{} sober", days(c.current_streak_days)),
        };
        let next = match (&j.milestones.next, j.milestones.days_to_next) {
            (Some(next), Some(to_go)) => format!(
                " · next: {} on {} ({} to go)",
                out.yellow(&next.label),
                next.due_on,
                days(to_go)
            ),
            _ => String::new(),
        };
        say(format!("  {}: {now}{next}", j.journey.name));
    }
    match &h.check_in_today {
        Some(c) => say(format!(
            "  Today's check-in: mood {}/5, craving {}/10{}",
            c.mood,
            c.craving,
            if c.evening_review.is_some() {
                ", evening review written"
            } else {
                ""
            }
        )),
        None => say("  Today's check-in: not yet (waymark check-in --mood N --craving N)"),
    }
    say(format!(
        "  Check-in streak: {}",
        days(h.check_in_streak.current)
    ));
    for j in &h.journeys {
        let reached: Vec<&waymark_core::recovery::screens::MilestoneToCelebrate> = h
            .to_celebrate
            .iter()
            .filter(|m| m.journey_id == j.journey.id)
            .collect();
        let (Some(first), Some(last)) = (reached.first(), reached.last()) else {
            continue;
        };
        let labels: Vec<&str> = reached.iter().map(|m| m.milestone.label.as_str()).collect();
        let name = &first.journey_name;
        let journey = if name.contains(char::is_whitespace) {
            format!("\"{name}\"")
        } else {
            name.clone()
        };
        say(format!(
            "  {} ({name}): {}. Celebrate it with waymark milestones --journey {journey} --acknowledge {}",
            out.green("Reached"),
            labels.join(", "),
            last.milestone.key
        ));
    }
    let cards: Vec<String> = h
        .suggested_cards
        .iter()
        .map(|s| format!("{} ({})", s.card.title, s.card.id))
        .collect();
    if !cards.is_empty() {
        let why = match h.frequent_trigger {
            Some(category) => format!("for {}, your most frequent trigger lately", category.name()),
            None => "to keep at hand".to_owned(),
        };
        say(format!("  Cards {why}: {}", cards.join(", ")));
    }
    for line in
        crate::render::format::unreadable(h.damaged_records, h.newer_records, h.quarantined_records)
    {
        say(out.red(&format!("  {line}")));
    }
    Ok(())
}

/// The cell of `day` in a calendar that starts on `from` with one status per day.
fn status_cell(statuses: &[DayStatus], from: NaiveDate, day: NaiveDate) -> Cell {
    let index = usize::try_from((day - from).num_days()).ok();
    index
        .and_then(|i| statuses.get(i))
        .map_or(Cell::Future, |status| calendar::cell_of(*status))
}

/// Prints progress for people, with money in `currency`.
pub fn print_progress(out: &Out, p: &ProgressScreen, shows: CalendarShows, currency: &Currency) {
    if p.journeys.is_empty() {
        say("No journeys yet. Start one: waymark journey add --name NAME --since YYYY-MM-DD");
    }
    for jp in &p.journeys {
        let c = &jp.counter;
        if let Some(limit) = &jp.limit {
            say(out.bold(&format!(
                "{}: at most {} {} a {}",
                jp.journey.name,
                format_amount(limit.limit.amount_hundredths),
                limit.limit.unit,
                label(&limit.limit.per)
            )));
            say(format!("  {}", super::help::limit_sentence(limit)));
            let mut table = Table::new(&["week of", &limit.limit.unit, "limit", ""]);
            for w in limit.weeks.iter().rev().take(6).rev() {
                table.row(vec![
                    w.week_start.to_string(),
                    format_amount(w.total_hundredths),
                    format_amount(w.limit_hundredths),
                    if w.over {
                        out.yellow("over")
                    } else {
                        String::new()
                    },
                ]);
            }
            for line in table.render().lines() {
                say(format!("  {line}"));
            }
        } else if c.next_attempt_starts_on.is_some() {
            say(out.bold(&format!("{}: a new start", jp.journey.name)));
            say(format!("  {}", super::journeys::attempt_sentence(c)));
        } else {
            say(out.bold(&format!(
                "{}: {} sober",
                jp.journey.name,
                days(c.current_streak_days)
            )));
            say(format!(
                "  {}d {}h {}m since {}{}",
                c.elapsed_days,
                c.elapsed_hours,
                c.elapsed_minutes,
                jp.milestones.attempt_start,
                if c.attempts.len() > 1 {
                    format!(" (attempt {})", c.attempts.len())
                } else {
                    String::new()
                }
            ));
        }
        if jp.limit.is_none() {
            say(format!(
                "  longest {} · {} sober in all · last 30 / 90 / 365 days: {} / {} / {}",
                days(c.longest_streak_days),
                days(c.total_sober_days),
                c.sober_days_last_30,
                c.sober_days_last_90,
                c.sober_days_last_365
            ));
        }
        let mut saved = Vec::new();
        if jp.journey.daily_cost_cents.is_some() {
            saved.push(format!(
                "saved {} this attempt ({} in all)",
                currency.format(c.money_saved_cents_current),
                currency.format(c.money_saved_cents_total),
            ));
        }
        if jp.journey.daily_minutes.is_some() {
            saved.push(format!(
                "time regained {} ({} in all)",
                minutes(c.minutes_saved_current),
                minutes(c.minutes_saved_total)
            ));
        }
        if !saved.is_empty() {
            say(format!("  {}", saved.join(" · ")));
        }
        let reached: Vec<&str> = jp
            .milestones
            .reached
            .iter()
            .map(|m| m.label.as_str())
            .collect();
        if !reached.is_empty() {
            say(format!("  reached: {}", out.green(&reached.join(", "))));
        }
        if let (Some(next), Some(to_go)) = (&jp.milestones.next, jp.milestones.days_to_next) {
            say(format!(
                "  next: {} on {} ({} to go)",
                out.yellow(&next.label),
                next.due_on,
                days(to_go)
            ));
        }
        say("");
        if matches!(shows, CalendarShows::Sober) {
            say(out.bold("  Last 12 weeks"));
            let map = calendar::render(out, p.today, |d| status_cell(&jp.days, p.from, d));
            for line in map.lines() {
                say(format!("  {line}"));
            }
            let legend = if jp.journey.limit.is_some() {
                calendar::limit_legend(out)
            } else {
                calendar::sober_legend(out)
            };
            say(format!("  {legend}"));
            say("");
        }
    }
    if matches!(shows, CalendarShows::Mood) {
        say(out.bold("Mood, last 12 weeks"));
        let map = calendar::render(out, p.today, |d| {
            if d > p.today {
                return Cell::Future;
            }
            p.days
                .iter()
                .find(|point| point.date == d)
                .and_then(|point| point.mood)
                .map_or(Cell::Empty, Cell::Mood)
        });
        say(map);
        say(calendar::mood_legend(out));
        say("");
    }
    let moods: Vec<Option<f64>> = p
        .last_30_days
        .iter()
        .map(|d| d.mood.map(f64::from))
        .collect();
    let cravings: Vec<Option<f64>> = p
        .last_30_days
        .iter()
        .map(|d| d.craving.map(f64::from))
        .collect();
    let avg = |v: &[Option<f64>]| {
        let known: Vec<f64> = v.iter().flatten().copied().collect();
        (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
    };
    say(out.bold("Last 30 days"));
    say(format!(
        "  mood     {}  mean {} of 5",
        sparkline(&moods, 1.0, 5.0),
        mean(avg(&moods))
    ));
    say(format!(
        "  craving  {}  mean {} of 10",
        sparkline(&cravings, 0.0, 10.0),
        mean(avg(&cravings))
    ));
    let s = &p.check_in_streak;
    say(format!(
        "  check-ins: streak {}, longest {}, {} in all",
        days(s.current),
        days(s.longest),
        s.total
    ));
    if !p.journeys.is_empty() && p.check_in_streak.total == 0 {
        say("  No check-ins yet: `waymark check-in --mood 4 --craving 2` takes a few seconds.");
    }
    for line in
        crate::render::format::unreadable(p.damaged_records, p.newer_records, p.quarantined_records)
    {
        say(out.red(&format!("  {line}")));
    }
}

fn review_range(args: &ReviewArgs) -> Result<ReviewRange> {
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        return Ok(ReviewRange::Between {
            from: parse::date("from", from)?,
            to: parse::date("to", to)?,
        });
    }
    Ok(period(args.range))
}

/// The core's range for a period.
pub fn period(p: Period) -> ReviewRange {
    match p {
        Period::Week => ReviewRange::Week,
        Period::Month => ReviewRange::Month,
        Period::Year => ReviewRange::Year,
        Period::All => ReviewRange::AllTime,
    }
}

/// `waymark review`.
pub fn review(ctx: &Ctx, args: &ReviewArgs) -> Result<()> {
    let range = review_range(args)?;
    let recovery = ctx.open()?;
    let review = recovery.review_progress(range)?;
    if ctx.out.json {
        return ctx.out.json("review", &review);
    }
    print_review(&ctx.out, &review, &recovery.settings()?.currency());
    Ok(())
}

/// Prints a review for people.
pub fn print_review(out: &Out, r: &ProgressReview, currency: &Currency) {
    say(out.bold(&format!("Review {} to {}", r.from, r.to)));
    for j in &r.journeys {
        let now = match j.counter.next_attempt_starts_on {
            Some(start) => format!("a new attempt starts {start}"),
            None => format!("{} now", days(j.counter.current_streak_days)),
        };
        let saved = if j.journey.daily_cost_cents.is_some() {
            format!("; saved {}", currency.format(j.money_saved_cents_in_range))
        } else {
            String::new()
        };
        let word = if j.limit.is_some() {
            "within the limit"
        } else {
            "sober"
        };
        say(format!(
            "  {}: {} {word} in this period, {now}{saved}",
            j.journey.name,
            days(j.sober_days_in_range),
        ));
        for m in &j.milestones_reached_in_range {
            say(format!(
                "    reached {} on {} (attempt {})",
                out.green(&m.label),
                m.due_on,
                m.attempt
            ));
        }
    }
    let c = &r.check_ins;
    say(format!(
        "  check-ins: {} of {} · mean mood {} · mean craving {}",
        c.count,
        days(c.possible_days),
        mean(c.mean_mood),
        mean(c.mean_craving)
    ));
    let t = &r.triggers;
    say(format!(
        "  triggers: {} · {} passed, {} still struggling, {} lapsed · mean intensity {}",
        t.total,
        t.passed,
        t.still_struggling,
        t.lapsed,
        mean(t.mean_intensity)
    ));
    if t.total > 0 {
        let mut table = Table::new(&["    category", ">count"]);
        for cc in t.by_category.iter().filter(|c| c.count > 0) {
            table.row(vec![
                format!("    {}", cc.category.name()),
                cc.count.to_string(),
            ]);
        }
        say(table.render());
        let hours: Vec<Option<f64>> = t.by_hour.iter().map(|&n| Some(f64::from(n))).collect();
        let peak = t.by_hour.iter().copied().max().unwrap_or(0);
        say(format!(
            "    by hour  {}  (0h to 23h)",
            sparkline(&hours, 0.0, f64::from(peak.max(1)))
        ));
    }
    if !r.most_helpful_cards.is_empty() {
        let mut table = Table::new(&["  most helpful cards", ">uses", ">helped", ">somewhat"]);
        for card in r.most_helpful_cards.iter().take(5) {
            table.row(vec![
                format!("  {}", card.title),
                card.uses.to_string(),
                card.helped.to_string(),
                card.helped_somewhat.to_string(),
            ]);
        }
        say(table.render());
    }
    for l in &r.lapses {
        let what = match l.lapse.kind {
            waymark_core::recovery::journey::LapseKind::Lapse => "lapse".to_owned(),
            waymark_core::recovery::journey::LapseKind::Relapse => {
                format!("relapse of {}", days(l.days))
            }
            waymark_core::recovery::journey::LapseKind::OverLimit => "over the limit".to_owned(),
        };
        let finished = l.reflections.iter().filter(|r| !r.draft).count() as i64;
        let drafts = l.reflections.len() as i64 - finished;
        let over_limit = l.lapse.kind == waymark_core::recovery::journey::LapseKind::OverLimit;
        let reflections = match (finished, drafts) {
            (0, 0) if over_limit => "a day to learn from: waymark entry write".to_owned(),
            (0, 0) => "no reflection yet (waymark reflect)".to_owned(),
            (f, 0) => count(f, "reflection", "reflections"),
            (0, d) => format!("{} to finish", count(d, "draft", "drafts")),
            (f, d) => format!(
                "{}, {} to finish",
                count(f, "reflection", "reflections"),
                count(d, "draft", "drafts")
            ),
        };
        say(format!(
            "  {} on {} ({}): {reflections}",
            out.red(&what),
            l.lapse.date,
            l.journey_name,
        ));
    }
    let s = &r.support;
    say(format!(
        "  support: {}, reached out {}; {}",
        count(i64::from(s.meetings), "meeting", "meetings"),
        crate::render::format::times(i64::from(s.outreach)),
        waymark_core::recovery::words::ninety_sentence(&s.ninety_in_ninety)
    ));
    if r.damaged_records > 0 {
        say(out.red(&format!(
            "  {} could not be read and {} left out of these figures",
            count(
                i64::from(r.damaged_records),
                "damaged record",
                "damaged records"
            ),
            if r.damaged_records == 1 { "is" } else { "are" }
        )));
    }
}

/// `waymark demo`: a throwaway journal with a generated story, its progress and a month's
/// review, then wiped (unless kept).
pub fn demo(out: Out, args: &DemoArgs) -> Result<()> {
    let dir = tempfile::tempdir()
        .map_err(|e| crate::error::CliError::io("creating", &std::env::temp_dir(), e))?;
    let path = match &args.keep {
        Some(path) => path.clone(),
        None => dir.path().join("demo.db"),
    };
    let zone = session::system_zone();
    let started = Instant::now();
    let (recovery, _code) = session::create(&path, DEMO_PASSPHRASE, KdfParams::RECOMMENDED)?;
    let created_ms = started.elapsed().as_millis();
    recovery.set_time_zone(&zone)?;
    let spec = GeneratorSpec::story(args.seed, args.days, recovery.now(), &zone);
    let started = Instant::now();
    let written = recovery.import(&generate(&spec)?)?;
    let import_ms = started.elapsed().as_millis();
    let progress = gather(&recovery, None)?;
    let review = recovery.review_progress(ReviewRange::Month)?;
    if out.json {
        out.json("demo", &progress)?;
    } else {
        say(out.dim(&format!(
            "Demo journal {} (Argon2id 64 MiB: created in {created_ms} ms), {written} generated records for {} days in {zone}, written in {import_ms} ms.",
            path.display(),
            args.days,
        )));
        say("");
        print_progress(
            &out,
            &progress,
            CalendarShows::Sober,
            &recovery.settings()?.currency(),
        );
        say("");
        print_review(&out, &review, &recovery.settings()?.currency());
        say("");
        say(out.dim(&format!(
            "This was a generated story as of {}. Start your own: waymark init",
            progress.today
        )));
    }
    if args.keep.is_some() {
        note(format!(
            "kept at {} (passphrase \"{DEMO_PASSPHRASE}\")",
            path.display()
        ));
    } else {
        recovery.into_journal().wipe()?;
    }
    Ok(())
}

/// The passphrase of demo journals (they hold generated text only).
pub const DEMO_PASSPHRASE: &str = "demo passphrase";
