//! A return and the prefill of next year's workbook: a checked return as the prefill
//! sees it ([`Checked::to_previous`]), and `W-UNCHANGED`, a prefilled return sent back
//! with (nearly) all of last year's figures as they were — most likely a form returned
//! without being updated.
//!
//! A workbook written by `questionnaire --prefill` or `--prefill-from-store` lists in its
//! hidden sheet the answers it carried over (see [`crate::questionnaire::prefill`]). The
//! return gets one warning when at least [`MIN_FIGURES`] figures (number, integer and
//! percentage answers, other than those dated by another answer, such as the turnout of an
//! election, which stay the same until the next one) were carried over and at least
//! [`SHARE`] of them come back identical. Yes/no and choice answers are counted in the
//! message but do not decide: a policy in place often stays in place. A government whose
//! figures really did not change says so in the Comment column of the reporting year, and
//! the warning is not given; nor is it for a workbook whose reporting year is not later
//! than the return it was prefilled from (a corrected version of that return). One warning per return: the answers that repeat a fact
//! differently (`W-REPEAT`) or move too much (`W-JUMP`) are told per answer elsewhere.

use std::collections::BTreeMap;

use super::{Answer, Checked, Cx};
use crate::framework::{Framework, Question, QuestionType, Severity};
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::layout::{prefilled_header, Column};
use crate::questionnaire::prefill::{
    canonical, Previous, PreviousAnswer, PreviousFollowUp, PreviousGroup,
};
use crate::questionnaire::read::Workbook;
use crate::validate::Diagnostic;

impl Answer {
    /// The answer as the prefill sees it, with the department that answers it (`who`);
    /// `diagnostics` (the return's) say whether an error is on its cell (an error on a
    /// breakdown of the question, on another sheet, is not on the answer).
    pub fn to_previous(&self, who: Option<String>, diagnostics: &[Diagnostic]) -> PreviousAnswer {
        let flagged = diagnostics.iter().any(|d| {
            d.severity == Severity::Error
                && d.question.as_deref() == Some(self.question.as_str())
                && d.sheet == self.sheet
                && d.cell == self.cell
        });
        PreviousAnswer {
            question: self.question.clone(),
            sheet: self.sheet.clone(),
            raw: self.raw.clone(),
            status: self.status,
            value: self.value.clone(),
            source: self.source.clone(),
            comment: self.comment.clone(),
            who,
            flagged,
        }
    }
}

impl Diagnostic {
    /// Whether it is an error at `cell` (A1) of `sheet`: a breakdown part larger than its
    /// total, for one, is not carried over, whatever its question's other parts.
    pub fn is_error_at(&self, sheet: &str, cell: &str) -> bool {
        self.severity == Severity::Error
            && self.sheet.as_deref() == Some(sheet)
            && self.cell.is_some_and(|c| c.to_string() == cell)
    }
}

impl Checked {
    /// The return as the prefill of next year's workbook sees it (`questionnaire
    /// --prefill`): `language` is its workbook's (from its hidden sheet), `sha256` its
    /// file's.
    /// The answers involved in a broken error-level consistency rule count as invalid
    /// ([`super::gate`]): they are not carried over.
    pub fn to_previous(
        &self,
        fw: &Framework,
        language: Option<Lang>,
        sha256: Option<String>,
    ) -> Previous {
        let mut answers = self.answers.clone();
        super::gate(fw, &mut answers);
        let answers = answers
            .iter()
            .map(|a| a.to_previous(self.who.get(&a.question).cloned(), &self.diagnostics))
            .collect();
        let groups = self
            .groups
            .iter()
            .map(|g| PreviousGroup {
                question: g.question.clone(),
                dimension: g.dimension.clone(),
                category: g.category.clone(),
                raw: g.raw.clone(),
                status: g.status,
                value: g.value.clone(),
                usable: g.diagnostic.is_none()
                    && !self
                        .diagnostics
                        .iter()
                        .any(|d| d.is_error_at(&g.sheet, &g.cell.to_string())),
            })
            .collect();
        let followup = self
            .followup
            .iter()
            .map(|f| PreviousFollowUp {
                recommendation: f.recommendation.clone(),
                competence: f.competence.clone(),
                status: f.status.clone(),
                department: f.department.clone(),
                action: f.action.clone(),
                source: f.source.clone(),
                comment: f.comment.clone(),
                usable: f.usable(),
            })
            .collect();
        Previous {
            year: self.year,
            sha256,
            language,
            version: self.template_version.clone(),
            answers,
            groups,
            followup,
        }
    }
}

