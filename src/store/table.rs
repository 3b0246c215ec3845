//! The store's tables as Rust rows, and their Parquet form.

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;
use polars_io::prelude::{ParquetReader, SerReader};

use super::{ResponseStatus, StoreError};
use crate::framework::Severity;
use crate::questionnaire::CellRef;
use crate::validate::Diagnostic;

/// One ingested file (a row of `returns.parquet`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReturnRecord {
    /// The file's sha256 (lowercase hex): the key of a version.
    pub sha256: String,
    /// Order of ingest, from 1.
    pub seq: u32,
    pub city_id: String,
    pub city_name: String,
    pub year: i32,
    /// The file's name, without its folder.
    pub file: String,
    /// When it was ingested (RFC 3339, UTC).
    pub ingested_at: String,
    pub framework_id: String,
    /// The framework version it was checked against.
    pub framework_version: String,
    /// The framework version of the template it was made from (`None`: made without the
    /// template, or filed before hrcities 0.3 recorded it).
    pub template_version: Option<String>,
    pub errors: u32,
    pub warnings: u32,
    /// The sha256 of the later version of the same city and year, if any.
    pub superseded_by: Option<String>,
}

impl ReturnRecord {
    /// The framework version the return answers to: its template's, else the one it was
    /// checked against.
    pub fn version(&self) -> &str {
        self.template_version.as_deref().unwrap_or(&self.framework_version)
    }
}

/// One answer of one return (a row of `responses.parquet`).
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseRow {
    pub sha256: String,
    pub city_id: String,
    pub year: i32,
    pub question_id: String,
    /// The right the question belongs to (`None` for the profile).
    pub right_id: Option<String>,
    /// What the city wrote, as text.
    pub raw: String,
    /// The parsed value of a number, percent, yes/no (1/0), integer or year question.
    pub value_number: Option<f64>,
    /// The parsed value of a choice (its code), a multiple choice (codes joined by `;`), a
    /// text or a date (ISO 8601).
    pub value_text: Option<String>,
    pub status: ResponseStatus,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
    /// The "Who answers" column: the department that answered (`None` in a store made
    /// before hrcities 0.3, and for returns whose template had no such column).
    pub answered_by: Option<String>,
    /// The code of the answer's first diagnostic, if it has one.
    pub diagnostic_code: Option<String>,
}

/// One breakdown answer of one return (a row of `groups.parquet`, Contract 5).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub sha256: String,
    pub city_id: String,
    pub year: i32,
    pub question_id: String,
    /// The dimension's code (as written when unknown).
    pub dimension: String,
    /// The category's code, or the name a city gave it (neighbourhoods).
    pub category: String,
    pub raw: String,
    pub value_number: Option<f64>,
    pub value_text: Option<String>,
    pub status: ResponseStatus,
    pub sheet: String,
    pub cell: String,
    pub source: Option<String>,
    pub comment: Option<String>,
    /// The code of the diagnostic that keeps it out of the computation, if any.
    pub diagnostic_code: Option<String>,
}

impl GroupRow {
    /// Whether the computation uses it (see [`crate::validate::GroupAnswer::usable`]).
    pub fn usable(&self) -> bool {
        self.diagnostic_code.is_none() && self.status == ResponseStatus::Answered
    }
}

/// A city's follow-up of one UN recommendation (a row of `followup.parquet`, Contract 6).
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUpRow {
    pub sha256: String,
    pub city_id: String,
    pub year: i32,
    pub recommendation_id: String,
    /// `yes`, `partly`, `no` (`None`: blank or not understood).
    pub competence: Option<String>,
    /// `not_started`, `in_progress`, `implemented`, `not_applicable`.
    pub status: Option<String>,
    pub competence_raw: String,
    pub status_raw: String,
    pub department: Option<String>,
    pub action: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
    pub sheet: String,
    pub cell: String,
    /// The code of the diagnostic that keeps it out of the counts, if any.
    pub diagnostic_code: Option<String>,
}

