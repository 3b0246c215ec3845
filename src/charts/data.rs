//! What the charts draw, read from the computed tables into plain rows.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use polars::prelude::*;

use crate::compute::Results;

/// Reads one column of `df` as optional strings, numbers, integers or booleans.
struct Frame<'a>(&'a DataFrame);

impl Frame<'_> {
    fn str(&self, name: &str) -> PolarsResult<Vec<Option<String>>> {
        Ok(self.0.column(name)?.str()?.iter().map(|s| s.map(String::from)).collect())
    }
    fn f64(&self, name: &str) -> PolarsResult<Vec<Option<f64>>> {
        let c = self.0.column(name)?.cast(&DataType::Float64)?;
        Ok(c.f64()?.iter().collect())
    }
    fn i32(&self, name: &str) -> PolarsResult<Vec<Option<i32>>> {
        let c = self.0.column(name)?.cast(&DataType::Int32)?;
        Ok(c.i32()?.iter().collect())
    }
    fn u32(&self, name: &str) -> PolarsResult<Vec<Option<u32>>> {
        let c = self.0.column(name)?.cast(&DataType::UInt32)?;
        Ok(c.u32()?.iter().collect())
    }
    fn bool(&self, name: &str) -> PolarsResult<Vec<Option<bool>>> {
        Ok(self.0.column(name)?.bool()?.iter().collect())
    }
}

/// A right score of one city and year.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRow {
    pub city_id: String,
    pub city_name: String,
    pub region: Option<String>,
    pub year: i32,
    pub right_id: String,
    pub score: Option<f64>,
    /// The sub-scores of the right's structural, process and outcome indicators.
    pub kinds: [Option<f64>; 3],
    /// `ok`, `insufficient_data`, `not_applicable` or `not_asked`.
    pub status: String,
    pub carried_forward: bool,
}

/// An indicator value of one city and year.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueRow {
    pub city_id: String,
    pub city_name: String,
    pub region: Option<String>,
    pub year: i32,
    pub indicator_id: String,
    pub value: Option<f64>,
    /// The indicator's score (0–100) from its goalposts, if it has goalposts and a value.
    pub score: Option<f64>,
    pub status: String,
    /// The questions to fill in (ids joined by `;`), when the status is `missing`.
    pub missing_questions: Option<String>,
    /// The change since the city's previous return.
    pub change: Option<f64>,
    /// The indicator's definition changed since the city's previous return (no change).
    pub definition_changed: bool,
    /// Flagged as an outlier among the year's values (never altered).
    pub outlier: bool,
    pub carried_forward: bool,
}

/// A year of campaign progress.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignRow {
    pub year: i32,
    pub projected: bool,
    /// Governments committed by the end of the year (pledged, or reporting without being in
    /// the pledge register; see [`crate::compute::campaign`]).
    pub cumulative: f64,
    pub milestones: Vec<u32>,
    /// Governments that returned a questionnaire for the year (observed years only).
    pub reporting: Option<u32>,
}

/// Completeness of one scope.
#[derive(Clone, Debug, PartialEq)]
pub struct QualityRow {
    pub year: i32,
    pub scope: String,
    pub id: String,
    pub completeness: Option<f64>,
}

/// An indicator of one city and year for one group of a dimension (Contract 5), against its
/// reference group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub city_id: String,
    pub city_name: String,
    pub year: i32,
    pub indicator_id: String,
    /// The dimension (`sex`, `age_group`, `neighbourhood`, …).
    pub dimension: String,
    /// A category code (`women`), or for a dimension whose categories each city names, the
    /// name the city wrote.
    pub category: String,
    pub value: Option<f64>,
    /// `ok`, `missing`, `undefined` or `not_applicable`.
    pub status: String,
    /// The questions to fill in (ids joined by `;`), when the status is `missing`.
    pub missing_questions: Option<String>,
    /// The reference category; `None` when the reference is the total (the city as a whole).
    pub reference_category: Option<String>,
    pub reference_value: Option<f64>,
    /// `value − reference_value`.
    pub gap: Option<f64>,
    pub ratio: Option<f64>,
    /// Worse than the reference, in the indicator's bad direction, by more than the
    /// framework's threshold; `None` without a value or a reference.
    pub left_behind: Option<bool>,
}

impl GroupRow {
    /// Whether the group is its dimension's reference category.
    pub fn is_reference(&self) -> bool {
        self.reference_category.as_deref() == Some(self.category.as_str())
    }

