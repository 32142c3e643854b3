//! Benchmark support (feature `bench`, built only by `scripts/ffi-bench.sh`, never in an app):
//! the Rust baseline measured inside the calling process.
//!
//! On a JVM the shell's process runs a garbage collector and a JIT compiler beside the call,
//! and on a small machine they slow the native code itself (shared cores and caches). Timing
//! the same verb natively from inside that process, interleaved with the Kotlin calls, leaves
//! only what crossing the FFI costs in the ratio.

use crate::journal::WaymarkJournal;
use crate::WaymarkError;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;
use waymark_core::recovery::review::ReviewRange;

/// Runs `operation` (`trivial_call`, `home_ten_years`, `progress_month` or
/// `review_ten_years`) `batch` times on `journal`, natively, and returns the mean time per
/// call in nanoseconds. An unknown operation is an invalid-input error.
#[uniffi::export]
pub fn bench_native(
    journal: Arc<WaymarkJournal>,
    operation: String,
    batch: u32,
) -> Result<u64, WaymarkError> {
    let batch = batch.max(1);
    let started = Instant::now();
    for _ in 0..batch {
        match operation.as_str() {
            "trivial_call" => {
                black_box(journal.is_unlocked());
            }
            "home_ten_years" => {
                black_box(journal.home()?);
            }
            "progress_month" => {
                black_box(journal.progress(ReviewRange::Month)?);
            }
            "review_ten_years" => {
                black_box(journal.review_progress(ReviewRange::AllTime)?);
            }
            _ => {
                return Err(WaymarkError::from(waymark_core::Error::invalid(
                    "operation",
                    "must be trivial_call, home_ten_years, progress_month or review_ten_years",
                )))
            }
        }
    }
    Ok(u64::try_from(started.elapsed().as_nanos() / u128::from(batch)).unwrap_or(u64::MAX))
}

#[uniffi::export]
impl WaymarkJournal {
    /// Fills the journal with a generated, synthetic story of `days` days ending now (for
    /// benchmarks); returns the number of records written. `ten_years` generates the
    /// benchmark's ten-year journal instead. Only with the `bench` feature: the phone library
    /// ships no demo story.
    pub fn generate_demo_story(
        &self,
        seed: u64,
        days: u32,
        zone: String,
        ten_years: bool,
    ) -> crate::error::Result<u64> {
        use waymark_core::recovery::generator::{generate, GeneratorSpec};
        self.with(|r| {
            let spec = if ten_years {
                GeneratorSpec::ten_years(seed, r.now(), &zone)
            } else {
                GeneratorSpec::story(seed, days, r.now(), &zone)
            };
            r.import(&generate(&spec)?)
        })
    }
}
