//! `backup`, `restore`, `merge` and `export`: moving a journal between devices (S15).
//!
//! Backups are encrypted under their own passphrase (`WAYMARK_BACKUP_PASSPHRASE` or asked);
//! the rules for merging are in `waymark_core::recovery::backup`. Plaintext leaves only
//! through `export`, with a warning.

use super::{note, say, Ctx};
use crate::args::{BackupArgs, ExportArgs, ExportFormat, MergeArgs, RestoreArgs};
use crate::error::{CliError, Result};
use crate::session;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use waymark_core::files::{create_private_dir_all, write_atomically};
use waymark_core::recovery::backup::{Backup, MergeReport};
use waymark_core::{JournalOptions, KdfParams};

/// `waymark backup --out FILE`.
pub fn backup(ctx: &Ctx, args: &BackupArgs) -> Result<()> {
    folder_exists(&args.out)?;
    if args.out.exists() && !args.force {
        return Err(CliError::Refused(
            "the backup file already exists: choose another name or add --force",
        ));
    }
    let recovery = ctx.open_to_save()?;
    let passphrase = session::new_secret("backup passphrase", "WAYMARK_BACKUP_PASSPHRASE")?;
    let written = recovery.write_backup(&args.out, &passphrase, &KdfParams::RECOMMENDED)?;
    if ctx.out.json {
        return ctx.out.json("backup", &written);
    }
    say(format!(
        "Wrote an encrypted backup of {} records to {} ({} bytes).",
        written.records,
        args.out.display(),
        written.bytes
    ));
    if recovery.journal().salvage() == Some(waymark_core::Salvage::CutShort) {
        note("warning: what was on the journal file's lost pages is not in the backup");
    } else if written.damaged > 0 {
        note(format!(
            "warning: {} damaged records could not be read and are not in the backup",
            written.damaged
        ));
    }
    say("It opens only with the backup passphrase; keep that somewhere safe.");
    Ok(())
}

fn read_backup(path: &Path) -> Result<Backup> {
    if !path.exists() {
        return Err(CliError::invalid("from", "no file at that path"));
    }
    let passphrase = session::secret("backup passphrase", "WAYMARK_BACKUP_PASSPHRASE")?;
    Ok(Backup::read(path, &passphrase)?)
}

fn print_report(ctx: &Ctx, command: &str, report: &MergeReport) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(command, report);
    }
    say(format!(
        "{} added, {} updated, {} unchanged, {} kept as they were here (conflicts).",
        report.added, report.updated, report.unchanged, report.conflicts_kept
    ));
    if report.deleted > 0 {
        say(format!(
            "{} deleted here: the other device deleted {} after {} last edit here.",
            crate::render::format::count(report.deleted, "record", "records"),
            if report.deleted == 1 { "it" } else { "them" },
            if report.deleted == 1 { "its" } else { "their" },
        ));
    }
    if report.stayed_deleted > 0 {
        say(format!(
            "{} in the backup stayed deleted: deleted here after the backup's copy was last edited.",
            crate::render::format::count(report.stayed_deleted, "record", "records"),
        ));
    }
    if report.refused > 0 {
        say(ctx.out.red(&format!(
            "{} dated more than two days ahead {} refused.",
            crate::render::format::count(report.refused, "deletion", "deletions"),
            if report.refused == 1 { "was" } else { "were" },
        )));
    }
    if report.quarantined > 0 {
        say(ctx.out.red(&format!(
            "{} broke a rule of {} kind and {} kept in quarantine, not applied: `waymark quarantine` lists {}.",
            crate::render::format::count(report.quarantined, "record", "records"),
            if report.quarantined == 1 { "its" } else { "their" },
            if report.quarantined == 1 { "is" } else { "are" },
            if report.quarantined == 1 { "it" } else { "them" },
        )));
    }
    Ok(())
}

