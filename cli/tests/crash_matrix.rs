//! The crash matrix (S13, S19): the real `waymark` binary is killed with SIGKILL at random
//! moments during init, restore, merge, backup, change-passphrase, new-recovery-code,
//! rotate-key, check-in writes and a real migration (the body-format migration of a journal
//! written by release 1). After every kill: `integrity_check` is ok, every write that was
//! acknowledged is there, the old or the new secret works (and a recovery code that was
//! printed works), and there is no half-made journal under the journal's name.
//!
//! `crash_matrix_short` (3 kills per operation) runs with the tests; `crash_matrix_full`
//! (25 per operation: 225 kills) is ignored: `cargo test -p waymark-cli --test crash_matrix
//! -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::PASSPHRASE;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NEW_PASSPHRASE: &str = "a new passphrase for after the crash";
const BACKUP_PASSPHRASE: &str = "the backup passphrase";

/// A small deterministic random source (xorshift), seeded from the clock.
struct Dice(u64);

impl Dice {
    fn new() -> Dice {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        eprintln!("crash matrix seed {seed}");
        Dice(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn waymark(journal: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waymark"));
    command
        .args(args)
        .env("WAYMARK_JOURNAL", journal)
        .env_remove("WAYMARK_PASSPHRASE")
        .env_remove("WAYMARK_NEW_PASSPHRASE")
        .env_remove("WAYMARK_RECOVERY_CODE")
        .env_remove("WAYMARK_BACKUP_PASSPHRASE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command
}

/// Runs to the end: (success, standard output).
fn finish(mut command: Command) -> (bool, String) {
    let out = command.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Starts `command`, kills it with SIGKILL after `delay` unless it finished first; returns
/// (finished successfully before the kill, what it printed).
fn kill_after(mut command: Command, delay: Duration) -> (bool, String) {
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + delay;
    let finished = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status.success());
        }
        if Instant::now() >= deadline {
            break None;
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    if finished.is_none() {
        let _ = child.kill(); // SIGKILL on Unix
    }
    let out = child.wait_with_output().unwrap();
    (
        finished == Some(true),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn integrity_ok(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", path.display());
}

/// True when `secret` (in `variable`) unlocks the journal.
fn opens(journal: &Path, variable: &str, secret: &str) -> bool {
    let mut args = vec!["settings"];
    if variable == "WAYMARK_RECOVERY_CODE" {
        args.insert(0, "--recovery-code");
    }
    finish(waymark(journal, &args, &[(variable, secret)])).0
}

fn check_in_days(journal: &Path, passphrase: &str) -> Vec<String> {
    let (ok, out) = finish(waymark(
        journal,
        &["--json", "check-ins", "--from", "2000-01-01"],
        &[("WAYMARK_PASSPHRASE", passphrase)],
    ));
    assert!(ok, "check-ins failed after a crash");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    value["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["date"].as_str().unwrap().to_owned())
        .collect()
}

/// No journal under `journal`'s name, or a complete one: it passes `integrity_check` and
/// opens with `passphrase`.
fn absent_or_complete(journal: &Path, passphrase: &str) -> bool {
    if !journal.exists() {
        return false;
    }
    integrity_ok(journal);
    assert!(
        opens(journal, "WAYMARK_PASSPHRASE", passphrase),
        "a journal under its name that does not open: half-made"
    );
    true
}

/// The recovery code in what `new-recovery-code` or `rotate-key --json` printed, if any.
fn printed_code(out: &str) -> Option<String> {
    out.split_whitespace()
        .find(|w| w.len() == 35 && w.matches('-').count() == 5)
        .map(|w| w.trim_matches('"').to_owned())
        .or_else(|| {
            let value: serde_json::Value = serde_json::from_str(out).ok()?;
            Some(value["data"]["recovery_code"].as_str()?.to_owned())
        })
}

/// A folder with a template journal: cheap key derivation, a journey, `days` check-ins.
struct Template {
    dir: tempfile::TempDir,
    code: String,
}

impl Template {
    fn new(days: u32) -> Template {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("template.db");
        let (ok, out) = finish(waymark(
            &journal,
            &[
                "--json",
                "init",
                "--zone",
                "Europe/Berlin",
                "--kdf-memory-mib",
                "1",
                "--kdf-passes",
                "1",
            ],
            &[("WAYMARK_NEW_PASSPHRASE", PASSPHRASE)],
        ));
        assert!(ok);
        let code = printed_code(&out).unwrap();
        let env = [("WAYMARK_PASSPHRASE", PASSPHRASE)];
        assert!(
            finish(waymark(
                &journal,
                &[
                    "journey",
                    "add",
                    "--name",
                    "alcohol",
                    "--since",
                    "2026-01-01"
                ],
                &env
            ))
            .0
        );
        for day in 1..=days {
            let date = format!("2026-10-{day:02}");
            let args = ["check-in", "--date", &date, "--mood", "3", "--craving", "2"];
            assert!(finish(waymark(&journal, &args, &env)).0);
        }
        Template { dir, code }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("template.db")
    }

    /// A copy of the template journal in a fresh folder.
    fn copy(&self) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        std::fs::copy(self.path(), &path).unwrap();
        (dir, path)
    }
}

/// Kills `run` `kills` times at random moments within its usual duration (measured first);
/// `check` runs after each kill with (the run's folder state, finished, printed). Returns
/// how many runs the kill interrupted.
fn kill_repeatedly(
    dice: &mut Dice,
    kills: u32,
    mut prepare: impl FnMut() -> (tempfile::TempDir, Command),
    mut check: impl FnMut(&Path, bool, &str),
) -> u32 {
    // The usual duration is the quickest of three uninterrupted runs (the first is slowed
    // by a cold page cache), so the kills land inside a run rather than after it.
    let mut usual = u64::MAX;
    for _ in 0..3 {
        let (dir, command) = prepare();
        let started = Instant::now();
        let (ok, out) = finish(command);
        assert!(ok, "the operation works when not killed");
        check(dir.path(), true, &out);
        usual = usual.min(started.elapsed().as_micros() as u64);
    }
    let mut interrupted = 0;
    for _ in 0..kills {
        let (dir, command) = prepare();
        let delay = Duration::from_micros(dice.below(usual * 95 / 100));
        let (finished, out) = kill_after(command, delay);
        interrupted += u32::from(!finished);
        check(dir.path(), finished, &out);
    }
    interrupted
}

fn matrix(kills: u32) {
    let mut dice = Dice::new();
    let template = Template::new(5);
    let mut report = Vec::new();

    // init: no journal, or a complete one.
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let dir = tempfile::tempdir().unwrap();
            let journal = dir.path().join("journal.db");
            let command = waymark(
                &journal,
                &[
                    "init",
                    "--zone",
                    "UTC",
                    "--kdf-memory-mib",
                    "1",
                    "--kdf-passes",
                    "1",
                ],
                &[("WAYMARK_NEW_PASSPHRASE", PASSPHRASE)],
            );
            (dir, command)
        },
        |dir, finished, _| {
            let present = absent_or_complete(&dir.join("journal.db"), PASSPHRASE);
            assert!(present || !finished);
        },
    );
    report.push(("init", n));

    // A backup of the template, for restore and merge.
    let backups = tempfile::tempdir().unwrap();
    let backup = backups.path().join("template.wmbackup");
    let env = [
        ("WAYMARK_PASSPHRASE", PASSPHRASE),
        ("WAYMARK_BACKUP_PASSPHRASE", BACKUP_PASSPHRASE),
    ];
    assert!(
        finish(waymark(
            &template.path(),
            &["backup", "--out", backup.to_str().unwrap()],
            &env
        ))
        .0
    );

    // restore: no journal, or a complete one with every check-in.
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let dir = tempfile::tempdir().unwrap();
            let journal = dir.path().join("journal.db");
            let command = waymark(
                &journal,
                &["restore", "--from", backup.to_str().unwrap()],
                &[
                    ("WAYMARK_BACKUP_PASSPHRASE", BACKUP_PASSPHRASE),
                    ("WAYMARK_NEW_PASSPHRASE", PASSPHRASE),
                ],
            );
            (dir, command)
        },
        |dir, finished, _| {
            let journal = dir.join("journal.db");
            if absent_or_complete(&journal, PASSPHRASE) {
                assert_eq!(check_in_days(&journal, PASSPHRASE).len(), 5);
            } else {
                assert!(!finished);
            }
        },
    );
    report.push(("restore", n));

    // merge: a journal with other check-ins gets all of the backup's, or none.
    let other = Template::new(0);
    for day in 20..=24 {
        let date = format!("2026-10-{day:02}");
        let args = ["check-in", "--date", &date, "--mood", "4", "--craving", "1"];
        assert!(
            finish(waymark(
                &other.path(),
                &args,
                &[("WAYMARK_PASSPHRASE", PASSPHRASE)]
            ))
            .0
        );
    }
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let (dir, journal) = other.copy();
            let command = waymark(
                &journal,
                &["merge", "--from", backup.to_str().unwrap()],
                &env,
            );
            (dir, command)
        },
        |dir, finished, _| {
            let journal = dir.join("journal.db");
            integrity_ok(&journal);
            let days = check_in_days(&journal, PASSPHRASE).len();
            assert!(days == 5 || days == 10, "{days} check-ins: half a merge");
            assert!(days == 10 || !finished);
        },
    );
    report.push(("merge", n));

