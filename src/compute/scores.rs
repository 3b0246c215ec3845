//! Right scores: for each city, year and right, the weighted mean of the right's indicator
//! scores, reported only when enough of its indicators have a value (Contract 4).

use polars::prelude::*;

use super::Method;

/// The columns of the scores table, in order (documented in README).
pub const COLUMNS: [&str; 20] = [
    "city_id",
    "city_name",
    "country",
    "region",
    "government_level",
    "population_class",
    "year",
    "right_id",
    "score",
    "coverage",
    "indicators_applicable",
    "indicators_with_value",
    "status",
    "structural_score",
    "structural_coverage",
    "process_score",
    "process_coverage",
    "outcome_score",
    "outcome_coverage",
    "carried_forward",
];

/// Right scores from the indicator table (see [`super::indicators::COLUMNS`]).
///
/// `coverage` is the share of the right's applicable indicators that have a value
/// (not-applicable and not-asked indicators leave the denominator); `score` is the weighted
/// mean of the indicator scores when coverage ≥ `method.coverage_threshold`, else empty with
/// status `insufficient_data`; a right none of whose indicators apply is `not_applicable`,
/// and one none of whose indicators the return's template asked is `not_asked`.
///
/// The same is computed for each OHCHR kind of the right's indicators (`structural_score`,
/// `structural_coverage`, …): a right score averages laws and plans with results, and the
/// three side by side show which of them a city has.
pub fn right_scores(indicators: LazyFrame, method: &Method) -> LazyFrame {
    // One group per city, year and right: the city columns the indicator table starts with.
    let keys: Vec<&str> = super::indicators::COLUMNS[..7]
        .iter()
        .chain(&["right_id", "carried_forward"])
        .copied()
        .collect();
    let mut scores = summarise(indicators.clone(), &keys, method);
    let mut with_kind = keys.clone();
    with_kind.push("kind");
    let by_kind = summarise(indicators, &with_kind, method);
    for kind in crate::framework::IndicatorKind::ALL {
        let k = kind.name();
        let part = by_kind.clone().filter(col("kind").eq(lit(k))).select(
            keys.iter()
                .map(|c| col(*c))
                .chain([
                    col("score").alias(format!("{k}_score")),
                    col("coverage").alias(format!("{k}_coverage")),
                ])
                .collect::<Vec<_>>(),
        );
        scores = super::indicators::join_on(scores, part, &keys);
    }
    scores
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .sort(["city_id", "year", "right_id"], SortMultipleOptions::default())
}

/// Coverage, score and status of each group of indicator rows.
fn summarise(indicators: LazyFrame, keys: &[&str], method: &Method) -> LazyFrame {
    let scored = col("score").is_not_null();
    indicators
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([
            super::applicable().cast(DataType::UInt32).sum().alias("indicators_applicable"),
            col("status").eq(lit("not_asked")).cast(DataType::UInt32).sum().alias("not_asked"),
            col("value").is_not_null().cast(DataType::UInt32).sum().alias("indicators_with_value"),
            (col("weight") * col("score")).sum().alias("weighted"),
            when(scored).then(col("weight")).otherwise(lit(0.0)).sum().alias("weights"),
        ])
        .with_column(
            when(col("indicators_applicable").gt(lit(0)))
                .then(
                    col("indicators_with_value").cast(DataType::Float64)
                        / col("indicators_applicable").cast(DataType::Float64),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("coverage"),
        )
        .with_columns([
            when(
                col("coverage")
                    .gt_eq(lit(method.coverage_threshold))
                    .and(col("weights").gt(lit(0.0))),
            )
            .then(col("weighted") / col("weights"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("score"),
            when(col("indicators_applicable").eq(lit(0)).and(col("not_asked").gt(lit(0))))
                .then(lit("not_asked"))
                .when(col("indicators_applicable").eq(lit(0)))
                .then(lit("not_applicable"))
                .when(col("coverage").lt(lit(method.coverage_threshold)))
                .then(lit("insufficient_data"))
                .otherwise(lit("ok"))
                .alias("status"),
        ])
}
