//! [`SyncStore`]: where a journal's devices meet. It holds opaque, named blobs and nothing
//! else: it never sees a key, a kind, a date or a count of anything a person did.

use crate::error::{Error, Result};

/// The largest blob a sync accepts from a store (a snapshot of ten years is about 20 MB):
/// anything larger is refused before it is read into memory.
pub const MAX_BLOB_BYTES: u64 = 128 * 1024 * 1024;

/// A place that keeps named blobs: a folder (Syncthing, iCloud Drive, Dropbox...), a WebDAV
/// server, or a shell's own storage. Names are short ASCII (`a-z`, `0-9`, `-`). Writing a
/// name that exists replaces it whole; a reader sees either the old blob or the new one,
/// never a part. Errors say what failed in words a person can act on ("the folder is not
/// writable"), never a blob's content.
pub trait SyncStore: Send + Sync {
    /// The names of every blob (in any order).
    fn list(&self) -> std::result::Result<Vec<String>, StoreError>;
    /// A blob's bytes, or `None` when it is gone (another device removed it meanwhile).
    fn get(&self, name: &str) -> std::result::Result<Option<Vec<u8>>, StoreError>;
    /// Writes a blob whole, replacing one of the same name.
    fn put(&self, name: &str, bytes: &[u8]) -> std::result::Result<(), StoreError>;
    /// Removes a blob; removing one that is gone is not an error.
    fn delete(&self, name: &str) -> std::result::Result<(), StoreError>;
}

/// Why a store could not do what was asked, in its own words (no content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::SyncStore { detail: e.0 }
    }
}

/// True for a name a store may hold for Waymark: 1 to 64 of `a-z`, `0-9` and `-`.
pub fn is_blob_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `store.get(name)`, with the size ceiling applied to what came back.
pub(crate) fn get_bounded(store: &dyn SyncStore, name: &str) -> Result<Option<Vec<u8>>> {
    match store.get(name)? {
        Some(bytes) if bytes.len() as u64 > MAX_BLOB_BYTES => Err(Error::SyncStore {
            detail: "a blob in the store is larger than any Waymark writes".into(),
        }),
        other => Ok(other),
    }
}
