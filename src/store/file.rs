//! Filing a checked batch: each readable return with a city, a year and a hash becomes an
//! [`Ingest`]; a city the store already files under the id an earlier hrcities gave it
//! keeps that id; what could not be filed is said, with why.

use std::path::{Path, PathBuf};

use super::{
    now_utc, Ingest, IngestOptions, IngestOutcome, Mismatch, ReturnRecord, Store, StoreError,
};
use crate::framework::Framework;
use crate::i18n::{tr, trf, Lang};
use crate::validate::batch::FileResult;

/// What filing a batch of checked returns did.
pub struct Filed {
    /// A line per return added or unchanged, for people.
    pub lines: Vec<String>,
    pub added: usize,
    pub unchanged: usize,
    /// Files not added, and why.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Checks each return of `results` against the government's latest earlier return in the
/// store at `store_dir` (`W-JUMP`, `W-REPEAT`), when the batch itself has no return of that
/// government in between: returns arrive over weeks, and last year's is usually filed
/// already. Nothing happens without a store.
pub fn compare_with_store(
    fw: &Framework,
    results: &mut [FileResult],
    store_dir: &Path,
    lang: Lang,
) -> Result<(), StoreError> {
    let Ok(store) = Store::open(store_dir) else { return Ok(()) };
    let current = store.current()?;
    let key = |r: &FileResult| r.checked.as_ref().and_then(|c| Some((c.city_id.clone()?, c.year?)));
    let in_batch: Vec<(String, i32)> = results.iter().filter_map(key).collect();
    // Which stored return each result is compared with.
    let pairs: Vec<(usize, &super::ReturnRecord)> = results
        .iter()
        .enumerate()
        .filter_map(|(i, result)| {
            let (city, year) = key(result)?;
            let previous = current
                .iter()
                .filter(|r| r.city_id == city && r.year < year)
                .max_by_key(|r| r.year)?;
            // The batch's own returns are compared with each other.
            let between =
                in_batch.iter().any(|(c, y)| *c == city && (previous.year..year).contains(y));
            (!between).then_some((i, previous))
        })
        .collect();
    if pairs.is_empty() {
        return Ok(());
    }
    // One read of the store for all of them.
    let mut shas: Vec<&str> = pairs.iter().map(|(_, r)| r.sha256.as_str()).collect();
    shas.sort_unstable();
    shas.dedup();
    let stored = store.responses(&shas)?;
    for (i, previous) in &pairs {
        let Ok(at) = shas.binary_search(&previous.sha256.as_str()) else { continue };
        let answers: Vec<crate::validate::Answer> =
            stored[at].iter().map(|r| r.to_answer(fw)).collect();
        crate::validate::across::against(fw, &mut results[*i], previous.year, &answers, lang);
    }
    Ok(())
}

/// Files the readable returns of `results` in the store at `store_dir` (made if needed),
/// refusing to replace a current version when the new file may not be the same return
/// ([`file_results_with`] with no override).
pub fn file_results(
    fw: &Framework,
    results: &[FileResult],
    store_dir: &Path,
    lang: Lang,
) -> Result<Filed, StoreError> {
    file_results_with(fw, results, store_dir, lang, IngestOptions::default())
}

/// Files the readable returns of `results` in the store at `store_dir` (made if needed), as
/// `options` allow.
pub fn file_results_with(
    fw: &Framework,
    results: &[FileResult],
    store_dir: &Path,
    lang: Lang,
    options: IngestOptions,
) -> Result<Filed, StoreError> {
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
    let outcomes = store.ingest(fw, &items, &now_utc(), options)?;
    let mut filed = Filed { lines: Vec::new(), added: 0, unchanged: 0, skipped };
    for ((outcome, who), item) in outcomes.iter().zip(&who).zip(&items) {
        let name = item
            .path
            .file_name()
            .map_or_else(|| item.path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let line = match outcome {
            IngestOutcome::Added { superseded: Some(old), overridden, .. }
                if !overridden.is_empty() =>
            {
                filed.added += 1;
                trf(lang, "restore.ingest_replaced_override", &[("who", who), ("file", &old.file)])
            }
            IngestOutcome::Added { superseded: Some(old), .. } => {
                filed.added += 1;
                trf(lang, "cli.ingest_replaced", &[("who", who), ("file", &old.file)])
            }
            IngestOutcome::Added { .. } => {
                filed.added += 1;
                let line = trf(lang, "cli.ingest_added", &[("who", who)]);
                match super::name_year(&name).filter(|y| *y != item.year) {
                    Some(y) => {
                        let note = trf(
                            lang,
                            "restore.name_year_note",
                            &[("file", &name), ("name_year", &y), ("year", &item.year)],
                        );
                        format!("{line}\n            {note}")
                    }
                    None => line,
                }
            }
            IngestOutcome::Unchanged { .. } => {
                filed.unchanged += 1;
                trf(lang, "cli.ingest_unchanged", &[("who", who)])
            }
            IngestOutcome::Refiled { superseded, .. } => {
                filed.added += 1;
                trf(lang, "restore.ingest_refiled", &[("who", who), ("file", &superseded.file)])
            }
            IngestOutcome::Refused { current, why, .. } => {
                let reason = refusal(lang, item, &name, current, why);
                filed.skipped.push((item.path.to_path_buf(), reason));
                continue;
            }
        };
        filed.lines.push(line);
    }
    Ok(filed)
}

/// Why the file `name` of `item` was not filed in place of `current`, and what to do, in
/// `lang`: "the current 2025 return of X came from a.xlsx; b.xlsx has another name, and
/// its name says 2026 while its profile says 2025 — …".
fn refusal(
    lang: Lang,
    item: &Ingest<'_>,
    name: &str,
    current: &ReturnRecord,
    why: &[Mismatch],
) -> String {
    let who = format!("{} ({})", current.city_name, current.city_id);
    let lead = trf(
        lang,
        "restore.refused_lead",
        &[("year", &current.year), ("who", &who), ("current", &current.file)],
    );
    let parts: Vec<String> = why
        .iter()
        .map(|m| match m {
            Mismatch::FileName => trf(lang, "restore.why_file_name", &[("file", &name)]),
            // "b.xlsx has another name; its name says…", or "the name of b.xlsx says…".
            Mismatch::NameYear(y) => trf(
                lang,
                if why.contains(&Mismatch::FileName) {
                    "restore.why_its_name_year"
                } else {
                    "restore.why_name_year"
                },
                &[("file", &name), ("name_year", y), ("year", &item.year)],
            ),
            Mismatch::CityName => trf(
                lang,
                "restore.why_city_name",
                &[("new", &item.city_name), ("current", &current.city_name)],
            ),
            Mismatch::Restored { at, by, reason } => {
                let by = by
                    .as_deref()
                    .map_or_else(String::new, |b| trf(lang, "review.by", &[("by", &b)]));
                let reason = reason
                    .as_deref()
                    .map_or_else(String::new, |r| trf(lang, "review.note", &[("note", &r)]));
                trf(lang, "restore.why_restored", &[("at", at), ("by", &by), ("note", &reason)])
            }
            Mismatch::Accepted { at, by } => {
                let by = by
                    .as_deref()
                    .map_or_else(String::new, |b| trf(lang, "review.by", &[("by", &b)]));
                trf(lang, "review.why_accepted", &[("at", at), ("by", &by)])
            }
        })
        .collect();
    let mut hints = Vec::new();
    if why.iter().any(|m| matches!(m, Mismatch::Restored { .. })) {
        hints.push(tr(lang, "restore.refused_hint_restored").to_string());
    } else if why.iter().any(|m| !m.needs_reopen()) {
        hints.push(trf(lang, "restore.refused_hint_replace", &[("year", &current.year)]));
    }
    if why.iter().any(Mismatch::needs_reopen) {
        hints.push(tr(lang, "review.refused_hint_reopen").to_string());
    }
    format!("{lead}; {} — {}", parts.join("; "), hints.join("; "))
}
