//! Unlocking never holds the journal while it waits: a platform slot blocked in a (simulated)
//! biometric prompt, or Argon2id running, leaves `is_unlocked` and `lock` answering at once.
//! The slot below only returns after the test thread has asked `is_unlocked`: if that call
//! waited on the unlock, the two would wait on each other and the slot gives up after 5 s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use waymark_core::{Journal, PlatformKeyError, PlatformKeyStore};
use zeroize::Zeroizing;

/// A platform slot whose unwrap waits for the test's signal, as a biometric prompt waits for
/// a finger.
struct Prompt {
    inner: SoftwareKeyStore,
    entered: Mutex<Option<mpsc::Sender<()>>>,
    release: Mutex<Option<mpsc::Receiver<()>>>,
}

impl PlatformKeyStore for Prompt {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        self.inner.wrap(plaintext)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, PlatformKeyError> {
        if let Some(entered) = self.entered.lock().unwrap().take() {
            entered.send(()).unwrap();
            let release = self.release.lock().unwrap().take().unwrap();
            release
                .recv_timeout(Duration::from_secs(5))
                .map_err(|_| PlatformKeyError::Failed("the test never answered".into()))?;
        }
        self.inner.unwrap(wrapped)
    }
}

#[test]
fn is_unlocked_and_lock_answer_while_a_platform_prompt_waits() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    let (entered_tx, entered_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let prompt = Arc::new(Prompt {
        inner: SoftwareKeyStore::new(),
        entered: Mutex::new(None),
        release: Mutex::new(None),
    });
    journal.add_platform_slot(prompt.as_ref(), "phone").unwrap();
    drop(journal);
    *prompt.entered.lock().unwrap() = Some(entered_tx);
    *prompt.release.lock().unwrap() = Some(release_rx);

    let journal = Arc::new(Journal::open(&path, fast_options()).unwrap());
    let unlocking = {
        let (journal, prompt) = (journal.clone(), prompt.clone());
        std::thread::spawn(move || journal.unlock_with_platform(prompt.as_ref()))
    };
    entered_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    // The prompt is up. Every quick call answers now, from another thread.
    let started = Instant::now();
    let unlocked = journal.is_unlocked();
    let answered = started.elapsed();
    journal.lock();
    let locked_in = started.elapsed();
    release_tx.send(()).unwrap();
    unlocking.join().unwrap().unwrap();
    assert!(!unlocked);
    assert!(
        journal.is_unlocked(),
        "the prompt's key is installed when it returns"
    );
    eprintln!(
        "is_unlocked answered in {answered:?}, lock in {locked_in:?} while the prompt waited"
    );
    assert!(answered < Duration::from_millis(250), "{answered:?}");
}

#[test]
fn is_unlocked_answers_while_argon2id_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, _, path) = new_journal(dir.path());
    drop(journal);
    // Heavier parameters than the tests' usual ones, so the derivation takes a while.
    let options = waymark_core::JournalOptions {
        kdf: waymark_core::KdfParams::new(64 * 1024, 3, 1).unwrap(),
        ..fast_options()
    };
    let journal = Arc::new(Journal::open(&path, options).unwrap());
    let unlocking = {
        let journal = journal.clone();
        std::thread::spawn(move || journal.unlock_with_passphrase(PASSPHRASE))
    };
    let mut slowest = Duration::ZERO;
    let mut asked = 0;
    while !unlocking.is_finished() {
        let started = Instant::now();
        let _ = journal.is_unlocked();
        slowest = slowest.max(started.elapsed());
        asked += 1;
        std::thread::sleep(Duration::from_millis(2));
    }
    unlocking.join().unwrap().unwrap();
    assert!(journal.is_unlocked());
    eprintln!("{asked} calls to is_unlocked during the unlock, the slowest {slowest:?}");
    assert!(asked > 3, "the unlock was too quick to tell");
    assert!(slowest < Duration::from_millis(250), "{slowest:?}");
}
