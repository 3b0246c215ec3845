//! Who is left behind (Contract 5) in the reports: a city's groups worse off than their
//! reference, with what to act on; the breakdowns governments give and the largest gaps
//! across governments; a sentence on the groups left behind for a submission's paragraph.
//! Groups print in the report's language; a group a city named prints as it wrote it.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::{context, Value};

use super::{is_yes_no, show_value, Reporter};
use crate::charts::data::{BreakdownRow, GroupRow};
use crate::charts::{file_part, Labels};
use crate::compute::groups::numerator_questions;
use crate::framework::{Framework, Indicator, UnitFormat};
use crate::i18n::{format_number, format_percent, tr, trf, Lang};

/// How many dot charts the city report shows at most.
const CHARTS: usize = 2;
/// How many indicators with groups left behind the city report details at most (the most
/// groups left behind first, then the largest gap); the others are counted, and are in
/// `indicators_by_group`.
const INDICATORS: usize = 6;
/// How many groups a submission's paragraph names per city at most.
const SUBMISSION_GROUPS: usize = 3;
/// How many of the largest gaps the campaign report lists.
const LARGEST: usize = 10;

/// The size of a difference of `unit`, without its sign: `12.0 points`,
/// `3.1 per 100,000 inhabitants`; empty for yes/no units.
pub fn show_difference(fw: &Framework, unit: &str, difference: f64, lang: Lang) -> String {
    let d = difference.abs();
    match fw.vocab.units.get(unit).map(|u| u.format) {
        Some(UnitFormat::Percent) => {
            trf(lang, "report.points", &[("n", &format_number(d, 1, lang))])
        }
        Some(UnitFormat::YesNo) => String::new(),
        Some(UnitFormat::Year) => format_number(d, 0, lang),
        _ => {
            let decimals = crate::charts::value_decimals(d);
            format!("{} {}", format_number(d, decimals, lang), fw.unit_label_for(unit, d, lang))
        }
    }
}

/// A gap in words: `12.0 points lower`, `3.1 per 100,000 inhabitants higher`, `the same`.
pub fn show_gap(fw: &Framework, unit: &str, gap: f64, lang: Lang) -> String {
    let size = show_difference(fw, unit, gap, lang);
    if size.is_empty() || size.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        return tr(lang, "report.gap_same").to_string();
    }
    let key = if gap < 0.0 { "report.gap_lower" } else { "report.gap_higher" };
    trf(lang, key, &[("gap", &size)])
}

/// A gap with its sign: `-12.0 points`, `+3.1 per 100,000 inhabitants`.
pub fn show_signed_gap(fw: &Framework, unit: &str, gap: f64, lang: Lang) -> String {
    let size = show_difference(fw, unit, gap, lang);
    if size.is_empty() || size.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        return size;
    }
    format!("{}{size}", if gap < 0.0 { "-" } else { "+" })
}

/// The threshold of `left_behind`, in words: "10% of the reference value (5 points for
/// percentages)".
pub fn threshold(fw: &Framework, lang: Lang) -> String {
    trf(
        lang,
        "report.lb_threshold",
        &[
            ("share", &format_percent(fw.left_behind.relative * 100.0, 0, lang)),
            ("points", &format_number(fw.left_behind.points, 0, lang)),
        ],
    )
}

/// How far past the threshold a group's gap goes (1 = at the threshold), to put the largest
/// gaps first.
fn severity(fw: &Framework, ind: &Indicator, g: &GroupRow) -> f64 {
    let (Some(gap), Some(reference)) = (g.gap, g.reference_value) else { return 0.0 };
    let percent = fw.vocab.units.get(&ind.unit).is_some_and(|u| u.format == UnitFormat::Percent);
    let threshold =
        if percent { fw.left_behind.points } else { reference.abs() * fw.left_behind.relative };
    if threshold > 0.0 {
        gap.abs() / threshold
    } else {
        gap.abs()
    }
}

