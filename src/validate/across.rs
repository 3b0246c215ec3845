//! Checks across the returns of one government (Contract 2): a figure that changes from
//! one reporting year to the next by more than the framework's usual yearly change
//! (`W-JUMP`: poverty from 12.5 % to 83.2 %), and the same fact reported differently in
//! two years (`W-REPEAT`: the turnout of the same election). Each warning is on the later
//! return, at the answer's cell, with both values and years.

use std::collections::{BTreeMap, HashMap};

use super::batch::FileResult;
use super::check::plausible::{indicator_value, inputs_text, question_measure, shown};
use super::{Answer, Diagnostic};
use crate::framework::{Framework, Severity, UnitFormat};
use crate::i18n::{tr, trf, Lang};

/// The values compared: `v` after `previous`, as people read them, with the unit.
fn change_text(fw: &Framework, unit: Option<&str>, change: f64, lang: Lang) -> String {
    let unit = unit.and_then(|u| fw.vocab.units.get(u));
    let label = match unit {
        Some(u) if u.format == UnitFormat::Percent => tr(lang, "diag.pp").to_string(),
        Some(u) => u.label.get(lang).to_string(),
        None => String::new(),
    };
    format!("{} {label}", shown(change, lang)).trim().to_string()
}

/// Adds `W-JUMP` and `W-REPEAT` to the later of each two successive returns of a
/// government in `results`.
pub fn across_years(fw: &Framework, results: &mut [FileResult], lang: Lang) {
    let mut by_city: BTreeMap<String, Vec<(i32, usize)>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if let Some(c) = &r.checked {
            if let (Some(id), Some(year)) = (&c.city_id, c.year) {
                by_city.entry(id.clone()).or_default().push((year, i));
            }
        }
    }
    for (_, mut returns) in by_city {
        returns.sort();
        returns.dedup_by_key(|(y, _)| *y);
        for pair in returns.windows(2) {
            let [(y0, i0), (_, i1)] = [pair[0], pair[1]];
            let Some(before) = results[i0].checked.as_ref().map(|c| c.answers.clone()) else {
                continue;
            };
            against(fw, &mut results[i1], y0, &before, lang);
        }
    }
}

/// Adds `W-JUMP` and `W-REPEAT` to `result` against `previous`, the answers of the same
/// government's return for `previous_year` (e.g. the one a store already holds).
pub fn against(
    fw: &Framework,
    result: &mut FileResult,
    previous_year: i32,
    previous: &[Answer],
    lang: Lang,
) {
    let Some(checked) = &result.checked else { return };
    let Some(year) = checked.year else { return };
    let found = compare(fw, previous, &checked.answers, (previous_year, year), lang);
    let file = result.path.display().to_string();
    result.diagnostics.extend(found.into_iter().map(|(a, code, message, hint)| Diagnostic {
        file: file.clone(),
        sheet: a.sheet.clone(),
        cell: a.cell,
        question: Some(a.question.clone()),
        severity: Severity::Warning,
        code: code.into(),
        message,
        hint: Some(hint),
    }));
}

type Found = (Answer, &'static str, String, String);

/// What changed implausibly between the answers of `years.0` and those of `years.1`.
fn compare(
    fw: &Framework,
    before: &[Answer],
    after: &[Answer],
    (y0, y1): (i32, i32),
    lang: Lang,
) -> Vec<Found> {
    fn index(answers: &[Answer]) -> HashMap<&str, &Answer> {
        answers.iter().map(|a| (a.question.as_str(), a)).collect()
    }
    let (b_ref, a_ref) = (index(before), index(after));
    let years = (y1 - y0).max(1);
    let mut out = Vec::new();
    let common = |key: &str, args: &[(&str, &dyn std::fmt::Display)]| trf(lang, key, args);
    for q in &fw.questions {
        // The same fact in two years.
        if let Some(by) = &q.dated_by {
            let when = |m: &HashMap<&str, &Answer>| {
                m.get(by.as_str()).filter(|d| d.value.is_some()).map(|d| d.raw.trim().to_string())
            };
            let (Some(x), Some(y)) = (b_ref.get(q.id.as_str()), a_ref.get(q.id.as_str())) else {
                continue;
            };
            if let (Some(_), Some(w1)) = (when(&b_ref), when(&a_ref)) {
                let same_fact = b_ref.get(by.as_str()).map(|d| &d.value)
                    == a_ref.get(by.as_str()).map(|d| &d.value);
                if same_fact && x.value.is_some() && y.value.is_some() && x.value != y.value {
                    let message = common(
                        "diag.repeat",
                        &[
                            ("by", by),
                            ("when", &w1),
                            ("previous", &x.raw.trim()),
                            ("previous_year", &y0),
                            ("value", &y.raw.trim()),
                        ],
                    );
                    out.push((
                        (*y).clone(),
                        "W-REPEAT",
                        message,
                        tr(lang, "diag.hint.repeat").into(),
                    ));
                    continue;
                }
            }
        }
        // A yearly change beyond the usual.
        let Some(p) = &q.plausible else { continue };
        let Some(jump) = p.jump else { continue };
        let (Some(v0), Some(v1)) = (question_measure(q, p, &b_ref), question_measure(q, p, &a_ref))
        else {
            continue;
        };
        if (v1 - v0).abs() <= jump * f64::from(years) {
            continue;
        }
        let (Some(x), Some(y)) = (b_ref.get(q.id.as_str()), a_ref.get(q.id.as_str())) else {
            continue;
        };
        let unit = if p.per.is_some() { None } else { q.unit.as_deref() };
        let message = common(
            "diag.jump",
            &[
                ("value", &y.raw.trim()),
                ("year", &y1),
                ("previous", &x.raw.trim()),
                ("previous_year", &y0),
                ("change", &change_text(fw, unit, (v1 - v0).abs(), lang)),
                ("years", &years),
                ("jump", &change_text(fw, unit, jump, lang)),
            ],
        );
        out.push(((*y).clone(), "W-JUMP", message, tr(lang, "diag.hint.jump").into()));
    }
    for ind in &fw.indicators {
        let Some(jump) = ind.plausible.as_ref().and_then(|p| p.jump) else { continue };
        let (Some((v0, _)), Some((v1, inputs))) =
            (indicator_value(ind, &b_ref), indicator_value(ind, &a_ref))
        else {
            continue;
        };
        if (v1 - v0).abs() <= jump * f64::from(years) {
            continue;
        }
        let Some(anchor) = inputs.first() else { continue };
        let unit = Some(ind.unit.as_str());
        let label = fw.vocab.units.get(&ind.unit).map(|u| u.label.get(lang).to_string());
        let with_unit =
            |v: f64| format!("{} {}", shown(v, lang), label.clone().unwrap_or_default());
        let message = common(
            "diag.jump_indicator",
            &[
                ("indicator", &ind.title.get(lang)),
                ("id", &ind.id),
                ("previous", &with_unit(v0).trim()),
                ("previous_year", &y0),
                ("value", &with_unit(v1).trim()),
                ("year", &y1),
                ("change", &change_text(fw, unit, (v1 - v0).abs(), lang)),
                ("years", &years),
                ("jump", &change_text(fw, unit, jump, lang)),
                ("inputs", &inputs_text(&inputs)),
            ],
        );
        out.push(((*anchor).clone(), "W-JUMP", message, tr(lang, "diag.hint.jump").into()));
    }
    out
}