    // backup over an older one: the old file or the new one, whole.
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("b.wmbackup");
            std::fs::copy(&backup, &out).unwrap();
            let command = waymark(
                &other.path(),
                &["backup", "--force", "--out", out.to_str().unwrap()],
                &env,
            );
            (dir, command)
        },
        |dir, finished, _| {
            let read = waymark_core::recovery::backup::Backup::read(
                &dir.join("b.wmbackup"),
                BACKUP_PASSPHRASE,
            )
            .expect("the backup file is whole: old or new");
            assert!(read.record_count() > 0);
            let _ = finished;
        },
    );
    report.push(("backup", n));

    // change-passphrase: the old or the new one opens it.
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let (dir, journal) = template.copy();
            let command = waymark(
                &journal,
                &["change-passphrase"],
                &[
                    ("WAYMARK_PASSPHRASE", PASSPHRASE),
                    ("WAYMARK_NEW_PASSPHRASE", NEW_PASSPHRASE),
                ],
            );
            (dir, command)
        },
        |dir, finished, _| {
            let journal = dir.join("journal.db");
            integrity_ok(&journal);
            let new = opens(&journal, "WAYMARK_PASSPHRASE", NEW_PASSPHRASE);
            assert!(new || opens(&journal, "WAYMARK_PASSPHRASE", PASSPHRASE));
            assert!(new || !finished);
        },
    );
    report.push(("change-passphrase", n));

    // new-recovery-code: a printed code works; without one, the old code does.
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let (dir, journal) = template.copy();
            let command = waymark(
                &journal,
                &["new-recovery-code"],
                &[("WAYMARK_PASSPHRASE", PASSPHRASE)],
            );
            (dir, command)
        },
        |dir, finished, out| {
            let journal = dir.join("journal.db");
            integrity_ok(&journal);
            match printed_code(out) {
                Some(code) => assert!(opens(&journal, "WAYMARK_RECOVERY_CODE", &code)),
                None => {
                    assert!(!finished);
                    assert!(opens(&journal, "WAYMARK_RECOVERY_CODE", &template.code));
                }
            }
        },
    );
    report.push(("new-recovery-code", n));

    // rotate-key: every record is there and the passphrase opens it.
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let (dir, journal) = template.copy();
            let command = waymark(
                &journal,
                &["--json", "rotate-key"],
                &[("WAYMARK_PASSPHRASE", PASSPHRASE)],
            );
            (dir, command)
        },
        |dir, finished, out| {
            let journal = dir.join("journal.db");
            integrity_ok(&journal);
            assert_eq!(check_in_days(&journal, PASSPHRASE).len(), 5);
            if let Some(code) = printed_code(out) {
                assert!(opens(&journal, "WAYMARK_RECOVERY_CODE", &code));
            } else {
                assert!(!finished);
            }
        },
    );
    report.push(("rotate-key", n));

    // check-in writes: every acknowledged check-in is there.
    let (writes, journal) = template.copy();
    let mut acknowledged = Vec::new();
    let mut interrupted = 0;
    let usual = {
        let started = Instant::now();
        let args = [
            "check-in",
            "--date",
            "2026-09-01",
            "--mood",
            "3",
            "--craving",
            "2",
        ];
        assert!(
            finish(waymark(
                &journal,
                &args,
                &[("WAYMARK_PASSPHRASE", PASSPHRASE)]
            ))
            .0
        );
        acknowledged.push("2026-09-01".to_owned());
        started.elapsed().as_micros() as u64
    };
    for i in 0..kills {
        let date = format!("2026-08-{:02}", i % 28 + 1);
        let args = ["check-in", "--date", &date, "--mood", "3", "--craving", "2"];
        let delay = Duration::from_micros(dice.below(usual * 95 / 100));
        let (finished, _) = kill_after(
            waymark(&journal, &args, &[("WAYMARK_PASSPHRASE", PASSPHRASE)]),
            delay,
        );
        interrupted += u32::from(!finished);
        if finished {
            acknowledged.push(date);
        }
        integrity_ok(&journal);
    }
    let days = check_in_days(&journal, PASSPHRASE);
    for date in &acknowledged {
        assert!(days.contains(date), "acknowledged check-in {date} lost");
    }
    drop(writes);
    report.push(("check-in", interrupted));

    // The body-format migration of a journal written by release 1 (its first unlock).
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/journal-release-1.db");
    let expected = {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.db");
        std::fs::copy(&fixture, &journal).unwrap();
        check_in_days(&journal, "demo passphrase")
    };
    let n = kill_repeatedly(
        &mut dice,
        kills,
        || {
            let dir = tempfile::tempdir().unwrap();
            let journal = dir.path().join("journal.db");
            std::fs::copy(&fixture, &journal).unwrap();
            let command = waymark(
                &journal,
                &["home"],
                &[("WAYMARK_PASSPHRASE", "demo passphrase")],
            );
            (dir, command)
        },
        |dir, _, _| {
            let journal = dir.join("journal.db");
            integrity_ok(&journal);
            assert_eq!(check_in_days(&journal, "demo passphrase"), expected);
        },
    );
    report.push(("migration", n));

    let total: u32 = report.iter().map(|(_, n)| n).sum();
    for (op, n) in &report {
        eprintln!("crash matrix: {op:<18} {n:>3} runs killed before they finished");
    }
    eprintln!("crash matrix: {total} SIGKILLs that interrupted a run, every check passed");
}

#[test]
fn crash_matrix_short() {
    matrix(3);
}

#[test]
#[ignore]
fn crash_matrix_full() {
    matrix(35);
}
