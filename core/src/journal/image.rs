//! The journal image: every live record of the journal in one sealed blob, so opening a
//! journal reads and decrypts one row instead of every record (the ten-year journal: one
//! 1.4 MB blob instead of 25,000 padded envelopes).
//!
//! **What it holds.** A header (the format, and the highest clock stamped on any row of the
//! file, tombstones included, so an open learns the journal's clock without reading the
//! rows), then for each live record, in row order: its id, its revision and its payload
//! (kind, body version, flags, stamp, body) without the per-record padding. The whole
//! is compressed (LZ4), padded to a Padmé length, and sealed under the current record-content
//! key with the journal id, a random token and the highest row id it covers as associated
//! data. Tombstones are not in it (deletions are read from the rows).
//!
//! **When it is current.** While an image stands, the only change a commit may make to the
//! records is adding new rows (row ids above the image's `covers`): a transaction that
//! replaces or deletes a record erases the image in the same commit (its pages are
//! overwritten, S11: an old version must not survive inside it), and so do key rotation and
//! the move to a new body format. Writes therefore cost nothing extra, and a read shows the
//! image's records and then decrypts just the rows added after it. Without an image a full
//! read scans every row and, when nothing was damaged and no other connection wrote
//! meanwhile, stores a fresh one (also when many rows were added after the last).
//!
//! Anything wrong with the image (a seal that does not open, a malformed entry, a row above
//! `covers` whose id the image also holds) makes the read fall back to scanning the rows:
//! the rows stay the truth.

use super::records::{scan_after, RecordView};
use super::State;
use crate::crypto::keyring::Keyring;
use crate::crypto::wipe::SecretBytes;
use crate::error::{Error, Result};
use crate::record::{decode_payload, size_class, Damage, RecordId, FLAG_TOMBSTONE};
use crate::store::image::{self as stored_image, StoredImage};
use crate::store::{records, write_state};
use rusqlite::Connection;
use std::collections::HashSet;

/// The format of an image's plaintext.
const IMAGE_FORMAT: u8 = 1;
/// The header: the format byte, the highest clock (8 bytes) and how many rows `records`
/// held when the image was made (8 bytes).
const HEADER_LEN: usize = 17;
/// The associated-data label of an image.
const IMAGE_LABEL: &[u8; 8] = b"wm-image";
/// The largest decompressed image an open accepts (a bound on what one allocation takes).
const MAX_IMAGE_BYTES: usize = 512 << 20;
/// When more rows than this were added after the image, reading it also replaces it.
const REFRESH_AFTER_ROWS: usize = 256;

fn image_context(journal_id: &[u8; 16], token: &[u8; 16], covers: i64) -> [u8; 48] {
    let mut out = [0u8; 48];
    out[..8].copy_from_slice(IMAGE_LABEL);
    out[8..24].copy_from_slice(journal_id);
    out[24..40].copy_from_slice(token);
    out[40..].copy_from_slice(&covers.to_be_bytes());
    out
}

/// An image being built from the records a full read visits.
pub(super) struct ImageBuilder {
    plain: SecretBytes,
}

impl ImageBuilder {
    /// An empty image.
    pub(super) fn new() -> Self {
        let mut plain = SecretBytes::with_capacity(1 << 20);
        plain.push(IMAGE_FORMAT);
        plain.extend_from_slice(&[0; 16]);
        ImageBuilder { plain }
    }

    /// Adds one live record.
    pub(super) fn push(&mut self, view: &RecordView<'_>) {
        let kind = view.kind.as_bytes();
        let payload_len = 2 + kind.len() + 2 + 16 + 4 + view.body.len();
        let (Ok(payload_len), Ok(kind_len), Ok(body_len)) = (
            u32::try_from(payload_len),
            u8::try_from(kind.len()),
            u32::try_from(view.body.len()),
        ) else {
            return; // validate_kind and the body limit keep every record far below these
        };
        let flags = view.quarantine.map_or(0, |q| q.flags());
        let p = &mut self.plain;
        p.reserve(16 + 8 + 4 + payload_len as usize);
        p.extend_from_slice(&view.id.0);
        p.extend_from_slice(&view.revision.to_be_bytes());
        p.extend_from_slice(&payload_len.to_be_bytes());
        p.push(crate::record::PAYLOAD_VERSION);
        p.push(kind_len);
        p.extend_from_slice(kind);
        p.push(view.body_version);
        p.push(flags);
        p.extend_from_slice(&view.stamp.clock.to_be_bytes());
        p.extend_from_slice(&view.stamp.device.to_be_bytes());
        p.extend_from_slice(&body_len.to_be_bytes());
        p.extend_from_slice(view.body);
    }

