//! Breakdown answers (Contract 5): each row of the breakdown sheet is read like the answer
//! of its question (same parsing, same diagnostics at its cell), then checked against the
//! total: no part of a count above its total (`E-BREAKDOWN-PART`), and a complete
//! breakdown adds up to it within 1 % or 1 unit (`W-BREAKDOWN-SUM`). A row that names a
//! dimension the question does not have, or a group the dimension does not have, is kept
//! with a warning and left out of the computation.

use std::collections::HashMap;

use super::{describe, Answer, Cx};
use crate::framework::{Framework, QuestionType, Severity};
use crate::i18n::fold;
use crate::i18n::number::format_shortest;
use crate::i18n::{tr, trf, Lang};
use crate::questionnaire::answer::{read_answer, ResponseStatus, Value};
use crate::questionnaire::read::Workbook;
use crate::questionnaire::CellRef;

/// A breakdown answer of a return, as the store keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupAnswer {
    pub question: String,
    /// The dimension's code; as written when no dimension has that name.
    pub dimension: String,
    /// The category's code; for a dimension each city names, the name it wrote; as written
    /// when the dimension has no such category.
    pub category: String,
    pub sheet: String,
    pub cell: CellRef,
    /// What the city wrote, as text.
    pub raw: String,
    pub status: ResponseStatus,
    pub value: Option<Value>,
    pub source: Option<String>,
    pub comment: Option<String>,
    /// The code of the diagnostic that keeps it out of the computation, if any.
    pub diagnostic: Option<String>,
}

impl GroupAnswer {
    /// Whether the computation uses it: a usable answer of a known group of a dimension the
    /// question has.
    pub fn usable(&self) -> bool {
        self.diagnostic.is_none() && self.status == ResponseStatus::Answered
    }

    /// Its numeric value, when it has one.
    pub fn number(&self) -> Option<f64> {
        match (&self.status, &self.value) {
            (ResponseStatus::Answered, Some(Value::Number(n))) => Some(*n),
            _ => None,
        }
    }
}

