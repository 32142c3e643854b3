//! `waymark`: the Waymark recovery journal on the command line.
//!
//! The same core as the phone apps: an encrypted journal file, the recovery domain, encrypted
//! backups. `waymark demo` shows it working on a throwaway journal; `waymark --help` lists
//! everything. Every error is one line on standard error and a non-zero exit; nothing a
//! person wrote ever appears in one.

mod args;
mod commands;
mod error;
mod output;
mod parse;
mod render;
mod report;
mod session;

use clap::Parser;
use std::process::ExitCode;

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                // --help and --version.
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let text = e.to_string();
            let line = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments")
                .trim_start_matches("error: ");
            eprintln!("waymark: {line} (see waymark --help)");
            return ExitCode::from(2);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("waymark: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