impl FollowUpRow {
    /// Whether it counts as within local competence (see
    /// [`crate::validate::FollowUpAnswer::relevant`]).
    pub fn relevant(&self) -> bool {
        self.diagnostic_code.is_none()
            && crate::validate::relevant(self.competence.as_deref(), self.status.as_deref())
    }
}

/// Reads the follow-up rows of the returns `shas` from `followup.parquet` (none when the
/// store has no such table).
pub(super) fn read_followup(
    path: &Path,
    shas: &[&str],
) -> Result<Vec<Vec<FollowUpRow>>, StoreError> {
    let Some(df) = read_table(path)? else { return Ok(vec![Vec::new(); shas.len()]) };
    let c = Cols { df: &df, path };
    let year = c.num::<Int32Type>("year")?;
    by_return(&df, path, shas, |i| {
        Ok(FollowUpRow {
            sha256: c.req("sha256", i)?,
            city_id: c.req("city_id", i)?,
            year: year.get(i).unwrap_or(0),
            recommendation_id: c.req("recommendation_id", i)?,
            competence: c.opt("competence", i)?,
            status: c.opt("status", i)?,
            competence_raw: c.opt("competence_raw", i)?.unwrap_or_default(),
            status_raw: c.opt("status_raw", i)?.unwrap_or_default(),
            department: c.opt("department", i)?,
            action: c.opt("action", i)?,
            source: c.opt("source", i)?,
            comment: c.opt("comment", i)?,
            sheet: c.opt("sheet", i)?.unwrap_or_default(),
            cell: c.opt("cell", i)?.unwrap_or_default(),
            diagnostic_code: c.opt("diagnostic_code", i)?,
        })
    })
}

/// Reads the breakdown answers of the returns `shas` from `groups.parquet` (none when a
/// store made before hrcities 0.3 has no such table).
pub(super) fn read_groups(path: &Path, shas: &[&str]) -> Result<Vec<Vec<GroupRow>>, StoreError> {
    let Some(df) = read_table(path)? else { return Ok(vec![Vec::new(); shas.len()]) };
    let c = Cols { df: &df, path };
    let (year, number) = (c.num::<Int32Type>("year")?, c.num::<Float64Type>("value_number")?);
    by_return(&df, path, shas, |i| {
        let status = c.status(i)?;
        Ok(GroupRow {
            sha256: c.req("sha256", i)?,
            city_id: c.req("city_id", i)?,
            year: year.get(i).unwrap_or(0),
            question_id: c.req("question_id", i)?,
            dimension: c.req("dimension", i)?,
            category: c.opt("category", i)?.unwrap_or_default(),
            raw: c.opt("raw", i)?.unwrap_or_default(),
            value_number: number.get(i),
            value_text: c.opt("value_text", i)?,
            status,
            sheet: c.opt("sheet", i)?.unwrap_or_default(),
            cell: c.opt("cell", i)?.unwrap_or_default(),
            source: c.opt("source", i)?,
            comment: c.opt("comment", i)?,
            diagnostic_code: c.opt("diagnostic_code", i)?,
        })
    })
}

fn polars_err(path: &Path) -> impl FnOnce(PolarsError) -> StoreError + '_ {
    move |source| StoreError::Table { path: path.to_path_buf(), source }
}

/// Reads a Parquet table, or `None` if the file does not exist.
pub(crate) fn read_table(path: &Path) -> Result<Option<DataFrame>, StoreError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    ParquetReader::new(file).finish().map(Some).map_err(polars_err(path))
}

/// Writes `df` to `path` as Parquet through a temporary file renamed into place.
pub(crate) fn write_table(path: &Path, df: &mut DataFrame) -> Result<(), StoreError> {
    crate::export::write_atomic_with(path, |w| {
        crate::export::write_parquet(w, df).map_err(std::io::Error::other)
    })
    .map_err(|e| StoreError::io(path, e))
}

/// Typed access to the columns of a table read from disk.
pub(super) struct Cols<'a> {
    pub(super) df: &'a DataFrame,
    pub(super) path: &'a Path,
}

impl<'a> Cols<'a> {
    pub(super) fn damaged(&self, message: String) -> StoreError {
        StoreError::Damaged { path: self.path.to_path_buf(), message }
    }