    /// Whether the group is flagged as left behind.
    pub fn is_left_behind(&self) -> bool {
        self.left_behind == Some(true)
    }
}

/// Whether a return gave a breakdown a question asks for: one city, year, question and
/// dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownRow {
    pub city_id: String,
    pub year: i32,
    pub question_id: String,
    pub dimension: String,
    /// At least one category was given.
    pub reported: bool,
    /// How many categories the dimension has (`None` when the city names them).
    pub categories_expected: Option<u32>,
    pub categories_reported: u32,
}

/// A group's gaps across governments: one year, indicator, dimension and category.
#[derive(Clone, Debug, PartialEq)]
pub struct GapRow {
    pub year: i32,
    pub indicator_id: String,
    pub dimension: String,
    pub category: String,
    pub reference_category: Option<String>,
    /// Governments with a gap for the group.
    pub n: u32,
    pub median_gap: Option<f64>,
    pub min_gap: Option<f64>,
    pub max_gap: Option<f64>,
    /// Governments where the group is left behind.
    pub n_left_behind: u32,
}

/// A city's follow-up of one UN recommendation (`recommendation_followup`, Contract 6).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FollowRow {
    pub city_id: String,
    pub city_name: String,
    pub country: Option<String>,
    pub year: i32,
    pub recommendation_id: String,
    /// Whether the store has the recommendation.
    pub in_store: bool,
    /// `upr`, `treaty_body`, `special_procedure`, `other` (empty when not in the store).
    pub mechanism: String,
    pub body: String,
    pub themes: Vec<String>,
    pub rights: Vec<String>,
    pub competence: Option<String>,
    pub status: Option<String>,
    /// Within local competence and applicable, in the store and usable.
    pub relevant: bool,
    pub department: Option<String>,
    pub action: Option<String>,
    pub source: Option<String>,
}

/// The computed tables as rows for drawing.
#[derive(Clone, Debug, Default)]
pub struct ChartData {
    pub scores: Vec<ScoreRow>,
    pub values: Vec<ValueRow>,
    pub campaign: Vec<CampaignRow>,
    pub quality: Vec<QualityRow>,
    /// Indicators per group (`indicators_by_group`).
    pub groups: Vec<GroupRow>,
    /// Breakdowns expected and given (`disaggregation_status`).
    pub breakdowns: Vec<BreakdownRow>,
    /// Gaps across governments (`group_aggregates`).
    pub gaps: Vec<GapRow>,
    /// The follow-up of UN recommendations (`recommendation_followup`).
    pub followup: Vec<FollowRow>,
    index: OnceLock<Index>,
}

/// The fewest governments of a region whose median a city is compared with; with fewer,
/// the campaign's median is used instead, and the reports say so.
pub const MIN_PEERS: usize = 5;

/// Where each city's rows are, and the regional medians, built on first use: a run draws a
/// chart and writes a report for each of thousands of cities, and scanning every row for
/// each of them made the time grow with the square of the number of cities.
#[derive(Clone, Debug, Default)]
struct Index {
    scores: HashMap<String, Vec<usize>>,
    values: HashMap<String, Vec<usize>>,
    groups: HashMap<String, Vec<usize>>,
    breakdowns: HashMap<String, Vec<usize>>,
    /// (year, region, right) → the median right score, over returns not carried forward.
    medians: HashMap<(i32, Option<String>, String), Option<f64>>,
    /// The median right scores of all governments, by year and right.
    campaign_medians: HashMap<(i32, String), Option<f64>>,
    /// How many governments have right scores, by year and region (`None`: all).
    counts: HashMap<(i32, Option<String>), usize>,
    /// The reporting years, ascending.
    years: Vec<i32>,
}

