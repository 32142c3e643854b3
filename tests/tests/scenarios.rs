//! Runs every shared scenario through the Rust driver (the Kotlin and Swift drivers run the
//! same files from `scripts/test.sh`).

use waymark_scenarios::{parse, scenario_files, Driver};

#[test]
fn every_scenario_passes_from_rust() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenarios found");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let steps = parse(&text);
        assert!(steps.len() > 10, "{} is suspiciously short", file.display());
        let mut driver = Driver::new().unwrap();
        if let Err(failure) = driver.run(&steps) {
            panic!("{}:{}: {}", file.display(), failure.line, failure.message);
        }
    }
}

#[test]
fn a_wrong_expectation_fails_with_its_line() {
    let steps = parse(
        "clock at=2026-03-01T07:00:00Z\ncreate passphrase=a-long-passphrase\nzone name=UTC\n\
         journey name=x since=2026-02-01 cost_cents=1 minutes=1\nexpect streak=999\n",
    );
    let failure = Driver::new().unwrap().run(&steps).unwrap_err();
    assert_eq!(failure.line, 5);
    assert!(
        failure.message.contains("expected 999, got 28"),
        "{}",
        failure.message
    );
}
