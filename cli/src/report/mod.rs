//! `waymark report --out FILE.html`: writes the core's progress report
//! (`waymark_core::recovery::report`) like an export, with a warning.

use crate::args::ReportArgs;
use crate::commands::{note, say, Ctx};
use crate::error::{CliError, Result};
use waymark_core::files::write_atomically;

/// Writes the report for `args.range` to `args.out`.
pub fn write(ctx: &Ctx, args: &ReportArgs) -> Result<()> {
    crate::commands::folder_exists(&args.out)?;
    if args.out.exists() {
        return Err(CliError::Refused(
            "the report file already exists: choose a new name",
        ));
    }
    let recovery = ctx.open()?;
    let html = recovery.report_html(crate::commands::period(args.range), args.with_safety_plan)?;
    write_atomically(&args.out, html.as_bytes())?;
    note(format!(
        "note: {} holds what you wrote, unencrypted; share it only with people you choose",
        args.out.display()
    ));
    if ctx.out.json {
        #[derive(serde::Serialize)]
        struct Written<'a> {
            path: &'a std::path::Path,
            bytes: usize,
        }
        return ctx.out.json(
            "report",
            &Written {
                path: &args.out,
                bytes: html.len(),
            },
        );
    }
    say(format!(
        "Wrote {} ({} KB).",
        args.out.display(),
        html.len() / 1024
    ));
    Ok(())
}
