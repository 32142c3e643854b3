//! The Rust side of the FFI benchmark (`scripts/ffi-bench.sh`): the same three operations
//! the Kotlin benchmark (tests/kotlin/bench/FfiBench.kt) runs through JNA, called here on the
//! same `WaymarkJournal` from Rust, so the ratio isolates the cost of crossing the FFI.
//! Prints `name median_ns` lines.

use std::time::Instant;
use waymark_core::recovery::check_in::CheckInInput;
use waymark_core::recovery::review::ReviewRange;
use waymark_core::KdfParams;
use waymark_ffi::create_journal;

/// Median of `samples` timings of `op`, in nanoseconds per call, each sample `batch` calls.
fn median_ns(samples: usize, batch: u32, mut op: impl FnMut(u32)) -> f64 {
    let mut times: Vec<f64> = (0..samples)
        .map(|s| {
            let started = Instant::now();
            for i in 0..batch {
                op(s as u32 * batch + i);
            }
            started.elapsed().as_nanos() as f64 / f64::from(batch)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let kdf = KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    };
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let small = create_journal(
        path("small.db"),
        "benchmark passphrase".into(),
        Some(kdf),
        None,
    )?
    .journal;
    small.set_time_zone("Europe/Berlin".into())?;
    let today = small.today()?;

    median_ns(5, 100_000, |_| {
        std::hint::black_box(small.is_unlocked());
    });
    let trivial = median_ns(15, 100_000, |_| {
        std::hint::black_box(small.is_unlocked());
    });
    let check_in_op = |i: u32| {
        let input = CheckInInput {
            date: Some(today - chrono::Duration::days(i64::from(i % 3_000))),
            mood: 3,
            craving: 2,
            ..CheckInInput::default()
        };
        std::hint::black_box(small.check_in(input).ok());
    };
    median_ns(3, 50, check_in_op);
    let check_in = median_ns(15, 50, check_in_op);

    let big = create_journal(
        path("ten-years.db"),
        "benchmark passphrase".into(),
        Some(kdf),
        None,
    )?
    .journal;
    big.generate_demo_story(2026, 0, "Europe/Berlin".into(), true)?;
    median_ns(10, 1, |_| {
        std::hint::black_box(big.review_progress(ReviewRange::AllTime).ok());
    });
    let review = median_ns(15, 1, |_| {
        std::hint::black_box(big.review_progress(ReviewRange::AllTime).ok());
    });
    median_ns(10, 20, |_| {
        std::hint::black_box(big.home().ok());
    });
    let home = median_ns(15, 20, |_| {
        std::hint::black_box(big.home().ok());
    });
    let progress = median_ns(15, 20, |_| {
        std::hint::black_box(big.progress(ReviewRange::Month).ok());
    });
    println!("trivial_call {trivial:.0}");
    println!("home_ten_years {home:.0}");
    println!("progress_month {progress:.0}");
    println!("check_in_write {check_in:.0}");
    println!("review_ten_years {review:.0}");
    Ok(())
}
