//! Where results go: JSON for scripts (one document per command, schema in
//! `docs/cli-json.md`), or text for people with colour only on a terminal (and never when
//! `NO_COLOR` is set).

use crate::error::{CliError, Result};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once standard output's reader has gone: later output is dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output. A closed pipe is not an error: output stops quietly.
pub fn write_stdout(text: &str) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
}

/// Writes `text` to standard output and flushes it, reporting failure: for what must be seen
/// before the next step runs (a new recovery code, before the old one is retired).
pub fn write_stdout_or_fail(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Writes `text` to standard error, ignoring failure (there is nowhere left to report it).
pub fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Set when the command ran on a journal that can only be read: it ends with exit 4
/// ("damaged") even when it showed everything it was asked for.
static ENDS_DAMAGED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks this run as one on a damaged journal (see [`ends_damaged`]).
pub fn end_damaged() {
    ENDS_DAMAGED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether a command that succeeded must still end with exit 4.
pub fn ends_damaged() -> bool {
    ENDS_DAMAGED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The version of the JSON schema; bumped only for changes that break a reader.
pub const JSON_SCHEMA: &str = "waymark-cli/1";

/// How a command prints.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// Print JSON.
    pub json: bool,
    /// Use ANSI colour.
    pub color: bool,
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    schema: &'static str,
    command: &'a str,
    data: &'a T,
    /// For a list over days: what its span leaves out (`Window` in docs/cli-json.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    window: Option<&'a waymark_core::recovery::window::OutsideWindow>,
}

impl Out {
    /// JSON if asked for; colour if standard output is a terminal and `NO_COLOR` is unset.
    pub fn new(json: bool) -> Out {
        let color = !json
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Out { json, color }
    }

    /// Prints `data` as the JSON document of `command`.
    pub fn json<T: Serialize>(&self, command: &str, data: &T) -> Result<()> {
        write_stdout(&self.json_text(command, data)?);
        Ok(())
    }

    /// The JSON document of `command` holding `data`, as [`Out::json`] prints it.
    pub fn json_text<T: Serialize>(&self, command: &str, data: &T) -> Result<String> {
        self.document(command, data, None)
    }

    /// Prints the JSON document of a list over days: `data`, and beside it `window`, what
    /// the list's span leaves out.
    pub fn json_with_window<T: Serialize>(
        &self,
        command: &str,
        data: &T,
        window: &waymark_core::recovery::window::OutsideWindow,
    ) -> Result<()> {
        write_stdout(&self.document(command, data, Some(window))?);
        Ok(())
    }

    fn document<T: Serialize>(
        &self,
        command: &str,
        data: &T,
        window: Option<&waymark_core::recovery::window::OutsideWindow>,
    ) -> Result<String> {
        let envelope = Envelope {
            schema: JSON_SCHEMA,
            command,
            data,
            window,
        };
        let mut text = serde_json::to_string_pretty(&envelope).map_err(|e| {
            CliError::io("writing JSON to", std::path::Path::new("stdout"), e.into())
        })?;
        text.push('\n');
        Ok(text)
    }

    /// `text` in bold.
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// `text` dimmed.
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// `text` in green (good news: sober days, passed urges).
    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    /// `text` in red (lapses; never used for blame, only to mark the day).
    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    /// `text` in yellow (the next milestone).
    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    /// `text` in a 256-colour palette entry.
    pub fn shade(&self, code: u8, text: &str) -> String {
        self.paint(&format!("38;5;{code}"), text)
    }

    fn paint(&self, sgr: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}
