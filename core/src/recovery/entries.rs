//! Journal entries: the person's free writing. A dated entry with an optional title, a body of
//! up to 64 KiB, an optional mood and tags, optionally linked to a journey.

use super::validate;
use crate::error::Result;
use crate::record::RecordId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JournalEntry {
    /// The entry's id.
    pub id: RecordId,
    /// The recovery day it is about.
    pub date: NaiveDate,
    /// An optional title.
    pub title: Option<String>,
    /// The writing itself (at most 64 KiB of UTF-8).
    pub body: String,
    /// Mood, 1 to 5, if given.
    pub mood: Option<i32>,
    /// Tags.
    pub tags: Vec<String>,
    /// The journey it concerns, if any.
    pub journey_id: Option<RecordId>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub updated_at: DateTime<Utc>,
    /// Set on a **conflict copy**: this entry is the text of an edit made on one device while
    /// another device changed or deleted the same entry (`conflict_of`, which may no longer
    /// exist). Sync keeps both rather than lose either; the person reads, merges or deletes.
    #[serde(default)]
    pub conflict_of: Option<RecordId>,
}

/// What a person gives to write or edit an entry. `date: None` means today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryInput {
    /// The day (today if `None`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub date: Option<NaiveDate>,
    /// Title, at most 120 characters.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub title: Option<String>,
    /// Body, 1 byte to 64 KiB.
    pub body: String,
    /// Mood, 1 to 5.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub mood: Option<i32>,
    /// Tags.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// Journey link.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub journey_id: Option<RecordId>,
}

impl EntryInput {
    pub(crate) fn validate(&self) -> Result<()> {
        validate::optional_text("title", self.title.as_deref(), validate::SHORT_TEXT)?;
        if self.body.trim().is_empty() {
            return Err(crate::Error::invalid("body", "must not be empty"));
        }
        if self.body.len() > validate::ENTRY_BODY_BYTES {
            return Err(crate::Error::invalid("body", "must be at most 64 KiB"));
        }
        if let Some(mood) = self.mood {
            validate::in_range("mood", mood, 1, 5)?;
        }
        validate::tags("tags", &self.tags)
    }
}
