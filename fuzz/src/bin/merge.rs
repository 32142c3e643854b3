//! Fuzz target: a backup's decrypted content merged into a journal (as if it had
//! authenticated), then every screen read. The journal lives in a temporary folder for the
//! whole run and grows with what the inputs add.
use std::sync::Arc;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::Recovery;
use waymark_core::{Journal, JournalOptions, KdfParams};

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = JournalOptions {
        kdf: KdfParams::new(8, 1, 1).expect("small parameters"),
        ..JournalOptions::default()
    };
    let (journal, _) = Journal::create(&dir.path().join("fuzz.db"), "fuzzing passphrase", options)
        .expect("a journal");
    let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    // A panic is the finding AFL looks for; whatever state it leaves does not matter then.
    let recovery =
        std::panic::AssertUnwindSafe(Recovery::new(journal, Arc::new(FixedClock::new(now))));
    afl::fuzz!(|data: &[u8]| {
        waymark_core::recovery::fuzz::merge(&recovery, data);
    });
}
