//! Cryptography for the journal: key derivation, subkeys, the record envelope and the
//! recovery code.
//!
//! Everything here uses `ring` (AES-256-GCM, HKDF-SHA256, the system random number
//! generator) and RustCrypto's `argon2` (Argon2id v0x13). Key bytes live in
//! [`zeroize::Zeroizing`] buffers and are wiped when dropped; none of the key types implement
//! `Debug` or `Display`.
//!
//! The rest of the crate sees keys only through [`keyring`]'s types: it asks them to seal and
//! open, never for key bytes.

pub mod envelope;
pub mod kdf;
pub(crate) mod keyring;
pub mod recovery_code;
pub mod subkeys;
pub(crate) mod sync_keys;
pub(crate) mod wipe;

use crate::error::{Error, Result};
use ring::rand::{SecureRandom, SystemRandom};

/// Fills `out` with bytes from the operating system's secure random number generator.
pub fn fill_random(out: &mut [u8]) -> Result<()> {
    SystemRandom::new()
        .fill(out)
        .map_err(|_| Error::Crypto("the system random number generator failed"))
}

/// Returns `N` fresh random bytes from the operating system.
pub fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill_random(&mut out)?;
    Ok(out)
}
