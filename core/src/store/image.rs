//! The `image` table (schema 4): one row holding every live record of the journal in a single
//! sealed blob (built and read by `journal::image`), so an open reads one row instead of
//! decrypting every record. This layer only stores the bytes.
//!
//! `covers` is the highest row id of `records` the image holds: rows above it were added
//! since and are read from `records`. Only new records can be added while an image stands: a
//! transaction that replaces or deletes a row erases the image ([`erase`]), so no row at or
//! below `covers` ever differs from the image.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// A stored image.
pub(crate) struct StoredImage {
    /// The highest row id of `records` it holds (`i64::MIN` for none).
    pub(crate) covers: i64,
    /// The random token it was sealed with (bound into the seal with `covers`).
    pub(crate) token: [u8; 16],
    /// The sealed image.
    pub(crate) envelope: Vec<u8>,
}

/// The stored image, or `None` when there is none or its row is malformed or on a damaged
/// page (the rows are then read instead).
pub(crate) fn load(conn: &Connection) -> Result<Option<StoredImage>> {
    let row = conn
        .prepare_cached("SELECT covers, token, envelope FROM image WHERE id = 1")?
        .query_row([], |row| {
            let covers = row.get_ref(0)?.as_i64().ok();
            let token = row
                .get_ref(1)?
                .as_blob()
                .ok()
                .and_then(|b| <[u8; 16]>::try_from(b).ok());
            let envelope = row.get_ref(2)?.as_blob().ok().map(<[u8]>::to_vec);
            Ok(covers.zip(token).zip(envelope))
        })
        .optional();
    let row = match row {
        Err(e) if super::records::is_damage(&e) => return Ok(None),
        other => other?,
    };
    Ok(row
        .flatten()
        .map(|((covers, token), envelope)| StoredImage {
            covers,
            token,
            envelope,
        }))
}

/// Stores `image`, replacing any other.
pub(crate) fn save(conn: &Connection, image: &StoredImage) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO image (id, covers, token, envelope) VALUES (1, ?1, ?2, ?3)",
    )?
    .execute(rusqlite::params![
        image.covers,
        &image.token[..],
        &image.envelope
    ])?;
    Ok(())
}

/// Deletes the image (its pages are overwritten, `secure_delete`), in the transaction that
/// replaces or deletes a record, rotates the key or moves the bodies.
pub(crate) fn erase(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM image")?.execute([])?;
    Ok(())
}
