//! `hrcities ingest PATH…`: check returns and add them to the campaign store.

use std::path::{Path, PathBuf};

use super::validate::{check_paths, render_text, FileResult};
use super::{GlobalArgs, Outcome, StoreArgs};
use crate::framework::{Framework, Severity};
use crate::i18n::{tr, trf, Lang};
use crate::store::{now_utc, Ingest, IngestOutcome, Store};

/// Check returns and add them to the campaign store, keeping every version.
///
/// Each file is checked as `hrcities validate` does, then filed under its city and
/// reporting year with where every answer came from (file, sha256, sheet, cell) and when.
/// Returns with errors are stored too, every answer kept as written, so nothing a city sent
/// is lost; their errors are listed. Ingesting the same file again changes nothing; a
/// different file for the same city and year replaces the earlier one, which stays in the
/// store's history (`hrcities store history CITY`).
/// Exit status: 0 when all went well, 3 when some return has errors or was not added.
///
/// Examples:
///   hrcities ingest returns/
///   hrcities ingest --store campaign-2026 returns/week-2/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Workbooks or folders of workbooks.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// What filing a batch of checked returns did.
pub struct Filed {
    /// A line per return added or unchanged, for people.
    pub lines: Vec<String>,
    pub added: usize,
    pub unchanged: usize,
    /// Files not added, and why.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Files the readable returns of `results` in the store at `store_dir` (made if needed).
pub fn file_results(
    fw: &Framework,
    results: &[FileResult],
    store_dir: &Path,
    lang: Lang,
) -> anyhow::Result<Filed> {
    let mut skipped: Vec<(PathBuf, String)> = Vec::new();
    let mut items = Vec::new();
    let mut who = Vec::new();
    for r in results {
        let Some(checked) = &r.checked else {
            skipped.push((r.path.clone(), tr(lang, "cli.ingest_unreadable").to_string()));
            continue;
        };
        let (Some(id), Some(name), Some(year)) =
            (&checked.city_id, &checked.city_name, checked.year)
        else {
            skipped.push((r.path.clone(), tr(lang, "cli.ingest_no_key").to_string()));
            continue;
        };
        if r.diagnostics.iter().any(|d| d.code == "E-DUPLICATE-RETURN") {
            skipped.push((r.path.clone(), tr(lang, "cli.ingest_duplicate").to_string()));
            continue;
        }
        let Some(sha256) = r.sha256.clone() else {
            skipped.push((r.path.clone(), tr(lang, "cli.ingest_unreadable").to_string()));
            continue;
        };
        items.push(Ingest {
            path: &r.path,
            sha256,
            checked,
            diagnostics: &r.diagnostics,
            city_id: id,
            city_name: name,
            year,
        });
        who.push(format!("{name} ({id}), {year}"));
    }
    let store = Store::open_or_create(store_dir)?;
    let outcomes = store.ingest(fw, &items, &now_utc())?;
    let mut filed = Filed { lines: Vec::new(), added: 0, unchanged: 0, skipped };
    for (outcome, who) in outcomes.iter().zip(&who) {
        let line = match outcome {
            IngestOutcome::Added { superseded: Some(old), .. } => {
                filed.added += 1;
                trf(lang, "cli.ingest_replaced", &[("who", who), ("file", &old.file)])
            }
            IngestOutcome::Added { .. } => {
                filed.added += 1;
                trf(lang, "cli.ingest_added", &[("who", who)])
            }
            IngestOutcome::Unchanged { .. } => {
                filed.unchanged += 1;
                trf(lang, "cli.ingest_unchanged", &[("who", who)])
            }
        };
        filed.lines.push(line);
    }
    Ok(filed)
}

/// Runs `hrcities ingest`.
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Outcome> {
    let fw = global.framework()?;
    let lang = global.lang();
    let results = check_paths(&fw, &args.paths, lang, &global.limits())?;
    if !global.quiet {
        print!("{}", render_text(&results, lang, true));
    }
    let filed = file_results(&fw, &results, &args.store.store, lang)?;
    if !global.quiet {
        for line in &filed.lines {
            println!("{line}");
        }
    }
    for (path, reason) in &filed.skipped {
        eprintln!(
            "{}",
            trf(lang, "cli.ingest_skipped", &[("file", &path.display()), ("reason", reason)])
        );
    }
    if !global.quiet {
        println!(
            "{}",
            trf(
                lang,
                "cli.ingest_total",
                &[
                    ("added", &filed.added),
                    ("unchanged", &filed.unchanged),
                    ("skipped", &filed.skipped.len()),
                    ("store", &args.store.store.display()),
                ]
            )
        );
    }
    let errors =
        results.iter().any(|r| r.diagnostics.iter().any(|d| d.severity == Severity::Error));
    Ok(if errors || !filed.skipped.is_empty() {
        Outcome::ReturnsHaveErrors
    } else {
        Outcome::Success
    })
}
