//! Making and opening key slots: how each kind of secret becomes a key-encryption key, and the
//! associated data that binds a wrapped data key to its journal and slot (S2, S3, S5).
//!
//! - Passphrase: Argon2id over the passphrase with the slot's 16-byte salt and parameters.
//! - Recovery code: HKDF-SHA256 over the code's 130 random bits with the slot's salt (the code
//!   is already full-entropy, so stretching adds nothing).
//! - Platform: a random 32-byte slot key, wrapped by the phone's key store; the wrapped form is
//!   the slot's `params`.
//!
//! Every new slot is written and then read back and test-opened in the caller's transaction
//! before anything older is removed ([`insert_verified`]).

use crate::crypto::kdf::{derive_key, KdfParams};
use crate::crypto::keyring::DataKey;
use crate::crypto::recovery_code::RecoveryCode;
use crate::crypto::{random_array, subkeys};
use crate::error::{Error, Result};
use crate::platform::{PlatformKeyError, PlatformKeyStore};
use crate::store::slots::{self, SlotKind, SlotRow};
use rusqlite::Connection;
use zeroize::Zeroizing;

/// The shortest passphrase a new slot accepts, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// The longest passphrase accepted, in bytes.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;
const RECOVERY_SLOT_INFO: &[u8] = b"waymark/v1/recovery-slot";

/// A slot ready to insert, with the key that opens it kept for the test-open.
pub(crate) struct NewSlot {
    kind: SlotKind,
    label: String,
    salt: [u8; 16],
    params: Vec<u8>,
    kek: Zeroizing<[u8; 32]>,
}

fn context(journal_id: &[u8; 16], kind: SlotKind, salt: &[u8], params: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + salt.len() + params.len());
    out.extend_from_slice(b"wm-slot\0");
    out.extend_from_slice(journal_id);
    out.push(kind.tag());
    out.extend_from_slice(&(salt.len() as u32).to_be_bytes());
    out.extend_from_slice(salt);
    out.extend_from_slice(params);
    out
}

/// Checks a new passphrase against the length rules.
pub(crate) fn validate_new_passphrase(passphrase: &str) -> Result<()> {
    validate_passphrase_for("passphrase", passphrase)
}

/// Checks a new secret passphrase named `field` (a journal's or a backup's) against the
/// length rules.
pub(crate) fn validate_passphrase_for(field: &'static str, passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            field,
            format!("must be at least {MIN_PASSPHRASE_CHARS} characters"),
        ));
    }
    if passphrase.len() > MAX_PASSPHRASE_BYTES {
        return Err(Error::invalid(
            field,
            format!("must be at most {MAX_PASSPHRASE_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// Checks a platform slot label: 1 to 40 characters of `a-z`, `0-9`, `-`, `_` and `.`.
pub(crate) fn validate_label(label: &str) -> Result<()> {
    let ok = !label.is_empty()
        && label.len() <= 40
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "slot label",
            "must be 1 to 40 characters of a-z, 0-9, '-', '_' and '.'",
        ))
    }
}

/// A passphrase slot under `params` with a fresh salt (runs Argon2id: slow by design).
///
/// Its label names the passphrase, not the wrap: a new passphrase gets a new random label
/// (`same_passphrase` is `None`); the same passphrase wrapped again (stronger parameters on
/// unlock, a new data key) keeps the label it had. So the person's other devices can tell "the
/// passphrase was changed" from "the same passphrase, wrapped again" (`recovery::sync`).
/// Slots made before labels have an empty one, kept the same way.
pub(crate) fn passphrase_slot(
    passphrase: &str,
    params: &KdfParams,
    same_passphrase: Option<&str>,
) -> Result<NewSlot> {
    validate_new_passphrase(passphrase)?;
    let salt = random_array()?;
    let kek = derive_key(passphrase.as_bytes(), &salt, params)?;
    let label = match same_passphrase {
        Some(label) => label.to_owned(),
        None => {
            let id: [u8; 8] = random_array()?;
            let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
            format!("passphrase-{hex}")
        }
    };
    Ok(NewSlot {
        kind: SlotKind::Passphrase,
        label,
        salt,
        params: params.to_bytes().to_vec(),
        kek,
    })
}

fn recovery_kek(code: &RecoveryCode, salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let mut kek = Zeroizing::new([0u8; 32]);
    subkeys::hkdf_sha256(salt, code.secret(), RECOVERY_SLOT_INFO, kek.as_mut())?;
    Ok(kek)
}

/// A recovery-code slot for `code` with a fresh salt.
pub(crate) fn recovery_slot(code: &RecoveryCode) -> Result<NewSlot> {
    let salt = random_array()?;
    let kek = recovery_kek(code, &salt)?;
    Ok(NewSlot {
        kind: SlotKind::RecoveryCode,
        label: String::new(),
        salt,
        params: Vec::new(),
        kek,
    })
}

/// A platform slot: a random slot key, wrapped by `platform`.
pub(crate) fn platform_slot(platform: &dyn PlatformKeyStore, label: &str) -> Result<NewSlot> {
    validate_label(label)?;
    let salt = random_array()?;
    let mut kek = Zeroizing::new([0u8; 32]);
    crate::crypto::fill_random(kek.as_mut())?;
    let params = platform.wrap(kek.as_ref()).map_err(platform_error)?;
    Ok(NewSlot {
        kind: SlotKind::Platform,
        label: label.to_owned(),
        salt,
        params,
        kek,
    })
}

/// Maps a platform failure to the journal's error.
pub(crate) fn platform_error(e: PlatformKeyError) -> Error {
    Error::PlatformKeyUnavailable {
        reason: e.to_string(),
    }
}

/// The slots of `kind` whose checksum holds, and how many of that kind are damaged.
pub(crate) fn intact_of_kind<'a>(
    rows: &'a [SlotRow],
    kind: SlotKind,
    journal_id: &[u8; 16],
) -> (Vec<&'a SlotRow>, usize) {
    let (intact, damaged): (Vec<&SlotRow>, Vec<&SlotRow>) = rows
        .iter()
        .filter(|r| r.kind == kind)
        .partition(|r| r.is_intact(journal_id));
    (intact, damaged.len())
}

