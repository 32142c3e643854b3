//! HKDF-SHA256 (RFC 5869) and the labels that give each use of the data key its own subkey.
//!
//! The data key itself never seals anything. Record content, any lookup index and exports
//! each get a key derived under a distinct label, so a key for one purpose never decrypts
//! another's data.

use crate::error::{Error, Result};
use ring::hkdf;
use zeroize::Zeroizing;

/// The HKDF salt every Waymark subkey uses (a fixed, public domain separator).
pub const SUBKEY_SALT: &[u8] = b"waymark subkeys v1";

/// The label of record-content keys; the key generation is appended as 4 big-endian bytes.
pub const LABEL_RECORD_CONTENT: &[u8] = b"waymark/v1/record-content";
/// The label of the keyed-HMAC lookup index key.
pub const LABEL_LOOKUP_INDEX: &[u8] = b"waymark/v1/lookup-index";
/// The label of the key that protects exports made from an unlocked journal.
pub const LABEL_EXPORT: &[u8] = b"waymark/v1/export";
/// The label of the key that seals what a journal keeps for itself alone (its sync
/// bookkeeping), never synced or backed up.
pub const LABEL_LOCAL_STATE: &[u8] = b"waymark/v1/local-state";

struct OutputLen(usize);

impl hkdf::KeyType for OutputLen {
    fn len(&self) -> usize {
        self.0
    }
}

/// HKDF-SHA256: extract with `salt` from `input_key`, then expand with `info` into `out`
/// (at most 255 × 32 bytes).
pub fn hkdf_sha256(salt: &[u8], input_key: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
    let info_parts = [info];
    hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(input_key)
        .expand(&info_parts, OutputLen(out.len()))
        .and_then(|okm| okm.fill(out))
        .map_err(|_| Error::invalid("hkdf output", "must be at most 8160 bytes"))
}

/// Derives the 32-byte subkey for `label` (and an optional `context`, appended to the label)
/// from a 32-byte data key.
pub fn derive_subkey(
    data_key: &[u8; 32],
    label: &[u8],
    context: &[u8],
) -> Result<Zeroizing<[u8; 32]>> {
    let mut info = Vec::with_capacity(label.len() + context.len());
    info.extend_from_slice(label);
    info.extend_from_slice(context);
    let mut out = Zeroizing::new([0u8; 32]);
    hkdf_sha256(SUBKEY_SALT, data_key, &info, out.as_mut())?;
    Ok(out)
}
