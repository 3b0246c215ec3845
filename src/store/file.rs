//! Filing a checked batch: each readable return with a city, a year and a hash becomes an
//! [`Ingest`]; a city the store already files under the id an earlier hrcities gave it
//! keeps that id; what could not be filed is said, with why.

use std::path::{Path, PathBuf};

use super::{now_utc, Ingest, IngestOutcome, Store, StoreError};
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

/// Files the readable returns of `results` in the store at `store_dir` (made if needed).
pub fn file_results(
    fw: &Framework,
    results: &[FileResult],
    store_dir: &Path,
    lang: Lang,
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
