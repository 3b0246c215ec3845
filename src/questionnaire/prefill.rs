//! Last year's answers carried into next year's workbook (`questionnaire --prefill`,
//! `--prefill-from-store`), so that a government updates them instead of retyping them.
//!
//! What is carried, from a government's earlier return ([`Previous`]):
//!
//! - usable answers, as typed values (a yes/no as the workbook's word, a choice as its
//!   label), and "not available" markers (`N/A`, `n/d`) as written;
//! - the Source / evidence, Comment and "Who answers" columns of those questions;
//! - breakdown answers and the names of the neighbourhoods the government named; the
//!   follow-up of UN recommendations (competence, status, department, what was done).
//!
//! What is not carried ([`LeftOut`]): answers that could not be used (`invalid`, or marked
//! by an error such as a failed consistency rule), answers to questions that did not apply
//! (`not_applicable`, `not_asked`), answers to questions the framework no longer has, and
//! answers to questions whose definition changed since that return (`changed` in the
//! framework): the government answers those afresh. The reporting year is never carried.
//!
//! The answers carried are listed in [`Prefilled`], written to the workbook's hidden sheet
//! with the return's year and sha256: the writer marks them (a cell style and a column
//! "Prefilled from 2026"), and the validator warns when they come back unchanged
//! (`W-UNCHANGED`).

use std::collections::BTreeMap;

use super::answer::{format_plain, ResponseStatus, Value};
use super::fill::{CellValue, Fill, FollowUp, Prefilled};
use super::layout;
use crate::framework::{version_lt, Framework, Question, QuestionType};
use crate::i18n::{fold, Lang};

/// A government's earlier return, as the prefill needs it (read from a workbook, or from
/// the store).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    /// Its reporting year.
    pub year: Option<i32>,
    /// The sha256 of its file.
    pub sha256: Option<String>,
    /// The language its workbook was written in, when its hidden sheet says so.
    pub language: Option<Lang>,
    /// The framework version of the template it was made from (`None`: unknown).
    pub version: Option<String>,
    pub answers: Vec<PreviousAnswer>,
    pub groups: Vec<PreviousGroup>,
    pub followup: Vec<PreviousFollowUp>,
}

/// One answer of an earlier return.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviousAnswer {
    pub question: String,
    /// The sheet it was found on (a clue to the workbook's language).
    pub sheet: Option<String>,
    /// What the government wrote, as text.
    pub raw: String,
    pub status: ResponseStatus,
    pub value: Option<Value>,
    pub source: Option<String>,
    pub comment: Option<String>,
    /// The "Who answers" column.
    pub who: Option<String>,
    /// An error diagnostic is on it (a failed consistency rule, …): it is not carried.
    pub flagged: bool,
}

/// One breakdown answer of an earlier return.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviousGroup {
    pub question: String,
    pub dimension: String,
    /// The category's code, or the name the government gave it.
    pub category: String,
    pub raw: String,
    pub status: ResponseStatus,
    pub value: Option<Value>,
    /// No error diagnostic keeps it out of the computation.
    pub usable: bool,
}

/// The follow-up of one UN recommendation in an earlier return.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviousFollowUp {
    pub recommendation: String,
    /// `yes`, `partly`, `no` (`None`: blank or not understood).
    pub competence: Option<String>,
    /// One of [`layout::FOLLOW_STATUS`] (`None`: blank or not understood).
    pub status: Option<String>,
    pub department: Option<String>,
    pub action: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
    /// No error diagnostic is on it.
    pub usable: bool,
}

/// Why an answer of the earlier return was not carried over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeftOut {
    /// It could not be used (`invalid`, or an error such as a failed consistency rule).
    Invalid,
    /// The question did not apply (`not_applicable`, `not_asked`).
    NotApplicable,
    /// The framework no longer has the question.
    Removed,
    /// The question's definition changed since that return.
    Changed,
}

impl LeftOut {
    /// The key of its name in the messages (`prefill.left_out.…`).
    pub fn key(self) -> &'static str {
        match self {
            LeftOut::Invalid => "prefill.left_out.invalid",
            LeftOut::NotApplicable => "prefill.left_out.not_applicable",
            LeftOut::Removed => "prefill.left_out.removed",
            LeftOut::Changed => "prefill.left_out.changed",
        }
    }
}

/// A prefilled workbook's contents, and what was left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Carried {
    /// What to write ([`Fill::prefilled`] says what came from the earlier return).
    pub fill: Fill,
    /// The answers not carried over, by question id.
    pub left_out: BTreeMap<String, LeftOut>,
}

impl Carried {
    /// How many answers were carried over.
    pub fn count(&self) -> usize {
        self.fill.prefilled.as_ref().map_or(0, |p| p.values.len())
    }

