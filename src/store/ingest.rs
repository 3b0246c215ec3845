//! Adding checked returns to the store: new versions are appended, a new version of a city
//! and year supersedes the current one, and a file already in the store changes nothing.

use std::collections::HashSet;
use std::path::Path;

use super::table::{self, ResponseRow, ReturnRecord};
use super::{Store, StoreError, DIAGNOSTICS, GROUPS, RESPONSES, RETURNS};
use crate::framework::Framework;
use crate::questionnaire::answer::Value;
use crate::validate::{Answer, Checked, Diagnostic};

/// One checked return to add.
pub struct Ingest<'a> {
    /// The file it was read from.
    pub path: &'a Path,
    /// The sha256 of the file's bytes ([`sha256_hex`]).
    pub sha256: String,
    pub checked: &'a Checked,
    /// Its diagnostics (those of the check, plus any found across the batch).
    pub diagnostics: &'a [Diagnostic],
    pub city_id: &'a str,
    pub city_name: &'a str,
    pub year: i32,
}

/// What ingesting one return did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A new version was added; it supersedes the earlier current one (its record, as it
    /// was before), if any.
    Added { sha256: String, superseded: Option<Box<ReturnRecord>> },
    /// This very file is already in the store: nothing changed.
    Unchanged { sha256: String },
}

/// A file that was not added, and why (a message for people).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: std::path::PathBuf,
    pub reason: String,
}

impl Store {
    /// Adds `items` (at time `now`, RFC 3339) and returns what became of each, in order.
    /// Writes nothing when every item is already in the store.
    pub fn ingest(
        &self,
        fw: &Framework,
        items: &[Ingest<'_>],
        now: &str,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        let _lock = self.lock()?;
        let mut returns = self.returns()?;
        let mut known: HashSet<String> = returns.iter().map(|r| r.sha256.clone()).collect();
        // The returns committed before this ingest: rows of any other return in the data
        // tables were left by an interrupted ingest and are dropped.
        let committed = known.clone();
        let mut new_rows = Vec::new();
        let mut new_diagnostics = Vec::new();
        let mut new_items: Vec<&Ingest<'_>> = Vec::new();
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            if known.contains(&item.sha256) {
                outcomes.push(IngestOutcome::Unchanged { sha256: item.sha256.clone() });
                continue;
            }
            known.insert(item.sha256.clone());
            let mut superseded = None;
            for r in returns.iter_mut() {
                if r.city_id == item.city_id && r.year == item.year && r.superseded_by.is_none() {
                    superseded = Some(Box::new(r.clone()));
                    r.superseded_by = Some(item.sha256.clone());
                }
            }
            let errors = item
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::framework::Severity::Error)
                .count() as u32;
            returns.push(ReturnRecord {
                sha256: item.sha256.clone(),
                seq: returns.iter().map(|r| r.seq).max().unwrap_or(0) + 1,
                city_id: item.city_id.to_string(),
                city_name: item.city_name.to_string(),
                year: item.year,
                file: item.path.file_name().map_or_else(
                    || item.path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                ingested_at: now.to_string(),
                framework_id: fw.id.clone(),
                framework_version: fw.version.clone(),
                template_version: item.checked.template_version.clone(),
                errors,
                warnings: item.diagnostics.len() as u32 - errors,
                superseded_by: None,
            });
            new_rows.extend(response_rows(fw, item));
            new_items.push(item);
            new_diagnostics
                .extend(item.diagnostics.iter().map(|d| (item.sha256.clone(), d.clone())));
            outcomes.push(IngestOutcome::Added { sha256: item.sha256.clone(), superseded });
        }
        if new_rows.is_empty() && new_diagnostics.is_empty() {
            return Ok(outcomes);
        }
        // Data tables first, keeping only the rows of committed returns (which drops the
        // rows an interrupted ingest may have left, even of a file ingested again now),
        // then the list of returns: the commit.
        let keep: HashSet<&str> = committed.iter().map(String::as_str).collect();
        let dir = self.dir();
        append(&dir.join(RESPONSES), &keep, table::responses_frame(&new_rows))?;
        failpoint("after-responses");
        append(&dir.join(DIAGNOSTICS), &keep, table::diagnostics_frame(&new_diagnostics))?;
        failpoint("after-diagnostics");
        append(&dir.join(GROUPS), &keep, groups_frame(&new_items))?;
        failpoint("after-groups");
        append(&dir.join(super::FOLLOWUP), &keep, followup_frame(&new_items))?;
        let path = dir.join(RETURNS);
        let mut frame = table::returns_frame(&returns)
            .map_err(|source| StoreError::Table { path: path.clone(), source })?;
        table::write_table(&path, &mut frame)?;
        Ok(outcomes)
    }
}

