//! Daily check-ins: one per recovery day (a second check-in the same day updates it), with
//! mood, craving, HALT, trigger tags, an intention, an evening review, gratitude and a note.
//! Also the check-in streak and missed days, as pure functions of the check-in dates.

use super::validate;
use crate::error::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Hungry, angry, lonely, tired: the four states that make an urge stronger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Halt {
    /// Hungry.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub hungry: bool,
    /// Angry.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub angry: bool,
    /// Lonely.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lonely: bool,
    /// Tired.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tired: bool,
}

/// The evening look back at the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EveningReview {
    /// How the day went, 1 (hard) to 5 (good).
    pub rating: i32,
    /// A note.
    pub note: Option<String>,
}

/// One day's check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckIn {
    /// The recovery day it belongs to.
    pub date: NaiveDate,
    /// Mood, 1 (very low) to 5 (very good).
    pub mood: i32,
    /// Craving, 0 (none) to 10 (overwhelming).
    pub craving: i32,
    /// HALT state.
    pub halt: Halt,
    /// Triggers on the person's mind today.
    pub trigger_tags: Vec<String>,
    /// An intention for the day.
    pub intention: Option<String>,
    /// The evening review, once written.
    pub evening_review: Option<EveningReview>,
    /// Things the person is grateful for.
    pub gratitude: Vec<String>,
    /// A note.
    pub note: Option<String>,
    /// When the check-in itself (mood, craving, HALT, intention, note...) was last given.
    pub updated_at: DateTime<Utc>,
    /// When the evening review was last written (`None` without one, or when written by a
    /// build before this field). Two devices' edits of one day merge by these two times.
    #[serde(default)]
    pub review_written_at: Option<DateTime<Utc>>,
}

/// What a person gives to check in. `date: None` means today's recovery day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckInInput {
    /// The day to check in for (today if `None`; earlier days can be filled in).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub date: Option<NaiveDate>,
    /// Mood, 1 to 5.
    pub mood: i32,
    /// Craving, 0 to 10.
    pub craving: i32,
    /// HALT state.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub halt: Halt,
    /// Trigger tags.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub trigger_tags: Vec<String>,
    /// Intention for the day.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub intention: Option<String>,
    /// Evening review; `None` keeps one already written today.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub evening_review: Option<EveningReview>,
    /// Gratitude items.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub gratitude: Vec<String>,
    /// A note.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
}

impl EveningReview {
    /// Rating 1-5, note within the note limit.
    pub(crate) fn validate(&self) -> Result<()> {
        validate::in_range("evening_review.rating", self.rating, 1, 5)?;
        validate::optional_text(
            "evening_review.note",
            self.note.as_deref(),
            validate::NOTE_TEXT,
        )
    }
}

/// A day's check-in edited on two devices at once, merged field by field: the check-in itself
/// (mood, craving, HALT) from the device that gave it last, the evening review from the
/// device that wrote it last, lists joined, what one side lacks taken from the other, and
/// two different intentions or notes both kept (the later first). A mood given on the phone and
/// an evening review written on the laptop are both there; nothing either wrote is lost.
pub(crate) fn merge_concurrent(winner: CheckIn, loser: &CheckIn) -> CheckIn {
    let (morning, other) = if loser.updated_at > winner.updated_at {
        (loser.clone(), winner)
    } else {
        (winner, loser.clone())
    };
    let halt = if morning.halt == Halt::default() {
        other.halt
    } else {
        morning.halt
    };
    let join = |mine: Vec<String>, theirs: &[String], max: usize| {
        let mut all = mine;
        for item in theirs {
            if !all.contains(item) && all.len() < max {
                all.push(item.clone());
            }
        }
        all
    };
    let (review, review_written_at) = match (&morning.evening_review, &other.evening_review) {
        (Some(_), Some(_)) => {
            let (later, earlier) = if other.review_written_at > morning.review_written_at {
                (&other, &morning)
            } else {
                (&morning, &other)
            };
            let (mine, theirs) = (later.evening_review.clone(), &earlier.evening_review);
            let review = mine.map(|r| EveningReview {
                note: both_notes(r.note, theirs.as_ref().and_then(|t| t.note.as_deref())),
                ..r
            });
            (review, later.review_written_at)
        }
        (Some(_), None) => (morning.evening_review.clone(), morning.review_written_at),
        (None, _) => (other.evening_review.clone(), other.review_written_at),
    };
    CheckIn {
        halt,
        trigger_tags: join(
            morning.trigger_tags,
            &other.trigger_tags,
            validate::MAX_TAGS,
        ),
        intention: both_texts(
            morning.intention,
            other.intention.as_deref(),
            " / ",
            validate::SHORT_TEXT * 2,
        ),
        evening_review: review,
        review_written_at,
        gratitude: join(morning.gratitude, &other.gratitude, validate::MAX_LIST),
        note: both_notes(morning.note, other.note.as_deref()),
        updated_at: morning.updated_at.max(other.updated_at),
        ..morning
    }
}

