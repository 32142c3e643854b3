//! `progress`, `review` and `demo`: how recovery is going, for people and for scripts.

use super::{note, say, Ctx};
use crate::args::{CalendarShows, DemoArgs, Period, ProgressArgs, ReviewArgs};
use crate::error::Result;
use crate::output::Out;
use crate::parse;
use crate::render::calendar::{self, Cell};
use crate::render::format::{count, days, mean, minutes};
use crate::render::spark::sparkline;
use crate::render::table::Table;
use crate::session;
use chrono::NaiveDate;
use serde::Serialize;
use std::time::Instant;
use waymark_core::recovery::check_in::{CheckIn, CheckInStreak};
use waymark_core::recovery::counter::SoberCounter;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::journey::{Journey, Lapse};
use waymark_core::recovery::milestones::MilestoneProgress;
use waymark_core::recovery::money::Currency;
use waymark_core::recovery::names::Named;
use waymark_core::recovery::review::{DayPoint, ProgressReview, ReviewRange};
use waymark_core::recovery::Recovery;
use waymark_core::KdfParams;

/// One journey's progress.
#[derive(Serialize)]
pub struct JourneyProgress {
    /// The journey.
    pub journey: Journey,
    /// Its counter.
    pub counter: SoberCounter,
    /// Its milestones.
    pub milestones: MilestoneProgress,
    /// Its lapses, for the calendar.
    #[serde(skip)]
    pub lapses: Vec<Lapse>,
}

/// Everything `progress` shows.
#[derive(Serialize)]
pub struct Progress {
    /// Today, the person's recovery day.
    pub today: NaiveDate,
    /// Each active journey (or the one asked for).
    pub journeys: Vec<JourneyProgress>,
    /// The check-in streak.
    pub check_in_streak: CheckInStreak,
    /// Mood and craving for the last 30 days, oldest first.
    pub last_30_days: Vec<DayPoint>,
    /// Check-ins of the 12 weeks the calendar shows.
    #[serde(skip)]
    pub calendar_check_ins: Vec<CheckIn>,
    /// The person's currency.
    #[serde(skip)]
    pub currency: Currency,
}

/// Gathers the progress of one journey (by id) or of every active one.
pub fn gather(recovery: &Recovery, journey: Option<&str>) -> Result<Progress> {
    let today = recovery.today()?;
    let all = recovery.journeys()?;
    let chosen: Vec<Journey> = match journey {
        Some(text) => vec![super::journeys::find(&all, text)?.clone()],
        None => all.into_iter().filter(|j| !j.archived).collect(),
    };
    let mut journeys = Vec::new();
    for journey in chosen {
        journeys.push(JourneyProgress {
            counter: recovery.counter(&journey.id)?,
            milestones: recovery.milestones(&journey.id)?,
            lapses: recovery.lapses(&journey.id)?,
            journey,
        });
    }
    let review = recovery.review_progress(ReviewRange::Month)?;
    Ok(Progress {
        today,
        journeys,
        check_in_streak: recovery.check_in_streak()?,
        last_30_days: review.mood_series,
        calendar_check_ins: recovery.check_ins(calendar::first_day(today), today)?,
        currency: recovery.settings()?.currency(),
    })
}

/// `waymark progress`.
pub fn progress(ctx: &Ctx, args: &ProgressArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let p = gather(&recovery, args.journey.as_deref())?;
    if ctx.out.json {
        return ctx.out.json("progress", &p);
    }
    print_progress(&ctx.out, &p, args.calendar);
    Ok(())
}

/// Prints progress for people.
pub fn print_progress(out: &Out, p: &Progress, shows: CalendarShows) {
    if p.journeys.is_empty() {
        say("No journeys yet. Start one: waymark journey add --name NAME --since YYYY-MM-DD");
    }
    for jp in &p.journeys {
        let c = &jp.counter;
        if c.next_attempt_starts_on.is_some() {
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
        say(format!(
            "  longest {} · {} sober in all · last 30 / 90 / 365 days: {} / {} / {}",
            days(c.longest_streak_days),
            days(c.total_sober_days),
            c.sober_days_last_30,
            c.sober_days_last_90,
            c.sober_days_last_365
        ));
        if jp.journey.daily_cost_cents.is_some() || jp.journey.daily_minutes.is_some() {
            say(format!(
                "  saved {} this attempt ({} in all) · time regained {} ({} in all)",
                p.currency.format(c.money_saved_cents_current),
                p.currency.format(c.money_saved_cents_total),
                minutes(c.minutes_saved_current),
                minutes(c.minutes_saved_total)
            ));
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
            let map = calendar::render(out, p.today, |d| {
                calendar::sober_cell(&c.attempts, &jp.lapses, d, p.today)
            });
            for line in map.lines() {
                say(format!("  {line}"));
            }
            say(format!("  {}", calendar::sober_legend(out)));
            say("");
        }
    }
    if matches!(shows, CalendarShows::Mood) {
        say(out.bold("Mood, last 12 weeks"));
        let map = calendar::render(out, p.today, |d| {
            if d > p.today {
                return Cell::Future;
            }
            p.calendar_check_ins
                .iter()
                .find(|c| c.date == d)
                .map_or(Cell::Empty, |c| Cell::Mood(c.mood))
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
        say(format!(
            "  {}: {} sober in this period, {now}{saved}",
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
        let mut table = Table::new(&["  most helpful cards", ">uses", ">helped"]);
        for card in r.most_helpful_cards.iter().take(5) {
            table.row(vec![
                format!("  {}", card.title),
                card.uses.to_string(),
                card.helped.to_string(),
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
        };
        let finished = l.reflections.iter().filter(|r| !r.draft).count() as u64;
        let drafts = l.reflections.len() as u64 - finished;
        let reflections = match (finished, drafts) {
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
        count(u64::from(s.meetings), "meeting", "meetings"),
        crate::render::format::times(u64::from(s.outreach)),
        super::support::ninety_sentence(&s.ninety_in_ninety)
    ));
    if r.damaged_records > 0 {
        say(out.red(&format!(
            "  {} could not be read and {} left out of these figures",
            count(
                u64::from(r.damaged_records),
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
        print_progress(&out, &progress, CalendarShows::Sober);
        say("");
        print_review(&out, &review, &progress.currency);
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
