//! Checks one workbook against the framework: every answer read by its question's type,
//! skip logic, required answers, consistency rules and the profile.

use std::collections::HashMap;

use super::Diagnostic;

mod followup;
mod groups;
pub mod plausible;
mod unchanged;
mod words;
use crate::formula::{self, State};
use crate::framework::{is_version, Framework, MissingStrategy, Question, QuestionType, Severity};
use crate::i18n::{fold, tr, trf, Lang};
use crate::questionnaire::answer::ResponseStatus;
use crate::questionnaire::answer::{read_answer, Issue, RawCell, Reading, Value};
use crate::questionnaire::fill::{CellValue, Fill};
use crate::questionnaire::read::{Notice, Workbook};
use crate::questionnaire::CellRef;
pub use followup::{relevant, FollowUpAnswer, DERIVED};
pub use groups::GroupAnswer;

/// One answer of a return, as the store keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub question: String,
    /// Where it was found (`None` when the workbook lacks the question).
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
    /// What the city wrote, as text.
    pub raw: String,
    pub status: ResponseStatus,
    pub value: Option<Value>,
    pub source: Option<String>,
    pub comment: Option<String>,
}

/// A checked return.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// Every framework question, in framework order.
    pub answers: Vec<Answer>,
    pub diagnostics: Vec<Diagnostic>,
    /// The city's stable id, when the profile gives a name and a country.
    pub city_id: Option<String>,
    /// The id that hrcities before 0.2 gave this return, when it differs from `city_id`
    /// (names in other scripts, and Latin letters outside the accent table, were coded
    /// differently): a store that already files the city under it keeps that id.
    pub earlier_city_id: Option<String>,
    pub city_name: Option<String>,
    pub year: Option<i32>,
    /// The framework version of the template the return was made from (`None`: made
    /// without the template or from another framework).
    pub template_version: Option<String>,
    /// The breakdown answers, in sheet order.
    pub groups: Vec<GroupAnswer>,
    /// The follow-up of UN recommendations, in sheet order (Contract 6).
    pub followup: Vec<FollowUpAnswer>,
    /// The "Who answers" column of the question sheets (the department that answers), by
    /// question id.
    pub who: std::collections::BTreeMap<String, String>,
    /// The language the workbook was written in, when its hidden sheet says so.
    pub language: Option<Lang>,
}

impl Checked {
    /// The answers as a [`Fill`], to write the return again (a corrected copy, a test
    /// fixture): usable answers as typed values, anything else exactly as the city wrote it
    /// (so an `N/A` stays `N/A` and a wrong answer is still there to correct), with sources
    /// and comments. The reporting year is left out. Next year's workbook is prefilled
    /// otherwise, leaving out what cannot be carried over: see [`Checked::to_previous`] and
    /// [`crate::questionnaire::prefill`].
    pub fn to_fill(&self, fw: &Framework) -> Fill {
        let mut fill = Fill::default();
        for a in &self.answers {
            if a.question == "reporting_year"
                || fw.question(&a.question).is_some_and(|q| !q.on_sheet())
            {
                continue;
            }
            let yes_no = fw.question(&a.question).is_some_and(|q| q.qtype == QuestionType::YesNo);
            let value = match (&a.status, &a.value) {
                (ResponseStatus::Answered, Some(Value::Number(n))) if yes_no => {
                    Some(CellValue::YesNo(*n == 1.0))
                }
                (ResponseStatus::Answered, Some(Value::Number(n))) => Some(CellValue::Number(*n)),
                (ResponseStatus::Answered, Some(Value::Code(c))) => {
                    Some(CellValue::Choice(c.clone()))
                }
                (ResponseStatus::Answered, Some(Value::Codes(c))) => {
                    Some(CellValue::Choices(c.clone()))
                }
                (ResponseStatus::Answered, Some(Value::Text(t))) => {
                    Some(CellValue::Text(t.clone()))
                }
                (ResponseStatus::Answered, Some(Value::Date(d))) => {
                    Some(CellValue::Date { year: d.year, month: d.month, day: d.day })
                }
                _ if !a.raw.trim().is_empty() => Some(CellValue::Text(a.raw.clone())),
                _ => None,
            };
            if let Some(v) = value {
                fill.answer(&a.question, v);
            }
            if let Some(s) = &a.source {
                fill.sources.insert(a.question.clone(), s.clone());
            }
            if let Some(c) = &a.comment {
                fill.comments.insert(a.question.clone(), c.clone());
            }
            if let Some(w) = self.who.get(&a.question) {
                fill.who.insert(a.question.clone(), w.clone());
            }
        }
        // Breakdowns as written, and the names the city gave its neighbourhoods, in order.
        for g in &self.groups {
            let Some(q) = fw.question(&g.question) else { continue };
            let value = match (&g.status, &g.value) {
                (ResponseStatus::Answered, Some(Value::Number(n)))
                    if q.qtype == QuestionType::YesNo =>
                {
                    CellValue::YesNo(*n == 1.0)
                }
                (ResponseStatus::Answered, Some(Value::Number(n))) => CellValue::Number(*n),
                _ => CellValue::Text(g.raw.clone()),
            };
            fill.group(&g.question, &g.dimension, &g.category, value);
            let named = fw.vocab.disaggregations.get(&g.dimension).is_some_and(|d| d.city_named);
            if named && !g.category.is_empty() {
                let names = fill.group_names.entry(g.dimension.clone()).or_default();
                if !names.contains(&g.category) {
                    names.push(g.category.clone());
                }
            }
        }
        // Last year's follow-up: where each recommendation stood, kept as written when it
        // was not understood (so it can be corrected).
        for f in &self.followup {
            let entry = fill.followup.entry(f.recommendation.clone()).or_default();
            let or_raw = |code: &Option<String>, raw: &str| {
                code.clone().or_else(|| Some(raw.to_string()).filter(|r| !r.is_empty()))
            };
            entry.competence = or_raw(&f.competence, &f.competence_raw);
            entry.status = or_raw(&f.status, &f.status_raw);
            entry.department = f.department.clone();
            entry.action = f.action.clone();
            entry.source = f.source.clone();
            entry.comment = f.comment.clone();
        }
        fill
    }

