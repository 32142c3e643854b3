//! The backup file format (version 2; version 1 is still read) and writing it safely (S15).
//!
//! ```text
//! offset  size  field
//!      0     8  magic "WMBACKUP"
//!      8     2  format version, big-endian (2)
//!     10    12  Argon2id parameters (memory KiB, passes, lanes; big-endian u32 each)
//!     22    16  salt, random per backup
//!     38    16  checksum: SHA-256 over a label, bytes 0..38, the check length and the
//!               check envelope, truncated (format 2 only)
//!     54     2  length N of the check envelope, big-endian
//!     56     N  check envelope: AES-256-GCM of nothing, context "check" + bytes 0..38
//!   56+N     *  payload envelope: AES-256-GCM of the JSON payload, context "payload" +
//!               bytes 0..38 (so the header cannot be changed without detection)
//! ```
//!
//! The key is Argon2id(backup passphrase, salt). The checksum tells accidental damage to the
//! header or the check envelope ("damaged") from a wrong passphrase, and is verified, with
//! the Argon2id parameters' ceilings, before any key derivation runs. The check envelope
//! tells a wrong passphrase (it fails to open) apart from a payload damaged or changed after
//! it was written (it opens, the payload does not). Envelopes are the store's own
//! (`crypto::envelope`). Format 1 is format 2 without the checksum.

use crate::crypto::envelope::{self, SealingKey};
use crate::crypto::kdf::{derive_key, KdfParams};
use crate::crypto::random_array;
use crate::error::{Error, Result};
use std::path::Path;
use zeroize::Zeroizing;

const MAGIC: &[u8; 8] = b"WMBACKUP";
/// The newest backup format this build writes and reads.
pub const FORMAT_VERSION: u16 = 2;
/// The first format, without a checksum; still read.
const FORMAT_1: u16 = 1;
const HEADER_LEN: usize = 8 + 2 + 12 + 16;
const CHECKSUM_LEN: usize = 16;
/// Backups larger than this are refused before reading (a journal of decades is a few MB).
pub const MAX_BACKUP_BYTES: u64 = 1 << 30;
const CHECK_CONTEXT: &[u8] = b"waymark backup check";
const PAYLOAD_CONTEXT: &[u8] = b"waymark backup payload";

fn context(label: &[u8], header: &[u8]) -> Vec<u8> {
    let mut context = Vec::with_capacity(label.len() + header.len());
    context.extend_from_slice(label);
    context.extend_from_slice(header);
    context
}

fn damaged(detail: &'static str) -> Error {
    Error::BackupDamaged { detail }
}

fn header_checksum(header: &[u8], check: &[u8]) -> [u8; CHECKSUM_LEN] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(b"waymark backup header checksum v2");
    context.update(header);
    context.update(&(check.len() as u64).to_be_bytes());
    context.update(check);
    let mut out = [0u8; CHECKSUM_LEN];
    out.copy_from_slice(&context.finish().as_ref()[..CHECKSUM_LEN]);
    out
}