/// The question text cut to its gist: without an opening clause that dates it ("On 31
/// December of the reporting year, …"), at most about 90 characters.
pub fn question_gist(text: &str) -> String {
    let t = text.trim();
    let body = match t.find(", ") {
        Some(i) if i < 130 && t[..i].contains("31") => &t[i + 2..],
        _ => t,
    };
    // Capitalise the first letter (after a Spanish `¿`).
    let mut out = String::with_capacity(body.len());
    let mut done = false;
    for c in body.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    const MAX: usize = 90;
    if out.chars().count() <= MAX {
        return out;
    }
    let cut: String = out.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// A category as prose reads it: a framework label with a lower-case first letter
/// ("women"), a name the city wrote as it wrote it.
fn in_prose(l: &Labels<'_>, dim: &str, code: &str) -> String {
    let label = l.category(dim, code);
    if l.city_named(dim) {
        return label;
    }
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// The numerator questions of `ind` that a city breaks down by one of `dims`: where to act
/// for the groups of those dimensions.
fn questions_behind<'a>(
    fw: &'a Framework,
    ind: &'a Indicator,
    dims: &BTreeSet<&str>,
) -> Vec<&'a str> {
    numerator_questions(&ind.formula.node)
        .into_iter()
        .filter(|q| {
            fw.question(q)
                .is_some_and(|q| q.disaggregation.iter().any(|d| dims.contains(d.as_str())))
        })
        .collect()
}

