//! Shared by the benchmarks: reading criterion's estimates back for the same-run summary.
#![allow(dead_code)]

use std::path::Path;

/// Criterion's point estimate (the slope when it has one, else the mean) in nanoseconds for
/// `group/function` from this run, if it was measured.
pub fn estimate_ns(group: &str, function: &str) -> Option<f64> {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target")
            .to_string_lossy()
            .into_owned()
    });
    let path = Path::new(&target)
        .join("criterion")
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| json["mean"]["point_estimate"].as_f64())
}
pub mod ten_years;
