//! Urge surfing: riding out an urge, started from "help now". A session notes the urge's
//! intensity (0-10) at the start and at the end, and how many minutes it took; when a card
//! was used during it, its outcome is recorded as a use of that card, so what helped in the
//! moment ranks higher the next time.
//!
//! **From intensities to an outcome** (one rule, [`outcome`]): the urge *helped* when it
//! fell by at least 3 points or ended at 2 or below; *helped somewhat* when it fell at all;
//! otherwise it *did not help* this time. Without a starting intensity, the end alone
//! decides: 3 or below helped, 6 or below helped somewhat.

use super::cards::CardOutcome;
use super::triggers::TriggerCategory;
use crate::record::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A session of riding out an urge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UrgeSession {
    /// The session's id.
    pub id: RecordId,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// The IANA zone the person was in.
    pub time_zone: String,
    /// The urge at the start, 0-10, if given.
    pub intensity_start: Option<i32>,
    /// The trigger category "help now" judged most likely at that hour, if any.
    pub category: Option<TriggerCategory>,
    /// When it ended (`None` while it runs).
    pub ended_at: Option<DateTime<Utc>>,
    /// The urge at the end, 0-10.
    pub intensity_end: Option<i32>,
    /// The card used during it.
    pub card_id: Option<String>,
    /// The use of that card it recorded.
    pub card_use_id: Option<RecordId>,
}

impl UrgeSession {
    /// Whole minutes from start to end (to `now` while it runs); never negative.
    pub fn minutes(&self, now: DateTime<Utc>) -> i32 {
        let end = self.ended_at.unwrap_or(now);
        super::counts::of_span((end - self.started_at).num_minutes())
    }
}

/// What the intensities say about the card used (see the module docs).
pub fn outcome(start: Option<i32>, end: i32) -> CardOutcome {
    match start {
        Some(start) => {
            let fall = start.saturating_sub(end);
            if fall >= 3 || end <= 2 {
                CardOutcome::Helped
            } else if fall >= 1 {
                CardOutcome::HelpedSomewhat
            } else {
                CardOutcome::DidNotHelp
            }
        }
        None if end <= 3 => CardOutcome::Helped,
        None if end <= 6 => CardOutcome::HelpedSomewhat,
        None => CardOutcome::DidNotHelp,
    }
}

/// How an urge session ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UrgeSessionEnded {
    /// The session as saved.
    pub session: UrgeSession,
    /// Its length in minutes.
    pub minutes: i32,
    /// What it said about the card, when one was used.
    pub outcome: Option<CardOutcome>,
    /// The card's place in the ranking for the session's category before (1 = first).
    pub rank_before: Option<i32>,
    /// And after this session counted.
    pub rank_after: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fall_of_the_urge_decides() {
        assert_eq!(outcome(Some(8), 3), CardOutcome::Helped);
        assert_eq!(outcome(Some(4), 2), CardOutcome::Helped);
        assert_eq!(outcome(Some(8), 6), CardOutcome::HelpedSomewhat);
        assert_eq!(outcome(Some(6), 6), CardOutcome::DidNotHelp);
        assert_eq!(outcome(Some(5), 9), CardOutcome::DidNotHelp);
        assert_eq!(outcome(None, 3), CardOutcome::Helped);
        assert_eq!(outcome(None, 5), CardOutcome::HelpedSomewhat);
        assert_eq!(outcome(None, 9), CardOutcome::DidNotHelp);
    }
}
