//! Plausibility (Contract 2, "valid is not enough"): a well-formed answer can still be
//! implausible — 82 % of the budget spent on culture, 160 under-five deaths per 1,000 live
//! births, 3,980 police officers in a city of 184,000. The framework gives usual ranges
//! ([`Plausible`]) to questions (optionally per inhabitant or household) and to indicators;
//! a value outside them is kept, with a warning (`W-IMPLAUSIBLE`) that says the value, the
//! usual range and what to check. Across two returns of one government (see
//! [`crate::validate::across`]) the same ranges give `W-JUMP` and `W-REPEAT`.

use std::collections::HashMap;

use super::{as_formula_answer, Answer, Cx};
use crate::formula::{self, State};
use crate::framework::{Framework, Indicator, Plausible, Question, Severity};
use crate::i18n::{format_number, tr, trf, Lang};
use crate::questionnaire::answer::ResponseStatus;
use crate::questionnaire::answer::Value;

/// A number as people read it in `lang`: one decimal, or two significant digits for small
/// values (0.23, 0.0031).
pub fn shown(v: f64, lang: Lang) -> String {
    let a = v.abs();
    let decimals = if a >= 10.0 || v.fract() == 0.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        ((-a.log10()).floor() as usize + 2).min(8)
    };
    let rounded = format_number(v, decimals, lang);
    rounded.strip_suffix(if lang == Lang::En { ".0" } else { ",0" }).unwrap_or(&rounded).into()
}

/// The usual range, in words: `0 to 120`, `up to 120`, `at least 5`.
pub fn range_text(p: &Plausible, lang: Lang) -> String {
    match (p.lo, p.hi) {
        (Some(lo), Some(hi)) => {
            trf(lang, "diag.range_between", &[("lo", &shown(lo, lang)), ("hi", &shown(hi, lang))])
        }
        (None, Some(hi)) => trf(lang, "diag.range_up_to", &[("hi", &shown(hi, lang))]),
        (Some(lo), None) => trf(lang, "diag.range_at_least", &[("lo", &shown(lo, lang))]),
        (None, None) => String::new(),
    }
}

/// The number `a` holds, when it was answered with one.
pub fn number(a: &Answer) -> Option<f64> {
    match (&a.status, &a.value) {
        (ResponseStatus::Answered, Some(Value::Number(n))) => Some(*n),
        _ => None,
    }
}

/// The value a question's range applies to: the answer, or the answer per `scale` of the
/// question `per` (e.g. per 100,000 inhabitants). `None` when a number is missing or the
/// divisor is 0.
pub fn question_measure(
    q: &Question,
    p: &Plausible,
    by_id: &HashMap<&str, &Answer>,
) -> Option<f64> {
    let value = by_id.get(q.id.as_str()).and_then(|a| number(a))?;
    match &p.per {
        None => Some(value),
        Some(per) => {
            let base = by_id.get(per.as_str()).and_then(|a| number(a))?;
            (base > 0.0).then(|| value / base * p.scale)
        }
    }
}

/// The value of indicator `ind` for one return's answers, and the answers it was computed
/// from (those found in the workbook, in formula order).
pub fn indicator_value<'a>(
    ind: &Indicator,
    by_id: &HashMap<&str, &'a Answer>,
) -> Option<(f64, Vec<&'a Answer>)> {
    let lookup =
        |id: &str| by_id.get(id).map_or(formula::Answer::Missing, |a| as_formula_answer(a));
    let out = formula::eval(&ind.formula.node, &lookup);
    if out.state != State::Ok {
        return None;
    }
    let inputs: Vec<&Answer> = ind
        .formula
        .node
        .questions()
        .into_iter()
        .filter_map(|id| by_id.get(id).copied())
        .filter(|a| a.cell.is_some() && number(a).is_some())
        .collect();
    out.number().map(|v| (v, inputs))
}

/// `HOU_Q02 (C13: 40)`, for each answer: where to look and what it says.
pub fn inputs_text(inputs: &[&Answer]) -> String {
    inputs
        .iter()
        .map(|a| {
            let cell = a.cell.map(|c| c.to_string()).unwrap_or_default();
            format!("{} ({cell}: {})", a.question, a.raw.trim())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks every answer and indicator of one return against its usual range.
pub(super) fn plausible(cx: &mut Cx<'_>, fw: &Framework, answers: &[Answer]) {
    let lang = cx.lang;
    let by_id: HashMap<&str, &Answer> = answers.iter().map(|a| (a.question.as_str(), a)).collect();
    let hint = || Some(tr(lang, "diag.hint.implausible").to_string());
    for q in &fw.questions {
        let Some(p) = &q.plausible else { continue };
        let Some(a) = by_id.get(q.id.as_str()).copied() else { continue };
        let Some(v) = question_measure(q, p, &by_id) else { continue };
        if p.holds(v) {
            continue;
        }
        let message = match &p.per {
            None => trf(
                lang,
                "diag.implausible",
                &[("value", &a.raw.trim()), ("range", &range_text(p, lang))],
            ),
            Some(per) => {
                let base = by_id.get(per.as_str()).map_or("", |b| b.raw.trim());
                trf(
                    lang,
                    "diag.implausible_per",
                    &[
                        ("value", &a.raw.trim()),
                        ("ratio", &shown(v, lang)),
                        ("scale", &format_number(p.scale, 0, lang)),
                        (
                            "per",
                            &fw.question(per)
                                .map_or(per.clone(), |q| q.text.get(lang).to_lowercase()),
                        ),
                        ("base", &base),
                        ("range", &range_text(p, lang)),
                    ],
                )
            }
        };
        cx.at(&a.clone(), Severity::Warning, "W-IMPLAUSIBLE", message, hint());
    }
    for ind in &fw.indicators {
        let Some(p) = &ind.plausible else { continue };
        let Some((v, inputs)) = indicator_value(ind, &by_id) else { continue };
        if p.holds(v) {
            continue;
        }
        let Some(anchor) = inputs.first().copied() else { continue };
        let unit = fw.vocab.units.get(&ind.unit).map(|u| u.label.get(lang).to_string());
        let message = trf(
            lang,
            "diag.implausible_indicator",
            &[
                ("indicator", &ind.title.get(lang)),
                ("id", &ind.id),
                ("value", &format!("{} {}", shown(v, lang), unit.unwrap_or_default()).trim()),
                ("range", &range_text(p, lang)),
                ("inputs", &inputs_text(&inputs)),
            ],
        );
        cx.at(&anchor.clone(), Severity::Warning, "W-IMPLAUSIBLE", message, hint());
    }
}
