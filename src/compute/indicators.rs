//! The indicator table: one row per city, year and indicator, with its value, status, the
//! questions left unanswered, its score, its change since the city's previous return,
//! values carried forward for the years a city skipped, and outlier flags.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use super::dataset::{population_class, Dataset};
use super::table::{indicator_values, missing_names, wide_table, ReturnAnswers};
use super::Method;
use crate::framework::{Direction, Framework, UnitFormat};

/// The columns of the indicator table, in order (documented in README).
pub const COLUMNS: [&str; 24] = [
    "city_id",
    "city_name",
    "country",
    "region",
    "government_level",
    "population_class",
    "year",
    "right_id",
    "indicator_id",
    "kind",
    "value",
    "unit",
    "status",
    "missing_questions",
    "score",
    "previous_year",
    "previous_value",
    "change",
    "definition_changed",
    "carried_forward",
    "source_year",
    "modified_z",
    "outlier",
    "weight",
];

/// One row per indicator: `indicator_id, order, right_id, kind, unit, yes_no, higher, lo,
/// hi, weight`.
pub fn indicator_meta(fw: &Framework) -> PolarsResult<DataFrame> {
    let inds = &fw.indicators;
    let yes_no =
        |unit: &str| fw.vocab.units.get(unit).is_some_and(|u| u.format == UnitFormat::YesNo);
    DataFrame::new_infer_height(vec![
        Column::new("indicator_id".into(), inds.iter().map(|i| i.id.as_str()).collect::<Vec<_>>()),
        Column::new("order".into(), (0..inds.len() as u32).collect::<Vec<_>>()),
        Column::new("right_id".into(), inds.iter().map(|i| i.right.as_str()).collect::<Vec<_>>()),
        Column::new("kind".into(), inds.iter().map(|i| i.kind.name()).collect::<Vec<_>>()),
        Column::new("unit".into(), inds.iter().map(|i| i.unit.as_str()).collect::<Vec<_>>()),
        Column::new("yes_no".into(), inds.iter().map(|i| yes_no(&i.unit)).collect::<Vec<_>>()),
        Column::new(
            "higher".into(),
            inds.iter().map(|i| i.direction == Direction::HigherIsBetter).collect::<Vec<_>>(),
        ),
        Column::new(
            "lo".into(),
            inds.iter().map(|i| i.goalposts.map(|g| g.lo)).collect::<Vec<_>>(),
        ),
        Column::new(
            "hi".into(),
            inds.iter().map(|i| i.goalposts.map(|g| g.hi)).collect::<Vec<_>>(),
        ),
        Column::new("weight".into(), inds.iter().map(|i| i.weight).collect::<Vec<_>>()),
        Column::new("share".into(), inds.iter().map(is_share).collect::<Vec<_>>()),
    ])
}

/// The status of a share (`pct(part, whole)`) outside 0–100 %: it cannot be true, so it is
/// never `ok` (its answers contradict each other: a consistency rule should say which).
pub const OUT_OF_RANGE: &str = "out_of_range";

/// Whether `ind` is a share of a whole: a percentage made by `pct(part, whole)`, whose
/// logical range is 0–100.
pub fn is_share(ind: &crate::framework::Indicator) -> bool {
    ind.unit == "percent"
        && matches!(
            &ind.formula.node.kind,
            crate::formula::Kind::Call(crate::formula::Func::Pct, _)
        )
}

/// One row per return: `city_id, year, city_name, country, region, government_level,
/// population_class`.
pub fn city_frame(ds: &Dataset) -> PolarsResult<DataFrame> {
    let p = &ds.profiles;
    DataFrame::new_infer_height(vec![
        Column::new("city_id".into(), p.iter().map(|p| p.city_id.as_str()).collect::<Vec<_>>()),
        Column::new("year".into(), ds.returns.iter().map(|r| r.year).collect::<Vec<_>>()),
        Column::new("city_name".into(), p.iter().map(|p| p.city_name.as_str()).collect::<Vec<_>>()),
        Column::new("country".into(), p.iter().map(|p| p.country.as_deref()).collect::<Vec<_>>()),
        Column::new("region".into(), p.iter().map(|p| p.region.as_deref()).collect::<Vec<_>>()),
        Column::new(
            "government_level".into(),
            p.iter().map(|p| p.government_level.as_deref()).collect::<Vec<_>>(),
        ),
        Column::new(
            "population_class".into(),
            p.iter().map(|p| p.population.map(population_class)).collect::<Vec<_>>(),
        ),
    ])
}