    /// The answer to question `id`.
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.question == id)
    }

    /// How many errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

struct Cx<'a> {
    file: String,
    lang: Lang,
    out: Vec<Diagnostic>,
    fw: &'a Framework,
}

impl Cx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        sheet: Option<&str>,
        cell: Option<CellRef>,
        question: Option<&str>,
        message: String,
        hint: Option<String>,
    ) {
        self.out.push(Diagnostic {
            file: self.file.clone(),
            sheet: sheet.map(String::from),
            cell,
            question: question.map(String::from),
            severity,
            code: code.to_string(),
            message,
            hint,
        });
    }

    fn at(
        &mut self,
        a: &Answer,
        severity: Severity,
        code: &str,
        message: String,
        hint: Option<String>,
    ) {
        let (sheet, cell) = (a.sheet.clone(), a.cell);
        self.push(severity, code, sheet.as_deref(), cell, Some(&a.question.clone()), message, hint);
    }

    fn question_text(&self, id: &str) -> String {
        self.fw.question(id).map_or(String::new(), |q| q.text.get(self.lang).to_string())
    }
}

/// Checks workbook `wb`; messages are in `lang`.
pub fn validate(fw: &Framework, wb: &Workbook, lang: Lang) -> Checked {
    let file = wb.path.display().to_string();
    let wb_lang = wb.language(lang);
    let mut cx = Cx { file, lang, out: Vec::new(), fw };
    notices(&mut cx, wb);

    // The framework version of the template the return was made from (`None`: made
    // without the template, or from another framework).
    let template_version = wb
        .template
        .as_ref()
        .filter(|t| t.framework_id == fw.id && is_version(&t.framework_version))
        .map(|t| t.framework_version.clone());

    // 1. Every answer by its question's type.
    let mut answers: Vec<Answer> = Vec::new();
    let mut readings: Vec<Reading> = Vec::new();
    let mut who = std::collections::BTreeMap::new();
    for q in &fw.questions {
        let found = wb.get(&q.id);
        let raw = found.map_or(RawCell::Empty, |f| f.raw.clone());
        // A question newer than the template was never asked: unless the city wrote it in
        // anyway, it is `not_asked`, neither blank nor missing. Without a template, a
        // question that has a `since` and is nowhere in the workbook is taken as newer.
        let newer = match &template_version {
            Some(v) => !q.asked_in(v),
            None => q.since.is_some(),
        };
        if newer && found.is_none() {
            answers.push(Answer {
                question: q.id.clone(),
                sheet: None,
                cell: None,
                raw: String::new(),
                status: ResponseStatus::NotAsked,
                value: None,
                source: None,
                comment: None,
            });
            readings.push(Reading { status: ResponseStatus::NotAsked, value: None, issue: None });
            continue;
        }
        let reading = read_answer(q, &raw, wb_lang);
        if let Some(w) = found.and_then(|f| f.who.clone()) {
            who.insert(q.id.clone(), w);
        }
        answers.push(Answer {
            question: q.id.clone(),
            sheet: found.map(|f| f.sheet.clone()),
            cell: found.map(|f| f.cell),
            raw: raw.text(),
            status: reading.status,
            value: reading.value.clone(),
            source: found.and_then(|f| f.source.clone()),
            comment: found.and_then(|f| f.comment.clone()),
        });
        readings.push(reading);
    }
    // 1a. The follow-up of UN recommendations, and the values derived from it.
    let followup = followup::followup(&mut cx, wb, wb_lang);
    followup::derive(fw, wb, &followup, &mut answers);
    for ((q, a), r) in fw.questions.iter().zip(&answers).zip(&readings) {
        if let Some(issue) = &r.issue {
            let (message, hint) = describe(issue, q, a, lang);
            let severity = if issue.is_warning() { Severity::Warning } else { Severity::Error };
            cx.at(a, severity, issue.code(), message, Some(hint));
        }
    }

    // 1b. Text that hides something: control characters and direction overrides (which
    // can make text display other than it is), and answers far longer than any answer.
    for a in &answers {
        let hidden = hidden_chars(&a.raw);
        if !hidden.is_empty() {
            let list: Vec<String> = hidden.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
            let message = trf(lang, "diag.text_control", &[("chars", &list.join(", "))]);
            let a = a.clone();
            let hint = Some(tr(lang, "diag.hint.text_control").into());
            cx.at(&a, Severity::Warning, "W-TEXT-CONTROL", message, hint);
        }
        let n = a.raw.chars().count();
        if n > LONG_TEXT {
            let n = crate::i18n::number::format_number(n as f64, 0, lang);
            let message = trf(lang, "diag.text_long", &[("n", &n)]);
            let a = a.clone();
            let hint = Some(tr(lang, "diag.hint.text_long").into());
            cx.at(&a, Severity::Warning, "W-TEXT-LONG", message, hint);
        }
    }

    // 2. Skip logic: questions whose `relevant` is false do not apply.
    let index: HashMap<&str, usize> =
        fw.questions.iter().enumerate().map(|(i, q)| (q.id.as_str(), i)).collect();
    let mut applies: Vec<Option<bool>> = vec![None; fw.questions.len()];
    let version = template_version.as_deref();
    for i in 0..fw.questions.len() {
        relevance(i, fw, version, &answers, &index, &mut applies, 0);
    }
    for (i, q) in fw.questions.iter().enumerate() {
        if applies[i] != Some(false) || answers[i].status == ResponseStatus::NotAsked {
            continue;
        }
        let a = &answers[i];
        if matches!(a.status, ResponseStatus::Answered | ResponseStatus::Invalid) {
            let message = not_applicable_message(fw, q, version, a, &answers, &applies, lang);
            let hint = if outside_competence(fw, q, &answers) {
                "diag.hint.not_competent"
            } else {
                "diag.hint.not_applicable"
            };
            let a2 = a.clone();
            cx.at(&a2, Severity::Warning, "W-NOT-APPLICABLE", message, Some(tr(lang, hint).into()));
            // An invalid answer where the question does not apply is not an error to fix.
            let code_invalid = a.status == ResponseStatus::Invalid;
            if code_invalid {
                cx.out.retain(|d| {
                    !(d.question.as_deref() == Some(&q.id) && d.severity == Severity::Error)
                });
            }
        }
        let a = &mut answers[i];
        a.status = ResponseStatus::NotApplicable;
        a.value = None;
    }

    // 3. Required answers, where the question surely applies (when an earlier answer it
    // depends on is missing, that earlier answer is what to fix).
    for (i, q) in fw.questions.iter().enumerate() {
        let a = &answers[i];
        if q.required && applies[i] == Some(true) && a.status == ResponseStatus::Blank {
            let message =
                trf(lang, "diag.required", &[("question", &short(&cx.question_text(&q.id)))]);
            let hint = if a.sheet.is_some() {
                tr(lang, "diag.hint.required")
            } else {
                tr(lang, "diag.hint.not_found")
            };
            let a = a.clone();
            cx.at(&a, Severity::Error, "E-REQUIRED", message, Some(hint.into()));
        }
    }

    // 4. Consistency rules.
    rules(&mut cx, fw, &answers);

    // 4a. Usual ranges.
    plausible::plausible(&mut cx, fw, &answers);
    unchanged::unchanged(&mut cx, fw, wb, &answers);

    // 4b. Breakdowns, against the totals.
    let groups = groups::groups(&mut cx, fw, wb, &answers, wb_lang);

    // 5. Profile: country and city id.
    let name = text_value(&answers, &index, "city_name").map(|n| clean_text(&n));
    let country = text_value(&answers, &index, "country");
    let explicit_id = text_value(&answers, &index, "city_id");
    let iso3 = country.as_deref().and_then(crate::i18n::country_code);
    if let (Some(c), None) = (&country, &iso3) {
        if let Some(a) = index.get("country").map(|i| answers[*i].clone()) {
            let message = trf(lang, "diag.country", &[("raw", c)]);
            cx.at(
                &a,
                Severity::Error,
                "E-COUNTRY",
                message,
                Some(tr(lang, "diag.hint.country").into()),
            );
        }
    }
    let (city_id, earlier_city_id) = match (explicit_id, &iso3, &name) {
        (Some(id), _, _) => (Some(id), None),
        (None, Some(iso3), Some(name)) => {
            let id = city_id(iso3, name);
            let earlier = format!("{}-{}", iso3.to_ascii_uppercase(), slug_before_0_2(name));
            (Some(id.clone()), (earlier != id).then_some(earlier))
        }
        _ => (None, None),
    };
    let year = index.get("reporting_year").and_then(|i| match &answers[*i].value {
        Some(Value::Number(n)) => Some(*n as i32),
        _ => None,
    });
    let mut diagnostics = cx.out;
    diagnostics.sort_by(|a, b| {
        (a.severity != Severity::Error, &a.sheet, a.cell.map(|c| (c.row, c.col))).cmp(&(
            b.severity != Severity::Error,
            &b.sheet,
            b.cell.map(|c| (c.row, c.col)),
        ))
    });
    Checked {
        answers,
        diagnostics,
        city_id,
        earlier_city_id,
        city_name: name,
        year,
        template_version,
        groups,
        followup,
        who,
        language: wb.template.as_ref().and_then(|t| t.language),
    }
}