    pub(super) fn str(&self, name: &str) -> Result<&'a StringChunked, StoreError> {
        let c = self.df.column(name).map_err(|_| self.damaged(format!("no column `{name}`")))?;
        c.str().map_err(|_| self.damaged(format!("column `{name}` is not text")))
    }

    pub(super) fn req(&self, name: &str, row: usize) -> Result<String, StoreError> {
        self.str(name)?
            .get(row)
            .map(String::from)
            .ok_or_else(|| self.damaged(format!("column `{name}` is empty in row {}", row + 1)))
    }

    /// The `status` of row `row`.
    fn status(&self, row: usize) -> Result<ResponseStatus, StoreError> {
        let status = self.req("status", row)?;
        ResponseStatus::from_name(&status)
            .ok_or_else(|| self.damaged(format!("unknown status `{status}`")))
    }

    pub(super) fn opt(&self, name: &str, row: usize) -> Result<Option<String>, StoreError> {
        Ok(self.str(name)?.get(row).map(String::from))
    }

    pub(super) fn num<T: PolarsNumericType>(
        &self,
        name: &str,
    ) -> Result<&'a ChunkedArray<T>, StoreError> {
        let c = self.df.column(name).map_err(|_| self.damaged(format!("no column `{name}`")))?;
        c.as_materialized_series()
            .unpack::<T>()
            .map_err(|_| self.damaged(format!("column `{name}` has the wrong type")))
    }
}

/// Reads `returns.parquet` (empty if it does not exist).
pub(super) fn read_returns(path: &Path) -> Result<Vec<ReturnRecord>, StoreError> {
    let Some(df) = read_table(path)? else { return Ok(Vec::new()) };
    let c = Cols { df: &df, path };
    let (seq, year) = (c.num::<UInt32Type>("seq")?, c.num::<Int32Type>("year")?);
    let (errors, warnings) = (c.num::<UInt32Type>("errors")?, c.num::<UInt32Type>("warnings")?);
    let ingested = ingested_at(&c)?;
    let mut out = Vec::with_capacity(df.height());
    for (i, ingested_at) in ingested.into_iter().enumerate() {
        out.push(ReturnRecord {
            sha256: c.req("sha256", i)?,
            seq: seq.get(i).unwrap_or(0),
            city_id: c.req("city_id", i)?,
            city_name: c.req("city_name", i)?,
            year: year.get(i).ok_or_else(|| c.damaged(format!("no year in row {}", i + 1)))?,
            file: c.req("file", i)?,
            ingested_at,
            framework_id: c.req("framework_id", i)?,
            framework_version: c.req("framework_version", i)?,
            template_version: if df.column("template_version").is_ok() {
                c.opt("template_version", i)?
            } else {
                None
            },
            errors: errors.get(i).unwrap_or(0),
            warnings: warnings.get(i).unwrap_or(0),
            superseded_by: c.opt("superseded_by", i)?,
        });
    }
    out.sort_by_key(|r| r.seq);
    Ok(out)
}

/// When each return was ingested, as a UTC timestamp column (milliseconds).
fn ingested_at_column(returns: &[ReturnRecord]) -> PolarsResult<Column> {
    utc_column("ingested_at", returns.iter().map(|r| r.ingested_at.as_str()))
}

/// RFC 3339 UTC times as a UTC timestamp column `name` (milliseconds). A time that is not
/// RFC 3339 UTC (none is written so) stays empty rather than wrong.
pub(super) fn utc_column<'a>(
    name: &str,
    times: impl Iterator<Item = &'a str>,
) -> PolarsResult<Column> {
    let ms: Vec<Option<i64>> = times.map(|t| super::parse_utc(t).map(|secs| secs * 1000)).collect();
    Column::new(name.into(), ms)
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC)))
}

/// When each row was ingested, as RFC 3339 UTC: from a timestamp column, or from text in a
/// store made by hrcities 0.1.
fn ingested_at(c: &Cols<'_>) -> Result<Vec<String>, StoreError> {
    c.utc("ingested_at")
}