/// Ends the process at once, as a crash or a kill would, when the environment variable
/// `HRCITIES_FAILPOINT` names this point: the tests use it to stop an ingest between the
/// writes of its tables and check that the store still reads as before.
fn failpoint(name: &str) {
    if std::env::var_os("HRCITIES_FAILPOINT").is_some_and(|v| v == name) {
        std::process::abort();
    }
}

/// Rewrites the table at `path` as its rows of the returns in `keep`, then `new`.
fn append(
    path: &Path,
    keep: &HashSet<&str>,
    new: polars::error::PolarsResult<polars::frame::DataFrame>,
) -> Result<(), StoreError> {
    let err = |source| StoreError::Table { path: path.to_path_buf(), source };
    let new = new.map_err(err)?;
    let mut all = match table::read_table(path)? {
        Some(old) => {
            let old = table::retain_returns(old, keep).map_err(err)?;
            let mut old = table::with_columns_of(old, &new).map_err(err)?;
            old.vstack_mut(&new).map_err(err)?;
            old.rechunk_mut();
            old
        }
        None => new,
    };
    table::write_table(path, &mut all)
}

/// The follow-up of UN recommendations of the returns `items` as the rows of
/// `followup.parquet` (see [`super::FollowUpRow`]).
fn followup_frame(items: &[&Ingest<'_>]) -> polars::error::PolarsResult<polars::frame::DataFrame> {
    use polars::prelude::{Column, DataFrame};
    let rows: Vec<(&Ingest<'_>, &crate::validate::FollowUpAnswer)> =
        items.iter().flat_map(|i| i.checked.followup.iter().map(move |f| (*i, f))).collect();
    let text = |f: &dyn Fn(&(&Ingest<'_>, &crate::validate::FollowUpAnswer)) -> Option<String>| {
        rows.iter().map(f).collect::<Vec<Option<String>>>()
    };
    DataFrame::new_infer_height(vec![
        Column::new("sha256".into(), text(&|(i, _)| Some(i.sha256.clone()))),
        Column::new("city_id".into(), text(&|(i, _)| Some(i.city_id.to_string()))),
        Column::new("year".into(), rows.iter().map(|(i, _)| i.year).collect::<Vec<i32>>()),
        Column::new("recommendation_id".into(), text(&|(_, f)| Some(f.recommendation.clone()))),
        Column::new("competence".into(), text(&|(_, f)| f.competence.clone())),
        Column::new("status".into(), text(&|(_, f)| f.status.clone())),
        Column::new("competence_raw".into(), text(&|(_, f)| Some(f.competence_raw.clone()))),
        Column::new("status_raw".into(), text(&|(_, f)| Some(f.status_raw.clone()))),
        Column::new("department".into(), text(&|(_, f)| f.department.clone())),
        Column::new("action".into(), text(&|(_, f)| f.action.clone())),
        Column::new("source".into(), text(&|(_, f)| f.source.clone())),
        Column::new("comment".into(), text(&|(_, f)| f.comment.clone())),
        Column::new("sheet".into(), text(&|(_, f)| Some(f.sheet.clone()))),
        Column::new("cell".into(), text(&|(_, f)| Some(f.cell.to_string()))),
        Column::new("diagnostic_code".into(), text(&|(_, f)| f.diagnostic.clone())),
    ])
}

/// The breakdown answers of the returns `items` as the rows of `groups.parquet` (see
/// [`GroupRow`]), built straight from the checked answers: a batch of a thousand returns has
/// a few hundred thousand of them.
fn groups_frame(items: &[&Ingest<'_>]) -> polars::error::PolarsResult<polars::frame::DataFrame> {
    use polars::prelude::{Column, DataFrame};
    let n: usize = items.iter().map(|i| i.checked.groups.len()).sum();
    let (mut sha, mut city, mut year, mut question) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut dimension, mut category, mut raw) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut number, mut text, mut status): (Vec<Option<f64>>, Vec<Option<String>>, Vec<&str>) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut sheet, mut cell, mut source, mut comment, mut code) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for item in items {
        // Errors at a breakdown's cell keep it out of the computation (a part above its
        // total counts as missing until it is corrected).
        let errors: std::collections::HashMap<(&str, crate::questionnaire::CellRef), &str> = item
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::framework::Severity::Error)
            .filter_map(|d| Some(((d.sheet.as_deref()?, d.cell?), d.code.as_str())))
            .collect();
        for g in &item.checked.groups {
            sha.push(item.sha256.as_str());
            city.push(item.city_id);
            year.push(item.year);
            question.push(g.question.as_str());
            dimension.push(g.dimension.as_str());
            category.push(g.category.as_str());
            raw.push(g.raw.as_str());
            let (v, t) = value_columns(&g.value);
            number.push(v);
            text.push(t);
            status.push(g.status.name());
            sheet.push(g.sheet.as_str());
            cell.push(g.cell.to_string());
            source.push(g.source.as_deref());
            comment.push(g.comment.as_deref());
            code.push(
                g.diagnostic
                    .as_deref()
                    .or_else(|| errors.get(&(g.sheet.as_str(), g.cell)).copied()),
            );
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("sha256".into(), sha),
        Column::new("city_id".into(), city),
        Column::new("year".into(), year),
        Column::new("question_id".into(), question),
        Column::new("dimension".into(), dimension),
        Column::new("category".into(), category),
        Column::new("raw".into(), raw),
        Column::new("value_number".into(), number),
        Column::new("value_text".into(), text),
        Column::new("status".into(), status),
        Column::new("sheet".into(), sheet),
        Column::new("cell".into(), cell),
        Column::new("source".into(), source),
        Column::new("comment".into(), comment),
        Column::new("diagnostic_code".into(), code),
    ])
}