/// Answers longer than this many characters get a warning (Excel holds 32,767 in a cell;
/// a questionnaire answer is a number, a choice or a few sentences).
const LONG_TEXT: usize = 10_000;

/// Whether `c` is invisible and can hide or turn text around: a control character other
/// than tab and line breaks, or a bidirectional embedding, override or isolate (U+202A–
/// U+202E, U+2066–U+2069), which can make `exe.pdf` display as `fdp.exe`.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The distinct hidden characters of `text`, in order of appearance.
fn hidden_chars(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars().filter(|c| is_hidden(*c)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// `text` as it should be shown: hidden characters removed, runs of white space one space.
/// What the city wrote stays in the store as written.
pub fn clean_text(text: &str) -> String {
    let kept: String = text.chars().filter(|c| !is_hidden(*c)).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(90).collect();
    if t.chars().count() < text.chars().count() {
        format!("{t}…")
    } else {
        t
    }
}

fn text_value(answers: &[Answer], index: &HashMap<&str, usize>, id: &str) -> Option<String> {
    index.get(id).and_then(|i| match &answers[*i].value {
        Some(Value::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_string()),
        _ => None,
    })
}

/// A city's stable id: the uppercase ISO3 code, a hyphen and the slug of its name
/// (`ESP-villa-esperanza`).
pub fn city_id(iso3: &str, name: &str) -> String {
    format!("{}-{}", iso3.to_ascii_uppercase(), slug(name))
}

/// The name transliterated to ASCII (any_ascii: `Łódź` → `Lodz`, `광주광역시` →
/// `GwangJuGwangYeogSi`, `Москва` → `Moskva`), lowercased, each run of other characters one
/// `-` (`Villa Esperanza` → `villa-esperanza`, `광주광역시` → `gwangjugwangyeogsi`).
/// A name with nothing to transliterate is `unnamed`.
pub fn slug(name: &str) -> String {
    let ascii = any_ascii::any_ascii(&clean_text(name));
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.is_empty() {
        "unnamed".into()
    } else {
        out.to_string()
    }
}

/// The slug of hrcities before 0.2: accents of the campaign's languages stripped, every
/// other non-ASCII letter a separator, and a name with no Latin letter coded from its
/// characters (`광주광역시` → `u-ad11-c8fc-ad11-c5ed-c2dc`). Kept only to find cities a
/// store already files under such an id.
fn slug_before_0_2(name: &str) -> String {
    let folded = fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.chars().any(|c| c.is_ascii_alphabetic()) {
        return out;
    }
    let codes: Vec<String> = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(8)
        .map(|c| format!("{:x}", c as u32))
        .collect();
    if codes.is_empty() {
        "unnamed".into()
    } else {
        format!("u-{}", codes.join("-"))
    }
}

/// Whether question `i` applies: `Some(false)` when its `relevant` formula is false,
/// `Some(true)` when true or absent, `None` when it cannot be told (a missing answer).
fn relevance(
    i: usize,
    fw: &Framework,
    version: Option<&str>,
    answers: &[Answer],
    index: &HashMap<&str, usize>,
    applies: &mut Vec<Option<bool>>,
    depth: usize,
) -> Option<bool> {
    if let Some(known) = applies[i] {
        return Some(known);
    }
    if outside_competence(fw, &fw.questions[i], answers) {
        applies[i] = Some(false);
        return Some(false);
    }
    let Some(f) = fw.questions[i].relevant_in(version) else {
        applies[i] = Some(true);
        return Some(true);
    };
    if depth > fw.questions.len() {
        return None; // a cycle: `framework check` reports it
    }
    // A question referred to that itself does not apply counts as not applicable.
    let mut states: HashMap<String, Option<bool>> = HashMap::new();
    for id in f.node.questions() {
        if let Some(&j) = index.get(id) {
            let state = relevance(j, fw, version, answers, index, applies, depth + 1);
            states.insert(id.to_string(), state);
        }
    }
    let out = formula::eval(&f.node, &|id| {
        let Some(&j) = index.get(id) else { return formula::Answer::Missing };
        if states.get(id) == Some(&Some(false)) {
            return formula::Answer::NotApplicable;
        }
        as_formula_answer(&answers[j])
    });
    let result = match (out.state, out.number()) {
        (State::Ok, Some(v)) => Some(v != 0.0),
        (State::NotApplicable, _) => Some(false),
        _ => None,
    };
    if result.is_some() {
        applies[i] = result;
    }
    result
}

/// Whether question `q` is about a service the government says it is not responsible for:
/// its profile ticks services (`competences`) and not the question's `competence`. A
/// government that ticked none is asked everything.
pub fn outside_competence(fw: &Framework, q: &Question, answers: &[Answer]) -> bool {
    let Some(c) = &q.competence else { return false };
    let Some(held) = fw.questions.iter().position(|x| x.id == crate::framework::COMPETENCES) else {
        return false;
    };
    match answers.get(held) {
        Some(Answer {
            status: ResponseStatus::Answered, value: Some(Value::Codes(ticks)), ..
        }) => !ticks.is_empty() && !ticks.contains(c),
        _ => false,
    }
}

impl Answer {
    /// The answer as formulas see it: not applicable, missing (blank, not available or
    /// invalid), or its value.
    pub fn formula_answer(&self) -> formula::Answer<'_> {
        as_formula_answer(self)
    }
}

fn as_formula_answer(a: &Answer) -> formula::Answer<'_> {
    match (&a.status, &a.value) {
        (ResponseStatus::NotApplicable | ResponseStatus::NotAsked, _) => {
            formula::Answer::NotApplicable
        }
        (ResponseStatus::Answered, Some(Value::Number(n))) => formula::Answer::Number(*n),
        (ResponseStatus::Answered, Some(Value::Code(c))) => formula::Answer::Code(c),
        (ResponseStatus::Answered, Some(Value::Codes(c))) => formula::Answer::Codes(c),
        (ResponseStatus::Answered, Some(_)) => formula::Answer::Opaque,
        _ => formula::Answer::Missing,
    }
}

