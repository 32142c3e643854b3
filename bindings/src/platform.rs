//! The foreign side of the platform key slot and of the clock: traits the shells implement.
//!
//! [`PlatformKeySlot`] is implemented by the Android Keystore and iOS Keychain code in the
//! shells (and by a software key in their tests); [`ShellClock`] lets a shell pin time (tests,
//! screenshots). Both are called from whichever thread made the journal call.

use std::sync::Arc;
use std::time::SystemTime;
use waymark_core::recovery::clock::Clock;
use waymark_core::{PlatformKeyError, PlatformKeyStore};
use zeroize::Zeroizing;

/// Why the device key store could not wrap or unwrap.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PlatformKeyFailure {
    /// The key was removed or invalidated (new biometrics, restored phone).
    #[error("the device key was removed or invalidated")]
    KeyInvalidated,
    /// The person cancelled the biometric or passcode prompt.
    #[error("the unlock prompt was cancelled")]
    Cancelled,
    /// Anything else, in the platform's words (never key material).
    #[error("the device key store failed: {reason}")]
    Failed {
        /// What the platform said.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformKeyFailure {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        PlatformKeyFailure::Failed {
            reason: error.reason,
        }
    }
}

/// A device key store that wraps and unwraps the journal's 32-byte platform slot key with a
/// key that never leaves the device. Unwrapping may show a biometric prompt and block; the
/// journal never calls it on the UI thread unless the shell does.
#[uniffi::export(foreign)]
pub trait PlatformKeySlot: Send + Sync {
    /// Encrypts `key` with the device key; returns the wrapped bytes to store.
    fn wrap_key(&self, key: Vec<u8>) -> Result<Vec<u8>, PlatformKeyFailure>;
    /// Decrypts bytes made by `wrap_key`.
    fn unwrap_key(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, PlatformKeyFailure>;
}

/// Adapts a shell's [`PlatformKeySlot`] to the core's [`PlatformKeyStore`].
pub(crate) struct ForeignKeyStore(pub(crate) Arc<dyn PlatformKeySlot>);

fn core_error(failure: PlatformKeyFailure) -> PlatformKeyError {
    match failure {
        PlatformKeyFailure::KeyInvalidated => PlatformKeyError::KeyInvalidated,
        PlatformKeyFailure::Cancelled => PlatformKeyError::Cancelled,
        PlatformKeyFailure::Failed { reason } => PlatformKeyError::Failed(reason),
    }
}

impl PlatformKeyStore for ForeignKeyStore {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        self.0.wrap_key(plaintext.to_vec()).map_err(core_error)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyError> {
        self.0
            .unwrap_key(wrapped.to_vec())
            .map(Zeroizing::new)
            .map_err(core_error)
    }
}

/// A clock a shell can supply (to pin time in tests or screenshots); without one the system
/// clock is used.
#[uniffi::export(foreign)]
pub trait ShellClock: Send + Sync {
    /// The current instant.
    fn now(&self) -> SystemTime;
}

/// Adapts a [`ShellClock`] to the core's [`Clock`].
pub(crate) struct ForeignClock(pub(crate) Arc<dyn ShellClock>);

impl Clock for ForeignClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.now().into()
    }
}