    /// Compresses, pads and seals the image, with `max_clock` and `rows` in its header, under
    /// the content key of `generation`.
    fn seal(
        &mut self,
        keyring: &mut Keyring,
        generation: u32,
        context: &[u8],
        max_clock: u64,
        rows: u64,
    ) -> Result<Vec<u8>> {
        self.plain[1..9].copy_from_slice(&max_clock.to_be_bytes());
        self.plain[9..HEADER_LEN].copy_from_slice(&rows.to_be_bytes());
        let too_big = || Error::Crypto("the journal image is too large");
        let plain_len = u32::try_from(self.plain.len()).map_err(|_| too_big())?;
        let bound = lz4_flex::block::get_maximum_output_size(self.plain.len());
        let mut framed = SecretBytes::zeroed(8 + bound);
        let written = lz4_flex::block::compress_into(&self.plain, &mut framed[8..])
            .map_err(|_| Error::Crypto("the journal image could not be compressed"))?;
        let compressed_len = u32::try_from(written).map_err(|_| too_big())?;
        framed[..4].copy_from_slice(&plain_len.to_be_bytes());
        framed[4..8].copy_from_slice(&compressed_len.to_be_bytes());
        let len = 8 + written;
        framed.truncate(len);
        framed.resize(size_class(len), 0);
        keyring.seal_record(generation, context, &framed)
    }
}

/// One entry of an opened image.
struct Entry {
    id: RecordId,
    revision: u64,
    payload: std::ops::Range<usize>,
}

/// An opened image: its plaintext, where each record is in it, and its header.
struct Opened {
    plain: SecretBytes,
    entries: Vec<Entry>,
    max_clock: u64,
    rows: u64,
}

fn open_image(keyring: &mut Keyring, journal_id: &[u8; 16], stored: StoredImage) -> Option<Opened> {
    let context = image_context(journal_id, &stored.token, stored.covers);
    // Decrypted where SQLite's copy was read into: no second copy of 1-2 MB.
    let mut sealed = SecretBytes::from_vec(stored.envelope);
    let range = keyring.open_in_place(&mut sealed, &context).ok()??;
    let framed = sealed.get(range)?;
    let plain_len = usize::try_from(u32::from_be_bytes(framed.get(..4)?.try_into().ok()?)).ok()?;
    let compressed_len =
        usize::try_from(u32::from_be_bytes(framed.get(4..8)?.try_into().ok()?)).ok()?;
    if plain_len > MAX_IMAGE_BYTES {
        return None;
    }
    let compressed = framed.get(8..8usize.checked_add(compressed_len)?)?;
    let mut plain = SecretBytes::zeroed(plain_len);
    let n = lz4_flex::block::decompress_into(compressed, &mut plain).ok()?;
    if n != plain_len || plain.first() != Some(&IMAGE_FORMAT) {
        return None;
    }
    let max_clock = u64::from_be_bytes(plain.get(1..9)?.try_into().ok()?);
    let rows = u64::from_be_bytes(plain.get(9..HEADER_LEN)?.try_into().ok()?);
    let mut entries = Vec::new();
    let mut at = HEADER_LEN;
    while at < plain.len() {
        let head = plain.get(at..at.checked_add(28)?)?;
        let id = RecordId(head[..16].try_into().ok()?);
        let revision = u64::from_be_bytes(head[16..24].try_into().ok()?);
        let len = usize::try_from(u32::from_be_bytes(head[24..28].try_into().ok()?)).ok()?;
        let start = at + 28;
        let end = start.checked_add(len)?;
        let payload = decode_payload(plain.get(start..end)?)?;
        if payload.flags & FLAG_TOMBSTONE != 0 {
            return None;
        }
        entries.push(Entry {
            id,
            revision,
            payload: start..end,
        });
        at = end;
    }
    Some(Opened {
        plain,
        entries,
        max_clock,
        rows,
    })
}