/// The message of W-NOT-APPLICABLE: the answer as written, the condition in words (its
/// formula only when it is not simple) and what the return gives for the questions the
/// condition depends on.
fn not_applicable_message(
    fw: &Framework,
    q: &Question,
    version: Option<&str>,
    a: &Answer,
    answers: &[Answer],
    applies: &[Option<bool>],
    lang: Lang,
) -> String {
    if outside_competence(fw, q, answers) {
        let service = q.competence.as_deref().unwrap_or_default();
        let label = fw
            .question(crate::framework::COMPETENCES)
            .and_then(|c| c.choices.iter().find(|x| x.code == service))
            .map_or(service.to_string(), |x| x.label.get(lang).to_string());
        return trf(lang, "diag.not_competent", &[("raw", &a.raw), ("service", &label)]);
    }
    let Some(f) = q.relevant_in(version) else {
        return trf(lang, "diag.not_applicable_plain", &[("raw", &a.raw)]);
    };
    let condition = words::condition(fw, &f.node, lang).unwrap_or_else(|| f.text.clone());
    let by_id: HashMap<&str, &Answer> = answers.iter().map(|a| (a.question.as_str(), a)).collect();
    let applies = |id: &str| {
        fw.questions.iter().position(|q| q.id == id).is_none_or(|j| applies[j] != Some(false))
    };
    let given = words::answers_given(&f.node.questions(), &by_id, &applies, lang);
    if given.is_empty() {
        return trf(lang, "diag.not_applicable_plain", &[("raw", &a.raw)]);
    }
    trf(
        lang,
        "diag.not_applicable",
        &[("raw", &a.raw), ("condition", &condition), ("given", &given)],
    )
}

