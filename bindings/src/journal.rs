//! [`WaymarkJournal`]: one journal file, its secrets and its lifecycle.
//!
//! The object is `Send + Sync` and safe to call from any thread; calls on one journal run
//! one after another. **Slow calls** run Argon2id on purpose (a few hundred milliseconds on a
//! phone) and must stay off the UI thread: [`create_journal`], `unlock_with_passphrase`,
//! `change_passphrase`, `add_passphrase`, `rotate_data_key` and the backup calls
//! (`write_backup`, `merge_backup`, `restore_journal`). `unlock_with_platform` may
//! block on a biometric prompt. Everything else is milliseconds, except `review_progress`
//! on a years-long journal (tens of milliseconds): still keep it off the UI thread.

use crate::error::{Result, WaymarkError};
use crate::platform::{ForeignClock, ForeignKeyStore, PlatformKeySlot, ShellClock};
use std::path::Path;
use std::sync::{Arc, RwLock};
use waymark_core::recovery::clock::{Clock, SystemClock};
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions, KdfParams, KeySlot};

/// An open journal: locked or unlocked, until wiped.
#[derive(uniffi::Object)]
pub struct WaymarkJournal {
    inner: RwLock<Option<Recovery>>,
}

/// A new journal and its recovery code. Show the code once, ask the person to write it
/// down, and do not keep it: it is never stored in a readable form.
#[derive(uniffi::Record)]
pub struct CreatedJournal {
    /// The journal, unlocked.
    pub journal: Arc<WaymarkJournal>,
    /// Six groups of five characters, such as `J23N0-KKQZ0-...`.
    pub recovery_code: String,
}

/// What rotating the data key changed.
#[derive(uniffi::Record)]
pub struct KeyRotationReport {
    /// The new recovery code (the old one stops working): show it once.
    pub recovery_code: Option<String>,
    /// Records re-sealed under the new key.
    pub records_resealed: i64,
    /// Damaged records kept as they were.
    pub damaged_records_kept: i64,
    /// Platform slots removed because no key slot was given to re-wrap them.
    pub platform_slots_removed: i64,
    /// Records found by a natural key (a day's check-in...) moved to the new key's id.
    pub records_rekeyed: i64,
    /// Records kept under an id of their own because a newer one had the same natural key.
    pub duplicates_kept: i64,
}

/// A recovery code added beside the old one (see `WaymarkJournal::add_recovery_code`).
#[derive(uniffi::Record)]
pub struct NewRecoveryCode {
    /// The code, in groups (`J23N0-KKQZ0-...`): show it once.
    pub code: String,
    /// Its slot, for `retire_old_recovery_codes`.
    pub slot_id: i64,
}

/// Why a journal can be read but not changed (see `WaymarkJournal::read_only_reason`).
#[derive(uniffi::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadOnlyReason {
    /// The file is shorter than it should be: its last pages are gone.
    CutShort,
    /// SQLite refused the file's structure as it opened.
    Structure,
    /// The part of the file that tracks its writes is damaged.
    WriteState,
}

impl From<waymark_core::Salvage> for ReadOnlyReason {
    fn from(why: waymark_core::Salvage) -> Self {
        match why {
            waymark_core::Salvage::CutShort => ReadOnlyReason::CutShort,
            waymark_core::Salvage::WriteState => ReadOnlyReason::WriteState,
            _ => ReadOnlyReason::Structure,
        }
    }
}

/// Journal options with `kdf` overriding the Argon2id cost (tests only).
pub(crate) fn options(kdf: Option<KdfParams>) -> Result<JournalOptions> {
    let mut options = JournalOptions::default();
    if let Some(kdf) = kdf {
        options.kdf = kdf.checked()?;
    }
    Ok(options)
}

/// The shell's clock, or the system clock.
pub(crate) fn clock_of(clock: Option<Arc<dyn ShellClock>>) -> Arc<dyn Clock> {
    match clock {
        Some(clock) => Arc::new(ForeignClock(clock)),
        None => Arc::new(SystemClock),
    }
}

