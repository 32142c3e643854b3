//! Encrypted backups from the phone (S15): write one, merge one from another device, or make
//! a new journal from one. The rules (format, matching, conflicts) are the core's
//! `waymark_core::recovery::backup`. Every call here runs Argon2id: keep it off the UI thread.

use crate::error::Result;
use crate::journal::{clock_of, options, CreatedJournal, WaymarkJournal};
use crate::platform::ShellClock;
use std::path::Path;
use std::sync::Arc;
use waymark_core::recovery::backup::{Backup, BackupWritten, MergeReport};
use waymark_core::KdfParams;

#[uniffi::export]
impl WaymarkJournal {
    /// Writes an encrypted backup of everything to `path` (atomically), protected by its own
    /// `passphrase` with the journal's Argon2id cost. Slow.
    pub fn write_backup(&self, path: String, passphrase: String) -> Result<BackupWritten> {
        self.with(|r| r.write_backup(Path::new(&path), &passphrase, &r.journal().kdf_params()))
    }

    /// Merges the backup at `path` (from another device) into this journal, without
    /// duplicates; merging the same backup again changes nothing. The backup is read and
    /// authenticated completely first: a wrong passphrase is `WrongSecret`, a damaged file
    /// `BackupDamaged`, and either way nothing is written. Slow.
    pub fn merge_backup(&self, path: String, passphrase: String) -> Result<MergeReport> {
        self.with(|r| {
            let backup = Backup::read(Path::new(&path), &passphrase)?;
            r.merge_backup(&backup)
        })
    }
}

/// Makes a new journal at `journal_path`, protected by `new_passphrase`, from the backup at
/// `backup_path`. The backup is authenticated before anything is created; if filling the new
/// journal fails, it is wiped. Returns it unlocked with its new recovery code. Slow.
#[uniffi::export(default(kdf = None, clock = None))]
pub fn restore_journal(
    backup_path: String,
    backup_passphrase: String,
    journal_path: String,
    new_passphrase: String,
    kdf: Option<KdfParams>,
    clock: Option<Arc<dyn ShellClock>>,
) -> Result<CreatedJournal> {
    let backup = Backup::read(Path::new(&backup_path), &backup_passphrase)?;
    let restored = backup.restore(
        Path::new(&journal_path),
        &new_passphrase,
        options(kdf)?,
        clock_of(clock),
    )?;
    Ok(CreatedJournal {
        recovery_code: restored.recovery_code.reveal().to_string(),
        journal: Arc::new(WaymarkJournal::from_recovery(restored.recovery)),
    })
}
