//! A full disk: on a small tmpfs mounted by the test (root is needed; without it the test
//! says so and skips, and under CI=true it fails), every writing command run while the disk
//! is full leaves the journal exactly as it was and says "the disk is full" in one line; a
//! restore onto a full disk leaves nothing behind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::PASSPHRASE;
use std::path::{Path, PathBuf};
use std::process::Command;
use waymark_core::{Journal, JournalOptions};

/// A tmpfs mounted on a temporary folder, unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            Some(SmallDisk { dir })
        } else if std::env::var("CI").as_deref() == Ok("true") {
            panic!("a tmpfs could not be mounted (root is needed) and CI=true");
        } else {
            eprintln!("full_disk: no tmpfs (not root?): skipped");
            None
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Fills what is left of the disk with one file.
    fn fill(&self) {
        use std::io::Write;
        let mut file = std::fs::File::create(self.path("filler")).unwrap();
        let block = vec![0x55u8; 4096];
        while file.write_all(&block).is_ok() {}
        let _ = file.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Extra environment variables of one command.
type Env<'a> = Vec<(&'a str, &'a str)>;

fn waymark(journal: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waymark"));
    command
        .args(args)
        .env("WAYMARK_JOURNAL", journal)
        .env_remove("WAYMARK_NEW_PASSPHRASE")
        .env_remove("WAYMARK_BACKUP_PASSPHRASE")
        .env("WAYMARK_PASSPHRASE", PASSPHRASE)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

/// Every record's kind and body, sorted: the journal's content.
fn content(journal: &Path) -> Vec<(String, Vec<u8>)> {
    let j = Journal::open(journal, JournalOptions::default()).unwrap();
    j.unlock_with_passphrase(PASSPHRASE).unwrap();
    let mut out: Vec<_> = j
        .records(None)
        .unwrap()
        .records
        .into_iter()
        .map(|r| (r.kind, r.body.to_vec()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_writing_command_on_a_full_disk_changes_nothing_and_says_so() {
    let Some(disk) = SmallDisk::mount("3m") else {
        return;
    };
    let journal = disk.path("journal.db");
    let init = waymark(
        &journal,
        &[
            "init",
            "--zone",
            "Europe/Berlin",
            "--kdf-memory-mib",
            "1",
            "--kdf-passes",
            "1",
        ],
        &[("WAYMARK_NEW_PASSPHRASE", PASSPHRASE)],
    );
    assert!(init.status.success());
    for args in [
        &[
            "journey",
            "add",
            "--name",
            "alcohol",
            "--since",
            "2026-01-01",
        ][..],
        &[
            "check-in",
            "--date",
            "2026-11-20",
            "--mood",
            "3",
            "--craving",
            "2",
        ],
        &["contact", "add", "--name", "Sam", "--role", "sponsor"],
    ] {
        assert!(waymark(&journal, args, &[]).status.success());
    }
    // A backup to merge later, written while there is room.
    let backup = disk.path("earlier.wmbackup");
    let env = [("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase")];
    assert!(waymark(
        &journal,
        &["backup", "--out", backup.to_str().unwrap()],
        &env
    )
    .status
    .success());
    assert!(waymark(
        &journal,
        &[
            "check-in",
            "--date",
            "2026-11-21",
            "--mood",
            "4",
            "--craving",
            "1"
        ],
        &[]
    )
    .status
    .success());
    let before = content(&journal);
    let bytes_before = std::fs::read(&journal).unwrap();

    disk.fill();
    let long_text = "words ".repeat(5_000);
    let out_backup = disk.path("new.wmbackup");
    let out_export = disk.path("export");
    let out_report = disk.path("report.html");
    let commands: Vec<(Vec<&str>, Env)> = vec![
        (
            vec![
                "check-in",
                "--date",
                "2026-11-22",
                "--mood",
                "2",
                "--craving",
                "5",
            ],
            vec![],
        ),
        (
            vec![
                "journey",
                "add",
                "--name",
                "smoking",
                "--since",
                "2026-02-01",
            ],
            vec![],
        ),
        (
            vec![
                "trigger",
                "log",
                "--category",
                "emotions",
                "--intensity",
                "7",
            ],
            vec![],
        ),
        (vec!["entry", "write", "--text", &long_text], vec![]),
        (vec!["lapse", "record", "--date", "2026-11-10"], vec![]),
        (vec!["settings", "--day-starts-at", "4"], vec![]),
        (
            vec!["backup", "--out", out_backup.to_str().unwrap()],
            vec![("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase")],
        ),
        (
            vec!["merge", "--from", backup.to_str().unwrap()],
            vec![("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase")],
        ),
        (
            vec!["change-passphrase"],
            vec![("WAYMARK_NEW_PASSPHRASE", "a different passphrase entirely")],
        ),
        (vec!["new-recovery-code"], vec![]),
        (vec!["rotate-key"], vec![]),
        (
            vec![
                "export",
                "--format",
                "json",
                "--out",
                out_export.to_str().unwrap(),
            ],
            vec![],
        ),
        (
            vec!["report", "--out", out_report.to_str().unwrap()],
            vec![],
        ),
    ];
    let mut refused = 0;
    for (args, env) in &commands {
        let out = waymark(&journal, args, env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            // Some commands need no new space (a merge of records already here).
            eprintln!("full_disk: `{}` succeeded on the full disk", args[0]);
        } else {
            refused += 1;
            assert!(
                stderr.contains("disk is full"),
                "`{}`: {stderr}",
                args.join(" ")
            );
            assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        }
        assert_eq!(
            std::fs::read(&journal).unwrap(),
            bytes_before,
            "`{}` changed the journal file",
            args[0]
        );
        assert!(!out_backup.exists() && !out_report.exists());
    }
    assert!(refused >= 10, "{refused} of {} refused", commands.len());
    // Once there is room again: the same content, the old passphrase opens it, and
    // everything works.
    std::fs::remove_file(disk.path("filler")).unwrap();
    assert_eq!(content(&journal), before);
    assert!(waymark(
        &journal,
        &[
            "check-in",
            "--date",
            "2026-11-22",
            "--mood",
            "2",
            "--craving",
            "5"
        ],
        &[]
    )
    .status
    .success());
}

#[test]
fn a_restore_onto_a_full_disk_leaves_nothing_behind() {
    let Some(disk) = SmallDisk::mount("2m") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("source.db");
    let demo = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["demo", "--days", "200", "--keep"])
        .arg(&source)
        .output()
        .unwrap();
    assert!(demo.status.success());
    let backup = work.path().join("big.wmbackup");
    let out = waymark(
        &source,
        &["backup", "--out", backup.to_str().unwrap()],
        &[
            ("WAYMARK_PASSPHRASE", "demo passphrase"),
            ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    disk.fill();
    std::fs::remove_file(disk.path("filler")).unwrap();
    // Leave too little room for the restored journal.
    {
        use std::io::Write;
        let mut file = std::fs::File::create(disk.path("filler")).unwrap();
        let block = vec![0u8; 4096];
        while std::fs::metadata(disk.path("filler")).unwrap().len() < 1_800_000 {
            if file.write_all(&block).is_err() {
                break;
            }
        }
    }
    let journal = disk.path("restored.db");
    let out = waymark(
        &journal,
        &["restore", "--from", backup.to_str().unwrap()],
        &[
            ("WAYMARK_BACKUP_PASSPHRASE", "the backup passphrase"),
            ("WAYMARK_NEW_PASSPHRASE", PASSPHRASE),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("disk is full"), "{stderr}");
    let left: Vec<String> = std::fs::read_dir(disk.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["filler"], "left behind: {left:?}");
}

#[test]
fn a_write_that_runs_out_of_room_midway_changes_nothing_and_says_the_disk_is_full() {
    let Some(disk) = SmallDisk::mount("3m") else {
        return;
    };
    let journal = disk.path("journal.db");
    let init = waymark(
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
    assert!(init.status.success());
    // The journal is open (its -wal and -shm exist and are mapped) when the disk fills up.
    let open = Journal::open(
        &journal,
        JournalOptions {
            kdf: waymark_core::KdfParams::new(1024, 1, 1).unwrap(),
            ..JournalOptions::default()
        },
    )
    .unwrap();
    open.unlock_with_passphrase(PASSPHRASE).unwrap();
    let kept = open
        .insert_record("note", b"written before the disk filled")
        .unwrap();
    let count = open.record_count().unwrap();
    disk.fill();
    let big = vec![7u8; 200 * 1024];
    let mut full = 0;
    for _ in 0..20 {
        match open.insert_record("note", &big) {
            Err(waymark_core::Error::DiskFull) => full += 1,
            Err(other) => panic!("not a full disk: {other}"),
            Ok(_) => {}
        }
    }
    assert!(full > 0, "the disk never filled");
    std::fs::remove_file(disk.path("filler")).unwrap();
    // Everything acknowledged is there; nothing half-written is.
    let records = open.records(None).unwrap();
    assert!(records.damage.is_empty());
    assert_eq!(
        &open.get_record(&kept).unwrap().body[..],
        b"written before the disk filled"
    );
    assert!(open.record_count().unwrap() >= count);
    assert!(records
        .records
        .iter()
        .all(|r| r.body.len() < 100 || r.body.len() == big.len()));
}