/// For each return, the year of the same city's previous return (`city_id, year,
/// previous_year`); and for each year a city skipped after reporting, the year its values
/// are carried forward from (`city_id, year, source_year`). Years are those of the dataset.
fn year_maps(ds: &Dataset) -> PolarsResult<(DataFrame, DataFrame)> {
    let mut by_city: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for r in &ds.returns {
        by_city.entry(&r.city_id).or_default().insert(r.year);
    }
    let all_years: BTreeSet<i32> = ds.returns.iter().map(|r| r.year).collect();
    let (mut pc, mut py, mut pp) = (Vec::new(), Vec::new(), Vec::new());
    let (mut cc, mut cy, mut cs) = (Vec::new(), Vec::new(), Vec::new());
    for (city, years) in &by_city {
        for &y in &all_years {
            let earlier = years.range(..y).next_back().copied();
            if years.contains(&y) {
                pc.push(*city);
                py.push(y);
                pp.push(earlier);
            } else if let Some(source) = earlier {
                cc.push(*city);
                cy.push(y);
                cs.push(source);
            }
        }
    }
    let previous = DataFrame::new_infer_height(vec![
        Column::new("city_id".into(), pc),
        Column::new("year".into(), py),
        Column::new("previous_year".into(), pp),
    ])?;
    let carry = DataFrame::new_infer_height(vec![
        Column::new("city_id".into(), cc),
        Column::new("year".into(), cy),
        Column::new("source_year".into(), cs),
    ])?;
    Ok((previous, carry))
}

fn left(on: &[&str]) -> (Vec<Expr>, Vec<Expr>, JoinArgs) {
    let keys: Vec<Expr> = on.iter().map(|c| col(*c)).collect();
    (keys.clone(), keys, JoinArgs::new(JoinType::Left))
}

/// `lf` left-joined with `other` on the columns `on`.
pub(super) fn join_on(lf: LazyFrame, other: LazyFrame, on: &[&str]) -> LazyFrame {
    let (l, r, args) = left(on);
    lf.join(other, l, r, args)
}

/// The status name of a formula state code.
pub(super) fn status_expr() -> Expr {
    when(col("state").eq(lit(0)))
        .then(lit("ok"))
        .when(col("state").eq(lit(1)))
        .then(lit("undefined"))
        .when(col("state").eq(lit(3)))
        .then(lit("not_applicable"))
        .otherwise(lit("missing"))
}

