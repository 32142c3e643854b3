//! [`FolderStore`]: a sync store in a folder on this computer, which is also how Syncthing,
//! iCloud Drive, Dropbox or Google Drive folders are used. Each blob is one file named like
//! the blob; it is written under a temporary name, flushed to disk and renamed, so a reader
//! (or a file-sync tool) never sees half a blob. The folder is private to its owner (S20): a
//! new one is made 0700, an existing one other users could read is made 0700 too (and
//! [`FolderStore::made_private`] says so), or refused when it cannot be.

use super::store::{is_blob_name, StoreError, SyncStore, MAX_BLOB_BYTES};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The prefix of a blob being written (never listed).
const PARTIAL: &str = ".partial-";

/// A folder holding a journal's sync blobs.
#[derive(Debug, Clone)]
pub struct FolderStore {
    dir: PathBuf,
    made_private: bool,
}

impl FolderStore {
    /// The store in `dir`, created (owner-only) if it does not exist.
    pub fn new(dir: &Path) -> Result<FolderStore, StoreError> {
        if !dir.exists() {
            crate::files::create_private_dir_all(dir)
                .map_err(|_| StoreError("the sync folder could not be created".into()))?;
        }
        if !dir.is_dir() {
            return Err(StoreError("the sync folder is not a folder".into()));
        }
        Ok(FolderStore {
            dir: dir.to_path_buf(),
            made_private: make_private(dir)?,
        })
    }

    /// True when the folder could be read by other users of this computer and was made
    /// owner-only (0700) when this store was opened.
    pub fn made_private(&self) -> bool {
        self.made_private
    }

    fn path(&self, name: &str) -> Result<PathBuf, StoreError> {
        if is_blob_name(name) {
            Ok(self.dir.join(name))
        } else {
            Err(StoreError("a blob name is not one Waymark writes".into()))
        }
    }
}

/// Makes `dir` owner-only when others could list or read it; returns whether it changed
/// anything. A folder that cannot be changed (another user's) is refused.
#[cfg(unix)]
fn make_private(dir: &Path) -> Result<bool, StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)
        .map_err(|e| failed("read", &e))?
        .permissions()
        .mode();
    if mode & 0o077 == 0 {
        return Ok(false);
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|_| {
        StoreError(
            "the sync folder can be read by other users of this computer and could not be made \
             private: make it yours and run `chmod 700` on it"
                .into(),
        )
    })?;
    Ok(true)
}

#[cfg(not(unix))]
fn make_private(_dir: &Path) -> Result<bool, StoreError> {
    Ok(false)
}

fn failed(what: &str, e: &std::io::Error) -> StoreError {
    let why = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied",
        std::io::ErrorKind::StorageFull => "the disk is full",
        std::io::ErrorKind::NotFound => "it is gone",
        _ => "an input/output error",
    };
    StoreError(format!("the sync folder could not be {what}: {why}"))
}

impl SyncStore for FolderStore {
    fn list(&self) -> Result<Vec<String>, StoreError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| failed("read", &e))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| failed("read", &e))?;
            if let Some(name) = entry.file_name().to_str() {
                if is_blob_name(name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                    names.push(name.to_owned());
                }
            }
        }
        Ok(names)
    }

    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path(name)?;
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(failed("read", &e)),
        };
        let len = file.metadata().map_err(|e| failed("read", &e))?.len();
        if len > MAX_BLOB_BYTES {
            return Err(StoreError(
                "a blob in the sync folder is larger than any Waymark writes".into(),
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.take(MAX_BLOB_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| failed("read", &e))?;
        Ok(Some(bytes))
    }

    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let target = self.path(name)?;
        let partial = self.dir.join(format!("{PARTIAL}{name}"));
        let written = (|| {
            let _ = std::fs::remove_file(&partial);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&partial)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&partial, &target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(failed("written", &e));
        }
        crate::files::sync_dir(&self.dir);
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        match std::fs::remove_file(self.path(name)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(failed("changed", &e)),
        }
    }
}