impl ChartData {
    /// Reads the tables of `results`.
    pub fn from_results(results: &Results) -> PolarsResult<ChartData> {
        let s = Frame(&results.scores);
        let (city, name, region) = (s.str("city_id")?, s.str("city_name")?, s.str("region")?);
        let (year, right, score, carried) =
            (s.i32("year")?, s.str("right_id")?, s.f64("score")?, s.bool("carried_forward")?);
        let status = s.str("status")?;
        let kinds = [s.f64("structural_score")?, s.f64("process_score")?, s.f64("outcome_score")?];
        let scores = (0..results.scores.height())
            .map(|i| ScoreRow {
                city_id: city[i].clone().unwrap_or_default(),
                city_name: name[i].clone().unwrap_or_default(),
                region: region[i].clone(),
                year: year[i].unwrap_or(0),
                right_id: right[i].clone().unwrap_or_default(),
                score: score[i],
                kinds: [kinds[0][i], kinds[1][i], kinds[2][i]],
                status: status[i].clone().unwrap_or_default(),
                carried_forward: carried[i].unwrap_or(false),
            })
            .collect();

        let v = Frame(&results.indicators);
        let (city, name, region) = (v.str("city_id")?, v.str("city_name")?, v.str("region")?);
        let (year, id, value, status, carried) = (
            v.i32("year")?,
            v.str("indicator_id")?,
            v.f64("value")?,
            v.str("status")?,
            v.bool("carried_forward")?,
        );
        let (missing, change, ind_score, outlier) =
            (v.str("missing_questions")?, v.f64("change")?, v.f64("score")?, v.bool("outlier")?);
        let changed = v.bool("definition_changed")?;
        let values = (0..results.indicators.height())
            .map(|i| ValueRow {
                city_id: city[i].clone().unwrap_or_default(),
                city_name: name[i].clone().unwrap_or_default(),
                region: region[i].clone(),
                year: year[i].unwrap_or(0),
                indicator_id: id[i].clone().unwrap_or_default(),
                value: value[i],
                score: ind_score[i],
                status: status[i].clone().unwrap_or_default(),
                missing_questions: missing[i].clone(),
                change: change[i],
                definition_changed: changed[i].unwrap_or(false),
                outlier: outlier[i].unwrap_or(false),
                carried_forward: carried[i].unwrap_or(false),
            })
            .collect();

        let c = Frame(&results.campaign);
        let (year, kind, cumulative, passed) =
            (c.i32("year")?, c.str("kind")?, c.f64("cumulative")?, c.str("milestones_passed")?);
        let reporting =
            c.u32("reporting").unwrap_or_else(|_| vec![None; results.campaign.height()]);
        let campaign = (0..results.campaign.height())
            .map(|i| CampaignRow {
                year: year[i].unwrap_or(0),
                projected: kind[i].as_deref() == Some("projected"),
                cumulative: cumulative[i].unwrap_or(0.0),
                milestones: passed[i]
                    .as_deref()
                    .unwrap_or("")
                    .split(';')
                    .filter_map(|m| m.parse().ok())
                    .collect(),
                reporting: reporting[i],
            })
            .collect();

        let q = Frame(&results.quality);
        let (year, scope, id, completeness) =
            (q.i32("year")?, q.str("scope")?, q.str("id")?, q.f64("completeness")?);
        let quality = (0..results.quality.height())
            .map(|i| QualityRow {
                year: year[i].unwrap_or(0),
                scope: scope[i].clone().unwrap_or_default(),
                id: id[i].clone().unwrap_or_default(),
                completeness: completeness[i],
            })
            .collect();
        let groups = group_rows(&results.indicators_by_group)?;
        let breakdowns = breakdown_rows(&results.disaggregation_status)?;
        let gaps = gap_rows(&results.group_aggregates)?;
        let followup = follow_rows(&results.recommendation_followup)?;
        Ok(ChartData {
            scores,
            values,
            campaign,
            quality,
            groups,
            breakdowns,
            gaps,
            followup,
            index: OnceLock::new(),
        })
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (i, r) in self.scores.iter().enumerate() {
                index.scores.entry(r.city_id.clone()).or_default().push(i);
            }
            for (i, r) in self.values.iter().enumerate() {
                index.values.entry(r.city_id.clone()).or_default().push(i);
            }
            for (i, r) in self.groups.iter().enumerate() {
                index.groups.entry(r.city_id.clone()).or_default().push(i);
            }
            for (i, r) in self.breakdowns.iter().enumerate() {
                index.breakdowns.entry(r.city_id.clone()).or_default().push(i);
            }
            let mut by_right: HashMap<(i32, Option<String>, String), Vec<f64>> = HashMap::new();
            for r in self.scores.iter().filter(|r| !r.carried_forward) {
                let scores = by_right.entry((r.year, r.region.clone(), r.right_id.clone()));
                let scores = scores.or_default();
                scores.extend(r.score);
            }
            let mut all: HashMap<(i32, String), Vec<f64>> = HashMap::new();
            let mut governments: HashMap<(i32, Option<String>), HashSet<&str>> = HashMap::new();
            for r in self.scores.iter().filter(|r| !r.carried_forward) {
                all.entry((r.year, r.right_id.clone())).or_default().extend(r.score);
                for region in [r.region.clone(), None] {
                    governments.entry((r.year, region)).or_default().insert(&r.city_id);
                }
            }
            index.medians = by_right.into_iter().map(|(k, mut v)| (k, median(&mut v))).collect();
            index.campaign_medians =
                all.into_iter().map(|(k, mut v)| (k, median(&mut v))).collect();
            index.counts = governments.into_iter().map(|(k, v)| (k, v.len())).collect();
            let mut years: Vec<i32> = self.scores.iter().map(|r| r.year).collect();
            years.sort();
            years.dedup();
            index.years = years;
            index
        })
    }

    /// The right scores of `city`, in table order.
    pub fn city_scores<'a>(&'a self, city: &str) -> impl Iterator<Item = &'a ScoreRow> + 'a {
        let rows = self.index().scores.get(city).map_or(&[][..], |v| v.as_slice());
        rows.iter().map(|&i| &self.scores[i])
    }

    /// The indicator values of `city`, in table order.
    pub fn city_values<'a>(&'a self, city: &str) -> impl Iterator<Item = &'a ValueRow> + 'a {
        let rows = self.index().values.get(city).map_or(&[][..], |v| v.as_slice());
        rows.iter().map(|&i| &self.values[i])
    }

    /// The group values of `city` (every year), in table order: by year, indicator,
    /// dimension and category.
    pub fn city_groups<'a>(&'a self, city: &str) -> impl Iterator<Item = &'a GroupRow> + 'a {
        let rows = self.index().groups.get(city).map_or(&[][..], |v| v.as_slice());
        rows.iter().map(|&i| &self.groups[i])
    }

    /// The breakdowns `city`'s returns were asked for and gave (every year).
    pub fn city_breakdowns<'a>(
        &'a self,
        city: &str,
    ) -> impl Iterator<Item = &'a BreakdownRow> + 'a {
        let rows = self.index().breakdowns.get(city).map_or(&[][..], |v| v.as_slice());
        rows.iter().map(|&i| &self.breakdowns[i])
    }

    /// The median score of `right` among the returns of `region` in `year` (returns carried
    /// forward from an earlier year left out).
    pub fn region_median(&self, year: i32, region: Option<&str>, right: &str) -> Option<f64> {
        let key = (year, region.map(String::from), right.to_string());
        self.index().medians.get(&key).copied().flatten()
    }

    /// The median score of `right` across every government in `year`.
    pub fn campaign_median(&self, year: i32, right: &str) -> Option<f64> {
        self.index().campaign_medians.get(&(year, right.to_string())).copied().flatten()
    }

    /// How many governments of `region` (`None`: of the whole campaign) have right scores
    /// in `year`: what a median of theirs comes from.
    pub fn governments_in(&self, year: i32, region: Option<&str>) -> usize {
        self.index().counts.get(&(year, region.map(String::from))).copied().unwrap_or(0)
    }

    /// The reporting years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.index().years.clone()
    }
}

