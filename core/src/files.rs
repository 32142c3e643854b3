//! Files that hold a person's data are theirs alone (S20): created owner-only (0600 files,
//! 0700 folders) on Unix whatever the umask, and written atomically where a half-written
//! file would lose something.
//!
//! SQLite creates a journal's `-wal` and `-shm` with the journal file's own permissions, so
//! creating the journal file 0600 before SQLite opens it covers those too.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Creates a new, empty file that only its owner can read or write; fails if one exists.
pub fn create_private_file(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(path)
        .map_err(|e| Error::io("creating", path, e))?;
    make_private(path, false)?;
    Ok(file)
}

/// Creates a folder (and its missing parents) that only its owner can enter. Folders that
/// already exist are left as they are, except `path` itself when this call made it.
pub fn create_private_dir_all(path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() || path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .map_err(|e| Error::io("creating the folder", path, e))?;
    make_private(path, true)
}

/// Sets owner-only permissions on `path` (0700 for a folder, 0600 for a file) on Unix; the
/// umask cannot widen them afterwards.
pub fn make_private(path: &Path, is_dir: bool) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if is_dir { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io("setting owner-only permissions on", path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (path, is_dir);
    Ok(())
}

/// Writes `bytes` to `path` atomically and owner-only: a temporary file beside it (0600),
/// fsynced, renamed over `path`, then the folder fsynced. A crash leaves either the old file
/// or the new one; a temporary file left by a crash is named `.NAME.XXXXXXXX.tmp`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let suffix = crate::record::RecordId::random()?.to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", &suffix[..8]));
    remove_orphaned_temporaries(dir);
    let result = (|| {
        // Errors name the file being written, not the temporary name beside it.
        let mut file = create_private_file(&temp).map_err(|e| match e {
            Error::Io { source, .. } => Error::io("writing", path, source),
            other => other,
        })?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::StorageFull => Error::DiskFull,
                _ => Error::io("writing", path, e),
            })?;
        std::fs::rename(&temp, path).map_err(|e| Error::io("renaming into place", path, e))?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// How old a temporary file must be before a later write treats it as orphaned by a crash
/// (rather than in use by a write running right now).
const ORPHAN_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes temporary files [`write_atomically`] left in `dir` when a crash or a full disk
/// stopped it (`.NAME.XXXXXXXX.tmp`, at least a minute old). They hold encrypted backups
/// that never got their name; the file they were to replace is intact.
fn remove_orphaned_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some((_, suffix)) = stem.rsplit_once('.') else {
            continue;
        };
        if suffix.len() != 8 || !suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age >= ORPHAN_AGE);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Makes a rename in `dir` durable; not every platform can fsync a folder, so failure is
/// ignored.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// Removes a file if it is there; a file already gone is fine.
pub(crate) fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("removing", path, e)),
    }
}

/// True when the file system holding `dir` has no room left: a small probe file cannot be
/// written there. SQLite reports a full disk as a generic I/O error on some file systems
/// (tmpfs, some phones' storage); this tells the two apart.
pub(crate) fn no_room_in(dir: &Path) -> bool {
    let Ok(suffix) = crate::record::RecordId::random() else {
        return false;
    };
    let probe = dir.join(format!(".waymark-space-{}", &suffix.to_string()[..8]));
    let full = match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(mut file) => file
            .write_all(&[0u8; 16 * 1024])
            .and_then(|()| file.sync_all())
            .is_err_and(|e| e.kind() == std::io::ErrorKind::StorageFull),
        Err(e) => e.kind() == std::io::ErrorKind::StorageFull,
    };
    let _ = std::fs::remove_file(&probe);
    full
}
