//! Stage 3: validation of returns — types, ranges, required answers, skip logic and the
//! framework's consistency rules — as diagnostics that name the file, sheet and cell.

pub mod across;
pub mod annotate;
pub mod batch;
mod check;
pub mod feedback;

pub use check::{
    city_id, gate, outside_competence, relevant, slug, validate, Answer, Checked, FollowUpAnswer,
    GroupAnswer, DERIVED,
};

use serde::Serialize;

use crate::framework::Severity;
use crate::questionnaire::CellRef;

/// One problem of a return, where a city officer can find and fix it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The workbook, as given on the command line.
    pub file: String,
    /// The sheet, when the problem is in one.
    pub sheet: Option<String>,
    /// The cell, when the problem is in one.
    #[serde(serialize_with = "serialize_cell")]
    pub cell: Option<CellRef>,
    /// The question it is about.
    pub question: Option<String>,
    pub severity: Severity,
    /// A stable code such as `E-NUM-PARSE`.
    pub code: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

fn serialize_cell<S: serde::Serializer>(cell: &Option<CellRef>, s: S) -> Result<S::Ok, S::Error> {
    match cell {
        Some(c) => s.serialize_str(&c.to_string()),
        None => s.serialize_none(),
    }
}

impl Diagnostic {
    /// `Sheet!B14`, `Sheet` or nothing: where to look.
    pub fn place(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(sheet), Some(cell)) => format!("{sheet}!{cell}"),
            (Some(sheet), None) => sheet.clone(),
            (None, Some(cell)) => cell.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// The one-line diagnostic for a file that could not be read at all.
pub fn file_diagnostic(
    path: &std::path::Path,
    err: &crate::questionnaire::read::ReadError,
    lang: crate::i18n::Lang,
) -> Diagnostic {
    use crate::i18n::number::format_number;
    use crate::questionnaire::limits::MB;
    use crate::questionnaire::read::ReadError;
    let mb = |bytes: u64| format_number((bytes as f64 / MB as f64).ceil(), 0, lang);
    let count = |n: u64| format_number(n as f64, 0, lang);
    let (detail, sheet, cell) = match err {
        ReadError::Io(e) => (e.to_string(), None, None),
        ReadError::NotASpreadsheet(what) => ((*what).to_string(), None, None),
        ReadError::Unsupported(ext) => (ext.clone(), None, None),
        ReadError::Damaged(d) | ReadError::ReaderPanic(d) => (d.clone(), None, None),
        ReadError::NotAFile(kind) => (crate::i18n::tr(lang, kind.key()).to_string(), None, None),
        ReadError::SheetDamaged { sheet, detail } => (detail.clone(), Some(sheet.clone()), None),
        ReadError::TooLarge { size, limit } => (
            crate::i18n::trf(
                lang,
                "diag.file.size",
                &[("size", &mb(*size)), ("limit", &mb(*limit))],
            ),
            None,
            None,
        ),
        ReadError::Unzipped { limit } => (mb(*limit), None, None),
        ReadError::SheetTooLarge { sheet, cell, rows, cols, limit } => (
            crate::i18n::trf(
                lang,
                "diag.file.span",
                &[("rows", &count(*rows)), ("cols", &count(*cols)), ("limit", &count(*limit))],
            ),
            Some(sheet.clone()),
            Some(*cell),
        ),
        ReadError::Empty | ReadError::Encrypted | ReadError::NoQuestions => {
            (String::new(), None, None)
        }
    };
    let code = err.code();
    let key = match err {
        ReadError::ReaderPanic(_) => "diag.file.reader_panic".to_string(),
        _ => format!("diag.file.{code}"),
    };
    let message = crate::i18n::trf(lang, &key, &[("detail", &detail)]);
    Diagnostic {
        file: path.display().to_string(),
        sheet,
        cell,
        question: None,
        severity: Severity::Error,
        code: code.to_string(),
        message,
        hint: Some(crate::i18n::tr(lang, &format!("diag.file_hint.{code}")).to_string()),
    }
}