/// The rows of `indicators_by_group`.
fn group_rows(df: &DataFrame) -> PolarsResult<Vec<GroupRow>> {
    let g = Frame(df);
    let (city, name, year, id) =
        (g.str("city_id")?, g.str("city_name")?, g.i32("year")?, g.str("indicator_id")?);
    let (dimension, category, value, status) =
        (g.str("dimension")?, g.str("category")?, g.f64("value")?, g.str("status")?);
    let (missing, reference, reference_value) =
        (g.str("missing_questions")?, g.str("reference_category")?, g.f64("reference_value")?);
    let (gap, ratio, left_behind) = (g.f64("gap")?, g.f64("ratio")?, g.bool("left_behind")?);
    Ok((0..df.height())
        .map(|i| GroupRow {
            city_id: city[i].clone().unwrap_or_default(),
            city_name: name[i].clone().unwrap_or_default(),
            year: year[i].unwrap_or(0),
            indicator_id: id[i].clone().unwrap_or_default(),
            dimension: dimension[i].clone().unwrap_or_default(),
            category: category[i].clone().unwrap_or_default(),
            value: value[i],
            status: status[i].clone().unwrap_or_default(),
            missing_questions: missing[i].clone(),
            reference_category: reference[i].clone(),
            reference_value: reference_value[i],
            gap: gap[i],
            ratio: ratio[i],
            left_behind: left_behind[i],
        })
        .collect())
}

