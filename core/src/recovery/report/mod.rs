//! The progress report: one self-contained, printable HTML document, rendered by the core
//! so the command line (`waymark report`) and the phones (`report_html`, shared from the share
//! sheet) give a therapist the same page.
//!
//! Inline CSS and inline SVG charts: mood and craving trend, a calendar per journey (sober
//! days, lapses, days over a limit), triggers by hour and by weekday, the most helpful coping
//! cards, and the lapses with what was learned from them; the safety plan on a page of its
//! own only when asked. No scripts, no external assets, and a Content Security Policy that
//! forbids loading anything, so opening it makes no network request. Every text the person
//! wrote goes through [`svg::escape`]. It contains what the person wrote: whoever saves it
//! must treat it like an export.

mod svg;

use super::journey::{day_status, Attempt, DayStatus, Lapse, LapseKind};
use super::limits::{format_amount, LimitProgress};
use super::money::Currency;
use super::names::Named;
use super::reflection::ReflectionBody;
use super::review::ProgressReview;
use super::safety_plan::{PlanSection, SafetyPlanView};
use super::words::{count, days, emergency_sentence, mean, month_label, ninety_sentence, times};
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write;
use svg::{escape, Series};

const STYLE: &str = r#"
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2430; max-width: 760px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #d5dae3; }
.sub { color: #5b6575; margin-top: .2em; }
.cards { display: flex; flex-wrap: wrap; gap: .8em; }
.card { border: 1px solid #d5dae3; border-radius: 8px; padding: .6em .9em; min-width: 10em; }
.big { font-size: 1.8em; font-weight: 600; color: #2f7d4f; }
svg { width: 100%; height: auto; } .frame { fill: none; stroke: #d5dae3; }
.axis, .legend, .label { font: 12px system-ui, sans-serif; fill: #5b6575; } .legend { font-weight: 600; } .label { fill: #1d2430; }
.sober { fill: #3f9d63; } .today { fill: #9ad3ad; } .lapse { fill: #d9534f; } .relapse { fill: #8f2d2a; } .over { fill: #e0a030; } .none { fill: #eef1f5; }
.kind { font-style: italic; color: #2f7d4f; }
.lapse-block { border-left: 4px solid #d9534f; padding: .2em .8em; margin: .8em 0; }
.plan { break-before: page; page-break-before: always; } .plan h3 { margin-bottom: .2em; } .plan li { margin: .2em 0; } .check { color: #9a5b00; }
table.weeks { border-collapse: collapse; margin-top: .4em; } table.weeks td, table.weeks th { padding: .1em .6em; border-bottom: 1px solid #eef1f5; text-align: right; } .overweek { color: #b5651d; font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media print { body { margin: 0; } h2 { break-after: avoid; } svg, .card, .lapse-block { break-inside: avoid; } }
"#;

/// The report's HTML for `review`, with money in `currency`, and the safety plan on a page
/// of its own when `plan` is given.
pub fn html(r: &ProgressReview, currency: &Currency, plan: Option<&SafetyPlanView>) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="viewport" content="width=device-width"><title>Waymark progress report</title><style>{STYLE}</style></head><body><header><h1>Progress report</h1><p class="sub">{} to {} · made with Waymark on {}</p></header><main>"#,
        r.from, r.to, r.today
    );

    h.push_str(r#"<h2>Journeys</h2><div class="cards">"#);
    for j in &r.journeys {
        let c = &j.counter;
        let word = if j.limit.is_some() {
            "within the limit"
        } else {
            "sober"
        };
        let _ = write!(
            h,
            r#"<div class="card"><div>{}</div><div class="big">{}</div><div>longest {} · {} {word} in all</div><div>{} {word} in this period{}</div>{}{}</div>"#,
            escape(&j.journey.name),
            days(c.current_streak_days),
            days(c.longest_streak_days),
            days(c.total_sober_days),
            days(j.sober_days_in_range),
            if j.money_saved_cents_in_range > 0 {
                format!(" · saved {}", currency.format(j.money_saved_cents_in_range))
            } else {
                String::new()
            },
            j.milestones
                .as_ref()
                .and_then(|m| m.next.as_ref().map(|n| (n, m.days_to_next)))
                .map(|(n, to_go)| format!(
                    "<div>next: {} on {}{}</div>",
                    escape(&n.label),
                    n.due_on,
                    to_go
                        .map(|d| format!(" ({} to go)", days(d)))
                        .unwrap_or_default()
                ))
                .unwrap_or_default(),
            j.limit.as_ref().map(limit_block).unwrap_or_default(),
        );
    }
    let _ = write!(
        h,
        r#"<div class="card"><div>check-ins</div><div class="big">{} / {}</div><div>{}mean mood {} · mean craving {}</div></div></div>"#,
        r.check_ins.count,
        r.check_ins.possible_days,
        r.check_ins
            .first_check_in
            .filter(|first| *first > r.from)
            .map(|first| format!("days since the first check-in on {first} · "))
            .unwrap_or_default(),
        mean(r.check_ins.mean_mood),
        mean(r.check_ins.mean_craving)
    );

    // The chart starts at the first check-in: the days before it have nothing to show.
    let chart_from = r
        .check_ins
        .first_check_in
        .map_or(r.from, |first| first.max(r.from));
    let shown: Vec<_> = r
        .mood_series
        .iter()
        .filter(|d| d.date >= chart_from)
        .collect();
    if !shown.is_empty() {
        h.push_str("<h2>Mood and craving (7-day average)</h2>");
        h.push_str(&svg::trend(
            &[
                Series {
                    name: "mood (1-5)",
                    color: "#2f6db5",
                    values: shown.iter().map(|d| d.mood_avg_7).collect(),
                    min: 1.0,
                    max: 5.0,
                },
                Series {
                    name: "craving (0-10)",
                    color: "#c0622f",
                    values: shown.iter().map(|d| d.craving_avg_7).collect(),
                    min: 0.0,
                    max: 10.0,
                },
            ],
            chart_from,
            r.to,
            "Mood and craving, 7-day average",
        ));
    }

    let reached: Vec<_> = r
        .journeys
        .iter()
        .flat_map(|j| j.milestones_reached_in_range.iter().map(move |m| (j, m)))
        .collect();
    if !reached.is_empty() {
        h.push_str("<h2>Milestones reached</h2><ul>");
        for (j, m) in reached {
            let _ = write!(
                h,
                "<li>{} · {} on {} (attempt {})</li>",
                escape(&j.journey.name),
                escape(&m.label),
                m.due_on,
                m.attempt
            );
        }
        h.push_str("</ul>");
    }

    for j in &r.journeys {
        let _ = write!(h, "<h2>Sober days: {}</h2>", escape(&j.journey.name));
        h.push_str(&calendar(
            &j.counter.attempts,
            &j.lapses,
            r.from.max(r.to - Duration::days(370)),
            r.to,
            r.today,
        ));
        h.push_str(r#"<p class="sub"><svg viewBox="0 0 520 14" style="width:520px" aria-hidden="true" focusable="false"><rect class="sober" width="10" height="10" y="2"/><text x="14" y="11" class="axis">sober</text><rect class="today" x="70" width="10" height="10" y="2"/><text x="84" y="11" class="axis">today</text><rect class="lapse" x="140" width="10" height="10" y="2"/><text x="154" y="11" class="axis">lapse</text><rect class="relapse" x="210" width="10" height="10" y="2"/><text x="224" y="11" class="axis">relapse</text><rect class="none" x="290" width="10" height="10" y="2"/><text x="304" y="11" class="axis">before the journey</text></svg></p>"#);
    }

    let t = &r.triggers;
    let _ = write!(
        h,
        "<h2>Triggers</h2><p>{} logged · {} passed · {} still struggling · {} ended in a lapse · mean intensity {}</p>",
        t.total, t.passed, t.still_struggling, t.lapsed, mean(t.mean_intensity)
    );
    if t.total > 0 {
        h.push_str("<h3>By hour of day</h3>");
        let hours: Vec<String> = (0..24)
            .map(|i| {
                if i % 3 == 0 {
                    format!("{i}h")
                } else {
                    String::new()
                }
            })
            .collect();
        let hour_names: Vec<String> = (0..24).map(|i| format!("{i:02}:00")).collect();
        h.push_str(&svg::bars(
            &t.by_hour,
            &hours,
            ("hour", &hour_names),
            "#7a5fb0",
            "Triggers by hour of day",
        ));
        h.push_str("<h3>By weekday</h3>");
        let weekdays: Vec<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        h.push_str(&svg::bars(
            &t.by_weekday,
            &weekdays,
            ("weekday", &weekdays),
            "#7a5fb0",
            "Triggers by weekday",
        ));
        h.push_str("<h3>By kind</h3>");
        let (counts, names): (Vec<i32>, Vec<String>) = t
            .by_category
            .iter()
            .map(|c| (c.count, c.category.name().to_owned()))
            .unzip();
        h.push_str(&svg::bars(
            &counts,
            &names,
            ("kind", &names),
            "#5f86b0",
            "Triggers by kind",
        ));
    }

    if !r.most_helpful_cards.is_empty() {
        h.push_str("<h2>Coping cards that helped most</h2>");
        let rows: Vec<(String, i32, i32)> = r
            .most_helpful_cards
            .iter()
            .map(|c| (c.title.clone(), c.helped, c.uses))
            .collect();
        h.push_str(&svg::horizontal(
            &rows,
            "#3f9d63",
            "Coping cards: times they helped of times used",
        ));
    }

    if !r.lapses.is_empty() {
        h.push_str("<h2>Lapses and what they taught</h2>");
        for l in &r.lapses {
            let what = match l.lapse.kind {
                LapseKind::Lapse => "lapse".to_owned(),
                LapseKind::Relapse => format!("relapse of {}", days(l.days)),
                LapseKind::OverLimit => "over the limit".to_owned(),
            };
            let _ = write!(
                h,
                r#"<div class="lapse-block"><strong>{}</strong> · {} · {}"#,
                l.lapse.date,
                escape(&l.journey_name),
                escape(&what)
            );
            for reflection in &l.reflections {
                match &reflection.body {
                    ReflectionBody::Lapse(body) => {
                        if let Some(learned) = &body.what_i_learned {
                            let _ = write!(h, "<p>Learned: {}</p>", escape(learned));
                        }
                        if let Some(kind) = &body.kind_word {
                            let _ =
                                write!(h, r#"<p class="kind">A kind word: {}</p>"#, escape(kind));
                        }
                    }
                    ReflectionBody::ChainAnalysis(chain) => {
                        if let Some(event) = &chain.prompting_event {
                            let _ = write!(h, "<p>What set it off: {}</p>", escape(event));
                        }
                        let skills: Vec<&str> = chain
                            .links
                            .iter()
                            .filter_map(|l| l.skill.as_deref())
                            .collect();
                        if !skills.is_empty() {
                            h.push_str("<p>Skills for next time:</p><ul>");
                            for skill in skills {
                                let _ = write!(h, "<li>{}</li>", escape(skill));
                            }
                            h.push_str("</ul>");
                        }
                        if let Some(repair) = &chain.repair {
                            let _ = write!(h, "<p>Repair: {}</p>", escape(repair));
                        }
                    }
                }
                let plan = reflection.body.next_time();
                if !plan.is_empty() {
                    h.push_str("<p>Next time:</p><ul>");
                    for item in plan {
                        let _ = write!(h, "<li>{}</li>", escape(&item.text));
                    }
                    h.push_str("</ul>");
                }
            }
            h.push_str("</div>");
        }
    }

    let s = &r.support;
    let _ = writeln!(
        h,
        "<h2>Support</h2><p>{} · reached out {} · {}</p>",
        count(i64::from(s.meetings), "meeting", "meetings"),
        times(i64::from(s.outreach)),
        escape(&ninety_sentence(&s.ninety_in_ninety))
    );
    if let Some(plan) = plan {
        h.push_str(&safety_plan_page(plan));
    }
    h.push_str("</main></body></html>\n");
    h
}

/// The sober-day calendar from `from` to `to` as SVG, whole weeks, Monday first.
fn calendar(
    attempts: &[Attempt],
    lapses: &[Lapse],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> String {
    let start = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let mut weeks: Vec<[&str; 7]> = Vec::new();
    let mut labels = Vec::new();
    let mut monday = start;
    while monday <= to {
        // A month's label on the week holding its 1st, unless the previous one is too close
        // to fit beside it.
        let room = labels
            .last()
            .is_none_or(|(week, _): &(usize, String)| weeks.len() >= week + 3);
        if let Some(month) = month_label(monday, weeks.is_empty()) {
            if room {
                labels.push((weeks.len(), month));
            }
        }
        let mut week = [""; 7];
        for (d, slot) in week.iter_mut().enumerate() {
            let day = monday + Duration::days(d as i64);
            if day < from || day > to {
                continue;
            }
            *slot = match day_status(attempts, lapses, day, today) {
                DayStatus::Sober => "sober",
                DayStatus::Today => "today",
                DayStatus::Lapse => "lapse",
                DayStatus::Relapse => "relapse",
                DayStatus::OverLimit => "over",
                DayStatus::Future => "",
                DayStatus::BeforeStart => "none",
            };
        }
        weeks.push(week);
        monday += Duration::weeks(1);
    }
    // In words: how many days of each kind, and the days that were not sober.
    let count_of = |class: &str| weeks.iter().flatten().filter(|c| **c == class).count();
    let mut parts = vec![format!("{} sober", count_of("sober") + count_of("today"))];
    for (class, word) in [
        ("lapse", "with a lapse"),
        ("relapse", "in a relapse"),
        ("over", "over the limit"),
    ] {
        let n = count_of(class);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    let mut hard: Vec<String> = lapses
        .iter()
        .filter(|l| l.date >= from && l.date <= to)
        .map(|l| l.date.to_string())
        .collect();
    hard.sort();
    let summary = format!(
        "Calendar, {from} to {to}: days {}{}",
        parts.join(", "),
        if hard.is_empty() {
            String::new()
        } else {
            format!("; not sober from {}", hard.join(", "))
        }
    );
    svg::calendar(&weeks, &labels, &summary)
}

/// The safety plan on a page of its own (printed on a new sheet), for `--with-safety-plan`.
fn safety_plan_page(plan: &SafetyPlanView) -> String {
    let mut h = String::from(r#"<section class="plan"><h2>My safety plan</h2>"#);
    for section in &plan.sections {
        let heading = match section.step {
            0 => escape(&section.title),
            step => format!("{step}. {}", escape(&section.title)),
        };
        let _ = write!(h, "<h3>{heading}</h3><ul>");
        for item in &section.items {
            let mut text = escape(&item.text);
            if let Some(card) = &item.card {
                if text.is_empty() {
                    text = escape(&card.title);
                } else {
                    let _ = write!(text, " (card: {})", escape(&card.title));
                }
            }
            if let Some(contact) = &item.contact {
                let _ = write!(text, " {}", escape(&contact.name));
                if let Some(phone) = &contact.phone {
                    let _ = write!(text, " · {}", escape(phone));
                }
            }
            if let Some(phone) = &item.phone {
                let _ = write!(text, " · {}", escape(phone));
            }
            let _ = write!(h, "<li>{}</li>", text.trim());
        }
        if section.section == PlanSection::Professionals {
            for line in &plan.crisis_lines {
                let check = if line.confirmed {
                    String::new()
                } else {
                    r#" <span class="check">(check this number)</span>"#.to_owned()
                };
                let _ = write!(
                    h,
                    "<li>{} · {} · {}{check}</li>",
                    escape(&line.name),
                    escape(&line.number),
                    escape(&line.about)
                );
            }
        }
        h.push_str("</ul>");
    }
    let _ = write!(
        h,
        "<p>{}</p></section>",
        escape(&emergency_sentence(plan.emergency_number.as_deref()))
    );
    h
}

/// A limit goal's standing and weekly totals, for its journey card.
fn limit_block(p: &LimitProgress) -> String {
    let mut h = format!(
        "<div>{} of {} days within the limit ({}%) · none at all on {} ({}%)</div><table class=\"weeks\"><tr><th>week of</th><th>{}</th><th>limit</th></tr>",
        p.days_within,
        p.days_tracked,
        p.percent_within,
        p.days_abstinent,
        p.percent_abstinent,
        escape(&p.limit.unit),
    );
    for w in p.weeks.iter().rev().take(8).rev() {
        let class = if w.over { r#" class="overweek""# } else { "" };
        let _ = write!(
            h,
            "<tr{class}><td>{}</td><td>{}</td><td>{}</td></tr>",
            w.week_start,
            format_amount(w.total_hundredths),
            format_amount(w.limit_hundredths)
        );
    }
    h.push_str("</table>");
    h
}