/// Two notes written at once: both, the later first, when they differ and fit a note.
pub(crate) fn both_notes(mine: Option<String>, theirs: Option<&str>) -> Option<String> {
    both_texts(mine, theirs, "\n\n", validate::NOTE_TEXT)
}

/// Two texts written at once: both, the later (`mine`) first and `separator` between, when
/// they differ and fit in `max` characters; else the later.
fn both_texts(
    mine: Option<String>,
    theirs: Option<&str>,
    separator: &str,
    max: usize,
) -> Option<String> {
    match (mine, theirs) {
        (Some(mine), Some(theirs)) if mine != theirs && !mine.contains(theirs) => {
            let both = format!("{mine}{separator}{theirs}");
            Some(if both.chars().count() <= max {
                both
            } else {
                mine
            })
        }
        (mine, theirs) => mine.or_else(|| theirs.map(str::to_owned)),
    }
}

/// What became of a check-in given with [`crate::recovery::Recovery::check_in_or_hold`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CheckInDelivery {
    /// The journal was unlocked: the check-in is written.
    Written {
        /// The day's check-in as stored.
        check_in: CheckIn,
    },
    /// The journal was locked: the check-in waits in memory, with the moment it was given,
    /// and is written at the next unlock. Ask the person to unlock.
    Held {
        /// How many check-ins wait now, this one included.
        waiting: i32,
    },
}

/// Overwrites the texts a check-in (given or stored) holds.
fn wipe_texts(
    trigger_tags: &mut [String],
    intention: &mut Option<String>,
    evening_review: &mut Option<EveningReview>,
    gratitude: &mut [String],
    note: &mut Option<String>,
) {
    use zeroize::Zeroize;
    trigger_tags.iter_mut().for_each(Zeroize::zeroize);
    intention.zeroize();
    if let Some(review) = evening_review {
        review.note.zeroize();
    }
    gratitude.iter_mut().for_each(Zeroize::zeroize);
    note.zeroize();
}

impl CheckIn {
    /// Overwrites every text it holds (a copy that is done with).
    pub(crate) fn wipe(&mut self) {
        wipe_texts(
            &mut self.trigger_tags,
            &mut self.intention,
            &mut self.evening_review,
            &mut self.gratitude,
            &mut self.note,
        );
    }
}

impl CheckInInput {
    /// Overwrites every text it holds (a held check-in that was written or dropped).
    pub(crate) fn wipe(&mut self) {
        wipe_texts(
            &mut self.trigger_tags,
            &mut self.intention,
            &mut self.evening_review,
            &mut self.gratitude,
            &mut self.note,
        );
    }

    pub(crate) fn validate(&self) -> Result<()> {
        validate::in_range("mood", self.mood, 1, 5)?;
        validate::in_range("craving", self.craving, 0, 10)?;
        validate::tags("trigger_tags", &self.trigger_tags)?;
        validate::optional_text(
            "intention",
            self.intention.as_deref(),
            validate::SHORT_TEXT * 2,
        )?;
        if let Some(review) = &self.evening_review {
            review.validate()?;
        }
        validate::text_list("gratitude", &self.gratitude, validate::SHORT_TEXT * 2)?;
        validate::optional_text("note", self.note.as_deref(), validate::NOTE_TEXT)
    }
}

/// Check-in consistency: the current run of consecutive days, and the days missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckInStreak {
    /// Consecutive days checked in, ending today (or yesterday, if today is still open).
    pub current: i32,
    /// The longest run ever.
    pub longest: i32,
    /// Days checked in.
    pub total: i32,
    /// Days without a check-in between the first check-in and yesterday.
    pub missed_days: i32,
}

/// The streak and missed days for check-ins on `dates`, as of recovery day `today`.
pub fn streak(dates: &BTreeSet<NaiveDate>, today: NaiveDate) -> CheckInStreak {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<NaiveDate> = None;
    for &date in dates.iter().filter(|d| **d <= today) {
        run = match previous {
            Some(p) if p + Duration::days(1) == date => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(date);
    }
    let mut current = 0;
    let mut day = if dates.contains(&today) {
        today
    } else {
        today - Duration::days(1)
    };
    while dates.contains(&day) {
        current += 1;
        day -= Duration::days(1);
    }
    let total = super::counts::of_len(dates.iter().filter(|d| **d <= today).count());
    let missed_days = match dates.iter().next() {
        Some(first) if *first < today => {
            let span = super::counts::of_span((today - *first).num_days());
            let done_before_today =
                super::counts::of_len(dates.iter().filter(|d| **d < today).count());
            span.saturating_sub(done_before_today).max(0)
        }
        _ => 0,
    };
    CheckInStreak {
        current,
        longest,
        total,
        missed_days,
    }
}