/// The rows of `disaggregation_status`.
fn breakdown_rows(df: &DataFrame) -> PolarsResult<Vec<BreakdownRow>> {
    let b = Frame(df);
    let (city, year, question, dimension) =
        (b.str("city_id")?, b.i32("year")?, b.str("question_id")?, b.str("dimension")?);
    let (reported, expected_n, reported_n) =
        (b.bool("reported")?, b.u32("categories_expected")?, b.u32("categories_reported")?);
    Ok((0..df.height())
        .map(|i| BreakdownRow {
            city_id: city[i].clone().unwrap_or_default(),
            year: year[i].unwrap_or(0),
            question_id: question[i].clone().unwrap_or_default(),
            dimension: dimension[i].clone().unwrap_or_default(),
            reported: reported[i].unwrap_or(false),
            categories_expected: expected_n[i],
            categories_reported: reported_n[i].unwrap_or(0),
        })
        .collect())
}

/// The rows of `group_aggregates`.
fn gap_rows(df: &DataFrame) -> PolarsResult<Vec<GapRow>> {
    let a = Frame(df);
    let (year, id, dimension, category) =
        (a.i32("year")?, a.str("indicator_id")?, a.str("dimension")?, a.str("category")?);
    let (reference, n, n_left_behind) =
        (a.str("reference_category")?, a.u32("n")?, a.u32("n_left_behind")?);
    let (median, min, max) = (a.f64("median_gap")?, a.f64("min_gap")?, a.f64("max_gap")?);
    Ok((0..df.height())
        .map(|i| GapRow {
            year: year[i].unwrap_or(0),
            indicator_id: id[i].clone().unwrap_or_default(),
            dimension: dimension[i].clone().unwrap_or_default(),
            category: category[i].clone().unwrap_or_default(),
            reference_category: reference[i].clone(),
            n: n[i].unwrap_or(0),
            median_gap: median[i],
            min_gap: min[i],
            max_gap: max[i],
            n_left_behind: n_left_behind[i].unwrap_or(0),
        })
        .collect())
}

/// The rows of `recommendation_followup`.
fn follow_rows(df: &DataFrame) -> PolarsResult<Vec<FollowRow>> {
    let f = Frame(df);
    let (city, name, country, year) =
        (f.str("city_id")?, f.str("city_name")?, f.str("country")?, f.i32("year")?);
    let (id, in_store, mechanism, body) =
        (f.str("recommendation_id")?, f.bool("in_store")?, f.str("mechanism")?, f.str("body")?);
    let (themes, rights, competence, status, relevant) = (
        f.str("themes")?,
        f.str("rights")?,
        f.str("competence")?,
        f.str("status")?,
        f.bool("relevant")?,
    );
    let (department, action, source) = (f.str("department")?, f.str("action")?, f.str("source")?);
    let lines = |v: &Option<String>| -> Vec<String> {
        v.as_deref().unwrap_or("").lines().filter(|l| !l.is_empty()).map(String::from).collect()
    };
    Ok((0..df.height())
        .map(|i| FollowRow {
            city_id: city[i].clone().unwrap_or_default(),
            city_name: name[i].clone().unwrap_or_default(),
            country: country[i].clone(),
            year: year[i].unwrap_or(0),
            recommendation_id: id[i].clone().unwrap_or_default(),
            in_store: in_store[i].unwrap_or(false),
            mechanism: mechanism[i].clone().unwrap_or_default(),
            body: body[i].clone().unwrap_or_default(),
            themes: lines(&themes[i]),
            rights: lines(&rights[i]),
            competence: competence[i].clone(),
            status: status[i].clone(),
            relevant: relevant[i].unwrap_or(false),
            department: department[i].clone(),
            action: action[i].clone(),
            source: source[i].clone(),
        })
        .collect())
}

/// The median of `values` (which must be finite); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    quantile(values, 0.5)
}

/// The `p` quantile of `values` by linear interpolation (R type 7), as the aggregates use.
pub fn quantile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let h = (values.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(values[lo] + (h - lo as f64) * (values[hi] - values[lo]))
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_interpolate_linearly() {
        assert_eq!(quantile(&mut [1.0, 2.0, 3.0, 4.0], 0.25), Some(1.75));
        assert_eq!(quantile(&mut [4.0, 1.0, 3.0], 0.5), Some(3.0));
        assert_eq!(quantile(&mut [], 0.5), None);
    }
}
