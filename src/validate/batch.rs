//! Checking a batch of returns: the files under the paths given, each read once (hashed
//! and parsed from the same bytes) and checked in parallel, then two returns for the same
//! city and year flagged; and the batch's diagnostics as CSV and JSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::json;

use super::{file_diagnostic, validate, Checked, Diagnostic};
use crate::framework::{Framework, Severity};
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::limits::Limits;
use crate::questionnaire::read::{read_file, read_workbook_bytes, ReadError, EXTENSIONS};

/// The extensions looked at in folders: the readable ones, and those people send by
/// mistake (so they are reported, not skipped).
const FOLDER_EXTENSIONS: [&str; 4] = ["csv", "numbers", "xlt", "xltx"];

/// Every file to check: files as given, folders searched recursively, sorted.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            out.push(dir.to_path_buf()); // reported as unreadable
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let name =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') || name.starts_with("~$") {
                continue; // hidden files and Office lock files
            }
            if path.is_dir() {
                walk(&path, out);
            } else {
                let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if ext.is_some_and(|e| {
                    EXTENSIONS.contains(&e.as_str()) || FOLDER_EXTENSIONS.contains(&e.as_str())
                }) {
                    out.push(path);
                }
            }
        }
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// The result of checking one file.
pub struct FileResult {
    pub path: PathBuf,
    /// The sha256 of the file's bytes, when they could be read.
    pub sha256: Option<String>,
    /// `None` when the file could not be read.
    pub checked: Option<Checked>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and checks one file: its bytes are read once, hashed and parsed.
fn check_one(fw: &Framework, path: &Path, lang: Lang, limits: &Limits) -> FileResult {
    let failed = |e: ReadError, sha256: Option<String>| FileResult {
        path: path.to_path_buf(),
        sha256,
        checked: None,
        diagnostics: vec![file_diagnostic(path, &e, lang)],
    };
    let bytes = match read_file(path, limits) {
        Ok(b) => b,
        Err(e) => return failed(e, None),
    };
    let sha256 = Some(crate::export::sha256_hex(&bytes));
    match read_workbook_bytes(path, &bytes, fw, limits) {
        Ok(wb) => {
            let checked = validate(fw, &wb, lang);
            let diagnostics = checked.diagnostics.clone();
            FileResult { path: path.to_path_buf(), sha256, checked: Some(checked), diagnostics }
        }
        Err(e) => failed(e, sha256),
    }
}

/// Checks every file (in parallel) within the default limits, then flags two returns for
/// the same city and year.
pub fn check_all(fw: &Framework, files: &[PathBuf], lang: Lang) -> Vec<FileResult> {
    check_files(fw, files, lang, &Limits::default(), &|| {})
}

/// [`check_all`] within `limits`, calling `done` after each file (for a progress bar).
pub fn check_files(
    fw: &Framework,
    files: &[PathBuf],
    lang: Lang,
    limits: &Limits,
    done: &(dyn Fn() + Sync),
) -> Vec<FileResult> {
    let mut results: Vec<FileResult> = files
        .par_iter()
        .map(|path| {
            let r = check_one(fw, path, lang, limits);
            done();
            r
        })
        .collect();
    let mut seen: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if let Some(c) = &r.checked {
            if let (Some(id), Some(year)) = (&c.city_id, c.year) {
                seen.entry((id.clone(), year)).or_default().push(i);
            }
        }
    }
    for ((city, year), indices) in seen {
        if indices.len() < 2 {
            continue;
        }
        for &i in &indices {
            let others: Vec<String> = indices
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| results[j].path.display().to_string())
                .collect();
            // The city as people know it, its id (how the analyst files it) in brackets.
            let name = results[i].checked.as_ref().and_then(|c| c.city_name.clone());
            let who = name.map_or_else(|| city.clone(), |n| format!("{n} ({city})"));
            let message = trf(
                lang,
                "diag.duplicate_return",
                &[("city", &who), ("year", &year), ("other", &others.join(", "))],
            );
            let r = &mut results[i];
            r.diagnostics.push(Diagnostic {
                file: r.path.display().to_string(),
                sheet: None,
                cell: None,
                question: None,
                severity: Severity::Error,
                code: "E-DUPLICATE-RETURN".into(),
                message,
                hint: Some(tr(lang, "diag.hint.duplicate_return").into()),
            });
        }
    }
    super::across::across_years(fw, &mut results, lang);
    results
}

/// Every file's city, year and counts, and every diagnostic, as JSON.
pub fn json_report(results: &[FileResult]) -> serde_json::Value {
    let files: Vec<_> = results
        .iter()
        .map(|r| {
            let c = r.checked.as_ref();
            json!({
                "file": r.path.display().to_string(),
                "sha256": r.sha256,
                "city_id": c.and_then(|c| c.city_id.clone()),
                "city_name": c.and_then(|c| c.city_name.clone()),
                "year": c.and_then(|c| c.year),
                "errors": r.diagnostics.iter().filter(|d| d.severity == Severity::Error).count(),
                "warnings": r.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count(),
            })
        })
        .collect();
    let all: Vec<&Diagnostic> = results.iter().flat_map(|r| &r.diagnostics).collect();
    json!({ "files": files, "diagnostics": all })
}