impl Reporter<'_> {
    /// The "Who is left behind" section of the city report of `city` in `year`, and the dot
    /// charts it shows (as files).
    pub(super) fn left_behind(
        &self,
        city: &str,
        year: i32,
        lang: Lang,
    ) -> (Value, Vec<(String, Vec<u8>)>) {
        let (fw, data) = (self.fw, self.data);
        let labels = Labels { fw, lang };
        let groups: Vec<&GroupRow> = data.city_groups(city).filter(|g| g.year == year).collect();
        let breakdowns: Vec<&BreakdownRow> =
            data.city_breakdowns(city).filter(|b| b.year == year).collect();
        let compared =
            groups.iter().filter(|g| !g.is_reference() && g.left_behind.is_some()).count();
        let flagged: Vec<&GroupRow> =
            groups.iter().copied().filter(|g| g.is_left_behind()).collect();
        let reported: Vec<&BreakdownRow> =
            breakdowns.iter().copied().filter(|b| b.reported).collect();
        let questions_given: BTreeSet<&str> =
            reported.iter().map(|b| b.question_id.as_str()).collect();

        // What to say above the table (or instead of it).
        let intro = if !flagged.is_empty() {
            let indicators: BTreeSet<&str> =
                flagged.iter().map(|g| g.indicator_id.as_str()).collect();
            trf(
                lang,
                "report.lb_intro",
                &[
                    ("compared", &compared),
                    ("n", &flagged.len()),
                    ("indicators", &indicators.len()),
                    ("threshold", &threshold(fw, lang)),
                ],
            )
        } else if !reported.is_empty() && compared > 0 {
            trf(
                lang,
                "report.lb_none_flagged",
                &[
                    ("questions", &questions_given.len()),
                    ("dimensions", &dimensions(&labels, &reported)),
                    ("compared", &compared),
                    ("threshold", &threshold(fw, lang)),
                ],
            )
        } else if !reported.is_empty() {
            trf(
                lang,
                "report.lb_no_comparison",
                &[
                    ("questions", &questions_given.len()),
                    ("dimensions", &dimensions(&labels, &reported)),
                ],
            )
        } else if !breakdowns.is_empty() {
            let asked: BTreeSet<&str> = breakdowns.iter().map(|b| b.question_id.as_str()).collect();
            trf(
                lang,
                "report.lb_none_given",
                &[
                    ("n", &breakdowns.len()),
                    ("questions", &asked.len()),
                    ("dimensions", &dimensions(&labels, &breakdowns)),
                ],
            )
        } else {
            tr(lang, "report.lb_not_asked").to_string()
        };

        // The flagged groups, by indicator in framework order.
        let mut by_indicator: BTreeMap<usize, Vec<&GroupRow>> = BTreeMap::new();
        for g in &flagged {
            if let Some(pos) = fw.indicators.iter().position(|i| i.id == g.indicator_id) {
                by_indicator.entry(pos).or_default().push(g);
            }
        }
        let order = labels.dimension_order();
        let mut indicators: Vec<(usize, Value)> = Vec::new();
        let mut worst: Vec<(usize, f64, usize, &Indicator)> = Vec::new();
        for (pos, mut rows) in by_indicator {
            let ind = &fw.indicators[pos];
            rows.sort_by_key(|g| {
                (
                    order.iter().position(|d| *d == g.dimension),
                    labels.category_order(&g.dimension, &g.category),
                    g.category.clone(),
                )
            });
            let value = |v: Option<f64>| {
                v.map_or_else(|| "–".to_string(), |v| show_value(fw, &ind.unit, v, lang))
            };
            let items: Vec<Value> = rows
                .iter()
                .map(|g| {
                    let reference = match &g.reference_category {
                        Some(r) => labels.category(&g.dimension, r),
                        None => tr(lang, "chart.groups_total").to_string(),
                    };
                    context! {
                        group => labels.group(&g.dimension, &g.category),
                        value => value(g.value),
                        reference => trf(lang, "report.lb_reference", &[("reference", &reference), ("value", &value(g.reference_value))]),
                        gap => g.gap.map_or_else(|| "–".to_string(), |x| show_gap(fw, &ind.unit, x, lang)),
                    }
                })
                .collect();
            let dims: BTreeSet<&str> = rows.iter().map(|g| g.dimension.as_str()).collect();
            let questions: Vec<Value> = questions_behind(fw, ind, &dims)
                .into_iter()
                .filter_map(|q| fw.question(q))
                .map(|q| context! { id => q.id.clone(), text => question_gist(q.text.get(lang)) })
                .collect();
            let most = rows.iter().map(|g| severity(fw, ind, g)).fold(0.0, f64::max);
            worst.push((rows.len(), most, pos, ind));
            indicators.push((
                pos,
                context! {
                    id => ind.id.clone(),
                    title => ind.title.get(lang).to_string(),
                    groups => items,
                    questions => questions,
                },
            ));
        }
        // The indicators where the most groups are left behind (then the largest gap),
        // back in framework order; the others are counted.
        worst.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        let shown: BTreeSet<usize> = worst.iter().take(INDICATORS).map(|w| w.2).collect();
        let more = indicators.len().saturating_sub(shown.len());
        let indicators: Vec<Value> =
            indicators.into_iter().filter(|(pos, _)| shown.contains(pos)).map(|(_, v)| v).collect();

        // The dot charts of the first of them, in framework order.
        worst.truncate(CHARTS);
        worst.sort_by_key(|w| w.2);
        let mut files = Vec::new();
        let mut charts = Vec::new();
        for (_, _, _, ind) in worst {
            let chart = crate::charts::groups(data, labels, city, &ind.id, year);
            let file = format!("charts/groups-{}.svg", file_part(&ind.id));
            charts.push(context! { file => file.clone(), alt => chart.desc.clone() });
            files.push((file, chart.svg.into_bytes()));
        }
        let ctx = context! {
            heading => tr(lang, "report.h_left_behind"),
            intro => intro,
            act_intro => if indicators.is_empty() { String::new() } else { tr(lang, "report.lb_act_intro").to_string() },
            indicators => indicators,
            more => if more == 0 { String::new() } else { trf(lang, "report.lb_more", &[("n", &more)]) },
            charts => charts,
            h_group => tr(lang, "report.h_group"),
            h_value => tr(lang, "report.h_value"),
            h_reference => tr(lang, "report.h_reference"),
            h_gap => tr(lang, "report.h_gap_words"),
            w_act => tr(lang, "report.lb_act"),
        };
        (ctx, files)
    }

    /// A sentence on the groups left behind for `ind` in `city`'s return of `year`, for a
    /// submission's paragraph ("In Lumenstad, groups left behind: women: 40.1% (men: 52.1%),
    /// 12.0 points lower."); `None` when no group is flagged.
    pub(super) fn groups_sentence(
        &self,
        ind: &Indicator,
        city: &str,
        year: i32,
        lang: Lang,
    ) -> Option<String> {
        let (fw, data) = (self.fw, self.data);
        let labels = Labels { fw, lang };
        let mut flagged: Vec<&GroupRow> = data
            .city_groups(city)
            .filter(|g| g.year == year && g.indicator_id == ind.id && g.is_left_behind())
            // "Other or not stated" mixes people nobody asked about with a small group: not
            // evidence a submission can state as a group left behind.
            .filter(|g| !(g.dimension == "sex" && g.category == "other"))
            .collect();
        if flagged.is_empty() || is_yes_no(fw, &ind.unit) {
            return None;
        }
        flagged.sort_by(|a, b| severity(fw, ind, b).total_cmp(&severity(fw, ind, a)));
        let name = flagged[0].city_name.clone();
        let items: Vec<String> = flagged
            .iter()
            .take(SUBMISSION_GROUPS)
            .filter_map(|g| {
                let reference = match &g.reference_category {
                    Some(r) => in_prose(&labels, &g.dimension, r),
                    None => tr(lang, "report.city_whole_prose").to_string(),
                };
                Some(trf(
                    lang,
                    "report.sub_group",
                    &[
                        ("group", &in_prose(&labels, &g.dimension, &g.category)),
                        ("value", &show_value(fw, &ind.unit, g.value?, lang)),
                        ("reference", &reference),
                        ("reference_value", &show_value(fw, &ind.unit, g.reference_value?, lang)),
                        ("gap", &show_gap(fw, &ind.unit, g.gap?, lang)),
                    ],
                ))
            })
            .collect();
        if items.is_empty() {
            return None;
        }
        let more = flagged.len().saturating_sub(SUBMISSION_GROUPS);
        let sep = tr(lang, "report.list_sep");
        let mut text =
            trf(lang, "report.sub_groups", &[("city", &name), ("items", &items.join(sep))]);
        if more == 1 {
            text.push(' ');
            text.push_str(tr(lang, "report.sub_groups_one_more"));
        } else if more > 1 {
            text.push(' ');
            text.push_str(&trf(lang, "report.sub_groups_more", &[("n", &more)]));
        }
        Some(text)
    }

    /// The breakdowns section of the campaign report of `year`: the coverage chart and
    /// table, and the groups most often left behind across governments (groups, never
    /// governments, are counted).
    pub(super) fn breakdowns_section(
        &self,
        year: i32,
        lang: Lang,
    ) -> (Value, Vec<(String, Vec<u8>)>) {
        let (fw, data) = (self.fw, self.data);
        let labels = Labels { fw, lang };
        let (coverage, governments) = crate::charts::breakdown_coverage(data, labels, year);
        let chart = crate::charts::breakdowns(data, labels, year);
        let rows: Vec<Value> = coverage
            .iter()
            .map(|c| {
                context! {
                    dimension => labels.dimension(&c.dimension),
                    reporting => super::campaign::share(c.reporting, c.asked, lang),
                    share => c.share.map_or_else(|| "–".to_string(), |s| format_percent(s * 100.0, 0, lang)),
                }
            })
            .collect();
        let reporting = coverage.iter().filter(|c| c.reporting > 0).count();
        let any: BTreeSet<&str> = data
            .breakdowns
            .iter()
            .filter(|b| b.year == year && b.reported)
            .map(|b| b.city_id.as_str())
            .collect();
        let coverage_line = trf(
            lang,
            "report.bd_coverage",
            &[("k", &any.len()), ("n", &governments), ("dimensions", &reporting)],
        );

        let mut gaps: Vec<_> =
            data.gaps.iter().filter(|g| g.year == year && g.n_left_behind > 0).collect();
        let position = |id: &str| fw.indicators.iter().position(|i| i.id == id);
        gaps.sort_by(|a, b| {
            b.n_left_behind
                .cmp(&a.n_left_behind)
                .then_with(|| {
                    let share = |g: &crate::charts::data::GapRow| {
                        g.n_left_behind as f64 / g.n.max(1) as f64
                    };
                    share(b).total_cmp(&share(a))
                })
                .then_with(|| position(&a.indicator_id).cmp(&position(&b.indicator_id)))
                .then_with(|| a.dimension.cmp(&b.dimension))
                .then_with(|| a.category.cmp(&b.category))
        });
        let largest: Vec<Value> = gaps
            .iter()
            .take(LARGEST)
            .filter_map(|g| {
                let ind = fw.indicator(&g.indicator_id)?;
                let reference = match &g.reference_category {
                    Some(r) => labels.category(&g.dimension, r),
                    None => tr(lang, "report.bd_total").to_string(),
                };
                Some(context! {
                    indicator => ind.title.get(lang).to_string(),
                    id => ind.id.clone(),
                    group => labels.group(&g.dimension, &g.category),
                    reference => reference,
                    left_behind => super::campaign::share(g.n_left_behind as usize, g.n as usize, lang),
                    median => g.median_gap.map_or_else(|| "–".to_string(), |m| show_signed_gap(fw, &ind.unit, m, lang)),
                })
            })
            .collect();
        let ctx = context! {
            heading => tr(lang, "report.h_breakdowns"),
            intro => trf(lang, "report.bd_intro", &[("threshold", &threshold(fw, lang))]),
            coverage_line => coverage_line,
            alt => chart.desc.clone(),
            h_dimension => tr(lang, "report.h_dimension"),
            h_reporting => tr(lang, "report.h_reporting"),
            h_share => tr(lang, "report.h_questions_share"),
            coverage => rows,
            h_largest => tr(lang, "report.h_largest_gaps"),
            largest_intro => tr(lang, "report.bd_largest_intro"),
            h_indicator => tr(lang, "report.h_indicator"),
            h_group => tr(lang, "report.h_group"),
            h_reference => tr(lang, "report.h_reference"),
            h_left_behind => tr(lang, "report.h_left_behind_in"),
            h_median_gap => tr(lang, "report.h_median_gap"),
            largest => largest,
            none => tr(lang, "report.bd_no_gaps"),
        };
        (ctx, vec![("charts/breakdowns.svg".to_string(), chart.svg.into_bytes())])
    }
}