impl Cols<'_> {
    /// The times of the column `name` as RFC 3339 UTC: from a timestamp column, or from
    /// RFC 3339 text.
    pub(super) fn utc(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let c = self;
        let column = c.df.column(name).map_err(|_| c.damaged(format!("no column `{name}`")))?;
        let empty = |i: usize| c.damaged(format!("column `{name}` is empty in row {}", i + 1));
        match column.dtype() {
            DataType::String => (0..c.df.height()).map(|i| c.req(name, i)).collect(),
            DataType::Datetime(unit, _) => {
                let per_second = match unit {
                    TimeUnit::Milliseconds => 1_000,
                    TimeUnit::Microseconds => 1_000_000,
                    TimeUnit::Nanoseconds => 1_000_000_000,
                };
                let raw = column
                    .cast(&DataType::Int64)
                    .map_err(|e| c.damaged(format!("column `{name}` ({e})")))?;
                let raw = raw.i64().map_err(|e| c.damaged(format!("column `{name}` ({e})")))?;
                raw.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        v.map(|v| super::format_utc(v.div_euclid(per_second)))
                            .ok_or_else(|| empty(i))
                    })
                    .collect()
            }
            other => Err(c.damaged(format!("column `{name}` is {other}, not a time"))),
        }
    }
}

/// `returns` as a table.
pub(super) fn returns_frame(returns: &[ReturnRecord]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&ReturnRecord) -> &str| returns.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("sha256".into(), s(|r| &r.sha256)),
        Column::new("seq".into(), returns.iter().map(|r| r.seq).collect::<Vec<_>>()),
        Column::new("city_id".into(), s(|r| &r.city_id)),
        Column::new("city_name".into(), s(|r| &r.city_name)),
        Column::new("year".into(), returns.iter().map(|r| r.year).collect::<Vec<_>>()),
        Column::new("file".into(), s(|r| &r.file)),
        ingested_at_column(returns)?,
        Column::new("framework_id".into(), s(|r| &r.framework_id)),
        Column::new("framework_version".into(), s(|r| &r.framework_version)),
        Column::new(
            "template_version".into(),
            returns.iter().map(|r| r.template_version.as_deref()).collect::<Vec<_>>(),
        ),
        Column::new("errors".into(), returns.iter().map(|r| r.errors).collect::<Vec<_>>()),
        Column::new("warnings".into(), returns.iter().map(|r| r.warnings).collect::<Vec<_>>()),
        Column::new(
            "superseded_by".into(),
            returns.iter().map(|r| r.superseded_by.as_deref()).collect::<Vec<_>>(),
        ),
    ])
}

/// `rows` as a table.
pub(super) fn responses_frame(rows: &[ResponseRow]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&ResponseRow) -> &str| rows.iter().map(f).collect::<Vec<_>>();
    let o = |f: fn(&ResponseRow) -> Option<&str>| rows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("sha256".into(), s(|r| &r.sha256)),
        Column::new("city_id".into(), s(|r| &r.city_id)),
        Column::new("year".into(), rows.iter().map(|r| r.year).collect::<Vec<_>>()),
        Column::new("question_id".into(), s(|r| &r.question_id)),
        Column::new("right_id".into(), o(|r| r.right_id.as_deref())),
        Column::new("raw".into(), s(|r| &r.raw)),
        Column::new("value_number".into(), rows.iter().map(|r| r.value_number).collect::<Vec<_>>()),
        Column::new("value_text".into(), o(|r| r.value_text.as_deref())),
        Column::new("status".into(), s(|r| r.status.name())),
        Column::new("sheet".into(), o(|r| r.sheet.as_deref())),
        Column::new("cell".into(), o(|r| r.cell.as_deref())),
        Column::new("source".into(), o(|r| r.source.as_deref())),
        Column::new("comment".into(), o(|r| r.comment.as_deref())),
        Column::new("answered_by".into(), o(|r| r.answered_by.as_deref())),
        Column::new("diagnostic_code".into(), o(|r| r.diagnostic_code.as_deref())),
    ])
}

