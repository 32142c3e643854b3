//! The `image` table (schema 4): one row holding every live record of the journal in a single
//! sealed blob (built and read by `journal::image`), so an open reads one row instead of
//! decrypting every record. This layer only stores the bytes.
//!
//! `covers` is the highest row id of `records` the image holds: rows above it were added
//! since and are read from `records`. `write_state.image_token` names the current image;
//! erasing one clears it, so an older image copied back into the file is never taken. Only new records can be added while an image stands: a
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

/// The stored image, or `None` when there is none, its row is malformed or on a damaged
/// page, or the table is missing (the rows are then read instead).
pub(crate) fn load(conn: &Connection) -> Result<Option<StoredImage>> {
    let Ok(mut statement) = conn.prepare_cached(
        "SELECT i.covers, i.token, i.envelope FROM image AS i, write_state AS w
             WHERE i.id = 1 AND w.id = 1 AND w.image_token = i.token",
    ) else {
        return Ok(None); // no image table (a tampered file): the rows are read
    };
    let row = statement
        .query_row([], |row| {
            let covers = row.get_ref(0)?.as_i64().ok();
            let token = super::records::blob_16(row.get_ref(1)?);
            let envelope = row.get_ref(2)?.as_blob().ok().map(<[u8]>::to_vec);
            Ok(covers.zip(token).zip(envelope))
        })
        .optional();
    // Any failure (a damaged page, a table missing from a tampered file) means no image:
    // the rows are read.
    let Ok(row) = row else {
        return Ok(None);
    };
    Ok(row
        .flatten()
        .map(|((covers, token), envelope)| StoredImage {
            covers,
            token,
            envelope,
        }))
}

/// Stores `image`, replacing any other, and names it the current one in `write_state`.
pub(crate) fn save(conn: &Connection, image: &StoredImage) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO image (id, covers, token, envelope) VALUES (1, ?1, ?2, ?3)",
    )?
    .execute(rusqlite::params![
        image.covers,
        &image.token[..],
        &image.envelope
    ])?;
    conn.prepare_cached("UPDATE write_state SET image_token = ?1 WHERE id = 1")?
        .execute([&image.token[..]])?;
    Ok(())
}

/// Deletes the image (its pages are overwritten, `secure_delete`), in the transaction that
/// replaces or deletes a record, rotates the key or moves the bodies.
pub(crate) fn erase(conn: &Connection) -> Result<()> {
    match conn
        .prepare_cached("DELETE FROM image")
        .and_then(|mut s| s.execute([]))
    {
        Ok(0) => Ok(()),
        // None is current any more: an older image put back into the file is not taken.
        Ok(_) => {
            conn.prepare_cached("UPDATE write_state SET image_token = NULL WHERE id = 1")?
                .execute([])?;
            Ok(())
        }
        // A file whose image table was removed holds no image to erase.
        Err(_) if !exists(conn)? => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Whether the file has the image table (a tampered file may not).
fn exists(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'image'")?
        .exists([])?)
}
