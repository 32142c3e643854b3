//! Clearing plaintext from memory in bulk.
//!
//! `zeroize` clears a buffer one volatile byte at a time; over a ten-year journal (megabytes
//! of decrypted text) that costs milliseconds on every lock and every load. These helpers
//! clear with one `fill` (a memset) and then hand the buffer to [`std::hint::black_box`], so
//! the compiler must assume the zeros are read and cannot drop them as dead stores. Spare
//! capacity is cleared too: a `Vec` that grew may hold old bytes past its length.

use std::ops::{Deref, DerefMut};

/// Overwrites every byte `bytes` owns (its length and its spare capacity) with zeros, then
/// empties it, keeping the allocation.
pub(crate) fn clear(bytes: &mut Vec<u8>) {
    bytes.fill(0);
    let capacity = bytes.capacity();
    bytes.resize(capacity, 0);
    std::hint::black_box(bytes.as_slice());
    bytes.clear();
}

/// Text and bytes that can be cleared in bulk.
pub(crate) trait Wipe {
    /// Overwrites the contents with zeros and leaves the value empty.
    fn wipe(&mut self);
}

impl Wipe for String {
    fn wipe(&mut self) {
        let mut bytes = std::mem::take(self).into_bytes();
        clear(&mut bytes);
    }
}

impl Wipe for Vec<u8> {
    fn wipe(&mut self) {
        clear(self);
    }
}

impl<T: Wipe> Wipe for Option<T> {
    fn wipe(&mut self) {
        if let Some(value) = self {
            value.wipe();
        }
    }
}

impl<T: Wipe> Wipe for [T] {
    fn wipe(&mut self) {
        self.iter_mut().for_each(Wipe::wipe);
    }
}

/// A byte buffer that holds plaintext: cleared in bulk (see [`clear`]) when dropped.
#[derive(Default)]
pub(crate) struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// An empty buffer with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        SecretBytes(Vec::with_capacity(capacity))
    }

    /// `len` zero bytes.
    pub(crate) fn zeroed(len: usize) -> Self {
        SecretBytes(vec![0; len])
    }

    /// Takes ownership of `bytes` (which will be cleared when dropped).
    pub(crate) fn from_vec(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }
}

impl Deref for SecretBytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for SecretBytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        clear(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_empties_and_keeps_the_allocation() {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&[0xAB; 48]);
        bytes.truncate(10);
        let capacity = bytes.capacity();
        clear(&mut bytes);
        assert!(bytes.is_empty());
        assert_eq!(bytes.capacity(), capacity);
    }

    #[test]
    fn a_wiped_string_is_empty() {
        let mut text = String::from("call my sponsor");
        text.wipe();
        assert!(text.is_empty());
        let mut maybe = Some(String::from("x"));
        maybe.wipe();
        assert_eq!(maybe.as_deref(), Some(""));
    }
}
