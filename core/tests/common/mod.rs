//! Helpers shared by the integration tests: cheap KDF options, a software platform key store,
//! and byte scans of the files beside a journal.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use waymark_core::{
    Journal, JournalOptions, KdfParams, PlatformKeyError, PlatformKeyStore, RecoveryCode,
};
use zeroize::Zeroizing;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// Argon2id at 256 KiB and one pass: real Argon2id, cheap enough for hundreds of unlocks.
pub fn fast_options() -> JournalOptions {
    JournalOptions {
        kdf: KdfParams::new(256, 1, 1).unwrap(),
        ..JournalOptions::default()
    }
}

/// A new journal in `dir`, unlocked.
pub fn new_journal(dir: &Path) -> (Journal, RecoveryCode, PathBuf) {
    let path = dir.join("journal.db");
    let (journal, code) = Journal::create(&path, PASSPHRASE, fast_options()).unwrap();
    (journal, code, path)
}

/// Every file in `dir` (the database, `-wal`, `-shm`, and anything else SQLite left).
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// How many times `needle` occurs in all files of `dir`.
pub fn occurrences_in_dir(dir: &Path, needle: &[u8]) -> usize {
    files_in(dir)
        .iter()
        .map(|p| occurrences(&std::fs::read(p).unwrap(), needle))
        .sum()
}

pub fn occurrences(haystack: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() || haystack.len() < needle.len() {
        return 0;
    }
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// The raw envelope of every record row, read with a separate plain SQLite connection.
pub fn raw_blobs(path: &Path) -> Vec<(Vec<u8>, i64, Vec<u8>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut statement = conn
        .prepare("SELECT id, revision, envelope FROM records ORDER BY id")
        .unwrap();
    let rows = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// A platform key store in software: an AES-256-GCM key held in memory, like a Keystore key
/// that never leaves the device. `invalidate()` simulates new biometrics or a restored phone.
pub struct SoftwareKeyStore {
    key: LessSafeKey,
    invalidated: AtomicBool,
}

impl SoftwareKeyStore {
    pub fn new() -> Self {
        let bytes: [u8; 32] = waymark_core::crypto::random_array().unwrap();
        SoftwareKeyStore {
            key: LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &bytes).unwrap()),
            invalidated: AtomicBool::new(false),
        }
    }

    pub fn invalidate(&self) {
        self.invalidated.store(true, Ordering::SeqCst);
    }
}

impl PlatformKeyStore for SoftwareKeyStore {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        if self.invalidated.load(Ordering::SeqCst) {
            return Err(PlatformKeyError::KeyInvalidated);
        }
        let nonce: [u8; 12] = waymark_core::crypto::random_array().unwrap();
        let mut out = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut out)
            .map_err(|_| PlatformKeyError::Failed("seal".into()))?;
        let mut wrapped = nonce.to_vec();
        wrapped.extend_from_slice(&out);
        Ok(wrapped)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyError> {
        if self.invalidated.load(Ordering::SeqCst) {
            return Err(PlatformKeyError::KeyInvalidated);
        }
        if wrapped.len() < 12 {
            return Err(PlatformKeyError::Failed("short".into()));
        }
        let (nonce, sealed) = wrapped.split_at(12);
        let mut buffer = Zeroizing::new(sealed.to_vec());
        let nonce = Nonce::try_assume_unique_for_key(nonce).unwrap();
        let len = self
            .key
            .open_in_place(nonce, Aad::empty(), buffer.as_mut_slice())
            .map_err(|_| PlatformKeyError::Failed("open".into()))?
            .len();
        buffer.truncate(len);
        Ok(buffer)
    }
}

// ---- Recovery-domain helpers -------------------------------------------------------------

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use waymark_core::recovery::clock::FixedClock;
use waymark_core::recovery::journey::JourneyInput;
use waymark_core::recovery::Recovery;

/// An instant in UTC.
pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// A local date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An instant given as local wall time in `zone` (must exist and be unambiguous).
pub fn local(zone: &str, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    let zone: waymark_core::recovery::clock::Zone = zone.parse().unwrap();
    zone.instant_of(date(y, m, d).and_hms_opt(h, min, 0).unwrap())
}

/// A new journal in `dir` under the recovery service, with a fixed clock at `now` and the
/// person in `zone`.
pub fn recovery_at(dir: &Path, now: DateTime<Utc>, zone: &str) -> (Recovery, Arc<FixedClock>) {
    let (journal, _, _) = new_journal(dir);
    let clock = Arc::new(FixedClock::new(now));
    let recovery = Recovery::new(journal, clock.clone());
    recovery.set_time_zone(zone).unwrap();
    (recovery, clock)
}

/// A journey input with no cost, time or custom milestones.
pub fn journey(name: &str, since: NaiveDate, zone: &str) -> JourneyInput {
    JourneyInput {
        name: name.into(),
        sober_since: since,
        sober_since_time: None,
        time_zone: zone.into(),
        daily_cost_cents: None,
        daily_minutes: None,
        custom_milestone_days: Vec::new(),
        limit: None,
    }
}

/// Every record's (id, revision, body) in the journal: a fingerprint of what is stored.
pub fn stored_content(journal: &Journal) -> Vec<(String, u64, Vec<u8>)> {
    let mut out: Vec<_> = journal
        .records(None)
        .unwrap()
        .records
        .into_iter()
        .map(|r| (r.id.to_string(), r.revision, r.body.to_vec()))
        .collect();
    out.sort();
    out
}

/// Every live record as (kind, id, body), sorted: what a device holds, to compare devices.
pub fn device_content(recovery: &Recovery) -> Vec<(String, String, Vec<u8>)> {
    let mut out: Vec<_> = recovery
        .journal()
        .records(None)
        .unwrap()
        .records
        .into_iter()
        .map(|r| (r.kind, r.id.to_string(), r.body.to_vec()))
        .collect();
    out.sort();
    out
}

/// A journal entry with only a body.
pub fn entry_text(text: &str) -> waymark_core::recovery::entries::EntryInput {
    waymark_core::recovery::entries::EntryInput {
        body: text.into(),
        ..Default::default()
    }
}

/// A short pause, so two devices' writes never share a millisecond of their clocks.
pub fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(3));
}