/// The rules of `fw` that `answers` break, with the right side's value (for the message).
fn broken_rules<'f>(
    fw: &'f Framework,
    answers: &[Answer],
) -> Vec<(&'f crate::framework::Rule, Option<f64>)> {
    let by_id: HashMap<&str, &Answer> = answers.iter().map(|a| (a.question.as_str(), a)).collect();
    let mut out = Vec::new();
    for rule in &fw.rules {
        let lookup =
            |id: &str| by_id.get(id).map_or(formula::Answer::Missing, |a| as_formula_answer(a));
        let left = formula::eval(&rule.left.node, &lookup);
        let right = formula::eval(&rule.right_side.node, &lookup);
        if [&left, &right]
            .iter()
            .any(|s| matches!(s.state, State::NotApplicable | State::Undefined))
        {
            continue;
        }
        let missing = [&left, &right].iter().filter(|s| s.state == State::Missing).count();
        let skip = match rule.missing {
            MissingStrategy::SkipIfAnyMissing => missing > 0,
            MissingStrategy::SkipIfAllMissing => missing == 2,
            MissingStrategy::NeverSkip => false,
        };
        if skip {
            continue;
        }
        let value = |o: &formula::Outcome| o.number().unwrap_or(0.0);
        let (l, r) = (value(&left), value(&right));
        let holds = match rule.op {
            formula::Binary::Lt => l < r,
            formula::Binary::Le => l <= r,
            formula::Binary::Gt => l > r,
            formula::Binary::Ge => l >= r,
            formula::Binary::Eq => l == r,
            _ => l != r,
        };
        if !holds {
            out.push((rule, right.number()));
        }
    }
    out
}