/// Reads and checks the breakdown rows of `wb` against the totals in `answers`.
pub(super) fn groups(
    cx: &mut Cx<'_>,
    fw: &Framework,
    wb: &Workbook,
    answers: &[Answer],
    wb_lang: Lang,
) -> Vec<GroupAnswer> {
    let lang = cx.lang;
    let mut out: Vec<GroupAnswer> = Vec::new();
    if wb.groups.is_empty() {
        return out;
    }
    // Lookups built once per return: questions, answers, and dimensions and categories by
    // their codes and labels (folded) in every language.
    let questions: HashMap<&str, &crate::framework::Question> =
        fw.questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let totals: HashMap<&str, &Answer> = answers.iter().map(|a| (a.question.as_str(), a)).collect();
    let mut dimensions: HashMap<String, &crate::framework::Dimension> = HashMap::new();
    let mut categories: HashMap<(&str, String), &str> = HashMap::new();
    for d in fw.vocab.disaggregations.values() {
        dimensions.insert(fold(&d.id), d);
        for l in Lang::ALL {
            dimensions.entry(fold(d.label.get(l))).or_insert(d);
        }
        for c in &d.categories {
            categories.insert((d.id.as_str(), fold(&c.code)), c.code.as_str());
            for l in Lang::ALL {
                categories.entry((d.id.as_str(), fold(c.label.get(l)))).or_insert(c.code.as_str());
            }
        }
    }
    let mut seen: std::collections::HashSet<(String, String, String)> = Default::default();
    for g in &wb.groups {
        let Some(q) = questions.get(g.question.as_str()).copied() else {
            let message = trf(lang, "diag.unknown_id", &[("id", &g.question)]);
            cx.push(
                Severity::Warning,
                "W-UNKNOWN-ID",
                Some(&g.sheet),
                Some(g.cell),
                None,
                message,
                None,
            );
            out.push(kept(g, g.dimension.clone(), g.category.clone(), "W-UNKNOWN-ID"));
            continue;
        };
        let total = totals.get(q.id.as_str()).copied();
        let reading = read_answer(q, &g.raw, wb_lang);
        let as_answer = Answer {
            question: q.id.clone(),
            sheet: Some(g.sheet.clone()),
            cell: Some(g.cell),
            raw: g.raw.text(),
            status: reading.status,
            value: reading.value.clone(),
            source: g.source.clone(),
            comment: g.comment.clone(),
        };
        if let Some(issue) = &reading.issue {
            let (message, hint) = describe(issue, q, &as_answer, lang);
            let severity = if issue.is_warning() { Severity::Warning } else { Severity::Error };
            cx.at(&as_answer, severity, issue.code(), message, Some(hint));
        }
        let mut answer = GroupAnswer {
            question: q.id.clone(),
            dimension: g.dimension.clone(),
            category: g.category.clone(),
            sheet: g.sheet.clone(),
            cell: g.cell,
            raw: g.raw.text(),
            status: reading.status,
            value: reading.value,
            source: g.source.clone(),
            comment: g.comment.clone(),
            diagnostic: None,
        };
        // The dimension, the group, and whether the question has them.
        let dimension = dimensions.get(&fold(g.dimension.trim())).copied();
        let problem = match dimension {
            None => Some((
                "W-BREAKDOWN-UNKNOWN",
                trf(lang, "diag.breakdown_unknown_dimension", &[("dimension", &g.dimension)]),
            )),
            Some(d) if !q.disaggregation.contains(&d.id) => {
                answer.dimension = d.id.clone();
                let message = trf(
                    lang,
                    "diag.breakdown_unexpected",
                    &[("id", &q.id), ("dimension", &d.label.get(lang))],
                );
                Some(("W-BREAKDOWN-UNKNOWN", message))
            }
            Some(d) if d.city_named => {
                answer.dimension = d.id.clone();
                answer.category = crate::validate::check::clean_text(g.category.trim());
                answer.category.is_empty().then(|| {
                    (
                        "W-BREAKDOWN-UNNAMED",
                        trf(lang, "diag.breakdown_unnamed", &[("dimension", &d.label.get(lang))]),
                    )
                })
            }
            Some(d) => {
                answer.dimension = d.id.clone();
                match categories.get(&(d.id.as_str(), fold(g.category.trim()))).copied() {
                    Some(code) => {
                        answer.category = code.to_string();
                        None
                    }
                    None => Some((
                        "W-BREAKDOWN-UNKNOWN",
                        trf(
                            lang,
                            "diag.breakdown_unknown_category",
                            &[("category", &g.category), ("dimension", &d.label.get(lang))],
                        ),
                    )),
                }
            }
        };
        if let Some((code, message)) = problem {
            let hint = Some(tr(lang, "diag.hint.breakdown_unknown").to_string());
            cx.at(&as_answer, Severity::Warning, code, message, hint);
            answer.diagnostic = Some(code.to_string());
        }
        // The same group twice: the first counts.
        let key = (answer.question.clone(), answer.dimension.clone(), answer.category.clone());
        if answer.diagnostic.is_none() && !seen.insert(key) {
            let first = out.iter().find(|o| {
                o.question == answer.question
                    && o.dimension == answer.dimension
                    && o.category == answer.category
                    && o.diagnostic.is_none()
            });
            if let Some(first) = first {
                let message = trf(
                    lang,
                    "diag.breakdown_duplicate",
                    &[("first", &format!("{}!{}", first.sheet, first.cell))],
                );
                cx.at(&as_answer, Severity::Error, "E-BREAKDOWN-DUPLICATE", message, None);
                answer.diagnostic = Some("E-BREAKDOWN-DUPLICATE".into());
            }
        }
        // A breakdown of a question that does not apply, or that its template did not ask.
        if let Some(t) = total {
            if matches!(t.status, ResponseStatus::NotApplicable | ResponseStatus::NotAsked)
                && answer.diagnostic.is_none()
            {
                let message = trf(lang, "diag.breakdown_not_applicable", &[("id", &q.id)]);
                let hint = Some(tr(lang, "diag.hint.not_applicable").to_string());
                cx.at(&as_answer, Severity::Warning, "W-NOT-APPLICABLE", message, hint);
                answer.diagnostic = Some("W-NOT-APPLICABLE".into());
                answer.status = ResponseStatus::NotApplicable;
            }
        }
        out.push(answer);
    }
    sums(cx, fw, answers, &out);
    out
}

