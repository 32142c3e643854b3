//! Counts as the FFI's `Int`: every number a screen shows is an `i32` (or an `i64` for
//! money and minutes), never an unsigned type, so Kotlin and Swift see plain `Int`/`Long`.
//! These turn the standard library's `usize` lengths and `i64` spans into them,
//! saturating instead of wrapping.

/// `n` as an `i32`, `i32::MAX` past it.
pub(crate) fn of_len(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A span in whole units (days between two dates, minutes between two instants; negative
/// when the end is before the start) as a count: 0 below, `i32::MAX` above.
pub(crate) fn of_span(span: i64) -> i32 {
    i32::try_from(span.max(0)).unwrap_or(i32::MAX)
}
