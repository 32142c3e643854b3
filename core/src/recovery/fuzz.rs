//! Entry points for the coverage-guided fuzz targets in `fuzz/` (feature `fuzzing`, never in
//! an app build). Each takes arbitrary bytes and must return, whatever they are: no panic, no
//! abort, no unbounded allocation.

use super::backup::fuzz_entry;
use super::stored::{self, decode, StoredRecord};
use super::Recovery;
use crate::crypto::envelope::{self, Envelope, SealingKey};
use crate::crypto::kdf::KdfParams;
use crate::crypto::recovery_code::RecoveryCode;

/// A sealed envelope: parsed, opened with a fixed key, and its payload decoded.
pub fn envelope(data: &[u8]) {
    let _ = Envelope::parse(data);
    if let Ok(key) = SealingKey::new(&[7u8; 32], 1) {
        let mut buffer = data.to_vec();
        let _ = envelope::open_in_place(&key, &mut buffer, b"fuzz");
    }
    // What is inside an envelope once it opened.
    let _ = crate::record::decode_payload(data);
}

/// Key-slot parameters as stored (the Argon2id cost a slot names), checked against the
/// ceilings before anything would be allocated.
pub fn slot_params(data: &[u8]) {
    let _ = KdfParams::from_bytes(data);
}

/// A backup file's outer layer (see `backup::file`).
pub fn backup_file(data: &[u8]) {
    fuzz_entry::backup_file(data);
}

/// A backup's decrypted content.
pub fn backup_payload(data: &[u8]) {
    fuzz_entry::payload(data);
}

/// A stored body: the first byte picks the kind, the second the body version, the rest is
/// the body. A body that decodes is checked, re-encoded and shown as JSON.
pub fn body(data: &[u8]) {
    let [pick, version, body @ ..] = data else {
        return;
    };
    let mut kinds: Vec<fn(u8, &[u8])> = Vec::new();
    macro_rules! add {
        ($t:ty) => {
            kinds.push(|version, body| {
                if let Ok((value, unknown)) = decode::<$t>(version, body) {
                    let _ = crate::recovery::stored::Valid::check(&value, chrono::Utc::now());
                    let again = crate::codec::Message::to_body(&value, &unknown);
                    let _ = decode::<$t>(stored::BODY_TAGGED, &again);
                    let _ = stored::to_json(<$t as StoredRecord>::KIND, version, body);
                }
            });
        };
    }
    stored::for_each_kind!(add);
    let decode_as = kinds[usize::from(*pick) % kinds.len()];
    decode_as(*version, body);
}

/// A recovery code as a person might type it.
pub fn recovery_code(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = RecoveryCode::parse(text);
    }
}

/// An amount typed in each kind of currency (decimal point, decimal comma, no minor unit).
pub fn amount(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for code in ["EUR", "USD", "JPY", "CHF", "KWD"] {
        if let Ok(currency) = crate::recovery::money::Currency::parse(code) {
            let _ = currency.parse_amount("amount", text);
        }
    }
}

/// Merges a backup's decrypted content into `recovery`, then reads every screen.
pub fn merge(recovery: &Recovery, data: &[u8]) {
    fuzz_entry::merge(recovery, data);
}

/// The decrypted content of a backup of `recovery` (a corpus seed for [`merge`]).
pub fn payload_of(recovery: &Recovery) -> Vec<u8> {
    fuzz_entry::payload_of(recovery)
}

/// What sync reads from a store or from its own sealed state: a `keys` file, a blob's
/// plaintext, the ledger, a store's state (the first byte picks which).
pub fn sync_files(data: &[u8]) {
    super::sync::fuzz_entry::sync_files(data);
}

/// Real inputs for [`sync_files`]: `recovery` synced to a folder in `dir`, and what that
/// left in the folder and in its own state.
pub fn sync_seeds(
    recovery: &Recovery,
    dir: &std::path::Path,
) -> crate::error::Result<Vec<Vec<u8>>> {
    super::sync::fuzz_entry::seeds(recovery, dir)
}
