//! The default plan: the issues with the clearest evidence, and the paragraph a person
//! would write for each (finding with its figure, denominator and year; trend; groups left
//! behind; what the government has in place; what the State should do).
//!
//! A value is a candidate when it is `ok`, the government's own (not carried forward) and
//! not flagged when the return was checked. Its priority: a structural measure lost since
//! the previous return, a measure absent, a low score, a change for the worse, groups left
//! behind — see [`priority`]. The plan keeps at most [`MAX_ISSUES`] issues and at most
//! [`PER_SECTION`] per section, so that no theme fills the document.

use crate::charts::data::ValueRow;
use crate::framework::{Indicator, IndicatorKind};
use crate::i18n::{tr, trf, Lang};
use crate::report::city::{lost, to_check};
pub(super) use crate::report::lower_first;
use crate::report::{is_yes_no, Reporter};
use crate::store::ResponseStatus;

use super::plan::PlanIssue;
use super::Scope;

/// At most this many issues (the mechanisms' guidance: a few issues, well supported).
pub const MAX_ISSUES: usize = 12;
/// At least this many when the data allow.
pub const MIN_ISSUES: usize = 8;
/// At most this many issues per section in the default selection.
const PER_SECTION: usize = 2;
/// Values below this priority are not issues.
const THRESHOLD: f64 = 35.0;
/// A denominator under this is given as a count ("9 of 11"), not as a percentage.
const SMALL: f64 = 100.0;