/// A row kept with the diagnostic that keeps it out of the computation.
fn kept(
    g: &crate::questionnaire::read::FoundGroup,
    dimension: String,
    category: String,
    code: &str,
) -> GroupAnswer {
    GroupAnswer {
        question: g.question.clone(),
        dimension,
        category,
        sheet: g.sheet.clone(),
        cell: g.cell,
        raw: g.raw.text(),
        status: ResponseStatus::Invalid,
        value: None,
        source: g.source.clone(),
        comment: g.comment.clone(),
        diagnostic: Some(code.to_string()),
    }
}

/// Whether the question's answers are counts, whose parts add up to the total (not shares
/// or rates, whose groups each have their own).
fn is_count(fw: &Framework, id: &str) -> bool {
    fw.question(id).is_some_and(|q| {
        matches!(q.qtype, QuestionType::Integer | QuestionType::Number)
            && !q.unit.as_deref().is_some_and(|u| {
                u.starts_with("per_")
                    || u == "percent"
                    || fw
                        .vocab
                        .units
                        .get(u)
                        .is_some_and(|x| x.format != crate::framework::UnitFormat::Number)
            })
    })
}

/// The sum rules of counts: no part above the total; the parts of a complete breakdown add
/// up to the total within 1 % or 1 unit.
fn sums(cx: &mut Cx<'_>, fw: &Framework, answers: &[Answer], groups: &[GroupAnswer]) {
    let lang = cx.lang;
    let mut by_breakdown: HashMap<(&str, &str), Vec<&GroupAnswer>> = HashMap::new();
    for g in groups.iter().filter(|g| g.usable()) {
        by_breakdown.entry((&g.question, &g.dimension)).or_default().push(g);
    }
    let mut keys: Vec<&(&str, &str)> = by_breakdown.keys().collect();
    keys.sort();
    for key in keys {
        let (question, dimension) = *key;
        if !is_count(fw, question) {
            continue;
        }
        let Some(total) = answers
            .iter()
            .find(|a| a.question == question && a.status == ResponseStatus::Answered)
            .and_then(|a| match &a.value {
                Some(Value::Number(n)) => Some(*n),
                _ => None,
            })
        else {
            continue;
        };
        let parts = &by_breakdown[key];
        let d = fw.vocab.disaggregations.get(dimension);
        let label = d.map_or(dimension, |d| d.label.get(lang));
        let mut too_large = false;
        for p in parts {
            let Some(v) = p.number() else { continue };
            if v > total {
                too_large = true;
                let group = d.map_or(p.category.as_str(), |d| d.category_label(&p.category, lang));
                let message = trf(
                    lang,
                    "diag.breakdown_part",
                    &[
                        ("group", &group),
                        ("value", &format_shortest(v, lang)),
                        ("total", &format_shortest(total, lang)),
                    ],
                );
                let hint = Some(tr(lang, "diag.hint.breakdown_part").to_string());
                cx.push(
                    Severity::Error,
                    "E-BREAKDOWN-PART",
                    Some(&p.sheet),
                    Some(p.cell),
                    Some(question),
                    message,
                    hint,
                );
            }
        }
        // Complete: every category of a dimension with fixed categories is given (a part
        // above the total is the one thing to fix there).
        let complete = !too_large
            && d.is_some_and(|d| {
                !d.city_named
                    && d.categories.iter().all(|c| parts.iter().any(|p| p.category == c.code))
            });
        if complete {
            let sum: f64 = parts.iter().filter_map(|p| p.number()).sum();
            let tolerance = (total.abs() * 0.01).max(1.0);
            if (sum - total).abs() > tolerance {
                let first = parts.iter().min_by_key(|p| (p.cell.row, p.cell.col)).expect("parts");
                let message = trf(
                    lang,
                    "diag.breakdown_sum",
                    &[
                        ("dimension", &label),
                        ("sum", &format_shortest(sum, lang)),
                        ("total", &format_shortest(total, lang)),
                    ],
                );
                let hint = Some(tr(lang, "diag.hint.breakdown_sum").to_string());
                cx.push(
                    Severity::Warning,
                    "W-BREAKDOWN-SUM",
                    Some(&first.sheet),
                    Some(first.cell),
                    Some(question),
                    message,
                    hint,
                );
            }
        }
    }
}