/// `waymark restore --from FILE`: a new journal (at --journal) from a backup. The backup is
/// read and authenticated completely before the journal is created.
pub fn restore(ctx: &Ctx, args: &RestoreArgs) -> Result<()> {
    if ctx.path.exists() && !waymark_core::Journal::is_unfinished(&ctx.path) {
        return Err(waymark_core::Error::AlreadyExists {
            path: ctx.path.clone(),
        }
        .into());
    }
    let backup = read_backup(&args.from)?;
    let passphrase = session::new_secret("new passphrase", "WAYMARK_NEW_PASSPHRASE")?;
    session::create_parent(&ctx.path)?;
    let restored = backup.restore(
        &ctx.path,
        &passphrase,
        JournalOptions::default(),
        session::clock()?,
    )?;
    let (report, code) = (restored.report, restored.recovery_code.reveal());
    drop(backup);
    if ctx.out.json {
        #[derive(Serialize)]
        struct Restored<'a> {
            report: &'a MergeReport,
            recovery_code: &'a str,
        }
        return ctx.out.json(
            "restore",
            &Restored {
                report: &report,
                recovery_code: &code,
            },
        );
    }
    say(format!(
        "Restored {} records into {}.",
        report.added + report.updated + report.unchanged,
        ctx.path.display()
    ));
    say(ctx
        .out
        .bold("The restored journal has a new recovery code (shown only this once):"));
    say(format!("    {}", ctx.out.bold(&code)));
    Ok(())
}

/// `waymark merge --from FILE`.
pub fn merge(ctx: &Ctx, args: &MergeArgs) -> Result<()> {
    let recovery = ctx.open()?;
    let backup = read_backup(&args.from)?;
    let report = recovery.merge_backup(&backup)?;
    print_report(ctx, "merge", &report)
}

