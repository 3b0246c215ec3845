//! The follow-up of UN recommendations (Contract 6): each row of the recommendations sheet
//! is read (competence and status by code or label in any language) and checked — an
//! unknown competence (`E-REC-COMPETENCE`) or status (`E-REC-STATUS`) is kept as written
//! and left out of the counts; a recommendation the workbook did not list is kept with a
//! warning (`W-REC-UNKNOWN`), as is a second row for the same one (`W-REC-DUPLICATE`) and
//! progress reported on a recommendation said to be outside local competence
//! (`W-REC-COMPETENCE`). The usable rows give the derived values `REC_RELEVANT`,
//! `REC_IN_PROGRESS` and `REC_IMPLEMENTED`.

use std::collections::HashSet;

use super::{Answer, Cx};
use crate::framework::{Framework, Severity};
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::answer::{RawCell, ResponseStatus, Value};
use crate::questionnaire::layout::{self, followup_label};
use crate::questionnaire::read::Workbook;
use crate::questionnaire::CellRef;

/// A city's follow-up of one UN recommendation, as the store keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUpAnswer {
    /// The recommendation's id, as written.
    pub recommendation: String,
    pub sheet: String,
    /// The row's ID cell.
    pub cell: CellRef,
    /// `yes`, `partly` or `no` (`None`: blank or not understood).
    pub competence: Option<String>,
    /// One of [`layout::FOLLOW_STATUS`] (`None`: blank or not understood).
    pub status: Option<String>,
    /// What the city wrote in the two cells.
    pub competence_raw: String,
    pub status_raw: String,
    pub department: Option<String>,
    pub action: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
    /// The code of the diagnostic that keeps it out of the counts, if any.
    pub diagnostic: Option<String>,
}

impl FollowUpAnswer {
    /// Whether the counts use it.
    pub fn usable(&self) -> bool {
        self.diagnostic.is_none()
    }

    /// Whether it counts in `REC_RELEVANT`: within local competence (yes or partly) and
    /// not marked not applicable.
    pub fn relevant(&self) -> bool {
        self.usable() && relevant(self.competence.as_deref(), self.status.as_deref())
    }
}

/// Whether a follow-up with this competence and status counts as a recommendation within
/// local competence: yes or partly, and not marked not applicable.
pub fn relevant(competence: Option<&str>, status: Option<&str>) -> bool {
    matches!(competence, Some("yes" | "partly")) && status != Some("not_applicable")
}

/// The derived questions and how each counts the relevant rows.
pub const DERIVED: [(&str, Option<&str>); 3] = [
    ("REC_RELEVANT", None),
    ("REC_IN_PROGRESS", Some("in_progress")),
    ("REC_IMPLEMENTED", Some("implemented")),
];

