//! The platform key slot's contract with the phone: wrap and unwrap bytes with a key that
//! never leaves the device's key store (Android Keystore, the iOS Keychain / Secure Enclave).
//!
//! The journal hands the shell a random 32-byte slot key to wrap; it stores what comes back and
//! asks for it to be unwrapped at unlock. The shell never sees the data key or any record.
//! When the platform key is gone (a restored phone, new biometrics) the shell reports
//! [`PlatformKeyError::KeyInvalidated`]; the journal then stays as it is and the person unlocks
//! with the passphrase or the recovery code (SECURITY.md S16). Nothing here ever regenerates a
//! key over existing data.

use zeroize::Zeroizing;

/// Why the platform could not wrap or unwrap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformKeyError {
    /// The platform key no longer exists or was invalidated (new biometric enrolment, device
    /// restored from backup).
    #[error("the device key was removed or invalidated")]
    KeyInvalidated,
    /// The person dismissed the biometric or passcode prompt.
    #[error("the person cancelled the unlock prompt")]
    Cancelled,
    /// Any other failure, described by the platform (never containing key material).
    #[error("the device key store failed: {0}")]
    Failed(String),
}

/// A device key store the journal can ask to wrap and unwrap its platform slot's key.
///
/// Implementations must be safe to call from any thread; unwrapping may block on a biometric
/// prompt, so it is never called while holding a UI thread.
pub trait PlatformKeyStore: Send + Sync {
    /// Encrypts `plaintext` (32 bytes) with the device key and returns the wrapped form.
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, PlatformKeyError>;

    /// Decrypts bytes returned by [`PlatformKeyStore::wrap`].
    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyError>;
}