/// Encrypts `payload` under `passphrase` into the bytes of a backup file.
pub(super) fn seal_backup(payload: &[u8], passphrase: &str, kdf: &KdfParams) -> Result<Vec<u8>> {
    let salt: [u8; 16] = random_array()?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
    header.extend_from_slice(&kdf.to_bytes());
    header.extend_from_slice(&salt);
    let key_bytes = derive_key(passphrase.as_bytes(), &salt, kdf)?;
    let key = SealingKey::new(&key_bytes, 0)?;
    let check = envelope::seal(&key, &context(CHECK_CONTEXT, &header), &[])?;
    let sealed = envelope::seal(&key, &context(PAYLOAD_CONTEXT, &header), payload)?;
    let check_len = u16::try_from(check.len()).map_err(|_| Error::Crypto("check envelope"))?;
    let sum = header_checksum(&header, &check);
    let mut out = header;
    out.reserve(CHECKSUM_LEN + 2 + check.len() + sealed.len());
    out.extend_from_slice(&sum);
    out.extend_from_slice(&check_len.to_be_bytes());
    out.extend_from_slice(&check);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts the bytes of a backup file. A wrong passphrase is
/// [`Error::WrongBackupPassphrase`]; a file that is not a backup, truncated, damaged or
/// changed is [`Error::BackupDamaged`]; a newer format is [`Error::UnsupportedVersion`].
/// Nothing is derived before the header's checksum and parameters pass.
pub(super) fn open_backup(bytes: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>> {
    if bytes.len() < 10 || &bytes[..8] != MAGIC {
        return Err(damaged("this is not a Waymark backup file"));
    }
    let version = u16::from_be_bytes([bytes[8], bytes[9]]);
    let checksum_len = match version {
        FORMAT_VERSION => CHECKSUM_LEN,
        FORMAT_1 => 0,
        _ => {
            return Err(Error::UnsupportedVersion {
                what: "backup format",
                found: u32::from(version),
                supported: u32::from(FORMAT_VERSION),
            })
        }
    };
    let length_at = HEADER_LEN + checksum_len;
    let Some(length) = bytes.get(length_at..length_at + 2) else {
        return Err(damaged("the file is truncated"));
    };
    let header = &bytes[..HEADER_LEN];
    let check_len = usize::from(u16::from_be_bytes([length[0], length[1]]));
    let check_start = length_at + 2;
    let Some(check) = bytes.get(check_start..check_start + check_len) else {
        return Err(damaged("the file is truncated"));
    };
    if checksum_len > 0 && bytes[HEADER_LEN..length_at] != header_checksum(header, check) {
        return Err(damaged("its header is damaged"));
    }
    let kdf = KdfParams::from_bytes(&header[10..22])
        .map_err(|_| damaged("its key-derivation parameters are invalid or above the ceilings"))?;
    let salt = &header[22..38];
    let sealed = &bytes[check_start + check_len..];
    if sealed.is_empty() {
        return Err(damaged("the file is truncated"));
    }

    let key_bytes = derive_key(passphrase.as_bytes(), salt, &kdf)?;
    let key = SealingKey::new(&key_bytes, 0)?;
    let mut check = check.to_vec();
    if envelope::open_in_place(&key, &mut check, &context(CHECK_CONTEXT, header)).is_none() {
        return Err(Error::WrongBackupPassphrase);
    }
    let mut buffer = Zeroizing::new(sealed.to_vec());
    let range = envelope::open_in_place(&key, &mut buffer, &context(PAYLOAD_CONTEXT, header))
        .ok_or_else(|| damaged("it was truncated or changed after it was written"))?;
    Ok(Zeroizing::new(buffer[range].to_vec()))
}

/// Reads a whole backup file, refusing anything over [`MAX_BACKUP_BYTES`].
pub(super) fn read_file(path: &Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io("reading the backup", path, e))?
        .len();
    if size > MAX_BACKUP_BYTES {
        return Err(damaged("it is larger than any Waymark backup (over 1 GiB)"));
    }
    std::fs::read(path).map_err(|e| Error::io("reading the backup", path, e))
}

#[cfg(test)]
mod tests {
    //! S18 for backup headers: parameters above the ceilings are refused before any key is
    //! derived, even with a checksum recomputed to match (a hostile file), and a flipped bit
    //! reads as damage, never as a wrong passphrase.
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn small_backup() -> Vec<u8> {
        seal_backup(
            b"content",
            "a backup passphrase",
            &KdfParams::new(8, 1, 1).unwrap(),
        )
        .unwrap()
    }

    /// The backup with its parameters replaced and the header checksum recomputed.
    fn with_params(bytes: &[u8], memory_kib: u32, passes: u32, lanes: u32) -> Vec<u8> {
        let mut out = bytes.to_vec();
        out[10..14].copy_from_slice(&memory_kib.to_be_bytes());
        out[14..18].copy_from_slice(&passes.to_be_bytes());
        out[18..22].copy_from_slice(&lanes.to_be_bytes());
        let length_at = HEADER_LEN + CHECKSUM_LEN;
        let check_len = usize::from(u16::from_be_bytes([out[length_at], out[length_at + 1]]));
        let check = out[length_at + 2..length_at + 2 + check_len].to_vec();
        let sum = header_checksum(&out[..HEADER_LEN], &check);
        out[HEADER_LEN..length_at].copy_from_slice(&sum);
        out
    }

    #[test]
    fn parameters_above_the_ceilings_are_refused_before_any_derivation() {
        let good = small_backup();
        assert!(open_backup(&good, "a backup passphrase").is_ok());
        for (memory, passes, lanes) in [
            (4 * 1024 * 1024, 1, 1), // 4 GiB: the audit's abort
            (u32::MAX, 1, 1),
            (8, 11, 1),
            (8, u32::MAX, 1),
            (8, 1, 5),
            (0, 1, 1),
        ] {
            let hostile = with_params(&good, memory, passes, lanes);
            // A derivation would have run (and answered "wrong passphrase", or aborted on
            // the allocation): damage means it never started.
            assert!(
                matches!(
                    open_backup(&hostile, "another passphrase"),
                    Err(Error::BackupDamaged { .. })
                ),
                "{memory} KiB, {passes} passes, {lanes} lanes"
            );
        }
    }

    #[test]
    fn a_flipped_bit_in_the_header_is_damage_not_a_wrong_passphrase() {
        let good = small_backup();
        for byte in 10..HEADER_LEN + CHECKSUM_LEN {
            let mut damaged_copy = good.clone();
            damaged_copy[byte] ^= 0x10;
            assert!(
                matches!(
                    open_backup(&damaged_copy, "a backup passphrase"),
                    Err(Error::BackupDamaged { .. })
                ),
                "byte {byte}"
            );
        }
    }
}