/// `diagnostics` (each with the sha256 of its return) as a table.
pub(super) fn diagnostics_frame(diagnostics: &[(String, Diagnostic)]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&(String, Diagnostic)) -> &str| diagnostics.iter().map(f).collect::<Vec<_>>();
    let o = |f: fn(&(String, Diagnostic)) -> Option<&str>| {
        diagnostics.iter().map(f).collect::<Vec<_>>()
    };
    DataFrame::new_infer_height(vec![
        Column::new("sha256".into(), s(|(sha, _)| sha)),
        Column::new("file".into(), s(|(_, d)| &d.file)),
        Column::new("sheet".into(), o(|(_, d)| d.sheet.as_deref())),
        Column::new(
            "cell".into(),
            diagnostics.iter().map(|(_, d)| d.cell.map(|c| c.to_string())).collect::<Vec<_>>(),
        ),
        Column::new("question".into(), o(|(_, d)| d.question.as_deref())),
        Column::new("severity".into(), s(|(_, d)| d.severity.name())),
        Column::new("code".into(), s(|(_, d)| &d.code)),
        Column::new("message".into(), s(|(_, d)| &d.message)),
        Column::new("hint".into(), o(|(_, d)| d.hint.as_deref())),
    ])
}

/// The row numbers of `df` whose `sha256` is one of `shas`, grouped by sha in that order.
/// The rows of the returns `shas`, grouped by return in that order, each made by `row`
/// from its index in `df`.
fn by_return<T>(
    df: &DataFrame,
    path: &Path,
    shas: &[&str],
    mut row: impl FnMut(usize) -> Result<T, StoreError>,
) -> Result<Vec<Vec<T>>, StoreError> {
    rows_by_sha(df, path, shas)?
        .into_iter()
        .map(|rows| rows.into_iter().map(&mut row).collect())
        .collect()
}

fn rows_by_sha(df: &DataFrame, path: &Path, shas: &[&str]) -> Result<Vec<Vec<usize>>, StoreError> {
    let c = Cols { df, path };
    let index: HashMap<&str, usize> = shas.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut out = vec![Vec::new(); shas.len()];
    for (row, sha) in c.str("sha256")?.iter().enumerate() {
        if let Some(&i) = sha.and_then(|s| index.get(s)) {
            out[i].push(row);
        }
    }
    Ok(out)
}

/// Reads the responses of the returns `shas` from `responses.parquet`.
pub(super) fn read_responses(
    path: &Path,
    shas: &[&str],
) -> Result<Vec<Vec<ResponseRow>>, StoreError> {
    let Some(df) = read_table(path)? else { return Ok(vec![Vec::new(); shas.len()]) };
    let c = Cols { df: &df, path };
    let (year, number) = (c.num::<Int32Type>("year")?, c.num::<Float64Type>("value_number")?);
    let has_answered_by = df.column("answered_by").is_ok();
    by_return(&df, path, shas, |i| {
        let status = c.status(i)?;
        Ok(ResponseRow {
            sha256: c.req("sha256", i)?,
            city_id: c.req("city_id", i)?,
            year: year.get(i).unwrap_or(0),
            question_id: c.req("question_id", i)?,
            right_id: c.opt("right_id", i)?,
            raw: c.opt("raw", i)?.unwrap_or_default(),
            value_number: number.get(i),
            value_text: c.opt("value_text", i)?,
            status,
            sheet: c.opt("sheet", i)?,
            cell: c.opt("cell", i)?,
            source: c.opt("source", i)?,
            comment: c.opt("comment", i)?,
            answered_by: if has_answered_by { c.opt("answered_by", i)? } else { None },
            diagnostic_code: c.opt("diagnostic_code", i)?,
        })
    })
}