/// Reads and checks the recommendations sheet of `wb`.
pub(super) fn followup(cx: &mut Cx<'_>, wb: &Workbook, wb_lang: Lang) -> Vec<FollowUpAnswer> {
    let lang = cx.lang;
    let listed: Option<HashSet<&str>> = wb
        .template
        .as_ref()
        .filter(|t| t.recommendations_country.is_some())
        .map(|t| t.recommendations.iter().map(String::as_str).collect());
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(wb.followup.len());
    let text = |raw: &RawCell| raw.text().trim().to_string();
    for row in &wb.followup {
        let mut a = FollowUpAnswer {
            recommendation: row.id.clone(),
            sheet: row.sheet.clone(),
            cell: row.id_cell,
            competence: None,
            status: None,
            competence_raw: text(&row.competence.1),
            status_raw: text(&row.status.1),
            department: row.department.clone(),
            action: row.action.clone(),
            source: row.source.clone(),
            comment: row.comment.clone(),
            diagnostic: None,
        };
        let sheet = Some(row.sheet.as_str());
        let flag = |a: &mut FollowUpAnswer, code: &str| {
            a.diagnostic.get_or_insert_with(|| code.to_string());
        };
        if !a.competence_raw.is_empty() {
            match layout::parse_competence(&a.competence_raw) {
                Some(c) => a.competence = Some(c.to_string()),
                None => {
                    let labels: Vec<String> =
                        layout::COMPETENCE.iter().map(|c| followup_label(c, wb_lang)).collect();
                    let message = trf(
                        lang,
                        "diag.rec_competence",
                        &[("raw", &a.competence_raw), ("choices", &labels.join(", "))],
                    );
                    let hint = Some(tr(lang, "diag.hint.rec_competence").to_string());
                    cx.push(
                        Severity::Error,
                        "E-REC-COMPETENCE",
                        sheet,
                        Some(row.competence.0),
                        None,
                        message,
                        hint,
                    );
                    flag(&mut a, "E-REC-COMPETENCE");
                }
            }
        }
        if !a.status_raw.is_empty() {
            match layout::parse_follow_status(&a.status_raw) {
                Some(s) => a.status = Some(s.to_string()),
                None => {
                    let labels: Vec<String> =
                        layout::FOLLOW_STATUS.iter().map(|c| followup_label(c, wb_lang)).collect();
                    let message = trf(
                        lang,
                        "diag.rec_status",
                        &[("raw", &a.status_raw), ("choices", &labels.join(", "))],
                    );
                    let hint = Some(tr(lang, "diag.hint.rec_status").to_string());
                    cx.push(
                        Severity::Error,
                        "E-REC-STATUS",
                        sheet,
                        Some(row.status.0),
                        None,
                        message,
                        hint,
                    );
                    flag(&mut a, "E-REC-STATUS");
                }
            }
        }
        if listed.as_ref().is_some_and(|l| !l.contains(row.id.as_str())) {
            let message = trf(lang, "diag.rec_unknown", &[("id", &row.id)]);
            let hint = Some(tr(lang, "diag.hint.rec_unknown").to_string());
            cx.push(
                Severity::Warning,
                "W-REC-UNKNOWN",
                sheet,
                Some(row.id_cell),
                None,
                message,
                hint,
            );
            flag(&mut a, "W-REC-UNKNOWN");
        } else if !seen.insert(row.id.clone()) {
            let message = trf(lang, "diag.rec_duplicate", &[("id", &row.id)]);
            let hint = Some(tr(lang, "diag.hint.rec_duplicate").to_string());
            cx.push(
                Severity::Warning,
                "W-REC-DUPLICATE",
                sheet,
                Some(row.id_cell),
                None,
                message,
                hint,
            );
            flag(&mut a, "W-REC-DUPLICATE");
        }
        if a.competence.as_deref() == Some("no")
            && matches!(a.status.as_deref(), Some("in_progress" | "implemented"))
        {
            let status = followup_label(a.status.as_deref().unwrap_or(""), wb_lang);
            let message = trf(lang, "diag.rec_outside", &[("status", &status)]);
            let hint = Some(tr(lang, "diag.hint.rec_outside").to_string());
            cx.push(
                Severity::Warning,
                "W-REC-COMPETENCE",
                sheet,
                Some(row.competence.0),
                None,
                message,
                hint,
            );
        }
        out.push(a);
    }
    out
}

/// Sets the derived answers (`REC_*`) of `answers` from `rows`: counts when the workbook
/// has a recommendations sheet, else `not_asked` (the workbook listed no recommendation).
pub(super) fn derive(
    fw: &Framework,
    wb: &Workbook,
    rows: &[FollowUpAnswer],
    answers: &mut [Answer],
) {
    let asked = wb.followup_sheet.is_some();
    for (q, a) in fw.questions.iter().zip(answers.iter_mut()) {
        if q.on_sheet() || a.status == ResponseStatus::NotAsked {
            continue;
        }
        let Some((_, status)) = DERIVED.iter().find(|(id, _)| *id == q.id) else { continue };
        if !asked {
            a.status = ResponseStatus::NotAsked;
            a.value = None;
            a.raw = String::new();
            continue;
        }
        let n = rows
            .iter()
            .filter(|r| r.relevant() && status.is_none_or(|s| r.status.as_deref() == Some(s)))
            .count();
        a.status = ResponseStatus::Answered;
        a.value = Some(Value::Number(n as f64));
        a.raw = n.to_string();
        a.sheet = wb.followup_sheet.clone();
        a.cell = None;
    }
}
