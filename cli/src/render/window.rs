//! What a list over days says about what its span leaves out (see the core's
//! `recovery::window`): an empty list of the last 30 days is "none in the last 30 days; 12
//! earlier", never "(none yet)" while there is something.

use crate::render::format::count;
use waymark_core::recovery::window::OutsideWindow;

/// The span a list was asked for: its days, and whether they are the default (the last 30).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// The first day.
    pub from: chrono::NaiveDate,
    /// The last day.
    pub to: chrono::NaiveDate,
    /// True when neither `--from` nor `--to` was given.
    pub default: bool,
}

impl Span {
    /// "in the last 30 days", or "from 2026-01-01 to 2026-01-31".
    fn words(&self) -> String {
        if self.default {
            format!("in the last {} days", (self.to - self.from).num_days() + 1)
        } else {
            format!("from {} to {}", self.from, self.to)
        }
    }

    /// What an empty table says under its header: "(none yet)" when the list is empty
    /// everywhere, otherwise what the span holds.
    pub fn empty_label(&self, window: &OutsideWindow) -> String {
        if window.leaves_out_anything() {
            format!("(none {})", self.words())
        } else {
            "(none yet)".to_owned()
        }
    }
}

/// The sentence after a list whose span leaves something out, with the flag that shows it:
/// "None in the last 30 days; 12 earlier, from 2025-01-01 (`--from 2025-01-01` shows them)."
/// `None` when the span holds everything.
pub fn left_out(span: &Span, window: &OutsideWindow, things: (&str, &str)) -> Option<String> {
    if !window.leaves_out_anything() {
        return None;
    }
    let mut parts = Vec::new();
    if let (true, Some(earliest)) = (window.earlier > 0, window.earliest) {
        parts.push(format!(
            "{} earlier, from {earliest} (`--from {earliest}` shows {})",
            count(i64::from(window.earlier), things.0, things.1),
            if window.earlier == 1 { "it" } else { "them" },
        ));
    }
    if let (true, Some(latest)) = (window.later > 0, window.latest) {
        parts.push(format!(
            "{} later, to {latest} (`--to {latest}` shows {})",
            count(i64::from(window.later), things.0, things.1),
            if window.later == 1 { "it" } else { "them" },
        ));
    }
    let lead = if window.inside == 0 {
        format!("None {}; ", span.words())
    } else {
        String::new()
    };
    let text = format!("{lead}{}.", parts.join("; "));
    let mut chars = text.chars();
    Some(match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => text,
    })
}
