//! `hrcities ingest PATH…`: check returns and add them to the campaign store.

use std::path::{Path, PathBuf};

use super::manifest::Done;
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
    let store = Store::open_or_create(store_dir)?;
    let filed_ids = store.city_ids()?;
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
        // A city the store already files under the id an earlier hrcities gave it keeps
        // that id, so its years stay one series (README, "City ids").
        let id = match &checked.earlier_city_id {
            Some(earlier) if !filed_ids.contains(id) && filed_ids.contains(earlier) => earlier,
            _ => id,
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
pub fn run(args: &Args, global: &GlobalArgs) -> anyhow::Result<Done> {
    let fw = global.framework()?;
    let lang = global.lang();
    let results = check_paths(&fw, &args.paths, lang, &global.limits())?;
    let problems = render_text(&results, lang, true);
    if !problems.is_empty() {
        global.say(problems.trim_end())?;
    }
    let filed = file_results(&fw, &results, &args.store.store, lang)?;
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
