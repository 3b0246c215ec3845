//! The campaign report's "Since last year": changes of the governments that reported in
//! both years (paired), per right and per indicator, each with the number of governments
//! it rests on. Comparing this year's median with last year's would compare two different
//! sets of governments: a right's median can fall while every government that reported
//! twice improved.

use minijinja::{context, Value};

use super::Reporter;
use crate::charts::data::median;
use crate::charts::Labels;
use crate::i18n::{format_number, tr, trf, Lang};

/// Indicators listed among those that changed most, each way.
const TOP: usize = 5;
/// At least this many governments in both years for an indicator's paired change.
const MIN_PAIRS: usize = 3;

/// A change in points, signed (`+2.5`, `-1.0`, `0`; the embedded fonts have no U+2212).
fn signed(x: f64, lang: Lang) -> String {
    let n = format_number(x.abs(), 1, lang);
    if x > 0.05 {
        format!("+{n}")
    } else if x < -0.05 {
        format!("-{n}")
    } else {
        format_number(0.0, 0, lang)
    }
}

impl Reporter<'_> {
    /// The section's content for `year`, or `None` when no earlier year has returns.
    pub(super) fn since_last_year(&self, year: i32, lang: Lang) -> Option<Value> {
        let (fw, data) = (self.fw, self.data);
        let labels = Labels { fw, lang };
        let previous = self.ds.returns.iter().map(|r| r.year).filter(|y| *y < year).max()?;
        let score = |city: &str, y: i32, right: &str| {
            data.scores
                .iter()
                .find(|s| s.city_id == city && s.year == y && s.right_id == right)
                .filter(|s| !s.carried_forward)
                .and_then(|s| s.score)
        };
        let both: Vec<&str> = {
            let mut c: Vec<&str> = self
                .ds
                .returns
                .iter()
                .filter(|r| r.year == year)
                .map(|r| r.city_id.as_str())
                .filter(|c| self.ds.returns.iter().any(|r| r.year == previous && r.city_id == *c))
                .collect();
            c.dedup();
            c
        };
        let all = |y: i32, right: &str| {
            let mut v: Vec<f64> = data
                .scores
                .iter()
                .filter(|s| s.year == y && s.right_id == right && !s.carried_forward)
                .filter_map(|s| s.score)
                .collect();
            median(&mut v)
        };
        let f = |x: Option<f64>| x.map_or_else(|| "–".into(), |x| format_number(x, 0, lang));
        let rights: Vec<Value> = fw
            .rights
            .iter()
            .map(|right| {
                let mut changes: Vec<f64> = both
                    .iter()
                    .filter_map(|c| {
                        Some(score(c, year, &right.id)? - score(c, previous, &right.id)?)
                    })
                    .collect();
                let n = changes.len();
                let better = changes.iter().filter(|c| **c >= 1.0).count();
                let worse = changes.iter().filter(|c| **c <= -1.0).count();
                context! {
                    right => labels.right(&right.id),
                    before => f(all(previous, &right.id)),
                    after => f(all(year, &right.id)),
                    n => n,
                    change => median(&mut changes).map_or_else(|| "–".into(), |m| signed(m, lang)),
                    better => better,
                    worse => worse,
                }
            })
            .collect();
        // Indicators: the paired change of their score, the definition unchanged.
        let mut moved: Vec<(f64, usize, String)> = Vec::new();
        for ind in &fw.indicators {
            let mut changes: Vec<f64> = Vec::new();
            for city in &both {
                let at = |y: i32| {
                    data.values.iter().find(|v| {
                        v.city_id == *city
                            && v.year == y
                            && v.indicator_id == ind.id
                            && v.status == "ok"
                            && !v.carried_forward
                    })
                };
                let (Some(now), Some(then)) = (at(year), at(previous)) else { continue };
                if now.definition_changed {
                    continue;
                }
                if let (Some(a), Some(b)) = (now.score, then.score) {
                    changes.push(a - b);
                }
            }
            let n = changes.len();
            if let Some(m) = median(&mut changes).filter(|m| m.abs() >= 0.05 && n >= MIN_PAIRS) {
                moved.push((m, n, ind.id.clone()));
            }
        }
        moved.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        let row = |(m, n, id): &(f64, usize, String)| {
            context! {
                title => fw.indicator(id).map_or(id.clone(), |i| i.title.get(lang).to_string()),
                id => id.clone(),
                n => n,
                change => signed(*m, lang),
            }
        };
        let up: Vec<Value> = moved.iter().filter(|x| x.0 > 0.0).take(TOP).map(row).collect();
        let down: Vec<Value> =
            moved.iter().rev().filter(|x| x.0 < 0.0).take(TOP).map(row).collect();
        Some(context! {
            heading => tr(lang, "report.since_heading"),
            intro => trf(
                lang,
                "report.since_intro",
                &[("year", &year), ("previous", &previous), ("n", &both.len())],
            ),
            h_right => tr(lang, "report.h_right"),
            h_before => trf(lang, "report.since_h_median", &[("year", &previous)]),
            h_after => trf(lang, "report.since_h_median", &[("year", &year)]),
            h_n => tr(lang, "report.since_h_n"),
            h_change => tr(lang, "report.since_h_change"),
            h_better => tr(lang, "report.since_h_better"),
            h_worse => tr(lang, "report.since_h_worse"),
            rights => rights,
            h_up => tr(lang, "report.since_h_up"),
            h_down => tr(lang, "report.since_h_down"),
            h_indicator => tr(lang, "report.h_indicator"),
            up => up,
            down => down,
            none => tr(lang, "report.since_none"),
        })
    }
}
