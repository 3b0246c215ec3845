//! `hrcities ingest PATH…`: check returns and add them to the campaign store.

use std::path::PathBuf;

use super::manifest::Done;
use super::validate::{check_paths, render_text};
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::framework::Severity;
use crate::i18n::trf;
use crate::store::{file_results_with, IngestOptions};

/// Check returns and add them to the campaign store, keeping every version.
///
/// Each file is checked as `hrcities validate` does, then filed under its city and
/// reporting year with where every answer came from (file, sha256, sheet, cell) and when.
/// Returns with errors are stored too, every answer kept as written, so nothing a city sent
/// is lost; their errors are listed. Ingesting the same file again changes nothing, unless
/// a later file had replaced it: then it is current again (and the history says so), unless
/// the analyst restored the current version (`store restore`) or a year in the file's name
/// is not its profile's, which need --replace. A
/// different file for the same city and year replaces the earlier one, which stays in the
/// store's history (`hrcities store history CITY`) — but only when it has the same file
/// name, no other year in its name and the same government name, or with --replace: so a
/// 2026 file whose profile says 2025 by mistake does not silently replace the 2025 return.
/// A return the campaign accepted (`store review --status accepted`) is replaced only with
/// --reopen. `hrcities store restore` makes any earlier version current again.
/// Exit status: 0 when all went well, 3 when some return has errors or was not added.
///
/// Examples:
///   hrcities ingest returns/
///   hrcities ingest --store campaign-2026 returns/week-2/
///   hrcities ingest --replace villa-esperanza-del-sur-2026-v2.xlsx
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Workbooks or folders of workbooks.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// File a return in place of the current one of its city and year even though its
    /// file name, a year in its name or the government's name differs (recorded in the
    /// history).
    #[arg(long)]
    pub replace: bool,
    /// File a return in place of one the campaign accepted (recorded in the history).
    #[arg(long)]
    pub reopen: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Runs `hrcities ingest`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let fw = global.framework()?;
    let lang = global.lang();
    let mut results = check_paths(&fw, &args.paths, lang, &global.limits())?;
    crate::store::compare_with_store(&fw, &mut results, &args.store.store, lang)?;
    let problems = render_text(&results, lang, true);
    if !problems.is_empty() {
        global.say(problems.trim_end())?;
    }
    let options = IngestOptions { replace: args.replace, reopen: args.reopen };
    let filed = file_results_with(&fw, &results, &args.store.store, lang, options)?;
    for line in &filed.lines {
        global.say(line)?;
    }
    for (path, reason) in &filed.skipped {
        eprintln!(
            "{}",
            trf(lang, "cli.ingest_skipped", &[("file", &path.display()), ("reason", reason)])
        );
    }
    global.say(trf(
        lang,
        "cli.ingest_total",
        &[
            ("added", &filed.added),
            ("unchanged", &filed.unchanged),
            ("skipped", &filed.skipped.len()),
            ("store", &args.store.store.display()),
        ],
    ))?;
    let count = |s: Severity| {
        results.iter().flat_map(|r| &r.diagnostics).filter(|d| d.severity == s).count()
    };
    let with_errors = results
        .iter()
        .filter(|r| r.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    let outcome = if with_errors > 0 || !filed.skipped.is_empty() {
        Outcome::ReturnsHaveErrors
    } else {
        Outcome::Success
    };
    Ok(Done::new(outcome)
        .count("returns_read", results.len())
        .count("returns_with_errors", with_errors)
        .count("returns_added", filed.added)
        .count("returns_unchanged", filed.unchanged)
        .count("returns_not_filed", filed.skipped.len())
        .diagnostics(count(Severity::Error), count(Severity::Warning)))
}
