//! Adding checked returns to the store: new versions are appended, a new version of a city
//! and year supersedes the current one, and a file already in the store changes nothing —
//! unless it is a superseded version, which becomes current again.
//!
//! A file that would replace the current version although its name differs from the current
//! version's, a year in its name is not its profile's reporting year, or its profile names
//! the government otherwise, is refused unless the analyst says `--replace`; a file that
//! would replace an accepted return, unless `--reopen`. What was overridden is recorded in
//! the store's events.

use std::collections::HashSet;
use std::path::Path;

use super::events::{self, Event, EventKind, ReviewStatus};
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

/// What the analyst allows an ingest to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestOptions {
    /// Replace a current version even though the new file's name, the year in its name or
    /// the government its profile names differs ([`Mismatch`]).
    pub replace: bool,
    /// Replace a version the campaign accepted.
    pub reopen: bool,
}

/// Why a file may not be the same return as the current version it would replace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// Its file name differs from the current version's.
    FileName,
    /// Its name says this year, and its profile another (the reporting year).
    NameYear(i32),
    /// Its profile names the government otherwise than the current version.
    CityName,
    /// The campaign accepted the current version (when, and who).
    Accepted { at: String, by: Option<String> },
    /// The current version was made current by `store restore` (when, who and why): a file
    /// filed before does not undo that choice unless the analyst says so.
    Restored { at: String, by: Option<String>, reason: Option<String> },
}

impl Mismatch {
    /// The code recorded in an event's `detail`.
    pub fn code(&self) -> &'static str {
        match self {
            Mismatch::FileName => "file_name",
            Mismatch::NameYear(_) => "name_year",
            Mismatch::CityName => "city_name",
            Mismatch::Accepted { .. } => "accepted",
            Mismatch::Restored { .. } => "restored",
        }
    }

    /// Whether `--reopen` (rather than `--replace`) allows it.
    pub fn needs_reopen(&self) -> bool {
        matches!(self, Mismatch::Accepted { .. })
    }
}

/// What ingesting one return did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A new version was added; it supersedes the earlier current one (its record, as it
    /// was before), if any, overriding `overridden` on the analyst's word.
    Added { sha256: String, superseded: Option<Box<ReturnRecord>>, overridden: Vec<Mismatch> },
    /// This very file is already in the store and current: nothing changed.
    Unchanged { sha256: String },
    /// This very file is a superseded version: it is current again, in place of
    /// `superseded` (its record, as it was before).
    Refiled { sha256: String, superseded: Box<ReturnRecord>, overridden: Vec<Mismatch> },
    /// Not filed: it would replace `current`, and `why` says why it may not be the same
    /// return (`--replace` or `--reopen` allow it).
    Refused { sha256: String, current: Box<ReturnRecord>, why: Vec<Mismatch> },
}

/// A file that was not added, and why (a message for people).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: std::path::PathBuf,
    pub reason: String,
}

/// The year a file's name gives, when it gives one: the only 4-digit number from 1990 to
/// 2099 standing alone in it (`villa-2026-v2.xlsx` → 2026; `2025-2026.xlsx` → none).
pub fn name_year(file_name: &str) -> Option<i32> {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    let mut years: Vec<i32> = stem
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1990..=2099).contains(y))
        .collect();
    years.sort_unstable();
    years.dedup();
    match years.as_slice() {
        [year] => Some(*year),
        _ => None,
    }
}