/// Reads the diagnostics of the returns `shas` from `diagnostics.parquet`.
pub(super) fn read_diagnostics(
    path: &Path,
    shas: &[&str],
) -> Result<Vec<Vec<Diagnostic>>, StoreError> {
    let Some(df) = read_table(path)? else { return Ok(vec![Vec::new(); shas.len()]) };
    let c = Cols { df: &df, path };
    by_return(&df, path, shas, |i| {
        Ok(Diagnostic {
            file: c.req("file", i)?,
            sheet: c.opt("sheet", i)?,
            cell: c.opt("cell", i)?.and_then(|s| CellRef::parse(&s)),
            question: c.opt("question", i)?,
            severity: if c.req("severity", i)? == "error" {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: c.req("code", i)?,
            message: c.req("message", i)?,
            hint: c.opt("hint", i)?,
        })
    })
}

/// `old` with the columns of `like`, in its order: a column that a table written by an
/// earlier hrcities lacks (`answered_by` in `responses`) is added, empty, so that new rows
/// can be appended to it.
pub(super) fn with_columns_of(old: DataFrame, like: &DataFrame) -> PolarsResult<DataFrame> {
    if old.get_column_names() == like.get_column_names() {
        return Ok(old);
    }
    let height = old.height();
    let columns = like
        .columns()
        .iter()
        .map(|c| match old.column(c.name()) {
            Ok(kept) => kept.clone(),
            Err(_) => Column::full_null(c.name().clone(), height, c.dtype()),
        })
        .collect();
    DataFrame::new(height, columns)
}

/// Keeps the rows of `df` (read from `path`) whose return is one of `keep`.
pub(super) fn retain_returns(
    df: DataFrame,
    keep: &std::collections::HashSet<&str>,
) -> PolarsResult<DataFrame> {
    let mask: BooleanChunked =
        df.column("sha256")?.str()?.iter().map(|s| s.is_some_and(|s| keep.contains(s))).collect();
    df.filter(&mask)
}

impl ResponseRow {
    /// The answer as validation produced it (for computing indicators).
    pub fn to_answer(&self, fw: &crate::framework::Framework) -> crate::validate::Answer {
        use crate::framework::QuestionType as T;
        use crate::questionnaire::answer::{Date, Value};
        let qtype = fw.question(&self.question_id).map(|q| q.qtype);
        let value = match (qtype, self.value_number, &self.value_text) {
            (_, Some(n), _) => Some(Value::Number(n)),
            (Some(T::Choice), _, Some(t)) => Some(Value::Code(t.clone())),
            (Some(T::MultiChoice), _, Some(t)) => Some(Value::Codes(
                t.split(';').filter(|c| !c.is_empty()).map(String::from).collect(),
            )),
            (Some(T::Date), _, Some(t)) => Date::parse(t).map(Value::Date),
            (_, _, Some(t)) => Some(Value::Text(t.clone())),
            _ => None,
        };
        crate::validate::Answer {
            question: self.question_id.clone(),
            sheet: self.sheet.clone(),
            cell: self.cell.as_deref().and_then(CellRef::parse),
            raw: self.raw.clone(),
            status: self.status,
            value,
            source: self.source.clone(),
            comment: self.comment.clone(),
        }
    }
}

/// The current responses with their provenance, for export (Contract 4): `city_id,
/// city_name, year, question_id, right_id, raw, value_number, value_text, status,
/// diagnostic_code, file, sheet, cell, sha256, source, comment, answered_by`.
pub fn responses_export(
    returns: &[ReturnRecord],
    responses: &[Vec<ResponseRow>],
) -> PolarsResult<DataFrame> {
    let rows: Vec<ResponseRow> = responses.iter().flatten().cloned().collect();
    let files = DataFrame::new_infer_height(vec![
        Column::new("sha256".into(), returns.iter().map(|r| r.sha256.as_str()).collect::<Vec<_>>()),
        Column::new("file".into(), returns.iter().map(|r| r.file.as_str()).collect::<Vec<_>>()),
        Column::new(
            "city_name".into(),
            returns.iter().map(|r| r.city_name.as_str()).collect::<Vec<_>>(),
        ),
    ])?;
    let columns = [
        "city_id",
        "city_name",
        "year",
        "question_id",
        "right_id",
        "raw",
        "value_number",
        "value_text",
        "status",
        "diagnostic_code",
        "file",
        "sheet",
        "cell",
        "sha256",
        "source",
        "comment",
        "answered_by",
    ];
    responses_frame(&rows)?
        .lazy()
        .join(files.lazy(), [col("sha256")], [col("sha256")], JoinArgs::new(JoinType::Left))
        .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
}
