//! The journal's local state: small values a journal keeps for itself alone (what it has
//! applied from each of the person's other devices, what it last sent to each sync store),
//! never synced, backed up or exported.
//!
//! Each value is one row of the `settings` table named `local:` and its name, sealed with
//! AES-256-GCM under the local-state subkey of the data key, with the journal id and the
//! name as associated data (a value moved to another name, or another journal's, does not
//! open). Nothing of it is readable without the data key (S10: how often a person syncs is
//! theirs to know). A key rotation re-seals every value under the new key in the same
//! transaction, so none is lost to it.

use super::RecordWriter;
use crate::crypto::envelope;
use crate::crypto::keyring::Keyring;
use crate::error::{Error, Result};
use crate::store::settings;
use rusqlite::Connection;
use zeroize::Zeroizing;

/// The prefix of a local-state row's name in the settings table.
const PREFIX: &str = "local:";
/// The longest name a local value may have.
const MAX_NAME: usize = 64;

fn row_name(name: &str) -> Result<String> {
    if name.is_empty() || name.len() > MAX_NAME || !name.is_ascii() {
        return Err(Error::invalid(
            "local state name",
            "must be 1 to 64 ASCII characters",
        ));
    }
    Ok(format!("{PREFIX}{name}"))
}

fn context(journal_id: &[u8; 16], name: &str) -> Vec<u8> {
    let mut out = b"waymark local state v1:".to_vec();
    out.extend_from_slice(journal_id);
    out.extend_from_slice(name.as_bytes());
    out
}

/// Reads and opens the local value `name`: `None` when there is none; damage is
/// [`Error::CorruptJournal`].
pub(crate) fn read(
    conn: &Connection,
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    name: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let Some(sealed) = settings::get(conn, &row_name(name)?)? else {
        return Ok(None);
    };
    let mut buffer = Zeroizing::new(sealed);
    let key = keyring.local_state_key()?;
    let range = envelope::open_in_place(key, &mut buffer, &context(journal_id, name)).ok_or(
        Error::CorruptJournal {
            detail: "a value of the journal's sync record does not open",
        },
    )?;
    Ok(Some(Zeroizing::new(buffer[range].to_vec())))
}

/// Seals and writes the local value `name`.
pub(crate) fn write(
    conn: &Connection,
    keyring: &mut Keyring,
    journal_id: &[u8; 16],
    name: &str,
    value: &[u8],
) -> Result<()> {
    let row = row_name(name)?;
    let key = keyring.local_state_key()?;
    let sealed = envelope::seal(key, &context(journal_id, name), value)?;
    settings::set(conn, &row, &sealed)
}

/// Re-seals every local value from `old`'s key under `new`'s, inside the caller's
/// transaction (a key rotation). A value that does not open under the old key is dropped:
/// it could never be read again anyway.
pub(crate) fn reseal_all(
    conn: &Connection,
    old: &mut Keyring,
    new: &mut Keyring,
    journal_id: &[u8; 16],
) -> Result<()> {
    let names: Vec<String> = settings::names_with_prefix(conn, PREFIX)?
        .into_iter()
        .filter_map(|n| n.strip_prefix(PREFIX).map(str::to_owned))
        .collect();
    for name in names {
        match read(conn, old, journal_id, &name) {
            Ok(Some(value)) => write(conn, new, journal_id, &name, &value)?,
            Ok(None) => {}
            Err(_) => settings::delete(conn, &row_name(&name)?)?,
        }
    }
    Ok(())
}

impl RecordWriter<'_> {
    /// The local value `name` as this transaction sees it (see the module docs).
    pub(crate) fn local_state(&mut self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        read(&self.tx, self.keyring, &self.journal_id, name)
    }

    /// Writes the local value `name` in this transaction.
    pub(crate) fn set_local_state(&mut self, name: &str, value: &[u8]) -> Result<()> {
        write(&self.tx, self.keyring, &self.journal_id, name, value)
    }
}