/// A government's name as compared: folded, letters and digits only.
fn name_key(name: &str) -> String {
    crate::i18n::fold(name).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The file name of `path`, without its folder.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Why the file `name` of `year` may not be the same return as `current` (`new_file`: it
/// is a new file, not a version of it filed again), the accepted review last.
fn mismatches(
    name: &str,
    year: i32,
    city_name: &str,
    current: &ReturnRecord,
    events: &[Event],
    new_file: bool,
) -> Vec<Mismatch> {
    let mut why = Vec::new();
    if new_file && !name.eq_ignore_ascii_case(&current.file) {
        why.push(Mismatch::FileName);
    }
    if let Some(y) = name_year(name).filter(|y| *y != year) {
        why.push(Mismatch::NameYear(y));
    }
    if new_file && name_key(city_name) != name_key(&current.city_name) {
        why.push(Mismatch::CityName);
    }
    // A version the analyst restored stands against the files filed before it.
    let restored = events.iter().rev().find(|e| {
        e.kind == EventKind::Restore && e.sha256 == current.sha256 && e.year == current.year
    });
    if let (Some(e), false) = (restored, new_file) {
        why.push(Mismatch::Restored { at: e.at.clone(), by: e.by.clone(), reason: e.note.clone() });
    }
    if let Some(review) = events::latest_review(events, &current.sha256) {
        if review.status == Some(ReviewStatus::Accepted) {
            why.push(Mismatch::Accepted { at: review.at.clone(), by: review.by.clone() });
        }
    }
    why
}

/// Whether `options` allow every one of `why`.
fn allowed(why: &[Mismatch], options: IngestOptions) -> bool {
    why.iter().all(|m| if m.needs_reopen() { options.reopen } else { options.replace })
}

/// The event that records a version made current on the analyst's word, or filed again.
fn event(kind: EventKind, record: &ReturnRecord, previous: &ReturnRecord, now: &str) -> Event {
    Event {
        seq: 0,
        at: now.to_string(),
        kind,
        city_id: record.city_id.clone(),
        year: record.year,
        sha256: record.sha256.clone(),
        previous_sha256: Some(previous.sha256.clone()),
        status: None,
        note: None,
        by: None,
        detail: None,
    }
}

/// The codes of `why` joined by `;`, or `None`.
fn detail(why: &[Mismatch]) -> Option<String> {
    (!why.is_empty()).then(|| why.iter().map(Mismatch::code).collect::<Vec<_>>().join(";"))
}

impl Store {
    /// Adds `items` (at time `now`, RFC 3339) as `options` allow and returns what became of
    /// each, in order. Writes nothing when no item changes the store.
    pub fn ingest(
        &self,
        fw: &Framework,
        items: &[Ingest<'_>],
        now: &str,
        options: IngestOptions,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        let _lock = self.lock()?;
        let mut returns = self.returns()?;
        let events = self.events()?;
        let mut known: HashSet<String> = returns.iter().map(|r| r.sha256.clone()).collect();
        // The returns committed before this ingest: rows of any other return in the data
        // tables were left by an interrupted ingest and are dropped.
        let committed = known.clone();
        let mut new_rows = Vec::new();
        let mut new_diagnostics = Vec::new();
        let mut new_items: Vec<&Ingest<'_>> = Vec::new();
        let mut new_events: Vec<Event> = Vec::new();
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            let name = file_name(item.path);
            if known.contains(&item.sha256) {
                // Filed before: unchanged if current, else current again.
                let Some(at) = returns.iter().position(|r| r.sha256 == item.sha256) else {
                    outcomes.push(IngestOutcome::Unchanged { sha256: item.sha256.clone() });
                    continue;
                };
                let record = returns[at].clone();
                let current = returns.iter().position(|r| {
                    r.city_id == record.city_id
                        && r.year == record.year
                        && r.superseded_by.is_none()
                });
                let Some(current) = current.filter(|_| record.superseded_by.is_some()) else {
                    outcomes.push(IngestOutcome::Unchanged { sha256: item.sha256.clone() });
                    continue;
                };
                let previous = returns[current].clone();
                let why =
                    mismatches(&name, record.year, &record.city_name, &previous, &events, false);
                if !allowed(&why, options) {
                    outcomes.push(IngestOutcome::Refused {
                        sha256: item.sha256.clone(),
                        current: Box::new(previous),
                        why,
                    });
                    continue;
                }
                returns[current].superseded_by = Some(record.sha256.clone());
                returns[at].superseded_by = None;
                new_events.push(Event {
                    detail: detail(&why),
                    ..event(EventKind::Refile, &record, &previous, now)
                });
                outcomes.push(IngestOutcome::Refiled {
                    sha256: item.sha256.clone(),
                    superseded: Box::new(previous),
                    overridden: why,
                });
                continue;
            }
            let current = returns.iter().position(|r| {
                r.city_id == item.city_id && r.year == item.year && r.superseded_by.is_none()
            });
            let why = current.map_or_else(Vec::new, |i| {
                mismatches(&name, item.year, item.city_name, &returns[i], &events, true)
            });
            if let Some(i) = current.filter(|_| !allowed(&why, options)) {
                outcomes.push(IngestOutcome::Refused {
                    sha256: item.sha256.clone(),
                    current: Box::new(returns[i].clone()),
                    why,
                });
                continue;
            }
            known.insert(item.sha256.clone());
            let superseded = current.map(|i| Box::new(returns[i].clone()));
            if let Some(i) = current {
                returns[i].superseded_by = Some(item.sha256.clone());
            }
            let errors = item
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::framework::Severity::Error)
                .count() as u32;
            let record = ReturnRecord {
                sha256: item.sha256.clone(),
                seq: returns.iter().map(|r| r.seq).max().unwrap_or(0) + 1,
                city_id: item.city_id.to_string(),
                city_name: item.city_name.to_string(),
                year: item.year,
                file: name,
                ingested_at: now.to_string(),
                framework_id: fw.id.clone(),
                framework_version: fw.version.clone(),
                template_version: item.checked.template_version.clone(),
                errors,
                warnings: item.diagnostics.len() as u32 - errors,
                superseded_by: None,
            };
            if let (Some(previous), false) = (&superseded, why.is_empty()) {
                let kind = if why.iter().any(Mismatch::needs_reopen) {
                    EventKind::Reopen
                } else {
                    EventKind::Replace
                };
                new_events
                    .push(Event { detail: detail(&why), ..event(kind, &record, previous, now) });
            }
            returns.push(record);
            new_rows.extend(response_rows(fw, item));
            new_items.push(item);
            new_diagnostics
                .extend(item.diagnostics.iter().map(|d| (item.sha256.clone(), d.clone())));
            outcomes.push(IngestOutcome::Added {
                sha256: item.sha256.clone(),
                superseded,
                overridden: why,
            });
        }
        if new_items.is_empty() && new_events.is_empty() {
            return Ok(outcomes);
        }
        // Data tables first, keeping only the rows of committed returns (which drops the
        // rows an interrupted ingest may have left, even of a file ingested again now),
        // then the events, then the list of returns: the commit.
        let keep: HashSet<&str> = committed.iter().map(String::as_str).collect();
        let dir = self.dir();
        if !new_items.is_empty() {
            append(&dir.join(RESPONSES), &keep, table::responses_frame(&new_rows))?;
            failpoint("after-responses");
            append(&dir.join(DIAGNOSTICS), &keep, table::diagnostics_frame(&new_diagnostics))?;
            failpoint("after-diagnostics");
            append(&dir.join(GROUPS), &keep, groups_frame(&new_items))?;
            failpoint("after-groups");
            append(&dir.join(super::FOLLOWUP), &keep, followup_frame(&new_items))?;
        }
        let with_new: HashSet<&str> = known.iter().map(String::as_str).collect();
        events::append_events(dir, &with_new, new_events)?;
        failpoint("after-events");
        self.write_returns(&returns)?;
        Ok(outcomes)
    }

    /// Writes `returns.parquet`: the commit point.
    pub(super) fn write_returns(&self, returns: &[ReturnRecord]) -> Result<(), StoreError> {
        let path = self.dir().join(RETURNS);
        let mut frame = table::returns_frame(returns)
            .map_err(|source| StoreError::Table { path: path.clone(), source })?;
        table::write_table(&path, &mut frame)
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
pub(super) fn append(
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