/// The review gate (Contract 3): the answers involved in a broken error-level rule count
/// as invalid for computation — kept as written, out of every indicator — until the return
/// is corrected or the analyst overrides the gate with a note. Returns the ids of the
/// rules broken.
pub fn gate(fw: &Framework, answers: &mut [Answer]) -> Vec<String> {
    let broken: Vec<(String, Vec<String>)> = broken_rules(fw, answers)
        .into_iter()
        .filter(|(rule, _)| rule.severity == Severity::Error)
        .map(|(rule, _)| {
            let mut ids: Vec<String> =
                rule.left.node.questions().into_iter().map(String::from).collect();
            ids.extend(rule.right_side.node.questions().into_iter().map(String::from));
            (rule.id.clone(), ids)
        })
        .collect();
    for a in answers.iter_mut() {
        if a.status == ResponseStatus::Answered
            && broken.iter().any(|(_, ids)| ids.iter().any(|id| id == &a.question))
        {
            a.status = ResponseStatus::Invalid;
            a.value = None;
        }
    }
    broken.into_iter().map(|(id, _)| id).collect()
}

fn rules(cx: &mut Cx<'_>, fw: &Framework, answers: &[Answer]) {
    let by_id: HashMap<&str, &Answer> = answers.iter().map(|a| (a.question.as_str(), a)).collect();
    for (rule, right_value) in broken_rules(fw, answers) {
        // Point at the first question of the left side that the workbook has.
        let anchor = rule
            .left
            .node
            .questions()
            .into_iter()
            .chain(rule.right_side.node.questions())
            .filter_map(|id| by_id.get(id))
            .find(|a| a.cell.is_some())
            .copied();
        // The answers as the city wrote them, and the comparison in words when it is
        // simple; the rule's id (for the analyst, who looks up its formula) is in the hint.
        let mut ids = rule.left.node.questions();
        for id in rule.right_side.node.questions() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let answers = words::answers_as_written(&ids, &by_id, cx.lang);
        let expected = words::expectation(
            fw,
            &rule.left.node,
            rule.op,
            &rule.right_side.node,
            right_value,
            cx.lang,
        );
        let detail = match expected {
            Some(expected) => {
                trf(cx.lang, "diag.rule_detail", &[("answers", &answers), ("expected", &expected)])
            }
            None => trf(cx.lang, "diag.rule_answers", &[("answers", &answers)]),
        };
        let message = format!("{} ({detail})", rule.message.get(cx.lang));
        let code = if rule.severity == Severity::Error { "E-RULE" } else { "W-RULE" };
        let key =
            if rule.severity == Severity::Error { "diag.hint.rule_gate" } else { "diag.hint.rule" };
        let hint = trf(cx.lang, key, &[("id", &rule.id)]);
        match anchor {
            Some(a) => cx.at(&a.clone(), rule.severity, code, message, Some(hint)),
            None => cx.push(rule.severity, code, None, None, None, message, Some(hint)),
        }
    }
}