/// The error when no slot opened: damage when every slot the secret could have opened is
/// damaged, otherwise the uniform wrong-secret error.
pub(crate) fn nothing_opened(intact: usize, damaged: usize) -> Error {
    if intact == 0 && damaged > 0 {
        Error::CorruptJournal {
            detail:
                "the key slot this secret opens is damaged (use another way to unlock, or a backup)",
        }
    } else {
        Error::WrongSecret
    }
}

/// Inserts `slot` wrapping `data_key`, reads it back and test-opens it; returns its id.
pub(crate) fn insert_verified(
    conn: &Connection,
    journal_id: &[u8; 16],
    slot: &NewSlot,
    data_key: &DataKey,
) -> Result<i64> {
    let ctx = context(journal_id, slot.kind, &slot.salt, &slot.params);
    let wrapped = data_key.wrap(&slot.kek, &ctx)?;
    let id = slots::insert(
        conn,
        journal_id,
        slot.kind,
        &slot.label,
        &slot.salt,
        &slot.params,
        &wrapped,
    )?;
    let stored = slots::get(conn, id)?.ok_or(Error::CorruptJournal {
        detail: "a key slot vanished while it was written",
    })?;
    let stored_ctx = context(journal_id, stored.kind, &stored.salt, &stored.params);
    match DataKey::unwrap(&slot.kek, &stored.wrapped_key, &stored_ctx) {
        Some(opened) if opened.same_as(data_key) => Ok(id),
        _ => Err(Error::CorruptJournal {
            detail: "a new key slot did not open after it was written",
        }),
    }
}

fn unwrap_row(row: &SlotRow, journal_id: &[u8; 16], kek: &[u8; 32]) -> Option<DataKey> {
    let ctx = context(journal_id, row.kind, &row.salt, &row.params);
    DataKey::unwrap(kek, &row.wrapped_key, &ctx)
}

/// Tries a passphrase on a passphrase slot (runs Argon2id with the slot's parameters).
pub(crate) fn open_with_passphrase(
    row: &SlotRow,
    journal_id: &[u8; 16],
    passphrase: &str,
) -> Result<Option<DataKey>> {
    let params = KdfParams::from_bytes(&row.params)?;
    let kek = derive_key(passphrase.as_bytes(), &row.salt, &params)?;
    Ok(unwrap_row(row, journal_id, &kek))
}

/// Tries a recovery code on a recovery slot.
pub(crate) fn open_with_recovery_code(
    row: &SlotRow,
    journal_id: &[u8; 16],
    code: &RecoveryCode,
) -> Result<Option<DataKey>> {
    let kek = recovery_kek(code, &row.salt)?;
    Ok(unwrap_row(row, journal_id, &kek))
}

/// Asks the platform to unwrap a platform slot's key, then opens the slot with it.
pub(crate) fn open_with_platform(
    row: &SlotRow,
    journal_id: &[u8; 16],
    platform: &dyn PlatformKeyStore,
) -> std::result::Result<Option<DataKey>, PlatformKeyError> {
    let unwrapped = platform.unwrap(&row.params)?;
    let Ok(kek) = <[u8; 32]>::try_from(unwrapped.as_slice()) else {
        return Ok(None);
    };
    let kek = Zeroizing::new(kek);
    Ok(unwrap_row(row, journal_id, &kek))
}