impl Reporter<'_> {
    /// The default issues for `scope`, sorted by section order, each with its priority and
    /// the reasons it was chosen. `section_of` gives an indicator's section (key, heading)
    /// for the mechanism, or `None` when the mechanism does not read it.
    pub(super) fn default_issues(
        &self,
        scope: &Scope,
        section_of: &dyn Fn(&Indicator) -> Option<(usize, String)>,
        lang: Lang,
    ) -> (Vec<PlanIssue>, Vec<String>) {
        let mut candidates: Vec<(usize, PlanIssue)> = Vec::new();
        let mut flagged = Vec::new();
        for ind in &self.fw.indicators {
            // A ratio (0.067) says nothing to a reader without its construction.
            if ind.unit == "ratio" {
                continue;
            }
            let Some((key, heading)) = section_of(ind) else { continue };
            let mut rows = Vec::new();
            let mut why: Vec<String> = Vec::new();
            let mut priority: f64 = 0.0;
            for (city, name) in &scope.cities {
                let Some(row) = self.row(city, &ind.id, scope.year) else { continue };
                let responses = self.responses_of(city, scope.year);
                let doubts = to_check(ind, row, responses, lang);
                let flag = |why: &str| {
                    trf(
                        lang,
                        "sub.check_flagged",
                        &[
                            ("indicator", &ind.id),
                            ("title", &ind.title.get(lang)),
                            ("city", name),
                            ("why", &why),
                        ],
                    )
                };
                if !doubts.is_empty() {
                    flagged.push(flag(&doubts.join("; ")));
                    continue;
                }
                if let Some(why) = self.doubtful_change(ind, row, lang) {
                    flagged.push(flag(&why));
                    continue;
                }
                let (p, reasons) = self.priority(ind, row, lang);
                if p >= THRESHOLD {
                    priority = priority.max(p);
                    for r in reasons {
                        if !why.contains(&r) {
                            why.push(r);
                        }
                    }
                    rows.push(*city);
                }
            }
            if rows.is_empty() {
                continue;
            }
            let governments: Vec<String> = rows.iter().map(|c| c.to_string()).collect();
            let finding = self.finding(ind, &governments, scope, lang);
            // A measure lost needs the government's explanation, not a list of others.
            let context = if why.iter().any(|w| w == tr(lang, "sub.why_lost")) {
                String::new()
            } else {
                self.context(ind, &governments, scope, lang)
            };
            let recommendations = self.to_state(ind, &governments, scope, lang);
            candidates.push((
                key,
                PlanIssue {
                    section: heading,
                    indicators: vec![ind.id.clone()],
                    governments: if scope.cities.len() == 1 { Vec::new() } else { governments },
                    finding,
                    context,
                    recommendations,
                    questions: Vec::new(),
                    include_flagged: false,
                    priority,
                    why,
                },
            ));
        }
        // The strongest first, at most PER_SECTION per section (more when fewer than
        // MIN_ISSUES would be left), then in section order.
        candidates.sort_by(|a, b| b.1.priority.total_cmp(&a.1.priority));
        let mut chosen: Vec<(usize, PlanIssue)> = Vec::new();
        for cap in [PER_SECTION, PER_SECTION + 1, usize::MAX] {
            for (key, issue) in &candidates {
                if chosen.len() >= MAX_ISSUES {
                    break;
                }
                let in_section = chosen.iter().filter(|(k, _)| k == key).count();
                let taken = chosen.iter().any(|(_, i)| i.indicators == issue.indicators);
                if in_section < cap && !taken {
                    chosen.push((*key, issue.clone()));
                }
            }
            if chosen.len() >= MIN_ISSUES {
                break;
            }
        }
        chosen.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.priority.total_cmp(&a.1.priority)));
        (chosen.into_iter().map(|(_, i)| i).collect(), flagged)
    }

    /// The government's own value of `indicator` in `year`, if it has one.
    pub(super) fn row(&self, city: &str, indicator: &str, year: i32) -> Option<&ValueRow> {
        self.data.city_values(city).find(|v| {
            v.year == year
                && v.indicator_id == indicator
                && !v.carried_forward
                && v.status == "ok"
                && v.value.is_some()
        })
    }

    /// The answers of `city`'s return for `year`.
    pub(super) fn responses_of(&self, city: &str, year: i32) -> &[crate::store::ResponseRow] {
        self.return_of(city, year).map_or(&[], |i| &self.ds.responses[i])
    }

    /// Why a change since the previous return is too large to be evidence without a word
    /// from the government (more than the indicator's usual yearly change, or, without
    /// one, 25 points of a percentage or half the previous value): `None` when it is not.
    fn doubtful_change(&self, ind: &Indicator, row: &ValueRow, lang: Lang) -> Option<String> {
        let change =
            row.change.filter(|_| !row.definition_changed && !is_yes_no(self.fw, &ind.unit))?;
        let value = row.value?;
        let before = value - change;
        let percent = self.fw.vocab.units.get(&ind.unit).map(|u| u.format)
            == Some(crate::framework::UnitFormat::Percent);
        let doubtful = match ind.plausible.as_ref().and_then(|p| p.jump) {
            Some(jump) => change.abs() > jump,
            None if percent => change.abs() > 25.0,
            None => before.abs() > 0.0 && (change / before).abs() > 0.5,
        };
        doubtful.then(|| {
            trf(
                lang,
                "sub.why_doubtful_change",
                &[
                    ("previous", &self.show_value(&ind.unit, before, lang)),
                    ("value", &self.show_value(&ind.unit, value, lang)),
                ],
            )
        })
    }

    /// How strongly `row` makes an issue, and why (in `lang`).
    fn priority(&self, ind: &Indicator, row: &ValueRow, lang: Lang) -> (f64, Vec<String>) {
        let mut p: f64 = 0.0;
        let mut why = Vec::new();
        if lost(ind, row) {
            p = p.max(90.0);
            why.push(tr(lang, "sub.why_lost").to_string());
        } else if ind.kind == IndicatorKind::Structural && row.score.is_some_and(|s| s <= 0.0) {
            p = p.max(60.0);
            why.push(tr(lang, "sub.why_absent").to_string());
        } else if let Some(s) = row.score.filter(|s| *s < 50.0) {
            p = p.max((100.0 - s) * 0.8);
            why.push(tr(lang, "sub.why_low").to_string());
        }
        let worse = |c: f64| match ind.direction {
            crate::framework::Direction::HigherIsBetter => c < 0.0,
            crate::framework::Direction::LowerIsBetter => c > 0.0,
        };
        let percent = self.fw.vocab.units.get(&ind.unit).map(|u| u.format)
            == Some(crate::framework::UnitFormat::Percent);
        if !is_yes_no(self.fw, &ind.unit) && !row.definition_changed {
            if let Some(c) = row.change.filter(|c| worse(*c)) {
                let big = if percent {
                    c.abs() >= 5.0
                } else {
                    row.value.is_some_and(|v| (v - c).abs() > 0.0 && (c / (v - c)).abs() >= 0.1)
                };
                if big {
                    p = (p + 20.0).max(45.0);
                    why.push(tr(lang, "sub.why_worse").to_string());
                }
            }
        }
        let behind = self
            .data
            .city_groups(&row.city_id)
            .filter(|g| !(g.dimension == "sex" && g.category == "other"))
            .any(|g| g.year == row.year && g.indicator_id == ind.id && g.is_left_behind());
        if behind {
            p = (p + 10.0).max(40.0);
            why.push(tr(lang, "sub.why_groups").to_string());
        }
        // Good data: every input answered with its source given.
        let inputs = ind.formula.node.questions();
        let sourced = self
            .responses_of(&row.city_id, row.year)
            .iter()
            .filter(|r| inputs.contains(&r.question_id.as_str()))
            .all(|r| r.source.as_deref().is_some_and(|s| !s.trim().is_empty()));
        if p > 0.0 && sourced {
            p += 5.0;
        }
        (p, why)
    }

    /// The year the figure describes: the answer of the input's `dated_by` question (the
    /// survey's or election's year), else the reporting year.
    fn fact_year(&self, ind: &Indicator, city: &str, year: i32) -> i32 {
        let responses = self.responses_of(city, year);
        for q in ind.formula.node.questions() {
            let Some(by) = self.fw.question(q).and_then(|q| q.dated_by.as_deref()) else {
                continue;
            };
            let dated = responses
                .iter()
                .find(|r| r.question_id == by && r.status == ResponseStatus::Answered)
                .and_then(|r| {
                    r.value_number.or_else(|| r.value_text.as_deref()?.get(..4)?.parse().ok())
                });
            if let Some(y) = dated.filter(|y| (1900.0..=2100.0).contains(y)) {
                return y as i32;
            }
        }
        year
    }

    /// The figure as a reader needs it: a count of a small denominator as "9 of 11", a
    /// share of a larger one as "45.2 % (38 of 84)", a measure in place or not, else the
    /// value with its unit.
    pub(super) fn figure(&self, ind: &Indicator, row: &ValueRow, lang: Lang) -> String {
        use crate::formula::{Func, Kind};
        let value = row.value.unwrap_or_default();
        if is_yes_no(self.fw, &ind.unit) {
            return tr(lang, if value >= 0.5 { "sub.in_place" } else { "sub.not_in_place" })
                .to_string();
        }
        let shown = self.show_value(&ind.unit, value, lang);
        let Kind::Call(Func::Pct, args) = &ind.formula.node.kind else { return shown };
        let [num, den] = args.as_slice() else { return shown };
        let (Kind::Question(a), Kind::Question(b)) = (&num.kind, &den.kind) else {
            return shown;
        };
        let responses = self.responses_of(&row.city_id, row.year);
        let answer = |id: &str| {
            responses
                .iter()
                .find(|r| r.question_id == id && r.status == ResponseStatus::Answered)
                .and_then(|r| r.value_number)
        };
        let (Some(n), Some(d)) = (answer(a), answer(b)) else { return shown };
        let whole = |x: f64| x >= 0.0 && x.fract() == 0.0;
        if !whole(n) || !whole(d) || d <= 0.0 {
            return shown;
        }
        let count = |x: f64| crate::i18n::format_number(x, 0, lang);
        let of = trf(lang, "sub.n_of", &[("n", &count(n)), ("d", &count(d))]);
        if d < SMALL {
            of
        } else {
            format!("{shown} ({of})")
        }
    }

    /// The finding of the default plan: the indicator, then for each government its figure,
    /// the year it describes and the change since its previous return; then the groups
    /// left behind.
    pub(super) fn finding(
        &self,
        ind: &Indicator,
        governments: &[String],
        scope: &Scope,
        lang: Lang,
    ) -> String {
        let mut entries = Vec::new();
        let mut groups = Vec::new();
        for city in governments {
            let Some(row) = self.row(city, &ind.id, scope.year) else { continue };
            let name = scope.name(city);
            let fact = self.fact_year(ind, city, scope.year);
            let previous = self
                .data
                .city_values(city)
                .filter(|v| {
                    v.indicator_id == ind.id
                        && v.year < scope.year
                        && !v.carried_forward
                        && v.status == "ok"
                        && v.value.is_some()
                })
                .max_by_key(|v| v.year);
            let yes_no = is_yes_no(self.fw, &ind.unit);
            let entry = match previous.filter(|_| !row.definition_changed) {
                Some(p) if lost(ind, row) && yes_no => trf(
                    lang,
                    "sub.entry_lost",
                    &[("city", &name), ("year", &fact), ("previous_year", &p.year)],
                ),
                Some(p) if !yes_no || (p.value >= Some(0.5)) != (row.value >= Some(0.5)) => {
                    let before = self.figure(ind, p, lang);
                    trf(
                        lang,
                        "sub.entry_trend",
                        &[
                            ("figure", &self.figure(ind, row, lang)),
                            ("city", &name),
                            ("year", &fact),
                            ("previous", &before),
                            ("previous_year", &p.year),
                        ],
                    )
                }
                _ => trf(
                    lang,
                    "sub.entry",
                    &[("figure", &self.figure(ind, row, lang)), ("city", &name), ("year", &fact)],
                ),
            };
            entries.push(entry);
            if let Some(g) = self.groups_sentence(ind, city, scope.year, lang) {
                groups.push(g);
            }
        }
        let mut text = trf(
            lang,
            "sub.finding",
            &[("title", &ind.title.get(lang)), ("entries", &entries.join("; "))],
        );
        for g in groups {
            text.push(' ');
            text.push_str(&g);
        }
        text
    }

    /// The default context: the measures of the same right that the governments have in
    /// place (at most three each).
    fn context(
        &self,
        ind: &Indicator,
        governments: &[String],
        scope: &Scope,
        lang: Lang,
    ) -> String {
        let mut out = Vec::new();
        for city in governments {
            let measures: Vec<String> = self
                .fw
                .indicators
                .iter()
                .filter(|o| o.right == ind.right && o.id != ind.id && is_yes_no(self.fw, &o.unit))
                .filter(|o| self.row(city, &o.id, scope.year).is_some_and(|r| r.value >= Some(0.5)))
                .take(3)
                .map(|o| lower_first(o.title.get(lang)))
                .collect();
            if !measures.is_empty() {
                out.push(trf(
                    lang,
                    "sub.context_measures",
                    &[("city", &scope.name(city)), ("measures", &measures.join("; "))],
                ));
            }
        }
        out.join(" ")
    }

    /// The default recommendations to the State: the governments' own answers to the
    /// right's "what should the State do?" question (the analyst writes the others; the
    /// document ends with a general recommendation).
    fn to_state(
        &self,
        ind: &Indicator,
        governments: &[String],
        scope: &Scope,
        lang: Lang,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let question = self
            .fw
            .questions_of(Some(&ind.right))
            .find(|q| q.id.ends_with("_STATE") && q.qtype == crate::framework::QuestionType::Text);
        if let Some(q) = question {
            for city in governments {
                let text = self
                    .responses_of(city, scope.year)
                    .iter()
                    .find(|r| r.question_id == q.id && r.status == ResponseStatus::Answered)
                    .and_then(|r| r.value_text.clone());
                let text = text.map(|t| crate::report::followup::in_original(t.trim(), lang));
                if let Some(t) = text.filter(|t| !t.is_empty()) {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    /// The question suggested for a treaty body's list of issues.
    pub(super) fn loi_question(&self, ind: &Indicator, lang: Lang) -> String {
        trf(lang, "sub.loi_question", &[("title", &lower_first(ind.title.get(lang)))])
    }
}
