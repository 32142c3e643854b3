//! A tour of the encrypted journal store and the recovery domain, on a throwaway journal in a
//! temporary directory: create (with the default, strong Argon2id parameters), write records,
//! lock, unlock with the passphrase and with the recovery code, change the passphrase; then
//! fill it with a generated 180-day story and show the counter, milestones, suggested coping
//! cards and a month's progress review; and wipe.
//!
//! Run: `cargo run --release -p waymark-core --example tour`. Everything it writes is
//! synthetic and is destroyed at the end.
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::Instant;
use waymark_core::recovery::clock::SystemClock;
use waymark_core::recovery::generator::{generate, GeneratorSpec};
use waymark_core::recovery::review::ReviewRange;
use waymark_core::recovery::triggers::TriggerCategory;
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("journal.db");
    let options = JournalOptions::default();
    println!(
        "Waymark store tour: a throwaway journal at {}",
        path.display()
    );
    println!(
        "Argon2id: {} MiB, {} passes, {} lane",
        options.kdf.memory_kib / 1024,
        options.kdf.iterations,
        options.kdf.parallelism
    );

    let started = Instant::now();
    let (journal, code) = Journal::create(&path, "a demo passphrase", options)?;
    println!("created in {} ms", started.elapsed().as_millis());
    println!(
        "recovery code (shown once; write it down): {}",
        code.reveal().as_str()
    );

    let days = 30;
    journal.write(|w| {
        for day in 1..=days {
            let body = format!(
                r#"{{"day":{day},"mood":{},"craving":{}}}"#,
                1 + day % 5,
                day % 7
            );
            w.insert("tour_note", body.as_bytes())?;
        }
        w.insert("tour_note", br#"{"day":12,"note":"a synthetic slip"}"#)?;
        Ok(())
    })?;
    println!(
        "wrote {} records in one transaction",
        journal.record_count()?
    );

    journal.lock();
    let started = Instant::now();
    journal.unlock_with_passphrase("a demo passphrase")?;
    println!(
        "unlocked with the passphrase in {} ms",
        started.elapsed().as_millis()
    );
    let loaded = journal.records(Some("tour_note"))?;
    println!(
        "{} records decrypted, {} damaged",
        loaded.records.len(),
        loaded.damaged.len()
    );

    journal.lock();
    journal.unlock_with_recovery_code(&code.reveal())?;
    println!("unlocked with the recovery code");

    journal.change_passphrase("a demo passphrase", "a brand new passphrase")?;
    println!("passphrase changed (the data key was re-wrapped; no record was re-encrypted)");
    for slot in journal.slots()? {
        println!("  key slot {}: {:?}", slot.id, slot.kind);
    }

    let journal = recovery_tour(journal)?;
    journal.wipe()?;
    println!("wiped: journal file exists afterwards? {}", path.exists());
    Ok(())
}

/// The recovery domain over the same journal: a generated story, then what a shell shows.
fn recovery_tour(journal: Journal) -> Result<Journal, Box<dyn std::error::Error>> {
    let recovery = Recovery::new(journal, Arc::new(SystemClock));
    let spec = GeneratorSpec::story(7, 180, recovery.now(), "Europe/London");
    let written = recovery.import(&generate(&spec)?)?;
    println!("\nrecovery domain: imported a generated 180-day story ({written} records)");
    let journey = recovery.journeys()?.remove(0);
    let counter = recovery.counter(&journey.id)?;
    println!(
        "{}: {} days in this attempt ({}d {}h {}m), longest {} days, {} sober days over {} attempts",
        journey.name,
        counter.current_streak_days,
        counter.elapsed_days,
        counter.elapsed_hours,
        counter.elapsed_minutes,
        counter.longest_streak_days,
        counter.total_sober_days,
        counter.attempts.len()
    );
    println!(
        "saved: {:.2} in money, {} hours of time",
        counter.money_saved_cents_total as f64 / 100.0,
        counter.minutes_saved_total / 60
    );
    let milestones = recovery.milestones(&journey.id)?;
    let reached: Vec<&str> = milestones
        .reached
        .iter()
        .map(|m| m.label.as_str())
        .collect();
    println!("milestones this attempt: {}", reached.join(", "));
    if let (Some(next), Some(days)) = (&milestones.next, milestones.days_to_next) {
        println!(
            "next: {} on {} ({days} days to go)",
            next.label, next.due_on
        );
    }
    let top: Vec<String> = recovery
        .suggest_cards(TriggerCategory::Emotions)?
        .iter()
        .take(3)
        .map(|s| format!("{} ({:.0}%)", s.card.title, s.score * 100.0))
        .collect();
    println!(
        "cards that help this person with emotions: {}",
        top.join(", ")
    );
    let started = Instant::now();
    let review = recovery.review_progress(ReviewRange::Month)?;
    println!(
        "last 30 days: {} check-ins (streak {}), mean mood {:.1}, mean craving {:.1}, {} triggers ({} passed), {} meetings; reviewed in {} ms",
        review.check_ins.count,
        review.check_ins.streak.current,
        review.check_ins.mean_mood.unwrap_or(0.0),
        review.check_ins.mean_craving.unwrap_or(0.0),
        review.triggers.total,
        review.triggers.passed,
        review.support.meetings,
        started.elapsed().as_millis()
    );
    Ok(recovery.into_journal())
}
