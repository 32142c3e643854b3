//! Search across everything the person wrote, done in memory over decrypted text.
//!
//! There is no search index on disk: an index would be plaintext (or a deterministic token
//! list) that reveals what the journal holds (S10). A query is split into words; a piece of
//! writing matches when it contains every word, ignoring case. Results are newest first and
//! carry a short snippet around the first match for the shell to show (never to log).

use super::clock::Zone;
use super::snapshot::Snapshot;
use crate::error::{Error, Result};
use crate::record::RecordId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SearchSource {
    /// A journal entry (title, body or tags).
    Entry,
    /// A check-in's intention, note, gratitude or evening note.
    CheckIn,
    /// A trigger's situation or tags.
    Trigger,
    /// A lapse's note.
    Lapse,
    /// A reflection's answers.
    Reflection,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchHit {
    /// Where it was found.
    pub source: SearchSource,
    /// The record's id (check-ins are found by `date`).
    pub id: Option<RecordId>,
    /// The local date of the item.
    pub date: NaiveDate,
    /// The entry's title, if it has one.
    pub title: Option<String>,
    /// Up to about 80 characters around the first match.
    pub snippet: String,
}

/// The longest query, in characters.
pub const MAX_QUERY: usize = 200;

fn snippet(text: &str, at_byte: usize) -> String {
    let start = text[..at_byte]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(0, |(i, _)| i);
    let tail: String = text[start..].chars().take(80).collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(tail.trim());
    if text.len() - start > tail.len() {
        out.push('…');
    }
    out
}

/// The byte offset in `text` of the first word of `words` if it holds all of them.
fn matches(text: &str, words: &[String]) -> Option<usize> {
    let lower = text.to_lowercase();
    if !words.iter().all(|w| lower.contains(w.as_str())) {
        return None;
    }
    let first = lower.find(words.first()?.as_str())?;
    // Lowercasing can change byte lengths; map the offset back by characters.
    let chars_before = lower[..first].chars().count();
    Some(text.char_indices().nth(chars_before).map_or(0, |(i, _)| i))
}

/// Searches `snapshot` for `query`; at most `limit` hits, newest first.
pub fn search(snapshot: &Snapshot, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    if query.chars().count() > MAX_QUERY {
        return Err(Error::invalid("query", "must be at most 200 characters"));
    }
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Err(Error::invalid("query", "must contain a word"));
    }
    let mut hits = Vec::new();
    let mut consider = |source, id, date, title: Option<&String>, text: String| {
        if let Some(at) = matches(&text, &words) {
            hits.push(SearchHit {
                source,
                id,
                date,
                title: title.cloned(),
                snippet: snippet(&text, at),
            });
        }
    };
    for e in &snapshot.entries {
        let text = [e.title.as_deref().unwrap_or(""), &e.body, &e.tags.join(" ")].join("\n");
        consider(
            SearchSource::Entry,
            Some(e.id),
            e.date,
            e.title.as_ref(),
            text,
        );
    }
    for c in &snapshot.check_ins {
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(c.intention.as_deref());
        parts.extend(c.note.as_deref());
        parts.extend(c.gratitude.iter().map(String::as_str));
        parts.extend(c.evening_review.as_ref().and_then(|r| r.note.as_deref()));
        parts.extend(c.trigger_tags.iter().map(String::as_str));
        if !parts.is_empty() {
            consider(SearchSource::CheckIn, None, c.date, None, parts.join("\n"));
        }
    }
    for t in &snapshot.triggers {
        let mut parts: Vec<&str> = t.tags.iter().map(String::as_str).collect();
        parts.extend(t.situation.as_deref());
        if !parts.is_empty() {
            let date = Zone::named_or_utc(&t.time_zone).local(t.at).date();
            consider(
                SearchSource::Trigger,
                Some(t.id),
                date,
                None,
                parts.join("\n"),
            );
        }
    }
    for l in &snapshot.lapses {
        if let Some(note) = &l.note {
            consider(SearchSource::Lapse, Some(l.id), l.date, None, note.clone());
        }
    }
    for r in &snapshot.reflections {
        let date = r
            .lapse_id
            .and_then(|id| snapshot.lapses.iter().find(|l| l.id == id))
            .map_or_else(|| r.created_at.date_naive(), |l| l.date);
        consider(
            SearchSource::Reflection,
            Some(r.id),
            date,
            None,
            r.body.texts().join("\n"),
        );
    }
    hits.sort_by_key(|h| std::cmp::Reverse(h.date));
    hits.truncate(limit);
    Ok(hits)
}
