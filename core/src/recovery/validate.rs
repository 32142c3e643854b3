//! The limits every field lives within, and the checks that name the field and the rule.
//!
//! A check never echoes the value it rejected (it may be something the person wrote).

use crate::error::{Error, Result};

/// The longest short text (names, titles, tags' owners), in characters.
pub const SHORT_TEXT: usize = 120;
/// The longest note or answer, in characters.
pub const NOTE_TEXT: usize = 4_000;
/// The largest journal entry body, in bytes (64 KiB).
pub const ENTRY_BODY_BYTES: usize = 64 * 1024;
/// The most tags on one item.
pub const MAX_TAGS: usize = 20;
/// The longest tag, in characters.
pub const TAG_TEXT: usize = 40;
/// The most items in a list such as gratitude or plan items.
pub const MAX_LIST: usize = 20;

/// Checks a required text: not blank, at most `max` characters.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    optional_text(field, Some(value), max)
}

/// Checks an optional text: at most `max` characters when present.
pub fn optional_text(field: &'static str, value: Option<&str>, max: usize) -> Result<()> {
    match value {
        Some(v) if v.chars().count() > max => Err(Error::invalid(
            field,
            format!("must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// Checks a number lies in `min..=max`.
pub fn in_range<T: PartialOrd + std::fmt::Display>(
    field: &'static str,
    value: T,
    min: T,
    max: T,
) -> Result<()> {
    if value < min || value > max {
        return Err(Error::invalid(
            field,
            format!("must be between {min} and {max}"),
        ));
    }
    Ok(())
}

/// Checks a list of tags: at most [`MAX_TAGS`], each 1 to [`TAG_TEXT`] characters.
pub fn tags(field: &'static str, values: &[String]) -> Result<()> {
    if values.len() > MAX_TAGS {
        return Err(Error::invalid(
            field,
            format!("must have at most {MAX_TAGS} tags"),
        ));
    }
    for tag in values {
        if tag.trim().is_empty() || tag.chars().count() > TAG_TEXT {
            return Err(Error::invalid(
                field,
                format!("each tag must be 1 to {TAG_TEXT} characters"),
            ));
        }
    }
    Ok(())
}

/// Checks a list of texts: at most [`MAX_LIST`] items, each non-empty and at most `max`
/// characters.
pub fn text_list(field: &'static str, values: &[String], max: usize) -> Result<()> {
    if values.len() > MAX_LIST {
        return Err(Error::invalid(
            field,
            format!("must have at most {MAX_LIST} items"),
        ));
    }
    for value in values {
        required_text(field, value, max)?;
    }
    Ok(())
}

/// Checks a phone number as a person types it: 3 to 32 characters of digits, spaces and
/// `+()-.#*`, with at least 3 digits.
pub fn phone(field: &'static str, value: &str) -> Result<()> {
    let ok_chars = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.#*".contains(c));
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !ok_chars || value.chars().count() > 32 || digits < 3 {
        return Err(Error::invalid(
            field,
            "must be 3 to 32 characters of digits, spaces and + ( ) - . # *",
        ));
    }
    Ok(())
}
