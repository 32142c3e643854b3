//! `waymark report`: a self-contained HTML file that Chromium renders into a real picture.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's Chromium (or WAYMARK_CHROMIUM). Outside CI a machine without it skips the
/// rendering half of the test, saying so; with CI=true its absence is a failure.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("WAYMARK_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.exists());
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "Chromium is needed to render the report (apt-get install chromium)"
        );
        eprintln!("skipping the rendering check: no Chromium (apt-get install chromium)");
    }
    found
}

fn screenshot(browser: &Path, html: &Path, png: &Path, profile: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=900,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("Chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs axe-core in Chromium on `html` (scripts/axe-check.js, with the npm modules that
/// scripts/toolchains.sh `ensure_axe` installs) and fails on any violation, whatever its
/// impact. Without the modules it skips, saying so; with CI=true that is a failure.
fn accessibility(html: &Path) {
    let Some(modules) = std::env::var_os("WAYMARK_AXE_MODULES") else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "axe-core is needed for the accessibility check (scripts/toolchains.sh ensure_axe)"
        );
        eprintln!(
            "skipping the accessibility check: set WAYMARK_AXE_MODULES (scripts/test.sh does)"
        );
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/axe-check.js");
    let out = Command::new("node")
        .arg(script)
        .arg(html)
        .env("NODE_PATH", modules)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "axe could not run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(found["passes"].as_u64().unwrap() > 10, "{stdout}");
    assert_eq!(
        found["violations"],
        serde_json::json!([]),
        "accessibility violations in the report"
    );
}

/// (pixels, pixels that are not near-white, pixels near `rgb`) of an RGB(A) PNG.
fn count(png: &Path, rgb: [[u8; 3]; 2]) -> (usize, usize, [usize; 2]) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "expected colour, got {:?}", info.color_type);
    let (mut total, mut ink, mut near) = (0, 0, [0, 0]);
    for px in buf[..info.buffer_size()].chunks(channels) {
        total += 1;
        if px[..3].iter().any(|&c| c < 235) {
            ink += 1;
        }
        for (i, target) in rgb.iter().enumerate() {
            if px[..3]
                .iter()
                .zip(target)
                .all(|(&a, &b)| a.abs_diff(b) <= 12)
            {
                near[i] += 1;
            }
        }
    }
    (total, ink, near)
}

#[test]
fn the_report_is_self_contained_and_renders_its_charts() {
    let w = Waymark::new();
    let demo = w.path("demo.db");
    w.run_with(
        &["demo", "--days", "240", "--keep", demo.to_str().unwrap()],
        &[],
        None,
    )
    .ok();
    let html = w.path("report.html");
    let run = w.run_with(
        &[
            "--journal",
            demo.to_str().unwrap(),
            "report",
            "--range",
            "year",
            "--out",
            html.to_str().unwrap(),
        ],
        &[("WAYMARK_PASSPHRASE", "demo passphrase")],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&html).unwrap();
    for needle in [
        "<svg",
        "Mood and craving",
        "Sober days: alcohol",
        "By hour of day",
        "Coping cards that helped most",
        "Lapses and what they taught",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
    // Nothing is fetched: no scripts, no links, no external URLs, and a CSP forbidding them.
    for forbidden in [
        "<script", "<link", "src=", "url(", "@import", "http://", "https://",
    ] {
        assert!(!text.contains(forbidden), "found {forbidden}");
    }
    assert!(text.contains("default-src 'none'"));
    // Every chart says in words what it shows, and holds its figures in a table a screen
    // reader reads; the page has its landmarks.
    assert!(text.contains("<main>") && text.contains("<header>"));
    for label in text.split(r#"role="img" aria-label=""#).skip(1) {
        let label = &label[..label.find('"').unwrap()];
        assert!(
            label.len() > 30 && label.contains(':'),
            "a chart without a description: {label:?}"
        );
    }
    assert!(
        text.matches(r#"<table class="visually-hidden">"#).count() >= 5,
        "charts without a data table"
    );

    let Some(browser) = chromium() else { return };
    accessibility(&html);
    let png = w.path("report.png");
    screenshot(&browser, &html, &png, &w.path("profile"));
    // The sober-day green of the calendar and the mood line's blue.
    let (total, ink, [green, blue]) = count(&png, [[0x3f, 0x9d, 0x63], [0x2f, 0x6d, 0xb5]]);
    assert!(total >= 900 * 2000, "{total} pixels");
    assert!(
        ink * 100 > total * 3,
        "mostly blank: {ink} of {total} pixels drawn"
    );
    assert!(
        green > 2_000,
        "calendar cells missing: {green} green pixels"
    );
    assert!(blue > 200, "mood line missing: {blue} blue pixels");
}
