//! Arguments of the commands about the journal itself: demo, init, settings, backups,
//! export, the report and wiping.

use super::values::{ExportFormat, Period};
use clap::Args;
use std::path::PathBuf;

/// `waymark demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Days of story to generate.
    #[arg(long, default_value_t = 180, value_parser = clap::value_parser!(u32).range(7..=3650))]
    pub days: u32,
    /// Seed of the generated story (the same seed gives the same story).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Keep the demo journal at this path instead of a temporary directory (passphrase
    /// "demo passphrase").
    #[arg(long, value_name = "PATH")]
    pub keep: Option<PathBuf>,
}

/// `waymark init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your IANA time zone (default: this computer's).
    #[arg(long)]
    pub zone: Option<String>,
    /// Argon2id memory in MiB: higher is slower to guess and slower to unlock.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub kdf_memory_mib: u32,
    /// Argon2id passes.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub kdf_passes: u32,
    /// Your currency, for money saved (an ISO 4217 code such as EUR, USD, GBP, JPY).
    #[arg(long)]
    pub currency: Option<String>,
}

/// `waymark settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Set your current IANA time zone.
    #[arg(long)]
    pub zone: Option<String>,
    /// Set the hour (0-23) your day starts: a 1 am check-in can still count for yesterday.
    #[arg(long)]
    pub day_starts_at: Option<i32>,
    /// Set your currency (an ISO 4217 code such as EUR, USD, GBP, JPY).
    #[arg(long, conflicts_with = "no_currency")]
    pub currency: Option<String>,
    /// Show plain amounts without a currency.
    #[arg(long)]
    pub no_currency: bool,
}

/// `waymark backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `waymark restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    #[arg(long)]
    pub from: PathBuf,
}

/// `waymark merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The backup file from the other device.
    #[arg(long)]
    pub from: PathBuf,
}

/// Where a sync store is: `waymark sync` and `waymark join` (one of the two).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct SyncArgs {
    /// A folder shared between the devices (Syncthing, iCloud Drive, Dropbox, a USB stick...):
    /// it receives only encrypted blobs with random names.
    #[arg(long)]
    pub folder: Option<PathBuf>,
    /// A WebDAV folder (Nextcloud, ownCloud, Apache mod_dav), https:// only; the user name and
    /// password come from WAYMARK_WEBDAV_USER and WAYMARK_WEBDAV_PASSWORD.
    #[arg(long)]
    pub webdav: Option<String>,
}

/// `waymark sync`.
#[derive(Debug, Args)]
pub struct SyncCommandArgs {
    /// Where the journal syncs.
    #[command(flatten)]
    pub store: SyncArgs,
    /// Send the whole journal again as one snapshot, not only what is new: when another
    /// device reports a file in the sync folder it cannot read or change sets that wait, or
    /// after restoring the folder from an older copy on purpose (it goes on where the folder
    /// shows less than before).
    #[arg(long)]
    pub resend: bool,
}

/// `waymark export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format: one JSON file, or a directory of CSV files (one per kind).
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Where to write (a file for json, a new directory for csv).
    #[arg(long)]
    pub out: PathBuf,
}

/// `waymark report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HTML file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The period it covers.
    #[arg(long, value_enum, default_value_t = Period::Year)]
    pub range: Period,
    /// Add your safety plan on a page of its own (left out unless asked).
    #[arg(long)]
    pub with_safety_plan: bool,
}

/// `waymark wipe`.
#[derive(Debug, Args)]
pub struct WipeArgs {
    /// Confirm: the journal cannot be recovered afterwards.
    #[arg(long)]
    pub yes: bool,
}

/// `waymark quarantine`: records kept but never applied.
#[derive(Debug, Args)]
pub struct QuarantineArgs {
    /// What to do (default: list them).
    #[command(subcommand)]
    pub action: Option<QuarantineCommand>,
}

/// The `waymark quarantine` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum QuarantineCommand {
    /// List them: id, kind, and why each is there.
    List,
    /// Print what one holds, as JSON.
    Show {
        /// Its id, from `waymark quarantine`.
        id: String,
    },
    /// Erase one for good.
    Discard {
        /// Its id, from `waymark quarantine`.
        id: String,
        /// Confirm: the record is erased for good.
        #[arg(long)]
        yes: bool,
    },
}