/// Whether `e` (from SQLite: busy, read-only, full, a damaged page) only means the image
/// cannot be used or stored now: the rows are read instead, and reading works.
fn only_a_shortcut(e: &Error) -> bool {
    matches!(e, Error::Database(_) | Error::CorruptJournal { .. })
}

/// What reading the image did.
pub(super) struct FromImage {
    /// Rows added after the image that could not be read.
    pub(super) damage: Damage,
    /// A fresh image of everything visited, when many rows had been added after the last.
    pub(super) refresh: Option<ImageBuilder>,
    /// The highest clock stamped on any row, tombstones included.
    pub(super) max_clock: u64,
}

/// Shows every live record to `visit` from the stored image and the rows added after it;
/// `None` (having shown nothing) when there is no usable image.
pub(super) fn visit(
    conn: &Connection,
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    visit: &mut dyn FnMut(RecordView<'_>),
) -> Result<Option<FromImage>> {
    let Some(stored) = stored_image::load(conn)? else {
        return Ok(None);
    };
    let covers = stored.covers;
    let added = match records::ids_after(conn, covers) {
        Err(e) if records::is_damage(&e) => return Ok(None),
        other => other?,
    };
    let Some(opened) = open_image(keyring, journal_id, stored) else {
        return Ok(None);
    };
    // Every row the image covers is still there, and no other: a row removed, or moved above
    // or below `covers`, behind the journal's back makes the counts differ.
    let total = match records::count(conn) {
        Ok(total) => total,
        Err(e) if only_a_shortcut(&e) => return Ok(None),
        Err(other) => return Err(other),
    };
    if total.checked_sub(added.len() as u64) != Some(opened.rows) {
        return Ok(None);
    }
    if !added.is_empty() {
        // A row above `covers` is always a new record; one the image also holds means the
        // file was changed behind the journal's back.
        let added: HashSet<[u8; 16]> = added.iter().copied().collect();
        if opened.entries.iter().any(|e| added.contains(&e.id.0)) {
            return Ok(None);
        }
    }
    let mut refresh = (added.len() > REFRESH_AFTER_ROWS).then(ImageBuilder::new);
    let mut show = |view: RecordView<'_>| {
        if let Some(builder) = refresh.as_mut() {
            builder.push(&view);
        }
        visit(view);
    };
    for entry in &opened.entries {
        if let Some(payload) = opened
            .plain
            .get(entry.payload.clone())
            .and_then(decode_payload)
        {
            show(RecordView::new(entry.id, entry.revision, payload));
        }
    }
    let (damage, added_clock) = scan_after(conn, keyring, journal_id, covers, &mut show)?;
    Ok(Some(FromImage {
        damage,
        refresh,
        max_clock: opened.max_clock.max(added_clock),
    }))
}