fn notices(cx: &mut Cx<'_>, wb: &Workbook) {
    let lang = cx.lang;
    for n in &wb.notices {
        match n {
            Notice::NoTemplate => cx.push(
                Severity::Warning,
                "W-NO-TEMPLATE",
                None,
                None,
                None,
                tr(lang, "diag.no_template").into(),
                Some(tr(lang, "diag.hint.no_template").into()),
            ),
            Notice::OtherVersion { version, unknown } => {
                let list = if unknown.is_empty() { "—".to_string() } else { unknown.join(", ") };
                let message = trf(
                    lang,
                    "diag.other_version",
                    &[("version", version), ("current", &cx.fw.version), ("ids", &list)],
                );
                cx.push(
                    Severity::Warning,
                    "W-OLD-VERSION",
                    None,
                    None,
                    None,
                    message,
                    Some(tr(lang, "diag.hint.other_version").into()),
                )
            }
            Notice::UnknownId { id, sheet, cell } => {
                let message = trf(lang, "diag.unknown_id", &[("id", id)]);
                cx.push(
                    Severity::Warning,
                    "W-UNKNOWN-ID",
                    Some(sheet),
                    Some(*cell),
                    None,
                    message,
                    None,
                )
            }
            Notice::Duplicate { question, sheet, cell, first } => {
                let message =
                    trf(lang, "diag.duplicate_question", &[("id", question), ("first", first)]);
                cx.push(
                    Severity::Error,
                    "E-DUPLICATE-QUESTION",
                    Some(sheet),
                    Some(*cell),
                    Some(question),
                    message,
                    Some(tr(lang, "diag.hint.duplicate_question").into()),
                )
            }
            Notice::NoHeader { sheet } => {
                let message = trf(lang, "diag.no_header", &[("sheet", sheet)]);
                cx.push(
                    Severity::Error,
                    "E-NO-HEADER",
                    Some(sheet),
                    None,
                    None,
                    message,
                    Some(tr(lang, "diag.hint.no_header").into()),
                )
            }
            Notice::Merged { question, sheet, cell, area } => {
                let message =
                    trf(lang, "diag.merged", &[("cell", cell), ("area", area), ("id", question)]);
                cx.push(
                    Severity::Error,
                    "E-CELL-MERGED",
                    Some(sheet),
                    Some(*cell),
                    Some(question),
                    message,
                    Some(tr(lang, "diag.hint.merged").into()),
                )
            }
            // Reported as E-REQUIRED when it matters.
            Notice::NotFound { .. } => {}
        }
    }
}