/// Creates a journal at `path` protected by `passphrase`; returns it unlocked with its
/// recovery code. `kdf` overrides the Argon2id cost (tests only; leave it out in an app).
/// Slow: runs Argon2id.
#[uniffi::export(default(kdf = None, clock = None))]
pub fn create_journal(
    path: String,
    passphrase: String,
    kdf: Option<KdfParams>,
    clock: Option<Arc<dyn ShellClock>>,
) -> Result<CreatedJournal> {
    let (journal, code) = Journal::create(Path::new(&path), &passphrase, options(kdf)?)?;
    let recovery_code = code.reveal().to_string();
    Ok(CreatedJournal {
        journal: Arc::new(WaymarkJournal::wrap(journal, clock)),
        recovery_code,
    })
}

/// True when the file at `path` is a journal whose creation never finished (an app stopped
/// while creating or restoring it): it holds no key and nothing the person wrote.
#[uniffi::export]
pub fn is_unfinished_journal(path: String) -> bool {
    Journal::is_unfinished(Path::new(&path))
}

/// Removes an unfinished journal at `path` (see `is_unfinished_journal`) with its side files;
/// anything else is refused with `AlreadyExists`.
#[uniffi::export]
pub fn remove_unfinished_journal(path: String) -> Result<()> {
    Ok(Journal::remove_unfinished(Path::new(&path))?)
}

impl WaymarkJournal {
    fn wrap(journal: Journal, clock: Option<Arc<dyn ShellClock>>) -> Self {
        Self::from_recovery(Recovery::new(journal, clock_of(clock)))
    }

    /// The object over an open recovery service.
    pub(crate) fn from_recovery(recovery: Recovery) -> Self {
        WaymarkJournal {
            inner: RwLock::new(Some(recovery)),
        }
    }

    /// Runs `action` on the recovery service, mapping the core's errors.
    pub(crate) fn with<T>(
        &self,
        action: impl FnOnce(&Recovery) -> waymark_core::Result<T>,
    ) -> Result<T> {
        let guard = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let recovery = guard.as_ref().ok_or_else(wiped)?;
        action(recovery).map_err(WaymarkError::from)
    }
}

/// After an unlock: writes the check-ins held while locked (`check_in_or_hold`). The unlock
/// stands even if writing them fails; they stay held (`held_check_ins`) and are tried again.
fn delivered(recovery: &Recovery, unlocked: waymark_core::Result<()>) -> waymark_core::Result<()> {
    unlocked?;
    let _ = recovery.deliver_held_check_ins();
    Ok(())
}

fn wiped() -> WaymarkError {
    WaymarkError::Wiped {
        summary: "this journal was wiped; open or create another".into(),
    }
}

#[uniffi::export]
impl WaymarkJournal {
    /// Opens the journal at `path`, locked. `kdf` is the cost for passphrase slots written
    /// from now on (tests only); `clock` pins time (tests only).
    #[uniffi::constructor(default(kdf = None, clock = None))]
    pub fn open(
        path: String,
        kdf: Option<KdfParams>,
        clock: Option<Arc<dyn ShellClock>>,
    ) -> Result<Arc<Self>> {
        let journal = Journal::open(Path::new(&path), options(kdf)?)?;
        Ok(Arc::new(WaymarkJournal::wrap(journal, clock)))
    }

    /// The file's path.
    pub fn path(&self) -> Result<String> {
        self.with(|r| Ok(r.journal().path().to_string_lossy().into_owned()))
    }