/// The byte order mark that starts `validation.csv`: without it, Excel reads a UTF-8
/// file in the computer's legacy code page and shows "Ã©" for "é". Readers of CSV for
/// programs skip it (Rust's csv, pandas, R's readr; Python's csv module with
/// `encoding="utf-8-sig"`).
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The columns of `validation.csv`, stable codes for programs (the messages themselves
/// are in the language of `--lang`).
pub const CSV_COLUMNS: [&str; 8] =
    ["file", "sheet", "cell", "question", "severity", "code", "message", "hint"];

/// Every diagnostic as CSV (one row each), guarded against formula injection: UTF-8 with a
/// byte order mark ([`UTF8_BOM`]), comma-separated, a header of [`CSV_COLUMNS`].
pub fn write_csv<W: std::io::Write>(mut out: W, results: &[FileResult]) -> csv::Result<()> {
    out.write_all(UTF8_BOM)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        let row = [
            d.file.clone(),
            d.sheet.clone().unwrap_or_default(),
            d.cell.map(|c| c.to_string()).unwrap_or_default(),
            d.question.clone().unwrap_or_default(),
            d.severity.name().to_string(),
            d.code.clone(),
            d.message.clone(),
            d.hint.clone().unwrap_or_default(),
        ];
        w.write_record(row.iter().map(|c| crate::export::safe_cell(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// The diagnostics as a workbook for people, in `lang`: a sheet of problems (a row per
/// diagnostic: file, city, year, sheet, cell, question id and text, severity, what is
/// wrong, how to fix it, and the code last, for the analyst), then a sheet of the files
/// checked with their counts. Headers, severities and question texts are in `lang`; both
/// sheets have a frozen header with filters.
pub fn write_xlsx(
    path: &Path,
    results: &[FileResult],
    fw: &Framework,
    lang: Lang,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use polars::prelude::{Column, DataFrame};
    let err =
        |e: polars::prelude::PolarsError| rust_xlsxwriter::XlsxError::ParameterError(e.to_string());
    let who = |r: &FileResult| {
        let c = r.checked.as_ref();
        (c.and_then(|c| c.city_name.clone()), c.and_then(|c| c.year))
    };
    let rows: Vec<(&FileResult, &Diagnostic)> =
        results.iter().flat_map(|r| r.diagnostics.iter().map(move |d| (r, d))).collect();
    let text = |f: &dyn Fn(&FileResult, &Diagnostic) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|(r, d)| f(r, d)).collect()
    };
    let severity = |d: &Diagnostic| match d.severity {
        Severity::Error => crate::i18n::capitalised(tr(lang, "word.error")),
        Severity::Warning => crate::i18n::capitalised(tr(lang, "word.warning")),
    };
    let problems = DataFrame::new_infer_height(vec![
        Column::new("file".into(), text(&|_, d| Some(d.file.clone()))),
        Column::new("city".into(), text(&|r, _| who(r).0)),
        Column::new("year".into(), rows.iter().map(|(r, _)| who(r).1).collect::<Vec<_>>()),
        Column::new("sheet".into(), text(&|_, d| d.sheet.clone())),
        Column::new("cell".into(), text(&|_, d| d.cell.map(|c| c.to_string()))),
        Column::new("question".into(), text(&|_, d| d.question.clone())),
        Column::new(
            "question_text".into(),
            text(&|_, d| {
                let q = fw.question(d.question.as_deref()?)?;
                Some(q.text.get(lang).to_string())
            }),
        ),
        Column::new("severity".into(), text(&|_, d| Some(severity(d)))),
        Column::new("message".into(), text(&|_, d| Some(crate::i18n::capitalised(&d.message)))),
        Column::new("hint".into(), text(&|_, d| d.hint.as_deref().map(crate::i18n::capitalised))),
        Column::new("code".into(), text(&|_, d| Some(d.code.clone()))),
    ])
    .map_err(err)?;
    let count = |r: &FileResult, s: Severity| {
        r.diagnostics.iter().filter(|d| d.severity == s).count() as u32
    };
    let files = DataFrame::new_infer_height(vec![
        Column::new(
            "file".into(),
            results.iter().map(|r| r.path.display().to_string()).collect::<Vec<_>>(),
        ),
        Column::new("city".into(), results.iter().map(|r| who(r).0).collect::<Vec<_>>()),
        Column::new(
            "city_id".into(),
            results
                .iter()
                .map(|r| r.checked.as_ref().and_then(|c| c.city_id.clone()))
                .collect::<Vec<_>>(),
        ),
        Column::new("year".into(), results.iter().map(|r| who(r).1).collect::<Vec<_>>()),
        Column::new(
            "errors".into(),
            results.iter().map(|r| count(r, Severity::Error)).collect::<Vec<_>>(),
        ),
        Column::new(
            "warnings".into(),
            results.iter().map(|r| count(r, Severity::Warning)).collect::<Vec<_>>(),
        ),
    ])
    .map_err(err)?;
    let labels = |df: &DataFrame| {
        df.get_column_names()
            .iter()
            .map(|c| tr(lang, &format!("validation.column.{c}")).to_string())
            .collect::<Vec<_>>()
    };
    let mut first = crate::export::Sheet::new(tr(lang, "validation.sheet.problems"), &problems);
    first.header = crate::export::Header::Labels(labels(&problems));
    first.wrapped = vec!["message".into(), "hint".into()];
    let mut second = crate::export::Sheet::new(tr(lang, "validation.sheet.files"), &files);
    second.header = crate::export::Header::Labels(labels(&files));
    crate::export::write_workbook(path, &[], &[first, second])
}