/// The message and hint for an answer that could not be used.
fn describe(issue: &Issue, q: &Question, a: &Answer, lang: Lang) -> (String, String) {
    let raw = a.raw.as_str();
    match issue {
        Issue::NotANumber => {
            (trf(lang, "diag.num_parse", &[("raw", &raw)]), tr(lang, "diag.hint.num_parse").into())
        }
        Issue::PercentNotAllowed => (
            trf(lang, "diag.percent_not_allowed", &[("raw", &raw)]),
            tr(lang, "diag.hint.percent_not_allowed").into(),
        ),
        Issue::NotInteger => (
            trf(lang, "diag.not_integer", &[("raw", &raw)]),
            tr(lang, "diag.hint.not_integer").into(),
        ),
        Issue::OutOfRange { min, max } => {
            let fmt = |v: &Option<f64>| {
                v.map_or("…".to_string(), crate::questionnaire::answer::format_plain)
            };
            let range = format!("{} – {}", fmt(min), fmt(max));
            (
                trf(lang, "diag.range", &[("raw", &raw), ("range", &range)]),
                tr(lang, "diag.hint.range").into(),
            )
        }
        Issue::NotYesNo => {
            (trf(lang, "diag.yes_no", &[("raw", &raw)]), tr(lang, "diag.hint.yes_no").into())
        }
        Issue::UnknownChoice(part) => {
            let labels: Vec<&str> = q.choices.iter().map(|c| c.label.get(lang)).collect();
            (
                trf(lang, "diag.choice", &[("raw", part)]),
                trf(lang, "diag.hint.choice", &[("labels", &labels.join(" · "))]),
            )
        }
        Issue::NotADate => {
            (trf(lang, "diag.date", &[("raw", &raw)]), tr(lang, "diag.hint.date").into())
        }
        Issue::CellError(e) => {
            (trf(lang, "diag.cell_error", &[("raw", e)]), tr(lang, "diag.hint.cell_error").into())
        }
        Issue::FormulaNoValue => (
            trf(lang, "diag.formula_no_value", &[("raw", &raw)]),
            tr(lang, "diag.hint.formula_no_value").into(),
        ),
        Issue::AmbiguousNumber { value } => {
            let v = crate::questionnaire::answer::format_plain(*value);
            (
                trf(lang, "diag.ambiguous", &[("raw", &raw), ("value", &v)]),
                tr(lang, "diag.hint.ambiguous").into(),
            )
        }
        Issue::DateFromSerial(d) => (
            trf(lang, "diag.date_serial", &[("raw", &raw), ("date", d)]),
            tr(lang, "diag.hint.date_serial").into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{slug, slug_before_0_2};

    #[test]
    fn slugs_follow_contract_4() {
        assert_eq!(slug("Villa Esperanza"), "villa-esperanza");
        assert_eq!(slug("  Saint-Étienne-du-Lac  "), "saint-etienne-du-lac");
        assert_eq!(slug("São João d'Alva"), "sao-joao-d-alva");
        assert_eq!(slug("#read(\"/etc/passwd\") *x*"), "read-etc-passwd-x");
        assert_eq!(slug("../../x"), "x");
        assert_eq!(slug("\u{202E}Lumen\u{7}stad"), "lumenstad");
        assert_eq!(slug("!!!"), "unnamed");
    }

    // See issue 14: names in other scripts got unreadable ids (`u-ad11-c8fc-…`).
    #[test]
    fn names_in_any_script_get_readable_slugs() {
        assert_eq!(slug("광주광역시"), "gwangjugwangyeogsi");
        assert_eq!(slug("مدينة الأمل"), "mdynh-l-ml");
        assert_eq!(slug("Москва"), "moskva");
        assert_eq!(slug("Αθήνα"), "athina");
        assert_eq!(slug("北京市"), "beijingshi");
        assert_eq!(slug("Łódź"), "lodz");
        assert_eq!(slug("Straße"), "strasse");
    }

    #[test]
    fn latin_names_keep_the_slug_they_had() {
        for name in ["Villa Esperanza", "Saint-Étienne-du-Lac", "São João d'Alva", "Ñuñoa", "Œuvre"]
        {
            assert_eq!(slug(name), slug_before_0_2(name), "{name}");
        }
        assert_eq!(slug_before_0_2("광주광역시"), "u-ad11-c8fc-ad11-c5ed-c2dc");
    }
}
