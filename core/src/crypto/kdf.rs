//! Argon2id (RFC 9106, version 0x13) for turning a passphrase into a key-encryption key.
//!
//! Parameters are stored beside each passphrase slot, so they can be raised later: a journal
//! re-wraps its data key under stronger parameters the next time the passphrase unlocks it.
//! [`KdfParams::RECOMMENDED`] is the default for new journals; [`KdfParams::OWASP_MINIMUM`] is
//! the floor OWASP names and the level below which [`KdfParams::is_below_owasp`] warns.

use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// Argon2id cost parameters: memory in KiB, passes over memory, and lanes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub memory_kib: i32,
    /// Number of passes (time cost).
    pub iterations: i32,
    /// Degree of parallelism (lanes).
    pub parallelism: i32,
}

impl KdfParams {
    /// The default for new journals: 64 MiB, 3 passes, 1 lane (SECURITY.md S3's "stronger"
    /// level; the store benchmark measures what unlocking costs with it).
    pub const RECOMMENDED: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    /// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    pub const OWASP_MINIMUM: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// The most memory any slot or backup may ask for: 1 GiB (in KiB). Stored parameters
    /// above a ceiling are refused before anything is derived or allocated (S18).
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// The most passes any slot or backup may ask for.
    pub const MAX_ITERATIONS: u32 = 10;
    /// The most lanes any slot or backup may ask for.
    pub const MAX_PARALLELISM: u32 = 4;

    /// Builds parameters within the ceilings: memory at least 8 KiB per lane and at most
    /// [`KdfParams::MAX_MEMORY_KIB`] (1 GiB), 1 to [`KdfParams::MAX_ITERATIONS`] (10)
    /// passes, 1 to [`KdfParams::MAX_PARALLELISM`] (4) lanes. Parameters below
    /// [`KdfParams::OWASP_MINIMUM`] are accepted (tests and benchmarks need cheap ones) but
    /// [`KdfParams::is_below_owasp`] reports them.
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self> {
        if !(1..=Self::MAX_PARALLELISM).contains(&parallelism) {
            return Err(Error::invalid("kdf parallelism", "must be between 1 and 4"));
        }
        if memory_kib < 8 * parallelism || memory_kib > Self::MAX_MEMORY_KIB {
            return Err(Error::invalid(
                "kdf memory",
                "must be between 8 KiB per lane and 1 GiB",
            ));
        }
        if !(1..=Self::MAX_ITERATIONS).contains(&iterations) {
            return Err(Error::invalid("kdf iterations", "must be between 1 and 10"));
        }
        // Within the ceilings every value fits an `i32` (the FFI's `Int`).
        let fit =
            |v: u32| i32::try_from(v).map_err(|_| Error::invalid("kdf", "above the ceilings"));
        Ok(KdfParams {
            memory_kib: fit(memory_kib)?,
            iterations: fit(iterations)?,
            parallelism: fit(parallelism)?,
        })
    }

    /// These parameters if they are within the ceilings of [`KdfParams::new`] (fields set
    /// directly, as the FFI does, are checked by this); invalid input naming the kdf field
    /// otherwise.
    pub fn checked(&self) -> Result<Self> {
        let word = |v: i32| u32::try_from(v).unwrap_or(0);
        KdfParams::new(
            word(self.memory_kib),
            word(self.iterations),
            word(self.parallelism),
        )
    }

    /// True when these parameters are weaker than OWASP's minimum in memory or passes.
    pub fn is_below_owasp(&self) -> bool {
        self.memory_kib < Self::OWASP_MINIMUM.memory_kib
            || self.iterations < Self::OWASP_MINIMUM.iterations
    }

    /// True when `self` costs less than `target` in memory or passes, so a slot using `self`
    /// should be re-wrapped under `target`.
    pub fn is_weaker_than(&self, target: &KdfParams) -> bool {
        self.memory_kib < target.memory_kib || self.iterations < target.iterations
    }

    /// The 12-byte stored form: memory, iterations, parallelism, each big-endian `u32`.
    pub fn to_bytes(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[0..4].copy_from_slice(&self.memory_kib.to_be_bytes());
        out[4..8].copy_from_slice(&self.iterations.to_be_bytes());
        out[8..12].copy_from_slice(&self.parallelism.to_be_bytes());
        out
    }

    /// Reads the stored form written by [`KdfParams::to_bytes`], checking the ceilings
    /// again: anything malformed or above them is [`Error::CorruptJournal`] (damage, never a
    /// wrong secret), before any memory is allocated for it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let word = |i: usize| -> Option<u32> {
            Some(u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?))
        };
        let damaged = || Error::CorruptJournal {
            detail: "a key slot's key-derivation parameters are malformed or above the ceilings",
        };
        match (bytes.len(), word(0), word(4), word(8)) {
            (12, Some(m), Some(t), Some(p)) => KdfParams::new(m, t, p).map_err(|_| damaged()),
            _ => Err(damaged()),
        }
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams::RECOMMENDED
    }
}

/// Argon2id v0x13 with every input RFC 9106 defines: the password, a salt of at least 8
/// bytes, an optional secret (pepper) and associated data, writing `out.len()` bytes of tag
/// (at least 4).
pub fn argon2id(
    password: &[u8],
    salt: &[u8],
    params: &KdfParams,
    secret: &[u8],
    associated_data: &[u8],
    out: &mut [u8],
) -> Result<()> {
    use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
    let mut builder = ParamsBuilder::new();
    // Parameters may arrive from the FFI as plain fields: the ceilings are checked here too.
    let checked = params.checked()?;
    builder
        .m_cost(checked.memory_kib.unsigned_abs())
        .t_cost(checked.iterations.unsigned_abs())
        .p_cost(checked.parallelism.unsigned_abs())
        .output_len(out.len());
    if !associated_data.is_empty() {
        let data = AssociatedData::new(associated_data)
            .map_err(|_| Error::invalid("kdf associated data", "must be at most 32 bytes"))?;
        builder.data(data);
    }
    let argon_params = builder
        .build()
        .map_err(|_| Error::invalid("kdf parameters", "rejected by Argon2"))?;
    let hasher = if secret.is_empty() {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
    } else {
        Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, argon_params)
            .map_err(|_| Error::invalid("kdf secret", "rejected by Argon2"))?
    };
    hasher
        .hash_password_into(password, salt, out)
        .map_err(|_| Error::invalid("kdf input", "password, salt or output length out of range"))
}

/// Derives a 32-byte key-encryption key from a passphrase and a slot's salt.
pub fn derive_key(
    passphrase: &[u8],
    salt: &[u8],
    params: &KdfParams,
) -> Result<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 32]);
    argon2id(passphrase, salt, params, &[], &[], out.as_mut())?;
    Ok(out)
}