/// The score of `value` between the goalposts `lo` and `hi`, 0–100, reversed when lower is
/// better; null without a value or without distinct goalposts.
fn score_expr() -> Expr {
    let t = (col("value") - col("lo")) / (col("hi") - col("lo"));
    let clamped = when(t.clone().lt(lit(0.0)))
        .then(lit(0.0))
        .when(t.clone().gt(lit(1.0)))
        .then(lit(1.0))
        .otherwise(t);
    let directed = when(col("higher")).then(clamped.clone()).otherwise(lit(1.0) - clamped);
    when(col("value").is_not_null().and(col("lo").is_not_null()).and(col("hi").gt(col("lo"))))
        .then(directed * lit(100.0))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// The indicator table (columns [`COLUMNS`] plus `order`, `yes_no`), sorted by city, year
/// and framework order.
pub fn indicator_table(fw: &Framework, ds: &Dataset, method: &Method) -> PolarsResult<DataFrame> {
    let returns: Vec<ReturnAnswers<'_>> = ds
        .returns
        .iter()
        .zip(&ds.answers)
        .map(|(r, a)| ReturnAnswers { city_id: &r.city_id, year: r.year, answers: a })
        .collect();
    let wide = wide_table(fw, &returns)?;
    let mut values = indicator_values(fw, &wide)?;
    // The names of the missing questions, for the rows whose status is missing.
    let names = missing_names(fw, &values)?;
    values.with_column(Column::new("missing_questions".into(), names))?;

    let null_f64 = || lit(NULL).cast(DataType::Float64);
    let base = join_on(
        join_on(
            join_on(values.lazy(), indicator_meta(fw)?.lazy(), &["indicator_id"]),
            city_frame(ds)?.lazy(),
            &["city_id", "year"],
        ),
        version_frame(fw, ds)?.lazy(),
        &["city_id", "year", "indicator_id"],
    )
    .with_columns([
        col("not_asked").fill_null(lit(false)),
        col("definition_changed").fill_null(lit(false)),
    ])
    .with_columns([col("share")
        .and(col("state").eq(lit(0)))
        .and(col("value").gt(lit(100.0)).or(col("value").lt(lit(0.0))))
        .fill_null(lit(false))
        .alias("out_of_range")])
    .with_columns([
        when(col("not_asked"))
            .then(lit("not_asked"))
            .when(col("out_of_range"))
            .then(lit(OUT_OF_RANGE))
            .otherwise(status_expr())
            .alias("status"),
        when(col("state").eq(lit(0)).and(col("out_of_range").not()))
            .then(col("value"))
            .otherwise(null_f64())
            .alias("value"),
    ])
    .with_column(score_expr().alias("score"));

    let (previous, carry) = year_maps(ds)?;
    let previous_values = base.clone().select([
        col("city_id"),
        col("year").alias("previous_year"),
        col("indicator_id"),
        col("value").alias("previous_value"),
    ]);
    let reported = join_on(
        join_on(base.clone(), previous.lazy(), &["city_id", "year"]),
        previous_values,
        &["city_id", "previous_year", "indicator_id"],
    )
    .with_columns([
        // No change across a changed definition: the two values measure different things.
        when(col("definition_changed"))
            .then(null_f64())
            .otherwise(col("value") - col("previous_value"))
            .alias("change"),
        lit(false).alias("carried_forward"),
        col("year").alias("source_year"),
    ]);
    let outliers = outlier_frame(reported.clone(), method);
    let reported = join_on(reported, outliers, &["year", "indicator_id", "city_id"]).with_column(
        col("modified_z")
            .abs()
            .gt(lit(method.outlier_threshold))
            .fill_null(lit(false))
            .alias("outlier"),
    );

    let carried = join_on(
        carry.lazy(),
        base.rename(["year"], ["source_year"], true),
        &["city_id", "source_year"],
    )
    .filter(col("indicator_id").is_not_null())
    .with_columns([
        lit(NULL).cast(DataType::Int32).alias("previous_year"),
        null_f64().alias("previous_value"),
        null_f64().alias("change"),
        lit(false).alias("definition_changed"),
        lit(true).alias("carried_forward"),
        null_f64().alias("modified_z"),
        lit(false).alias("outlier"),
    ]);

    let mut select: Vec<Expr> = COLUMNS.iter().map(|c| col(*c)).collect();
    select.push(col("order"));
    select.push(col("yes_no"));
    concat([reported.select(&select), carried.select(&select)], UnionArgs::default())?
        .sort(["city_id", "year", "order"], SortMultipleOptions::default())
        .collect()
}

/// For each return and indicator where it matters: `not_asked` (a question of its formula
/// is newer than the return's template) and `definition_changed` (the indicator's definition
/// changed between the template of the city's previous return and this one's, so the two
/// values are not compared).
fn version_frame(fw: &Framework, ds: &Dataset) -> PolarsResult<DataFrame> {
    use crate::framework::version_lt;
    use crate::store::ResponseStatus;
    let mut last: BTreeMap<&str, (i32, &str)> = BTreeMap::new();
    let mut order: Vec<usize> = (0..ds.returns.len()).collect();
    order.sort_by_key(|&i| (&ds.returns[i].city_id, ds.returns[i].year));
    let (mut city, mut year, mut ind, mut asked, mut changed) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in order {
        let (r, answers) = (&ds.returns[i], &ds.answers[i]);
        let not_asked: BTreeSet<&str> = answers
            .iter()
            .filter(|a| a.status == ResponseStatus::NotAsked)
            .map(|a| a.question.as_str())
            .collect();
        let previous = last.insert(&r.city_id, (r.year, r.version()));
        for indicator in &fw.indicators {
            let n = indicator.formula.node.questions().iter().any(|q| not_asked.contains(q));

            // Its own change, and those of the questions it is computed from.
            let questions = indicator.formula.node.questions();
            let changes = indicator.changed.iter().chain(
                questions.iter().filter_map(|q| fw.question(q).and_then(|q| q.changed.as_ref())),
            );
            let c = previous.is_some_and(|(_, before)| {
                changes.into_iter().any(|change| {
                    version_lt(before, &change.version) && !version_lt(r.version(), &change.version)
                })
            });
            if n || c {
                city.push(r.city_id.as_str());
                year.push(r.year);
                ind.push(indicator.id.as_str());
                asked.push(n);
                changed.push(c);
            }
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("city_id".into(), city),
        Column::new("year".into(), year),
        Column::new("indicator_id".into(), ind),
        Column::new("not_asked".into(), asked),
        Column::new("definition_changed".into(), changed),
    ])
}

/// The modified z-score (Iglewicz and Hoaglin) of each reported value among the values of
/// the same indicator and year: `0.6745 × (x − median) / MAD`. Yes/no indicators and groups
/// whose MAD is 0 get none.
fn outlier_frame(reported: LazyFrame, method: &Method) -> LazyFrame {
    let values = reported.filter(col("value").is_not_null().and(col("yes_no").not())).select([
        col("city_id"),
        col("year"),
        col("indicator_id"),
        col("value"),
    ]);
    let medians = values
        .clone()
        .group_by([col("year"), col("indicator_id")])
        .agg([col("value").median().alias("median")]);
    let deviations = join_on(values, medians, &["year", "indicator_id"])
        .with_column((col("value") - col("median")).abs().alias("deviation"));
    let mad = deviations
        .clone()
        .group_by([col("year"), col("indicator_id")])
        .agg([col("deviation").median().alias("mad"), col("value").count().alias("n")]);
    join_on(deviations, mad, &["year", "indicator_id"])
        .with_column(
            when(col("mad").gt(lit(0.0)).and(col("n").gt_eq(lit(method.outlier_min_n))))
                .then(lit(0.6745) * (col("value") - col("median")) / col("mad"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("modified_z"),
        )
        .select([col("year"), col("indicator_id"), col("city_id"), col("modified_z")])
}