/// The store rows of a return's answers.
fn response_rows(fw: &Framework, item: &Ingest<'_>) -> Vec<ResponseRow> {
    item.checked
        .answers
        .iter()
        .map(|a: &Answer| {
            let (value_number, value_text) = value_columns(&a.value);
            ResponseRow {
                sha256: item.sha256.clone(),
                city_id: item.city_id.to_string(),
                year: item.year,
                question_id: a.question.clone(),
                right_id: fw.question(&a.question).and_then(|q| q.right.clone()),
                raw: a.raw.clone(),
                value_number,
                value_text,
                status: a.status,
                sheet: a.sheet.clone(),
                cell: a.cell.map(|c| c.to_string()),
                source: a.source.clone(),
                comment: a.comment.clone(),
                answered_by: item.checked.who.get(&a.question).cloned(),
                diagnostic_code: item
                    .diagnostics
                    .iter()
                    .find(|d| d.question.as_deref() == Some(&a.question))
                    .map(|d| d.code.clone()),
            }
        })
        .collect()
}

/// A parsed value as the store's `value_number` and `value_text` columns: numbers (and
/// yes/no as 1/0) as numbers; a choice's code, codes joined by `;`, texts and ISO dates as
/// text.
fn value_columns(value: &Option<Value>) -> (Option<f64>, Option<String>) {
    match value {
        Some(Value::Number(n)) => (Some(*n), None),
        Some(Value::Code(c)) | Some(Value::Text(c)) => (None, Some(c.clone())),
        Some(Value::Codes(c)) => (None, Some(c.join(";"))),
        Some(Value::Date(d)) => (None, Some(d.to_string())),
        None => (None, None),
    }
}
