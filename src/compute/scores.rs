//! Right scores: for each city, year and right, the weighted mean of the right's indicator
//! scores, reported only when enough of its indicators have a value (Contract 4).

use polars::prelude::*;

use super::Method;

/// The columns of the scores table, in order (documented in README).
pub const COLUMNS: [&str; 14] = [
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
    "carried_forward",
];

/// Right scores from the indicator table (see [`super::indicators::COLUMNS`]).
///
/// `coverage` is the share of the right's applicable indicators that have a value
/// (not-applicable indicators leave the denominator); `score` is the weighted mean of the
/// indicator scores when coverage ≥ `method.coverage_threshold`, else empty with status
/// `insufficient_data`; a right none of whose indicators apply is `not_applicable`.
pub fn right_scores(indicators: LazyFrame, method: &Method) -> LazyFrame {
    // One group per city, year and right: the city columns the indicator table starts with.
    let keys = super::indicators::COLUMNS[..7].iter().chain(&["right_id", "carried_forward"]);
    let scored = col("score").is_not_null();
    indicators
        .group_by(keys.map(|k| col(*k)).collect::<Vec<_>>())
        .agg([
            col("status")
                .neq(lit("not_applicable"))
                .cast(DataType::UInt32)
                .sum()
                .alias("indicators_applicable"),
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
            when(col("indicators_applicable").eq(lit(0)))
                .then(lit("not_applicable"))
                .when(col("coverage").lt(lit(method.coverage_threshold)))
                .then(lit("insufficient_data"))
                .otherwise(lit("ok"))
                .alias("status"),
        ])
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .sort(["city_id", "year", "right_id"], SortMultipleOptions::default())
}
