//! SQLite storage: the connection and its pragmas, the schema and its migrations, and the raw
//! rows of settings, key slots and records.
//!
//! This layer stores and loads bytes; it never sees a key or a plaintext. Everything it writes
//! is either ciphertext, a random id, a counter, or a key slot's public parameters, so the
//! database and its `-wal`/`-shm` files hold nothing a person wrote (SECURITY.md S10).

pub mod connection;
pub(crate) mod image;
pub(crate) mod records;
pub(crate) mod schema;
pub(crate) mod settings;
pub(crate) mod slots;
pub(crate) mod write_state;