/// `items` as a list in prose: "a, b and c".
fn join_and(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => trf(lang, "report.and", &[("a", &rest.join(", ")), ("b", last)]),
    }
}

/// The dimensions of `rows` as a list in prose, in the order the questions list them ("sex,
/// age group and neighbourhood or district").
fn dimensions(l: &Labels<'_>, rows: &[&BreakdownRow]) -> String {
    let order = l.dimension_order();
    let mut dims: Vec<&str> = rows.iter().map(|b| b.dimension.as_str()).collect();
    dims.sort_by_key(|d| (order.iter().position(|o| o == d), *d));
    dims.dedup();
    let names: Vec<String> = dims.iter().map(|d| in_prose_dimension(l, d)).collect();
    join_and(&names, l.lang)
}

/// A dimension's label as prose reads it ("sex", "age group"; a lower-case first letter).
fn in_prose_dimension(l: &Labels<'_>, dim: &str) -> String {
    let label = l.dimension(dim);
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::question_gist;

    #[test]
    fn question_gists_drop_the_date_and_stay_short() {
        assert_eq!(
            question_gist("On 31 December of the reporting year, was there a protocol?"),
            "Was there a protocol?"
        );
        assert_eq!(
            question_gist("A 31 de diciembre del año del informe, ¿existía un protocolo?"),
            "¿Existía un protocolo?"
        );
        // A clause that is not a date stays.
        let of = "Of the households evicted during the reporting year, how many were rehoused?";
        assert_eq!(question_gist(of), of);
        let long = question_gist(&"word ".repeat(40));
        assert!(long.ends_with('…') && long.chars().count() <= 91, "{long}");
    }
}
