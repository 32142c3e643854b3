//! `waymark`: the Waymark recovery journal on the command line.
//!
//! The same core as the phone apps: an encrypted journal file, the recovery domain, encrypted
//! backups. `waymark demo` shows it working on a throwaway journal; `waymark --help` lists
//! everything. Every error is one line on standard error and a non-zero exit; nothing a
//! person wrote ever appears in one.
//!
//! The binary (`src/main.rs`) calls [`main`]; [`parse`] (how command-line text becomes
//! dates, times, amounts and ids) is public so the fuzz targets can reach it.

mod args;
mod commands;
mod error;
mod output;
pub mod parse;
mod render;
mod report;
mod session;

pub use error::CliError;

use clap::Parser;
use std::process::ExitCode;

/// Runs `waymark` with the process's arguments and environment; returns its exit code (0
/// success, 2 bad input, 3 wrong secret, 4 missing or damaged file, 1 anything else).
pub fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                // --help and --version.
                output::write_stdout(&e.render().to_string());
                return ExitCode::SUCCESS;
            }
            // clap's first paragraph, on one line (the usage block after it is left out).
            let text = e.to_string();
            let first: Vec<&str> = text
                .lines()
                .map(str::trim)
                .skip_while(|l| l.is_empty())
                .take_while(|l| !l.is_empty())
                .collect();
            let line = scrub(&first.join(" "));
            let line = line.trim_start_matches("error: ");
            output::write_stderr(&format!("waymark: {line} (see waymark --help)\n"));
            return ExitCode::from(2);
        }
    };
    match commands::run(cli) {
        Ok(()) if output::ends_damaged() => ExitCode::from(4),
        Ok(()) => ExitCode::SUCCESS,
        // A journal that can only be read said so as it opened: a write it then refused
        // needs no second message.
        Err(e) if output::ends_damaged() && e.exit_code() == 4 => ExitCode::from(4),
        Err(e) => {
            output::write_stderr(&format!("waymark: {e}\n"));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Replaces every quoted value in a clap message with `'…'`, keeping quoted flag names
/// (`'--mood <MOOD>'`): a mistyped argument may be something the person meant to write in
/// their journal, and error messages never repeat that.
fn scrub(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut parts = message.split('\'');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    for (i, part) in rest.iter().enumerate() {
        // Odd pieces (0, 2, ...) of `rest` are inside quotes, when a closing quote follows.
        let quoted = i % 2 == 0 && i + 1 < rest.len();
        // Flags (`--mood <MOOD>`) and argument placeholders (`<KIND>`) are clap's own words.
        let placeholder = part.starts_with('<') && part.ends_with('>');
        if quoted && !part.starts_with('-') && !placeholder {
            out.push_str("'…'");
        } else if quoted {
            out.push('\'');
            out.push_str(part);
            out.push('\'');
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn clap_messages_keep_flag_names_and_lose_values() {
        assert_eq!(
            scrub("invalid value 'I felt awful' for '--mood <MOOD>': invalid digit"),
            "invalid value '…' for '--mood <MOOD>': invalid digit"
        );
        assert_eq!(
            scrub("unexpected argument 'was' found"),
            "unexpected argument '…' found"
        );
        assert_eq!(scrub("no quotes here"), "no quotes here");
        assert_eq!(
            scrub("invalid value 'jouney' for '<KIND>'"),
            "invalid value '…' for '<KIND>'"
        );
    }
}