/// Seals `builder` (with `max_clock`, the highest clock of every row) as an image of every
/// row of `records` now and stores it, counting its seal in `state`'s write state, unless
/// another connection wrote since `data_version` was read (the image would miss its writes),
/// the current key has made its share of seals (the next write moves on), or the file cannot
/// be written now (read-only, or another writer holds it: the image waits for the next full
/// read).
pub(super) fn store(
    state: &mut State,
    seals_per_key: u64,
    data_version: i64,
    builder: &mut ImageBuilder,
    max_clock: u64,
) -> Result<()> {
    let write = state.write;
    if write.seals >= seals_per_key {
        return Ok(());
    }
    let generation = u32::try_from(write.generation)
        .map_err(|_| Error::Crypto("the key generation counter is exhausted"))?;
    // This connection holds the journal's lock, so only another connection could add a row
    // after this; `data_version` below tells.
    let (covers, rows) = match records::last_rowid(&state.conn)
        .and_then(|last| Ok((last, records::count(&state.conn)?)))
    {
        Ok((last, rows)) => (last.unwrap_or(i64::MIN), rows),
        Err(e) if only_a_shortcut(&e) => return Ok(()),
        Err(other) => return Err(other),
    };
    let token: [u8; 16] = crate::crypto::random_array()?;
    let context = image_context(&state.journal_id, &token, covers);
    let keyring = state.keyring.as_mut().ok_or(Error::Locked)?;
    let envelope = builder.seal(keyring, generation, &context, max_clock, rows)?;
    let image = StoredImage {
        covers,
        token,
        envelope,
    };
    let conn = &mut state.conn;
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let stored = (|| -> Result<Option<write_state::WriteState>> {
        let tx = crate::store::connection::begin_write(conn)?;
        if crate::store::connection::data_version(&tx)? != data_version {
            return Ok(None);
        }
        stored_image::save(&tx, &image)?;
        let merged = write_state::merge(
            &tx,
            write_state::WriteState {
                seals: write.seals.saturating_add(1),
                ..write
            },
            1,
        )?;
        tx.commit()?;
        Ok(Some(merged))
    })();
    crate::store::connection::restore_busy_timeout(conn)?;
    match stored {
        Ok(Some(merged)) => {
            if merged.generation != write.generation {
                state.seal_budget = 0; // another connection moved on: reserve there
            }
            state.write = merged;
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) if only_a_shortcut(&e) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Rewrites, from the stored image, every row it covers that no longer opens (damaged, or
/// gone), sealed anew at the revision the image holds, in `w`'s transaction: before a commit
/// erases the image (an edit, a deletion), or when `waymark check` finds damage, so a record
/// the image still holds is never lost with it. Rows this transaction wrote or erased, and
/// rows at another revision than the image's, are left alone. Returns the ids repaired;
/// none without a usable image.
pub(super) fn repair_covered(w: &mut super::RecordWriter<'_>) -> Result<Vec<RecordId>> {
    let stored = match stored_image::load(&w.tx) {
        Ok(Some(stored)) => stored,
        Ok(None) => return Ok(Vec::new()),
        Err(e) if only_a_shortcut(&e) => return Ok(Vec::new()),
        Err(other) => return Err(other),
    };
    let Some(opened) = open_image(w.keyring, &w.journal_id, stored) else {
        return Ok(Vec::new());
    };
    let touched: HashSet<[u8; 16]> = w.touched_ids().collect();
    // One pass over the rows in the file's order (far cheaper than a lookup per record on a
    // years-long journal): which covered rows, at the image's revision, still open. A row on
    // a page that cannot be read is never visited, so it counts as damaged.
    let wanted: std::collections::HashMap<[u8; 16], u64> = opened
        .entries
        .iter()
        .filter(|e| !touched.contains(&e.id.0))
        .map(|e| (e.id.0, e.revision))
        .collect();
    let mut intact: HashSet<[u8; 16]> = HashSet::with_capacity(wanted.len());
    let mut elsewhere: HashSet<[u8; 16]> = HashSet::new();
    {
        let keyring = &mut *w.keyring;
        let journal_id = w.journal_id;
        let mut scratch = zeroize::Zeroizing::new(Vec::new());
        records::for_each(&w.tx, |scanned| {
            if let records::Scanned::Record {
                id,
                revision,
                envelope,
            } = scanned
            {
                match wanted.get(&id) {
                    Some(&at) if at != revision => {
                        elsewhere.insert(id);
                    }
                    Some(_)
                        if super::records::open_in_place(
                            keyring,
                            &journal_id,
                            &RecordId(id),
                            revision,
                            envelope,
                            &mut scratch,
                        )
                        .is_ok() =>
                    {
                        intact.insert(id);
                    }
                    _ => {}
                }
            }
            Ok(())
        })?;
    }
    let mut repaired = Vec::new();
    for entry in &opened.entries {
        let id = entry.id.0;
        if !wanted.contains_key(&id) || intact.contains(&id) || elsewhere.contains(&id) {
            continue;
        }
        let Some(payload) = opened
            .plain
            .get(entry.payload.clone())
            .and_then(decode_payload)
        else {
            continue;
        };
        w.rewrite(&entry.id, entry.revision, &payload)?;
        repaired.push(entry.id);
    }
    Ok(repaired)
}
