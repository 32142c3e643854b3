//! Moving every record to the current body format: the schema migration step that needs the
//! keys, so it runs at the first unlock instead of at open (S14).
//!
//! The same rules as `store::schema`: a consistent copy of the journal is taken first with
//! `VACUUM INTO` (`<journal>.v3-bodies.backup`); every record is re-encoded and re-sealed in
//! one transaction that also records the new format; a failure rolls it back and keeps the
//! copy; the copy is removed only after the migrated journal commits and passes
//! `quick_check`. Records the converter cannot read (damaged ones, kinds it does not know)
//! stay exactly as they were, and each record keeps its id, revision and stamp.

use super::records::open_in_place;
use super::{Journal, State};
use crate::error::{Error, Result};
use crate::record::{encode_payload, record_context, RecordId};
use crate::store::{records, settings};
use std::path::PathBuf;
use zeroize::Zeroizing;

/// The body format every record has once migrated.
pub const CURRENT_BODY_FORMAT: u64 = 2;

/// A re-encoded body: its version and bytes.
pub type Upgraded = (u8, Zeroizing<Vec<u8>>);

impl Journal {
    /// Where the copy taken before moving the bodies goes.
    pub(crate) fn bodies_copy_path(&self) -> PathBuf {
        let mut name = self.path().as_os_str().to_owned();
        name.push(".v3-bodies.backup");
        PathBuf::from(name)
    }

    /// Moves every record whose body `upgrade` can re-encode (it returns the new body version
    /// and bytes, or `None` to leave the record as it is) and marks the journal as being in
    /// `CURRENT_BODY_FORMAT`, in one transaction after taking a copy. Returns how many
    /// records moved. Needs the journal unlocked; does nothing when already current.
    pub fn migrate_bodies(
        &self,
        mut upgrade: impl FnMut(&str, u8, &[u8]) -> Option<Upgraded>,
    ) -> Result<u64> {
        if self.body_format()? >= CURRENT_BODY_FORMAT {
            return Ok(0);
        }
        let copy = self.bodies_copy_path();
        let mut guard = self.state();
        let State {
            conn,
            journal_id,
            keyring,
            write,
            ..
        } = &mut *guard;
        let keyring = keyring.as_mut().ok_or(Error::Locked)?;
        if copy.exists() {
            std::fs::remove_file(&copy)
                .map_err(|e| Error::io("removing an old migration copy", &copy, e))?;
        }
        let target = copy.to_str().ok_or_else(|| {
            Error::invalid(
                "journal path",
                "must be valid UTF-8 to take a migration copy",
            )
        })?;
        conn.execute("VACUUM INTO ?1", [target])?;
        crate::files::make_private(&copy, false)?;

        let rows = records::all(conn)?;
        let key_id = u32::try_from(write.generation)
            .map_err(|_| Error::Crypto("the key generation counter is exhausted"))?;
        let mut moved = Vec::new();
        let mut scratch = Zeroizing::new(Vec::new());
        for row in rows {
            let id = RecordId(row.id);
            let Ok(payload) = open_in_place(
                keyring,
                journal_id,
                &id,
                row.revision,
                &row.envelope,
                &mut scratch,
            ) else {
                continue;
            };
            let Some((version, body)) = upgrade(payload.kind, payload.body_version, payload.body)
            else {
                continue;
            };
            let sealed_payload =
                encode_payload(payload.kind, version, payload.flags, payload.stamp, &body)?;
            let context = record_context(journal_id, &id, row.revision);
            let sealed = keyring.seal_record(key_id, &context, &sealed_payload)?;
            moved.push((row.id, row.revision, sealed));
        }
        let tx = crate::store::connection::begin_write(conn)?;
        for (id, revision, sealed) in &moved {
            records::put(&tx, id, *revision, sealed)?;
        }
        settings::set_u64(&tx, settings::BODY_FORMAT, CURRENT_BODY_FORMAT)?;
        crate::store::image::erase(&tx)?;
        let sealed_now = moved.len() as u64;
        let merged = crate::store::write_state::merge(
            &tx,
            crate::store::write_state::WriteState {
                seals: write.seals + sealed_now,
                ..*write
            },
            sealed_now,
        )?;
        tx.commit()?;
        *write = merged;
        guard.epoch += 1;
        guard.erase_old_content()?;
        let check: String = guard
            .conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if check != "ok" {
            return Err(Error::CorruptJournal {
                detail: "the journal failed its integrity check after moving its records; the copy taken before was kept",
            });
        }
        drop(guard);
        crate::files::remove_if_present(&copy)?;
        Ok(sealed_now)
    }
}