/// The fewest figures carried over for the check to judge a return.
pub const MIN_FIGURES: usize = 5;

/// The share of the figures carried over that must come back identical for a warning.
pub const SHARE: f64 = 0.9;

/// Whether `q` asks for a figure that usually changes from one year to the next.
fn is_figure(q: &Question) -> bool {
    matches!(q.qtype, QuestionType::Number | QuestionType::Integer | QuestionType::Percent)
        && q.dated_by.is_none()
        && q.id != "reporting_year"
}

/// Whether the answer `now` is the answer `before` carried over (both as
/// [`canonical`] writes them; numbers within rounding).
fn same(now: &str, before: &str) -> bool {
    match (now.strip_prefix("n:"), before.strip_prefix("n:")) {
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(a), Ok(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
            _ => a == b,
        },
        _ => now == before,
    }
}

/// Adds `W-UNCHANGED` to `cx` when the prefilled workbook `wb` comes back with the
/// answers it carried over unchanged.
pub(super) fn unchanged(cx: &mut Cx<'_>, fw: &Framework, wb: &Workbook, answers: &[Answer]) {
    let Some(template) = &wb.template else { return };
    if template.prefilled.is_empty() {
        return;
    }
    let answer = |id: &str| answers.iter().find(|a| a.question == id);
    // A workbook prefilled from a return of the same year is a corrected version of it,
    // not next year's questionnaire.
    let year = answer("reporting_year").and_then(|a| match &a.value {
        Some(crate::questionnaire::answer::Value::Number(n)) => Some(*n as i32),
        _ => None,
    });
    if let (Some(year), Some(from)) = (year, template.prefilled_year) {
        if year <= from {
            return;
        }
    }
    let confirmed = answer("reporting_year")
        .and_then(|a| a.comment.as_deref())
        .is_some_and(|c| !c.trim().is_empty());
    if confirmed {
        return;
    }
    let (mut all, mut same_all, mut figures, mut same_figures) = (0, 0, 0, 0);
    let mut by_sheet: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, before) in &template.prefilled {
        let (Some(q), Some(a)) = (fw.question(id), answer(id)) else { continue };
        let now = canonical(a.status, a.value.as_ref());
        let unchanged = now.as_deref().is_some_and(|now| same(now, before));
        all += 1;
        same_all += usize::from(unchanged);
        if is_figure(q) {
            figures += 1;
            if unchanged {
                same_figures += 1;
                if let Some(sheet) = &a.sheet {
                    *by_sheet.entry(sheet.as_str()).or_default() += 1;
                }
            }
        }
    }
    if figures < MIN_FIGURES || (same_figures as f64) < SHARE * figures as f64 {
        return;
    }
    // The sheet with the most figures as they were (the first of them, on a tie).
    let most = by_sheet.values().copied().max().unwrap_or(0);
    let sheet = by_sheet.iter().find(|(_, n)| **n == most).map(|(s, _)| s.to_string());
    let lang = cx.lang;
    let year = template
        .prefilled_year
        .map_or_else(|| tr(lang, "workbook.prefill.unknown_year").to_string(), |y| y.to_string());
    let message = trf(
        lang,
        "diag.unchanged",
        &[
            ("same", &same_all),
            ("all", &all),
            ("year", &year),
            ("same_figures", &same_figures),
            ("figures", &figures),
            ("sheet", &sheet.as_deref().unwrap_or("—")),
        ],
    );
    let hint = trf(
        lang,
        "diag.hint.unchanged",
        &[
            ("column", &prefilled_header(lang, template.prefilled_year)),
            ("comment", &Column::Comment.header(lang)),
        ],
    );
    cx.push(Severity::Warning, "W-UNCHANGED", sheet.as_deref(), None, None, message, Some(hint));
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn numbers_are_the_same_within_rounding_and_the_rest_as_written() {
        assert!(same("n:45", "n:45"));
        assert!(same("n:0.30000000000000004", "n:0.3"));
        assert!(!same("n:45", "n:46"));
        assert!(same("c:yes", "c:yes") && !same("c:yes", "c:no"));
        assert!(!same("na", "n:3"));
    }
}