    /// How many answers were left out for `reason`.
    pub fn left_out(&self, reason: LeftOut) -> usize {
        self.left_out.values().filter(|r| **r == reason).count()
    }
}

/// The question ids never carried over: the reporting year is the one answer that must
/// change.
pub const NOT_CARRIED: [&str; 1] = ["reporting_year"];

/// Why question `q` is not carried over from a return made from the template of framework
/// `version`, whatever its answer: its definition changed since. A return of unknown
/// version is taken as older than any change.
fn changed_since(q: &Question, version: Option<&str>) -> bool {
    match (&q.changed, version) {
        (Some(change), Some(v)) => version_lt(v, &change.version),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The answers of `previous` to carry into a new workbook of framework `fw`, with the
/// rules of the module's documentation.
pub fn carry(fw: &Framework, previous: &Previous) -> Carried {
    let mut fill = Fill::default();
    let mut left_out = BTreeMap::new();
    let mut marked =
        Prefilled { year: previous.year, sha256: previous.sha256.clone(), ..Prefilled::default() };
    let version = previous.version.as_deref();
    // The questions whose answers (and breakdowns) may be carried.
    let mut eligible: BTreeMap<&str, &Question> = BTreeMap::new();
    for a in &previous.answers {
        if NOT_CARRIED.contains(&a.question.as_str()) {
            continue;
        }
        let Some(q) = fw.question(&a.question) else {
            if has_answer(a) {
                left_out.insert(a.question.clone(), LeftOut::Removed);
            }
            continue;
        };
        if !q.on_sheet() {
            continue;
        }
        let reason = if changed_since(q, version) {
            Some(LeftOut::Changed)
        } else if matches!(a.status, ResponseStatus::NotApplicable | ResponseStatus::NotAsked) {
            Some(LeftOut::NotApplicable)
        } else {
            None
        };
        if let Some(reason) = reason {
            if has_answer(a) {
                left_out.insert(a.question.clone(), reason);
            }
            continue;
        }
        eligible.insert(q.id.as_str(), q);
        // Where the answer comes from, who answers and why: still true of the question.
        if let Some(s) = a.source.as_ref().filter(|s| !s.trim().is_empty()) {
            fill.sources.insert(q.id.clone(), s.clone());
        }
        if let Some(c) = a.comment.as_ref().filter(|c| !c.trim().is_empty()) {
            fill.comments.insert(q.id.clone(), c.clone());
        }
        if let Some(w) = a.who.as_ref().filter(|w| !w.trim().is_empty()) {
            fill.who.insert(q.id.clone(), w.clone());
        }
        if a.status == ResponseStatus::Invalid || (a.flagged && has_answer(a)) {
            left_out.insert(q.id.clone(), LeftOut::Invalid);
            continue;
        }
        let value = match (&a.status, &a.value) {
            (ResponseStatus::Answered, Some(v)) => cell_value(q, v),
            (ResponseStatus::NotAvailable, _) if !a.raw.trim().is_empty() => {
                Some(CellValue::Text(a.raw.trim().to_string()))
            }
            _ => None,
        };
        let (Some(value), Some(canon)) = (value, canonical(a.status, a.value.as_ref())) else {
            continue;
        };
        fill.answer(&q.id, value);
        marked.values.insert(q.id.clone(), canon);
    }
    // Breakdowns, for questions carried over; the names the government gave its
    // neighbourhoods, in order, even where last year's figure is not carried.
    for g in &previous.groups {
        let Some(q) = eligible.get(g.question.as_str()) else { continue };
        let named = fw.vocab.disaggregations.get(&g.dimension).is_some_and(|d| d.city_named);
        if named && !g.category.trim().is_empty() {
            let names = fill.group_names.entry(g.dimension.clone()).or_default();
            if !names.contains(&g.category) {
                names.push(g.category.clone());
            }
        }
        let value = match (&g.status, &g.value) {
            _ if !g.usable => None,
            (ResponseStatus::Answered, Some(v)) => cell_value(q, v),
            (ResponseStatus::NotAvailable, _) if !g.raw.trim().is_empty() => {
                Some(CellValue::Text(g.raw.trim().to_string()))
            }
            _ => None,
        };
        if let Some(value) = value {
            fill.group(&g.question, &g.dimension, &g.category, value);
            marked.groups.insert((g.question.clone(), g.dimension.clone(), g.category.clone()));
        }
    }
    // Where each recommendation stood: only what was understood and not in error.
    for f in &previous.followup {
        let entry = fill.followup.entry(f.recommendation.clone()).or_insert_with(FollowUp::default);
        if f.usable {
            entry.competence =
                f.competence.clone().filter(|c| layout::COMPETENCE.contains(&c.as_str()));
            entry.status = f.status.clone().filter(|s| layout::FOLLOW_STATUS.contains(&s.as_str()));
        }
        entry.department = f.department.clone();
        entry.action = f.action.clone();
        entry.source = f.source.clone();
        entry.comment = f.comment.clone();
        if entry.competence.is_some() || entry.status.is_some() {
            marked.followup.insert(f.recommendation.clone());
        }
    }
    fill.prefilled = Some(marked);
    Carried { fill, left_out }
}

/// Whether the government wrote anything for `a`.
fn has_answer(a: &PreviousAnswer) -> bool {
    !a.raw.trim().is_empty() || a.value.is_some()
}

/// A usable answer of question `q` as a cell value of the new workbook.
fn cell_value(q: &Question, v: &Value) -> Option<CellValue> {
    Some(match v {
        Value::Number(n) if q.qtype == QuestionType::YesNo => CellValue::YesNo(*n == 1.0),
        Value::Number(n) => CellValue::Number(*n),
        Value::Code(c) => CellValue::Choice(c.clone()),
        Value::Codes(c) => CellValue::Choices(c.clone()),
        Value::Text(t) => CellValue::Text(t.clone()),
        Value::Date(d) => CellValue::Date { year: d.year, month: d.month, day: d.day },
    })
}

/// An answer as one comparable string: what the prefill recorded, and what the validator
/// compares a returned answer with (`n:` a number, yes/no as 1/0; `c:` a choice code; `m:`
/// ticked codes, sorted; `t:` a text, trimmed; `d:` a date; `na` not available). `None` for
/// anything else (blank, invalid, not applicable).
pub fn canonical(status: ResponseStatus, value: Option<&Value>) -> Option<String> {
    match (status, value) {
        (ResponseStatus::Answered, Some(v)) => Some(match v {
            Value::Number(n) => format!("n:{}", format_plain(*n)),
            Value::Code(c) => format!("c:{c}"),
            Value::Codes(codes) => {
                let mut codes = codes.clone();
                codes.sort();
                format!("m:{}", codes.join(";"))
            }
            Value::Text(t) => format!("t:{}", t.trim()),
            Value::Date(d) => format!("d:{d}"),
        }),
        (ResponseStatus::NotAvailable, _) => Some("na".into()),
        _ => None,
    }
}

/// The language an earlier return was most likely written in when its hidden sheet does
/// not say (a workbook made without the template, or a return read from the store, which
/// does not keep it): the language whose sheet names its answers were found on, and whose
/// words it used for yes/no and choices. `None` when nothing tells.
pub fn guess_language(fw: &Framework, answers: &[PreviousAnswer]) -> Option<Lang> {
    let mut votes: BTreeMap<Lang, usize> = BTreeMap::new();
    let mut vote = |langs: Vec<Lang>| {
        if let [one] = langs[..] {
            *votes.entry(one).or_default() += 1;
        }
    };
    let sheets: Vec<(Lang, Vec<String>)> = Lang::ALL
        .iter()
        .map(|&l| {
            let mut names = vec![layout::profile_sheet(fw, l)];
            names.extend(fw.rights.iter().map(|r| layout::right_sheet(fw, r, l)));
            (l, names)
        })
        .collect();
    for a in answers {
        if let Some(sheet) = &a.sheet {
            vote(sheets.iter().filter(|(_, n)| n.contains(sheet)).map(|(l, _)| *l).collect());
        }
        let Some(q) = fw.question(&a.question) else { continue };
        let raw = fold(a.raw.trim());
        if raw.is_empty() {
            continue;
        }
        match q.qtype {
            QuestionType::YesNo => vote(
                Lang::ALL
                    .into_iter()
                    .filter(|&l| {
                        let (yes, no) = layout::yes_no_labels(l);
                        raw == fold(yes) || raw == fold(no)
                    })
                    .collect(),
            ),
            QuestionType::Choice => vote(
                Lang::ALL
                    .into_iter()
                    .filter(|&l| q.choices.iter().any(|c| fold(c.label.get(l)) == raw))
                    .collect(),
            ),
            _ => {}
        }
    }
    let best = votes.values().copied().max()?;
    let mut top = votes.iter().filter(|(_, n)| **n == best);
    match (top.next(), top.next()) {
        (Some((lang, _)), None) => Some(*lang),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Change, Text};

    fn framework() -> Framework {
        crate::framework::load_embedded(Lang::En).framework
    }

    fn answer(id: &str, status: ResponseStatus, value: Option<Value>, raw: &str) -> PreviousAnswer {
        PreviousAnswer {
            question: id.into(),
            sheet: None,
            raw: raw.into(),
            status,
            value,
            source: Some(format!("source of {id}")),
            comment: None,
            who: None,
            flagged: false,
        }
    }

    #[test]
    fn only_usable_answers_to_questions_that_still_apply_are_carried() {
        let mut fw = framework();
        let n = |x: f64| Some(Value::Number(x));
        let mut previous = Previous {
            year: Some(2026),
            sha256: Some("abc".into()),
            version: Some("2026.1".into()),
            answers: vec![
                answer("HOU_Q01", ResponseStatus::Invalid, None, "Maybe"),
                answer("HOU_Q02", ResponseStatus::NotApplicable, None, "12"),
                answer("HOU_Q04", ResponseStatus::NotAvailable, None, "n/d"),
                answer("HOU_Q05", ResponseStatus::Answered, n(45.0), "45 %"),
                answer("WAT_Q02", ResponseStatus::Answered, n(87.5), "87,5"),
                answer("WRK_Q07", ResponseStatus::Answered, n(1200.0), "1200"),
                answer("HOU_Q99", ResponseStatus::Answered, n(3.0), "3"),
                answer("reporting_year", ResponseStatus::Answered, n(2026.0), "2026"),
                answer(
                    "city_name",
                    ResponseStatus::Answered,
                    Some(Value::Text("=HYPERLINK(\"x\")".into())),
                    "x",
                ),
            ],
            ..Previous::default()
        };
        previous.answers[4].flagged = true; // a failed consistency rule
                                            // WRK_Q07's definition changed in a version later than the return's template.
        let q = fw.questions.iter_mut().find(|q| q.id == "WRK_Q07").expect("WRK_Q07");
        q.changed = Some(Change { version: "2026.2".into(), what: Text::default() });
        let carried = carry(&fw, &previous);
        let p = carried.fill.prefilled.as_ref().expect("marked");
        let ids: Vec<&str> = p.values.keys().map(String::as_str).collect();
        assert_eq!(ids, ["HOU_Q04", "HOU_Q05", "city_name"]);
        assert_eq!(p.values["HOU_Q05"], "n:45");
        assert_eq!(p.values["HOU_Q04"], "na");
        assert_eq!((p.year, p.sha256.as_deref()), (Some(2026), Some("abc")));
        assert_eq!(carried.fill.answers["HOU_Q04"], CellValue::Text("n/d".into()));
        assert_eq!(carried.fill.answers["city_name"], CellValue::Text("=HYPERLINK(\"x\")".into()));
        let reasons: Vec<(&str, LeftOut)> =
            carried.left_out.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            reasons,
            [
                ("HOU_Q01", LeftOut::Invalid),
                ("HOU_Q02", LeftOut::NotApplicable),
                ("HOU_Q99", LeftOut::Removed),
                ("WAT_Q02", LeftOut::Invalid),
                ("WRK_Q07", LeftOut::Changed),
            ]
        );
        // The source of a question that still applies is kept, even when its answer is not.
        assert!(carried.fill.sources.contains_key("HOU_Q01"));
        assert!(!carried.fill.sources.contains_key("HOU_Q02"));
        assert!(!carried.fill.sources.contains_key("WRK_Q07"));
        assert!(!carried.fill.answers.contains_key("reporting_year"));
        // From the changed definition's version on, the answer is carried again.
        previous.version = Some("2026.2".into());
        assert!(carry(&fw, &previous).fill.answers.contains_key("WRK_Q07"));
    }

    #[test]
    fn canonical_values_ignore_how_they_were_written() {
        let codes = Value::Codes(vec!["b".into(), "a".into()]);
        assert_eq!(canonical(ResponseStatus::Answered, Some(&codes)).as_deref(), Some("m:a;b"));
        let n = Value::Number(0.1 + 0.2);
        assert_eq!(canonical(ResponseStatus::Answered, Some(&n)).as_deref(), Some("n:0.3"));
        assert_eq!(canonical(ResponseStatus::NotAvailable, None).as_deref(), Some("na"));
        assert_eq!(canonical(ResponseStatus::Invalid, None), None);
    }

    #[test]
    fn the_language_is_told_by_sheet_names_and_words() {
        let fw = framework();
        let housing = fw.right("housing").expect("housing");
        let mut a = answer("HOU_Q01", ResponseStatus::Answered, Some(Value::Number(1.0)), "Oui");
        assert_eq!(guess_language(&fw, std::slice::from_ref(&a)), Some(Lang::Fr));
        a.raw = "No".into(); // English or Spanish
        assert_eq!(guess_language(&fw, std::slice::from_ref(&a)), None);
        a.sheet = Some(layout::right_sheet(&fw, housing, Lang::Es));
        assert_eq!(guess_language(&fw, &[a]), Some(Lang::Es));
        assert_eq!(guess_language(&fw, &[]), None);
    }
}