    /// True while unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.with(|r| Ok(r.journal().is_unlocked()))
            .unwrap_or(false)
    }

    /// Unlocks with the passphrase, then writes any check-ins held while locked. Slow: runs
    /// Argon2id.
    pub fn unlock_with_passphrase(&self, passphrase: String) -> Result<()> {
        self.with(|r| delivered(r, r.journal().unlock_with_passphrase(&passphrase)))
    }

    /// Unlocks with the recovery code (case, spaces and dashes are forgiven), then writes any
    /// check-ins held while locked.
    pub fn unlock_with_recovery_code(&self, code: String) -> Result<()> {
        self.with(|r| delivered(r, r.journal().unlock_with_recovery_code(&code)))
    }

    /// Unlocks with the device key. May block on a biometric prompt. A missing or
    /// invalidated key is `PlatformKeyUnavailable`: fall back to the passphrase.
    pub fn unlock_with_platform(&self, slot: Arc<dyn PlatformKeySlot>) -> Result<()> {
        self.with(|r| delivered(r, r.journal().unlock_with_platform(&ForeignKeyStore(slot))))
    }

    /// Locks: every key is dropped and zeroized, and the decrypted journal held in memory is
    /// overwritten and dropped.
    pub fn lock(&self) {
        let _ = self.with(|r| {
            r.lock();
            Ok(())
        });
    }

    /// Changes the passphrase (re-wraps the data key only). Slow: runs Argon2id.
    pub fn change_passphrase(&self, current: String, new_passphrase: String) -> Result<()> {
        self.with(|r| r.journal().change_passphrase(&current, &new_passphrase))
    }

    /// Adds a passphrase to a journal that has none (it was removed in favour of the device
    /// key); returns its slot id. Slow: runs Argon2id.
    pub fn add_passphrase(&self, passphrase: String) -> Result<i64> {
        self.with(|r| r.journal().add_passphrase(&passphrase))
    }

    /// Adds a device-key slot wrapped by `slot`; returns its id.
    pub fn add_platform_slot(&self, slot: Arc<dyn PlatformKeySlot>, label: String) -> Result<i64> {
        self.with(|r| {
            r.journal()
                .add_platform_slot(&ForeignKeyStore(slot), &label)
        })
    }

    /// The first step of replacing the recovery code: adds a slot for a new code and returns
    /// it; the old code keeps working. Show the code, and once the person confirms they have
    /// written it down call [`WaymarkJournal::retire_old_recovery_codes`] with its slot id.
    /// If the app dies in between, both codes work, and the person never depends on a code
    /// they did not see.
    pub fn add_recovery_code(&self) -> Result<NewRecoveryCode> {
        self.with(|r| {
            let added = r.journal().add_recovery_code()?;
            Ok(NewRecoveryCode {
                code: added.code.reveal().to_string(),
                slot_id: added.slot_id,
            })
        })
    }

    /// The second step: retires every recovery code but the one in `keep_slot_id` (from
    /// [`WaymarkJournal::add_recovery_code`]). `NotFound` if that is not a recovery slot.
    pub fn retire_old_recovery_codes(&self, keep_slot_id: i64) -> Result<()> {
        self.with(|r| r.journal().retire_recovery_codes_except(keep_slot_id))
    }

    /// Removes a key slot (never the last).
    pub fn remove_slot(&self, slot_id: i64) -> Result<()> {
        self.with(|r| r.journal().remove_slot(slot_id))
    }

    /// The key slots, without key material.
    pub fn slots(&self) -> Result<Vec<KeySlot>> {
        self.with(|r| r.journal().slots())
    }

    /// Replaces the data key and re-seals every record. Slow.
    pub fn rotate_data_key(
        &self,
        passphrase: String,
        slot: Option<Arc<dyn PlatformKeySlot>>,
    ) -> Result<KeyRotationReport> {
        self.with(|r| {
            let store = slot.map(ForeignKeyStore);
            let report = r.rotate_data_key(&passphrase, store.as_ref().map(|s| s as _))?;
            Ok(KeyRotationReport {
                recovery_code: report.recovery_code.map(|c| c.reveal().to_string()),
                records_resealed: i64::try_from(report.records_resealed).unwrap_or(i64::MAX),
                damaged_records_kept: i64::try_from(report.damaged_records_kept)
                    .unwrap_or(i64::MAX),
                platform_slots_removed: i64::try_from(report.platform_slots_removed)
                    .unwrap_or(i64::MAX),
                records_rekeyed: i64::try_from(report.records_rekeyed).unwrap_or(i64::MAX),
                duplicates_kept: i64::try_from(report.duplicates_kept).unwrap_or(i64::MAX),
            })
        })
    }

    /// `None` for a journal that works. Otherwise why it can only be read: it opens,
    /// unlocks and shows what still reads, every write fails with `CorruptJournal`, and
    /// `write_backup` saves every record that still reads (restore that backup to carry on).
    /// Works locked: show it before asking for the passphrase.
    pub fn read_only_reason(&self) -> Result<Option<ReadOnlyReason>> {
        self.with(|r| Ok(r.journal().salvage().map(ReadOnlyReason::from)))
    }

    /// How many records the journal holds (works locked; reveals no kinds).
    pub fn record_count(&self) -> Result<i64> {
        self.with(|r| r.journal().record_count())
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// Destroys the journal: every slot, the file and its companions. This object answers
    /// `Wiped` afterwards.
    pub fn wipe(&self) -> Result<()> {
        let mut guard = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let recovery = guard.take().ok_or_else(wiped)?;
        recovery.into_journal().wipe().map_err(WaymarkError::from)
    }
}
