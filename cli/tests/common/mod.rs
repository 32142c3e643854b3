//! Running the real `waymark` binary against a journal in a temporary directory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The journal passphrase tests use.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// A journal location and the binary.
pub struct Waymark {
    /// Holds the journal and any files a test writes.
    pub dir: tempfile::TempDir,
    /// The journal file.
    pub journal: PathBuf,
}

/// What a run printed and how it ended.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns standard output.
    #[track_caller]
    pub fn ok(self) -> String {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        self.stdout
    }

    /// The JSON document printed, after checking the envelope.
    #[track_caller]
    pub fn json(self, command: &str) -> serde_json::Value {
        let out = self.ok();
        let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(value["schema"], "waymark-cli/1");
        assert_eq!(value["command"], command);
        value["data"].clone()
    }
}

impl Waymark {
    /// A fresh directory; no journal yet.
    pub fn new() -> Waymark {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.db");
        Waymark { dir, journal }
    }

    /// A path inside the test directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `waymark ARGS` with the journal, the passphrase in the environment, standard
    /// input empty (not a terminal).
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[("WAYMARK_PASSPHRASE", PASSPHRASE)], None)
    }

    /// Runs with exactly these WAYMARK_* variables and optional standard input.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_waymark"));
        command
            .args(args)
            .env("WAYMARK_JOURNAL", &self.journal)
            .env_remove("WAYMARK_PASSPHRASE")
            .env_remove("WAYMARK_NEW_PASSPHRASE")
            .env_remove("WAYMARK_RECOVERY_CODE")
            .env_remove("WAYMARK_BACKUP_PASSPHRASE")
            .env_remove("WAYMARK_NOW")
            .env("NO_COLOR", "1")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap();
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    /// Runs `waymark ARGS` as [`Waymark::run`] does, with the clock pinned at `now` (RFC 3339).
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        self.run_with(
            args,
            &[("WAYMARK_PASSPHRASE", PASSPHRASE), ("WAYMARK_NOW", now)],
            None,
        )
    }

    /// Creates the journal (cheap Argon2id so tests are quick) in Europe/Berlin and returns
    /// the recovery code.
    pub fn init(&self) -> String {
        self.init_json()["recovery_code"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `waymark --json init` with cheap Argon2id: the JSON `data` it printed.
    pub fn init_json(&self) -> serde_json::Value {
        self.run_with(
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
            None,
        )
        .json("init")
    }

    /// `waymark journey add --name NAME --since SINCE`, which must succeed.
    pub fn add_journey(&self, name: &str, since: &str) {
        self.run(&["journey", "add", "--name", name, "--since", since])
            .ok();
    }

    /// The journal file's bytes (with its WAL, if any): what "unchanged" means.
    pub fn fingerprint(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.journal).unwrap_or_default();
        let wal = PathBuf::from(format!("{}-wal", self.journal.display()));
        bytes.extend(std::fs::read(wal).unwrap_or_default());
        bytes
    }
}

/// True when `path` exists.
pub fn exists(path: &Path) -> bool {
    path.exists()
}