/// The characters that make a spreadsheet read a cell as a formula when the cell starts
/// with them (CSV injection: `=HYPERLINK(...)`, `+1+1`, `@SUM(...)`, a tab or a carriage
/// return before one).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV cell's text: nested values as compact JSON; text that a spreadsheet would run as
/// a formula gets an apostrophe in front, so it shows as the text it is (said in the
/// export's README.txt). Numbers, booleans and nested values are never text a person wrote
/// at a cell's start, and stay as they are.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) if s.starts_with(FORMULA_STARTS) => format!("'{s}"),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A list of records as CSV (RFC 4180, through the `csv` crate, CRLF line ends): one column
/// per top-level field, in the order of the first record's fields.
fn csv<T: Serialize>(items: &[T]) -> Result<String> {
    let rows: Vec<Value> = items
        .iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &rows {
        if let Value::Object(map) = row {
            for key in map.keys() {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let failed = |e: csv::Error| {
        CliError::io(
            "writing CSV",
            Path::new("the export"),
            std::io::Error::other(e.to_string()),
        )
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(&columns).map_err(failed)?;
    for row in &rows {
        writer
            .write_record(
                columns
                    .iter()
                    .map(|c| cell(row.get(c).unwrap_or(&Value::Null))),
            )
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| failed(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| {
        CliError::io(
            "writing CSV",
            Path::new("the export"),
            std::io::Error::other("not UTF-8"),
        )
    })
}

/// The README.txt of a CSV export: what the files are, and the apostrophes.
const CSV_README: &str = "\
Waymark export (CSV): one file per kind of record, one row per record, UTF-8, comma-separated,
quoted where needed (RFC 4180). Nested values (lists, a day's evening review) are JSON.

These files are NOT encrypted: anyone who can read them can read everything you wrote.

So that a spreadsheet never runs text you wrote as a formula, a cell whose text began with =,
+, -, @, a tab or a carriage return starts with an apostrophe (') here: `'=call Sam` was
written `=call Sam`. Spreadsheets show such a cell as plain text.
";

/// Refuses an `--out` whose folder does not exist (nothing is created outside it).
pub fn folder_exists(out: &Path) -> Result<()> {
    match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => Err(CliError::invalid(
            "out",
            "is in a folder that does not exist: create the folder first",
        )),
        _ => Ok(()),
    }
}

/// `waymark export --format json|csv --out PATH`: plaintext, with a warning.
pub fn export(ctx: &Ctx, args: &ExportArgs) -> Result<()> {
    folder_exists(&args.out)?;
    if args.out.exists() {
        return Err(CliError::Refused(
            "the export path already exists: choose a new file or directory name",
        ));
    }
    let recovery = ctx.open_to_save()?;
    let data = recovery.export()?;
    let mut written = Vec::new();
    match args.format {
        ExportFormat::Json => {
            let bytes = zeroize::Zeroizing::new(
                serde_json::to_vec_pretty(&data)
                    .map_err(|e| CliError::io("serializing", &args.out, e.into()))?,
            );
            write_atomically(&args.out, &bytes)?;
            written.push(args.out.clone());
        }
        ExportFormat::Csv => {
            create_private_dir_all(&args.out)?;
            let tables = [
                ("settings.csv", csv(std::slice::from_ref(&data.settings))?),
                ("journeys.csv", csv(&data.journeys)?),
                (
                    "milestones_celebrated.csv",
                    csv(&data.milestones_celebrated)?,
                ),
                ("lapses.csv", csv(&data.lapses)?),
                ("check_ins.csv", csv(&data.check_ins)?),
                ("triggers.csv", csv(&data.triggers)?),
                ("card_uses.csv", csv(&data.card_uses)?),
                ("cards.csv", csv(&data.cards)?),
                ("reflections.csv", csv(&data.reflections)?),
                ("entries.csv", csv(&data.entries)?),
                ("contacts.csv", csv(&data.contacts)?),
                ("outreach.csv", csv(&data.outreach)?),
                ("meetings.csv", csv(&data.meetings)?),
            ];
            for (name, text) in tables {
                let path = args.out.join(name);
                write_atomically(&path, text.as_bytes())?;
                written.push(path);
            }
            let readme = args.out.join("README.txt");
            write_atomically(&readme, CSV_README.as_bytes())?;
            written.push(readme);
        }
    }
    note(format!(
        "warning: {} is NOT encrypted. Anyone who can read it can read everything you wrote. Delete it when you are done with it.",
        args.out.display()
    ));
    for line in crate::render::format::unreadable(
        data.damaged_records,
        data.newer_records,
        i32::try_from(data.quarantined.len()).unwrap_or(i32::MAX),
    ) {
        note(format!("warning: {line}; not in the export"));
    }
    if ctx.out.json {
        return ctx.out.json("export", &written);
    }
    say(format!("Exported to {}.", args.out.display()));
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting_and_keeps_nested_values_as_json() {
        #[derive(Serialize)]
        struct Row {
            a: &'static str,
            b: Vec<u8>,
            c: Option<u8>,
        }
        let text = csv(&[
            Row {
                a: "plain",
                b: vec![1, 2],
                c: None,
            },
            Row {
                a: "say \"hi\", then\nleave",
                b: vec![],
                c: Some(3),
            },
        ])
        .unwrap();
        assert_eq!(
            text,
            "a,b,c\r\nplain,\"[1,2]\",\r\n\"say \"\"hi\"\", then\nleave\",[],3\r\n"
        );
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe_and_numbers_do_not() {
        #[derive(Serialize)]
        struct Row {
            note: &'static str,
            delta: i32,
        }
        let rows: Vec<Row> = ["=1+1", "+1", "-2 today", "@SUM(A1)", "\tx", "\rx", "fine"]
            .into_iter()
            .map(|note| Row { note, delta: -3 })
            .collect();
        let text = csv(&rows).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let column = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "note")
            .unwrap();
        let notes: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[column].to_owned())
            .collect();
        assert_eq!(
            notes,
            [
                "'=1+1",
                "'+1",
                "'-2 today",
                "'@SUM(A1)",
                "'\tx",
                "'\rx",
                "fine"
            ]
        );
        assert!(text.contains("\r\n-3,"), "numbers stay numbers: {text}");
    }
}
